/* float16 fix-ups of a float32 result y = op(x) before it is rounded to
 * half (see driver_f16.h for the fix signature).  Every comparison is a
 * quiet one of the SIMD layer (false on NaN, no FE_INVALID for the quiet
 * NaNs that reach here: widened halves and kernel results are never
 * signalling); vf_min/vf_max are not quiet, so they never see a NaN.
 */
#ifndef QUAKE_KERNELS_F16_FIX_H
#define QUAKE_KERNELS_F16_FIX_H

#include "quake/consts/exp.h"

/* Plain rounding.  Reports what NumPy's float16 loops report: overflow for
 * finite |y| >= 65520 (rounds to inf), underflow for 0 < |y| < 2^-14 (below
 * the normal half range).  |y| is non-negative, so comparing it as a float
 * is comparing its bit pattern; 0x1.ffdffep+15f is the float just below
 * 65520 = 0x1.ffep+15 (bits 0x477fefff), so a > it <=> a >= 65520. */
QK_INLINE vf qk_f16_fix_status(vf x, vf y, mf *over, mf *under)
{
    (void)x;
    vf a = vf_abs(y);
    *over = mf_or(*over, mf_and(vf_gt(a, vf_set(0x1.ffdffep+15f)), vf_lt(a, vf_set(INFINITY))));
    *under = mf_or(*under, mf_and(vf_gt(a, vf_set(0.0f)), vf_lt(a, vf_set(0x1p-14f))));
    return y;
}

/* exp's approximate tiers are a few per mille (q2) or per cent (q1) off,
 * which near half's limits would overflow to inf where the exact result is
 * a finite half, stay finite where it overflows, and give wrong denormals.
 * The float32 kernels' contract with half thresholds instead: inf (and
 * overflow reported, for finite x) exactly when the exact result overflows
 * (x > XMAX_F16), +0 (underflow reported, for finite x) below the normal
 * half range (x < XNORM_F16), NaN kept, and the rest saturated to the
 * normal half range [2^-14, 65504] (y > 0 there: max/min order it). */
QK_INLINE vf qk_f16_fix_exp_approx(vf x, vf y, mf *over, mf *under)
{
    const vf inf = vf_set(INFINITY);
    mf big = vf_gt(x, vf_set(QK_EXP_XMAX_F16)), small = vf_lt(x, vf_set(QK_EXP_XNORM_F16));
    *over = mf_or(*over, mf_and(big, vf_lt(x, inf)));
    *under = mf_or(*under, mf_and(small, vf_gt(x, vf_set(-INFINITY))));
    /* NaN lanes (y is NaN exactly there) are clamped as 0: min/max are
     * ordered comparisons, which would raise FE_INVALID on a NaN */
    mf nan = vf_isnan(x);
    vf c = vf_min(vf_max(vf_zero_if(nan, y), vf_set(0x1p-14f)), vf_set(65504.0f));
    c = vf_select(nan, y, c);
    c = vf_zero_if(small, c);
    return vf_select(big, inf, c);
}

#endif
