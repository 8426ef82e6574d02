/* gufunc loops of the row operations: strides, blocks, float16, FP status.
 *
 * Rows whose elements are contiguous and aligned (the usual last-axis
 * case) go to the target's rows kernel in one call for all outer rows, so
 * short rows pay no per-row dispatch.  Any other row (strided core axis,
 * e.g. axis=0 of a C-ordered matrix; misaligned; float16) is gathered into
 * a stack block of QK_ROWBLOCK elements, computed there in place and
 * scattered back.  Longer rows go through the target's segmented kernel
 * chunk by chunk (max, sums, output), which reproduces the contiguous
 * kernel's bits.  QK_FE_* bits become FP flags for np.errstate.
 */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <fenv.h>
#include <stdint.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/status.h"
#include "loop_util.h"
#include "rowloops.h"

/* elements per stack block: a multiple of both lane counts (16, 8) */
#define QK_ROWBLOCK 2048

#define QK_IS_SCALAR_OUT(sig) (sizeof(sig) == sizeof("(n)->()"))
const qk_rowop_data qk_rowop_data_table[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) {QK_R_##op##_##tier, QK_IS_SCALAR_OUT(sig)},
#include "quake/rowops.def"
#undef QK_ROWOP
};
const char *const qk_rowop_op_names[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) #op,
#include "quake/rowops.def"
#undef QK_ROWOP
};
const char *const qk_rowop_tier_names[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) #tier,
#include "quake/rowops.def"
#undef QK_ROWOP
};
const char *const qk_rowop_qualnames[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) #tier "." #op,
#include "quake/rowops.def"
#undef QK_ROWOP
};
const char *const qk_rowop_signatures[QK_N_ROWOP] = {
#define QK_ROWOP(op, tier, sig) sig,
#include "quake/rowops.def"
#undef QK_ROWOP
};

/* Element movers between the array (any stride, dtype T or half) and a
 * contiguous block of the computing type. */
typedef struct {
    const qk_target *t;
    int half;
} qk_mover;

static void load_f32(const qk_mover *mv, float *dst, const char *src, npy_intp stride, npy_intp n)
{
    if (!mv->half) {
        qk_gather(dst, src, stride, n, sizeof(float));
        return;
    }
    uint16_t h[QK_ROWBLOCK];
    qk_gather(h, src, stride, n, 2);
    mv->t->h2f(h, dst, n);
}

static int store_f32(const qk_mover *mv, char *dst, npy_intp stride, const float *src, npy_intp n)
{
    if (!mv->half) {
        qk_scatter(dst, stride, src, n, sizeof(float));
        return 0;
    }
    uint16_t h[QK_ROWBLOCK];
    int st = qk_half_status(src, n);
    mv->t->f2h(src, h, n);
    qk_scatter(dst, stride, h, n, 2);
    return st;
}

static void load_f64(const qk_mover *mv, double *dst, const char *src, npy_intp stride, npy_intp n)
{
    (void)mv;
    qk_gather(dst, src, stride, n, sizeof(double));
}

static int store_f64(const qk_mover *mv, char *dst, npy_intp stride, const double *src, npy_intp n)
{
    (void)mv;
    qk_scatter(dst, stride, src, n, sizeof(double));
    return 0;
}

/* One row of any layout: a stack block when it fits, else segments. */
#define QK_DEFINE_ROW_GENERAL(sfx, T)                                                          \
    static int row_general_##sfx(const qk_mover *mv, int id, int scalar_out, const char *x,    \
                                 npy_intp xs, char *y, npy_intp ys, npy_intp n)                \
    {                                                                                          \
        T buf[QK_ROWBLOCK], v;                                                                 \
        int st;                                                                                \
        if (n <= QK_ROWBLOCK) {                                                                \
            buf[0] = 0; /* n may be 0: keeps -Wmaybe-uninitialized quiet */                    \
            load_##sfx(mv, buf, x, xs, n);                                                     \
            if (scalar_out) {                                                                  \
                st = mv->t->rows_##sfx[id]((const char *)buf, (char *)&v, n, 1, 0, 0);         \
                return st | store_##sfx(mv, y, 0, &v, 1);                                      \
            }                                                                                  \
            st = mv->t->rows_##sfx[id]((const char *)buf, (char *)buf, n, 1, 0, 0);            \
            return st | store_##sfx(mv, y, ys, buf, n);                                        \
        }                                                                                      \
        const qk_seg_##sfx##_fn seg = mv->t->seg_##sfx[id];                                    \
        qk_rowstate_##sfx s;                                                                   \
        seg(&s, QK_PH_INIT, NULL, NULL, 0);                                                    \
        for (npy_intp i = 0; i < n; i += QK_ROWBLOCK) {                                        \
            const npy_intp m = n - i < QK_ROWBLOCK ? n - i : QK_ROWBLOCK;                      \
            load_##sfx(mv, buf, x + i * xs, xs, m);                                            \
            seg(&s, QK_PH_MAX, buf, NULL, m);                                                  \
        }                                                                                      \
        if (seg(&s, QK_PH_MID, NULL, NULL, 0) == QK_ROW_FINITE) {                              \
            for (npy_intp i = 0; i < n; i += QK_ROWBLOCK) {                                    \
                const npy_intp m = n - i < QK_ROWBLOCK ? n - i : QK_ROWBLOCK;                  \
                load_##sfx(mv, buf, x + i * xs, xs, m);                                        \
                seg(&s, QK_PH_SUM, buf, NULL, m);                                              \
            }                                                                                  \
            seg(&s, QK_PH_FIN, NULL, NULL, 0);                                                 \
        }                                                                                      \
        if (scalar_out) {                                                                      \
            st = seg(&s, QK_PH_OUT, NULL, &v, 0);                                              \
            return st | store_##sfx(mv, y, 0, &v, 1);                                          \
        }                                                                                      \
        st = 0;                                                                                \
        for (npy_intp i = 0; i < n; i += QK_ROWBLOCK) {                                        \
            const npy_intp m = n - i < QK_ROWBLOCK ? n - i : QK_ROWBLOCK;                      \
            load_##sfx(mv, buf, x + i * xs, xs, m);                                            \
            st |= seg(&s, QK_PH_OUT, buf, buf, m);                                             \
            st |= store_##sfx(mv, y + i * ys, ys, buf, m);                                     \
        }                                                                                      \
        return st;                                                                             \
    }

QK_DEFINE_ROW_GENERAL(f32, float)
QK_DEFINE_ROW_GENERAL(f64, double)

/* N rows of n elements: row r at x + r*xos (elements xs apart), its result
 * at y + r*yos (ys apart; unused for logsumexp).  Return QK_FE_* bits.
 * The loops' bodies, also run by the C API (capi.c). */
#define QK_DEFINE_ROW_RUN(name, sfx, T, is_half)                                               \
    int qk_row_run_##name(int id, const char *x, npy_intp xos, npy_intp xs, char *y,           \
                          npy_intp yos, npy_intp ys, npy_intp N, npy_intp n)                   \
    {                                                                                          \
        const int scalar_out = qk_rowop_data_table[id].scalar_out;                             \
        const qk_mover mv = {qk_active_target(), is_half};                                     \
        const npy_intp sz = (npy_intp)sizeof(T);                                               \
        const uintptr_t align = (uintptr_t)x | (uintptr_t)y | (uintptr_t)xos | (uintptr_t)yos; \
        int st = 0;                                                                            \
        if (!is_half && xs == sz && (scalar_out || ys == sz) && align % sizeof(T) == 0)        \
            return mv.t->rows_##sfx[id](x, y, n, N, xos, yos);                                 \
        for (npy_intp r = 0; r < N; r++)                                                       \
            st |= row_general_##sfx(&mv, id, scalar_out, x + r * xos, xs, y + r * yos, ys, n); \
        return st;                                                                             \
    }

QK_DEFINE_ROW_RUN(f16, f32, uint16_t, 1)
QK_DEFINE_ROW_RUN(f32, f32, float, 0)
QK_DEFINE_ROW_RUN(f64, f64, double, 0)

/* dims = {outer, n}; steps = {x outer, y outer, x core[, y core]} */
#define QK_DEFINE_ROW_LOOP(name)                                                               \
    void qk_loop_row_##name(char **args, npy_intp const *dims, npy_intp const *steps,          \
                            void *data)                                                        \
    {                                                                                          \
        const qk_rowop_data *d = data;                                                         \
        const npy_intp ys = d->scalar_out ? 0 : steps[3];                                      \
        qk_raise_status(qk_row_run_##name(d->id, args[0], steps[0], steps[2], args[1],         \
                                          steps[1], ys, dims[0], dims[1]));                    \
    }

QK_DEFINE_ROW_LOOP(f16)
QK_DEFINE_ROW_LOOP(f32)
QK_DEFINE_ROW_LOOP(f64)
