/* float64 silu (swish), x sigmoid(x), three tiers: the method of
 * sigmoid_f64.h with x as the numerator (approximate tiers x / (1 + E);
 * precise x / (1 + e) or x e / (1 + e), x e formed inside the exponential's
 * final two-factor scaling).  Shares sigmoid's helpers and windows. */
#ifndef QUAKE_KERNELS_SILU_F64_H
#define QUAKE_KERNELS_SILU_F64_H

#include "quake/kernels/sigmoid_f64.h"

QK_INLINE vd silu_q1_f64_core(vd x)
{
    return vd_div(x, vd_add(vd_set(1.0), qk_sigmoid_q1_e_f64(x, 0)));
}
QK_INLINE vd silu_q1_f64_full(vd x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd x0 = vd_zero_if(vd_isnan(x), x), xc = qk_sigmoid_q_x0_f64(x);
    vd y = vd_div(x0, vd_add(vd_set(1.0), qk_sigmoid_q1_e_f64(xc, 1)));
    return qk_sigmoid_q_patch_f64(x, y, x0, -0.0);
}
QK_DEFINE_UNARY_F64(silu_q1_f64, silu, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

QK_INLINE vd silu_q2_f64_core(vd x)
{
    return vd_div(x, vd_add(vd_set(1.0), qk_sigmoid_q2_e_f64(x, 0)));
}
QK_INLINE vd silu_q2_f64_full(vd x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd x0 = vd_zero_if(vd_isnan(x), x), xc = qk_sigmoid_q_x0_f64(x);
    vd y = vd_div(x0, vd_add(vd_set(1.0), qk_sigmoid_q2_e_f64(xc, 1)));
    return qk_sigmoid_q_patch_f64(x, y, x0, -0.0);
}
QK_DEFINE_UNARY_F64(silu_q2_f64, silu, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

QK_INLINE vd silu_precise_f64_core(vd x)
{
    vd e = qk_act_exp_core_f64(vd_or_sign(vd_abs(x), vd_set(-1.0)));
    vd num = vd_select(vd_gt(x, vd_set(0.0)), x, vd_mul(x, e));
    return vd_div(num, vd_add(vd_set(1.0), e));
}
QK_INLINE vd silu_precise_f64_full(vd x, int *st)
{
    (void)st;
    md nan = vd_isnan(x), small = vd_lt(x, vd_set(QK_SILU_XZERO_F64));
    vd x0 = vd_zero_if(md_or(nan, small), x);
    vd xe = vd_min(x0, vd_set(QK_SIGMOID_CLAMP_F64));
    vd q, z;
    vd xm = qk_act_mexp_full_f64(vd_or_sign(vd_abs(xe), vd_set(-1.0)), xe, &q, &z);
    vd e = qk_act_e_for_sum_f64(q, z);
    vd num = vd_select(vd_gt(x0, vd_set(0.0)), x0, xm);
    vd y = vd_div(num, vd_add(vd_set(1.0), e));
    y = vd_select(vd_gt(x0, vd_set(QK_SIGMOID_FAST_F64)), x0, y); /* exactly x */
    y = vd_select(small, vd_set(-0.0), y);
    return qk_act_nan_patch_f64(nan, x, y);
}
QK_DEFINE_UNARY_F64(silu_precise_f64, silu, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

#endif
