/* Constants of the activation kernels (sigmoid, silu, tanh, gelu_tanh, gelu).
 * tools/derive_activation_constants.py recomputes every value (mpmath) and
 * prints the error figures quoted here; docs/design.md explains the methods.
 * The exponential constants themselves (c0, c1, log2 e, ln2 hi/lo, the
 * polynomials) are exp's, from consts/exp.h: the activations fold their input
 * scale into them (QuAKE folding), e.g. sigmoid's E = e^-x is order 1 with
 * c1' = -c1. */
#ifndef QUAKE_CONSTS_ACT_H
#define QUAKE_CONSTS_ACT_H

#include "quake/consts/exp.h"

/* ---- approximate tiers: the range of E = e^w (w = -x, -2|x|, -2u, ...) ----
 * E is clamped to [2^-126, 2^126] (f32) / [2^-1022, 2^1022] (f64), so
 * 1/(1 + E) stays a normal number and no lane can overflow.  In order-1
 * units (the integer that becomes E's bits) that is [2^23, 253*2^23]; in
 * order-2 units (t = w log2 e) it is [-126, 126]. */
#define QK_ACT_Q1_VMIN_F32 0x1p+23f
#define QK_ACT_Q1_VMAX_F32 2122317824.0f /* 253 * 2^23: bits of 2^126 */
#define QK_ACT_TMAX_F32 126.0f
#define QK_ACT_TMAX_F64 1022.0
/* -w at which E reaches 2^126 (2^1022): ln(2^126) = 87.33654475 (f32),
 * ln(2^1022) = 708.3964185 (f64).  The approximate tiers flush results
 * below it to 0 (and report underflow), like exp's order 1/2 do. */
#define QK_ACT_WMAX_F32 87.33654f
#define QK_ACT_WMAX_F64 708.39641853226408

/* ---- sigmoid / silu ----
 * precise: sigmoid(x) = num / (1 + e), e = e^-|x|, num = 1 (x > 0) or e;
 * silu(x) = x num / (1 + e).  Results round to 0 below:
 *   sigmoid: exp's XZERO (sigmoid(x) = e^x (1 - e^x + ...));
 *   silu: x e^x <= 2^-150 (f32) / 2^-1075 (f64). */
#define QK_SILU_XZERO_F32 (-0x1.b2a428p+6f)          /* -108.66031 */
#define QK_SILU_XZERO_F64 (-0x1.77e0b87f54f95p+9)    /* -751.75563 */

/* ---- num / (1 + e), e in [0, 1], with one correction step
 * (qk_act_div1p, kernels/act_exp.h) ----
 * The step's weight w(e) ~ 1/(1 + e) is the linear minimax in relative
 * error: g(e) = (a + b e)(1 + e) - 1 equioscillates at e = 0, 1/2, 1 for
 * b = -a/2 and 9a/8 - 1 = 1 - a, so w(e) = (16 - 8 e)/17, within 1/17 =
 * 5.9% of 1/(1 + e).  Its error moves the result by 5.9% of a correction
 * of at most an ULP or so.  Below ELO, 1 + e rounds to 1 (the quotient is
 * num itself) and the residual's product y e would be denormal, which
 * costs a microcode assist on x86 (measured 15x on a multiply): the step
 * is dropped there. */
#define QK_ACT_DIV_W0_F32 0x1.e1e1e2p-1f  /* 16/17 */
#define QK_ACT_DIV_W1_F32 -0x1.e1e1e2p-2f /* -8/17 */
#define QK_ACT_DIV_W0_F64 0x1.e1e1e1e1e1e1ep-1
#define QK_ACT_DIV_W1_F64 -0x1.e1e1e1e1e1e1ep-2
#define QK_ACT_DIV_ELO_F32 0x1p-30f
#define QK_ACT_DIV_ELO_F64 0x1p-60

/* ---- tanh ----
 * precise, float64: tanh|x| = -m / (2 + m), m = expm1(-2|x|) =
 * s (r p(r)) + (s - 1) from exp's reduction (s = 2^n exact), so no
 * cancellation near 0; float32: the table of consts/tanh_f32.h.
 * |tanh| rounds to 1 for |x| > 9.010913 (f32) / 19.061547 (f64): |x| is
 * clamped just above (the result there is exactly 1). */
#define QK_TANH_AMAX_F32 9.1f
#define QK_TANH_AMAX_F64 19.1
/* approximate tiers: (1 - E)/(1 + E), E = e^-2|x|, amplifies E's relative
 * error d by 1/sinh(2|x|); below A0 an odd polynomial |x| (1 + c x^2)
 * (minimax relative on [0, A0]) is used instead, and past A0 the result is
 * max(exp form, P(A0)) so the join is monotonic.
 *   order 1: A0 = 0.6, c = -0.297919 (poly 0.26%; exp form <= 3%/sinh 1.2 = 2.0%)
 *   order 2: A0 = 0.5, c = -0.30789 (poly 0.13%; exp form <= 0.34%/sinh 1 = 0.29%) */
#define QK_TANH_Q1_A0 0.6f
#define QK_TANH_Q1_C (-0.297919f)
#define QK_TANH_Q2_A0 0.5f
#define QK_TANH_Q2_C (-0.30789f)
/* P(A0) = A0 (1 + c A0^2) as the kernels round it (round to nearest), a
 * literal so that no target folds it in another rounding mode: the floor of
 * the exp form past A0. */
#define QK_TANH_Q1_PA0_F32 0x1.1240a6p-1f
#define QK_TANH_Q1_PA0_F64 0x1.1240a71837929p-1
#define QK_TANH_Q2_PA0_F32 0x1.d89710p-2f
#define QK_TANH_Q2_PA0_F64 0x1.d8970f8000000p-2
/* |x| clamp of the approximate tiers: e^-2|x| stays >= 2^-126 up to 43.6;
 * tanh is 1 far before. */
#define QK_TANH_QAMAX_F32 43.0f
#define QK_TANH_QAMAX_F64 350.0
/* The clamps sit a little beyond the windows (whose edges bound the
 * patches to exactly +-1): a lane at a window's edge is then computed, not
 * taken from a clamp constant the compiler could fold at build time. */
#define QK_TANH_QCLAMP_F32 43.5f
#define QK_TANH_QCLAMP_F64 351.0
#define QK_TANH_CLAMP_F32 9.5f
#define QK_TANH_CLAMP_F64 19.5

#endif
