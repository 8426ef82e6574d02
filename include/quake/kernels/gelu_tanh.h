/* gelu_tanh: 0.5 x (1 + tanh u) = x sigmoid(2u) = x / (1 + e^-g),
 * g = 2u = K (x + 0.044715 x^3), three tiers, float32 and float64 (generic;
 * constants: consts/gelu.h).
 *
 * Approximate tiers: E = e^-g with -K and -K c folded into the exponential's
 * constants (order 1: u = x (A + B x^2) + B1 in two FMAs), y = x / (1 + E);
 * E clamped as for sigmoid, results below XFLUSH (-10.0, float64 -21.1)
 * flushed to -0.
 * Precise: as silu, with g(|x|) in double-float so the exponential sees its
 * argument to ~2^-40 (float64 2^-90) relative: y = num / (1 + e) with
 * sigmoid's correction step, e = e^-g(|x|), num = x (x > 0) or x e (formed
 * inside the final scaling); x > CLAMP uses e^-g(CLAMP) for 1 + e. */

/* ---- order 1 / order 2 ---- */
QK_INLINE qk_v QK_TFN(qk_gelu_tanh_q1_e)(qk_v x, int clamp)
{
    qk_v p = v_fma(v_mul(x, x), v_set(QK_TC(QK_GT_Q1_B)), v_set(QK_TC(QK_GT_Q1_A)));
    return QK_TFN(qk_act_q1)(v_fma(x, p, v_set(QK_TC(QK_EXP_Q1_B))), clamp);
}
QK_INLINE qk_v QK_TFN(qk_gelu_tanh_q2_e)(qk_v x, int clamp)
{
    qk_v p = v_fma(v_mul(x, x), v_set(QK_TC(QK_GT_Q2_B)), v_set(QK_TC(QK_GT_Q2_A)));
    return QK_TFN(qk_act_q2)(v_mul(x, p), clamp);
}
#define QK_GELU_TANH_Q_(tier)                                                              \
    QK_INLINE qk_v QK_TK(gelu_tanh_##tier, _core)(qk_v x)                                  \
    {                                                                                      \
        return v_div(x, v_add(v_set(1), QK_TFN(qk_gelu_tanh_##tier##_e)(x, 0)));           \
    }                                                                                      \
    QK_INLINE qk_v QK_TK(gelu_tanh_##tier, _full)(qk_v x, int *st)                         \
    {                                                                                      \
        (void)st; /* underflow, the only status here, is the driver's (driver.h) */        \
        qk_v x0 = v_zero_if(v_isnan(x), x);                                                \
        qk_v xc = v_min(v_max(x0, v_set(-2 * QK_TC(QK_GT_FAST))), v_set(2 * QK_TC(QK_GT_FAST))); \
        qk_v y = v_div(x0, v_add(v_set(1), QK_TFN(qk_gelu_tanh_##tier##_e)(xc, 1)));       \
        y = v_select(v_gt(x0, v_set(QK_TC(QK_GT_FAST))), x0, y); /* E tiny: exactly x */   \
        return QK_TFN(qk_act_q_patch)(x, y, QK_TC(QK_GT_XFLUSH), -0.0);                    \
    }                                                                                      \
    QK_DEFINE_UNARY_T(QK_TFN(gelu_tanh_##tier), gelu_tanh, -QK_TC(QK_GT_FAST), QK_TC(QK_GT_FAST))
QK_GELU_TANH_Q_(q1)
QK_GELU_TANH_Q_(q2)
#undef QK_GELU_TANH_Q_

/* ---- precise ---- */
QK_INLINE qk_v QK_TFN(qk_neg)(qk_v a) { return v_or_sign(a, v_set(-1)); } /* -a for a >= +0 */

/* g(a) = K a + K c a^3 = gh + gl for a >= 0 (double-float: exact squares
 * and products by FMA, a TwoSum for K + K c a^2, and the low parts of the
 * constants). */
QK_INLINE qk_v QK_TFN(qk_gelu_tanh_g)(qk_v a, qk_v *gl)
{
    qk_v sh = v_mul(a, a);
    qk_v sl = v_fma(a, a, QK_TFN(qk_neg)(sh));
    qk_v mh = v_mul(v_set(QK_TC(QK_GT_KC_HI)), sh);
    qk_v ml = v_fma(v_set(QK_TC(QK_GT_KC_HI)), sh, QK_TFN(qk_neg)(mh));
    ml = v_fma(v_set(QK_TC(QK_GT_KC_HI)), sl, ml);
    ml = v_fma(v_set(QK_TC(QK_GT_KC_LO)), sh, ml);
    qk_v kh = v_set(QK_TC(QK_GT_K_HI));
    qk_v ph = v_add(kh, mh); /* TwoSum(kh, mh) */
    qk_v bb = v_sub(ph, kh);
    qk_v pl = v_add(v_sub(kh, v_sub(ph, bb)), v_sub(mh, bb));
    pl = v_add(pl, v_add(ml, v_set(QK_TC(QK_GT_K_LO))));
    qk_v gh = v_mul(a, ph);
    *gl = v_fma(a, pl, v_fma(a, ph, QK_TFN(qk_neg)(gh)));
    return gh;
}

/* e^-(gh + gl) as q 2^n: n from gh, the low part subtracted from r */
QK_INLINE qk_v QK_TFN(qk_gelu_tanh_exp)(qk_v a, qk_v *z)
{
    qk_v gl, zr;
    qk_v gh = QK_TFN(qk_gelu_tanh_g)(a, &gl);
    qk_v r = v_sub(QK_TFN(qk_act_reduce)(QK_TFN(qk_neg)(gh), &zr), gl);
    return QK_TFN(qk_act_q)(r, zr, z);
}

/* The same e^-(gh + gl) as one value, for a in [0, FAST] (a normal
 * result): exp's own table step and scaling, bit for bit q 2^n above */
QK_INLINE qk_v QK_TFN(qk_gelu_tanh_e_core)(qk_v a)
{
    qk_v gl, z, t;
    qk_v gh = QK_TFN(qk_gelu_tanh_g)(a, &gl);
    qk_v r = v_sub(QK_TK(qk_exp_t, _r)(QK_TFN(qk_neg)(gh), &z), gl);
    qk_v w = QK_TK(qk_exp_t, _w)(z, r, &t);
    qk_v s = QK_TK(qk_exp_t, _scale)(t, z);
    return v_fma(s, w, s);
}

/* window [-FAST, HI]: x > FAST is evaluated at FAST, where e < 2^-100
 * already, so y = x exactly, as full() patches it */
QK_INLINE qk_v QK_TK(gelu_tanh_precise, _core)(qk_v x)
{
    qk_v e = QK_TFN(qk_gelu_tanh_e_core)(v_min(v_abs(x), v_set(QK_TC(QK_GT_FAST))));
    return QK_TFN(qk_act_x_sigmoid)(x, v_mul(x, e), e, 1);
}
QK_INLINE qk_v QK_TK(gelu_tanh_precise, _full)(qk_v x, int *st)
{
    (void)st;
    qk_m nan = v_isnan(x), small = v_lt(x, v_set(QK_TC(QK_GT_XZERO)));
    qk_v x0 = v_zero_if(m_or(nan, small), x);
    qk_v xc = v_min(x0, v_set(QK_TC(QK_GT_CLAMP))); /* x > CLAMP: e^-g only feeds 1 + e */
    qk_v z;
    qk_v q = QK_TFN(qk_gelu_tanh_exp)(v_abs(xc), &z);
    qk_v xm = QK_TFN(qk_act_scale_full)(q, z, xc);
    qk_v e = QK_TFN(qk_act_e_for_sum)(q, z);
    qk_v y = QK_TFN(qk_act_x_sigmoid)(xc, xm, e, 1); /* xc: x - x stays finite */
    return QK_TFN(qk_act_x_sigmoid_edges)(x, x0, y, nan, small, QK_TC(QK_GT_FAST));
}
QK_DEFINE_UNARY_T(QK_TFN(gelu_tanh_precise), gelu_tanh, -QK_TC(QK_GT_FAST), QK_TC(QK_GT_CORE_HI))
