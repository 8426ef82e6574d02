/* bfloat16 storage for the SIMD layers (include after simd/<isa>.h):
 *   vf_load_bf16(p)     widens QK_WF bfloat16 values p[0..W-1] (exact);
 *   vf_store_bf16(p, v) rounds QK_WF float32 lanes to bfloat16 exactly as
 *                       qk_float_to_bf16 (kernels/bf16.h) does, with
 *                       integer operations only (no FP flag).
 * The AVX512_BF16 variant (vcvtneps2bf16) lives in target_avx512.c, in a
 * region of its own, selected at run time. */
#ifndef QUAKE_SIMD_BF16_H
#define QUAKE_SIMD_BF16_H

#include "quake/kernels/bf16.h"

#if QK_WF == 1 /* scalar */
QK_INLINE vf vf_load_bf16(const uint16_t *p) { return qk_bf16_to_float(*p); }
QK_INLINE void vf_store_bf16(uint16_t *p, vf v) { *p = qk_float_to_bf16(v); }

#elif QK_WF == 16 /* AVX-512F */
QK_INLINE vf vf_load_bf16(const uint16_t *p)
{
    __m512i w = _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)p));
    return _mm512_castsi512_ps(_mm512_slli_epi32(w, 16));
}
QK_INLINE __m512i qk_bf16_round_avx512(vf v) /* rounded bits in the high halves */
{
    const __m512i b = _mm512_castps_si512(v);
    const __m512i a = _mm512_and_si512(b, _mm512_set1_epi32(0x7fffffff));
    const __mmask16 nan = _mm512_cmpgt_epu32_mask(a, _mm512_set1_epi32(0x7f800000));
    __m512i lsb = _mm512_and_si512(_mm512_srli_epi32(b, 16), _mm512_set1_epi32(1));
    __m512i t = _mm512_add_epi32(b, _mm512_add_epi32(lsb, _mm512_set1_epi32(0x7fff)));
    t = _mm512_mask_blend_epi32(nan, t, _mm512_or_si512(b, _mm512_set1_epi32(0x00400000)));
    return _mm512_srli_epi32(t, 16);
}
QK_INLINE void vf_store_bf16(uint16_t *p, vf v)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtepi32_epi16(qk_bf16_round_avx512(v)));
}

#elif QK_WF == 8 /* AVX2 */
QK_INLINE vf vf_load_bf16(const uint16_t *p)
{
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
}
QK_INLINE void vf_store_bf16(uint16_t *p, vf v)
{
    const __m256i b = _mm256_castps_si256(v);
    const __m256i a = _mm256_and_si256(b, _mm256_set1_epi32(0x7fffffff));
    const __m256i nan = _mm256_cmpgt_epi32(a, _mm256_set1_epi32(0x7f800000)); /* a >= 0 */
    __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(1));
    __m256i t = _mm256_add_epi32(b, _mm256_add_epi32(lsb, _mm256_set1_epi32(0x7fff)));
    t = _mm256_blendv_epi8(t, _mm256_or_si256(b, _mm256_set1_epi32(0x00400000)), nan);
    t = _mm256_srli_epi32(t, 16); /* each lane <= 0xffff: packus is exact */
    __m256i pk = _mm256_permute4x64_epi64(_mm256_packus_epi32(t, t), 0x08);
    _mm_storeu_si128((__m128i *)p, _mm256_castsi256_si128(pk));
}

#elif QK_WF == 4 && QK_ARCH_AARCH64 /* NEON */
QK_INLINE vf vf_load_bf16(const uint16_t *p)
{
    return vreinterpretq_f32_u32(vshll_n_u16(vld1_u16(p), 16));
}
QK_INLINE void vf_store_bf16(uint16_t *p, vf v)
{
    const uint32x4_t b = vreinterpretq_u32_f32(v);
    const uint32x4_t a = vandq_u32(b, vdupq_n_u32(0x7fffffffu));
    const uint32x4_t nan = vcgtq_u32(a, vdupq_n_u32(0x7f800000u));
    uint32x4_t lsb = vandq_u32(vshrq_n_u32(b, 16), vdupq_n_u32(1u));
    uint32x4_t t = vaddq_u32(b, vaddq_u32(lsb, vdupq_n_u32(0x7fffu)));
    t = vbslq_u32(nan, vorrq_u32(b, vdupq_n_u32(0x00400000u)), t);
    vst1_u16(p, vshrn_n_u32(t, 16));
}
#else
#error "simd/bf16.h: unknown SIMD layer"
#endif

#endif
