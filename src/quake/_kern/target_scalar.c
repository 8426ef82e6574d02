/* Portable scalar target: the bit-exact reference every SIMD target matches. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/target.h"
#include "quake/dispatch.h"
#include "quake/simd/scalar.h"
#include "quake/kernels/half.h"

#define QK_ISA scalar
#include "quake/kernels/all.h"

static void QK_FN(h2f)(const uint16_t *h, float *f, qk_size n)
{
    for (qk_size i = 0; i < n; i++)
        f[i] = qk_half_to_float(h[i]);
}

static void QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    for (qk_size i = 0; i < n; i++)
        h[i] = qk_float_to_half(f[i]);
}

#define QK_TARGET_NAME "scalar"
#define QK_TARGET_REQUIRES 0u
#include "quake/kernels/table.h"
