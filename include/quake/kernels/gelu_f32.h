/* float32 gelu, the exact erf form x Phi(x), three tiers (constants and
 * derivations: consts/gelu.h).
 *
 * Approximate tiers: Phi(x) ~ sigmoid(x (a + b x^2 + g x^4)) (fitted; max
 * absolute error of the formula 7.8e-5), y = x / (1 + E), E = e^-x(...)
 * with the coefficients folded into the exponential's constants; the
 * polynomial is evaluated on x clamped to [-7, 7]; x > 7 gives x and
 * x < -7 gives -0 (Phi is 1 or 0 there to 1.3e-12).
 * Errors are measured against the exact erf form.
 *
 * Precise: Phi(-a) = t/2 exp(-a^2/2 + F(s)) (a = |x|, t = K2/(K2 + a),
 * s = 2t - 1), one division and one exponential whose argument enters
 * the reduction in exact pieces; then y = x Phi(-a) (x < 0, formed inside
 * the final scaling: denormals right) or x - x Phi(-a) (x > 0, one FMA). */
#ifndef QUAKE_KERNELS_GELU_F32_H
#define QUAKE_KERNELS_GELU_F32_H

#include "quake/consts/gelu.h"
#include "quake/kernels/act_exp_f32.h"

/* ---- order 1 / order 2 ---- */
QK_INLINE vf qk_gelu_q1_v_f32(vf x)
{
    vf s = vf_mul(x, x);
    vf p = vf_fma(vf_fma(s, vf_set(QK_GELU_Q1_G_F32), vf_set(QK_GELU_Q1_B_F32)), s,
                  vf_set(QK_GELU_Q1_A_F32));
    return vf_fma(x, p, vf_set(QK_EXP_Q1_C0_F32));
}
QK_INLINE vf qk_gelu_q2_t_f32(vf x)
{
    vf s = vf_mul(x, x);
    vf p = vf_fma(vf_fma(s, vf_set(QK_GELU_Q2_G_F32), vf_set(QK_GELU_Q2_B_F32)), s,
                  vf_set(QK_GELU_Q2_A_F32));
    return vf_mul(x, p);
}
/* inside [-7, 7] E is within [e^-27, e^27]: no clamp needed */
QK_INLINE vf gelu_q1_f32_core(vf x)
{
    return vf_div(x, vf_add(vf_set(1.0f), qk_act_q1_bits_f32(qk_gelu_q1_v_f32(x))));
}
QK_INLINE vf gelu_q1_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x);
    vf xc = vf_min(vf_max(x0, vf_set(-QK_GELU_QCLAMP_F32)), vf_set(QK_GELU_QCLAMP_F32));
    vf y = vf_div(x0, vf_add(vf_set(1.0f), qk_act_q1_bits_f32(qk_gelu_q1_v_f32(xc))));
    y = vf_select(vf_gt(x0, vf_set(QK_GELU_QX_F32)), x0, y); /* Phi = 1 - 1.3e-12 */
    return qk_act_q_patch_f32(x, y, -QK_GELU_QX_F32, -0.0f);
}
QK_DEFINE_UNARY_F32(gelu_q1_f32, gelu, -QK_GELU_QX_F32, QK_GELU_QX_F32)

QK_INLINE vf gelu_q2_f32_core(vf x)
{
    return vf_div(x, vf_add(vf_set(1.0f), qk_exp_q2_f32_eval(qk_gelu_q2_t_f32(x))));
}
QK_INLINE vf gelu_q2_f32_full(vf x, int *st)
{
    (void)st; /* underflow, the only status here, is the driver's (driver.h) */
    vf x0 = vf_zero_if(vf_isnan(x), x);
    vf xc = vf_min(vf_max(x0, vf_set(-QK_GELU_QCLAMP_F32)), vf_set(QK_GELU_QCLAMP_F32));
    vf y = vf_div(x0, vf_add(vf_set(1.0f), qk_exp_q2_f32_eval(qk_gelu_q2_t_f32(xc))));
    y = vf_select(vf_gt(x0, vf_set(QK_GELU_QX_F32)), x0, y); /* Phi = 1 - 1.3e-12 */
    return qk_act_q_patch_f32(x, y, -QK_GELU_QX_F32, -0.0f);
}
QK_DEFINE_UNARY_F32(gelu_q2_f32, gelu, -QK_GELU_QX_F32, QK_GELU_QX_F32)

/* ---- precise ---- */
QK_INLINE vf qk_gelu_F_f32(vf s)
{
    vf p = vf_fma(vf_set(QK_GELU_F12_F32), s, vf_set(QK_GELU_F11_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F10_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F9_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F8_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F7_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F6_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F5_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F4_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F3_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F2_F32));
    p = vf_fma(p, s, vf_set(QK_GELU_F1_F32));
    return vf_fma(p, s, vf_set(QK_GELU_F0_F32));
}

/* Phi(-a) = hq 2^n, n as *z (a in [0, 14.4]) */
QK_INLINE vf qk_gelu_phi_f32(vf a, vf *z)
{
    vf t = vf_div(vf_set(QK_GELU_K2_F32), vf_add(vf_set(QK_GELU_K2_F32), a));
    vf f = qk_gelu_F_f32(vf_fma(t, vf_set(2.0f), vf_set(-1.0f)));
    vf ha = vf_mul(a, vf_set(0.5f));
    vf hh = vf_mul(ha, a);                                   /* a^2/2 = hh + hl exactly */
    vf hl = vf_fma(ha, a, vf_or_sign(hh, vf_set(-1.0f)));
    /* n = round((f - hh) log2 e); r = ((-hh - n ln2_hi) + f - n ln2_lo) - hl */
    *z = vf_fma(vf_sub(f, hh), vf_set(QK_LOG2E_F32), vf_set(QK_MAGIC_BIASED_F32));
    vf n = vf_sub(*z, vf_set(QK_MAGIC_BIASED_F32));
    vf r = vf_fma(n, vf_set(-QK_LN2_HI_F32), vf_or_sign(hh, vf_set(-1.0f))); /* exact */
    r = vf_add(r, f);
    r = vf_fma(n, vf_set(-QK_LN2_LO_F32), r);
    r = vf_sub(r, hl);
    vf q = vf_fma(r, qk_act_poly_f32(r), vf_set(1.0f));
    return vf_mul(vf_mul(t, vf_set(0.5f)), q);
}

QK_INLINE vf gelu_precise_f32_core(vf x)
{
    vf z;
    vf hq = qk_gelu_phi_f32(vf_abs(x), &z);
    vf s = qk_act_pow2_f32(z);
    /* x - x Phi(-x); Phi(-|x|) from 2^max(n, -100): never denormal (unused there) */
    vf ypos = vf_fma(vf_or_sign(qk_act_e_for_sum_f32(hq, z), vf_set(-1.0f)), x, x);
    vf yneg = vf_mul(vf_mul(x, hq), s);
    return vf_select(vf_gt(x, vf_set(0.0f)), ypos, yneg);
}
QK_INLINE vf gelu_precise_f32_full(vf x, int *st)
{
    (void)st;
    mf nan = vf_isnan(x), small = vf_lt(x, vf_set(QK_GELU_XZERO_F32));
    vf x0 = vf_zero_if(mf_or(nan, small), x);
    vf xc = vf_min(x0, vf_set((float)QK_GELU_XCLAMP));
    vf z;
    vf hq = qk_gelu_phi_f32(vf_abs(xc), &z);
    vf yneg = qk_act_scale_full_f32(hq, z, xc);
    vf ypos = vf_fma(vf_or_sign(qk_act_e_for_sum_f32(hq, z), vf_set(-1.0f)), xc, xc);
    vf y = vf_select(vf_gt(xc, vf_set(0.0f)), ypos, yneg);
    y = vf_select(vf_gt(x0, vf_set((float)QK_GELU_XONE)), x0, y); /* Phi = 1 there */
    y = vf_select(small, vf_set(-0.0f), y);
    return qk_act_nan_patch_f32(nan, x, y);
}
QK_DEFINE_UNARY_F32(gelu_precise_f32, gelu, QK_GELU_FAST_LO_F32, (float)QK_GELU_XONE)

#endif
