/* Portable bfloat16 <-> binary32 conversion: THE definition of quake's
 * bfloat16 rounding, which every target reproduces bit for bit
 * (simd/bf16.h: integer ops on AVX2, AVX-512 and NEON; AVX512_BF16's
 * vcvtneps2bf16 where the CPU has it, with its denormal flush undone).
 *
 * bfloat16 is the top half of a binary32: widening is a 16-bit shift
 * (exact; a signalling NaN stays signalling, and the float32 kernels quiet
 * it with FE_INVALID as they do for float32 input).  Narrowing rounds to
 * nearest even on the bit pattern, denormals included (as ml_dtypes'
 * astype does); +-inf stay, finite values >= 0x7f7f8000 (bits) round to
 * +-inf; a NaN keeps its sign and top 7 payload bits and is quieted by
 * setting bit 6 (0x0040), which is what vcvtneps2bf16 returns.  Integer
 * operations only: no FP flag, no dependence on the rounding mode or
 * FTZ/DAZ. */
#ifndef QUAKE_KERNELS_BF16_H
#define QUAKE_KERNELS_BF16_H

#include <stdint.h>

#include "quake/simd/f32_bits.h"

static inline float qk_bf16_to_float(uint16_t h)
{
    return qk_f32_from_bits((uint32_t)h << 16);
}

static inline uint16_t qk_float_to_bf16(float f)
{
    uint32_t b = qk_f32_bits(f);
    if ((b & 0x7fffffffu) > 0x7f800000u) /* NaN: quiet, sign and top payload kept */
        return (uint16_t)((b | 0x00400000u) >> 16);
    return (uint16_t)((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
}

#endif
