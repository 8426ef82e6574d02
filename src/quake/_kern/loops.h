/* NumPy inner loops for quake's ufuncs (registered by _ufuncs.pyx). */
#ifndef QUAKE_LOOPS_H
#define QUAKE_LOOPS_H

#include <numpy/ndarraytypes.h>
#include "quake/dispatch.h"

/* What a loop's `data` pointer points at: the op's row in the kernel tables. */
typedef struct qk_op_data {
    int id;
} qk_op_data;

extern const qk_op_data qk_unary_data[QK_N_UNARY];
extern const char *const qk_unary_op_names[QK_N_UNARY];   /* "exp" */
extern const char *const qk_unary_tier_names[QK_N_UNARY]; /* "q1" */
extern const char *const qk_unary_qualnames[QK_N_UNARY];  /* "q1.exp" */

/* y = op(x) over n elements at byte strides is/os; return QK_FE_* bits. */
int qk_unary_run_bf16(int id, const char *x, npy_intp is, char *y, npy_intp os, npy_intp n);
int qk_unary_run_f16(int id, const char *x, npy_intp is, char *y, npy_intp os, npy_intp n);
int qk_unary_run_f32(int id, const char *x, npy_intp is, char *y, npy_intp os, npy_intp n);
int qk_unary_run_f64(int id, const char *x, npy_intp is, char *y, npy_intp os, npy_intp n);

void qk_loop_unary_bf16(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_unary_f16(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_unary_f32(char **args, npy_intp const *dims, npy_intp const *steps, void *data);
void qk_loop_unary_f64(char **args, npy_intp const *dims, npy_intp const *steps, void *data);

#endif
