/* Pass 3 of the row ops, float32 and float64 (generic: simd/generic.h;
 * included by kernels/softmax.h after pass 2, qk_sm_exp). */

QK_INLINE qk_v QK_TFN(qk_sm_scale)(qk_v e, qk_v r_hi, qk_v r_lo, int tier)
{
    /* (e r_hi + e r_lo) 2^-RSCALE: one rounding for normal results (the
     * final power-of-2 scaling is exact there) */
    if (tier == QK_TIER_precise)
        return v_mul(v_fma(e, r_hi, v_mul(e, r_lo)), v_set(1 / QK_TC(QK_SM_RSCALE)));
    return v_mul(e, r_hi);
}

/* softmax output: y = scale(e) with e read back from y (recompute = 0) or
 * recomputed from x (recompute = 1, the segmented path); same bits. */
QK_INLINE void QK_TFN(qk_row_softmax_out)(const QK_TFN(qk_rowstate) *s, const qk_t *x, qk_t *y,
                                          qk_size n, int tier, int fold, int recompute)
{
    const QK_TFN(qk_smv) p = QK_TK(qk_smv, _of)(s);
    const qk_v rh = v_set(s->r_hi), rl = v_set(s->r_lo);
    qk_size i = 0;
    for (; i + QK_W <= n; i += QK_W) {
        qk_v e = recompute ? QK_TFN(qk_sm_exp)(v_load(x + i), &p, tier, fold, 0) : v_load(y + i);
        v_store(y + i, QK_TFN(qk_sm_scale)(e, rh, rl, tier));
    }
    if (i < n) {
        qk_v e = recompute ? QK_TFN(qk_sm_exp)(v_load_partial_or(x + i, n - i, -INFINITY), &p, tier,
                                               fold, 0)
                           : v_load_partial(y + i, n - i);
        v_store_partial(y + i, QK_TFN(qk_sm_scale)(e, rh, rl, tier), n - i);
    }
}

QK_INLINE void QK_TFN(qk_row_logsoftmax_out)(const QK_TFN(qk_rowstate) *s, const qk_t *x,
                                             qk_t *y, qk_size n)
{
    const qk_v m = v_set(s->m), L = v_set(s->L);
    qk_size i = 0;
    for (; i + QK_W <= n; i += QK_W) {
        QK_PREFETCH_WRITE(y + i, QK_W * sizeof(qk_t)); /* its first store to y */
        v_store(y + i, v_sub(v_sub(v_load(x + i), m), L));
    }
    if (i < n)
        v_store_partial(y + i, v_sub(v_sub(v_load_partial(x + i, n - i), m), L), n - i);
}
