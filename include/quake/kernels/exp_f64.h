/* float64 exponential, three tiers (see exp_f32.h for the structure). */
#ifndef QUAKE_KERNELS_EXP_F64_H
#define QUAKE_KERNELS_EXP_F64_H

#include "quake/consts/exp.h"

typedef struct {
    md nan, big, small;
} qk_exp_edges_f64;

QK_INLINE vd qk_exp_edges_begin_f64(vd x, double zero_below, qk_exp_edges_f64 *e, int *st)
{
    e->nan = vd_isnan(x);
    e->big = vd_gt(x, vd_set(QK_EXP_XMAX_F64));
    e->small = vd_lt(x, vd_set(zero_below));
    if (md_any(md_and(e->big, vd_lt(x, vd_set(INFINITY)))))
        *st |= QK_FE_OVERFLOW;
    if (md_any(md_and(vd_lt(x, vd_set(QK_EXP_XNORM_F64)), vd_gt(x, vd_set(-INFINITY)))))
        *st |= QK_FE_UNDERFLOW;
    return vd_zero_if(md_or(e->nan, md_or(e->big, e->small)), x);
}

QK_INLINE vd qk_exp_edges_end_f64(vd x, vd y, const qk_exp_edges_f64 *e)
{
    y = vd_select(e->big, vd_set(INFINITY), y);
    y = vd_zero_if(e->small, y);
    /* NaN: quieted (x + x), as np.exp; other lanes add 0 + 0, so a huge
     * finite x cannot raise a spurious overflow here */
    vd xn = vd_select(e->nan, x, vd_set(0.0));
    return vd_select(e->nan, vd_add(xn, xn), y);
}

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

QK_INLINE vd exp_q1_f64_core(vd x)
{
    return qk_exp_q1_f64_eval(vd_fma(x, vd_set(QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64)));
}

QK_INLINE vd exp_q1_f64_full(vd x, int *st)
{
    qk_exp_edges_f64 e;
    vd x0 = qk_exp_edges_begin_f64(x, QK_EXP_XNORM_F64, &e, st);
    vd t = vd_fma(x0, vd_set(QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64));
    t = vd_min(vd_max(t, vd_set(QK_EXP_TMIN_F64)), vd_set(QK_EXP_TMAX_F64));
    return qk_exp_edges_end_f64(x, qk_exp_q1_f64_eval(t), &e);
}
QK_DEFINE_UNARY_F64(exp_q1_f64, QK_EXP_FAST_LO_F64, QK_EXP_FAST_HI_F64)

/* ---- order 2 ---- */
QK_INLINE vd qk_exp_q2_f64_eval(vd t)
{
    vd n = vd_floor(t);
    vd f = vd_sub(t, n);
    vd p = vd_fma(vd_fma(f, vd_set(QK_THIRD_F64), vd_set(QK_TWO_THIRDS_F64)), f, vd_set(1.0));
    return qk_ldexp_small_f64(p, n);
}

QK_INLINE vd exp_q2_f64_core(vd x) { return qk_exp_q2_f64_eval(vd_mul(x, vd_set(QK_LOG2E_F64))); }

QK_INLINE vd exp_q2_f64_full(vd x, int *st)
{
    qk_exp_edges_f64 e;
    vd x0 = qk_exp_edges_begin_f64(x, QK_EXP_XNORM_F64, &e, st);
    vd t = vd_mul(x0, vd_set(QK_LOG2E_F64));
    t = vd_min(vd_max(t, vd_set(QK_EXP_TMIN_F64)), vd_set(QK_EXP_TMAX_F64));
    return qk_exp_edges_end_f64(x, qk_exp_q2_f64_eval(t), &e);
}
QK_DEFINE_UNARY_F64(exp_q2_f64, QK_EXP_FAST_LO_F64, QK_EXP_FAST_HI_F64)

/* ---- precise ---- */
QK_INLINE vd qk_exp_p_f64_reduce(vd x, vd *z)
{
    *z = vd_fma(x, vd_set(QK_LOG2E_F64), vd_set(QK_MAGIC_BIASED_F64));
    vd n = vd_sub(*z, vd_set(QK_MAGIC_BIASED_F64));
    vd r = vd_fma(n, vd_set(-QK_LN2_HI_F64), x);
    r = vd_fma(n, vd_set(-QK_LN2_LO_F64), r);
    vd p = vd_fma(vd_set(QK_EXP_P10_F64), r, vd_set(QK_EXP_P9_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P8_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P7_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P6_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P5_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P4_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P3_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P2_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P1_F64));
    p = vd_fma(p, r, vd_set(QK_EXP_P0_F64));
    return vd_fma(r, p, vd_set(1.0));
}

QK_INLINE vd qk_exp2i_f64(vd n) /* 2^n for integer n in [-1022, 1023] */
{
    return vl_as_vd(vl_shl(vd_as_vl(vd_add(n, vd_set(QK_MAGIC_BIASED_F64))), 52));
}

QK_INLINE vd exp_precise_f64_core(vd x)
{
    vd z;
    vd q = qk_exp_p_f64_reduce(x, &z);
    return vd_mul(q, vl_as_vd(vl_shl(vd_as_vl(z), 52)));
}

QK_INLINE vd exp_precise_f64_full(vd x, int *st)
{
    qk_exp_edges_f64 e;
    vd x0 = qk_exp_edges_begin_f64(x, QK_EXP_XZERO_F64, &e, st);
    vd z;
    vd q = qk_exp_p_f64_reduce(x0, &z);
    vd n = vd_sub(z, vd_set(QK_MAGIC_BIASED_F64));
    vd n1 = vd_floor(vd_mul(n, vd_set(0.5)));
    vd n2 = vd_sub(n, n1);
    vd y = vd_mul(vd_mul(q, qk_exp2i_f64(n1)), qk_exp2i_f64(n2));
    return qk_exp_edges_end_f64(x, y, &e);
}
QK_DEFINE_UNARY_F64(exp_precise_f64, QK_EXP_FAST_LO_F64, QK_EXP_FAST_HI_F64)

#endif
