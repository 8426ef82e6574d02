/* AArch64 Advanced SIMD (NEON) implementation of the SIMD layer (see
 * scalar.h for the lane semantics every target reproduces).
 *
 * AArch64's ordered vector compares (FCMGT/FCMGE) raise FE_INVALID on any
 * NaN, unlike x86's _OQ predicates.  Only FCMEQ and FMINNM/FMAXNM are quiet
 * for quiet NaNs, so every comparison here is built from those: that keeps
 * np.exp(nan) free of spurious "invalid value" warnings.  x86 min/max
 * semantics (a < b ? a : b) are reproduced exactly, signed zeros included. */
#ifndef QUAKE_SIMD_NEON_H
#define QUAKE_SIMD_NEON_H

#include <arm_neon.h>

#include "quake/simd/slot_tab.h"
#include <stdint.h>
#include <string.h>

#define QK_WF 4
#define QK_WD 2

typedef float32x4_t vf;
typedef int32x4_t vi;
typedef uint32x4_t mf;
typedef float64x2_t vd;
typedef int64x2_t vl;
typedef uint64x2_t md;

/* ---- float32 ---- */
QK_INLINE vf vf_load(const float *p) { return vld1q_f32(p); }
QK_INLINE void vf_store(float *p, vf v) { vst1q_f32(p, v); }
QK_INLINE vf vf_load_partial(const float *p, qk_size n)
{
    float buf[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    memcpy(buf, p, (size_t)n * sizeof(float));
    return vld1q_f32(buf);
}
QK_INLINE void vf_store_partial(float *p, vf v, qk_size n)
{
    float buf[4];
    vst1q_f32(buf, v);
    memcpy(p, buf, (size_t)n * sizeof(float));
}
QK_INLINE vf vf_set(float c) { return vdupq_n_f32(c); }
QK_INLINE vf vf_add(vf a, vf b) { return vaddq_f32(a, b); }
QK_INLINE vf vf_sub(vf a, vf b) { return vsubq_f32(a, b); }
QK_INLINE vf vf_mul(vf a, vf b) { return vmulq_f32(a, b); }
QK_INLINE vf vf_fma(vf a, vf b, vf c) { return vfmaq_f32(c, a, b); }
QK_INLINE mf qk_notnan_f32(vf a) { return vceqq_f32(a, a); }
/* a < b, quiet, false if either is NaN: minnm(a, b) != b, both ordered */
QK_INLINE mf vf_lt(vf a, vf b)
{
    mf ordered = vandq_u32(qk_notnan_f32(a), qk_notnan_f32(b));
    return vbicq_u32(ordered, vceqq_f32(vminnmq_f32(a, b), b));
}
QK_INLINE mf vf_gt(vf a, vf b)
{
    mf ordered = vandq_u32(qk_notnan_f32(a), qk_notnan_f32(b));
    return vbicq_u32(ordered, vceqq_f32(vmaxnmq_f32(a, b), b));
}
QK_INLINE mf vf_isnan(vf a) { return vmvnq_u32(qk_notnan_f32(a)); }
/* !(lo <= a <= hi): clamping leaves a unchanged exactly when it is inside
 * (FMAX/FMIN propagate NaN, and NaN != anything) */
QK_INLINE mf vf_outside(vf a, vf lo, vf hi)
{
    return vmvnq_u32(vceqq_f32(vminq_f32(vmaxq_f32(a, lo), hi), a));
}
QK_INLINE mf mf_or(mf a, mf b) { return vorrq_u32(a, b); }
QK_INLINE mf mf_and(mf a, mf b) { return vandq_u32(a, b); }
QK_INLINE int mf_any(mf m) { return vmaxvq_u32(m) != 0; }
QK_INLINE vf vf_select(mf m, vf a, vf b) { return vbslq_f32(m, a, b); }
QK_INLINE vf vf_zero_if(mf m, vf a)
{
    return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(a), m));
}
QK_INLINE vf vf_min(vf a, vf b) { return vbslq_f32(vf_lt(a, b), a, b); }
QK_INLINE vf vf_max(vf a, vf b) { return vbslq_f32(vf_gt(a, b), a, b); }
QK_INLINE vf vf_floor(vf a) { return vrndmq_f32(a); }
QK_INLINE vi vf_cvtt(vf a) { return vcvtq_s32_f32(a); }
QK_INLINE vi vf_as_vi(vf a) { return vreinterpretq_s32_f32(a); }
QK_INLINE vf vi_as_vf(vi a) { return vreinterpretq_f32_s32(a); }
QK_INLINE vi vi_add(vi a, vi b) { return vaddq_s32(a, b); }
#define vi_shl(a, s) vshlq_n_s32((a), (s))
/* activations (semantics: scalar.h) */
QK_INLINE vf vf_div(vf a, vf b) { return vdivq_f32(a, b); }
QK_INLINE vf vf_abs(vf a) { return vabsq_f32(a); } /* FABS: clears the sign bit, no exception */
QK_INLINE vf vf_or_sign(vf a, vf s)
{
    uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(s), vdupq_n_u32(0x80000000u));
    return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(a), sign));
}
/* float16 status scans (semantics: scalar.h) */
QK_INLINE vi vi_set(int32_t c) { return vdupq_n_s32(c); }
QK_INLINE vi vi_sub(vi a, vi b) { return vsubq_s32(a, b); }
QK_INLINE vi vi_minu(vi a, vi b)
{
    return vreinterpretq_s32_u32(vminq_u32(vreinterpretq_u32_s32(a), vreinterpretq_u32_s32(b)));
}
QK_INLINE int vi_any_ltu(vi a, uint32_t c)
{
    return vmaxvq_u32(vcltq_u32(vreinterpretq_u32_s32(a), vdupq_n_u32(c))) != 0;
}
/* float16 storage (FCVT, FPCR rounding: nearest even unless the caller
 * changed it; semantics: scalar.h) */
QK_INLINE vf vf_load_half(const uint16_t *p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
QK_INLINE void vf_store_half(uint16_t *p, vf v) { vst1_u16(p, vreinterpret_u16_f16(vcvt_f16_f32(v))); }

/* ---- float64 ---- */
QK_INLINE vd vd_load(const double *p) { return vld1q_f64(p); }
QK_INLINE void vd_store(double *p, vd v) { vst1q_f64(p, v); }
QK_INLINE vd vd_load_partial(const double *p, qk_size n)
{
    double buf[2] = {0.0, 0.0};
    memcpy(buf, p, (size_t)n * sizeof(double));
    return vld1q_f64(buf);
}
QK_INLINE void vd_store_partial(double *p, vd v, qk_size n)
{
    double buf[2];
    vst1q_f64(buf, v);
    memcpy(p, buf, (size_t)n * sizeof(double));
}
QK_INLINE vd vd_set(double c) { return vdupq_n_f64(c); }
QK_INLINE vd vd_add(vd a, vd b) { return vaddq_f64(a, b); }
QK_INLINE vd vd_sub(vd a, vd b) { return vsubq_f64(a, b); }
QK_INLINE vd vd_mul(vd a, vd b) { return vmulq_f64(a, b); }
QK_INLINE vd vd_fma(vd a, vd b, vd c) { return vfmaq_f64(c, a, b); }
QK_INLINE md qk_notnan_f64(vd a) { return vceqq_f64(a, a); }
QK_INLINE md vd_lt(vd a, vd b)
{
    md ordered = vandq_u64(qk_notnan_f64(a), qk_notnan_f64(b));
    return vbicq_u64(ordered, vceqq_f64(vminnmq_f64(a, b), b));
}
QK_INLINE md vd_gt(vd a, vd b)
{
    md ordered = vandq_u64(qk_notnan_f64(a), qk_notnan_f64(b));
    return vbicq_u64(ordered, vceqq_f64(vmaxnmq_f64(a, b), b));
}
QK_INLINE md qk_not_u64(md a) { return vreinterpretq_u64_u32(vmvnq_u32(vreinterpretq_u32_u64(a))); }
QK_INLINE md vd_isnan(vd a) { return qk_not_u64(qk_notnan_f64(a)); }
QK_INLINE md vd_outside(vd a, vd lo, vd hi)
{
    return qk_not_u64(vceqq_f64(vminq_f64(vmaxq_f64(a, lo), hi), a));
}
/* !(a <= b): min(a, b) == a exactly when a <= b (FMIN propagates NaN) */
QK_INLINE md vd_not_le(vd a, vd b) { return qk_not_u64(vceqq_f64(vminq_f64(a, b), a)); }
QK_INLINE md md_or(md a, md b) { return vorrq_u64(a, b); }
QK_INLINE md md_and(md a, md b) { return vandq_u64(a, b); }
QK_INLINE int md_any(md m) { return vmaxvq_u32(vreinterpretq_u32_u64(m)) != 0; }
QK_INLINE vd vd_select(md m, vd a, vd b) { return vbslq_f64(m, a, b); }
QK_INLINE vd vd_zero_if(md m, vd a)
{
    return vreinterpretq_f64_u64(vbicq_u64(vreinterpretq_u64_f64(a), m));
}
QK_INLINE vd vd_min(vd a, vd b) { return vbslq_f64(vd_lt(a, b), a, b); }
QK_INLINE vd vd_max(vd a, vd b) { return vbslq_f64(vd_gt(a, b), a, b); }
QK_INLINE vd vd_floor(vd a) { return vrndmq_f64(a); }
QK_INLINE vl vd_as_vl(vd a) { return vreinterpretq_s64_f64(a); }
QK_INLINE vd vl_as_vd(vl a) { return vreinterpretq_f64_s64(a); }
QK_INLINE vl vl_add(vl a, vl b) { return vaddq_s64(a, b); }
#define vl_shl(a, s) vshlq_n_s64((a), (s))
QK_INLINE vl vl_sub(vl a, vl b) { return vsubq_s64(a, b); }
#define vl_shru(a, s) vreinterpretq_s64_u64(vshrq_n_u64(vreinterpretq_u64_s64(a), (s)))
QK_INLINE vd vd_div(vd a, vd b) { return vdivq_f64(a, b); }
QK_INLINE vd vd_abs(vd a) { return vabsq_f64(a); }
QK_INLINE vd vd_or_sign(vd a, vd s)
{
    uint64x2_t sign = vandq_u64(vreinterpretq_u64_f64(s), vdupq_n_u64(0x8000000000000000u));
    return vreinterpretq_f64_u64(vorrq_u64(vreinterpretq_u64_f64(a), sign));
}
/* vd_lut16x2 (scalar.h): one 16-byte load of the pair per lane, then zips */
QK_INLINE void vd_lut16x2(const double *tab, vl i, vd *a, vd *b)
{
    vd e0 = vld1q_f64(tab + 2 * (vgetq_lane_s64(i, 0) & 15));
    vd e1 = vld1q_f64(tab + 2 * (vgetq_lane_s64(i, 1) & 15));
    *a = vzip1q_f64(e0, e1);
    *b = vzip2q_f64(e0, e1);
}

/* vf_lut16x2 (scalar.h): each table is four byte registers (loop-invariant
 * loads) and one tbl; the byte indices 4j + {0, 1, 2, 3} of each lane come
 * from j = i & 15 by one multiply-add */
QK_INLINE void vf_lut16x2(const float *tab, vi i, vf *a, vf *b)
{
    const uint8_t *p = (const uint8_t *)tab;
    uint8x16x4_t ta = {{vld1q_u8(p), vld1q_u8(p + 16), vld1q_u8(p + 32), vld1q_u8(p + 48)}};
    uint8x16x4_t tb = {{vld1q_u8(p + 64), vld1q_u8(p + 80), vld1q_u8(p + 96), vld1q_u8(p + 112)}};
    uint32x4_t j = vandq_u32(vreinterpretq_u32_s32(i), vdupq_n_u32(15));
    uint8x16_t ix = vreinterpretq_u8_u32(vmlaq_n_u32(vdupq_n_u32(0x03020100u), j, 0x04040404u));
    *a = vreinterpretq_f32_u8(vqtbl4q_u8(ta, ix));
    *b = vreinterpretq_f32_u8(vqtbl4q_u8(tb, ix));
}

/* ---- row reductions (softmax family): see scalar.h ---- */
QK_INLINE vf vf_load_partial_or(const float *p, qk_size n, float fill)
{
    float buf[4] = {fill, fill, fill, fill};
    memcpy(buf, p, (size_t)n * sizeof(float));
    return vld1q_f32(buf);
}
QK_INLINE vd vd_load_partial_or(const double *p, qk_size n, double fill)
{
    double buf[2] = {fill, fill};
    memcpy(buf, p, (size_t)n * sizeof(double));
    return vld1q_f64(buf);
}
QK_INLINE vd vf_widen(vf a, int k) { return k ? vcvt_high_f64_f32(a) : vcvt_f64_f32(vget_low_f32(a)); }
QK_INLINE float vf_hmax(vf a)
{
    vf m = vf_max(a, vcombine_f32(vget_high_f32(a), vget_high_f32(a))); /* lane k vs k + 2 */
    m = vf_max(m, vdupq_laneq_f32(m, 1));                               /* lane 0 vs 1 */
    return vgetq_lane_f32(m, 0);
}
QK_INLINE double vd_hmax(vd a) { return vgetq_lane_f64(vd_max(a, vdupq_laneq_f64(a, 1)), 0); }
QK_INLINE double vd_hadd(vd a) { return vgetq_lane_f64(a, 0) + vgetq_lane_f64(a, 1); }

/* ---- slot tables (semantics: scalar.h): by slot, each lane's eight values
 * in two loads, two 4 x 4 transposes (trn1/trn2 on 32-bit, then on 64-bit
 * pairs): 8 loads and 16 permutes for 8 values, against two 4-register byte
 * table lookups per value ---- */
#define vi_shru(a, s) vreinterpretq_s32_u32(vshrq_n_u32(vreinterpretq_u32_s32(a), (s)))
QK_INLINE float32x4_t qk_trn_f64(float32x4_t a, float32x4_t b, int second)
{
    float64x2_t x = vreinterpretq_f64_f32(a), y = vreinterpretq_f64_f32(b);
    return vreinterpretq_f32_f64(second ? vtrn2q_f64(x, y) : vtrn1q_f64(x, y));
}
QK_INLINE void vf_slot8(const qk_slot_tab *t, vi i, vf c[8])
{
    uint32x4_t j = vandq_u32(vreinterpretq_u32_s32(i), vdupq_n_u32(31));
    const float *r0 = t->row[vgetq_lane_u32(j, 0)], *r1 = t->row[vgetq_lane_u32(j, 1)];
    const float *r2 = t->row[vgetq_lane_u32(j, 2)], *r3 = t->row[vgetq_lane_u32(j, 3)];
    for (int h = 0; h < 8; h += 4) {
        float32x4_t a = vld1q_f32(r0 + h), b = vld1q_f32(r1 + h);
        float32x4_t e = vld1q_f32(r2 + h), d = vld1q_f32(r3 + h);
        float32x4_t t0 = vtrn1q_f32(a, b), t1 = vtrn2q_f32(a, b); /* a0 b0 a2 b2, a1 b1 a3 b3 */
        float32x4_t t2 = vtrn1q_f32(e, d), t3 = vtrn2q_f32(e, d);
        c[h + 0] = qk_trn_f64(t0, t2, 0); /* a0 b0 e0 d0 */
        c[h + 1] = qk_trn_f64(t1, t3, 0);
        c[h + 2] = qk_trn_f64(t0, t2, 1);
        c[h + 3] = qk_trn_f64(t1, t3, 1);
    }
}
/* as vd_not_le: FMIN and FCMEQ stay quiet on quiet NaNs (FCMGE would not) */
QK_INLINE mf vf_not_le(vf a, vf b) { return vmvnq_u32(vceqq_f32(vminq_f32(a, b), a)); }

#endif
