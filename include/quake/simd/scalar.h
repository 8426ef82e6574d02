/* The scalar "SIMD" layer: vectors of one lane.
 *
 * Every kernel template is written against the vf_* (float32) and vd_*
 * (float64) operations below; each SIMD target provides the same names with
 * the same per-lane semantics.  Because the scalar layer uses fmaf/fma and the
 * same operation order, it is the bit-exact reference for all targets.
 * Semantics fixed for all targets:
 *   min/max(a, b): a < b ? a : b / a > b ? a : b   (x86 minps/maxps order)
 *   comparisons are quiet (no FE_INVALID for NaN) and false on NaN,
 *   vf_outside(x, lo, hi) = !(lo <= x <= hi), true on NaN,
 *   cvtt truncates toward zero (only used on in-range values),
 *   integer arithmetic wraps (two's complement),
 *   *_load_partial(p, n) reads p[0..n-1] (0 < n < W) and zero-fills the
 *   other lanes; *_store_partial writes p[0..n-1] only,
 *   vf_div is IEEE division (correctly rounded on every target), vf_abs
 *   clears the sign bit, vf_or_sign(a, s) ORs the sign bit of s into a,
 *   vf_load_half(p) widens QK_WF binary16 values p[0..W-1] exactly (a
 *   signalling NaN is quieted and raises FE_INVALID, as F16C/FCVT do) and
 *   vf_store_half(p, v) rounds to binary16 to nearest even (simd/half.h
 *   is the bit-exact reference of both),
 *   vi_sub wraps, vi_minu is the unsigned minimum of lanes, vi_any_ltu(a, c)
 *   says whether some lane has (uint32_t)a < c (c >= 1).
 */
#ifndef QUAKE_SIMD_SCALAR_H
#define QUAKE_SIMD_SCALAR_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/simd/half.h"
#include "quake/simd/slot_tab.h"

#define QK_WF 1 /* float32 lanes */
#define QK_WD 1 /* float64 lanes */

typedef float vf;
typedef int32_t vi;
typedef int mf;
typedef double vd;
typedef int64_t vl;
typedef int md;

/* ---- float32 ---- */
QK_INLINE vf vf_load(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
QK_INLINE void vf_store(float *p, vf v) { memcpy(p, &v, sizeof v); }
QK_INLINE vf vf_load_partial(const float *p, qk_size n) { (void)n; return vf_load(p); }
QK_INLINE void vf_store_partial(float *p, vf v, qk_size n) { (void)n; vf_store(p, v); }
QK_INLINE vf vf_set(float c) { return c; }
QK_INLINE vf vf_add(vf a, vf b) { return a + b; }
QK_INLINE vf vf_sub(vf a, vf b) { return a - b; }
QK_INLINE vf vf_mul(vf a, vf b) { return a * b; }
QK_INLINE vf vf_fma(vf a, vf b, vf c) { return fmaf(a, b, c); }
QK_INLINE vf vf_min(vf a, vf b) { return a < b ? a : b; }
QK_INLINE vf vf_max(vf a, vf b) { return a > b ? a : b; }
QK_INLINE vf vf_floor(vf a) { return floorf(a); }
QK_INLINE mf vf_lt(vf a, vf b) { return isless(a, b); }
QK_INLINE mf vf_gt(vf a, vf b) { return isgreater(a, b); }
QK_INLINE mf vf_isnan(vf a) { return isunordered(a, a); }
QK_INLINE mf vf_outside(vf a, vf lo, vf hi) { return !(isgreaterequal(a, lo) && islessequal(a, hi)); }
QK_INLINE mf mf_or(mf a, mf b) { return a | b; }
QK_INLINE mf mf_and(mf a, mf b) { return a & b; }
QK_INLINE int mf_any(mf m) { return m != 0; }
QK_INLINE vf vf_select(mf m, vf a, vf b) { return m ? a : b; }
QK_INLINE vf vf_zero_if(mf m, vf a) { return m ? 0.0f : a; }
QK_INLINE vi vf_cvtt(vf a) { return (vi)a; }
QK_INLINE vi vf_as_vi(vf a) { vi r; memcpy(&r, &a, sizeof r); return r; }
QK_INLINE vf vi_as_vf(vi a) { vf r; memcpy(&r, &a, sizeof r); return r; }
QK_INLINE vi vi_add(vi a, vi b) { return (vi)((uint32_t)a + (uint32_t)b); }
QK_INLINE vi vi_shl(vi a, int s) { return (vi)((uint32_t)a << s); }
/* activations: IEEE division, |a| (sign bit cleared, NaN payload kept),
 * a with the sign bit of s ORed in (a is +0 or positive in every use) */
QK_INLINE vf vf_div(vf a, vf b) { return a / b; }
QK_INLINE vf vf_abs(vf a) { vi i = vf_as_vi(a) & 0x7fffffff; return vi_as_vf(i); }
QK_INLINE vf vf_or_sign(vf a, vf s)
{
    uint32_t ia, is;
    memcpy(&ia, &a, 4);
    memcpy(&is, &s, 4);
    ia |= is & 0x80000000u;
    memcpy(&a, &ia, 4);
    return a;
}
/* float16 status scans (semantics above) */
QK_INLINE vi vi_set(int32_t c) { return c; }
QK_INLINE vi vi_sub(vi a, vi b) { return (vi)((uint32_t)a - (uint32_t)b); }
QK_INLINE vi vi_minu(vi a, vi b) { return (uint32_t)a < (uint32_t)b ? a : b; }
QK_INLINE int vi_any_ltu(vi a, uint32_t c) { return (uint32_t)a < c; }
/* float16 storage (semantics above) */
QK_INLINE vf vf_load_half(const uint16_t *p) { return qk_half_to_float(*p); }
QK_INLINE void vf_store_half(uint16_t *p, vf v) { *p = qk_float_to_half(v); }

/* ---- float64 ---- */
QK_INLINE vd vd_load(const double *p) { vd v; memcpy(&v, p, sizeof v); return v; }
QK_INLINE void vd_store(double *p, vd v) { memcpy(p, &v, sizeof v); }
QK_INLINE vd vd_load_partial(const double *p, qk_size n) { (void)n; return vd_load(p); }
QK_INLINE void vd_store_partial(double *p, vd v, qk_size n) { (void)n; vd_store(p, v); }
QK_INLINE vd vd_set(double c) { return c; }
QK_INLINE vd vd_add(vd a, vd b) { return a + b; }
QK_INLINE vd vd_sub(vd a, vd b) { return a - b; }
QK_INLINE vd vd_mul(vd a, vd b) { return a * b; }
QK_INLINE vd vd_fma(vd a, vd b, vd c) { return fma(a, b, c); }
QK_INLINE vd vd_min(vd a, vd b) { return a < b ? a : b; }
QK_INLINE vd vd_max(vd a, vd b) { return a > b ? a : b; }
QK_INLINE vd vd_floor(vd a) { return floor(a); }
QK_INLINE md vd_lt(vd a, vd b) { return isless(a, b); }
QK_INLINE md vd_gt(vd a, vd b) { return isgreater(a, b); }
QK_INLINE md vd_isnan(vd a) { return isunordered(a, a); }
QK_INLINE md vd_outside(vd a, vd lo, vd hi) { return !(isgreaterequal(a, lo) && islessequal(a, hi)); }
/* vd_not_le(a, b) = !(a <= b): a > b, or a or b NaN (quiet) */
QK_INLINE md vd_not_le(vd a, vd b) { return !islessequal(a, b); }
QK_INLINE md md_or(md a, md b) { return a | b; }
QK_INLINE md md_and(md a, md b) { return a & b; }
QK_INLINE int md_any(md m) { return m != 0; }
QK_INLINE vd vd_select(md m, vd a, vd b) { return m ? a : b; }
QK_INLINE vd vd_zero_if(md m, vd a) { return m ? 0.0 : a; }
QK_INLINE vl vd_as_vl(vd a) { vl r; memcpy(&r, &a, sizeof r); return r; }
QK_INLINE vd vl_as_vd(vl a) { vd r; memcpy(&r, &a, sizeof r); return r; }
QK_INLINE vl vl_add(vl a, vl b) { return (vl)((uint64_t)a + (uint64_t)b); }
QK_INLINE vl vl_shl(vl a, int s) { return (vl)((uint64_t)a << s); }
QK_INLINE vl vl_sub(vl a, vl b) { return (vl)((uint64_t)a - (uint64_t)b); }
QK_INLINE vl vl_shru(vl a, int s) { return (vl)((uint64_t)a >> s); } /* zero-filling */
QK_INLINE vd vd_div(vd a, vd b) { return a / b; }
QK_INLINE vd vd_abs(vd a) { vl i = vd_as_vl(a) & INT64_MAX; return vl_as_vd(i); }
QK_INLINE vd vd_or_sign(vd a, vd s)
{
    uint64_t ia, is;
    memcpy(&ia, &a, 8);
    memcpy(&is, &s, 8);
    ia |= is & 0x8000000000000000u;
    memcpy(&a, &ia, 8);
    return a;
}
/* vd_lut16x2(tab, i, &a, &b): a 16-entry table of pairs, tab[2j], tab[2j+1]
 * (32 doubles): lanes a = tab[2j], b = tab[2j + 1] for j = i & 15 (the low
 * four bits of each 64-bit lane, so every i gives a valid index) */
QK_INLINE void vd_lut16x2(const double *tab, vl i, vd *a, vd *b)
{
    size_t j = (size_t)((uint64_t)i & 15u);
    *a = tab[2 * j];
    *b = tab[2 * j + 1];
}

/* vf_lut16x2(tab, i, &a, &b): two 16-entry tables, tab[0..15] and
 * tab[16..31]: lanes a = tab[j], b = tab[16 + j] for j = i & 15 (the low
 * four bits of each 32-bit lane, so every i gives a valid index) */
QK_INLINE void vf_lut16x2(const float *tab, vi i, vf *a, vf *b)
{
    size_t j = (size_t)((uint32_t)i & 15u);
    *a = tab[j];
    *b = tab[16 + j];
}

/* ---- row reductions (softmax family) ----
 * *_load_partial_or(p, n, fill): like *_load_partial, idle lanes = fill.
 * vf_widen(a, k): lanes [k*QK_WD, (k+1)*QK_WD) of a, converted to float64
 * (exact), for 0 <= k < QK_WF / QK_WD. */
QK_INLINE vf vf_load_partial_or(const float *p, qk_size n, float fill) { (void)n; (void)fill; return vf_load(p); }
QK_INLINE vd vd_load_partial_or(const double *p, qk_size n, double fill) { (void)n; (void)fill; return vd_load(p); }
QK_INLINE vd vf_widen(vf a, int k) { (void)k; return (double)a; }
/* Halving-tree reductions of one register: lane k op= lane k + h for
 * h = W/2, ..., 1 (max keeps the lower lane as first operand), lane 0. */
QK_INLINE float vf_hmax(vf a) { return a; }
QK_INLINE double vd_hmax(vd a) { return a; }
QK_INLINE double vd_hadd(vd a) { return a; }

/* ---- slot tables (the precise float32 tanh and gelu, kernels/slot_poly_f32.h) ----
 * vi_shru(a, s): each 32-bit lane shifted right by s, zero-filling;
 * vf_slot8(t, i, c): c[k] = t->row[i & 31][k], k = 0..7, per lane (the low five
 * bits of each lane, so every i gives a valid slot; simd/slot_tab.h). */
QK_INLINE vi vi_shru(vi a, int s) { return (vi)((uint32_t)a >> s); }
QK_INLINE void vf_slot8(const qk_slot_tab *t, vi i, vf c[8])
{
    const float *r = t->row[(uint32_t)i & 31u];
    for (int k = 0; k < 8; k++)
        c[k] = r[k];
}
/* vf_not_le(a, b): !(a <= b), true for NaN (a symmetric window's test) */
QK_INLINE mf vf_not_le(vf a, vf b) { return !islessequal(a, b); }

#endif
