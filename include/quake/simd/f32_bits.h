/* A binary32's bit pattern and back, for the portable 16-bit conversions
 * (half.h, kernels/bf16.h): memcpy, the one well-defined type pun in C. */
#ifndef QUAKE_SIMD_F32_BITS_H
#define QUAKE_SIMD_F32_BITS_H

#include <stdint.h>
#include <string.h>

static inline float qk_f32_from_bits(uint32_t bits)
{
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static inline uint32_t qk_f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

#endif
