/* A table-driven piecewise polynomial in float32, the core of the precise
 * tanh and gelu (kernels/tanh_f32.h, kernels/gelu_f32.h).  The table
 * (consts/tanh_f32.h, consts/gelu_f32.h, fitted by tools/_piecewise_fit.py)
 * has 32 slots: the slot of a >= 0 is (bits(max(a, 2^-4)) >> 21) mod 32, the
 * low three exponent bits and the top two mantissa bits, so the eight binades
 * [2^-4, 16) are cut in quarters and [0, 2^-4) shares the first slot.
 * Value 0 of a slot is its centre c (t = a - c is exact: c lies in a's slot,
 * or is 0), value 1 + k the coefficient of t^k (simd/slot_tab.h: vf_slot8
 * fetches all eight); Horner with fma from the top. */
#ifndef QUAKE_KERNELS_SLOT_POLY_F32_H
#define QUAKE_KERNELS_SLOT_POLY_F32_H

QK_INLINE vf qk_slot_poly_f32(const qk_slot_tab *tab, int degree, vf a)
{
    vf c[8];
    vf_slot8(tab, vi_shru(vf_as_vi(vf_max(a, vf_set(0x1p-4f))), 21), c);
    vf t = vf_sub(a, c[0]);
    vf p = c[degree + 1];
    for (int k = degree; k >= 1; k--)
        p = vf_fma(p, t, c[k]);
    return p;
}

#endif
