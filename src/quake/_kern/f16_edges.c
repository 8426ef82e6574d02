/* Edge handling for float16 results of the approximate tiers.
 *
 * float16 ops compute in float32 and round to half.  The approximate tiers
 * are a few per mille (q2) or per cent (q1) off, which near half's tiny
 * range would (a) overflow to inf where the exact result is a finite half,
 * (b) give inf-free finite values where it should overflow, and (c) produce
 * wrong denormals.  These functions apply the same contract as the float32
 * kernels, with half thresholds: overflow -> inf exactly when the exact
 * result overflows, results below the normal half range -> +0, and the
 * normal range saturated at its ends.  They are scalar C, so every target
 * gives the same bits.  Return QK_FE_* bits.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/consts/exp.h"
#include "quake/status.h"
#include "f16_edges.h"

#define HALF_MAX 65504.0f
#define HALF_TINY 0x1p-14f

int qk_f16_edges_exp_approx(const float *x, float *y, ptrdiff_t n)
{
    int st = 0;
    for (ptrdiff_t i = 0; i < n; i++) {
        float v = x[i];
        if (isgreater(v, QK_EXP_XMAX_F16)) {
            if (v < INFINITY)
                st |= QK_FE_OVERFLOW;
            y[i] = INFINITY;
        } else if (isless(v, QK_EXP_XNORM_F16)) {
            if (v > -INFINITY)
                st |= QK_FE_UNDERFLOW;
            y[i] = 0.0f;
        } else if (!isnan(v)) {
            y[i] = fminf(fmaxf(y[i], HALF_TINY), HALF_MAX);
        }
    }
    return st;
}
