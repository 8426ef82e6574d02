/* float16 fix-ups of a float32 result y = op(x) before it is rounded to
 * half (driver_f16.h runs them), and the status they accumulate.
 *
 * The overflow status is kept as a running unsigned minimum of lane bit
 * patterns (integer only, so no FP flag can arise from it, NaN lanes
 * included): overflow <=> min over lanes of over < QK_F16_OVER_LIM.  Lanes
 * force a report by contributing 0.  Underflow is decided from the inputs
 * by the driver (driver_f16.h, the rule of consts/underflow.h).  The fix-ups' comparisons are the
 * SIMD layer's quiet ones (false on NaN, no FE_INVALID for the quiet NaNs
 * that reach here: widened halves and kernel results are never
 * signalling); vf_min/vf_max are not quiet, so they never see a NaN.
 */
#ifndef QUAKE_KERNELS_F16_FIX_H
#define QUAKE_KERNELS_F16_FIX_H

#include "quake/consts/exp.h"

typedef struct {
    vi over;
} qk_f16_status;

/* |y| bits a - 0x477ff000 (wrapping) < LIM <=> 0x477ff000 <= a < 0x7f800000,
 * i.e. 65520 <= |y| < inf: finite, rounds to inf. */
#define QK_F16_OVER_BASE 0x477ff000
#define QK_F16_OVER_LIM (0x7f800000u - 0x477ff000u)

QK_INLINE void qk_f16_status_init(qk_f16_status *s) { s->over = vi_set(-1); }

QK_INLINE int qk_f16_status_bits(const qk_f16_status *s)
{
    return vi_any_ltu(s->over, QK_F16_OVER_LIM) ? QK_FE_OVERFLOW : 0;
}

/* 0 in the lanes of m, all ones elsewhere (bitwise only: no FP operation) */
QK_INLINE vi qk_f16_zero_lanes(mf m) { return vf_as_vi(vf_zero_if(m, vi_as_vf(vi_set(-1)))); }

/* Nothing to fix or report (inside a window that guarantees it). */
QK_INLINE vf qk_f16_fix_none(vf x, vf y, qk_f16_status *s)
{
    (void)x, (void)s;
    return y;
}

/* Plain rounding.  Reports overflow for finite |y| >= 65520 (rounds to
 * inf), as NumPy's float16 loops do. */
QK_INLINE vf qk_f16_fix_status(vf x, vf y, qk_f16_status *s)
{
    (void)x;
    vi a = vf_as_vi(vf_abs(y));
    s->over = vi_minu(s->over, vi_sub(a, vi_set(QK_F16_OVER_BASE)));
    return y;
}

/* exp's approximate tiers are a few per mille (q2) or per cent (q1) off,
 * which near half's limits would overflow to inf where the exact result is
 * a finite half, stay finite where it overflows, and give wrong denormals.
 * The float32 kernels' contract with half thresholds instead: inf (and
 * overflow reported, for finite x) exactly when the exact result overflows
 * (x > XMAX_F16), +0 below the normal half range (x < XNORM_F16), NaN kept, and the rest saturated to the
 * normal half range [2^-14, 65504] (y > 0 there: max/min order it). */
QK_INLINE vf qk_f16_fix_exp_approx(vf x, vf y, qk_f16_status *s)
{
    const vf inf = vf_set(INFINITY), tiny = vf_set(0x1p-14f), hmax = vf_set(65504.0f);
    mf big = vf_gt(x, vf_set(QK_EXP_XMAX_F16)), small = vf_lt(x, vf_set(QK_EXP_XNORM_F16));
    s->over = vi_minu(s->over, qk_f16_zero_lanes(mf_and(big, vf_lt(x, inf))));
    /* NaN lanes (y is NaN exactly there) are saturated as 0, then restored */
    mf nan = vf_isnan(x);
    vf c = vf_min(vf_max(vf_zero_if(nan, y), tiny), hmax);
    c = vf_select(nan, y, c);
    c = vf_zero_if(small, c);
    return vf_select(big, inf, c);
}

/* The same where every lane lies in [XNORM_F16, XMAX_F16]: only the
 * saturation is left. */
QK_INLINE vf qk_f16_fix_exp_approx_in(vf x, vf y, qk_f16_status *s)
{
    (void)x, (void)s;
    return vf_min(vf_max(y, vf_set(0x1p-14f)), vf_set(65504.0f));
}

#endif
