/* quake's C API for other extensions (the JAX FFI handlers in
 * src/quake/jax/_jax_ffi.c): contiguous buffers, no Python objects, FP status
 * returned as QK_FE_* bits and never raised.  The same code paths as the
 * NumPy loops, so results are bit-identical to the ufuncs'.
 *
 *     const qk_capi *api = PyCapsule_Import(QK_CAPI_CAPSULE, 0);
 *
 * Members are only ever appended; check `version` before using newer ones.
 */
#ifndef QUAKE_CAPI_H
#define QUAKE_CAPI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define QK_CAPI_CAPSULE "quake._ufuncs._C_API"
#define QK_CAPI_VERSION 2

/* QK_DT_BF16 (ml_dtypes.bfloat16 layout) from version 2 on */
enum { QK_DT_F16 = 0, QK_DT_F32 = 1, QK_DT_F64 = 2, QK_DT_BF16 = 3 };

typedef struct qk_capi {
    int version; /* QK_CAPI_VERSION of the providing build */
    int n_unary; /* rows of include/quake/ops.def */
    int n_rowop; /* rows of include/quake/rowops.def */
    /* y[i] = op(x[i]) for 0 <= i < n, contiguous; x == y is allowed.
     * id: row of ops.def.  Returns QK_FE_* bits, or -1 for a bad id/dtype. */
    int (*unary)(int id, int dtype, const void *x, void *y, ptrdiff_t n);
    /* `rows` contiguous rows of n elements each; y receives rows*n elements
     * (one per row for (n)->() ops such as logsumexp).  id: row of
     * rowops.def.  Returns QK_FE_* bits, or -1 for a bad id/dtype. */
    int (*rows)(int id, int dtype, const void *x, void *y, ptrdiff_t rows, ptrdiff_t n);
    /* name of the active SIMD target ("avx2", ...) */
    const char *(*active_target)(void);
} qk_capi;

#ifdef __cplusplus
}
#endif

#endif
