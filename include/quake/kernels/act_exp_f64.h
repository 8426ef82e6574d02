/* Exponential building blocks of the float64 activation kernels: what
 * differs from float32 (see act_exp_f32.h, same names and signatures;
 * generic pieces: act_exp.h; exp's constructions from kernels/exp_f64.h). */
#ifndef QUAKE_KERNELS_ACT_EXP_F64_H
#define QUAKE_KERNELS_ACT_EXP_F64_H

#include "quake/consts/act.h"

/* ---- precise: exp's 16-entry table and degree-6 polynomial ----
 * (q, z) pairs stand for q 2^n, z = n + QK_MAGIC_BIASED_F64 (so that
 * qk_act_pow2_f64(z) = 2^n for normal 2^n); q = T_j (1 + tmp), about
 * [1, 2], from the table (sigmoid, silu, gelu_tanh), or q = 1 + r p(r),
 * about [0.7, 1.42], from the degree-10 construction below (gelu): the
 * scaling helpers take either. */
QK_INLINE vd qk_act_pow2_f64(vd z) { return vl_as_vd(vl_shl(vd_as_vl(z), 52)); }

/* ---- the table-free construction, kept for tanh's expm1 and gelu (s - 1
 * exact for s = 2^n; no lookup: measured faster for those two on AVX2, on
 * par on AVX-512): n = round(t log2 e), r = t - n ln2 (Cody-Waite), e^r =
 * 1 + r p(r), p the degree-10 QK_EXP_P*_F64 ---- */
QK_INLINE vd qk_act_poly_f64(vd rr) /* p(r): e^r = 1 + r p(r) */
{
    vd p = vd_fma(vd_set(QK_EXP_P10_F64), rr, vd_set(QK_EXP_P9_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P8_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P7_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P6_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P5_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P4_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P3_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P2_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P1_F64));
    p = vd_fma(p, rr, vd_set(QK_EXP_P0_F64));
    return p;
}

/* expm1(t) for t in [-40, 0]: s (r p) + (s - 1), s = 2^n, s - 1 exact
 * (n >= -53) */
QK_INLINE vd qk_act_expm1_f64(vd t)
{
    vd z = vd_fma(t, vd_set(QK_LOG2E_F64), vd_set(QK_MAGIC_BIASED_F64));
    vd n = vd_sub(z, vd_set(QK_MAGIC_BIASED_F64));
    vd r = vd_fma(n, vd_set(-QK_LN2_HI_F64), t);
    r = vd_fma(n, vd_set(-QK_LN2_LO_F64), r);
    vd s = qk_act_pow2_f64(z);
    return vd_fma(vd_mul(s, r), qk_act_poly_f64(r), vd_sub(s, vd_set(1.0)));
}

/* ---- approximate tiers: t = w log2 e (order 1: shifted by -sigma),
 * clamped to [-1022, 1022] so E is in [2^-1022, 2^1022] ---- */
QK_INLINE vd qk_act_q_clamp_f64(vd t)
{
    return vd_min(vd_max(t, vd_set(-QK_ACT_TMAX_F64)), vd_set(QK_ACT_TMAX_F64));
}

/* act_exp_f32.h's approximate interface: u = w log2 e - sigma (order 1),
 * t = w log2 e (order 2), clamped when `clamp` */
QK_INLINE vd qk_act_q1_f64(vd u, int clamp)
{
    return qk_exp_q1_f64_eval(clamp ? qk_act_q_clamp_f64(u) : u);
}
QK_INLINE vd qk_act_q2_f64(vd t, int clamp)
{
    return qk_exp_q2_f64_eval(clamp ? qk_act_q_clamp_f64(t) : t);
}

#endif
