/* float64 tanh, three tiers (method: tanh_f32.h). */
#ifndef QUAKE_KERNELS_TANH_F64_H
#define QUAKE_KERNELS_TANH_F64_H

#include "quake/kernels/act_exp_f64.h"

QK_INLINE vd qk_tanh_q_poly_f64(vd a, double c)
{
    return vd_mul(a, vd_fma(vd_mul(a, a), vd_set(c), vd_set(1.0)));
}
QK_INLINE vd qk_tanh_q_join_f64(vd x, vd a, vd e, double a0, double c, double pa0)
{
    vd one = vd_set(1.0);
    vd ex = vd_div(vd_sub(one, e), vd_add(one, e));
    vd poly = qk_tanh_q_poly_f64(a, c);
    vd y = vd_select(vd_lt(a, vd_set(a0)), poly, vd_max(ex, vd_set(pa0)));
    return vd_or_sign(y, x);
}

/* ---- order 1 / order 2: E = e^-2a ---- */
QK_INLINE vd qk_tanh_q1_f64(vd x, vd a)
{
    vd t = vd_fma(a, vd_set(-2.0 * QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64));
    return qk_tanh_q_join_f64(x, a, qk_exp_q1_f64_eval(t), QK_TANH_Q1_A0, QK_TANH_Q1_C, QK_TANH_Q1_PA0_F64);
}
QK_INLINE vd tanh_q1_f64_core(vd x) { return qk_tanh_q1_f64(x, vd_abs(x)); }
QK_INLINE vd tanh_q1_f64_full(vd x, int *st)
{
    (void)st;
    vd a = vd_min(vd_zero_if(vd_isnan(x), vd_abs(x)), vd_set(QK_TANH_QCLAMP_F64));
    vd y = qk_tanh_q1_f64(x, a);
    y = vd_select(vd_gt(vd_abs(x), vd_set(QK_TANH_QAMAX_F64)), vd_or_sign(vd_set(1.0), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f64(vd_isnan(x), x, y);
}
QK_DEFINE_UNARY_F64(tanh_q1_f64, tanh, -QK_TANH_QAMAX_F64, QK_TANH_QAMAX_F64)

QK_INLINE vd qk_tanh_q2_f64(vd x, vd a)
{
    vd e = qk_exp_q2_f64_eval(vd_mul(a, vd_set(-2.0 * QK_LOG2E_F64)));
    return qk_tanh_q_join_f64(x, a, e, QK_TANH_Q2_A0, QK_TANH_Q2_C, QK_TANH_Q2_PA0_F64);
}
QK_INLINE vd tanh_q2_f64_core(vd x) { return qk_tanh_q2_f64(x, vd_abs(x)); }
QK_INLINE vd tanh_q2_f64_full(vd x, int *st)
{
    (void)st;
    vd a = vd_min(vd_zero_if(vd_isnan(x), vd_abs(x)), vd_set(QK_TANH_QCLAMP_F64));
    vd y = qk_tanh_q2_f64(x, a);
    y = vd_select(vd_gt(vd_abs(x), vd_set(QK_TANH_QAMAX_F64)), vd_or_sign(vd_set(1.0), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f64(vd_isnan(x), x, y);
}
QK_DEFINE_UNARY_F64(tanh_q2_f64, tanh, -QK_TANH_QAMAX_F64, QK_TANH_QAMAX_F64)

/* ---- precise ---- */
QK_INLINE vd qk_tanh_precise_f64(vd x, vd a)
{
    vd m = qk_act_expm1_f64(vd_mul(a, vd_set(-2.0)));
    return vd_or_sign(vd_div(vd_abs(m), vd_add(vd_set(2.0), m)), x);
}
QK_INLINE vd tanh_precise_f64_core(vd x) { return qk_tanh_precise_f64(x, vd_abs(x)); }
QK_INLINE vd tanh_precise_f64_full(vd x, int *st)
{
    (void)st;
    vd a = vd_min(vd_zero_if(vd_isnan(x), vd_abs(x)), vd_set(QK_TANH_CLAMP_F64));
    vd y = qk_tanh_precise_f64(x, a);
    y = vd_select(vd_gt(vd_abs(x), vd_set(QK_TANH_AMAX_F64)), vd_or_sign(vd_set(1.0), x), y); /* +-1 exactly */
    return qk_act_nan_patch_f64(vd_isnan(x), x, y);
}
QK_DEFINE_UNARY_F64(tanh_precise_f64, tanh, -QK_TANH_AMAX_F64, QK_TANH_AMAX_F64)

#endif
