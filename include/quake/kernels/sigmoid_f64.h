/* float64 sigmoid, three tiers (method: sigmoid_f32.h).  Order 1
 * evaluates exp's float64 order-1 function 2^n (1 + f) at t = -x log2 e -
 * sigma; order 2 its quadratic. */
#ifndef QUAKE_KERNELS_SIGMOID_F64_H
#define QUAKE_KERNELS_SIGMOID_F64_H

#include "quake/kernels/act_exp_f64.h"

#define QK_SIGMOID_FAST_F64 708.0
/* precise: x > 708 is evaluated at 708.3 (e^-|x| still normal), then patched;
 * clamping beyond the window keeps window lanes computed, never folded */
#define QK_SIGMOID_CLAMP_F64 708.3

QK_INLINE vd qk_sigmoid_q_x0_f64(vd x) /* see qk_sigmoid_q_x0_f32 */
{
    vd b = vd_set(2.0 * QK_SIGMOID_FAST_F64);
    return vd_min(vd_max(vd_zero_if(vd_isnan(x), x), vd_or_sign(b, vd_set(-1.0))), b);
}

QK_INLINE vd qk_sigmoid_q_patch_f64(vd x, vd y, vd sat, double zero)
{
    /* x > 87 (708): E < 2^-125, the result is sat (1 or x) exactly; patched so
     * that no rounding mode or compile-time folding can make targets differ */
    y = vd_select(vd_gt(x, vd_set(QK_SIGMOID_FAST_F64)), sat, y);
    return qk_act_q_patch_f64(x, y, -QK_ACT_WMAX_F64, zero);
}

/* E = e^-x, order 1 / order 2; `clamp` selects the full-range variant */
QK_INLINE vd qk_sigmoid_q1_e_f64(vd x, int clamp)
{
    vd t = vd_fma(x, vd_set(-QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64));
    return qk_exp_q1_f64_eval(clamp ? qk_act_q_clamp_f64(t) : t);
}
QK_INLINE vd qk_sigmoid_q2_e_f64(vd x, int clamp)
{
    vd t = vd_mul(x, vd_set(-QK_LOG2E_F64));
    return qk_exp_q2_f64_eval(clamp ? qk_act_q_clamp_f64(t) : t);
}

QK_INLINE vd sigmoid_q1_f64_core(vd x)
{
    return vd_div(vd_set(1.0), vd_add(vd_set(1.0), qk_sigmoid_q1_e_f64(x, 0)));
}
QK_INLINE vd sigmoid_q1_f64_full(vd x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd xc = qk_sigmoid_q_x0_f64(x);
    vd y = vd_div(vd_set(1.0), vd_add(vd_set(1.0), qk_sigmoid_q1_e_f64(xc, 1)));
    return qk_sigmoid_q_patch_f64(x, y, vd_set(1.0), 0.0);
}
QK_DEFINE_UNARY_F64(sigmoid_q1_f64, sigmoid, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

QK_INLINE vd sigmoid_q2_f64_core(vd x)
{
    return vd_div(vd_set(1.0), vd_add(vd_set(1.0), qk_sigmoid_q2_e_f64(x, 0)));
}
QK_INLINE vd sigmoid_q2_f64_full(vd x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd xc = qk_sigmoid_q_x0_f64(x);
    vd y = vd_div(vd_set(1.0), vd_add(vd_set(1.0), qk_sigmoid_q2_e_f64(xc, 1)));
    return qk_sigmoid_q_patch_f64(x, y, vd_set(1.0), 0.0);
}
QK_DEFINE_UNARY_F64(sigmoid_q2_f64, sigmoid, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

/* num / (1 + e) for e in [0, 1], with the rounding of d = 1 + e compensated:
 * lo = (1 + e) - d is exact (Fast2Sum), the residual num - y (1 + e) is
 * formed with FMAs, and one correction step y + r / (1 + e) (1/(1 + e) is
 * y itself for num = 1, 1 - y for num = e) leaves y within about half an
 * ULP of num/(1 + e): accurate, and monotonic in e. */
QK_INLINE vd qk_sigmoid_div_f64(vd num, vd e, md pos)
{
    vd one = vd_set(1.0);
    vd d = vd_add(one, e);
    vd y = vd_div(num, d);
    vd nlo = vd_sub(vd_sub(d, one), e);  /* d - (1 + e), exact */
    nlo = vd_zero_if(vd_lt(e, vd_set(0x1p-60)), nlo); /* negligible; y e would underflow */
    vd r = vd_fma(y, vd_sub(vd_set(-1.0), e), num); /* num - y d */
    r = vd_fma(y, nlo, r);                   /* num - y (1 + e) */
    vd inv = vd_select(pos, y, vd_sub(one, y));
    return vd_fma(r, inv, y);
}

/* ---- precise ---- */
QK_INLINE vd sigmoid_precise_f64_core(vd x)
{
    vd e = qk_act_exp_core_f64(vd_or_sign(vd_abs(x), vd_set(-1.0)));
    md pos = vd_gt(x, vd_set(0.0));
    return qk_sigmoid_div_f64(vd_select(pos, vd_set(1.0), e), e, pos);
}
QK_INLINE vd sigmoid_precise_f64_full(vd x, int *st)
{
    (void)st;
    md nan = vd_isnan(x), small = vd_lt(x, vd_set(QK_EXP_XZERO_F64));
    vd x0 = vd_min(vd_zero_if(md_or(nan, small), x), vd_set(QK_SIGMOID_CLAMP_F64));
    vd q, z;
    vd e = qk_act_mexp_full_f64(vd_or_sign(vd_abs(x0), vd_set(-1.0)), vd_set(1.0), &q, &z);
    md pos = vd_gt(x0, vd_set(0.0));
    vd y = vd_zero_if(small, qk_sigmoid_div_f64(vd_select(pos, vd_set(1.0), e), e, pos));
    y = vd_select(vd_gt(x, vd_set(QK_SIGMOID_FAST_F64)), vd_set(1.0), y); /* exactly 1 */
    return qk_act_nan_patch_f64(nan, x, y);
}
QK_DEFINE_UNARY_F64(sigmoid_precise_f64, sigmoid, -QK_SIGMOID_FAST_F64, QK_SIGMOID_FAST_F64)

#endif
