/* float16 kernels, one per ops.def row: qk_<op>_<tier>_f16_<isa>, the
 * float32 kernel through driver_f16.h with the row's fix-up.  Included by
 * all.h after every float32 kernel. */
#ifndef QUAKE_KERNELS_F16_OPS_H
#define QUAKE_KERNELS_F16_OPS_H

#include "quake/kernels/driver_f16.h"

/* Per row: fix-up inside the float16 window, fix-up outside, the window
 * [lo16, hi16] (intersected with the float32 kernel's) and its hole: inputs
 * with |x| < hole16 count as outside (0: no hole).  Inside fix-ups that
 * report nothing rely on the exact result being a normal half there by a
 * margin the tier's error cannot cross; tests/c/kernel_check.c checks every
 * half input, alone and through the vector path, against the plain
 * composition (float32 kernel, status or edge fix-ups, rounding).
 *
 * exp q1/q2: edge fix-ups (f16_fix.h); inside [XNORM_F16, XMAX_F16] only
 * the saturation.  exp precise rounds an accurate result: plain status,
 * and inside the same window e^x is in [2^-14 e^0.0009, 65232]: none. */
#define QK_F16_EXP_WINDOW QK_EXP_XNORM_F16, QK_EXP_XMAX_F16, 0.0f
#define QK_F16_FIX_exp_q1 qk_f16_fix_exp_approx_in, qk_f16_fix_exp_approx, QK_F16_EXP_WINDOW
#define QK_F16_FIX_exp_q2 qk_f16_fix_exp_approx_in, qk_f16_fix_exp_approx, QK_F16_EXP_WINDOW
#define QK_F16_FIX_exp_precise qk_f16_fix_none, qk_f16_fix_status, QK_F16_EXP_WINDOW
/* The activations' results are bounded by |x| (silu, gelu) or by 1, so no
 * float16 overflow can arise, and tails below the normal half range are
 * covered by their absolute-error floors: plain rounding and status, no
 * fix-ups.  Underflow (consts/underflow.h, float16 thresholds) needs
 *   sigmoid x < -9.70 (sigmoid(-9.5) = 7.5e-5 > 2^-14 = 6.1e-5), silu
 *   x < -12.20, gelu(_tanh) x < -4.18 (-4.03); tanh never,
 * so the windows below hold none of it (the driver also clamps them to the
 * thresholds).  Their holes around 0 (results that are denormal halves)
 * date from a near-0 underflow status the rule no longer has: they only
 * route those rare inputs through fix_full, which gives the same bits.  gelu's x < -4.2 is inside
 * common data, where a window would only add a test: status everywhere
 * instead. */
#define QK_F16_STATUS qk_f16_fix_status, qk_f16_fix_status, -INFINITY, INFINITY, 0.0f
#define QK_F16_ACT(lo, hole) qk_f16_fix_none, qk_f16_fix_status, lo, INFINITY, hole
#define QK_F16_FIX_sigmoid_q1 QK_F16_ACT(-9.5f, 0.0f)
#define QK_F16_FIX_sigmoid_q2 QK_F16_ACT(-9.5f, 0.0f)
#define QK_F16_FIX_sigmoid_precise QK_F16_ACT(-9.5f, 0.0f)
#define QK_F16_FIX_silu_q1 QK_F16_ACT(-12.0f, 0x1p-12f)
#define QK_F16_FIX_silu_q2 QK_F16_ACT(-12.0f, 0x1p-12f)
#define QK_F16_FIX_silu_precise QK_F16_ACT(-12.0f, 0x1p-12f)
#define QK_F16_FIX_tanh_q1 QK_F16_ACT(-INFINITY, 0x1p-13f)
#define QK_F16_FIX_tanh_q2 QK_F16_ACT(-INFINITY, 0x1p-13f)
#define QK_F16_FIX_tanh_precise QK_F16_ACT(-INFINITY, 0x1p-13f)
#define QK_F16_FIX_gelu_tanh_q1 QK_F16_STATUS
#define QK_F16_FIX_gelu_tanh_q2 QK_F16_STATUS
#define QK_F16_FIX_gelu_tanh_precise QK_F16_STATUS
#define QK_F16_FIX_gelu_q1 QK_F16_STATUS
#define QK_F16_FIX_gelu_q2 QK_F16_STATUS
#define QK_F16_FIX_gelu_precise QK_F16_STATUS

/* (the row's macro expands to the arguments before the call) */
#define QK_F16_ROW(name, ...) QK_DEFINE_UNARY_F16(name, __VA_ARGS__)
#define QK_UNARY(op, tier) QK_F16_ROW(op##_##tier, op, QK_F16_FIX_##op##_##tier)
#include "quake/ops.def"
#undef QK_UNARY

#endif
