/* Constants of the exponential kernels.  Every value is derived, with its
 * error analysis, by tools/derive_constants.py; docs/design.md explains them.
 * Hex float literals are exact. */
#ifndef QUAKE_CONSTS_EXP_H
#define QUAKE_CONSTS_EXP_H

/* ---- range thresholds (exact float thresholds, found in high precision) --- */
/* largest x whose exp() is finite:                    f32 88.72283  f64 709.7827 */
#define QK_EXP_XMAX_F32 0x1.62e42ep+6f
#define QK_EXP_XMAX_F64 0x1.62e42fefa39efp+9
/* smallest x whose exp() is >= the smallest normal:  f32 -87.33654 f64 -708.3964 */
#define QK_EXP_XNORM_F32 (-0x1.5d589ep+6f)
#define QK_EXP_XNORM_F64 (-0x1.6232bdd7abcd2p+9)
/* largest x whose exp() rounds to zero:               f32 -103.9721 f64 -745.1332 */
#define QK_EXP_XZERO_F32 (-0x1.9fe36ap+6f)
#define QK_EXP_XZERO_F64 (-0x1.74910d52d3052p+9)
/* float16: largest x with exp(x) < 65520 (rounds to a finite half), and
 * smallest x with exp(x) >= 2^-14 (the smallest normal half). */
#define QK_EXP_XMAX_F16 11.0859375f
#define QK_EXP_XNORM_F16 (-9.703125f)

#define QK_LOG2E_F32 0x1.715476p+0f
#define QK_LOG2E_F64 0x1.71547652b82fep+0

/* Adding 1.5*2^23 (f32) or 1.5*2^52 (f64) to an integer-valued float puts the
 * integer, offset by 2^22 (2^51), into the low mantissa bits; shifting those
 * bits left by 23 (52) discards the offset and lands the integer in the
 * exponent field.  Adding the bias first gives 2^n in two instructions. */
#define QK_MAGIC_F32 0x1.8p+23f
#define QK_MAGIC_F64 0x1.8p+52
#define QK_MAGIC_BIASED_F32 (0x1.8p+23f + 127.0f)  /* exact: 12583039 */
#define QK_MAGIC_BIASED_F64 (0x1.8p+52 + 1023.0)

/* ---- order 1 (QuAKE): y = bits(int(c1*x + c0)) ----------------------------
 * c1 = 2^23/ln2.  With s = 0 the bit pattern is 2^floor(t)*(1 + frac(t)),
 * t = x*log2(e), which lies in [1, M] * e^x, M = 1.0615 (at frac = 1/ln2 - 1).
 * Scaling by 2^-sigma with 2^-sigma = 2/(1+M) centres the error:
 * sigma = 0.0436774489, max |rel err| = (M-1)/(M+1) = 2.9821%.
 * c0 = 127*2^23 - sigma*2^23 = 1064986823.003; float32 rounds it to a
 * multiple of 64 and the conversion truncates: both move the error by < 1e-5
 * (relative), far inside the 3.0% bound.  float64 has no packed
 * double->int64 conversion on AVX2, so its order 1 evaluates the identical
 * piecewise-linear function as 2^n * (1 + f) with t shifted by sigma. */
#define QK_EXP_Q1_C1_F32 12102203.0f
#define QK_EXP_Q1_C0_F32 1064986823.0f
#define QK_EXP_Q1_SIGMA_F64 0.043677448903601848
/* v = c1*x + c0 is clamped to >= 2^23 (the smallest normal's bits) in the
 * sliver x in [XNORM, -87.306] where the shifted line dips below it. */
#define QK_EXP_Q1_VMIN_F32 0x1p+23f

/* ---- order 2 (QuAKE2): y = 2^n * p(f), n = floor(x log2 e), f in [0,1) ----
 * p(f) = (f/3 + 2/3) f + 1: p(0) = 1, p(1) = 2 (continuous across octaves),
 * p'(1) = 2 p'(0) (continuous slope), rel err in [-0.187%, +0.341%]. */
#define QK_THIRD_F32 0x1.555556p-2f
#define QK_TWO_THIRDS_F32 0x1.555556p-1f
#define QK_THIRD_F64 0x1.5555555555555p-2
#define QK_TWO_THIRDS_F64 0x1.5555555555555p-1
/* t is clamped to [-126, largest float below 128] (f32) / [-1022, largest
 * double below 1024] (f64) so
 * that n stays in the normal exponent range for x in [XNORM, XMAX]. */
#define QK_EXP_TMIN_F32 (-126.0f)
#define QK_EXP_TMAX_F32 0x1.fffffep+6f
#define QK_EXP_TMIN_F64 (-1022.0)
#define QK_EXP_TMAX_F64 0x1.fffffffffffffp+9

/* ---- precise --------------------------------------------------------------
 * n = round(x log2 e), r = x - n ln2 with ln2 = LN2_HI + LN2_LO (Cody-Waite;
 * with FMA the first step is exact), e^r = 1 + r p(r), y = (1 + r p) * 2^n.
 * float32 (the activations' exponential, act_exp_f32.h; exp itself is
 * table-driven, below): p of degree 5, Lawson minimax of the relative
 * error on |r| <= ln2/2 (1+2^-10): 1.99e-9, so the float32 rounding
 * dominates.  float64 exp: a 16-entry table and a degree-6 polynomial, below.  float64
 * tanh (its expm1: s - 1 is exact for s = 2^n) and gelu keep this table-free
 * construction (no lookup: on AVX2 the table measured 10-13% slower for
 * them, on AVX-512 within 5%, both behind their divisions): p of degree 10,
 * Chebyshev fit of expm1(r)/r, 1.8e-17 absolute. */
#define QK_LN2_HI_F32 0x1.62e43p-1f
#define QK_LN2_LO_F32 (-0x1.05c61p-29f)
#define QK_LN2_HI_F64 0x1.62e42fefa39efp-1
#define QK_LN2_LO_F64 0x1.abc9e3b39803fp-56

#define QK_EXP_P0_F32 0x1p+0f
#define QK_EXP_P1_F32 0x1.fffffcp-2f
#define QK_EXP_P2_F32 0x1.555418p-3f
#define QK_EXP_P3_F32 0x1.555826p-5f
#define QK_EXP_P4_F32 0x1.12682ap-7f
#define QK_EXP_P5_F32 0x1.6ae692p-10f

#define QK_EXP_P0_F64 0x1.0000000000000p+0
#define QK_EXP_P1_F64 0x1.0000000000005p-1
#define QK_EXP_P2_F64 0x1.5555555555557p-3
#define QK_EXP_P3_F64 0x1.5555555552045p-5
#define QK_EXP_P4_F64 0x1.11111111100bep-7
#define QK_EXP_P5_F64 0x1.6c16c17f607f0p-10
#define QK_EXP_P6_F64 0x1.a01a01abf7ed6p-13
#define QK_EXP_P7_F64 0x1.a019a60f0c199p-16
#define QK_EXP_P8_F64 0x1.71de01ff19a6bp-19
#define QK_EXP_P9_F64 0x1.28a31fb1b61e4p-22
#define QK_EXP_P10_F64 0x1.af4e5274a366cp-26

/* ---- precise float64 exp: 16-entry table + degree-6 polynomial -----------
 * k = round(x 16/ln2) = 16 m + j, r = x - k ln2/16 (Cody-Waite: HI + LO,
 * exact first step with FMA), |r| <= ln2/32;
 * e^x = 2^m T_j (1 + tmp), tmp = D_j + r + r^2 (T2 + T3 r + ... + T6 r^4),
 * T_j = 2^(j/16) rounded, D_j its relative tail.  2^m T_j comes from one
 * integer add: qk_exp_tab_f64[2j] holds bits(T_j) - (j << 48), so adding
 * k << 48 gives bits(T_j) + (m << 52).  Everything below is printed by
 * tools/derive_exp_table_f64.py (minimax of the relative error of
 * 1 + r + r^2 P(r), re-measured after rounding the coefficients to double).
 * Why 16: the pairs fit four AVX-512 registers (one vpermi2pd per lookup);
 * 32 entries save one FMA but need two permutes and a blend per lookup,
 * which measured slower on Zen 4.  Error: final rounding 0.5 ulp, the
 * polynomial <= 0.11 ulp, the tails' second-order term and the rounding of
 * D_j + r < 0.03 ulp: 0.64 ulp measured where the result is normal. */
/* table-driven float64 (16 entries, degree 6) */
#define QK_EXP_TAB_N_F64 16
#define QK_EXP_INVLN2N_F64 0x1.71547652b82fep+4  /* N/ln2 */
#define QK_EXP_LN2N_HI_F64 0x1.62e42fefa39efp-5  /* ln2/N = HI + LO */
#define QK_EXP_LN2N_LO_F64 0x1.abc9e3b39803fp-60
/* exp: max rel err of 1 + r + r^2 P(r) against e^r on |r| <= 0.021745462: 2^-56.2 */
#define QK_EXP_T2_F64 0x1.fffffffffffb7p-2
#define QK_EXP_T3_F64 0x1.555555548c6cfp-3
#define QK_EXP_T4_F64 0x1.555555590b661p-5
#define QK_EXP_T5_F64 0x1.11123d02f1dbfp-7
#define QK_EXP_T6_F64 0x1.6c14c2ea886dbp-10
/* (against e^r - 1 it reaches only 2^-49.7: not an expm1) */
/* pairs {bits(T_j) - (j << 48), D_j}: T_j = 2^(j/16) rounded to nearest,
 * D_j = (2^(j/16) - T_j) / T_j rounded (|D_j| < 2^-53) */
static const double qk_exp_tab_f64[32] = {
    0x1.0000000000000p+0, 0x0.0p+0,  /* T = 0x1.0000000000000p+0 */
    0x1.fb5586cf9890fp-1, 0x1.79aa65d837b6dp-54,  /* T = 0x1.0b5586cf9890fp+0 */
    0x1.f72b83c7d517bp-1, -0x1.01b15eaa59348p-55,  /* T = 0x1.172b83c7d517bp+0 */
    0x1.f387a6e756238p-1, 0x1.68efde3a8a894p-54,  /* T = 0x1.2387a6e756238p+0 */
    0x1.f06fe0a31b715p-1, 0x1.34d754db0abb6p-55,  /* T = 0x1.306fe0a31b715p+0 */
    0x1.edea64c123422p-1, 0x1.59f48a72a4c6dp-55,  /* T = 0x1.3dea64c123422p+0 */
    0x1.ebfdad5362a27p-1, 0x1.690cebb7aafb0p-56,  /* T = 0x1.4bfdad5362a27p+0 */
    0x1.eab07dd485429p-1, 0x1.063e1e21c5409p-54,  /* T = 0x1.5ab07dd485429p+0 */
    0x1.ea09e667f3bcdp-1, -0x1.3b3efbf5e2228p-54,  /* T = 0x1.6a09e667f3bcdp+0 */
    0x1.ea11473eb0187p-1, -0x1.b32dcb94da51dp-56,  /* T = 0x1.7a11473eb0187p+0 */
    0x1.eace5422aa0dbp-1, 0x1.db72fc1f0eab4p-55,  /* T = 0x1.8ace5422aa0dbp+0 */
    0x1.ec49182a3f090p-1, 0x1.1affc2b91ce27p-56,  /* T = 0x1.9c49182a3f090p+0 */
    0x1.ee89f995ad3adp-1, 0x1.c1a7792cb3387p-55,  /* T = 0x1.ae89f995ad3adp+0 */
    0x1.f199bdd85529cp-1, 0x1.36eae30af0cb3p-56,  /* T = 0x1.c199bdd85529cp+0 */
    0x1.f5818dcfba487p-1, 0x1.4a385a63d07a7p-56,  /* T = 0x1.d5818dcfba487p+0 */
    0x1.fa4afa2a490dap-1, -0x1.ff7128fd391f0p-55,  /* T = 0x1.ea4afa2a490dap+0 */
};
/* max |D_j| = 2^-53.44 */

/* ---- precise float32 exp: 16-entry table + degree-3 polynomial -----------
 * k = round(x 16/ln2) = 16 m + j, r = x - k ln2/16 (Cody-Waite: HI with 12
 * bits, so k HI is exact for |k| < 2^12, + LO), |r| <= ln2/32;
 * e^x = 2^m T_j (1 + w), w = D_j + r (c1 + r (c2 + c3 r)), T_j = 2^(j/16)
 * rounded to float32, D_j its relative tail (without it T_j alone costs up
 * to 0.5 ULP).  2^m T_j is one integer add: qk_exp_tab_f32[j] holds
 * bits(T_j) - (j << 19), so adding k << 19 gives bits(T_j) + (m << 23);
 * the result is y = s + s w, one FMA: 7 FMA-class operations and two
 * in-register lookups (vf_lut16x2) against the degree-5 form's 10.
 * Everything below is printed by tools/derive_exp_table_f32.py (Lawson
 * minimax of the relative error of 1 + c1 r + c2 r^2 + c3 r^3, re-measured
 * after rounding the coefficients to float32).  Error: final rounding
 * 0.5 ULP, the polynomial 2^-29.2, D_j's rounding 2^-48, the dropped
 * D_j (e^r - 1) 2^-30.5, the roundings of w and r below 2^-29. */
/* table-driven float32 (16 entries, degree 3) */
#define QK_EXP_TAB_N_F32 16
#define QK_EXP_INVLN2N_F32 0x1.715476p+4f  /* N/ln2 */
#define QK_EXP_LN2N_HI_F32 0x1.62ep-5f  /* ln2/N = HI + LO, HI: 12 bits */
#define QK_EXP_LN2N_LO_F32 0x1.0bfbe8p-19f
/* max rel err of 1 + c1 r + c2 r^2 + c3 r^3 against e^r on |r| <= 0.021745462: 2^-29.2 */
#define QK_EXP_C1_F32 0x1p+0f
#define QK_EXP_C2_F32 0x1.000224p-1f
#define QK_EXP_C3_F32 0x1.555234p-3f
/* {bits(T_j) - (j << 19)} for j < 16, then D_j: T_j = 2^(j/16) rounded to
 * nearest float32, D_j = (2^(j/16) - T_j) / T_j rounded (|D_j| < 2^-24) */
static const float qk_exp_tab_f32[32] = {
    0x1p+0f,  /* T = 0x1p+0 */
    0x1.fb5586p-1f,  /* T = 0x1.0b5586p+0 */
    0x1.f72b84p-1f,  /* T = 0x1.172b84p+0 */
    0x1.f387a6p-1f,  /* T = 0x1.2387a6p+0 */
    0x1.f06fep-1f,  /* T = 0x1.306fep+0 */
    0x1.edea64p-1f,  /* T = 0x1.3dea64p+0 */
    0x1.ebfdaep-1f,  /* T = 0x1.4bfdaep+0 */
    0x1.eab07ep-1f,  /* T = 0x1.5ab07ep+0 */
    0x1.ea09e6p-1f,  /* T = 0x1.6a09e6p+0 */
    0x1.ea1148p-1f,  /* T = 0x1.7a1148p+0 */
    0x1.eace54p-1f,  /* T = 0x1.8ace54p+0 */
    0x1.ec4918p-1f,  /* T = 0x1.9c4918p+0 */
    0x1.ee89fap-1f,  /* T = 0x1.ae89fap+0 */
    0x1.f199bep-1f,  /* T = 0x1.c199bep+0 */
    0x1.f5818ep-1f,  /* T = 0x1.d5818ep+0 */
    0x1.fa4afap-1f,  /* T = 0x1.ea4afap+0 */
    0x0p+0f,
    0x1.8d96d4p-25f,
    -0x1.9c0c22p-27f,
    0x1.964904p-25f,
    0x1.125002p-25f,
    0x1.370be4p-25f,
    -0x1.0a355p-25f,
    -0x1.00d8acp-27f,
    0x1.26055cp-26f,
    -0x1.05cb44p-25f,
    0x1.67a1cap-28f,
    0x1.a3b5e4p-28f,
    -0x1.f9c304p-27f,
    -0x1.6961b4p-28f,
    -0x1.a5217cp-28f,
    0x1.61428ep-28f,
};
/* max |D_j| = 2^-24.33 */

/* ---- fast-path windows ----------------------------------------------------
 * Inside [LO, HI] no clamp, flush or special value can occur, so the kernels
 * skip those steps for whole vectors (the full path gives identical bits
 * there: its extra steps are identities on that range).  The window holds
 * under any rounding mode: even rounded upward, round(88 log2 e) = 127, so
 * the precise tier's single scale factor 2^n stays finite. */
#define QK_EXP_FAST_LO_F32 (-87.0f)
#define QK_EXP_FAST_HI_F32 88.0f
#define QK_EXP_FAST_LO_F64 (-708.0)
#define QK_EXP_FAST_HI_F64 709.0
/* float64 exp's unary kernels test |x| <= 708 (one compare a vector) */
#define QK_EXP_FAST_ABS_F64 708.0

#endif
