/* float32 tanh, three tiers; tanh is odd: every tier computes |tanh| from
 * a = |x| and ORs the sign of x back in (tanh(-0) = -0).
 *
 * Approximate tiers: (1 - E)/(1 + E), E = e^-2a with the factor -2 folded
 * into the exponential's constants, for a >= A0; below A0 the exp form's
 * relative error (E's error over sinh 2a) would blow up, and the odd
 * polynomial a (1 + c a^2) is used (consts/act.h).  Past A0 the result is
 * max(exp form, P(A0)), which keeps the join monotonic.
 *
 * Precise: -m / (2 + m), m = expm1(-2a) from exp's reduction: relative
 * accuracy everywhere, down to tanh(x) = x for tiny x. */
#ifndef QUAKE_KERNELS_TANH_F32_H
#define QUAKE_KERNELS_TANH_F32_H

#include "quake/kernels/act_exp_f32.h"

QK_INLINE vf qk_tanh_q_poly_f32(vf a, float c)
{
    return vf_mul(a, vf_fma(vf_mul(a, a), vf_set(c), vf_set(1.0f)));
}
QK_INLINE vf qk_tanh_q_join_f32(vf x, vf a, vf e, float a0, float c, float pa0)
{
    vf one = vf_set(1.0f);
    vf ex = vf_div(vf_sub(one, e), vf_add(one, e));
    vf poly = qk_tanh_q_poly_f32(a, c);
    vf y = vf_select(vf_lt(a, vf_set(a0)), poly, vf_max(ex, vf_set(pa0)));
    return vf_or_sign(y, x);
}

/* ---- order 1: E = bits(int(-2 c1 a + c0)) ---- */
QK_INLINE vf qk_tanh_q1_f32(vf x, vf a)
{
    vf v = vf_fma(a, vf_set(-2.0f * QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
    return qk_tanh_q_join_f32(x, a, qk_act_q1_bits_f32(v), QK_TANH_Q1_A0, QK_TANH_Q1_C, QK_TANH_Q1_PA0_F32);
}
QK_INLINE vf tanh_q1_f32_core(vf x) { return qk_tanh_q1_f32(x, vf_abs(x)); }
QK_INLINE vf tanh_q1_f32_full(vf x, int *st)
{
    (void)st;
    vf a = vf_min(vf_zero_if(vf_isnan(x), vf_abs(x)), vf_set(QK_TANH_QCLAMP_F32)); /* NaN -> the bound */
    vf y = qk_tanh_q1_f32(x, a);
    y = vf_select(vf_gt(vf_abs(x), vf_set(QK_TANH_QAMAX_F32)), vf_or_sign(vf_set(1.0f), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f32(vf_isnan(x), x, y);
}
QK_DEFINE_UNARY_F32(tanh_q1_f32, tanh, -QK_TANH_QAMAX_F32, QK_TANH_QAMAX_F32)

/* ---- order 2: E = 2^t p(f), t = -2 a log2 e ---- */
QK_INLINE vf qk_tanh_q2_f32(vf x, vf a)
{
    vf e = qk_exp_q2_f32_eval(vf_mul(a, vf_set(-2.0f * QK_LOG2E_F32)));
    return qk_tanh_q_join_f32(x, a, e, QK_TANH_Q2_A0, QK_TANH_Q2_C, QK_TANH_Q2_PA0_F32);
}
QK_INLINE vf tanh_q2_f32_core(vf x) { return qk_tanh_q2_f32(x, vf_abs(x)); }
QK_INLINE vf tanh_q2_f32_full(vf x, int *st)
{
    (void)st;
    vf a = vf_min(vf_zero_if(vf_isnan(x), vf_abs(x)), vf_set(QK_TANH_QCLAMP_F32));
    vf y = qk_tanh_q2_f32(x, a);
    y = vf_select(vf_gt(vf_abs(x), vf_set(QK_TANH_QAMAX_F32)), vf_or_sign(vf_set(1.0f), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f32(vf_isnan(x), x, y);
}
QK_DEFINE_UNARY_F32(tanh_q2_f32, tanh, -QK_TANH_QAMAX_F32, QK_TANH_QAMAX_F32)

/* ---- precise ---- */
QK_INLINE vf qk_tanh_precise_f32(vf x, vf a)
{
    vf m = qk_act_expm1_f32(vf_mul(a, vf_set(-2.0f))); /* in (-1, 0] */
    vf y = vf_div(vf_abs(m) /* -m */, vf_add(vf_set(2.0f), m));
    return vf_or_sign(y, x);
}
QK_INLINE vf tanh_precise_f32_core(vf x) { return qk_tanh_precise_f32(x, vf_abs(x)); }
QK_INLINE vf tanh_precise_f32_full(vf x, int *st)
{
    (void)st;
    vf a = vf_min(vf_zero_if(vf_isnan(x), vf_abs(x)), vf_set(QK_TANH_CLAMP_F32));
    vf y = qk_tanh_precise_f32(x, a);
    y = vf_select(vf_gt(vf_abs(x), vf_set(QK_TANH_AMAX_F32)), vf_or_sign(vf_set(1.0f), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f32(vf_isnan(x), x, y);
}
QK_DEFINE_UNARY_F32(tanh_precise_f32, tanh, -QK_TANH_AMAX_F32, QK_TANH_AMAX_F32)

#endif
