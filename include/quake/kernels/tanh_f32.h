/* The precise float32 tanh core (kernels/tanh.h calls it through the
 * per-type name; tanh_f64.h has float64's): a table-driven piecewise
 * polynomial, no exp and no division.  a = |x| in [0, 9.5] (the callers'
 * window or clamp), the slot from the bits of max(a, 2^-4), t = a - c
 * (exact), a degree-5 Horner in t with fma, the sign of x ORed back
 * (consts/tanh_f32.h: the slots and the fits, tools/derive_tanh_f32.py). */
#ifndef QUAKE_KERNELS_TANH_F32_H
#define QUAKE_KERNELS_TANH_F32_H

#include "quake/consts/tanh_f32.h"

QK_INLINE vf qk_tanh_precise_f32(vf x, vf a)
{
    const float(*tab)[32] = qk_tanh_p_tab;
    vi i = vi_shru(vf_as_vi(vf_max(a, vf_set(0x1p-4f))), 21);
    vf t = vf_sub(a, vf_lut32(tab[0], i));
    vf p = vf_fma(vf_lut32(tab[6], i), t, vf_lut32(tab[5], i));
    p = vf_fma(p, t, vf_lut32(tab[4], i));
    p = vf_fma(p, t, vf_lut32(tab[3], i));
    p = vf_fma(p, t, vf_lut32(tab[2], i));
    p = vf_fma(p, t, vf_lut32(tab[1], i));
    return vf_or_sign(p, x);
}

#endif
