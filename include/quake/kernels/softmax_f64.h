/* The float64 part of the row ops, the same interface as softmax_f32.h
 * (the passes: kernels/softmax.h).  Sums use 8 canonical lanes, each a
 * TwoSum-compensated pair (sum, compensation), so the row sum is accurate
 * to ~2^-100 however long the row; 1/S and log S are formed from the
 * compensated pair.  Order 1 is exp's (1 + f) 2^n construction with the
 * max folded into t = x log2 e - (sigma + m log2 e). */
#ifndef QUAKE_KERNELS_SOFTMAX_F64_H
#define QUAKE_KERNELS_SOFTMAX_F64_H

#include <float.h>
#include "quake/rows.h"
#include "quake/consts/exp.h"

#define QK_NV_F64 (QK_RL_F64 / QK_WD)
#define QK_SM_NACC_F64 (2 * QK_NV_F64) /* acc[j] sums, acc[QK_NV_F64 + j] compensations */
#define QK_SM_FOLD_MAX_F64 0x1p20
#define QK_SM_FOLD_LO_F64 2048.0
#define QK_SM_LO_MIN_F64 (-0x1p1023)
#define QK_SM_LO_GAP_F64 0x1p1022
#define QK_SM_NEG_MAX_F64 (-DBL_MAX)
#define QK_SM_RSCALE_F64 0x1p53
/* t = (x - m) log2 e - sigma at x - m = XNORM, less a rounding margin */
#define QK_SM_Q1_TZERO_F64 (QK_EXP_XNORM_F64 * QK_LOG2E_F64 - QK_EXP_Q1_SIGMA_F64 - 1e-6)
#define QK_SM_GROUP_F64 1 /* the TwoSum pairs take every block as it comes */
#define QK_SM_FAST_F64 0  /* no fast-row variant */
#define QK_SM_ROWS_FN_F64 qk_rows_each_f64 /* many rows: one at a time */

QK_INLINE void qk_row_init_sum_f64(qk_rowstate_f64 *s)
{
    for (int k = 0; k < QK_RL_F64; k++) {
        s->sum[k] = 0.0;
        s->comp[k] = 0.0;
    }
}

QK_INLINE double qk_sm_fold_c0_f64(double m) { return -QK_EXP_Q1_SIGMA_F64 - m * QK_LOG2E_F64; }

/* the tree over the pairs in s->sum / s->comp, then 1/S or log S */
QK_INLINE void qk_row_fin_f64(qk_rowstate_f64 *s, int op, int tier)
{
    double a[QK_RL_F64], c[QK_RL_F64];
    for (int k = 0; k < QK_RL_F64; k++) {
        a[k] = s->sum[k];
        c[k] = s->comp[k];
    }
    for (int h = QK_RL_F64 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++) {
            /* TwoSum of the partial sums; their errors join the compensation */
            double t = a[k] + a[k + h], bv = t - a[k], av = t - bv;
            c[k] = (c[k] + c[k + h]) + ((a[k] - av) + (a[k + h] - bv));
            a[k] = t;
        }
    const double S = a[0] + c[0], Sc = c[0] - (S - a[0]); /* S + Sc = a + c */
    const double one = tier == QK_TIER_precise ? QK_SM_RSCALE_F64 : 1.0;
    s->S = S;
    s->Sc = Sc;
    if (op == QK_OP_softmax) {
        s->r_hi = one / S;
        s->r_lo = (fma(-S, s->r_hi, one) - Sc * s->r_hi) / S;
    } else {
        s->L = log(S) + Sc / S;
    }
}

QK_INLINE double qk_logsumexp_value_f64(const qk_rowstate_f64 *s) { return s->m + s->L; }

/* ---- the sums ---- */
/* (s, c) += e as a TwoSum pair; adding +0 leaves it bit for bit unchanged */
QK_INLINE void qk_twosum_add_f64(vd *s, vd *c, vd e)
{
    vd t = vd_add(*s, e), bv = vd_sub(t, *s), av = vd_sub(t, bv);
    *c = vd_add(*c, vd_add(vd_sub(*s, av), vd_sub(e, bv)));
    *s = t;
}

/* lane block j: sums acc[j], compensations acc[QK_NV_F64 + j] */
QK_INLINE void qk_row_sum_step_f64(vd *acc, int j, vd e)
{
    qk_twosum_add_f64(&acc[j], &acc[QK_NV_F64 + j], e);
}

QK_INLINE void qk_row_acc_load_f64(vd *acc, const qk_rowstate_f64 *s)
{
    for (int k = 0; k < QK_NV_F64; k++) {
        acc[k] = vd_load(s->sum + k * QK_WD);
        acc[QK_NV_F64 + k] = vd_load(s->comp + k * QK_WD);
    }
}

QK_INLINE void qk_row_acc_store_f64(qk_rowstate_f64 *s, const vd *acc)
{
    for (int k = 0; k < QK_NV_F64; k++) {
        vd_store(s->sum + k * QK_WD, acc[k]);
        vd_store(s->comp + k * QK_WD, acc[QK_NV_F64 + k]);
    }
}

QK_INLINE void qk_row_sum_fin_f64(qk_rowstate_f64 *s, vd *acc, int op, int tier)
{
    qk_row_acc_store_f64(s, acc);
    qk_row_fin_f64(s, op, tier);
}

/* ---- order 1 ---- */
QK_INLINE int qk_sm_fast_f64(const qk_rowstate_f64 *s, double xmin, int tier)
{
    (void)s, (void)xmin, (void)tier; /* QK_SM_FAST_F64 = 0: never called */
    return 0;
}

QK_INLINE vd qk_sm_q1_f64(vd x, vd m, vd lo, vd c0, int fold, int fast)
{
    (void)fast; /* never set (QK_SM_FAST_F64) */
    vd t;
    if (fold) {
        t = vd_fma(vd_max(x, lo), vd_set(QK_LOG2E_F64), c0);
    } else {
        vd u = vd_max(vd_sub(vd_max(x, lo), m), vd_set(-2048.0));
        t = vd_fma(u, vd_set(QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64));
    }
    md tiny = vd_lt(t, vd_set(QK_SM_Q1_TZERO_F64)); /* x - m < XNORM: 0 */
    return vd_zero_if(tiny, qk_exp_q1_f64_eval(vd_max(t, vd_set(QK_EXP_TMIN_F64))));
}

#endif
