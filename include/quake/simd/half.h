/* Portable IEEE binary16 <-> binary32 conversion, bit-exact with x86 F16C
 * (vcvtph2ps / vcvtps2ph with round-to-nearest-even) and AArch64 fcvt,
 * including NaN payloads (quieted, top payload bits kept). */
#ifndef QUAKE_SIMD_HALF_H
#define QUAKE_SIMD_HALF_H

#include <stdint.h>

#include "quake/simd/f32_bits.h"

static inline float qk_half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1fu, m = h & 0x3ffu, bits;
    if (e == 0x1f && m && !(m & 0x200u)) {
        /* signalling NaN: widen it and let an addition quiet it, raising
         * FE_INVALID exactly as F16C's vcvtph2ps does */
        float f = qk_f32_from_bits(sign | 0x7f800000u | (m << 13));
        return f + f;
    }
    if (e == 0x1f) {
        bits = sign | 0x7f800000u | (m << 13); /* inf, quiet NaN */
    } else if (e != 0) {
        bits = sign | ((e + 112u) << 23) | (m << 13);
    } else if (m == 0) {
        bits = sign;
    } else { /* subnormal half: normalise into a float */
        uint32_t shift = 0;
        while (!(m & 0x400u)) {
            m <<= 1;
            shift++;
        }
        bits = sign | ((113u - shift) << 23) | ((m & 0x3ffu) << 13);
    }
    return qk_f32_from_bits(bits);
}

static inline uint16_t qk_float_to_half(float f)
{
    uint32_t b = qk_f32_bits(f);
    uint16_t sign = (uint16_t)((b >> 16) & 0x8000u);
    uint32_t a = b & 0x7fffffffu;
    if (a >= 0x7f800000u) /* inf, NaN (quieted, top 10 payload bits kept) */
        return (uint16_t)(sign | 0x7c00u | (a > 0x7f800000u ? (0x200u | ((a >> 13) & 0x3ffu)) : 0u));
    if (a >= 0x477ff000u) /* >= 65520 rounds to inf */
        return (uint16_t)(sign | 0x7c00u);
    if (a >= 0x38800000u) { /* normal half: rebias 127 -> 15, round 23 -> 10 bits */
        uint32_t r = a - 0x38000000u;
        r += 0x0fffu + ((r >> 13) & 1u);
        return (uint16_t)(sign | (r >> 13));
    }
    if (a < 0x33000000u) /* < 2^-25 (ties included) rounds to zero */
        return sign;
    { /* subnormal half: value / 2^-24 rounded to nearest even */
        uint32_t m = (a & 0x7fffffu) | 0x800000u;
        uint32_t s = 126u - (a >> 23); /* 14..24 */
        uint32_t q = m >> s, rem = m & ((1u << s) - 1u), halfway = 1u << (s - 1u);
        if (rem > halfway || (rem == halfway && (q & 1u)))
            q++;
        return (uint16_t)(sign | q);
    }
}

#endif
