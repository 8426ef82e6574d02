/* Edge handling for float16 results of the approximate tiers.
 *
 * float16 ops compute in float32 and round to half.  The approximate tiers
 * are a few per mille (q2) or per cent (q1) off, which near half's limits
 * would (a) overflow to inf where the exact result is a finite half,
 * (b) stay finite where the exact result overflows, and (c) produce wrong
 * denormals.  These functions apply the float32 kernels' contract with half
 * thresholds: inf exactly when the exact result overflows, +0 below the
 * normal half range, and the normal range saturated at its ends.  They are
 * plain C on the bit patterns (branch-free, so compilers vectorise them) and
 * identical for every target.
 * Return QK_FE_* bits.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/consts/exp.h"
#include "quake/status.h"
#include "f16_edges.h"

#define HALF_MAX_BITS 0x477fe000u  /* 65504 */
#define HALF_TINY_BITS 0x38800000u /* 2^-14 */

static inline uint32_t bits_of(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

/* float bits -> int32 with the same order as the floats (NaN excluded) */
static inline int32_t order_key(uint32_t b)
{
    return (int32_t)(b ^ ((uint32_t)((int32_t)b >> 31) >> 1));
}

int qk_f16_edges_exp_approx(const float *x, float *y, ptrdiff_t n)
{
    /* integer-only, so that no comparison can raise FE_INVALID on NaN, even
     * once the compiler vectorises the loop */
    const int32_t kmax = order_key(bits_of(QK_EXP_XMAX_F16));
    const int32_t knorm = order_key(bits_of(QK_EXP_XNORM_F16));
    uint32_t over = 0, under = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        uint32_t b, r;
        memcpy(&b, &x[i], sizeof b);
        memcpy(&r, &y[i], sizeof r);
        const uint32_t nan = (b & 0x7fffffffu) > 0x7f800000u;
        const int32_t k = order_key(b);
        const uint32_t big = !nan & (k > kmax), small = !nan & (k < knorm);
        over |= big & (b != 0x7f800000u);
        under |= small & (b != 0xff800000u);
        /* results are >= 0 here, so their bits order like their values */
        uint32_t c = r < HALF_TINY_BITS ? HALF_TINY_BITS : r;
        c = c > HALF_MAX_BITS ? HALF_MAX_BITS : c;
        r = big ? 0x7f800000u : small ? 0u : nan ? r : c;
        memcpy(&y[i], &r, sizeof r);
    }
    return (over ? QK_FE_OVERFLOW : 0) | (under ? QK_FE_UNDERFLOW : 0);
}
