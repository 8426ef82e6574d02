/* Portable scalar target: the bit-exact reference every SIMD target matches. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/target.h"
#include "quake/dispatch.h"

/* GCC 12 auto-vectorises this one-lane code when AVX-512 is enabled (user
 * CFLAGS such as -march=native or x86-64-v4) and then encodes the layer's
 * quiet isless/isgreater as signalling vcmpltps/vcmpgtps: NaN inputs raised
 * "invalid" in tanh and gelu.  The reference stays one lane at a time there;
 * default builds (SSE2) are not affected and keep their code. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__AVX512F__)
#pragma GCC optimize("no-tree-vectorize")
#endif

#include "quake/simd/scalar.h"
#include "quake/simd/half.h"

#define QK_ISA scalar
#include "quake/kernels/all.h"

static void QK_FN(h2f)(const uint16_t *h, float *f, qk_size n)
{
    for (qk_size i = 0; i < n; i++)
        f[i] = qk_half_to_float(h[i]);
}

static int QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    int st = 0;
    for (qk_size i = 0; i < n; i++) {
        st |= qk_narrow_over1(f[i], QK_F16_OVER_BASE);
        h[i] = qk_float_to_half(f[i]);
    }
    return st;
}

#define QK_TARGET_NAME "scalar"
#define QK_TARGET_REQUIRES 0u
#include "quake/dispatch_table.h"
