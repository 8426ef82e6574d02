/* gelu, the exact erf form x Phi(x), three tiers, float32 and float64
 * (generic; constants and derivations: consts/gelu.h).
 *
 * Approximate tiers: Phi(x) ~ sigmoid(x (a + b x^2 + g x^4)) (fitted; max
 * absolute error of the formula 7.8e-5), y = x / (1 + E), E = e^-x(...)
 * with the coefficients folded into the exponential's constants; the
 * polynomial is evaluated on x clamped to [-7, 7]; x > 7 gives x and
 * x < -7 gives -0 (Phi is 1 or 0 there to 1.3e-12).
 * Errors are measured against the exact erf form.
 *
 * Precise: Phi(-a) = hq 2^n (a = |x|) per type: float32 G(a) e^(-a^2/2), G
 * a table-driven piecewise polynomial (gelu_f32.h); float64
 * t/2 exp(-a^2/2 + F(s)), t = K2/(K2 + a) (gelu_f64.h); then y = x Phi(-a)
 * (x < 0, formed inside the final scaling: denormals right) or
 * x - x Phi(-a) (x > 0, one FMA). */

/* ---- order 1 / order 2 (inside [-7, 7] E is within [e^-27, e^27]: no
 * clamp needed) ---- */
QK_INLINE qk_v QK_TFN(qk_gelu_q1_e)(qk_v x)
{
    qk_v s = v_mul(x, x);
    qk_v p = v_fma(v_fma(s, v_set(QK_TC(QK_GELU_Q1_G)), v_set(QK_TC(QK_GELU_Q1_B))), s,
                   v_set(QK_TC(QK_GELU_Q1_A)));
    return QK_TFN(qk_act_q1)(v_fma(x, p, v_set(QK_TC(QK_EXP_Q1_B))), 0);
}
QK_INLINE qk_v QK_TFN(qk_gelu_q2_e)(qk_v x)
{
    qk_v s = v_mul(x, x);
    qk_v p = v_fma(v_fma(s, v_set(QK_TC(QK_GELU_Q2_G)), v_set(QK_TC(QK_GELU_Q2_B))), s,
                   v_set(QK_TC(QK_GELU_Q2_A)));
    return QK_TFN(qk_act_q2)(v_mul(x, p), 0);
}
#define QK_GELU_Q_(tier)                                                                   \
    QK_INLINE qk_v QK_TK(gelu_##tier, _core)(qk_v x)                                       \
    {                                                                                      \
        return v_div(x, v_add(v_set(1), QK_TFN(qk_gelu_##tier##_e)(x)));                   \
    }                                                                                      \
    QK_INLINE qk_v QK_TK(gelu_##tier, _full)(qk_v x, int *st)                              \
    {                                                                                      \
        (void)st; /* underflow, the only status here, is the driver's (driver.h) */        \
        qk_v x0 = v_zero_if(v_isnan(x), x);                                                \
        qk_v xc = v_min(v_max(x0, v_set(-QK_TC(QK_GELU_QCLAMP))), v_set(QK_TC(QK_GELU_QCLAMP))); \
        qk_v y = v_div(x0, v_add(v_set(1), QK_TFN(qk_gelu_##tier##_e)(xc)));               \
        y = v_select(v_gt(x0, v_set(QK_TC(QK_GELU_QX))), x0, y); /* Phi = 1 - 1.3e-12 */   \
        return QK_TFN(qk_act_q_patch)(x, y, -QK_TC(QK_GELU_QX), -0.0);                     \
    }                                                                                      \
    QK_DEFINE_UNARY_T(QK_TFN(gelu_##tier), gelu, -QK_TC(QK_GELU_QX), QK_TC(QK_GELU_QX))
QK_GELU_Q_(q1)
QK_GELU_Q_(q2)
#undef QK_GELU_Q_

/* ---- precise: Phi(-a) from qk_gelu_phi_f{32,64}(a, &z), kernels/gelu_f{32,64}.h ---- */
QK_INLINE qk_v QK_TK(gelu_precise, _core)(qk_v x)
{
    qk_v z;
    qk_v hq = QK_TFN(qk_gelu_phi)(v_abs(x), &z);
    qk_v s = QK_TFN(qk_act_pow2)(z);
    /* x - x Phi(-x); Phi(-|x|) from 2^max(n, -100): never denormal (unused there) */
    qk_v ypos = v_fma(v_or_sign(QK_TFN(qk_act_e_for_sum)(hq, z), v_set(-1)), x, x);
    qk_v yneg = v_mul(v_mul(x, hq), s);
    return v_select(v_gt(x, v_set(0)), ypos, yneg);
}
QK_INLINE qk_v QK_TK(gelu_precise, _full)(qk_v x, int *st)
{
    (void)st;
    qk_m nan = v_isnan(x), small = v_lt(x, v_set(QK_TC(QK_GELU_XZERO)));
    qk_v x0 = v_zero_if(m_or(nan, small), x);
    qk_v xc = v_min(x0, v_set((qk_t)QK_GELU_XCLAMP));
    qk_v z;
    qk_v hq = QK_TFN(qk_gelu_phi)(v_abs(xc), &z);
    qk_v yneg = QK_TFN(qk_act_scale_full)(hq, z, xc);
    qk_v ypos = v_fma(v_or_sign(QK_TFN(qk_act_e_for_sum)(hq, z), v_set(-1)), xc, xc);
    qk_v y = v_select(v_gt(xc, v_set(0)), ypos, yneg);
    y = v_select(v_gt(x0, v_set((qk_t)QK_GELU_XONE)), x0, y); /* Phi = 1 there */
    y = v_select(small, v_set(-0.0), y);
    return QK_TFN(qk_act_nan_patch)(nan, x, y);
}
QK_DEFINE_UNARY_T(QK_TFN(gelu_precise), gelu, QK_TC(QK_GELU_FAST_LO), (qk_t)QK_GELU_XONE)
