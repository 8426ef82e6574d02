/* sigmoid (logistic), three tiers, float32 and float64 (generic: written
 * once against simd/generic.h, instantiated by kernels/instantiate.h);
 * silu.h reuses the helpers.
 *
 * Approximate tiers: y = 1 / (1 + E) (silu: x / (1 + E)), E = e^-x with the
 * sign folded into the exponential's constants (order 1: K' = -K).  E is
 * clamped to [2^-126, 2^126] (float64 [2^-1022, 2^1022]), so y is normal and
 * nothing overflows; where the exact result is below the normal range
 * (x < -87.34, float64 -708.4) y is flushed to 0 (silu: -0) and underflow is
 * reported, as exp's approximate tiers do.  The relative error of y is that
 * of E times E/(1+E) <= 1: at most exp's.
 *
 * Precise: e = e^-|x| (never overflows; exp's table-driven construction),
 * y = num / (1 + e) with num = 1 (x > 0) or e (x <= 0), so the far negative
 * tail is e/(1+e), accurate to a few ULP down to the denormals (no
 * 1 - (...) cancellation, no overflow); the quotient takes one correction
 * step by its exact residual (qk_act_div1p, kernels/act_exp.h), which
 * undoes the roundings of 1 + e and of the division.  silu: num = x or x e,
 * with x e formed inside the exponential's final scaling (one rounding,
 * denormals right).
 */
#ifndef QUAKE_KERNELS_SIGMOID_CONSTS
#define QUAKE_KERNELS_SIGMOID_CONSTS
/* window of every tier: E (e) needs no clamp and stays normal for |x| <= 87 (708) */
#define QK_SIGMOID_FAST_F32 87.0f
#define QK_SIGMOID_FAST_F64 708.0
/* precise: x > 87 is evaluated at 87.3 (e^-|x| still normal), then patched;
 * clamping beyond the window keeps window lanes computed, never folded */
#define QK_SIGMOID_CLAMP_F32 87.3f
#define QK_SIGMOID_CLAMP_F64 708.3
/* precise: the fast window |x| <= PCORE keeps e = e^-|x| above the
 * division step's ELO (consts/act.h: e^-20 = 2^-28.9, e^-41 = 2^-59.2), so
 * core() needs no guard */
#define QK_SIGMOID_PCORE_F32 20.0f
#define QK_SIGMOID_PCORE_F64 41.0
#endif

/* x with NaN -> 0 and clamped to +-2 FAST (beyond +-WMAX E is clamped
 * anyway): huge x cannot overflow in the exponential's argument */
QK_INLINE qk_v QK_TFN(qk_sigmoid_q_x0)(qk_v x)
{
    qk_v b = v_set(2 * QK_TC(QK_SIGMOID_FAST));
    return v_min(v_max(v_zero_if(v_isnan(x), x), v_or_sign(b, v_set(-1))), b);
}

/* Edge patch of the approximate tiers: NaN -> quieted NaN (x + x, as
 * np.exp), x < -WMAX (exact result below the normal range) -> 0 (underflow
 * is reported by the driver's rule, driver.h).  `zero` is +0 (sigmoid) or -0 (silu). */
QK_INLINE qk_v QK_TFN(qk_sigmoid_q_patch)(qk_v x, qk_v y, qk_v sat, qk_t zero)
{
    /* x > FAST: E < 2^-125 (2^-1021), the result is sat (1 or x) exactly;
     * patched so that no rounding mode or compile-time folding can make
     * targets differ */
    y = v_select(v_gt(x, v_set(QK_TC(QK_SIGMOID_FAST))), sat, y);
    return QK_TFN(qk_act_q_patch)(x, y, -QK_TC(QK_ACT_WMAX), zero);
}

/* E = e^-x, order 1 / order 2; `clamp` selects the full-range variant */
QK_INLINE qk_v QK_TFN(qk_sigmoid_q1_e)(qk_v x, int clamp)
{
    qk_v u = v_fma(x, v_set(-QK_TC(QK_EXP_Q1_K)), v_set(QK_TC(QK_EXP_Q1_B)));
    return QK_TFN(qk_act_q1)(u, clamp);
}
QK_INLINE qk_v QK_TFN(qk_sigmoid_q2_e)(qk_v x, int clamp)
{
    return QK_TFN(qk_act_q2)(v_mul(x, v_set(-QK_TC(QK_LOG2E))), clamp);
}

/* The approximate tiers of sigmoid (num = 1) and silu (num = x, silu.h):
 * num / (1 + E); in the full variant num is formed from x with NaN -> 0 and
 * is also the saturated result (x > FAST); `zero` the flushed tail. */
QK_INLINE qk_v QK_TFN(qk_sigmoid_num)(qk_v x) { (void)x; return v_set(1); }
#ifndef QK_SIGMOID_Q_
#define QK_SIGMOID_Q_(op, tier, zero)                                                      \
    QK_INLINE qk_v QK_TK(op##_##tier, _core)(qk_v x)                                       \
    {                                                                                      \
        qk_v e = QK_TFN(qk_sigmoid_##tier##_e)(x, 0);                                      \
        return v_div(QK_TFN(qk_##op##_num)(x), v_add(v_set(1), e));                        \
    }                                                                                      \
    QK_INLINE qk_v QK_TK(op##_##tier, _full)(qk_v x, int *st)                              \
    {                                                                                      \
        (void)st; /* underflow, the only status here, is the driver's (driver.h) */        \
        qk_v num = QK_TFN(qk_##op##_num)(v_zero_if(v_isnan(x), x));                        \
        qk_v e = QK_TFN(qk_sigmoid_##tier##_e)(QK_TFN(qk_sigmoid_q_x0)(x), 1);             \
        qk_v y = v_div(num, v_add(v_set(1), e));                                           \
        return QK_TFN(qk_sigmoid_q_patch)(x, y, num, zero);                                \
    }                                                                                      \
    QK_DEFINE_UNARY_T(QK_TFN(op##_##tier), op, -QK_TC(QK_SIGMOID_FAST), QK_TC(QK_SIGMOID_FAST))
#endif
QK_SIGMOID_Q_(sigmoid, q1, 0)
QK_SIGMOID_Q_(sigmoid, q2, 0)

/* ---- precise ---- */
/* window: e^-|x| normal (the core's single-multiply scaling is exact) */
QK_INLINE qk_v QK_TK(sigmoid_precise, _core)(qk_v x)
{
    qk_v e = QK_TFN(qk_act_exp_core)(v_or_sign(v_abs(x), v_set(-1)));
    return QK_TFN(qk_act_div1p)(v_select(v_gt(x, v_set(0)), v_set(1), e), e, 0);
}
/* Full range: lanes that are NaN or below XZERO (result +0) are computed on
 * 0 and patched; x > FAST is computed at CLAMP (the result is 1 either way),
 * so e^-|x| only goes denormal (raising underflow, genuinely) for x < -CLAMP. */
QK_INLINE qk_v QK_TK(sigmoid_precise, _full)(qk_v x, int *st)
{
    (void)st;
    qk_m nan = v_isnan(x), small = v_lt(x, v_set(QK_TC(QK_EXP_XZERO)));
    qk_v x0 = v_min(v_zero_if(m_or(nan, small), x), v_set(QK_TC(QK_SIGMOID_CLAMP)));
    qk_v q, z;
    qk_v e = QK_TFN(qk_act_mexp_full)(v_or_sign(v_abs(x0), v_set(-1)), v_set(1), &q, &z);
    qk_v num = v_select(v_gt(x0, v_set(0)), v_set(1), e);
    qk_v y = v_zero_if(small, QK_TFN(qk_act_div1p)(num, e, 1));
    y = v_select(v_gt(x, v_set(QK_TC(QK_SIGMOID_FAST))), v_set(1), y); /* exactly 1 */
    return QK_TFN(qk_act_nan_patch)(nan, x, y);
}
QK_DEFINE_UNARY_ABS_T(QK_TFN(sigmoid_precise), sigmoid, QK_TC(QK_SIGMOID_PCORE))
