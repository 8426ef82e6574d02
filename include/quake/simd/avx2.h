/* AVX2 + FMA implementation of the SIMD layer (see scalar.h for the
 * semantics every target must reproduce lane by lane).
 * Include <immintrin.h> before the target region opens. */
#ifndef QUAKE_SIMD_AVX2_H
#define QUAKE_SIMD_AVX2_H

#include <immintrin.h>
#include <stdint.h>

#include "quake/simd/slot_tab.h"

#define QK_WF 8
#define QK_WD 4

typedef __m256 vf;
typedef __m256i vi;
typedef __m256 mf;
typedef __m256d vd;
typedef __m256i vl;
typedef __m256d md;

/* ---- float32 ---- */
QK_INLINE vf vf_load(const float *p) { return _mm256_loadu_ps(p); }
QK_INLINE void vf_store(float *p, vf v) { _mm256_storeu_ps(p, v); }
/* lanes i < n: all-ones (vpmaskmov takes the sign bit of each lane) */
QK_INLINE __m256i qk_tail_mask32(qk_size n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
QK_INLINE __m256i qk_tail_mask64(qk_size n)
{
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n), _mm256_setr_epi64x(0, 1, 2, 3));
}
QK_INLINE vf vf_load_partial(const float *p, qk_size n) { return _mm256_maskload_ps(p, qk_tail_mask32(n)); }
QK_INLINE void vf_store_partial(float *p, vf v, qk_size n) { _mm256_maskstore_ps(p, qk_tail_mask32(n), v); }
QK_INLINE vf vf_set(float c) { return _mm256_set1_ps(c); }
QK_INLINE vf vf_add(vf a, vf b) { return _mm256_add_ps(a, b); }
QK_INLINE vf vf_sub(vf a, vf b) { return _mm256_sub_ps(a, b); }
QK_INLINE vf vf_mul(vf a, vf b) { return _mm256_mul_ps(a, b); }
QK_INLINE vf vf_fma(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
QK_INLINE vf vf_min(vf a, vf b) { return _mm256_min_ps(a, b); }
QK_INLINE vf vf_max(vf a, vf b) { return _mm256_max_ps(a, b); }
QK_INLINE vf vf_floor(vf a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
QK_INLINE mf vf_lt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
QK_INLINE mf vf_gt(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
QK_INLINE mf vf_isnan(vf a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
QK_INLINE mf vf_outside(vf a, vf lo, vf hi)
{
    return _mm256_or_ps(_mm256_cmp_ps(a, lo, _CMP_NGE_UQ), _mm256_cmp_ps(a, hi, _CMP_NLE_UQ));
}
QK_INLINE mf mf_or(mf a, mf b) { return _mm256_or_ps(a, b); }
QK_INLINE mf mf_and(mf a, mf b) { return _mm256_and_ps(a, b); }
QK_INLINE int mf_any(mf m) { return !_mm256_testz_ps(m, m); }
QK_INLINE vf vf_select(mf m, vf a, vf b) { return _mm256_blendv_ps(b, a, m); }
QK_INLINE vf vf_zero_if(mf m, vf a) { return _mm256_andnot_ps(m, a); }
QK_INLINE vi vf_cvtt(vf a) { return _mm256_cvttps_epi32(a); }
QK_INLINE vi vf_as_vi(vf a) { return _mm256_castps_si256(a); }
QK_INLINE vf vi_as_vf(vi a) { return _mm256_castsi256_ps(a); }
QK_INLINE vi vi_add(vi a, vi b) { return _mm256_add_epi32(a, b); }
#define vi_shl(a, s) _mm256_slli_epi32((a), (s))
QK_INLINE vf vf_div(vf a, vf b) { return _mm256_div_ps(a, b); }
QK_INLINE vf vf_abs(vf a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
QK_INLINE vf vf_or_sign(vf a, vf s) { return _mm256_or_ps(a, _mm256_and_ps(s, _mm256_set1_ps(-0.0f))); }
/* float16 status scans (semantics: scalar.h) */
QK_INLINE vi vi_set(int32_t c) { return _mm256_set1_epi32(c); }
QK_INLINE vi vi_sub(vi a, vi b) { return _mm256_sub_epi32(a, b); }
QK_INLINE vi vi_minu(vi a, vi b) { return _mm256_min_epu32(a, b); }
QK_INLINE int vi_any_ltu(vi a, uint32_t c) /* a <= c - 1 <=> minu(a, c - 1) == a */
{
    __m256i le = _mm256_cmpeq_epi32(_mm256_min_epu32(a, _mm256_set1_epi32((int32_t)(c - 1u))), a);
    return !_mm256_testz_si256(le, le);
}
/* float16 storage (F16C; semantics: scalar.h) */
QK_INLINE vf vf_load_half(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
QK_INLINE void vf_store_half(uint16_t *p, vf v)
{
    _mm_storeu_si128((__m128i *)p, _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
}

/* ---- float64 ---- */
QK_INLINE vd vd_load(const double *p) { return _mm256_loadu_pd(p); }
QK_INLINE void vd_store(double *p, vd v) { _mm256_storeu_pd(p, v); }
QK_INLINE vd vd_load_partial(const double *p, qk_size n) { return _mm256_maskload_pd(p, qk_tail_mask64(n)); }
QK_INLINE void vd_store_partial(double *p, vd v, qk_size n) { _mm256_maskstore_pd(p, qk_tail_mask64(n), v); }
QK_INLINE vd vd_set(double c) { return _mm256_set1_pd(c); }
QK_INLINE vd vd_add(vd a, vd b) { return _mm256_add_pd(a, b); }
QK_INLINE vd vd_sub(vd a, vd b) { return _mm256_sub_pd(a, b); }
QK_INLINE vd vd_mul(vd a, vd b) { return _mm256_mul_pd(a, b); }
QK_INLINE vd vd_fma(vd a, vd b, vd c) { return _mm256_fmadd_pd(a, b, c); }
QK_INLINE vd vd_min(vd a, vd b) { return _mm256_min_pd(a, b); }
QK_INLINE vd vd_max(vd a, vd b) { return _mm256_max_pd(a, b); }
QK_INLINE vd vd_floor(vd a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
QK_INLINE md vd_lt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
QK_INLINE md vd_gt(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_GT_OQ); }
QK_INLINE md vd_isnan(vd a) { return _mm256_cmp_pd(a, a, _CMP_UNORD_Q); }
QK_INLINE md vd_outside(vd a, vd lo, vd hi)
{
    return _mm256_or_pd(_mm256_cmp_pd(a, lo, _CMP_NGE_UQ), _mm256_cmp_pd(a, hi, _CMP_NLE_UQ));
}
QK_INLINE md vd_not_le(vd a, vd b) { return _mm256_cmp_pd(a, b, _CMP_NLE_UQ); }
QK_INLINE md md_or(md a, md b) { return _mm256_or_pd(a, b); }
QK_INLINE md md_and(md a, md b) { return _mm256_and_pd(a, b); }
QK_INLINE int md_any(md m) { return !_mm256_testz_pd(m, m); }
QK_INLINE vd vd_select(md m, vd a, vd b) { return _mm256_blendv_pd(b, a, m); }
QK_INLINE vd vd_zero_if(md m, vd a) { return _mm256_andnot_pd(m, a); }
QK_INLINE vl vd_as_vl(vd a) { return _mm256_castpd_si256(a); }
QK_INLINE vd vl_as_vd(vl a) { return _mm256_castsi256_pd(a); }
QK_INLINE vl vl_add(vl a, vl b) { return _mm256_add_epi64(a, b); }
#define vl_shl(a, s) _mm256_slli_epi64((a), (s))
QK_INLINE vl vl_sub(vl a, vl b) { return _mm256_sub_epi64(a, b); }
#define vl_shru(a, s) _mm256_srli_epi64((a), (s))
QK_INLINE vd vd_div(vd a, vd b) { return _mm256_div_pd(a, b); }
QK_INLINE vd vd_abs(vd a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
QK_INLINE vd vd_or_sign(vd a, vd s) { return _mm256_or_pd(a, _mm256_and_pd(s, _mm256_set1_pd(-0.0))); }
/* vd_lut16x2 (scalar.h): the four indices go through memory (store
 * forwarding) to scalar registers, each lane's pair is one 16-byte load,
 * and two unpacks sort the pairs into a and b.  On the machines measured
 * this beats both gathers and in-register permutes (16 entries need four
 * vpermps and three blends per table). */
QK_INLINE void vd_lut16x2(const double *tab, vl i, vd *a, vd *b)
{
    int64_t ix[4];
    _mm256_storeu_si256((__m256i *)ix, i);
    __m128d e0 = _mm_loadu_pd(tab + 2 * (ix[0] & 15));
    __m128d e1 = _mm_loadu_pd(tab + 2 * (ix[1] & 15));
    __m256d lo = _mm256_insertf128_pd(_mm256_castpd128_pd256(e0), _mm_loadu_pd(tab + 2 * (ix[2] & 15)), 1);
    __m256d hi = _mm256_insertf128_pd(_mm256_castpd128_pd256(e1), _mm_loadu_pd(tab + 2 * (ix[3] & 15)), 1);
    *a = _mm256_unpacklo_pd(lo, hi);
    *b = _mm256_unpackhi_pd(lo, hi);
}

/* vf_lut16x2 (scalar.h): each table is two registers (loop-invariant
 * loads); vpermps picks within both halves by the low three bits, and bit 3
 * (shifted into the sign bit) blends the two */
QK_INLINE void vf_lut16x2(const float *tab, vi i, vf *a, vf *b)
{
    __m256 hi = _mm256_castsi256_ps(_mm256_slli_epi32(i, 28));
    __m256 a0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(tab), i);
    __m256 a1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(tab + 8), i);
    __m256 b0 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(tab + 16), i);
    __m256 b1 = _mm256_permutevar8x32_ps(_mm256_loadu_ps(tab + 24), i);
    *a = _mm256_blendv_ps(a0, a1, hi);
    *b = _mm256_blendv_ps(b0, b1, hi);
}

/* ---- row reductions (softmax family): see scalar.h ---- */
QK_INLINE vf vf_load_partial_or(const float *p, qk_size n, float fill)
{
    __m256i m = qk_tail_mask32(n);
    return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
QK_INLINE vd vd_load_partial_or(const double *p, qk_size n, double fill)
{
    __m256i m = qk_tail_mask64(n);
    return _mm256_blendv_pd(_mm256_set1_pd(fill), _mm256_maskload_pd(p, m), _mm256_castsi256_pd(m));
}
QK_INLINE vd vf_widen(vf a, int k)
{
    return _mm256_cvtps_pd(k ? _mm256_extractf128_ps(a, 1) : _mm256_castps256_ps128(a));
}
QK_INLINE float qk_hmax4(__m128 a)
{
    a = _mm_max_ps(a, _mm_movehl_ps(a, a));
    return _mm_cvtss_f32(_mm_max_ss(a, _mm_shuffle_ps(a, a, 1)));
}
QK_INLINE double qk_hadd2(__m128d a) { return _mm_cvtsd_f64(_mm_add_sd(a, _mm_unpackhi_pd(a, a))); }
QK_INLINE float vf_hmax(vf a)
{
    return qk_hmax4(_mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1)));
}
QK_INLINE double vd_hmax(vd a)
{
    __m128d m = _mm_max_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1));
    return _mm_cvtsd_f64(_mm_max_sd(m, _mm_unpackhi_pd(m, m)));
}
QK_INLINE double vd_hadd(vd a)
{
    return qk_hadd2(_mm_add_pd(_mm256_castpd256_pd128(a), _mm256_extractf128_pd(a, 1)));
}

/* ---- slot tables (semantics: scalar.h): by slot.  The eight indices go
 * through memory (store forwarding) to scalar registers; m[j] holds lane j's
 * values 0-3 in its low half and lane j + 4's in its high half, and a 4 x 4
 * transpose in each half (two unpacks, two shuffles per pair) turns four such
 * registers into four values of all eight lanes.  8 row loads and 16 shuffles
 * for 8 values, against 4 vpermps and 3 blends per value by permutes ---- */
#define vi_shru(a, s) _mm256_srli_epi32((a), (s))
QK_INLINE void qk_transpose4_halves(const __m256 m[4], __m256 out[4])
{
    __m256 t0 = _mm256_unpacklo_ps(m[0], m[1]), t1 = _mm256_unpackhi_ps(m[0], m[1]);
    __m256 t2 = _mm256_unpacklo_ps(m[2], m[3]), t3 = _mm256_unpackhi_ps(m[2], m[3]);
    out[0] = _mm256_shuffle_ps(t0, t2, 0x44); /* element 0 of m[0..3] */
    out[1] = _mm256_shuffle_ps(t0, t2, 0xEE); /* element 1 */
    out[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    out[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}
QK_INLINE void vf_slot8(const qk_slot_tab *t, vi i, vf c[8])
{
    int32_t ix[8];
    _mm256_storeu_si256((__m256i *)ix, _mm256_and_si256(i, _mm256_set1_epi32(31)));
    __m256 lo[4], hi[4];
    for (int j = 0; j < 4; j++) {
        const float *a = t->row[ix[j]], *b = t->row[ix[j + 4]];
        lo[j] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_load_ps(a)), _mm_load_ps(b), 1);
        hi[j] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_load_ps(a + 4)), _mm_load_ps(b + 4), 1);
    }
    qk_transpose4_halves(lo, c);
    qk_transpose4_halves(hi, c + 4);
}
QK_INLINE mf vf_not_le(vf a, vf b) { return _mm256_cmp_ps(a, b, _CMP_NLE_UQ); }

#endif
