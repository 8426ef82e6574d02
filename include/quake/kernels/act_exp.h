/* Exponential building blocks of the activations, float32 and float64
 * (generic; the per-type pieces, same names and signatures, in
 * act_exp_f{32,64}.h: the precise reduction qk_act_reduce / qk_act_q as
 * q 2^n, float32 from exp's polynomial, float64 from its table;
 * qk_act_pow2; the approximate tiers' qk_act_q1 / qk_act_q2). */

/* m q 2^n (n from z) with 2^n = 2^n1 2^n2, both factors normal: one final
 * rounding (denormal results right; m = 1 gives e^t itself). */
QK_INLINE qk_v QK_TFN(qk_act_scale_full)(qk_v q, qk_v z, qk_v m)
{
    qk_v n = v_sub(z, v_set(QK_TC(QK_MAGIC_BIASED)));
    qk_v n1 = v_floor(v_mul(n, v_set(0.5)));
    qk_v n2 = v_sub(n, n1);
    qk_v s1 = QK_TFN(qk_act_pow2)(v_add(n1, v_set(QK_TC(QK_MAGIC_BIASED))));
    qk_v s2 = QK_TFN(qk_act_pow2)(v_add(n2, v_set(QK_TC(QK_MAGIC_BIASED))));
    return v_mul(v_mul(m, v_mul(q, s1)), s2);
}

/* q 2^max(n, -100): e^t where only 1 + e^t is needed (below 2^-100 that is
 * 1 either way), never a denormal, so no spurious underflow. */
QK_INLINE qk_v QK_TFN(qk_act_e_for_sum)(qk_v q, qk_v z)
{
    return v_mul(q, QK_TFN(qk_act_pow2)(v_max(z, v_set(QK_TC(QK_MAGIC_BIASED) - 100))));
}

/* m e^t for t in [-170, 0] (float32; [-1400, 0] float64): the reduction and
 * q 2^n, then the two-factor scaling above.  Inside the core range it
 * equals m * qk_act_exp_core(t) bit for bit: m (q 2^n) = (m q 2^n1) 2^n2
 * when all are normal. */
QK_INLINE qk_v QK_TFN(qk_act_mexp_full)(qk_v t, qk_v m, qk_v *q, qk_v *z)
{
    qk_v zr;
    qk_v r = QK_TFN(qk_act_reduce)(t, &zr);
    *q = QK_TFN(qk_act_q)(r, zr, z);
    return QK_TFN(qk_act_scale_full)(*q, *z, m);
}

/* NaN lanes -> x quieted (x + x, invalid for a signalling NaN, as np.exp);
 * the addition runs on NaN lanes only (elsewhere on 0), so no huge x can
 * raise a spurious overflow through it. */
QK_INLINE qk_v QK_TFN(qk_act_nan_patch)(qk_m nan, qk_v x, qk_v y)
{
    qk_v xn = v_select(nan, x, v_set(0));
    return v_select(nan, v_add(xn, xn), y);
}

/* Edge patch of the approximate tiers: NaN -> quieted NaN (x + x, as
 * np.exp); x < xflush -> `zero` (+0 or -0).  Underflow is reported by the
 * driver's rule (driver.h), not here. */
QK_INLINE qk_v QK_TFN(qk_act_q_patch)(qk_v x, qk_v y, qk_t xflush, qk_t zero)
{
    qk_m small = v_lt(x, v_set(xflush));
    y = v_select(small, v_set(zero), y);
    return QK_TFN(qk_act_nan_patch)(v_isnan(x), x, y);
}

/* x sigmoid(g) of the precise x-times-sigmoid ops (silu: g = x; gelu_tanh:
 * g = K (x + c x^3)) from e = e^-g(|x|) and xe = x e: x / (1 + e) for
 * x > 0, x e / (1 + e) otherwise (no cancellation on either side). */
QK_INLINE qk_v QK_TFN(qk_act_x_sigmoid)(qk_v x, qk_v xe, qk_v e)
{
    return v_div(v_select(v_gt(x, v_set(0)), x, xe), v_add(v_set(1), e));
}

/* Their full-range edges: x0 is x with NaN and flushed (small) lanes zeroed;
 * above `fast` the result is x0 exactly, flushed lanes -0, NaN x quieted. */
QK_INLINE qk_v QK_TFN(qk_act_x_sigmoid_edges)(qk_v x, qk_v x0, qk_v y, qk_m nan, qk_m small,
                                             qk_t fast)
{
    y = v_select(v_gt(x0, v_set(fast)), x0, y); /* exactly x */
    y = v_select(small, v_set(-0.0), y);
    return QK_TFN(qk_act_nan_patch)(nan, x, y);
}
