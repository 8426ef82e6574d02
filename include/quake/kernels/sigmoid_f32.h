/* float32 sigmoid (logistic), three tiers; silu_f32.h reuses the helpers.
 *
 * Approximate tiers: y = 1 / (1 + E) (silu: x / (1 + E)), E = e^-x with the
 * sign folded into the exponential's constants (order 1: c1' = -c1).  E is
 * clamped to [2^-126, 2^126], so y is normal and nothing overflows; where
 * the exact result is below the normal range (x < -87.34) y is flushed to 0
 * (silu: -0) and underflow is reported, as exp's approximate tiers do.
 * The relative error of y is that of E times E/(1+E) <= 1: at most exp's.
 *
 * Precise: e = e^-|x| (never overflows), y = num / (1 + e) with num = 1
 * (x > 0) or e (x <= 0), so the far negative tail is e/(1+e), accurate to a
 * few ULP down to the denormals (no 1 - (...) cancellation, no overflow).
 * silu: num = x or x e, with x e formed inside the exponential's final
 * scaling (one rounding, denormals right).
 */
#ifndef QUAKE_KERNELS_SIGMOID_F32_H
#define QUAKE_KERNELS_SIGMOID_F32_H

#include "quake/kernels/act_exp_f32.h"

/* window of every tier: E (e) needs no clamp and stays normal for |x| <= 87 */
#define QK_SIGMOID_FAST_F32 87.0f
/* precise: x > 87 is evaluated at 87.3 (e^-|x| still normal), then patched;
 * clamping beyond the window keeps window lanes computed, never folded */
#define QK_SIGMOID_CLAMP_F32 87.3f

/* x with NaN -> 0 and clamped to +-174 (beyond +-87.34 E is clamped
 * anyway): huge x cannot overflow in the exponential's argument */
QK_INLINE vf qk_sigmoid_q_x0_f32(vf x)
{
    vf b = vf_set(2.0f * QK_SIGMOID_FAST_F32);
    return vf_min(vf_max(vf_zero_if(vf_isnan(x), x), vf_or_sign(b, vf_set(-1.0f))), b);
}

/* Edge patch of the approximate tiers: NaN -> quieted NaN (x + x, as
 * np.exp), x < -87.34 (exact result below the normal range) -> 0 (underflow
 * is reported by the driver's rule, driver.h).  `zero` is +0 (sigmoid) or -0 (silu). */
QK_INLINE vf qk_sigmoid_q_patch_f32(vf x, vf y, vf sat, float zero)
{
    /* x > 87 (708): E < 2^-125, the result is sat (1 or x) exactly; patched so
     * that no rounding mode or compile-time folding can make targets differ */
    y = vf_select(vf_gt(x, vf_set(QK_SIGMOID_FAST_F32)), sat, y);
    return qk_act_q_patch_f32(x, y, -QK_ACT_WMAX_F32, zero);
}

/* ---- order 1: E = bits(int(-c1 x + c0)) ---- */
QK_INLINE vf qk_sigmoid_q1_e_f32(vf x)
{
    return vf_fma(x, vf_set(-QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
}
QK_INLINE vf sigmoid_q1_f32_core(vf x)
{
    vf e = qk_act_q1_bits_f32(qk_sigmoid_q1_e_f32(x));
    return vf_div(vf_set(1.0f), vf_add(vf_set(1.0f), e));
}
QK_INLINE vf sigmoid_q1_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf xc = qk_sigmoid_q_x0_f32(x);
    vf e = qk_act_q1_bits_f32(qk_act_q1_clamp_f32(qk_sigmoid_q1_e_f32(xc)));
    return qk_sigmoid_q_patch_f32(x, vf_div(vf_set(1.0f), vf_add(vf_set(1.0f), e)), vf_set(1.0f), 0.0f);
}
QK_DEFINE_UNARY_F32(sigmoid_q1_f32, sigmoid, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

/* ---- order 2: E = 2^t p(f), t = -x log2 e ---- */
QK_INLINE vf sigmoid_q2_f32_core(vf x)
{
    vf e = qk_exp_q2_f32_eval(vf_mul(x, vf_set(-QK_LOG2E_F32)));
    return vf_div(vf_set(1.0f), vf_add(vf_set(1.0f), e));
}
QK_INLINE vf sigmoid_q2_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf xc = qk_sigmoid_q_x0_f32(x);
    vf e = qk_exp_q2_f32_eval(qk_act_q2_clamp_f32(vf_mul(xc, vf_set(-QK_LOG2E_F32))));
    return qk_sigmoid_q_patch_f32(x, vf_div(vf_set(1.0f), vf_add(vf_set(1.0f), e)), vf_set(1.0f), 0.0f);
}
QK_DEFINE_UNARY_F32(sigmoid_q2_f32, sigmoid, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

/* num / (1 + e) for e in [0, 1], with the rounding of d = 1 + e compensated:
 * lo = (1 + e) - d is exact (Fast2Sum), the residual num - y (1 + e) is
 * formed with FMAs, and one correction step y + r / (1 + e) (1/(1 + e) is
 * y itself for num = 1, 1 - y for num = e) leaves y within about half an
 * ULP of num/(1 + e): accurate, and monotonic in e. */
QK_INLINE vf qk_sigmoid_div_f32(vf num, vf e, mf pos)
{
    vf one = vf_set(1.0f);
    vf d = vf_add(one, e);
    vf y = vf_div(num, d);
    vf nlo = vf_sub(vf_sub(d, one), e);  /* d - (1 + e), exact */
    nlo = vf_zero_if(vf_lt(e, vf_set(0x1p-30f)), nlo); /* negligible; y e would underflow */
    vf r = vf_fma(y, vf_sub(vf_set(-1.0f), e), num); /* num - y d */
    r = vf_fma(y, nlo, r);                   /* num - y (1 + e) */
    vf inv = vf_select(pos, y, vf_sub(one, y));
    return vf_fma(r, inv, y);
}

/* ---- precise ---- */
/* window: e^-|x| normal (the core's single-multiply scaling is exact) */
QK_INLINE vf sigmoid_precise_f32_core(vf x)
{
    vf e = qk_act_exp_core_f32(vf_or_sign(vf_abs(x), vf_set(-1.0f)));
    mf pos = vf_gt(x, vf_set(0.0f));
    return qk_sigmoid_div_f32(vf_select(pos, vf_set(1.0f), e), e, pos);
}
/* Full range: lanes that are NaN or below XZERO (result +0) are computed on
 * 0 and patched; x > 87 is computed at 87 (the result is 1 either way), so
 * e^-|x| only goes denormal (raising underflow, genuinely) for x < -87.3. */
QK_INLINE vf sigmoid_precise_f32_full(vf x, int *st)
{
    (void)st;
    mf nan = vf_isnan(x), small = vf_lt(x, vf_set(QK_EXP_XZERO_F32));
    vf x0 = vf_min(vf_zero_if(mf_or(nan, small), x), vf_set(QK_SIGMOID_CLAMP_F32));
    vf q, z;
    vf e = qk_act_mexp_full_f32(vf_or_sign(vf_abs(x0), vf_set(-1.0f)), vf_set(1.0f), &q, &z);
    mf pos = vf_gt(x0, vf_set(0.0f));
    vf y = vf_zero_if(small, qk_sigmoid_div_f32(vf_select(pos, vf_set(1.0f), e), e, pos));
    y = vf_select(vf_gt(x, vf_set(QK_SIGMOID_FAST_F32)), vf_set(1.0f), y); /* exactly 1 */
    return qk_act_nan_patch_f32(nan, x, y);
}
QK_DEFINE_UNARY_F32(sigmoid_precise_f32, sigmoid, -QK_SIGMOID_FAST_F32, QK_SIGMOID_FAST_F32)

#endif
