/* AVX-512F implementation of the SIMD layer (see scalar.h for the lane
 * semantics every target reproduces).  Masks are opmask registers; partial
 * vectors use masked loads/stores, which never touch the masked-out lanes
 * (no fault, no read past the caller's array). */
#ifndef QUAKE_SIMD_AVX512_H
#define QUAKE_SIMD_AVX512_H

#include <immintrin.h>
#include <stdint.h>

#include "quake/simd/slot_tab.h"

#define QK_WF 16
#define QK_WD 8

typedef __m512 vf;
typedef __m512i vi;
typedef __mmask16 mf;
typedef __m512d vd;
typedef __m512i vl;
typedef __mmask8 md;

/* ---- float32 ---- */
QK_INLINE vf vf_load(const float *p) { return _mm512_loadu_ps(p); }
QK_INLINE void vf_store(float *p, vf v) { _mm512_storeu_ps(p, v); }
QK_INLINE __mmask16 qk_tail_mask16(qk_size n) { return (__mmask16)((1u << n) - 1u); }
QK_INLINE vf vf_load_partial(const float *p, qk_size n) { return _mm512_maskz_loadu_ps(qk_tail_mask16(n), p); }
QK_INLINE void vf_store_partial(float *p, vf v, qk_size n) { _mm512_mask_storeu_ps(p, qk_tail_mask16(n), v); }
QK_INLINE vf vf_set(float c) { return _mm512_set1_ps(c); }
QK_INLINE vf vf_add(vf a, vf b) { return _mm512_add_ps(a, b); }
QK_INLINE vf vf_sub(vf a, vf b) { return _mm512_sub_ps(a, b); }
QK_INLINE vf vf_mul(vf a, vf b) { return _mm512_mul_ps(a, b); }
QK_INLINE vf vf_fma(vf a, vf b, vf c) { return _mm512_fmadd_ps(a, b, c); }
QK_INLINE vf vf_min(vf a, vf b) { return _mm512_min_ps(a, b); }
QK_INLINE vf vf_max(vf a, vf b) { return _mm512_max_ps(a, b); }
QK_INLINE vf vf_floor(vf a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
QK_INLINE mf vf_lt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
QK_INLINE mf vf_gt(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
QK_INLINE mf vf_isnan(vf a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
QK_INLINE mf vf_outside(vf a, vf lo, vf hi)
{
    return (mf)(_mm512_cmp_ps_mask(a, lo, _CMP_NGE_UQ) | _mm512_cmp_ps_mask(a, hi, _CMP_NLE_UQ));
}
QK_INLINE mf mf_or(mf a, mf b) { return (mf)(a | b); }
QK_INLINE mf mf_and(mf a, mf b) { return (mf)(a & b); }
QK_INLINE int mf_any(mf m) { return m != 0; }
QK_INLINE vf vf_select(mf m, vf a, vf b) { return _mm512_mask_blend_ps(m, b, a); }
QK_INLINE vf vf_zero_if(mf m, vf a) { return _mm512_maskz_mov_ps((mf)~m, a); }
QK_INLINE vi vf_cvtt(vf a) { return _mm512_cvttps_epi32(a); }
QK_INLINE vi vf_as_vi(vf a) { return _mm512_castps_si512(a); }
QK_INLINE vf vi_as_vf(vi a) { return _mm512_castsi512_ps(a); }
QK_INLINE vi vi_add(vi a, vi b) { return _mm512_add_epi32(a, b); }
#define vi_shl(a, s) _mm512_slli_epi32((a), (s))
QK_INLINE vf vf_div(vf a, vf b) { return _mm512_div_ps(a, b); }
QK_INLINE vf vf_abs(vf a)
{
    return _mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a), _mm512_set1_epi32(0x7fffffff)));
}
QK_INLINE vf vf_or_sign(vf a, vf s)
{
    /* a | (s & sign), one vpternlogd: imm 0xf8 = A | (B & C) */
    return _mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_castps_si512(a), _mm512_castps_si512(s),
                                                         _mm512_set1_epi32((int)0x80000000u), 0xf8));
}
/* float16 status scans (semantics: scalar.h) */
QK_INLINE vi vi_set(int32_t c) { return _mm512_set1_epi32(c); }
QK_INLINE vi vi_sub(vi a, vi b) { return _mm512_sub_epi32(a, b); }
QK_INLINE vi vi_minu(vi a, vi b) { return _mm512_min_epu32(a, b); }
QK_INLINE int vi_any_ltu(vi a, uint32_t c)
{
    return _mm512_cmplt_epu32_mask(a, _mm512_set1_epi32((int32_t)c)) != 0;
}
/* float16 storage (semantics: scalar.h) */
QK_INLINE vf vf_load_half(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
QK_INLINE void vf_store_half(uint16_t *p, vf v)
{
    _mm256_storeu_si256((__m256i *)p, _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
}

/* ---- float64 ---- */
QK_INLINE vd vd_load(const double *p) { return _mm512_loadu_pd(p); }
QK_INLINE void vd_store(double *p, vd v) { _mm512_storeu_pd(p, v); }
QK_INLINE __mmask8 qk_tail_mask8(qk_size n) { return (__mmask8)((1u << n) - 1u); }
QK_INLINE vd vd_load_partial(const double *p, qk_size n) { return _mm512_maskz_loadu_pd(qk_tail_mask8(n), p); }
QK_INLINE void vd_store_partial(double *p, vd v, qk_size n) { _mm512_mask_storeu_pd(p, qk_tail_mask8(n), v); }
QK_INLINE vd vd_set(double c) { return _mm512_set1_pd(c); }
QK_INLINE vd vd_add(vd a, vd b) { return _mm512_add_pd(a, b); }
QK_INLINE vd vd_sub(vd a, vd b) { return _mm512_sub_pd(a, b); }
QK_INLINE vd vd_mul(vd a, vd b) { return _mm512_mul_pd(a, b); }
QK_INLINE vd vd_fma(vd a, vd b, vd c) { return _mm512_fmadd_pd(a, b, c); }
QK_INLINE vd vd_min(vd a, vd b) { return _mm512_min_pd(a, b); }
QK_INLINE vd vd_max(vd a, vd b) { return _mm512_max_pd(a, b); }
QK_INLINE vd vd_floor(vd a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
QK_INLINE md vd_lt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
QK_INLINE md vd_gt(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_GT_OQ); }
QK_INLINE md vd_isnan(vd a) { return _mm512_cmp_pd_mask(a, a, _CMP_UNORD_Q); }
QK_INLINE md vd_outside(vd a, vd lo, vd hi)
{
    return (md)(_mm512_cmp_pd_mask(a, lo, _CMP_NGE_UQ) | _mm512_cmp_pd_mask(a, hi, _CMP_NLE_UQ));
}
QK_INLINE md vd_not_le(vd a, vd b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLE_UQ); }
QK_INLINE md md_or(md a, md b) { return (md)(a | b); }
QK_INLINE md md_and(md a, md b) { return (md)(a & b); }
QK_INLINE int md_any(md m) { return m != 0; }
QK_INLINE vd vd_select(md m, vd a, vd b) { return _mm512_mask_blend_pd(m, b, a); }
QK_INLINE vd vd_zero_if(md m, vd a) { return _mm512_maskz_mov_pd((md)~m, a); }
QK_INLINE vl vd_as_vl(vd a) { return _mm512_castpd_si512(a); }
QK_INLINE vd vl_as_vd(vl a) { return _mm512_castsi512_pd(a); }
QK_INLINE vl vl_add(vl a, vl b) { return _mm512_add_epi64(a, b); }
#define vl_shl(a, s) _mm512_slli_epi64((a), (s))
QK_INLINE vl vl_sub(vl a, vl b) { return _mm512_sub_epi64(a, b); }
#define vl_shru(a, s) _mm512_srli_epi64((a), (s))
QK_INLINE vd vd_div(vd a, vd b) { return _mm512_div_pd(a, b); }
QK_INLINE vd vd_abs(vd a)
{
    return _mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a), _mm512_set1_epi64(INT64_MAX)));
}
QK_INLINE vd vd_or_sign(vd a, vd s)
{
    __m512i sign = _mm512_and_si512(_mm512_castpd_si512(s), _mm512_set1_epi64(INT64_MIN));
    return _mm512_castsi512_pd(_mm512_or_si512(_mm512_castpd_si512(a), sign));
}
/* vd_lut16x2 (scalar.h): the table, split into its even and odd entries,
 * lives in four registers (loads and split are loop-invariant); vpermi2pd
 * picks by the low four bits of each lane */
QK_INLINE void vd_lut16x2(const double *tab, vl i, vd *a, vd *b)
{
    const __m512i ev = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i od = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    __m512d t0 = _mm512_loadu_pd(tab), t1 = _mm512_loadu_pd(tab + 8);
    __m512d t2 = _mm512_loadu_pd(tab + 16), t3 = _mm512_loadu_pd(tab + 24);
    __m512d a0 = _mm512_permutex2var_pd(t0, ev, t1), a1 = _mm512_permutex2var_pd(t2, ev, t3);
    __m512d b0 = _mm512_permutex2var_pd(t0, od, t1), b1 = _mm512_permutex2var_pd(t2, od, t3);
    *a = _mm512_permutex2var_pd(a0, i, a1);
    *b = _mm512_permutex2var_pd(b0, i, b1);
}

/* vf_lut16x2 (scalar.h): each table is one register (a loop-invariant
 * load); vpermps picks by the low four bits of each lane */
QK_INLINE void vf_lut16x2(const float *tab, vi i, vf *a, vf *b)
{
    *a = _mm512_permutexvar_ps(i, _mm512_loadu_ps(tab));
    *b = _mm512_permutexvar_ps(i, _mm512_loadu_ps(tab + 16));
}

/* ---- row reductions (softmax family): see scalar.h ---- */
QK_INLINE vf vf_load_partial_or(const float *p, qk_size n, float fill)
{
    return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), qk_tail_mask16(n), p);
}
QK_INLINE vd vd_load_partial_or(const double *p, qk_size n, double fill)
{
    return _mm512_mask_loadu_pd(_mm512_set1_pd(fill), qk_tail_mask8(n), p);
}
QK_INLINE vd vf_widen(vf a, int k)
{
    __m256 h = k ? _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1))
                 : _mm512_castps512_ps256(a);
    return _mm512_cvtps_pd(h);
}
QK_INLINE float vf_hmax(vf a)
{
    __m256 hi = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1));
    __m256 m8 = _mm256_max_ps(_mm512_castps512_ps256(a), hi);
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m8), _mm256_extractf128_ps(m8, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    return _mm_cvtss_f32(_mm_max_ss(m4, _mm_shuffle_ps(m4, m4, 1)));
}
QK_INLINE double vd_hmax(vd a)
{
    __m256d m4 = _mm256_max_pd(_mm512_castpd512_pd256(a), _mm512_extractf64x4_pd(a, 1));
    __m128d m2 = _mm_max_pd(_mm256_castpd256_pd128(m4), _mm256_extractf128_pd(m4, 1));
    return _mm_cvtsd_f64(_mm_max_sd(m2, _mm_unpackhi_pd(m2, m2)));
}
QK_INLINE double vd_hadd(vd a)
{
    __m256d s4 = _mm256_add_pd(_mm512_castpd512_pd256(a), _mm512_extractf64x4_pd(a, 1));
    __m128d s2 = _mm_add_pd(_mm256_castpd256_pd128(s4), _mm256_extractf128_pd(s4, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)));
}

/* Rows in lanes (kernels/softmax_lanes_f32.h): vi_lane_offsets(bs) holds
 * lane r = r * bs (bytes; the caller checks |bs| * (QK_WF - 1) < 2^31),
 * vf_scatter writes lane r's float at p + lane offset;
 * vf_transpose16 turns 16 rows into 16 columns. */
QK_INLINE vi vi_lane_offsets(int32_t bs)
{
    return _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                              _mm512_set1_epi32(bs));
}
QK_INLINE void vf_scatter(char *p, vi off, vf v) { _mm512_i32scatter_ps(p, off, v, 1); }
/* every lane of m set (the lanes' per-row decisions, taken for 16 rows at once) */
QK_INLINE int mf_all(mf m) { return m == (mf)0xFFFF; }
/* The 16 x 16 block whose row r is v[r] becomes its transpose: afterwards
 * lane r of v[c] is what lane c of v[r] was.  Four rounds of 16 shuffles:
 * 32-bit pairs, 64-bit pairs (each 128-bit lane then holds a 4 x 4 tile
 * transposed), then the 4 x 4 grid of 128-bit lanes in two rounds of
 * shuffle_f32x4 (0x88 takes lanes 0, 2 of each operand, 0xdd lanes 1, 3). */
QK_INLINE void vf_transpose16(vf v[16])
{
    for (int i = 0; i < 16; i += 2) { /* each round in place: it reads what it overwrites */
        const __m512 a = v[i], b = v[i + 1];
        v[i] = _mm512_unpacklo_ps(a, b);
        v[i + 1] = _mm512_unpackhi_ps(a, b);
    }
    for (int g = 0; g < 16; g += 4) { /* v[g + m], 128-bit lane j: rows g..g+3, element 4j + m */
        const __m512d a = _mm512_castps_pd(v[g]), b = _mm512_castps_pd(v[g + 1]);
        const __m512d c = _mm512_castps_pd(v[g + 2]), d = _mm512_castps_pd(v[g + 3]);
        v[g] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
        v[g + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
        v[g + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
        v[g + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
    }
    for (int m = 0; m < 4; m++) { /* v[4j + m], lane q: the old v[4q + m]'s 128-bit lane j */
        const __m512 p = _mm512_shuffle_f32x4(v[m], v[4 + m], 0x88);
        const __m512 q = _mm512_shuffle_f32x4(v[m], v[4 + m], 0xdd);
        const __m512 r = _mm512_shuffle_f32x4(v[8 + m], v[12 + m], 0x88);
        const __m512 s = _mm512_shuffle_f32x4(v[8 + m], v[12 + m], 0xdd);
        v[m] = _mm512_shuffle_f32x4(p, r, 0x88);
        v[8 + m] = _mm512_shuffle_f32x4(p, r, 0xdd);
        v[4 + m] = _mm512_shuffle_f32x4(q, s, 0x88);
        v[12 + m] = _mm512_shuffle_f32x4(q, s, 0xdd);
    }
}

/* lanes of a then b, rounded to float32 (the inverse of vf_widen) */
QK_INLINE vf vf_narrow2(vd a, vd b)
{
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(_mm512_cvtpd_ps(a))),
                                               _mm256_castps_pd(_mm512_cvtpd_ps(b)), 1));
}

/* ---- slot tables (semantics: scalar.h): by value, one vpermt2ps on each
 * value's two halves of 16 slots (register-resident in a loop) ---- */
#define vi_shru(a, s) _mm512_srli_epi32((a), (s))
QK_INLINE void vf_slot8(const qk_slot_tab *t, vi i, vf c[8])
{
    for (int k = 0; k < 8; k++)
        c[k] = _mm512_permutex2var_ps(_mm512_load_ps(t->col[k]), i, _mm512_load_ps(t->col[k] + 16));
}
QK_INLINE mf vf_not_le(vf a, vf b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLE_UQ); }

#endif
