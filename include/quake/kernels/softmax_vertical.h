/* softmax, log_softmax and logsumexp in vertical form, written once for
 * float32 and float64 (simd/generic.h; instantiated by kernels/all.h after
 * the per-type sums, softmax_vertical_f{32,64}.h): one call reduces
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
/* this type's canonical lanes, vd per lane accumulator, doubles of sums */
#define QK_RL_T QK_TC(QK_RL)
#define QK_VACC_T QK_TC(QK_VACC)
#define QK_VSUMS_T QK_TC(QK_VSUMS)

/* pass 1: per row (lane) its maximum m (the canonical tree) and NaN flag */
QK_INLINE void QK_TFN(qk_vert_max)(const char *x, qk_size n, qk_size xs, qk_t *m, qk_t *nanf)
{
    qk_v mx[QK_RL_T];
    qk_m nan = v_isnan(v_set(0.0));
    for (int l = 0; l < QK_RL_T; l++)
        mx[l] = v_set(-INFINITY);
    qk_size i = 0;
    for (; i + QK_RL_T <= n; i += QK_RL_T)
        for (int l = 0; l < QK_RL_T; l++) {
            qk_v v = v_load(QK_VROW(const qk_t, x, i + l, xs));
            qk_m vn = v_isnan(v);
            nan = m_or(nan, vn);
            mx[l] = v_max(mx[l], v_zero_if(vn, v));
        }
    for (int l = 0; i + (qk_size)l < n; l++) {
        qk_v v = v_load(QK_VROW(const qk_t, x, i + l, xs));
        qk_m vn = v_isnan(v);
        nan = m_or(nan, vn);
        mx[l] = v_max(mx[l], v_zero_if(vn, v));
    }
    for (int h = QK_RL_T / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            mx[k] = v_max(mx[k], mx[k + h]);
    v_store(m, mx[0]);
    v_store(nanf, v_select(nan, v_set(1.0), v_set(0.0)));
}

/* pass 2: e = exp(x - m) (stored to y for softmax), summed per canonical
 * lane (qk_vert_step); S gets the sums (qk_vert_sums) */
QK_INLINE void QK_TFN(qk_vert_sum)(const char *x, char *y, qk_size n, qk_size xs, qk_size ys,
                                   const QK_TFN(qk_smv) *p, int tier, int fold, int store,
                                   double *S)
{
    vd D[QK_RL_T][QK_VACC_T];
    const int G = QK_TC(QK_SM_GROUP);
    for (int l = 0; l < QK_RL_T; l++)
        for (int k = 0; k < QK_VACC_T; k++)
            D[l][k] = vd_set(0.0);
    qk_size i = 0;
    if (G > 1 && tier != QK_TIER_precise) /* float32 q1/q2, lane l: G blocks added first */
        for (; i + G * QK_RL_T <= n; i += G * QK_RL_T)
            for (int l = 0; l < QK_RL_T; l++) {
                qk_v g = v_set(0.0);
                for (int b = 0; b < G; b++) {
                    const qk_size r = i + (qk_size)(b * QK_RL_T + l);
                    qk_v e = QK_TFN(qk_sm_exp)(v_load(QK_VROW(const qk_t, x, r, xs)), p, tier, fold, 0);
                    if (store)
                        v_store(QK_VROW(qk_t, y, r, ys), e);
                    g = b ? v_add(g, e) : e;
                }
                QK_TFN(qk_vert_step)(D[l], g);
            }
    /* every element as it comes (float32 precise, q1/q2 after the last group) */
    for (; i + QK_VCHUNK * QK_RL_T <= n; i += QK_VCHUNK * QK_RL_T)
        for (int l = 0; l < QK_RL_T; l++)
            for (int b = 0; b < QK_VCHUNK; b++) {
                const qk_size r = i + (qk_size)(b * QK_RL_T + l);
                qk_v e = QK_TFN(qk_sm_exp)(v_load(QK_VROW(const qk_t, x, r, xs)), p, tier, fold, 0);
                if (store)
                    v_store(QK_VROW(qk_t, y, r, ys), e);
                QK_TFN(qk_vert_step)(D[l], e);
            }
    for (; i < n; i++) {
        qk_v e = QK_TFN(qk_sm_exp)(v_load(QK_VROW(const qk_t, x, i, xs)), p, tier, fold, 0);
        if (store)
            v_store(QK_VROW(qk_t, y, i, ys), e);
        QK_TFN(qk_vert_step)(D[i % QK_RL_T], e);
    }
    QK_TFN(qk_vert_sums)(D, S);
}

/* passes 1 and 2 of QK_W rows side by side in the scratch block (element
 * i at sb + i xs), and the per-row steps: their maxima m, ra/rb = r_hi/r_lo
 * (softmax) or L (log_softmax), logsumexp's results to y (yos apart); e is
 * stored over x for softmax.  -1 (nothing written to y) for a special row
 * or mixed q1 fold decisions. */
QK_INLINE int QK_TFN(qk_vert_one)(char *sb, qk_size n, qk_size xs, char *y, qk_size yos, qk_t *m,
                                  qk_t *ra, qk_t *rb, int op, int tier)
{
    qk_t nanf[QK_W], lo[QK_W], c0[QK_W];
    double S[QK_VSUMS_T];
    QK_TFN(qk_rowstate) s;
    int nfold = 0;
    QK_TFN(qk_vert_max)(sb, n, xs, m, nanf);
    for (int c = 0; c < QK_W; c++) {
        s.n = n;
        s.nan = nanf[c] != 0;
        if (QK_TFN(qk_row_mid)(&s, m[c], tier) != QK_ROW_FINITE)
            return -1;
        nfold += s.fold;
        lo[c] = s.lo;
        c0[c] = s.c0;
    }
    if (nfold != 0 && nfold != QK_W)
        return -1;
    const QK_TFN(qk_smv) p = {v_load(m), v_load(lo), v_load(c0)};
    const int store = op == QK_OP_softmax;
    if (tier == QK_TIER_q1 && nfold)
        QK_TFN(qk_vert_sum)(sb, sb, n, xs, xs, &p, tier, 1, store, S);
    else
        QK_TFN(qk_vert_sum)(sb, sb, n, xs, xs, &p, tier, 0, store, S);
    for (int c = 0; c < QK_W; c++) {
        s.m = m[c];
        QK_TFN(qk_vert_row_fin)(&s, S, c, op, tier);
        ra[c] = op == QK_OP_softmax ? s.r_hi : op == QK_OP_log_softmax ? s.L : 0;
        rb[c] = op == QK_OP_softmax ? s.r_lo : 0;
        if (op == QK_OP_logsumexp)
            *QK_VROW(qk_t, y, c, yos) = QK_TFN(qk_logsumexp_value)(&s);
    }
    return 0;
}

/* nv <= QK_VMAXB vectors of QK_W rows side by side (row c's element i at
 * x + i xs + c sizeof(qk_t)), results at y + i ys + c sizeof(qk_t)
 * (logsumexp: y + c yos).  The rows are first copied to the scratch block
 * sb (n x nv QK_W elements): an array's power-of-2 row strides would map a
 * column block's lines to a few cache sets, so the passes run on the copy,
 * which stays in cache.  *bad gets bit v for each vector left to the
 * caller (nothing written). */
QK_INLINE int QK_TFN(qk_vert)(const char *x, char *y, qk_size n, qk_size xs, qk_size ys,
                              qk_size yos, int nv, void *scratch, unsigned *bad, int op, int tier)
{
    qk_t *sb = scratch;
    const qk_size cb = (qk_size)nv * QK_W, sxs = cb * (qk_size)sizeof(qk_t);
    qk_t *m = sb + n * cb, *ra = m + cb, *rb = ra + cb; /* per row: m, r_hi / L, r_lo */
    unsigned badm = 0;
    for (qk_size i = 0; i < n; i++) {
        const qk_t *xi = QK_VROW(const qk_t, x, i, xs);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(const qk_t, x, i + QK_VPREF, xs), sxs, 0);
        for (int v = 0; v < nv; v++)
            v_store(sb + i * cb + v * QK_W, v_load(xi + v * QK_W));
    }
    for (int v = 0; v < nv; v++)
        if (QK_TFN(qk_vert_one)((char *)(sb + v * QK_W), n, sxs, y + (qk_size)v * QK_W * yos, yos,
                                m + v * QK_W, ra + v * QK_W, rb + v * QK_W, op, tier) < 0)
            badm |= 1u << v;
    *bad = badm;
    if (op == QK_OP_logsumexp)
        return 0;
    for (qk_size i = 0; i < n; i++) {
        qk_t *yi = QK_VROW(qk_t, y, i, ys);
        if (i + QK_VPREF < n)
            QK_VPREFETCH_SPAN(QK_VROW(qk_t, y, i + QK_VPREF, ys), sxs, 1);
        const qk_t *si = sb + i * cb;
        for (int v = 0; v < nv; v++) {
            if (badm >> v & 1u)
                continue;
            const int o = v * QK_W;
            const qk_v e = v_load(si + o);
            if (op == QK_OP_softmax)
                v_store(yi + o, QK_TFN(qk_sm_scale)(e, v_load(ra + o), v_load(rb + o), tier));
            else
                v_store(yi + o, v_sub(v_sub(e, v_load(m + o)), v_load(ra + o)));
        }
    }
    return 0;
}

/* the table entries (dispatch_table.h: vert_f32 / vert_f64) */
#define QK_DEFINE_ROWOP_VERT(op, tier)                                                         \
    static int QK_FN(QK_TFN(op##_##tier##_vert))(const char *x, char *y, qk_size n,            \
                                                 qk_size xs, qk_size ys, qk_size yos, int nv,  \
                                                 void *scratch, unsigned *bad)                 \
    {                                                                                          \
        return QK_TFN(qk_vert)(x, y, n, xs, ys, yos, nv, scratch, bad, QK_OP_##op,             \
                               QK_TIER_##tier);                                                \
    }
#define QK_ROWOP(op, tier, sig) QK_DEFINE_ROWOP_VERT(op, tier)
#include "quake/rowops.def"
#undef QK_ROWOP
#undef QK_DEFINE_ROWOP_VERT

#undef QK_VROW
#undef QK_VCHUNK
#undef QK_VPREF
#undef QK_VPREFETCH
#undef QK_VPREFETCH_SPAN
#undef QK_RL_T
#undef QK_VACC_T
#undef QK_VSUMS_T
