/* silu (swish), x sigmoid(x), three tiers, float32 and float64 (generic):
 * the method of sigmoid.h with x as the numerator (approximate tiers
 * x / (1 + E); precise x / (1 + e) or x e / (1 + e), x e formed inside the
 * exponential's final two-factor scaling).  Shares sigmoid's helpers and
 * windows. */

QK_INLINE qk_v QK_TFN(qk_silu_num)(qk_v x) { return x; }
QK_SIGMOID_Q_(silu, q1, -0.0)
QK_SIGMOID_Q_(silu, q2, -0.0)

QK_INLINE qk_v QK_TK(silu_precise, _core)(qk_v x)
{
    qk_v e = QK_TFN(qk_act_exp_core)(v_or_sign(v_abs(x), v_set(-1)));
    return QK_TFN(qk_act_x_sigmoid)(x, v_mul(x, e), e, 0);
}
/* x > FAST gives x exactly (+inf included, no flag); the exponential there
 * is evaluated at the clamp, where e^-x is still normal. */
QK_INLINE qk_v QK_TK(silu_precise, _full)(qk_v x, int *st)
{
    (void)st;
    qk_m nan = v_isnan(x), small = v_lt(x, v_set(QK_TC(QK_SILU_XZERO)));
    qk_v x0 = v_zero_if(m_or(nan, small), x);
    qk_v xe = v_min(x0, v_set(QK_TC(QK_SIGMOID_CLAMP)));
    qk_v q, z;
    qk_v xm = QK_TFN(qk_act_mexp_full)(v_or_sign(v_abs(xe), v_set(-1)), xe, &q, &z);
    qk_v e = QK_TFN(qk_act_e_for_sum)(q, z);
    qk_v y = QK_TFN(qk_act_x_sigmoid)(xe, xm, e, 1); /* xe: x - x stays finite */
    return QK_TFN(qk_act_x_sigmoid_edges)(x, x0, y, nan, small, QK_TC(QK_SIGMOID_FAST));
}
QK_DEFINE_UNARY_ABS_T(QK_TFN(silu_precise), silu, QK_TC(QK_SIGMOID_PCORE))
