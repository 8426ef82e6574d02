/* The float32 part of the row ops (softmax, log_softmax, logsumexp): what
 * differs from float64 behind one interface (kernels/softmax.h holds the
 * passes, written once; the reduction order is in quake/rows.h):
 *   qk_row_init_sum, qk_row_sum_step, qk_row_acc_load/store, qk_row_sum_fin
 *           the sums: 16 lanes in float64 (vf_widen); q1/q2 first add
 *           groups of QK_SM_GROUP_F32 blocks in float32
 *   qk_sm_fold_c0, qk_sm_q1  order 1: e = bits(int(c1 x + c0')) with the
 *           max folded into c0' = c0 - c1 m
 *   qk_sm_fast  the fast-row check (QK_SM_FAST_F32)
 *   qk_row_fin, qk_logsumexp_value  1/S, log S (in float64, row_log_f32.h)
 */
#ifndef QUAKE_KERNELS_SOFTMAX_F32_H
#define QUAKE_KERNELS_SOFTMAX_F32_H

#include <float.h>
#include "quake/rows.h"
#include "quake/consts/exp.h"
#include "quake/kernels/row_log_f32.h"

#define QK_NV_F32 (QK_RL_F32 / QK_WF) /* vf registers per canonical block */
#define QK_NW_F32 (QK_WF / QK_WD)     /* vd per widened vf */
#define QK_SM_NACC_F32 (QK_RL_F32 / QK_WD) /* vd accumulators: the 16 sums */
/* order 1 folds the max only while c1*m is small enough for c0' to keep
 * the argument exact to ~1e-5 (|m| <= 2^10); beyond, it subtracts first */
#define QK_SM_FOLD_MAX_F32 1024.0f
#define QK_SM_FOLD_LO_F32 128.0f /* folded rows clamp x at m - 128 */
/* x is clamped to lo = m - 2^126 (above m = -2^127): see qk_row_mid */
#define QK_SM_LO_MIN_F32 (-0x1p127f)
#define QK_SM_LO_GAP_F32 0x1p126f
#define QK_SM_NEG_MAX_F32 (-FLT_MAX) /* t below: x = -inf */
/* v = c1 (x - m) + c0 at x - m = XNORM, less a margin for the rounding of
 * the folded c0' (the order-1 result there is 2^-126 either way) */
#define QK_SM_Q1_VZERO_F32 (QK_EXP_XNORM_F32 * QK_EXP_Q1_C1_F32 + QK_EXP_Q1_C0_F32 - 256.0f)
/* q1/q2 sum groups of this many 16-element blocks in float32 before
 * widening (the segment length, 2048, is a multiple of 16 * QK_SM_GROUP) */
#define QK_SM_GROUP_F32 4
/* rows of at least QK_SM_FAST_MINN test exp's fast window once per row */
#define QK_SM_FAST_F32 1
/* precise scaling works on 2^24 / S so that e * r_lo never underflows */
#define QK_SM_RSCALE_F32 0x1p24f
/* many rows: groups and lanes (softmax_rows_f32.h) */
#define QK_SM_ROWS_FN_F32 qk_rows_f32

QK_INLINE void qk_row_init_sum_f32(qk_rowstate_f32 *s)
{
    for (int k = 0; k < QK_RL_F32; k++)
        s->sum[k] = 0.0;
}

QK_INLINE float qk_sm_fold_c0_f32(float m)
{
    return (float)((double)QK_EXP_Q1_C0_F32 - (double)QK_EXP_Q1_C1_F32 * (double)m);
}

QK_INLINE void qk_row_fin_f32(qk_rowstate_f32 *s, double S, int op, int tier)
{
    /* S >= 0.97: the max contributes exp(0) */
    s->S = S;
    if (op == QK_OP_softmax) {
        const double r = (tier == QK_TIER_precise ? (double)QK_SM_RSCALE_F32 : 1.0) / S;
        s->r_hi = (float)r;
        s->r_lo = (float)(r - (double)s->r_hi);
    } else if (op == QK_OP_log_softmax) {
        s->L = (float)qk_row_log1_f32(S);
    }
}

QK_INLINE float qk_logsumexp_value_f32(const qk_rowstate_f32 *s)
{
    return (float)((double)s->m + qk_row_log1_f32(s->S));
}

/* ---- the sums: lane k of the row in acc[k / QK_WD], float64 ---- */
QK_INLINE double qk_row_tree_sum_f32(vd *acc)
{
    for (int h = QK_RL_F32 / QK_WD / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            acc[k] = vd_add(acc[k], acc[k + h]);
    return vd_hadd(acc[0]);
}

QK_INLINE void qk_row_sum_step_f32(vd *acc, int j, vf e)
{
    for (int k = 0; k < QK_NW_F32; k++)
        acc[j * QK_NW_F32 + k] = vd_add(acc[j * QK_NW_F32 + k], vf_widen(e, k));
}

QK_INLINE void qk_row_acc_load_f32(vd *acc, const qk_rowstate_f32 *s)
{
    for (int k = 0; k < QK_SM_NACC_F32; k++)
        acc[k] = vd_load(s->sum + k * QK_WD);
}

QK_INLINE void qk_row_acc_store_f32(qk_rowstate_f32 *s, const vd *acc)
{
    for (int k = 0; k < QK_SM_NACC_F32; k++)
        vd_store(s->sum + k * QK_WD, acc[k]);
}

QK_INLINE void qk_row_sum_fin_f32(qk_rowstate_f32 *s, vd *acc, int op, int tier)
{
    qk_row_fin_f32(s, qk_row_tree_sum_f32(acc), op, tier);
}

/* ---- order 1 and the fast row ---- */
/* Does every x of a finite row (min xmin > lo) take exp's fast path in
 * qk_sm_exp_f32?  Each step there is monotone in x (max, x - m, fma with
 * c1 > 0, all rounded monotonically), so checking xmin with the same
 * vector operations decides it for the whole row.  Then, for every x,
 * max(x, lo) = x (q1 unfolded: also max(t, -128) = t) and no lane is
 * flushed, clamped or routed to the edge path: the fast variant
 * (fast = 1) drops those steps and gives the same bits. */
QK_INLINE int qk_sm_fast_f32(const qk_rowstate_f32 *s, float xmin, int tier)
{
    if (!(xmin > s->lo))
        return 0;
    const vf x = vf_set(xmin), m = vf_set(s->m);
    if (tier == QK_TIER_q1) {
        vf t = vf_sub(x, m), v;
        if (s->fold) {
            v = vf_fma(x, vf_set(QK_EXP_Q1_C1_F32), vf_set(s->c0));
        } else {
            if (mf_any(vf_lt(t, vf_set(-128.0f))))
                return 0;
            v = vf_fma(t, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
        }
        return !mf_any(mf_or(vf_lt(v, vf_set(QK_SM_Q1_VZERO_F32)),
                             vf_lt(v, vf_set(QK_EXP_Q1_VMIN_F32))));
    }
    return !mf_any(vf_lt(vf_sub(x, m), vf_set(QK_EXP_FAST_LO_F32)));
}

/* e = exp(x - m), order 1 (fold: c0 = c0') */
QK_INLINE vf qk_sm_q1_f32(vf x, vf m, vf lo, vf c0, int fold, int fast)
{
    if (fast) { /* the steps below that a fast row needs (qk_sm_fast_f32) */
        if (fold)
            return qk_exp_q1_f32_bits(vf_fma(x, vf_set(QK_EXP_Q1_C1_F32), c0));
        return qk_exp_q1_f32_bits(vf_fma(vf_sub(x, m), vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32)));
    }
    vf v;
    if (fold) {
        v = vf_fma(vf_max(x, lo), vf_set(QK_EXP_Q1_C1_F32), c0);
    } else {
        vf t = vf_max(vf_sub(vf_max(x, lo), m), vf_set(-128.0f));
        v = vf_fma(t, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
    }
    /* v >= -5e8 (no conversion overflow).  As in exp's order 1: 0 below
     * x - m = XNORM, v clamped to the smallest normal's bits above it */
    mf zero = vf_lt(v, vf_set(QK_SM_Q1_VZERO_F32));
    return vf_zero_if(zero, qk_exp_q1_f32_bits(vf_max(v, vf_set(QK_EXP_Q1_VMIN_F32))));
}

#endif
