/* float64 gelu_tanh, three tiers: the method of gelu_tanh_f32.h with
 * float64 constants; order 1 evaluates exp's float64 order-1 function,
 * results below -21.1 are flushed, x > 21 uses e^-g(21) for 1 + e. */
#ifndef QUAKE_KERNELS_GELU_TANH_F64_H
#define QUAKE_KERNELS_GELU_TANH_F64_H

#include "quake/consts/gelu.h"
#include "quake/kernels/act_exp_f64.h"

/* ---- order 1 / order 2: t = -g log2 e (order 1 shifted by -sigma) ---- */
QK_INLINE vd qk_gt_q_p_f64(vd x)
{
    return vd_fma(vd_mul(x, x), vd_set(QK_GT_Q_B_F64), vd_set(QK_GT_Q_A_F64));
}
QK_INLINE vd qk_gt_q_e_f64(vd x, int order, int clamp)
{
    vd t = order == 1 ? vd_fma(x, qk_gt_q_p_f64(x), vd_set(-QK_EXP_Q1_SIGMA_F64))
                      : vd_mul(x, qk_gt_q_p_f64(x));
    if (clamp)
        t = qk_act_q_clamp_f64(t);
    return order == 1 ? qk_exp_q1_f64_eval(t) : qk_exp_q2_f64_eval(t);
}
QK_INLINE vd qk_gt_q_full_f64(vd x, int order, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd x0 = vd_zero_if(vd_isnan(x), x);
    vd xc = vd_min(vd_max(x0, vd_set(-2.0 * QK_GT_FAST_F64)), vd_set(2.0 * QK_GT_FAST_F64));
    vd y = vd_div(x0, vd_add(vd_set(1.0), qk_gt_q_e_f64(xc, order, 1)));
    y = vd_select(vd_gt(x0, vd_set(QK_GT_FAST_F64)), x0, y); /* E < 2^-1000: exactly x */
    return qk_act_q_patch_f64(x, y, QK_GT_XFLUSH_F64, -0.0);
}
QK_INLINE vd gelu_tanh_q1_f64_core(vd x) { return vd_div(x, vd_add(vd_set(1.0), qk_gt_q_e_f64(x, 1, 0))); }
QK_INLINE vd gelu_tanh_q1_f64_full(vd x, int *st) { return qk_gt_q_full_f64(x, 1, st); }
QK_DEFINE_UNARY_F64(gelu_tanh_q1_f64, gelu_tanh, -QK_GT_FAST_F64, QK_GT_FAST_F64)
QK_INLINE vd gelu_tanh_q2_f64_core(vd x) { return vd_div(x, vd_add(vd_set(1.0), qk_gt_q_e_f64(x, 2, 0))); }
QK_INLINE vd gelu_tanh_q2_f64_full(vd x, int *st) { return qk_gt_q_full_f64(x, 2, st); }
QK_DEFINE_UNARY_F64(gelu_tanh_q2_f64, gelu_tanh, -QK_GT_FAST_F64, QK_GT_FAST_F64)

/* ---- precise ---- */
QK_INLINE vd qk_neg_f64(vd a) { return vd_or_sign(a, vd_set(-1.0)); } /* -a for a >= +0 */

/* g(a) = K a + K c a^3 = gh + gl for a >= 0 (double-float: exact squares
 * and products by FMA, a TwoSum for K + K c a^2, and the low parts of the
 * constants). */
QK_INLINE vd qk_gt_g_f64(vd a, vd *gl)
{
    vd sh = vd_mul(a, a);
    vd sl = vd_fma(a, a, qk_neg_f64(sh));
    vd mh = vd_mul(vd_set(QK_GT_KC_HI_F64), sh);
    vd ml = vd_fma(vd_set(QK_GT_KC_HI_F64), sh, qk_neg_f64(mh));
    ml = vd_fma(vd_set(QK_GT_KC_HI_F64), sl, ml);
    ml = vd_fma(vd_set(QK_GT_KC_LO_F64), sh, ml);
    vd kh = vd_set(QK_GT_K_HI_F64);
    vd ph = vd_add(kh, mh); /* TwoSum(kh, mh) */
    vd bb = vd_sub(ph, kh);
    vd pl = vd_add(vd_sub(kh, vd_sub(ph, bb)), vd_sub(mh, bb));
    pl = vd_add(pl, vd_add(ml, vd_set(QK_GT_K_LO_F64)));
    vd gh = vd_mul(a, ph);
    *gl = vd_fma(a, pl, vd_fma(a, ph, qk_neg_f64(gh)));
    return gh;
}

/* e^-(gh + gl) as q 2^n: n from gh, the low part subtracted from r */
QK_INLINE vd qk_gt_exp_f64(vd a, vd *z)
{
    vd gl;
    vd gh = qk_gt_g_f64(a, &gl);
    vd z16;
    vd r = vd_sub(qk_exp_p_f64_r(qk_neg_f64(gh), &z16), gl);
    return qk_act_tab_q_f64(z16, r, z);
}

QK_INLINE vd gelu_tanh_precise_f64_core(vd x)
{
    vd z;
    vd q = qk_gt_exp_f64(vd_abs(x), &z);
    vd e = vd_mul(q, qk_act_pow2_f64(z));
    vd num = vd_select(vd_gt(x, vd_set(0.0)), x, vd_mul(x, e));
    return vd_div(num, vd_add(vd_set(1.0), e));
}
QK_INLINE vd gelu_tanh_precise_f64_full(vd x, int *st)
{
    (void)st;
    md nan = vd_isnan(x), small = vd_lt(x, vd_set(QK_GT_XZERO_F64));
    vd x0 = vd_zero_if(md_or(nan, small), x);
    vd xc = vd_min(x0, vd_set(QK_GT_CLAMP_F64)); /* x > 21: e^-g only feeds 1 + e */
    vd z;
    vd q = qk_gt_exp_f64(vd_abs(xc), &z);
    vd xm = qk_act_scale_full_f64(q, z, xc);
    vd e = qk_act_e_for_sum_f64(q, z);
    vd num = vd_select(vd_gt(xc, vd_set(0.0)), x0, xm);
    vd y = vd_div(num, vd_add(vd_set(1.0), e));
    y = vd_select(vd_gt(x0, vd_set(QK_GT_FAST_F64)), x0, y); /* exactly x */
    y = vd_select(small, vd_set(-0.0), y);
    return qk_act_nan_patch_f64(nan, x, y);
}
QK_DEFINE_UNARY_F64(gelu_tanh_precise_f64, gelu_tanh, -QK_GT_FAST_F64, QK_GT_FAST_F64)

#endif
