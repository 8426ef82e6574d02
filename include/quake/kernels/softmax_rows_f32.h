/* float32 row kernels over many rows: groups of QK_SM_ROWS rows go through
 * the per-row steps of softmax_f32.h phase by phase (all maxima, then all
 * sums, then all outputs), so that the serial tail of one row (halving
 * tree, classification, 1/S or log S) overlaps the vector work of the next
 * instead of stalling the pipeline once per row.  Each row still runs
 * exactly the steps of qk_row_f32, so the bits (and QK_FE_* status) are
 * those of one row at a time.  Groups holding a special row (NaN, +inf,
 * all -inf) or, for q1, rows with different fold decisions are redone row
 * by row; nothing is written before that test.  Included by kernels/all.h
 * after the float32 instantiation of kernels/softmax.h.
 */
#ifndef QUAKE_KERNELS_SOFTMAX_ROWS_F32_H
#define QUAKE_KERNELS_SOFTMAX_ROWS_F32_H

#include "quake/kernels/softmax_f32.h"
#include "quake/kernels/softmax_lanes_f32.h"

/* rows per group, and the longest row grouped (beyond it a row's own
 * passes hide the tails' latency); rows of at most 16 elements are not
 * grouped (measured slower: the group's per-row arrays live on the stack) */
#define QK_SM_ROWS 4
#define QK_SM_ROWS_MAXN 2048

/* passes 2 and 3 of R classified rows (all finite, one fold) */
QK_INLINE void qk_rows_out_f32(qk_rowstate_f32 *s, const float *const *xr, float *const *yr,
                               qk_size n, int R, int op, int tier, int fold, int fast)
{
    /* (rows of n <= QK_RL_F32 are never grouped: see qk_rows_f32) */
    double S[QK_SM_ROWS];
    for (int r = 0; r < R; r++) {
        const qk_smv_f32 p = qk_smv_f32_of(&s[r]);
        vd acc[QK_RL_F32 / QK_WD];
        for (int k = 0; k < QK_RL_F32 / QK_WD; k++)
            acc[k] = vd_set(0.0);
        qk_row_sum_f32(acc, &p, xr[r], yr[r], n, tier, fold, fast, op == QK_OP_softmax);
        S[r] = qk_row_tree_sum_f32(acc);
    }
    for (int r = 0; r < R; r++)
        qk_row_fin_f32(&s[r], S[r], op, tier);
    for (int r = 0; r < R; r++) {
        if (op == QK_OP_softmax)
            qk_row_softmax_out_f32(&s[r], xr[r], yr[r], n, tier, 0, 0);
        else if (op == QK_OP_log_softmax)
            qk_row_logsoftmax_out_f32(&s[r], xr[r], yr[r], n);
        else
            yr[r][0] = qk_logsumexp_value_f32(&s[r]);
    }
}

/* R <= QK_SM_ROWS rows (row r at x + r xrs, y + r yrs) */
QK_INLINE int qk_rows_group_f32(const char *x, char *y, qk_size n, qk_size xrs, qk_size yrs,
                                int R, int op, int tier)
{
    qk_rowstate_f32 s[QK_SM_ROWS];
    const float *xr[QK_SM_ROWS];
    float *yr[QK_SM_ROWS];
    int bad = 0, fast = 1;
    for (int r = 0; r < R; r++) {
        xr[r] = (const float *)(x + (qk_size)r * xrs);
        yr[r] = (float *)(y + (qk_size)r * yrs);
        vf mx[QK_NV_F32], mn[QK_NV_F32];
        mf nan = vf_isnan(vf_set(0.0f));
        for (int j = 0; j < QK_NV_F32; j++) {
            mx[j] = vf_set(-INFINITY);
            mn[j] = vf_set(INFINITY);
        }
        qk_row_max_f32(mx, mn, &nan, xr[r], n);
        s[r].n = n;
        s[r].nan = mf_any(nan);
        if (qk_row_mid_f32(&s[r], qk_row_tree_max_f32(mx), tier) != QK_ROW_FINITE)
            bad = 1;
        else /* fast only where every row of the group is (fast = 0 is always right) */
            fast &= n >= QK_SM_FAST_MINN && qk_sm_fast_f32(&s[r], qk_row_min_f32(mn), tier);
        bad |= s[r].fold != s[0].fold;
    }
    if (QK_UNLIKELY(bad)) {
        int st = 0;
        for (int r = 0; r < R; r++)
            st |= qk_row_f32(xr[r], yr[r], n, op, tier);
        return st;
    }
#define QK_CALL_(fo, fa) qk_rows_out_f32(s, xr, yr, n, R, op, tier, fo, fa)
    QK_ROW_REST(QK_CALL_, tier, s[0].fold, fast);
#undef QK_CALL_
    return 0;
}

QK_INLINE int qk_rows_f32(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                          qk_size yrs, int op, int tier)
{
    int st = 0;
    qk_size r = 0;
#if QK_WF == 16 /* short rows: 16 at a time, one per lane (softmax_lanes_f32.h) */
    r = qk_rows_lanes_f32(x, y, n, rows, xrs, yrs, op, tier, &st);
#endif
    if (n > QK_RL_F32 && n <= QK_SM_ROWS_MAXN)
        for (; r + QK_SM_ROWS <= rows; r += QK_SM_ROWS)
            st |= qk_rows_group_f32(x + r * xrs, y + r * yrs, n, xrs, yrs, QK_SM_ROWS, op, tier);
    return st | qk_rows_each_f32(x + r * xrs, y + r * yrs, n, rows - r, xrs, yrs, op, tier);
}

#endif
