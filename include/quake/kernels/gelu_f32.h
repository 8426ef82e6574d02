/* The precise float32 gelu's Phi(-a) (kernels/gelu.h calls it through the
 * per-type name; gelu_f64.h has float64's): Phi(-a) = G(a) e^(-a^2/2), G a
 * table-driven piecewise polynomial (consts/gelu_f32.h,
 * tools/derive_gelu_f32.py), the Gaussian factor from exp's reduction with
 * a^2/2 in two exact pieces.  No division, and no rounding of a transformed
 * argument feeding both factors (the t = K2 / (K2 + a) of float64's form). */
#ifndef QUAKE_KERNELS_GELU_F32_H
#define QUAKE_KERNELS_GELU_F32_H

#include "quake/consts/gelu_f32.h"
#include "quake/kernels/slot_poly_f32.h"

/* G(a) = Phi(-a) e^(a^2/2), a in [0, 16): degree 6 (kernels/slot_poly_f32.h) */
QK_INLINE vf qk_gelu_g_f32(vf a) { return qk_slot_poly_f32(&qk_gelu_g_tab, QK_GELU_G_DEG, a); }

/* Phi(-a) = hq 2^n, n as *z (a in [0, 14.4]): n = round(-a^2/2 log2 e),
 * r = ((-hh - n ln2_hi) - n ln2_lo) - hl with a^2/2 = hh + hl exactly (the
 * first step exact: n ln2_hi has few bits), hq = G (1 + r p(r)) in one fma:
 * G in [0.026, 0.5] and e^r in [0.70, 1.42], so hq is normal. */
QK_INLINE vf qk_gelu_phi_f32(vf a, vf *z)
{
    vf g = qk_gelu_g_f32(a);
    vf ha = vf_mul(a, vf_set(0.5f));
    vf hh = vf_mul(ha, a);
    vf mhh = vf_or_sign(hh, vf_set(-1.0f)); /* -hh */
    vf hl = vf_fma(ha, a, mhh);
    vf r = vf_sub(qk_act_poly_reduce_f32(mhh, z), hl); /* the polynomial exp's reduction of -hh */
    return vf_fma(g, vf_mul(r, qk_act_poly_f32(r)), g);
}

#endif
