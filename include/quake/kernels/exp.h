/* The exponential, three tiers, float32 and float64 (generic:
 * simd/generic.h; the per-type pieces, same names and signatures, in
 * exp_f32.h and exp_f64.h: the approximate tiers' bit constructions, the
 * precise table's reduction, polynomial and scaling).  Constants and their derivations: consts/exp.h. */

/* Edge handling shared by the tiers: lanes that are NaN, overflow
 * (x > XMAX, +inf included) or below `zero_below` are computed on x = 0 (so
 * no spurious FP flag can arise) and patched afterwards.  Overflow is
 * reported for finite x > XMAX, as np.exp does; underflow by the driver's
 * rule (driver.h). */
typedef struct {
    qk_m nan, big, small;
} QK_TFN(qk_exp_edges);

QK_INLINE qk_v QK_TFN(qk_exp_edges_begin)(qk_v x, qk_t zero_below, QK_TFN(qk_exp_edges) *e,
                                          int *st)
{
    e->nan = v_isnan(x);
    e->big = v_gt(x, v_set(QK_TC(QK_EXP_XMAX)));
    e->small = v_lt(x, v_set(zero_below));
    if (m_any(m_and(e->big, v_lt(x, v_set(INFINITY)))))
        *st |= QK_FE_OVERFLOW;
    return v_zero_if(m_or(e->nan, m_or(e->big, e->small)), x);
}

QK_INLINE qk_v QK_TFN(qk_exp_edges_end)(qk_v x, qk_v y, const QK_TFN(qk_exp_edges) *e)
{
    y = v_select(e->big, v_set(INFINITY), y);
    y = v_zero_if(e->small, y);
    /* NaN: quieted (x + x), as np.exp; other lanes add 0 + 0, so a huge
     * finite x cannot raise a spurious overflow here */
    qk_v xn = v_select(e->nan, x, v_set(0));
    return v_select(e->nan, v_add(xn, xn), y);
}

/* ---- order 1: the QuAKE piecewise-linear function, one FMA ---- */
QK_INLINE qk_v QK_TK(exp_q1, _core)(qk_v x)
{
    return QK_TFN(qk_exp_q1)(v_fma(x, v_set(QK_TC(QK_EXP_Q1_K)), v_set(QK_TC(QK_EXP_Q1_B))));
}
QK_INLINE qk_v QK_TK(exp_q1, _full)(qk_v x, int *st)
{
    QK_TFN(qk_exp_edges) e;
    qk_v x0 = QK_TFN(qk_exp_edges_begin)(x, QK_TC(QK_EXP_XNORM), &e, st);
    qk_v u = v_fma(x0, v_set(QK_TC(QK_EXP_Q1_K)), v_set(QK_TC(QK_EXP_Q1_B)));
    return QK_TFN(qk_exp_edges_end)(x, QK_TFN(qk_exp_q1)(QK_TFN(qk_exp_q1_clamp)(u)), &e);
}
QK_TC(QK_DEFINE_EXP)(QK_TFN(exp_q1))

/* ---- order 2: floor split + continuity-preserving quadratic ---- */
QK_INLINE qk_v QK_TK(exp_q2, _core)(qk_v x)
{
    return QK_TK(qk_exp_q2, _eval)(v_mul(x, v_set(QK_TC(QK_LOG2E))));
}
QK_INLINE qk_v QK_TK(exp_q2, _full)(qk_v x, int *st)
{
    QK_TFN(qk_exp_edges) e;
    qk_v x0 = QK_TFN(qk_exp_edges_begin)(x, QK_TC(QK_EXP_XNORM), &e, st);
    qk_v t = v_mul(x0, v_set(QK_TC(QK_LOG2E)));
    t = v_min(v_max(t, v_set(QK_TC(QK_EXP_TMIN))), v_set(QK_TC(QK_EXP_TMAX)));
    return QK_TFN(qk_exp_edges_end)(x, QK_TK(qk_exp_q2, _eval)(t), &e);
}
QK_TC(QK_DEFINE_EXP)(QK_TFN(exp_q2))

/* ---- precise: a 16-entry table, e^x = 2^m T_j (1 + w), k = round(x 16/ln2)
 * = 16 m + j; the reduction r, w = D_j + r P(r) and the scaling are per type
 * (exp_f{32,64}.h, same names: degree 3 for float32, 6 for float64) ---- */
QK_INLINE qk_v QK_TK(exp_precise, _core)(qk_v x)
{
    qk_v z, t;
    qk_v r = QK_TK(qk_exp_t, _r)(x, &z);
    qk_v w = QK_TK(qk_exp_t, _w)(z, r, &t);
    qk_v s = QK_TK(qk_exp_t, _scale)(t, z);
    return v_fma(s, w, s);
}

/* The full range between the edge patches: for x in [XZERO, XMAX], m lies
 * in [-150, 128] (float64: [-1075, 1024]): 2^m = 2^m1 2^m2, m1 = floor(m/2)
 * = floor(k/32), by taking 16 m1 off k (z2 = z - 16 m1, exact); y = (s2 +
 * s2 w) 2^m1 rounds once where y is normal (the core's bits) and twice, as a
 * correct denormal, below. */
QK_INLINE qk_v QK_TK(qk_exp_p, _full)(qk_v x0)
{
    qk_v z, t;
    qk_v r = QK_TK(qk_exp_t, _r)(x0, &z);
    qk_v w = QK_TK(qk_exp_t, _w)(z, r, &t);
    qk_v k = v_sub(z, v_set(QK_TC(QK_MAGIC)));
    qk_v m1 = v_floor(v_mul(k, v_set(0.03125)));
    qk_v s2 = QK_TK(qk_exp_t, _scale)(t, v_fma(m1, v_set(-16), z));
    return v_mul(v_fma(s2, w, s2), QK_TFN(qk_exp2i)(m1));
}

QK_INLINE qk_v QK_TK(exp_precise, _full)(qk_v x, int *st)
{
    QK_TFN(qk_exp_edges) e;
    qk_v x0 = QK_TFN(qk_exp_edges_begin)(x, QK_TC(QK_EXP_XZERO), &e, st);
    return QK_TFN(qk_exp_edges_end)(x, QK_TK(qk_exp_p, _full)(x0), &e);
}
QK_TC(QK_DEFINE_EXP)(QK_TFN(exp_precise))
