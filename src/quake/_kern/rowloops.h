/* NumPy gufunc loops for the row operations (rowops.def), registered by
 * _ufuncs.pyx with signatures (n)->(n) and (n)->(). */
#ifndef QUAKE_ROWLOOPS_H
#define QUAKE_ROWLOOPS_H

#include <numpy/ndarraytypes.h>
#include "quake/dispatch.h"

typedef struct qk_rowop_data {
    int id;         /* row of rowops.def */
    int scalar_out; /* signature (n)->() */
} qk_rowop_data;

extern const qk_rowop_data qk_rowop_data_table[QK_N_ROWOP];
extern const char *const qk_rowop_op_names[QK_N_ROWOP];   /* "softmax" */
extern const char *const qk_rowop_tier_names[QK_N_ROWOP]; /* "q1" */
extern const char *const qk_rowop_qualnames[QK_N_ROWOP];  /* "q1.softmax" */
extern const char *const qk_rowop_signatures[QK_N_ROWOP]; /* "(n)->(n)" */

/* N rows of n elements at byte strides (row: xos/yos, element: xs/ys);
 * return QK_FE_* bits instead of raising them. */
int qk_row_run_bf16(int id, const char *x, npy_intp xos, npy_intp xs, char *y, npy_intp yos,
                    npy_intp ys, npy_intp N, npy_intp n);
int qk_row_run_f16(int id, const char *x, npy_intp xos, npy_intp xs, char *y, npy_intp yos,
                   npy_intp ys, npy_intp N, npy_intp n);
int qk_row_run_f32(int id, const char *x, npy_intp xos, npy_intp xs, char *y, npy_intp yos,
                   npy_intp ys, npy_intp N, npy_intp n);
int qk_row_run_f64(int id, const char *x, npy_intp xos, npy_intp xs, char *y, npy_intp yos,
                   npy_intp ys, npy_intp N, npy_intp n);

void qk_loop_row_bf16(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_row_f16(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_row_f32(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_row_f64(char **args, npy_intp const *dims, npy_intp const *steps, void *data);

#endif
