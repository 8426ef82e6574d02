/* Short float32 rows (n <= 8 on AVX-512), one row per vector lane.
 *
 * A row of at most QK_RL_F32 elements puts element k alone in canonical
 * lane k (quake/rows.h), so its passes are per-element steps plus the two
 * halving trees.  Here a group of QK_WF rows is gathered element by
 * element into vectors X[k] (lane r = element k of row r), and every step
 * of qk_row_f32 runs on all rows at once: the trees combine X[k] with
 * X[k + h] exactly as a row's lanes are combined (same operations, same
 * order, the empty lanes' -inf / +0 operands dropped since max(a, -inf) =
 * a and s + 0 = s for s >= 0), exp and the output steps are the row
 * kernel's own per-lane functions, 1/S is formed in float64 as
 * qk_row_fin_f32 does.  So each row gets the bits of one row at a time,
 * while the per-row serial chain (trees, classification, 1/S) is spread
 * over QK_WF lanes.  Groups holding a special row (NaN, +inf, all -inf)
 * or, for q1, both fold decisions go row by row.
 */
#ifndef QUAKE_KERNELS_SOFTMAX_LANES_F32_H
#define QUAKE_KERNELS_SOFTMAX_LANES_F32_H

#include "quake/kernels/softmax_f32.h"

/* AVX-512 only, rows of at most 8 (measured on Zen 4, q2 softmax ns/row:
 * n = 2: 3.3 vs 14.6 row by row, 4: 6.2 vs 14.9, 8: 10.6 vs 13.6, 12: 15.2
 * vs 14.5, 16: 19.3 vs 11.6 -- the gathers and scatters cost ~1 ns per
 * element of a 16-row group).  AVX2 and NEON would need the gather /
 * scatter / narrow primitives and a measurement first. */
#if QK_WF == 16

#define QK_LANES_MAXN 8

/* Can rows xrs / yrs bytes apart be addressed by 32-bit lane offsets? */
QK_INLINE int qk_lanes_fit_f32(qk_size xrs, qk_size yrs)
{
    const qk_size lim = (qk_size)0x7fffffff / (QK_WF - 1);
    return xrs <= lim && xrs >= -lim && yrs <= lim && yrs >= -lim;
}

/* the canonical halving tree over elements 0..n-1 (lane k op= lane k + h);
 * lanes past the row are empty and leave their partner as it is */
#define QK_LANES_TREE(acc, n, op)                                                             \
    do {                                                                                       \
        qk_size have_ = (n);                                                                   \
        for (int h_ = QK_RL_F32 / 2; h_ >= 1; h_ /= 2) {                                       \
            for (int k_ = 0; k_ < h_ && k_ + h_ < have_; k_++)                                 \
                acc[k_] = op(acc[k_], acc[k_ + h_]);                                           \
            if (have_ > h_)                                                                    \
                have_ = h_;                                                                    \
        }                                                                                      \
    } while (0)

/* 1/S (precise: 2^24/S) as r_hi + r_lo, lane by lane as qk_row_fin_f32 */
QK_INLINE void qk_lanes_recip_f32(vd s0, vd s1, int tier, vf *rh, vf *rl)
{
    const vd c = vd_set(tier == QK_TIER_precise ? (double)QK_SM_RSCALE_F32 : 1.0);
    const vd r0 = vd_div(c, s0), r1 = vd_div(c, s1);
    *rh = vf_narrow2(r0, r1);
    *rl = vf_narrow2(vd_sub(r0, vf_widen(*rh, 0)), vd_sub(r1, vf_widen(*rh, 1)));
}

/* passes 2 and 3 of QK_WF classified finite rows of one fold decision */
QK_INLINE void qk_lanes_rest_f32(const vf *X, vf m, vf lo, vf c0, char *y, qk_size n, vi yo,
                                 int op, int tier, int fold)
{
    const qk_smv_f32 p = {m, lo, c0};
    vf E[QK_LANES_MAXN];
    vd S0[QK_LANES_MAXN], S1[QK_LANES_MAXN];
    for (qk_size k = 0; k < n; k++) {
        E[k] = qk_sm_exp_f32(X[k], &p, tier, fold, 0);
        S0[k] = vf_widen(E[k], 0);
        S1[k] = vf_widen(E[k], 1);
    }
    QK_LANES_TREE(S0, n, vd_add);
    QK_LANES_TREE(S1, n, vd_add);
    if (op == QK_OP_softmax) {
        vf rh, rl;
        qk_lanes_recip_f32(S0[0], S1[0], tier, &rh, &rl);
        for (qk_size k = 0; k < n; k++)
            vf_scatter(y + k * (qk_size)sizeof(float), yo, qk_sm_scale_f32(E[k], rh, rl, tier));
        return;
    }
    /* log S: libm's log per row, as qk_row_fin_f32 / qk_logsumexp_value_f32 */
    double s[QK_WF];
    float mv[QK_WF], out[QK_WF];
    vd_store(s, S0[0]);
    vd_store(s + QK_WD, S1[0]);
    vf_store(mv, m);
    if (op == QK_OP_log_softmax) {
        for (int r = 0; r < QK_WF; r++)
            out[r] = (float)log(s[r]);
        const vf L = vf_load(out);
        for (qk_size k = 0; k < n; k++)
            vf_scatter(y + k * (qk_size)sizeof(float), yo, vf_sub(vf_sub(X[k], m), L));
    } else {
        for (int r = 0; r < QK_WF; r++)
            out[r] = (float)((double)mv[r] + log(s[r]));
        vf_scatter(y, yo, vf_load(out));
    }
}

/* QK_WF rows of n <= QK_LANES_MAXN elements: row r at x + r xrs, y + r yrs */
static int qk_lanes_group_f32(const char *x, char *y, qk_size n, qk_size xrs, qk_size yrs, vi xo,
                              vi yo, int op, int tier)
{
    vf X[QK_LANES_MAXN], M[QK_LANES_MAXN];
    mf nan = vf_isnan(vf_set(0.0f));
    for (qk_size k = 0; k < n; k++) {
        X[k] = vf_gather(x + k * (qk_size)sizeof(float), xo);
        const mf vn = vf_isnan(X[k]);
        nan = mf_or(nan, vn);
        M[k] = vf_max(vf_set(-INFINITY), vf_zero_if(vn, X[k]));
    }
    QK_LANES_TREE(M, n, vf_max);
    const vf m = M[0];
    /* qk_row_mid_f32 for every lane: all finite, one fold decision */
    float mv[QK_WF];
    vf_store(mv, m);
    int special = mf_any(nan), nfold = 0;
    for (int r = 0; r < QK_WF; r++) {
        special |= !(mv[r] > -INFINITY && mv[r] < INFINITY);
        nfold += tier == QK_TIER_q1 && fabsf(mv[r]) <= QK_SM_FOLD_MAX_F32;
    }
    if (QK_UNLIKELY(special || (nfold != 0 && nfold != QK_WF))) {
        int st = 0;
        for (int r = 0; r < QK_WF; r++)
            st |= qk_row_f32((const float *)(x + r * xrs), (float *)(y + r * yrs), n, op, tier);
        return st;
    }
    /* lo = m - 2^126 above m = -2^127 (qk_row_mid_f32) */
    vf lo = vf_select(vf_gt(m, vf_set(-0x1p127f)), vf_sub(m, vf_set(0x1p126f)), vf_set(-INFINITY));
    vf c0 = vf_set(0.0f);
    if (nfold) { /* c0' = c0 - c1 m in float64, lo = m - 128 */
        const vd a = vd_set((double)QK_EXP_Q1_C0_F32), b = vd_set((double)QK_EXP_Q1_C1_F32);
        c0 = vf_narrow2(vd_sub(a, vd_mul(b, vf_widen(m, 0))), vd_sub(a, vd_mul(b, vf_widen(m, 1))));
        lo = vf_sub(m, vf_set(128.0f));
        qk_lanes_rest_f32(X, m, lo, c0, y, n, yo, op, tier, 1);
    } else {
        qk_lanes_rest_f32(X, m, lo, c0, y, n, yo, op, tier, 0);
    }
    return 0;
}

/* Rows [0, done) of `rows` in groups of QK_WF (the rest to the caller). */
QK_INLINE qk_size qk_rows_lanes_f32(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                                    qk_size yrs, int op, int tier, int *st)
{
    if (n < 1 || n > QK_LANES_MAXN || rows < QK_WF || !qk_lanes_fit_f32(xrs, yrs))
        return 0;
    const vi xo = vi_lane_offsets((int32_t)xrs), yo = vi_lane_offsets((int32_t)yrs);
    qk_size r = 0;
    for (; r + QK_WF <= rows; r += QK_WF)
        *st |= qk_lanes_group_f32(x + r * xrs, y + r * yrs, n, xrs, yrs, xo, yo, op, tier);
    return r;
}

#undef QK_LANES_TREE
#endif /* QK_WF == 16 */

#endif
