/* The C API (include/quake/capi.h) over the ufunc loops' bodies. */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>

#include "quake/capi.h"
#include "quake/dispatch.h"
#include "loops.h"
#include "rowloops.h"
#include "capi_export.h"

static int capi_unary(int id, int dtype, const void *x, void *y, ptrdiff_t n)
{
    if (id < 0 || id >= QK_N_UNARY)
        return -1;
    switch (dtype) {
    case QK_DT_F16: return qk_unary_run_f16(id, x, 2, y, 2, n);
    case QK_DT_BF16: return qk_unary_run_bf16(id, x, 2, y, 2, n);
    case QK_DT_F32: return qk_unary_run_f32(id, x, sizeof(float), y, sizeof(float), n);
    case QK_DT_F64: return qk_unary_run_f64(id, x, sizeof(double), y, sizeof(double), n);
    default: return -1;
    }
}

static int capi_rows(int id, int dtype, const void *x, void *y, ptrdiff_t rows, ptrdiff_t n)
{
    if (id < 0 || id >= QK_N_ROWOP)
        return -1;
    /* output row stride: n elements, or one for (n)->() */
    const ptrdiff_t yn = qk_rowop_data_table[id].scalar_out ? 1 : n;
    switch (dtype) {
    case QK_DT_F16: return qk_row_run_f16(id, x, 2 * n, 2, y, 2 * yn, 2, rows, n);
    case QK_DT_BF16: return qk_row_run_bf16(id, x, 2 * n, 2, y, 2 * yn, 2, rows, n);
    case QK_DT_F32:
        return qk_row_run_f32(id, x, 4 * n, 4, y, 4 * yn, 4, rows, n);
    case QK_DT_F64:
        return qk_row_run_f64(id, x, 8 * n, 8, y, 8 * yn, 8, rows, n);
    default: return -1;
    }
}

static const char *capi_active_target(void) { return qk_active_target()->name; }

const qk_capi qk_capi_table = {
    QK_CAPI_VERSION, QK_N_UNARY, QK_N_ROWOP, capi_unary, capi_rows, capi_active_target,
};
