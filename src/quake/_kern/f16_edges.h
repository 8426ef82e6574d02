#ifndef QUAKE_F16_EDGES_H
#define QUAKE_F16_EDGES_H
#include <stddef.h>

/* float32 inputs x (exact halves) and float32 results y, fixed in place. */
typedef int (*qk_f16_edges_fn)(const float *x, float *y, ptrdiff_t n);

int qk_f16_edges_exp_approx(const float *x, float *y, ptrdiff_t n);

#endif
