/* Exponential building blocks of the float32 activation kernels: what
 * differs from float64 (act_exp_f64.h has the same names and signatures;
 * the shared pieces are generic, act_exp.h).  They are exp's constructions
 * (kernels/exp_f32.h, consts/exp.h), exposed in the pieces the activations
 * need: the precise reduction and q 2^n (for scaled products m e^t), the
 * table-free polynomial (gelu), and the approximate tiers' E = e^w over
 * the clamped range of consts/act.h. */
#ifndef QUAKE_KERNELS_ACT_EXP_F32_H
#define QUAKE_KERNELS_ACT_EXP_F32_H

#include "quake/consts/act.h"

/* ---- precise: exp's 16-entry table and degree-3 polynomial, as
 * float64's (act_exp_f64.h) ----
 * (q, z) pairs stand for q 2^n, z = n + QK_MAGIC_BIASED_F32 (so that
 * qk_act_pow2_f32(z) = 2^n for normal 2^n); q = T_j (1 + w), about [1, 2].
 * e^t is exp's own construction, 0.56 ULP where normal (the degree-5
 * polynomial these kernels used before issue 15 had 1.01). */
QK_INLINE vf qk_act_pow2_f32(vf z) { return vi_as_vf(vi_shl(vf_as_vi(z), 23)); }

/* ---- the table-free construction, kept for gelu's Gaussian factor
 * (kernels/gelu_f32.h, which splits -a^2/2 in two pieces around the
 * reduction): n = round(t log2 e), r = t - n ln2 (Cody-Waite), e^r = 1 +
 * r p(r), p exp's degree-5 QK_EXP_P*_F32 ---- */
QK_INLINE vf qk_act_poly_reduce_f32(vf t, vf *z) { return qk_exp_p_f32_r(t, z); }
QK_INLINE vf qk_act_poly_f32(vf r) { return qk_exp_p_f32_poly(r); }

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
