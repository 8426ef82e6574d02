/* float32 silu (swish), x sigmoid(x), three tiers: the method of
 * sigmoid_f32.h with x as the numerator (approximate tiers x / (1 + E);
 * precise x / (1 + e) or x e / (1 + e), x e formed inside the exponential's
 * final two-factor scaling).  Shares sigmoid's helpers and windows. */
#ifndef QUAKE_KERNELS_SILU_F32_H
#define QUAKE_KERNELS_SILU_F32_H

#include "quake/kernels/sigmoid_f32.h"

QK_INLINE vf silu_q1_f32_core(vf x)
{
    vf e = qk_act_q1_bits_f32(qk_sigmoid_q1_e_f32(x));
    return vf_div(x, vf_add(vf_set(1.0f), e));
}
QK_INLINE vf silu_q1_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x), xc = qk_sigmoid_q_x0_f32(x);
    vf e = qk_act_q1_bits_f32(qk_act_q1_clamp_f32(qk_sigmoid_q1_e_f32(xc)));
    return qk_sigmoid_q_patch_f32(x, vf_div(x0, vf_add(vf_set(1.0f), e)), x0, -0.0f);
}
QK_DEFINE_UNARY_F32(silu_q1_f32, silu, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

QK_INLINE vf silu_q2_f32_core(vf x)
{
    vf e = qk_exp_q2_f32_eval(vf_mul(x, vf_set(-QK_LOG2E_F32)));
    return vf_div(x, vf_add(vf_set(1.0f), e));
}
QK_INLINE vf silu_q2_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x), xc = qk_sigmoid_q_x0_f32(x);
    vf e = qk_exp_q2_f32_eval(qk_act_q2_clamp_f32(vf_mul(xc, vf_set(-QK_LOG2E_F32))));
    return qk_sigmoid_q_patch_f32(x, vf_div(x0, vf_add(vf_set(1.0f), e)), x0, -0.0f);
}
QK_DEFINE_UNARY_F32(silu_q2_f32, silu, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

QK_INLINE vf silu_precise_f32_core(vf x)
{
    vf z, r;
    vf p = qk_act_exp_poly_f32(vf_or_sign(vf_abs(x), vf_set(-1.0f)), &z, &r);
    vf e = vf_mul(vf_fma(r, p, vf_set(1.0f)), qk_act_pow2_f32(z));
    vf num = vf_select(vf_gt(x, vf_set(0.0f)), x, vf_mul(x, e));
    return vf_div(num, vf_add(vf_set(1.0f), e));
}
/* x > 87 gives x exactly (+inf included, no flag); the exponential there
 * is evaluated at the clamp, 87.3, where e^-x is still normal. */
QK_INLINE vf silu_precise_f32_full(vf x, int *st)
{
    (void)st;
    mf nan = vf_isnan(x), small = vf_lt(x, vf_set(QK_SILU_XZERO_F32));
    vf x0 = vf_zero_if(mf_or(nan, small), x);
    vf xe = vf_min(x0, vf_set(QK_SIGMOID_CLAMP_F32));
    vf q, z;
    vf xm = qk_act_mexp_full_f32(vf_or_sign(vf_abs(xe), vf_set(-1.0f)), xe, &q, &z);
    vf e = qk_act_e_for_sum_f32(q, z);
    vf num = vf_select(vf_gt(x0, vf_set(0.0f)), x0, xm);
    vf y = vf_div(num, vf_add(vf_set(1.0f), e));
    y = vf_select(vf_gt(x0, vf_set(QK_SIGMOID_FAST_F32)), x0, y); /* exactly x */
    y = vf_select(small, vf_set(-0.0f), y);
    return qk_act_nan_patch_f32(nan, x, y);
}
QK_DEFINE_UNARY_F32(silu_precise_f32, silu, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

#endif
