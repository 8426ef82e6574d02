/* float64 gelu, three tiers: the method of gelu_f32.h with float64
 * constants (F of degree 28); order 1 evaluates exp's float64 order-1
 * function. */
#ifndef QUAKE_KERNELS_GELU_F64_H
#define QUAKE_KERNELS_GELU_F64_H

#include "quake/consts/gelu.h"
#include "quake/kernels/act_exp_f64.h"

/* ---- order 1 / order 2: t = -x (a + b x^2 + g x^4) log2 e ---- */
QK_INLINE vd qk_gelu_q_e_f64(vd x, int order)
{
    vd s = vd_mul(x, x);
    vd p = vd_fma(vd_fma(s, vd_set(QK_GELU_Q_G_F64), vd_set(QK_GELU_Q_B_F64)), s,
                  vd_set(QK_GELU_Q_A_F64));
    return order == 1 ? qk_exp_q1_f64_eval(vd_fma(x, p, vd_set(-QK_EXP_Q1_SIGMA_F64)))
                      : qk_exp_q2_f64_eval(vd_mul(x, p));
}
QK_INLINE vd qk_gelu_q_full_f64(vd x, int order, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vd x0 = vd_zero_if(vd_isnan(x), x);
    vd xc = vd_min(vd_max(x0, vd_set(-QK_GELU_QCLAMP_F64)), vd_set(QK_GELU_QCLAMP_F64));
    vd y = vd_div(x0, vd_add(vd_set(1.0), qk_gelu_q_e_f64(xc, order)));
    y = vd_select(vd_gt(x0, vd_set(QK_GELU_QX_F64)), x0, y); /* Phi = 1 - 1.3e-12 */
    return qk_act_q_patch_f64(x, y, -QK_GELU_QX_F64, -0.0);
}
QK_INLINE vd gelu_q1_f64_core(vd x) { return vd_div(x, vd_add(vd_set(1.0), qk_gelu_q_e_f64(x, 1))); }
QK_INLINE vd gelu_q1_f64_full(vd x, int *st) { return qk_gelu_q_full_f64(x, 1, st); }
QK_DEFINE_UNARY_F64(gelu_q1_f64, gelu, -QK_GELU_QX_F64, QK_GELU_QX_F64)
QK_INLINE vd gelu_q2_f64_core(vd x) { return vd_div(x, vd_add(vd_set(1.0), qk_gelu_q_e_f64(x, 2))); }
QK_INLINE vd gelu_q2_f64_full(vd x, int *st) { return qk_gelu_q_full_f64(x, 2, st); }
QK_DEFINE_UNARY_F64(gelu_q2_f64, gelu, -QK_GELU_QX_F64, QK_GELU_QX_F64)

/* ---- precise ---- */
QK_INLINE vd qk_gelu_F_f64(vd s)
{
    static const double c[QK_GELU_NF_F64] = QK_GELU_F_F64;
    vd p = vd_set(c[QK_GELU_NF_F64 - 1]);
    for (int k = QK_GELU_NF_F64 - 2; k >= 0; k--)
        p = vd_fma(p, s, vd_set(c[k]));
    return p;
}
/* Phi(-a) = hq 2^n, n as *z (a in [0, 38.6]) */
QK_INLINE vd qk_gelu_phi_f64(vd a, vd *z)
{
    vd t = vd_div(vd_set(QK_GELU_K2_F64), vd_add(vd_set(QK_GELU_K2_F64), a));
    vd f = qk_gelu_F_f64(vd_fma(t, vd_set(2.0), vd_set(-1.0)));
    vd ha = vd_mul(a, vd_set(0.5));
    vd hh = vd_mul(ha, a);                                   /* a^2/2 = hh + hl exactly */
    vd hl = vd_fma(ha, a, vd_or_sign(hh, vd_set(-1.0)));
    /* n = round((f - hh) log2 e); r = ((-hh - n ln2_hi) + f - n ln2_lo) - hl */
    *z = vd_fma(vd_sub(f, hh), vd_set(QK_LOG2E_F64), vd_set(QK_MAGIC_BIASED_F64));
    vd n = vd_sub(*z, vd_set(QK_MAGIC_BIASED_F64));
    vd r = vd_fma(n, vd_set(-QK_LN2_HI_F64), vd_or_sign(hh, vd_set(-1.0))); /* exact */
    r = vd_add(r, f);
    r = vd_fma(n, vd_set(-QK_LN2_LO_F64), r);
    r = vd_sub(r, hl);
    vd q = vd_fma(r, qk_act_poly_f64(r), vd_set(1.0));
    return vd_mul(vd_mul(t, vd_set(0.5)), q);
}

QK_INLINE vd gelu_precise_f64_core(vd x)
{
    vd z;
    vd hq = qk_gelu_phi_f64(vd_abs(x), &z);
    vd s = qk_act_pow2_f64(z);
    /* x - x Phi(-x); Phi(-|x|) from 2^max(n, -100): never denormal (unused there) */
    vd ypos = vd_fma(vd_or_sign(qk_act_e_for_sum_f64(hq, z), vd_set(-1.0)), x, x);
    vd yneg = vd_mul(vd_mul(x, hq), s);
    return vd_select(vd_gt(x, vd_set(0.0)), ypos, yneg);
}
QK_INLINE vd gelu_precise_f64_full(vd x, int *st)
{
    (void)st;
    md nan = vd_isnan(x), small = vd_lt(x, vd_set(QK_GELU_XZERO_F64));
    vd x0 = vd_zero_if(md_or(nan, small), x);
    vd xc = vd_min(x0, vd_set(QK_GELU_XCLAMP));
    vd z;
    vd hq = qk_gelu_phi_f64(vd_abs(xc), &z);
    vd yneg = qk_act_scale_full_f64(hq, z, xc);
    vd ypos = vd_fma(vd_or_sign(qk_act_e_for_sum_f64(hq, z), vd_set(-1.0)), xc, xc);
    vd y = vd_select(vd_gt(xc, vd_set(0.0)), ypos, yneg);
    y = vd_select(vd_gt(x0, vd_set(QK_GELU_XONE)), x0, y); /* Phi = 1 there */
    y = vd_select(small, vd_set(-0.0), y);
    return qk_act_nan_patch_f64(nan, x, y);
}
QK_DEFINE_UNARY_F64(gelu_precise_f64, gelu, QK_GELU_FAST_LO_F64, QK_GELU_XONE)

#endif
