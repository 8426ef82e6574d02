/* Exponential building blocks shared by the float32 activation kernels.
 * They are exp's constructions (kernels/exp_f32.h, consts/exp.h), exposed in
 * the pieces the activations need: the precise reduction with its
 * polynomial (for expm1 and for scaled products m e^t), and the approximate
 * tiers' E = e^w over the clamped range of consts/act.h. */
#ifndef QUAKE_KERNELS_ACT_EXP_F32_H
#define QUAKE_KERNELS_ACT_EXP_F32_H

#include "quake/consts/act.h"

/* ---- precise ---- */
QK_INLINE vf qk_act_poly_f32(vf rr) /* p(r): e^r = 1 + r p(r) */
{
    vf p = vf_fma(vf_set(QK_EXP_P5_F32), rr, vf_set(QK_EXP_P4_F32));
    p = vf_fma(p, rr, vf_set(QK_EXP_P3_F32));
    p = vf_fma(p, rr, vf_set(QK_EXP_P2_F32));
    p = vf_fma(p, rr, vf_set(QK_EXP_P1_F32));
    p = vf_fma(p, rr, vf_set(QK_EXP_P0_F32));
    return p;
}

/* n = round(t log2 e) (as *z = n + the biased magic constant), returns
 * r = t - n ln2 (Cody-Waite, exact first step). */
QK_INLINE vf qk_act_reduce_f32(vf t, vf *z)
{
    *z = vf_fma(t, vf_set(QK_LOG2E_F32), vf_set(QK_MAGIC_BIASED_F32));
    vf n = vf_sub(*z, vf_set(QK_MAGIC_BIASED_F32));
    vf rr = vf_fma(n, vf_set(-QK_LN2_HI_F32), t);
    rr = vf_fma(n, vf_set(-QK_LN2_LO_F32), rr);
    return rr;
}

/* t = n ln2 + r, |r| <= ln2/2: returns p with e^r = 1 + r p(r); *z = n + the
 * biased magic constant (2^n = bits(*z << shift) for normal 2^n). */
QK_INLINE vf qk_act_exp_poly_f32(vf t, vf *z, vf *r)
{
    *r = qk_act_reduce_f32(t, z);
    return qk_act_poly_f32(*r);
}

/* e^(r + (t - r)) = q 2^n from the reduction: *z for 2^n (act_exp_f64.h:
 * the same from the table) */
QK_INLINE vf qk_act_q_f32(vf r, vf zr, vf *z)
{
    *z = zr;
    return vf_fma(r, qk_act_poly_f32(r), vf_set(1.0f));
}

QK_INLINE vf qk_act_pow2_f32(vf z) { return vi_as_vf(vi_shl(vf_as_vi(z), 23)); }

/* e^t for t in [-87, 0] (normal result): exp's precise core. */
QK_INLINE vf qk_act_exp_core_f32(vf t)
{
    vf z, r;
    vf p = qk_act_exp_poly_f32(t, &z, &r);
    return vf_mul(vf_fma(r, p, vf_set(1.0f)), qk_act_pow2_f32(z));
}

/* m q 2^n (n from z) with 2^n = 2^n1 2^n2, both factors normal: one final
 * rounding (denormal results right; m = 1 gives e^t itself). */
QK_INLINE vf qk_act_scale_full_f32(vf q, vf z, vf m)
{
    vf n = vf_sub(z, vf_set(QK_MAGIC_BIASED_F32));
    vf n1 = vf_floor(vf_mul(n, vf_set(0.5f)));
    vf n2 = vf_sub(n, n1);
    vf s1 = qk_act_pow2_f32(vf_add(n1, vf_set(QK_MAGIC_BIASED_F32)));
    vf s2 = qk_act_pow2_f32(vf_add(n2, vf_set(QK_MAGIC_BIASED_F32)));
    return vf_mul(vf_mul(m, vf_mul(q, s1)), s2);
}

/* q 2^max(n, -100): e^t where only 1 + e^t is needed (below 2^-100 that is
 * 1 either way), never a denormal, so no spurious underflow. */
QK_INLINE vf qk_act_e_for_sum_f32(vf q, vf z)
{
    return vf_mul(q, qk_act_pow2_f32(vf_max(z, vf_set(QK_MAGIC_BIASED_F32 - 100.0f))));
}

/* m e^t for t in [-170, 0] (f32; [-1400, 0] f64): exp's reduction and
 * polynomial, then the two-factor scaling above.  Inside the core range it
 * equals the core's bits: m (q 2^n) = (m q 2^n1) 2^n2 when all are normal. */
QK_INLINE vf qk_act_mexp_full_f32(vf t, vf m, vf *q, vf *z)
{
    vf r;
    vf p = qk_act_exp_poly_f32(t, z, &r);
    *q = vf_fma(r, p, vf_set(1.0f));
    return qk_act_scale_full_f32(*q, *z, m);
}

/* expm1(t) for t in [-19, 0]: s (r p) + (s - 1) with s = 2^n exact and
 * s - 1 exact (n >= -24), one rounding: no cancellation near 0. */
QK_INLINE vf qk_act_expm1_f32(vf t)
{
    vf z, r;
    vf p = qk_act_exp_poly_f32(t, &z, &r);
    vf s = qk_act_pow2_f32(z);
    return vf_fma(vf_mul(s, r), p, vf_sub(s, vf_set(1.0f)));
}

/* ---- approximate tiers (the interface act_exp_f64.h shares) ----
 * order 1: E = qk_act_q1_f32(u, clamp), u = w QK_ACT_Q1_K + QK_ACT_Q1_B
 * formed by the caller with the input scale folded into K; order 2:
 * E = qk_act_q2_f32(t, clamp), t = w log2 e.  `clamp` (a constant) selects
 * the full-range variant: E in [2^-126, 2^126]. */
#define QK_ACT_Q1_K_F32 QK_EXP_Q1_C1_F32
#define QK_ACT_Q1_B_F32 QK_EXP_Q1_C0_F32
/* order 1: E = bits(int(v)), v = c1 w + c0 already formed by the caller
 * with the input scale folded into c1; clamped so E is in [2^-126, 2^126]. */
QK_INLINE vf qk_act_q1_bits_f32(vf v) { return vi_as_vf(vf_cvtt(v)); }
QK_INLINE vf qk_act_q1_clamp_f32(vf v)
{
    return vf_min(vf_max(v, vf_set(QK_ACT_Q1_VMIN_F32)), vf_set(QK_ACT_Q1_VMAX_F32));
}
/* order 2: t = w log2 e formed by the caller (scale folded), clamped to
 * [-126, 126]; exp's quadratic-on-the-octave evaluation. */
QK_INLINE vf qk_act_q2_clamp_f32(vf t)
{
    return vf_min(vf_max(t, vf_set(-QK_ACT_TMAX_F32)), vf_set(QK_ACT_TMAX_F32));
}

QK_INLINE vf qk_act_q1_f32(vf u, int clamp)
{
    return qk_act_q1_bits_f32(clamp ? qk_act_q1_clamp_f32(u) : u);
}
QK_INLINE vf qk_act_q2_f32(vf t, int clamp)
{
    return qk_exp_q2_f32_eval(clamp ? qk_act_q2_clamp_f32(t) : t);
}

/* NaN lanes -> x quieted (x + x, invalid for a signalling NaN, as np.exp);
 * the addition runs on NaN lanes only (elsewhere on 0), so no huge x can
 * raise a spurious overflow through it. */
QK_INLINE vf qk_act_nan_patch_f32(mf nan, vf x, vf y)
{
    vf xn = vf_select(nan, x, vf_set(0.0f));
    return vf_select(nan, vf_add(xn, xn), y);
}

/* Edge patch of the approximate tiers: NaN -> quieted NaN (x + x, as
 * np.exp); x < xflush -> `zero` (+0 or -0).  Underflow is reported by the
 * driver's rule (driver.h), not here. */
QK_INLINE vf qk_act_q_patch_f32(vf x, vf y, float xflush, float zero)
{
    mf small = vf_lt(x, vf_set(xflush));
    y = vf_select(small, vf_set(zero), y);
    return qk_act_nan_patch_f32(vf_isnan(x), x, y);
}

#endif
