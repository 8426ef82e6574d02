/* The precise float32 tanh core (kernels/tanh.h calls it through the
 * per-type name; tanh_f64.h has float64's): a table-driven piecewise
 * polynomial (kernels/slot_poly_f32.h), no exp and no division.  a = |x| in
 * [0, 9.5] (the callers' window or clamp), degree 5, the sign of x ORed back
 * (consts/tanh_f32.h: the slots and the fits, tools/derive_tanh_f32.py). */
#ifndef QUAKE_KERNELS_TANH_F32_H
#define QUAKE_KERNELS_TANH_F32_H

#include "quake/consts/tanh_f32.h"
#include "quake/kernels/slot_poly_f32.h"

QK_INLINE vf qk_tanh_precise_f32(vf x, vf a)
{
    return vf_or_sign(qk_slot_poly_f32(&qk_tanh_p_tab, QK_TANH_P_DEG, a), x);
}

#endif
