/* softmax, log_softmax and logsumexp over rows, three tiers, written once
 * for float32 and float64 (simd/generic.h; instantiated by kernels/all.h
 * after the per-type parts softmax_f{32,64}.h).  The reduction order is in
 * quake/rows.h.
 *
 *   pass 1  lane maxima (+ NaN flag), halving tree -> m; classify the row
 *   pass 2  e = exp(x - m) per tier, summed per lane (float32: in float64,
 *           q1/q2 adding groups of blocks first; float64: TwoSum pairs),
 *           and stored to y for softmax on contiguous rows
 *   pass 3  softmax: y = e / S as e * (1/S); log_softmax: (x - m) - log S;
 *           logsumexp: m + log S (softmax_out.h)
 *
 * Order 1 folds the max into the exponential's constant (qk_sm_q1 per
 * type).  Special rows (NaN, +inf, all -inf, empty) are written by
 * qk_row_special with scipy.special's results.
 */

#ifndef QUAKE_KERNELS_SOFTMAX_H_ONCE
#define QUAKE_KERNELS_SOFTMAX_H_ONCE
/* rows at least this long test exp's fast window once per row where the
 * type has the check (QK_SM_FAST_*; below, the per-vector tests cost less) */
#define QK_SM_FAST_MINN 64
/* call(fold, fast) with fold (q1 only) and fast as constants */
#define QK_ROW_REST(call, tier, fold, fast)                                                    \
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
#define QK_ROW_REST_F32 QK_ROW_REST
#endif

/* this type's canonical lanes, registers per block, sum accumulators (vd) */
#define QK_RL_T QK_TC(QK_RL)
#define QK_NV_T QK_TC(QK_NV)
#define QK_NACC_T QK_TC(QK_SM_NACC)

/* ---- portable per-row steps (plain C: the same bits on every target) ---- */
QK_INLINE void QK_TFN(qk_row_init)(QK_TFN(qk_rowstate) *s)
{
    for (int k = 0; k < QK_RL_T; k++)
        s->vmax[k] = -INFINITY;
    QK_TFN(qk_row_init_sum)(s);
    s->nan = 0;
    s->n = 0;
    s->kind = QK_ROW_FINITE;
    s->fold = 0;
}

/* classify the row (s->n, s->nan set) with maximum m; set the pass-2 constants */
QK_INLINE int QK_TFN(qk_row_mid)(QK_TFN(qk_rowstate) *s, qk_t m, int tier)
{
    s->m = m;
    s->c0 = 0;
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
    /* x is clamped to lo before x - m: lo - m ~ -2^126 (float64 -2^1022;
     * exp is 0 there), so neither x - m nor 2 (x - m) (exp's NaN path forms
     * x + x) can overflow; below m = -2^127 (-2^1023) no clamp is needed */
    s->lo = m > QK_TC(QK_SM_LO_MIN) ? m - QK_TC(QK_SM_LO_GAP) : -INFINITY;
    s->fold = tier == QK_TIER_q1 && fabs((double)m) <= (double)QK_TC(QK_SM_FOLD_MAX);
    if (s->fold) {
        s->lo = m - QK_TC(QK_SM_FOLD_LO);
        s->c0 = QK_TFN(qk_sm_fold_c0)(m);
    }
    return s->kind;
}

/* scipy.special semantics for rows that are not all finite-with-finite-max:
 * NaN anywhere -> NaN; +inf present -> softmax NaN, log_softmax NaN at +inf
 * and -inf elsewhere, logsumexp +inf; all -inf -> softmax/log_softmax NaN,
 * logsumexp -inf; empty -> logsumexp -inf.  The inf - inf of scipy's
 * softmax/log_softmax is reported as "invalid". */
QK_INLINE int QK_TFN(qk_row_special)(const QK_TFN(qk_rowstate) *s, int op, const qk_t *x, qk_t *y,
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

/* ---- pass 1: lane maxima in registers (QK_NV_T registers = QK_RL_T lanes) ---- */
/* mn (NULL: not wanted) also gathers lane minima, in any order: they only
 * decide whether the whole row lies in exp's fast window (qk_sm_fast) */
QK_INLINE void QK_TFN(qk_row_max)(qk_v *acc, qk_v *mn, qk_m *nanp, const qk_t *x, qk_size n)
{
    qk_m nan = *nanp;
    qk_size i = 0;
    for (; i + QK_RL_T <= n; i += QK_RL_T) {
        QK_PREFETCH_READ(x + i, QK_RL_T * sizeof(qk_t));
        for (int j = 0; j < QK_NV_T; j++) {
            qk_v v = v_load(x + i + j * QK_W);
            qk_m vn = v_isnan(v);
            nan = m_or(nan, vn);
            v = v_zero_if(vn, v);
            acc[j] = v_max(acc[j], v);
            if (mn)
                mn[j] = v_min(mn[j], v);
        }
    }
    for (int j = 0; i + j * QK_W < n; j++) { /* tail: fewer than QK_RL_T left */
        qk_size o = i + j * QK_W, k = n - o;
        qk_v v = k >= QK_W ? v_load(x + o) : v_load_partial_or(x + o, k, -INFINITY);
        qk_m vn = v_isnan(v); /* NaN lanes count as 0: max must not see them */
        nan = m_or(nan, vn);
        acc[j] = v_max(acc[j], v_zero_if(vn, v));
        if (mn) { /* idle lanes +inf for the minima */
            qk_v w = k >= QK_W ? v : v_load_partial_or(x + o, k, INFINITY);
            mn[j] = v_min(mn[j], v_zero_if(v_isnan(w), w));
        }
    }
    *nanp = nan;
}

/* the canonical halving tree: registers first (lane distance >= W), then
 * inside the last register; max(a, b) = a > b ? a : b keeps the lower lane
 * as first operand */
QK_INLINE qk_t QK_TFN(qk_row_tree_max)(qk_v *acc)
{
    for (int h = QK_NV_T / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            acc[k] = v_max(acc[k], acc[k + h]);
    return v_hmax(acc[0]);
}

/* smallest lane of mn (order free: a bound, not a result) */
QK_INLINE qk_t QK_TFN(qk_row_min)(qk_v *mn)
{
    for (int k = 1; k < QK_NV_T; k++)
        mn[0] = v_min(mn[0], mn[k]);
    return -v_hmax(v_sub(v_set(-0.0), mn[0]));
}

/* ---- pass 2: e = exp(x - m) ---- */
typedef struct {
    qk_v m, lo, c0;
} QK_TFN(qk_smv);

QK_INLINE QK_TFN(qk_smv) QK_TK(qk_smv, _of)(const QK_TFN(qk_rowstate) *s)
{
    QK_TFN(qk_smv) p = {v_set(s->m), v_set(s->lo), v_set(s->c0)};
    return p;
}

/* exact error of t = a - m (Knuth's TwoSum) */
QK_INLINE qk_v QK_TFN(qk_sub_err)(qk_v a, qk_v m, qk_v t)
{
    qk_v nm = v_sub(v_set(0.0), m);
    qk_v bv = v_sub(t, a);
    qk_v av = v_sub(t, bv);
    return v_add(v_sub(a, av), v_sub(nm, bv));
}

/* fast = 1 only for rows that qk_sm_fast accepted: the steps such a row
 * needs, the same bits */
QK_INLINE qk_v QK_TFN(qk_sm_exp)(qk_v x, const QK_TFN(qk_smv) *p, int tier, int fold, int fast)
{
    int st = 0; /* exp's own over/underflow report does not apply here */
    if (tier == QK_TIER_q1)
        return QK_TFN(qk_sm_q1)(x, p->m, p->lo, p->c0, fold, fast);
    if (fast) {
        qk_v t = v_sub(x, p->m);
        if (tier == QK_TIER_q2)
            return QK_TK(exp_q2, _core)(t);
        qk_v e = QK_TK(exp_precise, _core)(t);
        return v_fma(e, QK_TFN(qk_sub_err)(x, p->m, t), e);
    }
    qk_v xs = v_max(x, p->lo);
    qk_v t = v_sub(xs, p->m);
    /* t <= 0 and no NaN: exp's fast window is t >= FAST_LO (one compare) */
    const int edge = m_any(v_lt(t, v_set(QK_TC(QK_EXP_FAST_LO))));
    if (tier == QK_TIER_q2)
        return edge ? QK_TK(exp_q2, _full)(t, &st) : QK_TK(exp_q2, _core)(t);
    /* precise: x - m is rounded; its exact error tl enters as e (1 + tl) */
    qk_v e, tl;
    if (QK_UNLIKELY(edge)) {
        qk_m minf = v_lt(t, v_set(QK_TC(QK_SM_NEG_MAX))); /* x = -inf: no error term */
        e = QK_TK(exp_precise, _full)(t, &st);
        tl = QK_TFN(qk_sub_err)(v_select(minf, p->m, xs), p->m, v_zero_if(minf, t));
    } else {
        e = QK_TK(exp_precise, _core)(t);
        tl = QK_TFN(qk_sub_err)(xs, p->m, t);
    }
    return v_fma(e, tl, e);
}

/* the sums acc (QK_NACC_T vd, per type: qk_row_sum_step) += e over x[0..n) */
QK_INLINE void QK_TFN(qk_row_sum)(vd *acc, const QK_TFN(qk_smv) *pp, const qk_t *x, qk_t *y,
                                  qk_size n, int tier, int fold, int fast, int store)
{
    const QK_TFN(qk_smv) p = *pp;
    const int G = QK_TC(QK_SM_GROUP);
    qk_size i = 0;
    if (G > 1 && tier != QK_TIER_precise) {
        /* float32 q1/q2: each lane first adds G consecutive blocks in
         * float32 (relative error < 2^-22, far below these tiers' bounds),
         * then widens once: a quarter of the conversions */
        for (; i + G * QK_RL_T <= n; i += G * QK_RL_T) {
            if (store)
                QK_PREFETCH_WRITE(y + i, G * QK_RL_T * sizeof(qk_t));
            for (int j = 0; j < QK_NV_T; j++) {
                qk_v g = v_set(0.0);
                for (int b = 0; b < G; b++) {
                    const qk_size o = i + b * QK_RL_T + j * QK_W;
                    qk_v e = QK_TFN(qk_sm_exp)(v_load(x + o), &p, tier, fold, fast);
                    if (store)
                        v_store(y + o, e);
                    g = b ? v_add(g, e) : e;
                }
                QK_TFN(qk_row_sum_step)(acc, j, g);
            }
        }
    }
    for (; i + QK_RL_T <= n; i += QK_RL_T) {
        if (store)
            QK_PREFETCH_WRITE(y + i, QK_RL_T * sizeof(qk_t));
        for (int j = 0; j < QK_NV_T; j++) {
            qk_v e = QK_TFN(qk_sm_exp)(v_load(x + i + j * QK_W), &p, tier, fold, fast);
            if (store)
                v_store(y + i + j * QK_W, e);
            QK_TFN(qk_row_sum_step)(acc, j, e);
        }
    }
    for (int j = 0; i + j * QK_W < n; j++) {
        qk_size o = i + j * QK_W, k = n - o;
        if (k >= QK_W) {
            qk_v e = QK_TFN(qk_sm_exp)(v_load(x + o), &p, tier, fold, fast);
            if (store)
                v_store(y + o, e);
            QK_TFN(qk_row_sum_step)(acc, j, e);
        } else {
            /* idle lanes: computed on m (exp's fast path: x - m = 0), then
             * +0, which leaves the sums alone.  The row holds no NaN, so a
             * NaN fill marks them. */
            qk_v v = v_load_partial_or(x + o, k, NAN);
            qk_m idle = v_isnan(v);
            qk_v e = QK_TFN(qk_sm_exp)(v_select(idle, p.m, v), &p, tier, fold, fast);
            e = v_zero_if(idle, e);
            if (store)
                v_store_partial(y + o, e, k);
            QK_TFN(qk_row_sum_step)(acc, j, e);
        }
    }
}

/* ---- pass 3 ---- */
#include "quake/kernels/softmax_out.h"

/* ---- whole rows and segments ---- */
QK_INLINE void QK_TFN(qk_row_sum_any)(vd *acc, const QK_TFN(qk_rowstate) *s, const qk_t *x,
                                      qk_t *y, qk_size n, int tier, int store)
{
    const QK_TFN(qk_smv) p = QK_TK(qk_smv, _of)(s);
    if (tier == QK_TIER_q1 && s->fold)
        QK_TFN(qk_row_sum)(acc, &p, x, y, n, tier, 1, 0, store);
    else
        QK_TFN(qk_row_sum)(acc, &p, x, y, n, tier, 0, 0, store);
}

/* softmax of a row of at most QK_RL_T elements: passes 2 and 3 keep e in
 * registers (no store and reload through a masked store); same bits as
 * the general path */
QK_INLINE void QK_TFN(qk_row_softmax_short)(const QK_TFN(qk_rowstate) *s, const qk_t *x, qk_t *y,
                                            qk_size n, int tier, int fold, int fast)
{
    const QK_TFN(qk_smv) p = QK_TK(qk_smv, _of)(s);
    qk_v e[QK_NV_T];
    vd acc[QK_NACC_T];
    for (int k = 0; k < QK_NACC_T; k++)
        acc[k] = vd_set(0.0);
    for (int j = 0; j < QK_NV_T; j++)
        e[j] = v_set(0.0);
    for (int j = 0; j < QK_NV_T && j * QK_W < n; j++) {
        qk_size k = n - j * QK_W;
        if (k >= QK_W) {
            e[j] = QK_TFN(qk_sm_exp)(v_load(x + j * QK_W), &p, tier, fold, fast);
        } else { /* idle lanes as in qk_row_sum */
            qk_v v = v_load_partial_or(x + j * QK_W, k, NAN);
            qk_m idle = v_isnan(v);
            e[j] = v_zero_if(idle, QK_TFN(qk_sm_exp)(v_select(idle, p.m, v), &p, tier, fold, fast));
        }
        QK_TFN(qk_row_sum_step)(acc, j, e[j]);
    }
    QK_TFN(qk_rowstate) t = *s;
    QK_TFN(qk_row_sum_fin)(&t, acc, QK_OP_softmax, tier);
    const qk_v rh = v_set(t.r_hi), rl = v_set(t.r_lo);
    for (int j = 0; j < QK_NV_T && j * QK_W < n; j++) {
        qk_size k = n - j * QK_W;
        qk_v r = QK_TFN(qk_sm_scale)(e[j], rh, rl, tier);
        if (k >= QK_W)
            v_store(y + j * QK_W, r);
        else
            v_store_partial(y + j * QK_W, r, k);
    }
}

/* passes 2 and 3 of a classified finite row */
QK_INLINE void QK_TFN(qk_row_rest)(QK_TFN(qk_rowstate) *s, const qk_t *x, qk_t *y, qk_size n,
                                   int op, int tier, int fold, int fast)
{
    if (op == QK_OP_softmax && n <= QK_RL_T) {
        QK_TFN(qk_row_softmax_short)(s, x, y, n, tier, fold, fast);
        return;
    }
    const QK_TFN(qk_smv) p = QK_TK(qk_smv, _of)(s);
    vd acc[QK_NACC_T];
    for (int k = 0; k < QK_NACC_T; k++)
        acc[k] = vd_set(0.0);
    QK_TFN(qk_row_sum)(acc, &p, x, y, n, tier, fold, fast, op == QK_OP_softmax);
    QK_TFN(qk_row_sum_fin)(s, acc, op, tier);
    if (op == QK_OP_softmax)
        QK_TFN(qk_row_softmax_out)(s, x, y, n, tier, 0, 0);
    else if (op == QK_OP_log_softmax)
        QK_TFN(qk_row_logsoftmax_out)(s, x, y, n);
    else
        y[0] = QK_TFN(qk_logsumexp_value)(s);
}

/* one contiguous row, accumulators in registers */
QK_INLINE int QK_TFN(qk_row)(const qk_t *x, qk_t *y, qk_size n, int op, int tier)
{
    QK_TFN(qk_rowstate) s;
    qk_v mx[QK_NV_T], mn[QK_NV_T];
    qk_m nan = v_isnan(v_set(0.0));
    const int try_fast = QK_TC(QK_SM_FAST) && n >= QK_SM_FAST_MINN;
    for (int j = 0; j < QK_NV_T; j++) {
        mx[j] = v_set(-INFINITY);
        mn[j] = v_set(INFINITY);
    }
    if (try_fast)
        QK_TFN(qk_row_max)(mx, mn, &nan, x, n);
    else /* short rows (or no fast-row check): pass 1 without minima */
        QK_TFN(qk_row_max)(mx, NULL, &nan, x, n);
    s.n = n;
    s.nan = m_any(nan);
    if (QK_TFN(qk_row_mid)(&s, QK_TFN(qk_row_tree_max)(mx), tier) != QK_ROW_FINITE)
        return QK_TFN(qk_row_special)(&s, op, x, y, n);
    const int fast = try_fast && QK_TFN(qk_sm_fast)(&s, QK_TFN(qk_row_min)(mn), tier);
#define QK_CALL_(fo, fa) QK_TFN(qk_row_rest)(&s, x, y, n, op, tier, fo, fa)
    QK_ROW_REST(QK_CALL_, tier, s.fold, fast);
#undef QK_CALL_
    return 0;
}

/* rows one at a time (float32's many-row kernel: softmax_rows_f32.h) */
QK_INLINE int QK_TFN(qk_rows_each)(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                                   qk_size yrs, int op, int tier)
{
    int st = 0;
    for (qk_size r = 0; r < rows; r++)
        st |= QK_TFN(qk_row)((const qk_t *)(x + r * xrs), (qk_t *)(y + r * yrs), n, op, tier);
    return st;
}

/* the same steps on a row fed in chunks; accumulators live in *s between
 * calls (same lanes, same order, same bits) */
QK_INLINE int QK_TFN(qk_seg)(QK_TFN(qk_rowstate) *s, int phase, const qk_t *x, qk_t *y, qk_size n,
                             int op, int tier)
{
    qk_v mx[QK_NV_T];
    vd acc[QK_NACC_T];
    switch (phase) {
    case QK_PH_INIT:
        QK_TFN(qk_row_init)(s);
        return 0;
    case QK_PH_MAX: {
        qk_m nan = v_isnan(v_set(0.0));
        for (int j = 0; j < QK_NV_T; j++)
            mx[j] = v_load(s->vmax + j * QK_W);
        QK_TFN(qk_row_max)(mx, NULL, &nan, x, n);
        for (int j = 0; j < QK_NV_T; j++)
            v_store(s->vmax + j * QK_W, mx[j]);
        s->nan |= m_any(nan);
        s->n += n;
        return 0;
    }
    case QK_PH_MID:
        for (int j = 0; j < QK_NV_T; j++)
            mx[j] = v_load(s->vmax + j * QK_W);
        return QK_TFN(qk_row_mid)(s, QK_TFN(qk_row_tree_max)(mx), tier);
    case QK_PH_SUM:
    case QK_PH_FIN:
        QK_TFN(qk_row_acc_load)(acc, s);
        if (phase == QK_PH_FIN) {
            QK_TFN(qk_row_sum_fin)(s, acc, op, tier);
            return 0;
        }
        QK_TFN(qk_row_sum_any)(acc, s, x, NULL, n, tier, 0);
        QK_TFN(qk_row_acc_store)(s, acc);
        return 0;
    default: /* QK_PH_OUT */
        if (s->kind != QK_ROW_FINITE)
            return QK_TFN(qk_row_special)(s, op, x, y, n);
        if (op == QK_OP_softmax) {
            if (tier == QK_TIER_q1 && s->fold)
                QK_TFN(qk_row_softmax_out)(s, x, y, n, tier, 1, 1);
            else
                QK_TFN(qk_row_softmax_out)(s, x, y, n, tier, 0, 1);
        } else if (op == QK_OP_log_softmax) {
            QK_TFN(qk_row_logsoftmax_out)(s, x, y, n);
        } else {
            y[0] = QK_TFN(qk_logsumexp_value)(s);
        }
        return 0;
    }
}

#undef QK_RL_T
#undef QK_NV_T
#undef QK_NACC_T
