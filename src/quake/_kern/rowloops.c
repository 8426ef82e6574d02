/* gufunc loops of the row operations: strides, blocks, float16, FP status.
 *
 * Rows whose elements are contiguous and aligned (the usual last-axis
 * case) go to the target's rows kernel in one call for all outer rows, so
 * short rows pay no per-row dispatch.  Rows side by side whose elements
 * are contiguous across rows (axis=0 of a C-ordered matrix, axis=1 of NCHW)
 * go to the target's vertical kernel, one row per vector lane (the same
 * bits: kernels/softmax_vertical.h); other rows side by side (float16, a
 * gap between them) through panels: blocks of rows transposed into scratch,
 * the same rows kernel, transposed back (bit-identical to contiguous rows by
 * construction).  Any other row (misaligned; float16) is gathered into
 * a scratch block (below), computed there in place and scattered back.
 * Longer rows go through the target's segmented kernel chunk by chunk (max,
 * sums, output), which reproduces the contiguous kernel's bits for any chunk
 * length that is a multiple of the lane count.  Calls above the rows' grain
 * are split over the worker pool (pool.h), whole rows per thread.  QK_FE_*
 * bits become FP flags for np.errstate, except underflow: row ops never
 * report it (docs/robustness.md), so no status bit carries it and the loop
 * drops a flag their arithmetic set on the way (qk_status_end).
 */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <fenv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/status.h"
#include "loop_util.h"
#include "pool.h"
#include "rowloops.h"

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h> /* x86-64 baseline: the panels' 4x4 float32 transposes */
#define QK_PANEL_SSE2 1
#else
#define QK_PANEL_SSE2 0
#endif

/* Scratch blocks, in elements (multiples of both lane counts, 16 and 8).
 * A loop call whose rows need more than QK_STACKBLOCK elements of scratch
 * allocates one heap block of up to QK_ROWBLOCK for all its rows: rows of
 * up to QK_ROWBLOCK elements are then gathered whole (one pass over the
 * strided array), longer ones chunk by chunk.  Everything else, and every
 * row if malloc fails (smaller chunks, same bits), uses a stack block of
 * QK_STACKBLOCK: no loop frame exceeds a few KiB, so the loops run in
 * threads with small stacks (threading.stack_size(64 KiB), issue 17;
 * a 2048-element stack block of float64 alone was 16 KiB). */
#define QK_ROWBLOCK 2048
#define QK_STACKBLOCK 512
#define QK_HCHUNK 256  /* halves converted per step when gathering/scattering float16 */
#define QK_GROUPMAX 128 /* rows per float16 group (their logsumexp results' buffer) */

typedef struct {
    void *p;       /* the block: the caller's stack block or `heap` */
    npy_intp cap;  /* its length in elements */
    void *heap;    /* to free, or NULL */
} qk_scratch;

/* want: elements this call could use; size: bytes per element */
static void scratch_init(qk_scratch *s, void *stack, npy_intp want, size_t size)
{
    s->p = stack;
    s->cap = QK_STACKBLOCK;
    s->heap = NULL;
    if (want > QK_STACKBLOCK) {
        const npy_intp cap = want < QK_ROWBLOCK ? want : QK_ROWBLOCK;
        const npy_intp round = cap + (-cap & 15); /* keep the chunk a multiple of 16 */
        if ((s->heap = malloc((size_t)round * size)) != NULL) {
            s->p = s->heap;
            s->cap = round;
        }
    }
}

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
    int half; /* 0: float32/float64; QK_MV_F16 or QK_MV_BF16: 16-bit storage */
} qk_mover;
enum { QK_MV_F16 = 1, QK_MV_BF16 = 2 };

/* 16-bit storage <-> float32 block conversions, and the overflow status of
 * float32 results about to be narrowed (bfloat16: finite |y| >= 0x7f7f8000
 * in bits rounds to inf; row ops report no underflow). */
static void mv_widen(const qk_mover *mv, const uint16_t *h, float *f, npy_intp n)
{
    (mv->half == QK_MV_BF16 ? mv->t->b2f : mv->t->h2f)(h, f, n);
}

static int mv_narrow(const qk_mover *mv, const float *f, uint16_t *h, npy_intp n)
{
    return (mv->half == QK_MV_BF16 ? mv->t->f2b : mv->t->f2h)(f, h, n);
}

/* The 16-bit movers' chunk buffers stay in their own frames (not inlined):
 * their callers keep large frames live across the rows kernel call, and a
 * 32 KiB thread stack leaves a ufunc loop only a few KiB (test_small_stack). */
#if defined(__GNUC__) || defined(__clang__)
#define QK_NOINLINE __attribute__((noinline))
#elif defined(_MSC_VER)
#define QK_NOINLINE __declspec(noinline)
#else
#define QK_NOINLINE
#endif

static QK_NOINLINE void load_f32(const qk_mover *mv, float *dst, const char *src, npy_intp stride,
                                 npy_intp n)
{
    if (!mv->half) {
        qk_gather(dst, src, stride, n, sizeof(float));
        return;
    }
    if (stride == 2 && (uintptr_t)src % 2 == 0) { /* contiguous halves: convert in place */
        mv_widen(mv, (const uint16_t *)src, dst, n);
        return;
    }
    uint16_t h[QK_HCHUNK];
    for (npy_intp i = 0; i < n; i += QK_HCHUNK) {
        const npy_intp m = n - i < QK_HCHUNK ? n - i : QK_HCHUNK;
        qk_gather(h, src + i * stride, stride, m, 2);
        mv_widen(mv, h, dst + i, m);
    }
}

static QK_NOINLINE int store_f32(const qk_mover *mv, char *dst, npy_intp stride, const float *src,
                                npy_intp n)
{
    if (!mv->half) {
        qk_scatter(dst, stride, src, n, sizeof(float));
        return 0;
    }
    if (stride == 2 && (uintptr_t)dst % 2 == 0)
        return mv_narrow(mv, src, (uint16_t *)dst, n);
    int st = 0;
    uint16_t h[QK_HCHUNK];
    for (npy_intp i = 0; i < n; i += QK_HCHUNK) {
        const npy_intp m = n - i < QK_HCHUNK ? n - i : QK_HCHUNK;
        st |= mv_narrow(mv, src + i, h, m);
        qk_scatter(dst + i * stride, stride, h, m, 2);
    }
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

/* One row of any layout, in the scratch block buf[0..cap) (a multiple of
 * 16): whole when it fits, else in segments of cap elements. */
#define QK_DEFINE_ROW_GENERAL(sfx, T)                                                          \
    static int row_general_##sfx(const qk_mover *mv, int id, int scalar_out, const char *x,    \
                                 npy_intp xs, char *y, npy_intp ys, npy_intp n, T *buf,        \
                                 npy_intp cap)                                                 \
    {                                                                                          \
        T v;                                                                                   \
        int st;                                                                                \
        if (n <= cap) {                                                                        \
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
        for (npy_intp i = 0; i < n; i += cap) {                                                \
            const npy_intp m = n - i < cap ? n - i : cap;                                      \
            load_##sfx(mv, buf, x + i * xs, xs, m);                                            \
            seg(&s, QK_PH_MAX, buf, NULL, m);                                                  \
        }                                                                                      \
        if (seg(&s, QK_PH_MID, NULL, NULL, 0) == QK_ROW_FINITE) {                              \
            for (npy_intp i = 0; i < n; i += cap) {                                            \
                const npy_intp m = n - i < cap ? n - i : cap;                                  \
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
        for (npy_intp i = 0; i < n; i += cap) {                                                \
            const npy_intp m = n - i < cap ? n - i : cap;                                      \
            load_##sfx(mv, buf, x + i * xs, xs, m);                                            \
            st |= seg(&s, QK_PH_OUT, buf, buf, m);                                             \
            st |= store_##sfx(mv, y + i * ys, ys, buf, m);                                     \
        }                                                                                      \
        return st;                                                                             \
    }

QK_DEFINE_ROW_GENERAL(f32, float)
QK_DEFINE_ROW_GENERAL(f64, double)

/* float16 rows short enough that several fit the scratch block buf[0..cap):
 * widen a group of rows, run the float32 rows kernel over the whole group in
 * one call, and narrow back, instead of paying the per-call costs row by row.
 * Same bits: the rows kernel reduces every row on its own. */
static int rows_half_grouped(const qk_mover *mv, int id, int scalar_out, const char *x,
                             npy_intp xos, npy_intp xs, char *y, npy_intp yos, npy_intp ys,
                             npy_intp N, npy_intp n, float *buf, npy_intp cap)
{
    float res[QK_GROUPMAX];
    uint16_t h[QK_GROUPMAX];
    const npy_intp gmax = cap / n < QK_GROUPMAX ? cap / n : QK_GROUPMAX; /* n >= 1 */
    /* rows back to back (a C-contiguous block): one conversion per group */
    const int x_packed = xs == 2 && xos == 2 * n, y_packed = ys == 2 && yos == 2 * n;
    int st = 0;
    for (npy_intp r0 = 0; r0 < N; r0 += gmax) {
        const npy_intp g = N - r0 < gmax ? N - r0 : gmax;
        if (x_packed)
            load_f32(mv, buf, x + r0 * xos, 2, g * n);
        else
            for (npy_intp j = 0; j < g; j++)
                load_f32(mv, buf + j * n, x + (r0 + j) * xos, xs, n);
        if (scalar_out) { /* one result per row */
            st |= mv->t->rows_f32[id]((const char *)buf, (char *)res, n, g,
                                      n * (npy_intp)sizeof(float), sizeof(float));
            st |= mv_narrow(mv, res, h, g);
            qk_scatter(y + r0 * yos, yos, h, g, 2);
        } else {
            st |= mv->t->rows_f32[id]((const char *)buf, (char *)buf, n, g,
                                      n * (npy_intp)sizeof(float), n * (npy_intp)sizeof(float));
            if (y_packed)
                st |= store_f32(mv, y + r0 * yos, 2, buf, g * n);
            else
                for (npy_intp j = 0; j < g; j++)
                    st |= store_f32(mv, y + (r0 + j) * yos, ys, buf + j * n, n);
        }
    }
    return st;
}

/* ---- Panels: rows side by side (the vertical case) ----
 *
 * When the rows lie closer to each other than their own elements do (the
 * core axis strided, the outer axis contiguous: axis=0 of a C-ordered
 * matrix, axis=1 of (N, C, H, W)), gathering row by row reads one element
 * per cache line.  Instead, a panel of V rows is transposed into a
 * contiguous scratch block (V rows of n elements, row-major; each step reads
 * V neighbouring elements of the array, a whole cache line for V >= 16
 * float32), the target's rows kernel runs once over the V rows, and the
 * results are transposed back.  The kernel, the rows and their lane order
 * are exactly those of the contiguous case, so the bits are the same by
 * construction (no emulation of the kernels' reduction order is needed).
 * The pool splits a call over whole rows, i.e. over panels' columns. */
#define QK_PANEL_BYTES (512 * 1024) /* scratch of one panel (L2-resident) */
#define QK_PANEL_MAXV 64             /* rows per panel, at most */
#define QK_PANEL_MINV 4             /* below this the row-by-row path is kept */

/* the scratch's row stride (elements): n, padded off multiples of 256
 * elements so that the V rows' streams of a transpose do not all map to
 * the same cache sets */
static npy_intp panel_ld(npy_intp n)
{
    if (n < 64)
        return n;
    const npy_intp r = n + (-n & 15);
    return r % 256 == 0 ? r + 16 : r;
}

/* rows per panel for rows of n elements of the computing type's size */
static npy_intp panel_width(npy_intp n, size_t size, npy_intp N)
{
    if (n < 1 || N < 2)
        return 0;
    npy_intp v = (npy_intp)(QK_PANEL_BYTES / size) / panel_ld(n);
    if (v > QK_PANEL_MAXV)
        v = QK_PANEL_MAXV;
    if (v > N)
        v = N;
    return v >= 2 && (v >= QK_PANEL_MINV || v == N) ? v : 0;
}

static int panel_wanted(npy_intp xos, npy_intp xs, npy_intp yos, npy_intp ys, int scalar_out)
{
    const npy_intp axos = xos < 0 ? -xos : xos, axs = xs < 0 ? -xs : xs;
    const npy_intp ayos = yos < 0 ? -yos : yos, ays = ys < 0 ? -ys : ys;
    return axos < axs || (!scalar_out && ayos < ays);
}

/* dst[c * ld + i] = element i of row c (row c at src + c*os, elements s apart) */
#define QK_DEFINE_PANEL_MOVE(name, T)                                                          \
    static void panel_load_##name(T *dst, const char *src, npy_intp os, npy_intp s,            \
                                  npy_intp V, npy_intp n, npy_intp ld)                         \
    {                                                                                          \
        for (npy_intp i = 0; i < n; i++) {                                                     \
            const char *p = src + i * s;                                                       \
            for (npy_intp c = 0; c < V; c++)                                                   \
                memcpy(&dst[c * ld + i], p + c * os, sizeof(T));                                \
        }                                                                                      \
    }                                                                                          \
    static void panel_store_##name(char *dst, npy_intp os, npy_intp s, const T *src,           \
                                   npy_intp V, npy_intp n, npy_intp ld)                        \
    {                                                                                          \
        for (npy_intp i = 0; i < n; i++) {                                                     \
            char *p = dst + i * s;                                                             \
            for (npy_intp c = 0; c < V; c++)                                                   \
                memcpy(p + c * os, &src[c * ld + i], sizeof(T));                                \
        }                                                                                      \
    }

QK_DEFINE_PANEL_MOVE(u16, uint16_t)
QK_DEFINE_PANEL_MOVE(f32, float)
QK_DEFINE_PANEL_MOVE(f64, double)

#if QK_PANEL_SSE2
/* float32 rows at unit outer stride (4 bytes): 4x4 tiles in registers */
static void panel_load_f32_unit(float *dst, const char *src, npy_intp s, npy_intp V, npy_intp n,
                                npy_intp ld)
{
    npy_intp i = 0;
    const npy_intp V4 = V & ~(npy_intp)3;
    for (; i + 4 <= n; i += 4) {
        const char *p = src + i * s;
        for (npy_intp c = 0; c < V4; c += 4) {
            __m128 r0 = _mm_loadu_ps((const float *)(p) + c);
            __m128 r1 = _mm_loadu_ps((const float *)(p + s) + c);
            __m128 r2 = _mm_loadu_ps((const float *)(p + 2 * s) + c);
            __m128 r3 = _mm_loadu_ps((const float *)(p + 3 * s) + c);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps(dst + c * ld + i, r0);
            _mm_storeu_ps(dst + (c + 1) * ld + i, r1);
            _mm_storeu_ps(dst + (c + 2) * ld + i, r2);
            _mm_storeu_ps(dst + (c + 3) * ld + i, r3);
        }
        for (npy_intp c = V4; c < V; c++)
            for (npy_intp k = 0; k < 4; k++)
                memcpy(&dst[c * ld + i + k], p + k * s + c * 4, 4);
    }
    for (; i < n; i++)
        for (npy_intp c = 0; c < V; c++)
            memcpy(&dst[c * ld + i], src + i * s + c * 4, 4);
}
#endif

static void panel_store_f32_unit(char *dst, npy_intp s, const float *src, npy_intp V, npy_intp n,
                                 npy_intp ld)
{
#if QK_PANEL_SSE2
    npy_intp i = 0;
    const npy_intp V4 = V & ~(npy_intp)3;
    for (; i + 4 <= n; i += 4) {
        char *p = dst + i * s;
        for (npy_intp c = 0; c < V4; c += 4) {
            __m128 r0 = _mm_loadu_ps(src + c * ld + i);
            __m128 r1 = _mm_loadu_ps(src + (c + 1) * ld + i);
            __m128 r2 = _mm_loadu_ps(src + (c + 2) * ld + i);
            __m128 r3 = _mm_loadu_ps(src + (c + 3) * ld + i);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            _mm_storeu_ps((float *)(p) + c, r0);
            _mm_storeu_ps((float *)(p + s) + c, r1);
            _mm_storeu_ps((float *)(p + 2 * s) + c, r2);
            _mm_storeu_ps((float *)(p + 3 * s) + c, r3);
        }
        for (npy_intp c = V4; c < V; c++)
            for (npy_intp k = 0; k < 4; k++)
                memcpy(p + k * s + c * 4, &src[c * ld + i + k], 4);
    }
    for (; i < n; i++)
        for (npy_intp c = 0; c < V; c++)
            memcpy(dst + i * s + c * 4, &src[c * ld + i], 4);
#else
    panel_store_f32(dst, 4, s, src, V, n, ld);
#endif
}

static void panel_load_f32_any(float *dst, const char *src, npy_intp os, npy_intp s, npy_intp V,
                               npy_intp n, npy_intp ld)
{
#if QK_PANEL_SSE2
    if (os == 4 && ((uintptr_t)src | (uintptr_t)s) % 4 == 0) { /* aligned floats */
        panel_load_f32_unit(dst, src, s, V, n, ld);
        return;
    }
#endif
    panel_load_f32(dst, src, os, s, V, n, ld);
}

static void panel_store_f32_any(char *dst, npy_intp os, npy_intp s, const float *src, npy_intp V,
                                npy_intp n, npy_intp ld)
{
    if (os == 4 && ((uintptr_t)dst | (uintptr_t)s) % 4 == 0)
        panel_store_f32_unit(dst, s, src, V, n, ld);
    else
        panel_store_f32(dst, os, s, src, V, n, ld);
}

/* N rows in panels of V; returns QK_FE_* bits, or -1 when no scratch could
 * be had (the caller then takes the row-by-row path: same bits). */
static int row_panels_f32(const qk_mover *mv, int id, int scalar_out, const char *x,
                          npy_intp xos, npy_intp xs, char *y, npy_intp yos, npy_intp ys,
                          npy_intp N, npy_intp n, npy_intp V)
{
    const qk_target *t = mv->t;
    const int half = mv->half; /* 16-bit storage (float16 or bfloat16): widened here */
    const npy_intp ld = panel_ld(n);
    const size_t cnt = (size_t)V * (size_t)ld;
    float *buf = malloc(cnt * (sizeof(float) + (half ? sizeof(uint16_t) : 0)));
    if (buf == NULL)
        return -1;
    uint16_t *hb = half ? (uint16_t *)(buf + cnt) : NULL;
    float res[QK_PANEL_MAXV];
    uint16_t hres[QK_PANEL_MAXV];
    const npy_intp rs = ld * (npy_intp)sizeof(float);
    int st = 0;
    for (npy_intp r0 = 0; r0 < N; r0 += V) {
        const npy_intp v = N - r0 < V ? N - r0 : V;
        const char *xp = x + r0 * xos;
        char *yp = y + r0 * yos;
        if (half) {
            panel_load_u16(hb, xp, xos, xs, v, n, ld);
            for (npy_intp c = 0; c < v; c++) /* row by row: the padding is never read */
                mv_widen(mv, hb + c * ld, buf + c * ld, n);
        } else {
            panel_load_f32_any(buf, xp, xos, xs, v, n, ld);
        }
        if (scalar_out) {
            st |= t->rows_f32[id]((const char *)buf, (char *)res, n, v, rs, sizeof(float));
            if (half) {
                st |= mv_narrow(mv, res, hres, v);
                qk_scatter(yp, yos, hres, v, 2);
            } else {
                qk_scatter(yp, yos, res, v, sizeof(float));
            }
            continue;
        }
        st |= t->rows_f32[id]((const char *)buf, (char *)buf, n, v, rs, rs);
        if (half) {
            for (npy_intp c = 0; c < v; c++) {
                st |= mv_narrow(mv, buf + c * ld, hb + c * ld, n);
            }
            panel_store_u16(yp, yos, ys, hb, v, n, ld);
        } else {
            panel_store_f32_any(yp, yos, ys, buf, v, n, ld);
        }
    }
    free(buf);
    return st;
}

static int row_panels_f64(const qk_mover *mv, int id, int scalar_out, const char *x,
                          npy_intp xos, npy_intp xs, char *y, npy_intp yos, npy_intp ys,
                          npy_intp N, npy_intp n, npy_intp V)
{
    const qk_target *t = mv->t;
    const npy_intp ld = panel_ld(n);
    const size_t cnt = (size_t)V * (size_t)ld;
    double *buf = malloc(cnt * sizeof(double));
    if (buf == NULL)
        return -1;
    double res[QK_PANEL_MAXV];
    const npy_intp rs = ld * (npy_intp)sizeof(double);
    int st = 0;
    for (npy_intp r0 = 0; r0 < N; r0 += V) {
        const npy_intp v = N - r0 < V ? N - r0 : V;
        panel_load_f64(buf, x + r0 * xos, xos, xs, v, n, ld);
        if (scalar_out) {
            st |= t->rows_f64[id]((const char *)buf, (char *)res, n, v, rs, sizeof(double));
            qk_scatter(y + r0 * yos, yos, res, v, sizeof(double));
            continue;
        }
        st |= t->rows_f64[id]((const char *)buf, (char *)buf, n, v, rs, rs);
        panel_store_f64(y + r0 * yos, yos, ys, buf, v, n, ld);
    }
    free(buf);
    return st;
}

typedef float f32_t; /* the computing type of each loop, by suffix */
typedef double f64_t;

/* ---- Vertical form: rows side by side ----
 *
 * When the rows' elements are contiguous across rows (outer stride = the
 * element size: axis=0 of a C-ordered matrix, axis=1 of NCHW), the target's
 * vertical kernel (kernels/softmax_vertical.h) reduces W rows per vector,
 * nv vectors per call, in the row kernels' lane order (the same bits).
 * Each call copies its block (n x nv W elements) into scratch, where its
 * passes stay in cache; the block's width is chosen to keep it about
 * QK_VERT_BYTES, but its stretch of each array row no shorter than
 * QK_VERT_MIN_STRETCH: the copy-in and the output pass visit every row of
 * the array once per block, each visit a separate memory access, and
 * short stretches waste them.  (AMD Zen 4, 1 MiB L2, single thread,
 * axis=0 of C-ordered float32: (4096, 4096) logsumexp 13.1 -> 11.0 ms
 * with 512-byte stretches instead of 256; softmax 20-22 ms either way;
 * (8192, 8192) softmax 107 -> 88-90 ms with 256 or 512 instead of 128;
 * float64 and cache-resident shapes unchanged.)  The vectors a call
 * declines (special rows, mixed q1 folds) and the last N mod W rows take
 * the row path (row_other_*).  Returns -1 (nothing done) when no scratch
 * could be had. */
#define QK_VERT_BYTES (1024 * 1024)
#define QK_VERT_MIN_STRETCH 512

static npy_intp vert_nv(npy_intp n, npy_intp vbytes, npy_intp nvec)
{
    npy_intp nv = QK_VERT_BYTES / (n * vbytes);
    /* the longer stretch while the block stays within 4 QK_VERT_BYTES */
    npy_intp nv_min = QK_VERT_MIN_STRETCH / vbytes, nv_cap = 4 * QK_VERT_BYTES / (n * vbytes);
    if (nv_min > nv_cap)
        nv_min = nv_cap;
    if (nv < nv_min)
        nv = nv_min;
    if (nv > QK_VMAXB)
        nv = QK_VMAXB;
    if (nv > nvec)
        nv = nvec;
    return nv < 1 ? 1 : nv;
}

#define QK_DEFINE_ROW_VERT(name, sfx, T)                                                       \
    static int row_other_##name(const qk_target *t, int id, const char *x, npy_intp xos,       \
                                npy_intp xs, char *y, npy_intp yos, npy_intp ys, npy_intp N,   \
                                npy_intp n);                                                   \
    static int row_vert_##name(const qk_target *t, int id, const char *x, npy_intp xs, char *y, \
                               npy_intp yos, npy_intp ys, npy_intp N, npy_intp n, npy_intp W)  \
    {                                                                                          \
        const npy_intp sz = (npy_intp)sizeof(T), nvec = N / W;                                 \
        const npy_intp nv = vert_nv(n, W * sz, nvec);                                          \
        if (n > NPY_MAX_INTP / 2 / (nv * W * sz))                                              \
            return -1;                                                                         \
        char *heap = malloc((size_t)((n + 3) * nv * W * sz) + 64);                             \
        if (heap == NULL)                                                                      \
            return -1;                                                                         \
        void *sb = heap + (-(uintptr_t)heap & 63);                                             \
        const qk_vert_fn k = t->vert_##sfx[id];                                                \
        int st = 0;                                                                            \
        npy_intp v0 = 0;                                                                       \
        for (; v0 < nvec; v0 += nv) {                                                          \
            const int m = (int)(nvec - v0 < nv ? nvec - v0 : nv);                              \
            const npy_intp r = v0 * W;                                                         \
            unsigned bad = 0;                                                                  \
            st |= k(x + r * sz, y + r * yos, n, xs, ys, yos, m, sb, &bad);                     \
            for (int v = 0; v < m; v++)                                                        \
                if (bad >> v & 1u)                                                             \
                    st |= row_other_##name(t, id, x + (r + v * W) * sz, sz, xs,                \
                                           y + (r + v * W) * yos, yos, ys, W, n);              \
        }                                                                                      \
        free(heap);                                                                            \
        if (nvec * W < N)                                                                      \
            st |= row_other_##name(t, id, x + nvec * W * sz, sz, xs, y + nvec * W * yos, yos,  \
                                   ys, N - nvec * W, n);                                       \
        return st;                                                                             \
    }

QK_DEFINE_ROW_VERT(f32, f32, float)
QK_DEFINE_ROW_VERT(f64, f64, double)

/* N rows of n elements on target t: row r at x + r*xos (elements xs apart),
 * its result at y + r*yos (ys apart; unused for logsumexp).  Return QK_FE_*
 * bits. */
#define QK_DEFINE_ROW_RUN(name, sfx, T, is_half)                                               \
    static int row_other_##name(const qk_target *t, int id, const char *x, npy_intp xos,       \
                                npy_intp xs, char *y, npy_intp yos, npy_intp ys, npy_intp N,   \
                                npy_intp n);                                                   \
    static int row_run_##name(const qk_target *t, int id, const char *x, npy_intp xos,         \
                              npy_intp xs, char *y, npy_intp yos, npy_intp ys, npy_intp N,     \
                              npy_intp n)                                                      \
    {                                                                                          \
        const int scalar_out = qk_rowop_data_table[id].scalar_out;                             \
        const npy_intp sz = (npy_intp)sizeof(T);                                               \
        const uintptr_t align = (uintptr_t)x | (uintptr_t)y | (uintptr_t)xos | (uintptr_t)yos; \
        if (n == 1) /* one element: its core stride is meaningless (NumPy passes any) */       \
            xs = ys = sz;                                                                      \
        if (!is_half && xs == sz && (scalar_out || ys == sz) && align % sizeof(T) == 0)        \
            return t->rows_##sfx[id](x, y, n, N, xos, yos);                                    \
        /* rows side by side, each element's vector of rows contiguous: the                    \
         * vertical kernel, blocks of nv vectors of W rows (row_vert_blocks) */                \
        const npy_intp W = sizeof(T) == 4 ? t->vert_wf : t->vert_wd;                           \
        if (!is_half && xos == sz && (scalar_out || yos == sz) && n >= 1 && N >= W &&          \
            ((uintptr_t)xs | (uintptr_t)ys | align) % sizeof(T) == 0) {                        \
            const int st = row_vert_##sfx(t, id, x, xs, y, yos, ys, N, n, W);                  \
            if (st >= 0)                                                                       \
                return st;                                                                     \
        }                                                                                      \
        return row_other_##name(t, id, x, xos, xs, y, yos, ys, N, n);                          \
    }                                                                                          \
    static int row_other_##name(const qk_target *t, int id, const char *x, npy_intp xos,       \
                                npy_intp xs, char *y, npy_intp yos, npy_intp ys, npy_intp N,   \
                                npy_intp n)                                                    \
    {                                                                                          \
        const int scalar_out = qk_rowop_data_table[id].scalar_out;                             \
        const qk_mover mv = {t, is_half};                                                      \
        int st = 0;                                                                            \
        if (N <= 0)                                                                            \
            return 0;                                                                          \
        if (panel_wanted(xos, xs, yos, ys, scalar_out)) {                                      \
            const npy_intp V = panel_width(n, sizeof(sfx##_t), N);                             \
            if (V > 0) {                                                                       \
                st = row_panels_##sfx(&mv, id, scalar_out, x, xos, xs, y, yos, ys, N, n, V);   \
                if (st >= 0)                                                                   \
                    return st;                                                                 \
                st = 0;                                                                        \
            }                                                                                  \
        }                                                                                      \
        sfx##_t stack[QK_STACKBLOCK];                                                          \
        qk_scratch s;                                                                          \
        /* float16 rows grouped when two or more fit the largest block */                      \
        const int grouped = (is_half) != 0 && n >= 1 && 2 * n <= QK_ROWBLOCK;                  \
        const npy_intp want = !grouped ? n : N <= QK_ROWBLOCK / n ? N * n : QK_ROWBLOCK;       \
        scratch_init(&s, stack, want, sizeof(sfx##_t));                                        \
        if (grouped && 2 * n <= s.cap)                                                         \
            st = rows_half_grouped(&mv, id, scalar_out, x, xos, xs, y, yos, ys, N, n,          \
                                   (float *)s.p, s.cap);                                       \
        else                                                                                   \
            for (npy_intp r = 0; r < N; r++)                                                   \
                st |= row_general_##sfx(&mv, id, scalar_out, x + r * xos, xs, y + r * yos, ys, \
                                        n, (sfx##_t *)s.p, s.cap);                             \
        free(s.heap);                                                                          \
        return st;                                                                             \
    }

QK_DEFINE_ROW_RUN(f16, f32, uint16_t, QK_MV_F16)
QK_DEFINE_ROW_RUN(bf16, f32, uint16_t, QK_MV_BF16)
QK_DEFINE_ROW_RUN(f32, f32, float, 0)
QK_DEFINE_ROW_RUN(f64, f64, double, 0)

/* One call's arguments, for the pool's parts. */
typedef struct {
    const qk_target *t;
    int id;
    const char *x;
    npy_intp xos, xs;
    char *y;
    npy_intp yos, ys, n;
} row_job;

/* The loops' bodies, also run by the C API (capi.c): the active target read
 * once for the call; above the grain, whole rows per pool thread (rows are
 * independent whatever the axis: the strides say where each one is). */
#define QK_DEFINE_ROW_PAR(name)                                                                \
    static int row_part_##name(const void *ctx, npy_intp b, npy_intp e)                        \
    {                                                                                          \
        const row_job *j = ctx;                                                                \
        return e > b ? row_run_##name(j->t, j->id, j->x + b * j->xos, j->xos, j->xs,             \
                                      j->y + b * j->yos, j->yos, j->ys, e - b, j->n)           \
                     : 0;                                                                      \
    }                                                                                          \
    int qk_row_run_##name(int id, const char *x, npy_intp xos, npy_intp xs, char *y,           \
                          npy_intp yos, npy_intp ys, npy_intp N, npy_intp n)                   \
    {                                                                                          \
        const qk_target *t = qk_active_target();                                               \
        const npy_intp size = n > 0 && N > NPY_MAX_INTP / n ? NPY_MAX_INTP : N * n;            \
        int parts = N > 1 && n > 0 ? qk_pool_parts(size, qk_pool_grain[QK_FAM_ROWS]) : 1;     \
        if (parts > N)                                                                         \
            parts = (int)N;                                                                    \
        if (parts <= 1)                                                                        \
            return row_run_##name(t, id, x, xos, xs, y, yos, ys, N, n);                        \
        const row_job j = {t, id, x, xos, xs, y, yos, ys, n};                                  \
        return qk_pool_run(parts, row_part_##name, &j, N, 1, 0);                               \
    }

QK_DEFINE_ROW_PAR(f16)
QK_DEFINE_ROW_PAR(bf16)
QK_DEFINE_ROW_PAR(f32)
QK_DEFINE_ROW_PAR(f64)

/* dims = {outer, n}; steps = {x outer, y outer, x core[, y core]} */
#define QK_DEFINE_ROW_LOOP(name)                                                               \
    void qk_loop_row_##name(char **args, npy_intp const *dims, npy_intp const *steps,          \
                            void *data)                                                        \
    {                                                                                          \
        const qk_rowop_data *d = data;                                                         \
        const npy_intp ys = d->scalar_out ? 0 : steps[3];                                      \
        const int fe = qk_status_begin();                                                      \
        const int st = qk_row_run_##name(d->id, args[0], steps[0], steps[2], args[1], steps[1], \
                                         ys, dims[0], dims[1]);                                \
        qk_status_end(fe, st);                                                                 \
    }

QK_DEFINE_ROW_LOOP(f16)
QK_DEFINE_ROW_LOOP(bf16)
QK_DEFINE_ROW_LOOP(f32)
QK_DEFINE_ROW_LOOP(f64)
