/* A table-driven piecewise polynomial in float32, the core of the precise
 * tanh and gelu (kernels/tanh_f32.h, kernels/gelu_f32.h).  The table
 * (consts/tanh_f32.h, consts/gelu_f32.h, fitted by tools/_piecewise_fit.py)
 * has 32 slots: the slot of a >= 0 is (bits(max(a, 2^-4)) >> 21) mod 32, the
 * low three exponent bits and the top two mantissa bits, so the eight binades
 * [2^-4, 16) are cut in quarters and [0, 2^-4) shares the first slot.
 * tab[0] holds each slot's centre c (t = a - c is exact: c lies in a's slot,
 * or is 0), tab[1 + k] the coefficient of t^k; Horner with fma from the top. */
#ifndef QUAKE_KERNELS_SLOT_POLY_F32_H
#define QUAKE_KERNELS_SLOT_POLY_F32_H

QK_INLINE vf qk_slot_poly_f32(const float (*tab)[32], int degree, vf a)
{
    vi i = vi_shru(vf_as_vi(vf_max(a, vf_set(0x1p-4f))), 21);
    vf t = vf_sub(a, vf_lut32(tab[0], i));
    vf p = vf_lut32(tab[degree + 1], i);
    for (int k = degree; k >= 1; k--)
        p = vf_fma(p, t, vf_lut32(tab[k], i));
    return p;
}

#endif
