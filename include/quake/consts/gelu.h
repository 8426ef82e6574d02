/* Constants of the GELU kernels (gelu_tanh and gelu), derived by
 * tools/derive_activation_constants.py (mpmath; see docs/design.md). */
#ifndef QUAKE_CONSTS_GELU_H
#define QUAKE_CONSTS_GELU_H

/* ---- gelu_tanh: x sigmoid(2u), 2u = g(x) = K (x + 0.044715 x^3) ----------
 * K = 2 sqrt(2/pi) = 1.59576912160573071; K c = 0.07135481627260024878.
 * Approximate tiers fold -K and -K c into the exponential's constants:
 * w = -g(x) = x (A + B x^2) with A = -K c1 / -K log2 e, B = -K c c1 / ...
 * Precise: g(|x|) is evaluated in double-float (hi + lo, below) because
 * e^-g amplifies an absolute error of g into the same relative error. */
#define QK_GT_K_HI_F32 0x1.988454p+0f
#define QK_GT_K_LO_F32 (-0x1.857936p-25f)
#define QK_GT_KC_HI_F32 0x1.2444f2p-4f
#define QK_GT_KC_LO_F32 0x1.49b16ap-29f
#define QK_GT_K_HI_F64 0x1.9884533d43651p+0
#define QK_GT_K_LO_F64 (-0x1.cbc0d30ebfd15p-54)
#define QK_GT_KC_HI_F64 0x1.2444f2a4d8b4bp-4
#define QK_GT_KC_LO_F64 (-0x1.6c843a29d1c70p-61)
#define QK_GT_Q1_A_F32 (-0x1.26aec2p+24f) /* -K c1 */
#define QK_GT_Q1_B_F32 (-0x1.a5a7d0p+19f) /* -K c c1 */
#define QK_GT_Q2_A_F32 (-0x1.26aec2p+1f)  /* -K log2 e */
#define QK_GT_Q2_B_F32 (-0x1.a5a7d0p-4f)  /* -K c log2 e */
#define QK_GT_Q_A_F64 (-0x1.26aec21bce759p+1)
#define QK_GT_Q_B_F64 (-0x1.a5a7cf7572a98p-4)
/* float64 folds log2 e in both orders (order 1 then subtracts sigma) */
#define QK_GT_Q1_A_F64 QK_GT_Q_A_F64
#define QK_GT_Q1_B_F64 QK_GT_Q_B_F64
#define QK_GT_Q2_A_F64 QK_GT_Q_A_F64
#define QK_GT_Q2_B_F64 QK_GT_Q_B_F64
/* precise: result rounds to 0 below (|x| sigmoid(2u) <= half the smallest
 * denormal); approximate: flushed to 0 below, where e^-g would pass 2^126
 * (2^1022); |f| there is 1.2e-37 (4.7e-307). */
#define QK_GT_XZERO_F32 (-0x1.58aaf4p+3f)          /* -10.770868 */
#define QK_GT_XZERO_F64 (-0x1.58c0d225444bcp+4)    /* -21.547075 */
#define QK_GT_XFLUSH_F32 (-0x1.400890p+3f)         /* -10.001045 */
#define QK_GT_XFLUSH_F64 (-0x1.52542fb9373f8p+4)   /* -21.145553 */
/* windows: e^-g stays normal (g <= 85 / 700) without clamps */
#define QK_GT_FAST_F32 9.9f
#define QK_GT_FAST_F64 21.0
/* precise: x beyond the window is evaluated at the clamp, then patched to x */
#define QK_GT_CLAMP_F32 9.95f
#define QK_GT_CLAMP_F64 21.1
/* precise: the fast window's upper end (x > FAST is computed at FAST there:
 * the result is x); any finite bound keeps x - x = 0 in the division step */
#define QK_GT_CORE_HI_F32 0x1p100f
#define QK_GT_CORE_HI_F64 0x1p1000

/* ---- gelu: x Phi(x), Phi(x) = erfc(-x/sqrt 2)/2 ------------------------------
 * Approximate tiers: Phi(x) ~ sigmoid(x (a + b x^2 + g x^4)), a, b, g the
 * minimax fit of the absolute error of x Phi(x) on [-12, 12]:
 * a = 1.5965385045, b = 0.0728227364, g = -0.000534717144 (max abs error
 * 7.8e-5 of the formula itself; the tanh form's is 4.7e-4).  Folded into
 * the exponential's constants as for gelu_tanh.  The polynomial is used on
 * |x| <= 7 (it is increasing there); beyond, Phi is 1 or 0 to 1.3e-12:
 * x > 7 gives x (1 - E(7)), x < -7 gives -0. */
#define QK_GELU_Q1_A_F32 (-0x1.26d322p+24f)
#define QK_GELU_Q1_B_F32 (-0x1.ae5472p+19f)
#define QK_GELU_Q1_G_F32 0x1.947416p+12f
#define QK_GELU_Q2_A_F32 (-0x1.26d322p+1f)
#define QK_GELU_Q2_B_F32 (-0x1.ae5472p-4f)
#define QK_GELU_Q2_G_F32 0x1.947416p-11f
#define QK_GELU_Q_A_F64 (-0x1.26d321565a763p+1)
#define QK_GELU_Q_B_F64 (-0x1.ae5471a1671c6p-4)
#define QK_GELU_Q_G_F64 0x1.9474169635b91p-11
/* float64 folds log2 e in both orders (order 1 then subtracts sigma) */
#define QK_GELU_Q1_A_F64 QK_GELU_Q_A_F64
#define QK_GELU_Q1_B_F64 QK_GELU_Q_B_F64
#define QK_GELU_Q1_G_F64 QK_GELU_Q_G_F64
#define QK_GELU_Q2_A_F64 QK_GELU_Q_A_F64
#define QK_GELU_Q2_B_F64 QK_GELU_Q_B_F64
#define QK_GELU_Q2_G_F64 QK_GELU_Q_G_F64
#define QK_GELU_QX_F32 7.0f
#define QK_GELU_QX_F64 7.0
#define QK_GELU_QCLAMP_F32 7.5f /* beyond the window: see consts/act.h */
#define QK_GELU_QCLAMP_F64 7.5

/* Precise float64 (kernels/gelu_f64.h; float32's table-driven form is
 * consts/gelu_f32.h): Phi(-a) = erfc(z)/2, z = a/sqrt 2, with
 *   erfc(z) = t exp(-z^2 + F(s)),  t = 1/(1 + z/2) = K2/(K2 + a),
 *   s = 2t - 1 in [-1, 1],  K2 = 2 sqrt 2,
 * F(s) = ln(erfc(z) e^(z^2)/t) smooth on the whole half line (t -> 0 as
 * z -> inf); a Chebyshev fit in s, sum |F_k| = 1.46 (well conditioned):
 * degree 28: 4.0e-18 relative to erfc (degree 12 gives 6.6e-9).
 * -z^2 = -a^2/2 is split exactly as hh + hl (FMA) and enters the
 * exponential's reduction in pieces, so its rounding never reaches e^. */
#define QK_GELU_K2_F64 0x1.6a09e667f3bcdp+1
/* float64, F0 .. F28 */
#define QK_GELU_F_F64                                                                       \
    {-0x1.57f564e956ebep-1, 0x1.5864b151b8570p-1,  0x1.83d61c52414c6p-5,  -0x1.802b39089a850p-5, \
     -0x1.43821ef9deb7dp-7, 0x1.212cf33ef45aep-7,  0x1.cd18086a78636p-10, -0x1.337867f21e95dp-9, \
     -0x1.32b3aebe0048cp-13, 0x1.6133a3376efe1p-11, -0x1.89274ad539c07p-14, -0x1.6d8a2ff1760fap-13, \
     0x1.2b7a9c673fa3cp-14, 0x1.0a4c54cc5c2e7p-15, -0x1.fa7cf609a48efp-16, 0x1.2790b8ec9746ap-23,  \
     0x1.1f68b4ade0cd0p-17, -0x1.8ba63c88abe6ep-19, -0x1.56d74dd1b000bp-20, 0x1.4f7e8bc104d06p-20, \
     -0x1.5d39d9f0587efp-23, -0x1.0bca4a4a3ad4bp-22, 0x1.3ed7f7681167fp-23, 0x1.70cc8d2064b00p-30, \
     -0x1.39cf1246eb39ap-25, 0x1.810b19bbff30ap-27, 0x1.ba53754371178p-29, -0x1.0478c1ed4177ap-29, \
     0x1.080cec3b30728p-33}
#define QK_GELU_NF_F64 29
/* precise: result rounds to 0 below; windows: 2^n normal, x Phi(x) normal
 * (normal from -13.146 / -37.616); x > 9: Phi(-x) < 2^-60, gelu(x) = x. */
#define QK_GELU_XZERO_F32 (-0x1.cb64eap+3f)         /* -14.356069 */
#define QK_GELU_XZERO_F64 (-0x1.34a4208ec1ea4p+5)   /* -38.580140 */
#define QK_GELU_FAST_LO_F32 (-13.0f)
#define QK_GELU_FAST_LO_F64 (-37.0)
#define QK_GELU_XONE 9.0
#define QK_GELU_XCLAMP 9.5

#endif
