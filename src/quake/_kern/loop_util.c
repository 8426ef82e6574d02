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

void qk_gather(void *dst, const char *src, npy_intp stride, npy_intp n, size_t size)
{
    char *d = dst;
    for (npy_intp i = 0; i < n; i++, src += stride, d += size)
        memcpy(d, src, size);
}

void qk_scatter(char *dst, npy_intp stride, const void *src, npy_intp n, size_t size)
{
    const char *s = src;
    for (npy_intp i = 0; i < n; i++, dst += stride, s += size)
        memcpy(dst, s, size);
}

int qk_half_status(const float *y, npy_intp n)
{
    uint32_t over = 0, under = 0; /* branch-free integer tests: vectorisable */
    for (npy_intp i = 0; i < n; i++) {
        uint32_t a;
        memcpy(&a, &y[i], sizeof a);
        a &= 0x7fffffffu;
        over |= (uint32_t)(a - 0x477ff000u < 0x7f800000u - 0x477ff000u);
        under |= (uint32_t)(a - 1u < 0x38800000u - 1u);
    }
    return (over ? QK_FE_OVERFLOW : 0) | (under ? QK_FE_UNDERFLOW : 0);
}
