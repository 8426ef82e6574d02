/* softmax, log_softmax and logsumexp over float64 rows (structure as in
 * softmax_f32.h).  Sums use 8 canonical lanes, each a TwoSum-compensated
 * pair (sum, compensation), so the row sum is accurate to ~2^-100 however
 * long the row; 1/S and log S are formed from the compensated pair. */
#ifndef QUAKE_KERNELS_SOFTMAX_F64_H
#define QUAKE_KERNELS_SOFTMAX_F64_H

#include <float.h>
#include "quake/rows.h"
#include "quake/consts/exp.h"


#define QK_NV_F64 (QK_RL_F64 / QK_WD)
#define QK_SM_FOLD_MAX_F64 0x1p20
#define QK_SM_RSCALE_F64 0x1p53
/* t = (x - m) log2 e - sigma at x - m = XNORM, less a rounding margin */
#define QK_SM_Q1_TZERO_F64 (QK_EXP_XNORM_F64 * QK_LOG2E_F64 - QK_EXP_Q1_SIGMA_F64 - 1e-6)

/* ---- portable per-row steps ---- */
QK_INLINE void qk_row_init_f64(qk_rowstate_f64 *s)
{
    for (int k = 0; k < QK_RL_F64; k++) {
        s->vmax[k] = -INFINITY;
        s->sum[k] = 0.0;
        s->comp[k] = 0.0;
    }
    s->nan = 0;
    s->n = 0;
    s->kind = QK_ROW_FINITE;
    s->fold = 0;
}

QK_INLINE int qk_row_mid_f64(qk_rowstate_f64 *s, int tier)
{
    double a[QK_RL_F64];
    for (int k = 0; k < QK_RL_F64; k++)
        a[k] = s->vmax[k];
    for (int h = QK_RL_F64 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            a[k] = a[k] > a[k + h] ? a[k] : a[k + h];
    const double m = a[0];
    s->m = m;
    s->c0 = 0.0;
    if (s->n == 0)
        s->kind = QK_ROW_EMPTY;
    else if (s->nan)
        s->kind = QK_ROW_NAN;
    else if (m == INFINITY)
        s->kind = QK_ROW_PINF;
    else if (m == -INFINITY)
        s->kind = QK_ROW_MINF;
    else
        s->kind = QK_ROW_FINITE;
    s->lo = m > -0x1p1023 ? m - 0x1p1022 : -INFINITY; /* see softmax_f32.h */
    s->fold = tier == QK_TIER_q1 && fabs(m) <= QK_SM_FOLD_MAX_F64;
    if (s->fold) {
        s->lo = m - 2048.0;
        s->c0 = -QK_EXP_Q1_SIGMA_F64 - m * QK_LOG2E_F64;
    }
    return s->kind;
}

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

QK_INLINE int qk_row_special_f64(const qk_rowstate_f64 *s, int op, const double *x, double *y,
                                 qk_size n)
{
    const int k = s->kind;
    if (op == QK_OP_logsumexp) {
        y[0] = k == QK_ROW_NAN ? NAN : k == QK_ROW_PINF ? INFINITY : -INFINITY;
        return 0;
    }
    for (qk_size i = 0; i < n; i++)
        y[i] = (op == QK_OP_log_softmax && k == QK_ROW_PINF && x[i] != INFINITY) ? -INFINITY : NAN;
    return (n > 0 && (k == QK_ROW_PINF || k == QK_ROW_MINF)) ? QK_FE_INVALID : 0;
}

/* ---- pass 1 ---- */
QK_INLINE void qk_row_max_f64(qk_rowstate_f64 *s, const double *x, qk_size n)
{
    vd acc[QK_NV_F64];
    md nan = vd_isnan(vd_set(0.0));
    for (int j = 0; j < QK_NV_F64; j++)
        acc[j] = vd_load(s->vmax + j * QK_WD);
    qk_size i = 0;
    for (; i + QK_RL_F64 <= n; i += QK_RL_F64) {
        for (int j = 0; j < QK_NV_F64; j++) {
            vd v = vd_load(x + i + j * QK_WD);
            md vn = vd_isnan(v);
            nan = md_or(nan, vn);
            acc[j] = vd_max(acc[j], vd_zero_if(vn, v));
        }
    }
    for (int j = 0; i + j * QK_WD < n; j++) {
        qk_size o = i + j * QK_WD, k = n - o;
        vd v = k >= QK_WD ? vd_load(x + o) : vd_load_partial_or(x + o, k, -INFINITY);
        md vn = vd_isnan(v); /* NaN lanes count as 0: max must not see them */
        nan = md_or(nan, vn);
        acc[j] = vd_max(acc[j], vd_zero_if(vn, v));
    }
    for (int j = 0; j < QK_NV_F64; j++)
        vd_store(s->vmax + j * QK_WD, acc[j]);
    s->nan |= md_any(nan);
    s->n += n;
}

/* ---- pass 2 ---- */
typedef struct {
    vd m, lo, c0;
} qk_smv_f64;

QK_INLINE qk_smv_f64 qk_smv_f64_of(const qk_rowstate_f64 *s)
{
    qk_smv_f64 p = {vd_set(s->m), vd_set(s->lo), vd_set(s->c0)};
    return p;
}

QK_INLINE vd qk_sub_err_f64(vd a, vd m, vd t)
{
    vd nm = vd_sub(vd_set(0.0), m);
    vd bv = vd_sub(t, a);
    vd av = vd_sub(t, bv);
    return vd_add(vd_sub(a, av), vd_sub(nm, bv));
}

QK_INLINE vd qk_sm_exp_f64(vd x, const qk_smv_f64 *p, int tier, int fold, int fast)
{
    (void)fast; /* float32's fast-row variant (qk_sm_fast_f32); none here */
    int st = 0;
    if (tier == QK_TIER_q1) {
        vd t;
        if (fold) {
            t = vd_fma(vd_max(x, p->lo), vd_set(QK_LOG2E_F64), p->c0);
        } else {
            vd u = vd_max(vd_sub(vd_max(x, p->lo), p->m), vd_set(-2048.0));
            t = vd_fma(u, vd_set(QK_LOG2E_F64), vd_set(-QK_EXP_Q1_SIGMA_F64));
        }
        md tiny = vd_lt(t, vd_set(QK_SM_Q1_TZERO_F64)); /* x - m < XNORM: 0 */
        return vd_zero_if(tiny, qk_exp_q1_f64_eval(vd_max(t, vd_set(QK_EXP_TMIN_F64))));
    }
    vd xs = vd_max(x, p->lo);
    vd t = vd_sub(xs, p->m);
    /* t <= 0 and no NaN: exp's fast window is t >= FAST_LO (one compare) */
    const int edge = md_any(vd_lt(t, vd_set(QK_EXP_FAST_LO_F64)));
    if (tier == QK_TIER_q2)
        return edge ? exp_q2_f64_full(t, &st) : exp_q2_f64_core(t);
    vd e, tl;
    if (QK_UNLIKELY(edge)) {
        md minf = vd_lt(t, vd_set(-DBL_MAX));
        e = exp_precise_f64_full(t, &st);
        tl = qk_sub_err_f64(vd_select(minf, p->m, xs), p->m, vd_zero_if(minf, t));
    } else {
        e = exp_precise_f64_core(t);
        tl = qk_sub_err_f64(xs, p->m, t);
    }
    return vd_fma(e, tl, e);
}

/* s += e as a TwoSum pair; adding +0 leaves (s, c) bit for bit unchanged */
QK_INLINE void qk_row_sum_step_f64(vd *s, vd *c, vd e)
{
    vd t = vd_add(*s, e), bv = vd_sub(t, *s), av = vd_sub(t, bv);
    *c = vd_add(*c, vd_add(vd_sub(*s, av), vd_sub(e, bv)));
    *s = t;
}

QK_INLINE void qk_row_sum_f64(qk_rowstate_f64 *s, const double *x, double *y, qk_size n, int tier,
                           int fold, int store)
{
    const qk_smv_f64 p = qk_smv_f64_of(s);
    vd acc[QK_NV_F64], cmp[QK_NV_F64];
    for (int k = 0; k < QK_NV_F64; k++) {
        acc[k] = vd_load(s->sum + k * QK_WD);
        cmp[k] = vd_load(s->comp + k * QK_WD);
    }
    qk_size i = 0;
    for (; i + QK_RL_F64 <= n; i += QK_RL_F64) {
        for (int j = 0; j < QK_NV_F64; j++) {
            vd e = qk_sm_exp_f64(vd_load(x + i + j * QK_WD), &p, tier, fold, 0);
            if (store)
                vd_store(y + i + j * QK_WD, e);
            qk_row_sum_step_f64(&acc[j], &cmp[j], e);
        }
    }
    for (int j = 0; i + j * QK_WD < n; j++) {
        qk_size o = i + j * QK_WD, k = n - o;
        if (k >= QK_WD) {
            vd e = qk_sm_exp_f64(vd_load(x + o), &p, tier, fold, 0);
            if (store)
                vd_store(y + o, e);
            qk_row_sum_step_f64(&acc[j], &cmp[j], e);
        } else { /* idle lanes: see softmax_f32.h */
            vd v = vd_load_partial_or(x + o, k, NAN);
            md idle = vd_isnan(v);
            vd e = vd_zero_if(idle, qk_sm_exp_f64(vd_select(idle, p.m, v), &p, tier, fold, 0));
            if (store)
                vd_store_partial(y + o, e, k);
            qk_row_sum_step_f64(&acc[j], &cmp[j], e);
        }
    }
    for (int k = 0; k < QK_NV_F64; k++) {
        vd_store(s->sum + k * QK_WD, acc[k]);
        vd_store(s->comp + k * QK_WD, cmp[k]);
    }
}

/* ---- pass 3 (generic: softmax_out.h) ---- */
#define QK_T 64
#include "quake/simd/generic.h"
#include "quake/kernels/softmax_out.h"
#undef QK_T

QK_INLINE double qk_logsumexp_value_f64(const qk_rowstate_f64 *s) { return s->m + s->L; }

/* ---- whole rows and segments ---- */
QK_INLINE void qk_row_sum_any_f64(qk_rowstate_f64 *s, const double *x, double *y, qk_size n, int tier,
                               int store)
{
    if (tier == QK_TIER_q1 && s->fold)
        qk_row_sum_f64(s, x, y, n, tier, 1, store);
    else
        qk_row_sum_f64(s, x, y, n, tier, 0, store);
}

QK_INLINE int qk_row_f64(const double *x, double *y, qk_size n, int op, int tier)
{
    qk_rowstate_f64 s;
    qk_row_init_f64(&s);
    qk_row_max_f64(&s, x, n);
    if (qk_row_mid_f64(&s, tier) != QK_ROW_FINITE)
        return qk_row_special_f64(&s, op, x, y, n);
    qk_row_sum_any_f64(&s, x, y, n, tier, op == QK_OP_softmax);
    qk_row_fin_f64(&s, op, tier);
    if (op == QK_OP_softmax)
        qk_row_softmax_out_f64(&s, x, y, n, tier, 0, 0);
    else if (op == QK_OP_log_softmax)
        qk_row_logsoftmax_out_f64(&s, x, y, n);
    else
        y[0] = qk_logsumexp_value_f64(&s);
    return 0;
}

QK_INLINE int qk_seg_f64(qk_rowstate_f64 *s, int phase, const double *x, double *y, qk_size n,
                         int op, int tier)
{
    switch (phase) {
    case QK_PH_INIT:
        qk_row_init_f64(s);
        return 0;
    case QK_PH_MAX:
        qk_row_max_f64(s, x, n);
        return 0;
    case QK_PH_MID:
        return qk_row_mid_f64(s, tier);
    case QK_PH_SUM:
        qk_row_sum_any_f64(s, x, NULL, n, tier, 0);
        return 0;
    case QK_PH_FIN:
        qk_row_fin_f64(s, op, tier);
        return 0;
    default:
        if (s->kind != QK_ROW_FINITE)
            return qk_row_special_f64(s, op, x, y, n);
        if (op == QK_OP_softmax) {
            if (tier == QK_TIER_q1 && s->fold)
                qk_row_softmax_out_f64(s, x, y, n, tier, 1, 1);
            else
                qk_row_softmax_out_f64(s, x, y, n, tier, 0, 1);
        } else if (op == QK_OP_log_softmax) {
            qk_row_logsoftmax_out_f64(s, x, y, n);
        } else {
            y[0] = qk_logsumexp_value_f64(s);
        }
        return 0;
    }
}

#define QK_DEFINE_ROWOP_F64(op, tier)                                                          \
    static int QK_FN(op##_##tier##_rows_f64)(const char *x, char *y, qk_size n, qk_size rows,  \
                                             qk_size xrs, qk_size yrs)                         \
    {                                                                                          \
        int st = 0;                                                                            \
        for (qk_size r = 0; r < rows; r++)                                                     \
            st |= qk_row_f64((const double *)(x + r * xrs), (double *)(y + r * yrs), n,        \
                             QK_OP_##op, QK_TIER_##tier);                                      \
        return st;                                                                             \
    }                                                                                          \
    static int QK_FN(op##_##tier##_seg_f64)(qk_rowstate_f64 * s, int phase, const double *x,   \
                                            double *y, qk_size n)                              \
    {                                                                                          \
        return qk_seg_f64(s, phase, x, y, n, QK_OP_##op, QK_TIER_##tier);                      \
    }

#define QK_ROWOP(op, tier, sig) QK_DEFINE_ROWOP_F64(op, tier)
#include "quake/rowops.def"
#undef QK_ROWOP

#endif
