/* tanh, three tiers, float32 and float64 (generic); tanh is odd: every
 * tier computes |tanh| from a = |x| and ORs the sign of x back in
 * (tanh(-0) = -0).
 *
 * Approximate tiers: (1 - E)/(1 + E), E = e^-2a with the factor -2 folded
 * into the exponential's constants, for a >= A0; below A0 the exp form's
 * relative error (E's error over sinh 2a) would blow up, and the odd
 * polynomial a (1 + c a^2) is used (consts/act.h).  Past A0 the result is
 * max(exp form, P(A0)), which keeps the join monotonic.
 *
 * Precise: per type, qk_tanh_precise_f32 (kernels/tanh_f32.h: a
 * table-driven piecewise polynomial) and qk_tanh_precise_f64 (tanh_f64.h:
 * -m / (2 + m), m = expm1(-2a)); both relative-accurate everywhere, down to
 * tanh(x) = x for tiny x. */

QK_INLINE qk_v QK_TFN(qk_tanh_q_poly)(qk_v a, qk_t c)
{
    return v_mul(a, v_fma(v_mul(a, a), v_set(c), v_set(1)));
}
QK_INLINE qk_v QK_TFN(qk_tanh_q_join)(qk_v x, qk_v a, qk_v e, qk_t a0, qk_t c, qk_t pa0)
{
    qk_v one = v_set(1);
    qk_v ex = v_div(v_sub(one, e), v_add(one, e));
    qk_v poly = QK_TFN(qk_tanh_q_poly)(a, c);
    qk_v y = v_select(v_lt(a, v_set(a0)), poly, v_max(ex, v_set(pa0)));
    return v_or_sign(y, x);
}

/* ---- order 1 / order 2: E = e^-2a (a <= QCLAMP: no clamp needed) ---- */
QK_INLINE qk_v QK_TFN(qk_tanh_q1)(qk_v x, qk_v a)
{
    qk_v u = v_fma(a, v_set(-2 * QK_TC(QK_EXP_Q1_K)), v_set(QK_TC(QK_EXP_Q1_B)));
    return QK_TFN(qk_tanh_q_join)(x, a, QK_TFN(qk_act_q1)(u, 0), QK_TANH_Q1_A0, QK_TANH_Q1_C,
                                  QK_TC(QK_TANH_Q1_PA0));
}
QK_INLINE qk_v QK_TFN(qk_tanh_q2)(qk_v x, qk_v a)
{
    qk_v e = QK_TFN(qk_act_q2)(v_mul(a, v_set(-2 * QK_TC(QK_LOG2E))), 0);
    return QK_TFN(qk_tanh_q_join)(x, a, e, QK_TANH_Q2_A0, QK_TANH_Q2_C, QK_TC(QK_TANH_Q2_PA0));
}
/* full range: NaN -> the bound, patched; |x| > QAMAX (AMAX) gives +-1 exactly */
#define QK_TANH_FULL_(tier, clamp, amax)                                                   \
    QK_INLINE qk_v QK_TK(tanh_##tier, _core)(qk_v x) { return QK_TFN(qk_tanh_##tier)(x, v_abs(x)); } \
    QK_INLINE qk_v QK_TK(tanh_##tier, _full)(qk_v x, int *st)                             \
    {                                                                                      \
        (void)st;                                                                          \
        qk_v a = v_min(v_zero_if(v_isnan(x), v_abs(x)), v_set(QK_TC(clamp)));              \
        qk_v y = QK_TFN(qk_tanh_##tier)(x, a);                                             \
        y = v_select(v_gt(v_abs(x), v_set(QK_TC(amax))), v_or_sign(v_set(1), x), y);       \
        return QK_TFN(qk_act_nan_patch)(v_isnan(x), x, y);                                 \
    }                                                                                      \
    QK_DEFINE_UNARY_ABS_T(QK_TFN(tanh_##tier), tanh, QK_TC(amax))

/* ---- precise: qk_tanh_precise_f{32,64}(x, a), kernels/tanh_f{32,64}.h ---- */
QK_TANH_FULL_(q1, QK_TANH_QCLAMP, QK_TANH_QAMAX)
QK_TANH_FULL_(q2, QK_TANH_QCLAMP, QK_TANH_QAMAX)
QK_TANH_FULL_(precise, QK_TANH_CLAMP, QK_TANH_AMAX)
#undef QK_TANH_FULL_
