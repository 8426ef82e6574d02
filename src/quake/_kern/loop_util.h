/* Helpers shared by the elementwise (loops.c) and row (rowloops.c) ufunc
 * loops: strided gather/scatter, float16 result status, raising QK_FE_* bits. */
#ifndef QUAKE_LOOP_UTIL_H
#define QUAKE_LOOP_UTIL_H

#include <stddef.h>
#include <numpy/ndarraytypes.h>

/* Raise the QK_FE_* bits with feraiseexcept(), which NumPy's errstate reads. */
void qk_raise_status(int st);
/* n elements of `size` bytes: strided src -> contiguous dst, and back. */
void qk_gather(void *dst, const char *src, npy_intp stride, npy_intp n, size_t size);
void qk_scatter(char *dst, npy_intp stride, const void *src, npy_intp n, size_t size);
/* QK_FE_* bits for float32 results about to be rounded to float16: finite
 * values >= 65520 overflow, nonzero values below 2^-14 underflow. */
int qk_half_status(const float *y, npy_intp n);

#endif
