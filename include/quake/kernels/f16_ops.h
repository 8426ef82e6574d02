/* float16 kernels, one per ops.def row: qk_<op>_<tier>_f16_<isa>, the
 * float32 kernel through driver_f16.h with the row's fix-up.  Included by
 * all.h after every float32 kernel. */
#ifndef QUAKE_KERNELS_F16_OPS_H
#define QUAKE_KERNELS_F16_OPS_H

#include "quake/kernels/driver_f16.h"

/* The precise tier rounds an accurate float32 result: no fix-up needed. */
#define QK_F16_FIX_exp_q1 qk_f16_fix_exp_approx
#define QK_F16_FIX_exp_q2 qk_f16_fix_exp_approx
#define QK_F16_FIX_exp_precise qk_f16_fix_status
/* The activations' results are bounded by |x| (silu, gelu) or by 1, so no
 * float16 overflow can arise, and tails below the normal half range are
 * covered by their absolute-error floors: plain rounding, no fix-ups. */
#define QK_F16_FIX_sigmoid_q1 qk_f16_fix_status
#define QK_F16_FIX_sigmoid_q2 qk_f16_fix_status
#define QK_F16_FIX_sigmoid_precise qk_f16_fix_status
#define QK_F16_FIX_silu_q1 qk_f16_fix_status
#define QK_F16_FIX_silu_q2 qk_f16_fix_status
#define QK_F16_FIX_silu_precise qk_f16_fix_status
#define QK_F16_FIX_tanh_q1 qk_f16_fix_status
#define QK_F16_FIX_tanh_q2 qk_f16_fix_status
#define QK_F16_FIX_tanh_precise qk_f16_fix_status
#define QK_F16_FIX_gelu_tanh_q1 qk_f16_fix_status
#define QK_F16_FIX_gelu_tanh_q2 qk_f16_fix_status
#define QK_F16_FIX_gelu_tanh_precise qk_f16_fix_status
#define QK_F16_FIX_gelu_q1 qk_f16_fix_status
#define QK_F16_FIX_gelu_q2 qk_f16_fix_status
#define QK_F16_FIX_gelu_precise qk_f16_fix_status

#define QK_UNARY(op, tier) QK_DEFINE_UNARY_F16(op##_##tier, QK_F16_FIX_##op##_##tier)
#include "quake/ops.def"
#undef QK_UNARY

#endif
