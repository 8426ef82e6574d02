/* Short float32 rows (n <= 63 on AVX-512), one row per vector lane.
 *
 * A row of fewer than 4 QK_RL_F32 elements puts element k in canonical
 * lane k mod QK_RL_F32 (quake/rows.h), so its passes are per-element
 * steps, the fold of elements k + 16, k + 32, k + 48 into lane k (the row
 * kernel's later blocks, in their order) and the two halving trees.  (64
 * and more would meet the float32 q1/q2 sums' groups of four blocks.)  Here a group of QK_WF rows is gathered element by
 * element into vectors X[k] (lane r = element k of row r), and every step
 * of qk_row_f32 runs on all rows at once: the trees combine X[k] with
 * X[k + h] exactly as a row's lanes are combined (same operations, same
 * order, the empty lanes' -inf / +0 operands dropped since max(a, -inf) =
 * a and s + 0 = s for s >= 0), exp and the output steps are the row
 * kernel's own per-lane functions, 1/S is formed in float64 as
 * qk_row_fin_f32 does.  The rows go in and out by 16 x 16 transposes in
 * registers (vf_transpose16: masked row loads, 64 shuffles each way, per
 * 16 elements of the rows).  So each row gets the bits of one row at a time,
 * while the per-row serial chain (trees, classification, 1/S) is spread
 * over QK_WF lanes.  Groups holding a special row (NaN, +inf, all -inf)
 * or, for q1, both fold decisions go row by row.
 */
#ifndef QUAKE_KERNELS_SOFTMAX_LANES_F32_H
#define QUAKE_KERNELS_SOFTMAX_LANES_F32_H

#include "quake/kernels/softmax_f32.h"

/* AVX-512 only.  AVX2 and NEON would need the transpose / narrow
 * primitives (8 x 8 / 4 x 4) and a measurement first. */
#if QK_WF == 16

#define QK_LANES_MAXN (4 * QK_RL_F32 - 1) /* below the q1/q2 sums' first group */
#define QK_LANES_CAP (4 * QK_RL_F32) /* columns a group holds: whole transposes */
#define QK_LANES_HALF (QK_RL_F32 / 2) /* entries left after the trees' first step */
/* canonical lanes a row of n uses */
#define QK_LANES_USED(n) ((n) < QK_RL_F32 ? (n) : QK_RL_F32)

/* Can results yrs bytes apart be addressed by 32-bit lane offsets (the
 * scatter of logsumexp's one value per row)? */
QK_INLINE int qk_lanes_fit_f32(qk_size yrs)
{
    const qk_size lim = (qk_size)0x7fffffff / (QK_WF - 1);
    return yrs <= lim && yrs >= -lim;
}

/* the canonical halving tree over elements 0..n-1 (lane k op= lane k + h);
 * lanes past the row are empty and leave their partner as it is.  Callers
 * do the first step (h = 8) as they fill acc[0..8), so it skips it here. */
#define QK_LANES_TREE(acc, n, op)                                                             \
    do {                                                                                       \
        qk_size have_ = (n);                                                                   \
        if (have_ > QK_LANES_HALF)                                                             \
            have_ = QK_LANES_HALF;                                                             \
        for (int h_ = QK_LANES_HALF / 2; h_ >= 1; h_ /= 2) {                                       \
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

/* QK_WF rows of n elements, xrs bytes apart, into columns X[0..n) (lane r
 * = element k of row r), 16 elements of each row per transpose */
QK_INLINE void qk_lanes_load_f32(vf *X, const char *x, qk_size n, qk_size xrs)
{
    if (n == 1 && xrs == (qk_size)sizeof(float)) { /* 16 rows of one element: one vector */
        X[0] = vf_load((const float *)x);
        return;
    }
    for (qk_size k0 = 0; k0 < n; k0 += QK_WF) {
        const qk_size nk = n - k0 < QK_WF ? n - k0 : QK_WF;
        for (int r = 0; r < QK_WF; r++)
            X[k0 + r] = vf_load_partial((const float *)(x + r * xrs) + k0, nk);
        vf_transpose16(X + k0);
    }
}

/* columns Y[0..n) back into QK_WF rows of n elements, yrs bytes apart */
QK_INLINE void qk_lanes_store_f32(vf *Y, char *y, qk_size n, qk_size yrs)
{
    if (n == 1 && yrs == (qk_size)sizeof(float)) {
        vf_store((float *)y, Y[0]);
        return;
    }
    for (qk_size k0 = 0; k0 < n; k0 += QK_WF) {
        const qk_size nk = n - k0 < QK_WF ? n - k0 : QK_WF;
        for (qk_size k = nk; k < QK_WF; k++)
            Y[k0 + k] = vf_set(0.0f);
        vf_transpose16(Y + k0);
        for (int r = 0; r < QK_WF; r++)
            vf_store_partial((float *)(y + r * yrs) + k0, Y[k0 + r], nk);
    }
}

/* passes 2 and 3 of QK_WF classified finite rows of one fold decision;
 * X[0..n) is overwritten (softmax: with the exponentials, then the outputs) */
QK_INLINE void qk_lanes_rest_f32(vf *X, vf m, vf lo, vf c0, char *y, qk_size n, qk_size yrs,
                                 vi yo, int op, int tier, int fold)
{
    const qk_smv_f32 p = {m, lo, c0};
    vd S0[QK_LANES_HALF], S1[QK_LANES_HALF];
    for (qk_size k = 0; k < QK_LANES_HALF; k++) /* entries past the row: never read */
        S0[k] = S1[k] = vd_set(0.0);
    vf E[QK_LANES_MAXN];
    for (qk_size k = 0; k < n; k++)
        E[k] = qk_sm_exp_f32(X[k], &p, tier, fold, 0);
    for (qk_size k = 0; k < QK_LANES_USED(n); k++) {
        /* lane k: 0 + e_k (exact), then + e_(k+16), ..., as the row kernel's blocks */
        vd e0 = vf_widen(E[k], 0), e1 = vf_widen(E[k], 1);
        for (qk_size j = k + QK_RL_F32; j < n; j += QK_RL_F32) {
            e0 = vd_add(e0, vf_widen(E[j], 0));
            e1 = vd_add(e1, vf_widen(E[j], 1));
        }
        if (k < QK_LANES_HALF) { /* the trees' h = 8 step as the entries come */
            S0[k] = e0;
            S1[k] = e1;
        } else {
            S0[k - QK_LANES_HALF] = vd_add(S0[k - QK_LANES_HALF], e0);
            S1[k - QK_LANES_HALF] = vd_add(S1[k - QK_LANES_HALF], e1);
        }
    }
    QK_LANES_TREE(S0, n, vd_add);
    QK_LANES_TREE(S1, n, vd_add);
    if (op == QK_OP_softmax) {
        vf rh, rl;
        qk_lanes_recip_f32(S0[0], S1[0], tier, &rh, &rl);
        for (qk_size k = 0; k < n; k++)
            X[k] = qk_sm_scale_f32(E[k], rh, rl, tier);
        qk_lanes_store_f32(X, y, n, yrs);
        return;
    }
    /* log S of all QK_WF rows at once (row_log_f32.h), as qk_row_fin_f32 /
     * qk_logsumexp_value_f32 take it for one */
    const vd L0 = qk_row_log_f32(S0[0]), L1 = qk_row_log_f32(S1[0]);
    if (op == QK_OP_log_softmax) {
        const vf L = vf_narrow2(L0, L1);
        for (qk_size k = 0; k < n; k++)
            X[k] = vf_sub(vf_sub(X[k], m), L);
        qk_lanes_store_f32(X, y, n, yrs);
    } else {
        const vf v = vf_narrow2(vd_add(vf_widen(m, 0), L0), vd_add(vf_widen(m, 1), L1));
        if (yrs == (qk_size)sizeof(float)) /* results side by side: a store, not a scatter */
            vf_store((float *)y, v);
        else
            vf_scatter(y, yo, v);
    }
}

/* QK_WF rows of n <= QK_LANES_MAXN elements: row r at x + r xrs, y + r yrs */
static int qk_lanes_group_f32(const char *x, char *y, qk_size n, qk_size xrs, qk_size yrs, vi yo,
                              int op, int tier)
{
    vf X[QK_LANES_CAP], M[QK_LANES_HALF];
    qk_lanes_load_f32(X, x, n, xrs); /* X[k], k < n: lane r = element k of row r */
    mf nan = vf_isnan(vf_set(0.0f));
    for (qk_size k = 0; k < QK_LANES_USED(n); k++) {
        /* lane k: max(-inf, x_k), then x_(k+16), ..., as the row kernel's blocks */
        mf vn = vf_isnan(X[k]);
        nan = mf_or(nan, vn);
        vf v = vf_max(vf_set(-INFINITY), vf_zero_if(vn, X[k]));
        for (qk_size j = k + QK_RL_F32; j < n; j += QK_RL_F32) {
            vn = vf_isnan(X[j]);
            nan = mf_or(nan, vn);
            v = vf_max(v, vf_zero_if(vn, X[j]));
        }
        if (k < QK_LANES_HALF) /* the tree's h = 8 step as the entries come */
            M[k] = v;
        else
            M[k - QK_LANES_HALF] = vf_max(M[k - QK_LANES_HALF], v);
    }
    QK_LANES_TREE(M, n, vf_max);
    const vf m = M[0];
    /* qk_row_mid_f32 for every lane: all finite, one fold decision */
    const vf am = vf_abs(m); /* m is never NaN (NaN lanes entered the max as 0) */
    const int special = mf_any(nan) || mf_any(vf_not_le(am, vf_set(FLT_MAX)));
    const mf nofold = vf_not_le(am, vf_set(QK_SM_FOLD_MAX_F32)); /* |m| > 2^10 */
    const int nfold = tier == QK_TIER_q1 && !mf_any(nofold);   /* every row folds */
    const int mixed = tier == QK_TIER_q1 && mf_any(nofold) && !mf_all(nofold);
    if (QK_UNLIKELY(special || mixed)) {
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
        qk_lanes_rest_f32(X, m, lo, c0, y, n, yrs, yo, op, tier, 1);
    } else {
        qk_lanes_rest_f32(X, m, lo, c0, y, n, yrs, yo, op, tier, 0);
    }
    return 0;
}

/* Rows [0, done) of `rows` in groups of QK_WF (the rest to the caller). */
QK_INLINE qk_size qk_rows_lanes_f32(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                                    qk_size yrs, int op, int tier, int *st)
{
    if (n < 1 || n > QK_LANES_MAXN || rows < QK_WF || !qk_lanes_fit_f32(yrs))
        return 0;
    const vi yo = vi_lane_offsets((int32_t)yrs); /* logsumexp's one result per row */
    qk_size r = 0;
    for (; r + QK_WF <= rows; r += QK_WF)
        *st |= qk_lanes_group_f32(x + r * xrs, y + r * yrs, n, xrs, yrs, yo, op, tier);
    return r;
}

#undef QK_LANES_TREE
#undef QK_LANES_HALF
#undef QK_LANES_USED
#undef QK_LANES_CAP
#endif /* QK_WF == 16 */

#endif
