/* float32 gelu_tanh: 0.5 x (1 + tanh u) = x sigmoid(2u) = x / (1 + e^-g),
 * g = 2u = K (x + 0.044715 x^3), three tiers (constants: consts/gelu.h).
 *
 * Approximate tiers: E = e^-g with -K and -K c folded into the exponential's
 * constants (order 1: v = x (A + B x^2) + c0 in two FMAs), y = x / (1 + E);
 * E clamped as for sigmoid, results below -10.0 flushed to -0.
 * Precise: as silu, with g(|x|) in double-float so the exponential sees its
 * argument to ~2^-40 relative: y = num / (1 + e), e = e^-g(|x|), num = x
 * (x > 0) or x e (formed inside the final scaling). */
#ifndef QUAKE_KERNELS_GELU_TANH_F32_H
#define QUAKE_KERNELS_GELU_TANH_F32_H

#include "quake/consts/gelu.h"
#include "quake/kernels/act_exp_f32.h"

/* ---- order 1 ---- */
QK_INLINE vf qk_gt_q1_v_f32(vf x)
{
    vf p = vf_fma(vf_mul(x, x), vf_set(QK_GT_Q1_B_F32), vf_set(QK_GT_Q1_A_F32));
    return vf_fma(x, p, vf_set(QK_EXP_Q1_C0_F32));
}
QK_INLINE vf gelu_tanh_q1_f32_core(vf x)
{
    vf e = qk_act_q1_bits_f32(qk_gt_q1_v_f32(x));
    return vf_div(x, vf_add(vf_set(1.0f), e));
}
QK_INLINE vf gelu_tanh_q1_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x);
    vf xc = vf_min(vf_max(x0, vf_set(-2.0f * QK_GT_FAST_F32)), vf_set(2.0f * QK_GT_FAST_F32));
    vf e = qk_act_q1_bits_f32(qk_act_q1_clamp_f32(qk_gt_q1_v_f32(xc)));
    vf y = vf_div(x0, vf_add(vf_set(1.0f), e));
    y = vf_select(vf_gt(x0, vf_set(QK_GT_FAST_F32)), x0, y); /* E < 2^-122: exactly x */
    return qk_act_q_patch_f32(x, y, QK_GT_XFLUSH_F32, -0.0f);
}
QK_DEFINE_UNARY_F32(gelu_tanh_q1_f32, gelu_tanh, -QK_GT_FAST_F32, QK_GT_FAST_F32)

/* ---- order 2 ---- */
QK_INLINE vf qk_gt_q2_t_f32(vf x)
{
    return vf_mul(x, vf_fma(vf_mul(x, x), vf_set(QK_GT_Q2_B_F32), vf_set(QK_GT_Q2_A_F32)));
}
QK_INLINE vf gelu_tanh_q2_f32_core(vf x)
{
    vf e = qk_exp_q2_f32_eval(qk_gt_q2_t_f32(x));
    return vf_div(x, vf_add(vf_set(1.0f), e));
}
QK_INLINE vf gelu_tanh_q2_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x);
    vf xc = vf_min(vf_max(x0, vf_set(-2.0f * QK_GT_FAST_F32)), vf_set(2.0f * QK_GT_FAST_F32));
    vf e = qk_exp_q2_f32_eval(qk_act_q2_clamp_f32(qk_gt_q2_t_f32(xc)));
    vf y = vf_div(x0, vf_add(vf_set(1.0f), e));
    y = vf_select(vf_gt(x0, vf_set(QK_GT_FAST_F32)), x0, y); /* E < 2^-122: exactly x */
    return qk_act_q_patch_f32(x, y, QK_GT_XFLUSH_F32, -0.0f);
}
QK_DEFINE_UNARY_F32(gelu_tanh_q2_f32, gelu_tanh, -QK_GT_FAST_F32, QK_GT_FAST_F32)

/* ---- precise ---- */
QK_INLINE vf qk_neg_f32(vf a) { return vf_or_sign(a, vf_set(-1.0f)); } /* -a for a >= +0 */

/* g(a) = K a + K c a^3 = gh + gl for a >= 0 (double-float: exact squares
 * and products by FMA, a TwoSum for K + K c a^2, and the low parts of the
 * constants). */
QK_INLINE vf qk_gt_g_f32(vf a, vf *gl)
{
    vf sh = vf_mul(a, a);
    vf sl = vf_fma(a, a, qk_neg_f32(sh));
    vf mh = vf_mul(vf_set(QK_GT_KC_HI_F32), sh);
    vf ml = vf_fma(vf_set(QK_GT_KC_HI_F32), sh, qk_neg_f32(mh));
    ml = vf_fma(vf_set(QK_GT_KC_HI_F32), sl, ml);
    ml = vf_fma(vf_set(QK_GT_KC_LO_F32), sh, ml);
    vf kh = vf_set(QK_GT_K_HI_F32);
    vf ph = vf_add(kh, mh); /* TwoSum(kh, mh) */
    vf bb = vf_sub(ph, kh);
    vf pl = vf_add(vf_sub(kh, vf_sub(ph, bb)), vf_sub(mh, bb));
    pl = vf_add(pl, vf_add(ml, vf_set(QK_GT_K_LO_F32)));
    vf gh = vf_mul(a, ph);
    *gl = vf_fma(a, pl, vf_fma(a, ph, qk_neg_f32(gh)));
    return gh;
}

/* e^-(gh + gl) as q 2^n: n from gh, the low part subtracted from r */
QK_INLINE vf qk_gt_exp_f32(vf a, vf *z)
{
    vf gl;
    vf gh = qk_gt_g_f32(a, &gl);
    vf r = vf_sub(qk_act_reduce_f32(qk_neg_f32(gh), z), gl);
    return vf_fma(r, qk_act_poly_f32(r), vf_set(1.0f));
}

QK_INLINE vf gelu_tanh_precise_f32_core(vf x)
{
    vf z;
    vf q = qk_gt_exp_f32(vf_abs(x), &z);
    vf e = vf_mul(q, qk_act_pow2_f32(z));
    vf num = vf_select(vf_gt(x, vf_set(0.0f)), x, vf_mul(x, e));
    return vf_div(num, vf_add(vf_set(1.0f), e));
}
QK_INLINE vf gelu_tanh_precise_f32_full(vf x, int *st)
{
    (void)st;
    mf nan = vf_isnan(x), small = vf_lt(x, vf_set(QK_GT_XZERO_F32));
    vf x0 = vf_zero_if(mf_or(nan, small), x);
    vf xc = vf_min(x0, vf_set(QK_GT_CLAMP_F32)); /* x > 9.9: e^-g only feeds 1 + e */
    vf z;
    vf q = qk_gt_exp_f32(vf_abs(xc), &z);
    vf xm = qk_act_scale_full_f32(q, z, xc);
    vf e = qk_act_e_for_sum_f32(q, z);
    vf num = vf_select(vf_gt(xc, vf_set(0.0f)), x0, xm);
    vf y = vf_div(num, vf_add(vf_set(1.0f), e));
    y = vf_select(vf_gt(x0, vf_set(QK_GT_FAST_F32)), x0, y); /* exactly x */
    y = vf_select(small, vf_set(-0.0f), y);
    return qk_act_nan_patch_f32(nan, x, y);
}
QK_DEFINE_UNARY_F32(gelu_tanh_precise_f32, gelu_tanh, -QK_GT_FAST_F32, QK_GT_FAST_F32)

#endif
