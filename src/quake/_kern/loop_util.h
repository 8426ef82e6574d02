/* Helpers shared by the elementwise (loops.c) and row (rowloops.c) ufunc
 * loops: strided gather/scatter, float16 result status, raising QK_FE_* bits. */
#ifndef QUAKE_LOOP_UTIL_H
#define QUAKE_LOOP_UTIL_H

#include <stddef.h>
#include <numpy/ndarraytypes.h>

/* Raise the QK_FE_* bits with feraiseexcept(), which NumPy's errstate reads. */
void qk_raise_status(int st);
/* Around a kernel call: underflow is the kernels' to report (a QK_FE_UNDERFLOW
 * bit, by the rule of docs/robustness.md: the exact result is nonzero and
 * below the normal range).  Their arithmetic may set the hardware flag on the
 * way although the result is not tiny (a subnormal x times log2 e underflows,
 * while e^x is 1), so qk_status_begin() notes whether underflow is already
 * raised and qk_status_end() drops an underflow flag the call set itself,
 * then raises the kernels' bits.  Other flags are left as they are. */
int qk_status_begin(void);
void qk_status_end(int before, int st);
/* n elements of `size` bytes: strided src -> contiguous dst, and back. */
void qk_gather(void *dst, const char *src, npy_intp stride, npy_intp n, size_t size);
void qk_scatter(char *dst, npy_intp stride, const void *src, npy_intp n, size_t size);

#endif
