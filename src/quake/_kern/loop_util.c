#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <fenv.h>
#include <stdint.h>
#include <string.h>

#include "quake/status.h"
#include "quake/target.h"
#include "loop_util.h"

void qk_raise_status(int st)
{
    if (QK_UNLIKELY(st)) {
        int ex = 0;
        if (st & QK_FE_OVERFLOW)
            ex |= FE_OVERFLOW;
        if (st & QK_FE_UNDERFLOW)
            ex |= FE_UNDERFLOW;
        if (st & QK_FE_INVALID)
            ex |= FE_INVALID;
        if (st & QK_FE_DIVBYZERO)
            ex |= FE_DIVBYZERO;
        feraiseexcept(ex);
    }
}

int qk_status_begin(void) { return fetestexcept(FE_UNDERFLOW); }

void qk_status_end(int before, int st)
{
    if (!before && fetestexcept(FE_UNDERFLOW))
        feclearexcept(FE_UNDERFLOW);
    qk_raise_status(st);
}

/* Element copies with the size known at compile time (a fixed-size memcpy
 * becomes one load/store), and one memcpy when the source is contiguous. */
#define QK_COPY_LOOP(dst_expr, src_expr, size)                                                   \
    for (npy_intp i = 0; i < n; i++)                                                           \
        memcpy(dst_expr, src_expr, size)

void qk_gather(void *dst, const char *src, npy_intp stride, npy_intp n, size_t size)
{
    char *d = dst;
    if (n <= 0)
        return;
    if (stride == (npy_intp)size) {
        memcpy(d, src, (size_t)n * size);
        return;
    }
    switch (size) {
    case 2: QK_COPY_LOOP(d + 2 * i, src + i * stride, 2); break;
    case 4: QK_COPY_LOOP(d + 4 * i, src + i * stride, 4); break;
    case 8: QK_COPY_LOOP(d + 8 * i, src + i * stride, 8); break;
    default: QK_COPY_LOOP(d + size * i, src + i * stride, size); break;
    }
}

void qk_scatter(char *dst, npy_intp stride, const void *src, npy_intp n, size_t size)
{
    const char *s = src;
    if (n <= 0)
        return;
    if (stride == (npy_intp)size) {
        memcpy(dst, s, (size_t)n * size);
        return;
    }
    switch (size) {
    case 2: QK_COPY_LOOP(dst + i * stride, s + 2 * i, 2); break;
    case 4: QK_COPY_LOOP(dst + i * stride, s + 4 * i, 4); break;
    case 8: QK_COPY_LOOP(dst + i * stride, s + 8 * i, 8); break;
    default: QK_COPY_LOOP(dst + i * stride, s + size * i, size); break;
    }
}

