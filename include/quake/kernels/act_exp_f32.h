/* Exponential building blocks of the float32 activation kernels: what
 * differs from float64 (act_exp_f64.h has the same names and signatures;
 * the shared pieces are generic, act_exp.h).  They are exp's constructions
 * (kernels/exp_f32.h, consts/exp.h), exposed in the pieces the activations
 * need: the precise reduction with its polynomial (for expm1 and for scaled
 * products m e^t), and the approximate tiers' E = e^w over the clamped
 * range of consts/act.h. */
#ifndef QUAKE_KERNELS_ACT_EXP_F32_H
#define QUAKE_KERNELS_ACT_EXP_F32_H

#include "quake/consts/act.h"

/* ---- precise: exp's reduction and degree-5 p(r), e^r = 1 + r p(r) ---- */
QK_INLINE vf qk_act_poly_f32(vf r) { return qk_exp_p_f32_poly(r); }

/* n = round(t log2 e) (as *z = n + the biased magic constant), returns
 * r = t - n ln2 (Cody-Waite, exact first step). */
QK_INLINE vf qk_act_reduce_f32(vf t, vf *z) { return qk_exp_p_f32_r(t, z); }

/* e^(r + (t - r)) = q 2^n from the reduction: *z for 2^n (act_exp_f64.h:
 * the same from the table) */
QK_INLINE vf qk_act_q_f32(vf r, vf zr, vf *z)
{
    *z = zr;
    return vf_fma(r, qk_act_poly_f32(r), vf_set(1.0f));
}

QK_INLINE vf qk_act_pow2_f32(vf z) { return vi_as_vf(vi_shl(vf_as_vi(z), 23)); }

/* e^t for t in [-87, 0] (normal result): q 2^n, exact scaling. */
QK_INLINE vf qk_act_exp_core_f32(vf t)
{
    vf z;
    vf q = qk_exp_p_f32_reduce(t, &z);
    return vf_mul(q, qk_act_pow2_f32(z));
}

/* expm1(t) for t in [-19, 0]: s (r p) + (s - 1) with s = 2^n exact and
 * s - 1 exact (n >= -24), one rounding: no cancellation near 0. */
QK_INLINE vf qk_act_expm1_f32(vf t)
{
    vf z;
    vf r = qk_act_reduce_f32(t, &z);
    vf s = qk_act_pow2_f32(z);
    return vf_fma(vf_mul(s, r), qk_act_poly_f32(r), vf_sub(s, vf_set(1.0f)));
}

/* ---- approximate tiers (the interface act_exp_f64.h shares) ----
 * order 1: E = qk_act_q1_f32(u, clamp), u = w QK_EXP_Q1_K + QK_EXP_Q1_B
 * (here bits(int(c1 w + c0))) formed by the caller with the input scale
 * folded into K; order 2: E = qk_act_q2_f32(t, clamp), t = w log2 e, exp's
 * quadratic-on-the-octave evaluation.  `clamp` (a constant) selects the
 * full-range variant: E in [2^-126, 2^126]. */
QK_INLINE vf qk_act_q1_f32(vf u, int clamp)
{
    if (clamp)
        u = vf_min(vf_max(u, vf_set(QK_ACT_Q1_VMIN_F32)), vf_set(QK_ACT_Q1_VMAX_F32));
    return qk_exp_q1_f32_bits(u);
}
QK_INLINE vf qk_act_q2_f32(vf t, int clamp)
{
    if (clamp)
        t = vf_min(vf_max(t, vf_set(-QK_ACT_TMAX_F32)), vf_set(QK_ACT_TMAX_F32));
    return qk_exp_q2_f32_eval(t);
}

#endif
