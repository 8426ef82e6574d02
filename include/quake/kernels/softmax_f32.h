/* softmax, log_softmax and logsumexp over float32 rows, three tiers, written
 * once against the SIMD layer (the reduction order is in quake/rows.h).
 *
 *   pass 1  lane maxima (+ NaN flag), halving tree -> m; classify the row
 *   pass 2  e = exp(x - m) per tier, summed in float64 lanes (q1/q2 add
 *           groups of 4 blocks in float32 first), and stored to y for
 *           softmax on contiguous rows
 *   pass 3  softmax: y = e / S as e * (1/S); log_softmax: (x - m) - log S;
 *           logsumexp: m + log S (one libm log per row, in float64)
 *
 * Order 1 folds the max into the QuAKE constant: e = bits(int(c1 x + c0'))
 * with c0' = c0 - c1 m.  Special rows (NaN, +inf, all -inf, empty) are
 * written by qk_row_special_f32 with scipy.special's results.
 */
#ifndef QUAKE_KERNELS_SOFTMAX_F32_H
#define QUAKE_KERNELS_SOFTMAX_F32_H

#include <float.h>
#include "quake/rows.h"
#include "quake/consts/exp.h"


#define QK_NV_F32 (QK_RL_F32 / QK_WF) /* vf registers per canonical block */
#define QK_NW_F32 (QK_WF / QK_WD)     /* vd per widened vf */
/* order 1 folds the max only while c1*m is small enough for c0' to keep
 * the argument exact to ~1e-5 (|m| <= 2^10); beyond, it subtracts first */
#define QK_SM_FOLD_MAX_F32 1024.0f
/* v = c1 (x - m) + c0 at x - m = XNORM, less a margin for the rounding of
 * the folded c0' (the order-1 result there is 2^-126 either way) */
#define QK_SM_Q1_VZERO_F32 (QK_EXP_XNORM_F32 * QK_EXP_Q1_C1_F32 + QK_EXP_Q1_C0_F32 - 256.0f)
/* q1/q2 sum groups of this many 16-element blocks in float32 before
 * widening (the segment length, 2048, is a multiple of 16 * QK_SM_GROUP) */
#define QK_SM_GROUP 4
/* rows at least this long test exp's fast window once per row (below, the
 * per-vector tests cost less than the row's test) */
#define QK_SM_FAST_MINN 64
/* precise scaling works on 2^24 / S so that e * r_lo never underflows */
#define QK_SM_RSCALE_F32 0x1p24f

/* ---- portable per-row steps (plain C: the same bits on every target) ---- */
QK_INLINE void qk_row_init_f32(qk_rowstate_f32 *s)
{
    for (int k = 0; k < QK_RL_F32; k++) {
        s->vmax[k] = -INFINITY;
        s->sum[k] = 0.0;
    }
    s->nan = 0;
    s->n = 0;
    s->kind = QK_ROW_FINITE;
    s->fold = 0;
}

/* classify the row (s->n, s->nan set) with maximum m; set the pass-2 constants */
QK_INLINE int qk_row_mid_f32(qk_rowstate_f32 *s, float m, int tier)
{
    s->m = m;
    s->c0 = 0.0f;
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
    /* x is clamped to lo before x - m: lo - m ~ -2^126 (exp is 0 there),
     * so neither x - m nor 2 (x - m) (exp's NaN path forms x + x) can
     * overflow; below m = -2^127 no clamp is needed */
    s->lo = m > -0x1p127f ? m - 0x1p126f : -INFINITY;
    s->fold = tier == QK_TIER_q1 && fabsf(m) <= QK_SM_FOLD_MAX_F32;
    if (s->fold) {
        s->lo = m - 128.0f;
        s->c0 = (float)((double)QK_EXP_Q1_C0_F32 - (double)QK_EXP_Q1_C1_F32 * (double)m);
    }
    return s->kind;
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
        s->L = (float)log(S);
    }
}

/* scipy.special semantics for rows that are not all finite-with-finite-max:
 * NaN anywhere -> NaN; +inf present -> softmax NaN, log_softmax NaN at +inf
 * and -inf elsewhere, logsumexp +inf; all -inf -> softmax/log_softmax NaN,
 * logsumexp -inf; empty -> logsumexp -inf.  The inf - inf of scipy's
 * softmax/log_softmax is reported as "invalid". */
QK_INLINE int qk_row_special_f32(const qk_rowstate_f32 *s, int op, const float *x, float *y,
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

/* ---- pass 1: lane maxima in registers (QK_NV_F32 vf = 16 lanes) ---- */
/* mn (NULL: not wanted) also gathers lane minima, in any order: they only
 * decide whether the whole row lies in exp's fast window (qk_sm_fast_f32) */
QK_INLINE void qk_row_max_f32(vf *acc, vf *mn, mf *nanp, const float *x, qk_size n)
{
    mf nan = *nanp;
    qk_size i = 0;
    for (; i + QK_RL_F32 <= n; i += QK_RL_F32) {
        for (int j = 0; j < QK_NV_F32; j++) {
            vf v = vf_load(x + i + j * QK_WF);
            mf vn = vf_isnan(v);
            nan = mf_or(nan, vn);
            v = vf_zero_if(vn, v);
            acc[j] = vf_max(acc[j], v);
            if (mn)
                mn[j] = vf_min(mn[j], v);
        }
    }
    for (int j = 0; i + j * QK_WF < n; j++) { /* tail: fewer than 16 left */
        qk_size o = i + j * QK_WF, k = n - o;
        vf v = k >= QK_WF ? vf_load(x + o) : vf_load_partial_or(x + o, k, -INFINITY);
        mf vn = vf_isnan(v); /* NaN lanes count as 0: max must not see them */
        nan = mf_or(nan, vn);
        acc[j] = vf_max(acc[j], vf_zero_if(vn, v));
        if (mn) { /* idle lanes +inf for the minima */
            vf w = k >= QK_WF ? v : vf_load_partial_or(x + o, k, INFINITY);
            mn[j] = vf_min(mn[j], vf_zero_if(vf_isnan(w), w));
        }
    }
    *nanp = nan;
}

/* the canonical halving tree: registers first (lane distance >= W), then
 * inside the last register */
QK_INLINE float qk_row_tree_max_f32(vf *acc)
{
    for (int h = QK_NV_F32 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            acc[k] = vf_max(acc[k], acc[k + h]);
    return vf_hmax(acc[0]);
}

/* smallest lane of mn (order free: a bound, not a result) */
QK_INLINE float qk_row_min_f32(vf *mn)
{
    for (int k = 1; k < QK_NV_F32; k++)
        mn[0] = vf_min(mn[0], mn[k]);
    return -vf_hmax(vf_sub(vf_set(-0.0f), mn[0]));
}

QK_INLINE double qk_row_tree_sum_f32(vd *acc)
{
    for (int h = QK_RL_F32 / QK_WD / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            acc[k] = vd_add(acc[k], acc[k + h]);
    return vd_hadd(acc[0]);
}

/* ---- pass 2: e = exp(x - m) ---- */
typedef struct {
    vf m, lo, c0;
} qk_smv_f32;

QK_INLINE qk_smv_f32 qk_smv_f32_of(const qk_rowstate_f32 *s)
{
    qk_smv_f32 p = {vf_set(s->m), vf_set(s->lo), vf_set(s->c0)};
    return p;
}

/* exact error of t = a - m (Knuth's TwoSum) */
QK_INLINE vf qk_sub_err_f32(vf a, vf m, vf t)
{
    vf nm = vf_sub(vf_set(0.0f), m);
    vf bv = vf_sub(t, a);
    vf av = vf_sub(t, bv);
    return vf_add(vf_sub(a, av), vf_sub(nm, bv));
}

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

QK_INLINE vf qk_sm_exp_f32(vf x, const qk_smv_f32 *p, int tier, int fold, int fast)
{
    int st = 0; /* exp's own over/underflow report does not apply here */
    if (fast) { /* the fast path's steps below, nothing else (qk_sm_fast_f32) */
        if (tier == QK_TIER_q1 && fold)
            return qk_exp_q1_f32_bits(vf_fma(x, vf_set(QK_EXP_Q1_C1_F32), p->c0));
        vf t = vf_sub(x, p->m);
        if (tier == QK_TIER_q1)
            return qk_exp_q1_f32_bits(vf_fma(t, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32)));
        if (tier == QK_TIER_q2)
            return exp_q2_f32_core(t);
        vf e = exp_precise_f32_core(t);
        return vf_fma(e, qk_sub_err_f32(x, p->m, t), e);
    }
    if (tier == QK_TIER_q1) {
        vf v;
        if (fold) {
            v = vf_fma(vf_max(x, p->lo), vf_set(QK_EXP_Q1_C1_F32), p->c0);
        } else {
            vf t = vf_max(vf_sub(vf_max(x, p->lo), p->m), vf_set(-128.0f));
            v = vf_fma(t, vf_set(QK_EXP_Q1_C1_F32), vf_set(QK_EXP_Q1_C0_F32));
        }
        /* v >= -5e8 (no conversion overflow).  As in exp's order 1: 0 below
         * x - m = XNORM, v clamped to the smallest normal's bits above it */
        mf zero = vf_lt(v, vf_set(QK_SM_Q1_VZERO_F32));
        return vf_zero_if(zero, qk_exp_q1_f32_bits(vf_max(v, vf_set(QK_EXP_Q1_VMIN_F32))));
    }
    vf xs = vf_max(x, p->lo);
    vf t = vf_sub(xs, p->m);
    /* t <= 0 and no NaN: exp's fast window is t >= FAST_LO (one compare) */
    const int edge = mf_any(vf_lt(t, vf_set(QK_EXP_FAST_LO_F32)));
    if (tier == QK_TIER_q2)
        return edge ? exp_q2_f32_full(t, &st) : exp_q2_f32_core(t);
    /* precise: x - m is rounded; its exact error tl enters as e (1 + tl) */
    vf e, tl;
    if (QK_UNLIKELY(edge)) {
        mf minf = vf_lt(t, vf_set(-FLT_MAX)); /* x = -inf: no error term */
        e = exp_precise_f32_full(t, &st);
        tl = qk_sub_err_f32(vf_select(minf, p->m, xs), p->m, vf_zero_if(minf, t));
    } else {
        e = exp_precise_f32_core(t);
        tl = qk_sub_err_f32(xs, p->m, t);
    }
    return vf_fma(e, tl, e);
}

QK_INLINE void qk_row_sum_step_f32(vd *acc, int j, vf e)
{
    for (int k = 0; k < QK_NW_F32; k++)
        acc[j * QK_NW_F32 + k] = vd_add(acc[j * QK_NW_F32 + k], vf_widen(e, k));
}

QK_INLINE void qk_row_sum_f32(vd *acc, const qk_smv_f32 *pp, const float *x, float *y, qk_size n,
                           int tier, int fold, int fast, int store)
{
    const qk_smv_f32 p = *pp;
    qk_size i = 0;
    if (tier != QK_TIER_precise) {
        /* q1/q2: each lane first adds QK_SM_GROUP consecutive blocks in
         * float32 (relative error < 2^-22, far below these tiers' bounds),
         * then widens once: a quarter of the conversions */
        for (; i + QK_SM_GROUP * QK_RL_F32 <= n; i += QK_SM_GROUP * QK_RL_F32) {
            for (int j = 0; j < QK_NV_F32; j++) {
                vf g = vf_set(0.0f);
                for (int b = 0; b < QK_SM_GROUP; b++) {
                    const qk_size o = i + b * QK_RL_F32 + j * QK_WF;
                    vf e = qk_sm_exp_f32(vf_load(x + o), &p, tier, fold, fast);
                    if (store)
                        vf_store(y + o, e);
                    g = b ? vf_add(g, e) : e;
                }
                qk_row_sum_step_f32(acc, j, g);
            }
        }
    }
    for (; i + QK_RL_F32 <= n; i += QK_RL_F32) {
        for (int j = 0; j < QK_NV_F32; j++) {
            vf e = qk_sm_exp_f32(vf_load(x + i + j * QK_WF), &p, tier, fold, fast);
            if (store)
                vf_store(y + i + j * QK_WF, e);
            qk_row_sum_step_f32(acc, j, e);
        }
    }
    for (int j = 0; i + j * QK_WF < n; j++) {
        qk_size o = i + j * QK_WF, k = n - o;
        if (k >= QK_WF) {
            vf e = qk_sm_exp_f32(vf_load(x + o), &p, tier, fold, fast);
            if (store)
                vf_store(y + o, e);
            qk_row_sum_step_f32(acc, j, e);
        } else {
            /* idle lanes: computed on m (exp's fast path: x - m = 0), then
             * +0, which leaves the sums alone.  The row holds no NaN, so a
             * NaN fill marks them. */
            vf v = vf_load_partial_or(x + o, k, NAN);
            mf idle = vf_isnan(v);
            vf e = qk_sm_exp_f32(vf_select(idle, p.m, v), &p, tier, fold, fast);
            e = vf_zero_if(idle, e);
            if (store)
                vf_store_partial(y + o, e, k);
            qk_row_sum_step_f32(acc, j, e);
        }
    }
}

/* ---- pass 3 (generic: softmax_out.h) ---- */
#define QK_T 32
#include "quake/simd/generic.h"
#include "quake/kernels/softmax_out.h"
#undef QK_T

QK_INLINE float qk_logsumexp_value_f32(const qk_rowstate_f32 *s)
{
    return (float)((double)s->m + log(s->S));
}

/* ---- whole rows and segments ---- */
QK_INLINE void qk_row_sum_any_f32(vd *acc, const qk_rowstate_f32 *s, const float *x, float *y,
                               qk_size n, int tier, int store)
{
    const qk_smv_f32 p = qk_smv_f32_of(s);
    if (tier == QK_TIER_q1 && s->fold)
        qk_row_sum_f32(acc, &p, x, y, n, tier, 1, 0, store);
    else
        qk_row_sum_f32(acc, &p, x, y, n, tier, 0, 0, store);
}

/* softmax of a row of at most 16 elements: passes 2 and 3 keep e in
 * registers (no store and reload through a masked store); same bits as
 * the general path */
QK_INLINE void qk_row_softmax_short_f32(const qk_rowstate_f32 *s, const float *x, float *y, qk_size n,
                                     int tier, int fold, int fast)
{
    const qk_smv_f32 p = qk_smv_f32_of(s);
    vf e[QK_NV_F32];
    vd acc[QK_RL_F32 / QK_WD];
    for (int k = 0; k < QK_RL_F32 / QK_WD; k++)
        acc[k] = vd_set(0.0);
    for (int j = 0; j < QK_NV_F32; j++)
        e[j] = vf_set(0.0f);
    for (int j = 0; j < QK_NV_F32 && j * QK_WF < n; j++) {
        qk_size k = n - j * QK_WF;
        if (k >= QK_WF) {
            e[j] = qk_sm_exp_f32(vf_load(x + j * QK_WF), &p, tier, fold, fast);
        } else { /* idle lanes as in qk_row_sum_f32 */
            vf v = vf_load_partial_or(x + j * QK_WF, k, NAN);
            mf idle = vf_isnan(v);
            e[j] = vf_zero_if(idle, qk_sm_exp_f32(vf_select(idle, p.m, v), &p, tier, fold, fast));
        }
        qk_row_sum_step_f32(acc, j, e[j]);
    }
    qk_rowstate_f32 t = *s;
    qk_row_fin_f32(&t, qk_row_tree_sum_f32(acc), QK_OP_softmax, tier);
    const vf rh = vf_set(t.r_hi), rl = vf_set(t.r_lo);
    for (int j = 0; j < QK_NV_F32 && j * QK_WF < n; j++) {
        qk_size k = n - j * QK_WF;
        vf r = qk_sm_scale_f32(e[j], rh, rl, tier);
        if (k >= QK_WF)
            vf_store(y + j * QK_WF, r);
        else
            vf_store_partial(y + j * QK_WF, r, k);
    }
}

/* passes 2 and 3 of a classified finite row */
QK_INLINE void qk_row_rest_f32(qk_rowstate_f32 *s, const float *x, float *y, qk_size n, int op,
                               int tier, int fold, int fast)
{
    if (op == QK_OP_softmax && n <= QK_RL_F32) {
        qk_row_softmax_short_f32(s, x, y, n, tier, fold, fast);
        return;
    }
    const qk_smv_f32 p = qk_smv_f32_of(s);
    vd acc[QK_RL_F32 / QK_WD];
    for (int k = 0; k < QK_RL_F32 / QK_WD; k++)
        acc[k] = vd_set(0.0);
    qk_row_sum_f32(acc, &p, x, y, n, tier, fold, fast, op == QK_OP_softmax);
    qk_row_fin_f32(s, qk_row_tree_sum_f32(acc), op, tier);
    if (op == QK_OP_softmax)
        qk_row_softmax_out_f32(s, x, y, n, tier, 0, 0);
    else if (op == QK_OP_log_softmax)
        qk_row_logsoftmax_out_f32(s, x, y, n);
    else
        y[0] = qk_logsumexp_value_f32(s);
}

/* qk_row_rest_f32 with fold (q1 only) and fast as constants */
#define QK_ROW_REST_F32(call, tier, fold, fast)                                                \
    do {                                                                                       \
        if ((tier) == QK_TIER_q1 && (fold)) {                                                  \
            if (fast)                                                                          \
                call(1, 1);                                                                    \
            else                                                                               \
                call(1, 0);                                                                    \
        } else if (fast) {                                                                     \
            call(0, 1);                                                                        \
        } else {                                                                               \
            call(0, 0);                                                                        \
        }                                                                                      \
    } while (0)

/* one contiguous row, accumulators in registers */
QK_INLINE int qk_row_f32(const float *x, float *y, qk_size n, int op, int tier)
{
    qk_rowstate_f32 s;
    vf mx[QK_NV_F32], mn[QK_NV_F32];
    mf nan = vf_isnan(vf_set(0.0f));
    for (int j = 0; j < QK_NV_F32; j++) {
        mx[j] = vf_set(-INFINITY);
        mn[j] = vf_set(INFINITY);
    }
    if (n >= QK_SM_FAST_MINN)
        qk_row_max_f32(mx, mn, &nan, x, n);
    else /* short rows: pass 1 as before, no minima */
        qk_row_max_f32(mx, NULL, &nan, x, n);
    s.n = n;
    s.nan = mf_any(nan);
    if (qk_row_mid_f32(&s, qk_row_tree_max_f32(mx), tier) != QK_ROW_FINITE)
        return qk_row_special_f32(&s, op, x, y, n);
    const int fast = n >= QK_SM_FAST_MINN && qk_sm_fast_f32(&s, qk_row_min_f32(mn), tier);
#define QK_CALL_(fo, fa) qk_row_rest_f32(&s, x, y, n, op, tier, fo, fa)
    QK_ROW_REST_F32(QK_CALL_, tier, s.fold, fast);
#undef QK_CALL_
    return 0;
}

/* the same steps on a row fed in chunks; accumulators live in *s between
 * calls (same lanes, same order, same bits) */
QK_INLINE int qk_seg_f32(qk_rowstate_f32 *s, int phase, const float *x, float *y, qk_size n, int op,
                         int tier)
{
    vf mx[QK_NV_F32];
    vd acc[QK_RL_F32 / QK_WD];
    switch (phase) {
    case QK_PH_INIT:
        qk_row_init_f32(s);
        return 0;
    case QK_PH_MAX: {
        mf nan = vf_isnan(vf_set(0.0f));
        for (int j = 0; j < QK_NV_F32; j++)
            mx[j] = vf_load(s->vmax + j * QK_WF);
        qk_row_max_f32(mx, NULL, &nan, x, n);
        for (int j = 0; j < QK_NV_F32; j++)
            vf_store(s->vmax + j * QK_WF, mx[j]);
        s->nan |= mf_any(nan);
        s->n += n;
        return 0;
    }
    case QK_PH_MID:
        for (int j = 0; j < QK_NV_F32; j++)
            mx[j] = vf_load(s->vmax + j * QK_WF);
        return qk_row_mid_f32(s, qk_row_tree_max_f32(mx), tier);
    case QK_PH_SUM:
    case QK_PH_FIN:
        for (int k = 0; k < QK_RL_F32 / QK_WD; k++)
            acc[k] = vd_load(s->sum + k * QK_WD);
        if (phase == QK_PH_FIN) {
            qk_row_fin_f32(s, qk_row_tree_sum_f32(acc), op, tier);
            return 0;
        }
        qk_row_sum_any_f32(acc, s, x, NULL, n, tier, 0);
        for (int k = 0; k < QK_RL_F32 / QK_WD; k++)
            vd_store(s->sum + k * QK_WD, acc[k]);
        return 0;
    default: /* QK_PH_OUT */
        if (s->kind != QK_ROW_FINITE)
            return qk_row_special_f32(s, op, x, y, n);
        if (op == QK_OP_softmax) {
            if (tier == QK_TIER_q1 && s->fold)
                qk_row_softmax_out_f32(s, x, y, n, tier, 1, 1);
            else
                qk_row_softmax_out_f32(s, x, y, n, tier, 0, 1);
        } else if (op == QK_OP_log_softmax) {
            qk_row_logsoftmax_out_f32(s, x, y, n);
        } else {
            y[0] = qk_logsumexp_value_f32(s);
        }
        return 0;
    }
}

#endif
