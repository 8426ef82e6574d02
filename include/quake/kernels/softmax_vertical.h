/* softmax, log_softmax and logsumexp in vertical form: one call reduces
 * QK_WF (float32) / QK_WD (float64) rows lying side by side, one row per
 * vector lane.  Element i of every row is the vector at x + i xs (the
 * rows' elements are contiguous across rows: axis=0 of a C-ordered matrix,
 * axis=1 of NCHW), so each step loads a whole vector and no gather is
 * needed.
 *
 * Bit-identical to the contiguous row kernels (softmax_f32.h /
 * softmax_f64.h): the canonical lane l of a row (element i goes to lane
 * i mod 16 / 8, quake/rows.h) becomes accumulator vector l here, each
 * accumulator sees the same operands in the same order (float32 q1/q2:
 * groups of QK_SM_GROUP_F32 blocks summed in float32, then widened; precise
 * and the blocks after the last group: every element widened; float64:
 * TwoSum pairs), and the halving tree combines accumulators with the same
 * operations, operand order included (acc[k] op= acc[k + h], h = 8, 4, 2,
 * 1) -- exactly the scalar reference's steps, lane by lane.  exp and the
 * output scaling are the row kernels' own per-lane functions; the per-row
 * scalar steps (classification, fold, 1/S, log S) are their plain-C
 * helpers, called once per row.  Idle lanes of a row's partial tail block
 * only ever add -inf to a maximum or +0 to a sum, so they are skipped.
 *
 * A vector of rows holding a special row (NaN, +inf, all -inf) or, for
 * q1, both fold decisions is not computed: the call returns -1 having
 * written nothing, and the caller takes the row path for those rows.
 */
#ifndef QUAKE_KERNELS_SOFTMAX_VERTICAL_H
#define QUAKE_KERNELS_SOFTMAX_VERTICAL_H

#include "quake/kernels/softmax_f32.h"
#include "quake/kernels/softmax_f64.h"

/* element i of the vector of rows at x (row elements xs bytes apart) */
#define QK_VROW(T, x, i, xs) ((T *)((x) + (qk_size)(i) * (xs)))
/* pass 2 takes every-element-widened rows in chunks of this many blocks */
#define QK_VCHUNK 4
/* The block's copy-in and the output pass touch one short stretch of each
 * array row, every row on another page, so no hardware prefetcher runs
 * ahead and each row costs a memory latency: both prefetch the row
 * QK_VPREF rows ahead (for writing, in the output pass), every cache line
 * of the block's stretch.  A hint only: no effect on any result. */
#define QK_VPREF 48
#if defined(__GNUC__) || defined(__clang__)
#define QK_VPREFETCH(p, w) __builtin_prefetch((p), (w), 3)
#else
#define QK_VPREFETCH(p, w) ((void)(p))
#endif
/* prefetch bytes [0, len) at p, one hint per 64-byte line */
#define QK_VPREFETCH_SPAN(p, len, w)                                                           \
    do {                                                                                       \
        for (qk_size o_ = 0; o_ < (len); o_ += 64)                                             \
            QK_VPREFETCH((const char *)(p) + o_, (w));                                         \
    } while (0)

/* ---- float32 ---- */

/* pass 1: per row (lane) its maximum m (the canonical tree) and NaN flag */
QK_INLINE void qk_vert_max_f32(const char *x, qk_size n, qk_size xs, float *m, float *nanf)
{
    vf mx[QK_RL_F32];
    mf nan = vf_isnan(vf_set(0.0f));
    for (int l = 0; l < QK_RL_F32; l++)
        mx[l] = vf_set(-INFINITY);
    qk_size i = 0;
    for (; i + QK_RL_F32 <= n; i += QK_RL_F32)
        for (int l = 0; l < QK_RL_F32; l++) {
            vf v = vf_load(QK_VROW(const float, x, i + l, xs));
            mf vn = vf_isnan(v);
            nan = mf_or(nan, vn);
            mx[l] = vf_max(mx[l], vf_zero_if(vn, v));
        }
    for (int l = 0; i + (qk_size)l < n; l++) {
        vf v = vf_load(QK_VROW(const float, x, i + l, xs));
        mf vn = vf_isnan(v);
        nan = mf_or(nan, vn);
        mx[l] = vf_max(mx[l], vf_zero_if(vn, v));
    }
    for (int h = QK_RL_F32 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            mx[k] = vf_max(mx[k], mx[k + h]);
    vf_store(m, mx[0]);
    vf_store(nanf, vf_select(nan, vf_set(1.0f), vf_set(0.0f)));
}

QK_INLINE void qk_vert_acc_f32(vd *d, vf e)
{
    for (int k = 0; k < QK_NW_F32; k++)
        d[k] = vd_add(d[k], vf_widen(e, k));
}

/* pass 2: e = exp(x - m) (stored to y for softmax), the rows' sums S */
QK_INLINE void qk_vert_sum_f32(const char *x, char *y, qk_size n, qk_size xs, qk_size ys,
                               const qk_smv_f32 *p, int tier, int fold, int store, double *S)
{
    vd D[QK_RL_F32][QK_NW_F32];
    for (int l = 0; l < QK_RL_F32; l++)
        for (int k = 0; k < QK_NW_F32; k++)
            D[l][k] = vd_set(0.0);
    qk_size i = 0;
    if (tier != QK_TIER_precise) /* lane l: QK_SM_GROUP_F32 blocks in float32, then widened */
        for (; i + QK_SM_GROUP_F32 * QK_RL_F32 <= n; i += QK_SM_GROUP_F32 * QK_RL_F32)
            for (int l = 0; l < QK_RL_F32; l++) {
                vf g = vf_set(0.0f);
                for (int b = 0; b < QK_SM_GROUP_F32; b++) {
                    const qk_size r = i + (qk_size)(b * QK_RL_F32 + l);
                    vf e = qk_sm_exp_f32(vf_load(QK_VROW(const float, x, r, xs)), p, tier, fold, 0);
                    if (store)
                        vf_store(QK_VROW(float, y, r, ys), e);
                    g = b ? vf_add(g, e) : e;
                }
                qk_vert_acc_f32(D[l], g);
            }
    /* every element widened (precise; q1/q2 after the last group) */
    for (; i + QK_VCHUNK * QK_RL_F32 <= n; i += QK_VCHUNK * QK_RL_F32)
        for (int l = 0; l < QK_RL_F32; l++)
            for (int b = 0; b < QK_VCHUNK; b++) {
                const qk_size r = i + (qk_size)(b * QK_RL_F32 + l);
                vf e = qk_sm_exp_f32(vf_load(QK_VROW(const float, x, r, xs)), p, tier, fold, 0);
                if (store)
                    vf_store(QK_VROW(float, y, r, ys), e);
                qk_vert_acc_f32(D[l], e);
            }
    for (; i < n; i++) {
        vf e = qk_sm_exp_f32(vf_load(QK_VROW(const float, x, i, xs)), p, tier, fold, 0);
        if (store)
            vf_store(QK_VROW(float, y, i, ys), e);
        qk_vert_acc_f32(D[i % QK_RL_F32], e);
    }
    for (int h = QK_RL_F32 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            for (int j = 0; j < QK_NW_F32; j++)
                D[k][j] = vd_add(D[k][j], D[k + h][j]);
    for (int j = 0; j < QK_NW_F32; j++)
        vd_store(S + j * QK_WD, D[0][j]);
}

/* passes 1 and 2 of QK_WF rows side by side in the scratch block (element
 * i at sb + i xs), and the per-row steps: their maxima m, ra/rb = r_hi/r_lo
 * (softmax) or L (log_softmax), logsumexp's results to y (yos apart); e is
 * stored over x for softmax.  -1 (nothing written to y) for a special row
 * or mixed q1 fold decisions. */
QK_INLINE int qk_vert_one_f32(char *sb, qk_size n, qk_size xs, char *y, qk_size yos, float *m,
                              float *ra, float *rb, int op, int tier)
{
    float nanf[QK_WF], lo[QK_WF], c0[QK_WF];
    double S[QK_WF];
    qk_rowstate_f32 s;
    int nfold = 0;
    qk_vert_max_f32(sb, n, xs, m, nanf);
    for (int c = 0; c < QK_WF; c++) {
        s.n = n;
        s.nan = nanf[c] != 0.0f;
        if (qk_row_mid_f32(&s, m[c], tier) != QK_ROW_FINITE)
            return -1;
        nfold += s.fold;
        lo[c] = s.lo;
        c0[c] = s.c0;
    }
    if (nfold != 0 && nfold != QK_WF)
        return -1;
    const qk_smv_f32 p = {vf_load(m), vf_load(lo), vf_load(c0)};
    const int store = op == QK_OP_softmax;
    if (tier == QK_TIER_q1 && nfold)
        qk_vert_sum_f32(sb, sb, n, xs, xs, &p, tier, 1, store, S);
    else
        qk_vert_sum_f32(sb, sb, n, xs, xs, &p, tier, 0, store, S);
    for (int c = 0; c < QK_WF; c++) {
        s.m = m[c];
        qk_row_fin_f32(&s, S[c], op, tier);
        ra[c] = op == QK_OP_softmax ? s.r_hi : op == QK_OP_log_softmax ? s.L : 0.0f;
        rb[c] = op == QK_OP_softmax ? s.r_lo : 0.0f;
        if (op == QK_OP_logsumexp)
            *QK_VROW(float, y, c, yos) = qk_logsumexp_value_f32(&s);
    }
    return 0;
}

/* nv <= QK_VMAXB vectors of QK_WF rows side by side (row c's element i at
 * x + i xs + c 4), results at y + i ys + c 4 (logsumexp: y + c yos).  The
 * rows are first copied to the scratch block sb (n x nv QK_WF floats):
 * an array's power-of-2 row strides would map a column block's lines to a
 * few cache sets, so the passes run on the copy, which stays in cache.
 * *bad gets bit v for each vector left to the caller (nothing written). */
QK_INLINE int qk_vert_f32(const char *x, char *y, qk_size n, qk_size xs, qk_size ys, qk_size yos,
                          int nv, void *scratch, unsigned *bad, int op, int tier)
{
    float *sb = scratch;
    const qk_size cb = (qk_size)nv * QK_WF, sxs = cb * (qk_size)sizeof(float);
    float *m = sb + n * cb, *ra = m + cb, *rb = ra + cb; /* per row: m, r_hi / L, r_lo */
    unsigned badm = 0;
    for (qk_size i = 0; i < n; i++) {
        const float *xi = QK_VROW(const float, x, i, xs);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(const float, x, i + QK_VPREF, xs), sxs, 0);
        for (int v = 0; v < nv; v++)
            vf_store(sb + i * cb + v * QK_WF, vf_load(xi + v * QK_WF));
    }
    for (int v = 0; v < nv; v++)
        if (qk_vert_one_f32((char *)(sb + v * QK_WF), n, sxs, y + (qk_size)v * QK_WF * yos, yos,
                            m + v * QK_WF, ra + v * QK_WF, rb + v * QK_WF, op, tier) < 0)
            badm |= 1u << v;
    *bad = badm;
    if (op == QK_OP_logsumexp)
        return 0;
    for (qk_size i = 0; i < n; i++) {
        float *yi = QK_VROW(float, y, i, ys);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(float, y, i + QK_VPREF, ys), sxs, 1);
        const float *si = sb + i * cb;
        for (int v = 0; v < nv; v++) {
            if (badm >> v & 1u)
                continue;
            const int o = v * QK_WF;
            const vf e = vf_load(si + o);
            if (op == QK_OP_softmax)
                vf_store(yi + o, qk_sm_scale_f32(e, vf_load(ra + o), vf_load(rb + o), tier));
            else
                vf_store(yi + o, vf_sub(vf_sub(e, vf_load(m + o)), vf_load(ra + o)));
        }
    }
    return 0;
}

/* ---- float64 ---- */

/* pass 1: per row (lane) its maximum m (the canonical tree) and NaN flag */
QK_INLINE void qk_vert_max_f64(const char *x, qk_size n, qk_size xs, double *m, double *nanf)
{
    vd mx[QK_RL_F64];
    md nan = vd_isnan(vd_set(0.0));
    for (int l = 0; l < QK_RL_F64; l++)
        mx[l] = vd_set(-INFINITY);
    qk_size i = 0;
    for (; i + QK_RL_F64 <= n; i += QK_RL_F64)
        for (int l = 0; l < QK_RL_F64; l++) {
            vd v = vd_load(QK_VROW(const double, x, i + l, xs));
            md vn = vd_isnan(v);
            nan = md_or(nan, vn);
            mx[l] = vd_max(mx[l], vd_zero_if(vn, v));
        }
    for (int l = 0; i + (qk_size)l < n; l++) {
        vd v = vd_load(QK_VROW(const double, x, i + l, xs));
        md vn = vd_isnan(v);
        nan = md_or(nan, vn);
        mx[l] = vd_max(mx[l], vd_zero_if(vn, v));
    }
    for (int h = QK_RL_F64 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            mx[k] = vd_max(mx[k], mx[k + h]);
    vd_store(m, mx[0]);
    vd_store(nanf, vd_select(nan, vd_set(1.0), vd_set(0.0)));
}

/* s += e as a TwoSum pair: the row kernel's step (qk_row_sum_step_f64) */
QK_INLINE void qk_vert_twosum_f64(vd *s, vd *c, vd e)
{
    vd t = vd_add(*s, e), bv = vd_sub(t, *s), av = vd_sub(t, bv);
    *c = vd_add(*c, vd_add(vd_sub(*s, av), vd_sub(e, bv)));
    *s = t;
}

/* pass 2: e (stored to y for softmax) summed as TwoSum pairs into
 * sc[l * QK_WD + c] (sums) and sc[(QK_RL_F64 + l) * QK_WD + c] (compensations) */
QK_INLINE void qk_vert_sum_f64(const char *x, char *y, qk_size n, qk_size xs, qk_size ys,
                               const qk_smv_f64 *p, int tier, int fold, int store, double *sc)
{
    vd A[QK_RL_F64], C[QK_RL_F64];
    for (int l = 0; l < QK_RL_F64; l++) {
        A[l] = vd_set(0.0);
        C[l] = vd_set(0.0);
    }
    qk_size i = 0;
    for (; i + QK_VCHUNK * QK_RL_F64 <= n; i += QK_VCHUNK * QK_RL_F64)
        for (int l = 0; l < QK_RL_F64; l++)
            for (int b = 0; b < QK_VCHUNK; b++) {
                const qk_size r = i + (qk_size)(b * QK_RL_F64 + l);
                vd e = qk_sm_exp_f64(vd_load(QK_VROW(const double, x, r, xs)), p, tier, fold, 0);
                if (store)
                    vd_store(QK_VROW(double, y, r, ys), e);
                qk_vert_twosum_f64(&A[l], &C[l], e);
            }
    for (; i < n; i++) {
        vd e = qk_sm_exp_f64(vd_load(QK_VROW(const double, x, i, xs)), p, tier, fold, 0);
        if (store)
            vd_store(QK_VROW(double, y, i, ys), e);
        qk_vert_twosum_f64(&A[i % QK_RL_F64], &C[i % QK_RL_F64], e);
    }
    for (int l = 0; l < QK_RL_F64; l++) {
        vd_store(sc + l * QK_WD, A[l]);
        vd_store(sc + (QK_RL_F64 + l) * QK_WD, C[l]);
    }
}

QK_INLINE int qk_vert_one_f64(char *sb, qk_size n, qk_size xs, char *y, qk_size yos, double *m,
                              double *ra, double *rb, int op, int tier)
{
    double lanes[2 * QK_RL_F64 * QK_WD], nanf[QK_WD], lo[QK_WD], c0[QK_WD];
    qk_rowstate_f64 s;
    int nfold = 0;
    qk_vert_max_f64(sb, n, xs, m, nanf);
    for (int c = 0; c < QK_WD; c++) {
        s.n = n;
        s.nan = nanf[c] != 0.0;
        if (qk_row_mid_f64(&s, m[c], tier) != QK_ROW_FINITE)
            return -1;
        nfold += s.fold;
        lo[c] = s.lo;
        c0[c] = s.c0;
    }
    if (nfold != 0 && nfold != QK_WD)
        return -1;
    const qk_smv_f64 p = {vd_load(m), vd_load(lo), vd_load(c0)};
    const int store = op == QK_OP_softmax;
    if (tier == QK_TIER_q1 && nfold)
        qk_vert_sum_f64(sb, sb, n, xs, xs, &p, tier, 1, store, lanes);
    else
        qk_vert_sum_f64(sb, sb, n, xs, xs, &p, tier, 0, store, lanes);
    for (int c = 0; c < QK_WD; c++) {
        for (int l = 0; l < QK_RL_F64; l++) {
            s.sum[l] = lanes[l * QK_WD + c];
            s.comp[l] = lanes[(QK_RL_F64 + l) * QK_WD + c];
        }
        s.m = m[c];
        qk_row_fin_f64(&s, op, tier);
        ra[c] = op == QK_OP_softmax ? s.r_hi : s.L;
        rb[c] = op == QK_OP_softmax ? s.r_lo : 0.0;
        if (op == QK_OP_logsumexp)
            *QK_VROW(double, y, c, yos) = qk_logsumexp_value_f64(&s);
    }
    return 0;
}

QK_INLINE int qk_vert_f64(const char *x, char *y, qk_size n, qk_size xs, qk_size ys, qk_size yos,
                          int nv, void *scratch, unsigned *bad, int op, int tier)
{
    double *sb = scratch;
    const qk_size cb = (qk_size)nv * QK_WD, sxs = cb * (qk_size)sizeof(double);
    double *m = sb + n * cb, *ra = m + cb, *rb = ra + cb; /* per row: m, r_hi / L, r_lo */
    unsigned badm = 0;
    for (qk_size i = 0; i < n; i++) {
        const double *xi = QK_VROW(const double, x, i, xs);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(const double, x, i + QK_VPREF, xs), sxs, 0);
        for (int v = 0; v < nv; v++)
            vd_store(sb + i * cb + v * QK_WD, vd_load(xi + v * QK_WD));
    }
    for (int v = 0; v < nv; v++)
        if (qk_vert_one_f64((char *)(sb + v * QK_WD), n, sxs, y + (qk_size)v * QK_WD * yos, yos,
                            m + v * QK_WD, ra + v * QK_WD, rb + v * QK_WD, op, tier) < 0)
            badm |= 1u << v;
    *bad = badm;
    if (op == QK_OP_logsumexp)
        return 0;
    for (qk_size i = 0; i < n; i++) {
        double *yi = QK_VROW(double, y, i, ys);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(double, y, i + QK_VPREF, ys), sxs, 1);
        const double *si = sb + i * cb;
        for (int v = 0; v < nv; v++) {
            if (badm >> v & 1u)
                continue;
            const int o = v * QK_WD;
            const vd e = vd_load(si + o);
            if (op == QK_OP_softmax)
                vd_store(yi + o, qk_sm_scale_f64(e, vd_load(ra + o), vd_load(rb + o), tier));
            else
                vd_store(yi + o, vd_sub(vd_sub(e, vd_load(m + o)), vd_load(ra + o)));
        }
    }
    return 0;
}

#define QK_DEFINE_ROWOP_VERT(op, tier)                                                         \
    static int QK_FN(op##_##tier##_vert_f32)(const char *x, char *y, qk_size n, qk_size xs,    \
                                             qk_size ys, qk_size yos, int nv, void *scratch,   \
                                             unsigned *bad)                                    \
    {                                                                                          \
        return qk_vert_f32(x, y, n, xs, ys, yos, nv, scratch, bad, QK_OP_##op, QK_TIER_##tier); \
    }                                                                                          \
    static int QK_FN(op##_##tier##_vert_f64)(const char *x, char *y, qk_size n, qk_size xs,    \
                                             qk_size ys, qk_size yos, int nv, void *scratch,   \
                                             unsigned *bad)                                    \
    {                                                                                          \
        return qk_vert_f64(x, y, n, xs, ys, yos, nv, scratch, bad, QK_OP_##op, QK_TIER_##tier); \
    }

#define QK_ROWOP(op, tier, sig) QK_DEFINE_ROWOP_VERT(op, tier)
#include "quake/rowops.def"
#undef QK_ROWOP

#undef QK_VROW
#undef QK_VPREFETCH_SPAN
#undef QK_VPREFETCH
#endif
