/* float32 exponential, three tiers, written once against the SIMD layer.
 * Constants and their derivations: consts/exp.h. */
#ifndef QUAKE_KERNELS_EXP_F32_H
#define QUAKE_KERNELS_EXP_F32_H

#include "quake/consts/exp.h"

/* Edge handling shared by the tiers: lanes that are NaN, overflow
 * (x > XMAX, +inf included) or below `zero_below` are computed on x = 0 (so
 * no spurious FP flag can arise) and patched afterwards.  Overflow is
 * reported for finite x > XMAX, as np.exp does; underflow by the driver's
 * rule (driver.h). */
typedef struct {
    mf nan, big, small;
} qk_exp_edges_f32;

QK_INLINE vf qk_exp_edges_begin_f32(vf x, float zero_below, qk_exp_edges_f32 *e, int *st)
{
    const vf inf = vf_set(INFINITY);
    e->nan = vf_isnan(x);
    e->big = vf_gt(x, vf_set(QK_EXP_XMAX_F32));
    e->small = vf_lt(x, vf_set(zero_below));
    if (mf_any(mf_and(e->big, vf_lt(x, inf))))
        *st |= QK_FE_OVERFLOW;
    return vf_zero_if(mf_or(e->nan, mf_or(e->big, e->small)), x);
}

QK_INLINE vf qk_exp_edges_end_f32(vf x, vf y, const qk_exp_edges_f32 *e)
{
    y = vf_select(e->big, vf_set(INFINITY), y);
    y = vf_zero_if(e->small, y);
    /* NaN: quieted (x + x), as np.exp; other lanes add 0 + 0, so a huge
     * finite x cannot raise a spurious overflow here */
    vf xn = vf_select(e->nan, x, vf_set(0.0f));
    return vf_select(e->nan, vf_add(xn, xn), y);
}

/* ---- order 1: one FMA, one conversion ---- */
/* The bit pattern int(v) as a float, for v = c1*x + c0 already formed
 * (c0 may fold an affine shift of x: softmax folds -c1*max into it). */
QK_INLINE vf qk_exp_q1_f32_bits(vf v) { return vi_as_vf(vf_cvtt(v)); }

QK_INLINE vf exp_q1_f32_core(vf x)
{
    return qk_exp_q1_f32_bits(vf_fma(x, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32)));
}

QK_INLINE vf exp_q1_f32_full(vf x, int *st)
{
    qk_exp_edges_f32 e;
    vf x0 = qk_exp_edges_begin_f32(x, QK_EXP_XNORM_F32, &e, st);
    vf v = vf_fma(x0, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
    v = vf_max(v, vf_set(QK_EXP_Q1_VMIN_F32));
    return qk_exp_edges_end_f32(x, vi_as_vf(vf_cvtt(v)), &e);
}
QK_DEFINE_UNARY_F32(exp_q1_f32, exp, QK_EXP_FAST_LO_F32, QK_EXP_FAST_HI_F32)

/* ---- order 2: floor split + continuity-preserving quadratic ---- */
QK_INLINE vf qk_exp_q2_f32_eval(vf t)
{
    vf n = vf_floor(t);
    vf f = vf_sub(t, n); /* exact */
    vf p = vf_fma(vf_fma(f, vf_set(QK_THIRD_F32), vf_set(QK_TWO_THIRDS_F32)), f, vf_set(1.0f));
    /* p * 2^n by adding n to the exponent field (n + magic: see consts) */
    vi e = vi_shl(vf_as_vi(vf_add(n, vf_set(QK_MAGIC_F32))), 23);
    return vi_as_vf(vi_add(vf_as_vi(p), e));
}

QK_INLINE vf exp_q2_f32_core(vf x) { return qk_exp_q2_f32_eval(vf_mul(x, vf_set(QK_LOG2E_F32))); }

QK_INLINE vf exp_q2_f32_full(vf x, int *st)
{
    qk_exp_edges_f32 e;
    vf x0 = qk_exp_edges_begin_f32(x, QK_EXP_XNORM_F32, &e, st);
    vf t = vf_mul(x0, vf_set(QK_LOG2E_F32));
    t = vf_min(vf_max(t, vf_set(QK_EXP_TMIN_F32)), vf_set(QK_EXP_TMAX_F32));
    return qk_exp_edges_end_f32(x, qk_exp_q2_f32_eval(t), &e);
}
QK_DEFINE_UNARY_F32(exp_q2_f32, exp, QK_EXP_FAST_LO_F32, QK_EXP_FAST_HI_F32)

/* ---- precise: Cody-Waite reduction + degree-6 polynomial ---- */
/* Returns q = e^r in [0.70, 1.42] and z = n + magic (n = round(x log2 e)). */
QK_INLINE vf qk_exp_p_f32_reduce(vf x, vf *z)
{
    *z = vf_fma(x, vf_set(QK_LOG2E_F32), vf_set(QK_MAGIC_BIASED_F32));
    vf n = vf_sub(*z, vf_set(QK_MAGIC_BIASED_F32));
    vf r = vf_fma(n, vf_set(-QK_LN2_HI_F32), x);
    r = vf_fma(n, vf_set(-QK_LN2_LO_F32), r);
    vf p = vf_fma(vf_set(QK_EXP_P5_F32), r, vf_set(QK_EXP_P4_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P3_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P2_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P1_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P0_F32));
    return vf_fma(r, p, vf_set(1.0f));
}

QK_INLINE vf exp_precise_f32_core(vf x)
{
    vf z;
    vf q = qk_exp_p_f32_reduce(x, &z);
    return vf_mul(q, vi_as_vf(vi_shl(vf_as_vi(z), 23))); /* exact: normal result */
}

QK_INLINE vf exp_precise_f32_full(vf x, int *st)
{
    qk_exp_edges_f32 e;
    vf x0 = qk_exp_edges_begin_f32(x, QK_EXP_XZERO_F32, &e, st);
    vf z;
    vf q = qk_exp_p_f32_reduce(x0, &z);
    /* n in [-150, 128]: 2^n = 2^n1 * 2^n2 with both factors normal; q*2^n1 is
     * exact and the second product rounds once (correct denormals). */
    vf n = vf_sub(z, vf_set(QK_MAGIC_BIASED_F32));
    vf n1 = vf_floor(vf_mul(n, vf_set(0.5f)));
    vf n2 = vf_sub(n, n1);
    vf s1 = vi_as_vf(vi_shl(vf_as_vi(vf_add(n1, vf_set(QK_MAGIC_BIASED_F32))), 23));
    vf s2 = vi_as_vf(vi_shl(vf_as_vi(vf_add(n2, vf_set(QK_MAGIC_BIASED_F32))), 23));
    vf y = vf_mul(vf_mul(q, s1), s2);
    return qk_exp_edges_end_f32(x, y, &e);
}
QK_DEFINE_UNARY_F32(exp_precise_f32, exp, QK_EXP_FAST_LO_F32, QK_EXP_FAST_HI_F32)

#endif
