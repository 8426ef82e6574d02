/* float64 exponential: what differs from float32 (exp.h has the kernels;
 * exp_f32.h the same interface). */
#ifndef QUAKE_KERNELS_EXP_F64_H
#define QUAKE_KERNELS_EXP_F64_H

#include "quake/consts/exp.h"

/* y = m * 2^n for integer-valued n in the normal exponent range, by adding n
 * to the exponent field of m (m in [1, 2]). */
QK_INLINE vd qk_ldexp_small_f64(vd m, vd n)
{
    vl e = vl_shl(vd_as_vl(vd_add(n, vd_set(QK_MAGIC_F64))), 52);
    return vl_as_vd(vl_add(vd_as_vl(m), e));
}

/* ---- order 1: the QuAKE piecewise-linear 2^n (1 + f), shifted by sigma ---- */
QK_INLINE vd qk_exp_q1_f64_eval(vd t)
{
    vd n = vd_floor(t);
    return qk_ldexp_small_f64(vd_add(vd_sub(t, n), vd_set(1.0)), n);
}

/* exp.h's order 1: E(u), u = x log2 e - sigma; the full range's clamp */
#define QK_EXP_Q1_K_F64 QK_LOG2E_F64
#define QK_EXP_Q1_B_F64 (-QK_EXP_Q1_SIGMA_F64)
QK_INLINE vd qk_exp_q1_f64(vd u) { return qk_exp_q1_f64_eval(u); }
QK_INLINE vd qk_exp_q1_clamp_f64(vd u)
{
    return vd_min(vd_max(u, vd_set(QK_EXP_TMIN_F64)), vd_set(QK_EXP_TMAX_F64));
}

/* ---- order 2 ---- */
QK_INLINE vd qk_exp_q2_f64_eval(vd t)
{
    vd n = vd_floor(t);
    vd f = vd_sub(t, n);
    vd p = vd_fma(vd_fma(f, vd_set(QK_THIRD_F64), vd_set(QK_TWO_THIRDS_F64)), f, vd_set(1.0));
    return qk_ldexp_small_f64(p, n);
}

/* ---- precise: 16-entry table + degree-6 polynomial (consts/exp.h) ----
 * e^x = 2^m T_j (1 + w), k = round(x 16/ln2) = 16 m + j (the interface of
 * exp_f32.h's table: exp.h's generic core and full range call it).
 * Reduction: returns r = x - k ln2/16; *z = k + 1.5*2^52, so the low bits
 * of *z hold k (two's complement, |k| < 2^15 for every x that reaches
 * here) and the table index is those bits & 15 whatever x is (NaN, inf and
 * huge lanes included). */
QK_INLINE vd qk_exp_t_f64_r(vd x, vd *z)
{
    *z = vd_fma(x, vd_set(QK_EXP_INVLN2N_F64), vd_set(QK_MAGIC_F64));
    vd k = vd_sub(*z, vd_set(QK_MAGIC_F64));
    vd r = vd_fma(k, vd_set(-QK_EXP_LN2N_HI_F64), x);
    return vd_fma(k, vd_set(-QK_EXP_LN2N_LO_F64), r);
}

/* w = D_j + r + r^2 P(r) with e^r 2^(j/16) = T_j (1 + w), for
 * |r| <= ln2/32 (1 + 2^-8); *t = bits(T_j) - (j << 48) (j from z). */
QK_INLINE vd qk_exp_t_f64_w(vd z, vd r, vd *t)
{
    vd p = vd_fma(vd_set(QK_EXP_T6_F64), r, vd_set(QK_EXP_T5_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_T4_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_T3_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_T2_F64));
    vd d;
    vd_lut16x2(qk_exp_tab_f64, vd_as_vl(z), t, &d);
    return vd_fma(vd_mul(r, r), p, vd_add(d, r));
}

/* 2^m T_j = bits(t + (k << 48)) (the low bits of z hold k = 16 m + j):
 * exact, normal for m in [-1022, 1023] */
QK_INLINE vd qk_exp_t_f64_scale(vd t, vd z)
{
    return vl_as_vd(vl_add(vd_as_vl(t), vl_shl(vd_as_vl(z), 48)));
}

QK_INLINE vd qk_exp2i_f64(vd n) /* 2^n for integer n in [-1022, 1023] */
{
    return vl_as_vd(vl_shl(vd_as_vl(vd_add(n, vd_set(QK_MAGIC_BIASED_F64))), 52));
}

#define QK_DEFINE_EXP_F64(name) QK_DEFINE_UNARY_ABS_F64(name, exp, QK_EXP_FAST_ABS_F64)

#endif
