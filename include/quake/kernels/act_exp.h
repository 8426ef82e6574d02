/* Exponential building blocks of the activations, float32 and float64
 * (generic; the per-type pieces, same names and signatures, in
 * act_exp_f{32,64}.h: qk_act_pow2, the table-free construction, the
 * approximate tiers' qk_act_q1 / qk_act_q2).  The precise reduction
 * qk_act_reduce / qk_act_q as q 2^n from exp's 16-entry table and
 * qk_act_exp_core are here.  Also the precise division
 * num / (1 + e) of sigmoid, silu and gelu_tanh (qk_act_div1p). */

/* ---- precise: exp's 16-entry table (kernels/exp_f{32,64}.h) ---- */
/* From exp's z16 = k + magic (k = 16 n + j; magic 1.5 2^23 / 1.5 2^52)
 * and r (|r| <= ln2/32 + a hair): q with e^r 2^(k/16) = q 2^n, and *z for
 * 2^n (z = n + QK_MAGIC_BIASED: qk_act_pow2(z) = 2^n for normal 2^n). */
QK_INLINE qk_v QK_TFN(qk_act_tab_q)(qk_v z16, qk_v r, qk_v *z)
{
    qk_v t;
    qk_v w = QK_TK(qk_exp_t, _w)(z16, r, &t);
    qk_v n = v_floor(v_mul(v_sub(z16, v_set(QK_TC(QK_MAGIC))), v_set(1.0 / 16)));
    qk_v s = QK_TK(qk_exp_t, _scale)(t, v_fma(n, v_set(-16.0), z16)); /* T_j */
    *z = v_add(n, v_set(QK_TC(QK_MAGIC_BIASED)));
    return v_fma(s, w, s);
}

/* The reduction and q of the interface: r = t - k ln2/16 (*zr = z16),
 * then q 2^n = e^r 2^(k/16) */
QK_INLINE qk_v QK_TFN(qk_act_reduce)(qk_v t, qk_v *zr) { return QK_TK(qk_exp_t, _r)(t, zr); }
QK_INLINE qk_v QK_TFN(qk_act_q)(qk_v r, qk_v zr, qk_v *z) { return QK_TFN(qk_act_tab_q)(zr, r, z); }

/* e^t for t in [-87, 0] (float32; [-708, 0] float64; a normal result):
 * exp's core; equals q 2^n of the pair above bit for bit (a power of two
 * scales a normal result exactly) */
QK_INLINE qk_v QK_TFN(qk_act_exp_core)(qk_v t) { return QK_TK(exp_precise, _core)(t); }

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

/* num / (1 + e) for e in [0, 1] and num of either sign, to about half an
 * ULP of num's own error: y0 = num / d (d = 1 + e rounded), then one
 * correction y = y0 - rho w(e) by the exact residual rho = y0 (1 + e) - num
 * = y0 e + (y0 - num): y0 - num is exact (y0 lies between num/2 and num:
 * Sterbenz) and the FMA rounds once, so the roundings of d and of the
 * quotient are both undone; w(e) ~ 1/(1 + e) to 5.9% (consts/act.h).  The
 * signs are chosen so that a zero keeps y0's sign (-0 stays -0).
 * `guard` (a constant): drop the step where e < ELO (y0 e would be
 * denormal); callers whose window keeps e above ELO pass 0. */
QK_INLINE qk_v QK_TFN(qk_act_div1p)(qk_v num, qk_v e, int guard)
{
    qk_v y = v_div(num, v_add(v_set(1), e));
    qk_v eg = guard ? v_zero_if(v_lt(e, v_set(QK_TC(QK_ACT_DIV_ELO))), e) : e;
    qk_v rho = v_fma(y, eg, v_sub(y, num));
    qk_v nw = v_fma(e, v_set(-QK_TC(QK_ACT_DIV_W1)), v_set(-QK_TC(QK_ACT_DIV_W0))); /* -w(e) */
    return v_fma(rho, nw, y);
}

/* x sigmoid(g) of the precise x-times-sigmoid ops (silu: g = x; gelu_tanh:
 * g = K (x + c x^3)) from e = e^-g(|x|) and xe = x e: x / (1 + e) for
 * x > 0, x e / (1 + e) otherwise (no cancellation on either side). */
QK_INLINE qk_v QK_TFN(qk_act_x_sigmoid)(qk_v x, qk_v xe, qk_v e, int guard)
{
    return QK_TFN(qk_act_div1p)(v_select(v_gt(x, v_set(0)), x, xe), e, guard);
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
