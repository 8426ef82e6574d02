/* float32 exponential: what differs from float64 (exp.h has the kernels).
 * Constants and their derivations: consts/exp.h. */
#ifndef QUAKE_KERNELS_EXP_F32_H
#define QUAKE_KERNELS_EXP_F32_H

#include "quake/consts/exp.h"

/* The float32 pieces of exp.h's kernels (exp.h is the float64 side's
 * interface too: same names, _f64, in exp_f64.h). */

/* ---- order 1: one FMA, one conversion ---- */
/* The bit pattern int(v) as a float, for v = c1*x + c0 already formed
 * (c0 may fold an affine shift of x: softmax folds -c1*max into it). */
QK_INLINE vf qk_exp_q1_f32_bits(vf v) { return vi_as_vf(vf_cvtt(v)); }
/* exp.h's order 1: E(u), u = x QK_EXP_Q1_K + QK_EXP_Q1_B; the full range's clamp */
#define QK_EXP_Q1_K_F32 QK_EXP_Q1_C1_F32
#define QK_EXP_Q1_B_F32 QK_EXP_Q1_C0_F32
QK_INLINE vf qk_exp_q1_f32(vf u) { return qk_exp_q1_f32_bits(u); }
QK_INLINE vf qk_exp_q1_clamp_f32(vf u) { return vf_max(u, vf_set(QK_EXP_Q1_VMIN_F32)); }

/* ---- order 2: floor split + continuity-preserving quadratic ---- */
QK_INLINE vf qk_exp_q2_f32_eval(vf t)
{
    vf n = vf_floor(t);
    vf f = vf_sub(t, n); /* exact */
    vf p = vf_fma(vf_fma(f, vf_set(QK_THIRD_F32), vf_set(QK_TWO_THIRDS_F32)), f, vf_set(1.0f));
    /* p * 2^n by adding n to the exponent field (n + magic: see consts) */
    vi e = vi_shl(vf_as_vi(vf_add(n, vf_set(QK_MAGIC_F32))), 23);
    return vi_as_vf(vi_add(vf_as_vi(p), e));
}

/* ---- the activations' exponential (act_exp_f32.h): Cody-Waite
 * reduction + degree-5 polynomial, e^x = (1 + r p(r)) 2^n ---- */
/* r = x - n ln2 (exact first step), n = round(x log2 e) as *z = n + magic */
QK_INLINE vf qk_exp_p_f32_r(vf x, vf *z)
{
    *z = vf_fma(x, vf_set(QK_LOG2E_F32), vf_set(QK_MAGIC_BIASED_F32));
    vf n = vf_sub(*z, vf_set(QK_MAGIC_BIASED_F32));
    vf r = vf_fma(n, vf_set(-QK_LN2_HI_F32), x);
    return vf_fma(n, vf_set(-QK_LN2_LO_F32), r);
}
QK_INLINE vf qk_exp_p_f32_poly(vf r) /* p(r): e^r = 1 + r p(r) */
{
    vf p = vf_fma(vf_set(QK_EXP_P5_F32), r, vf_set(QK_EXP_P4_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P3_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P2_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_P1_F32));
    return vf_fma(p, r, vf_set(QK_EXP_P0_F32));
}
/* Returns q = e^r in [0.70, 1.42] and z = n + magic (n = round(x log2 e)). */
QK_INLINE vf qk_exp_p_f32_reduce(vf x, vf *z)
{
    vf r = qk_exp_p_f32_r(x, z);
    return vf_fma(r, qk_exp_p_f32_poly(r), vf_set(1.0f));
}

/* ---- precise exp: 16-entry table + degree-3 polynomial (consts/exp.h) ----
 * e^x = 2^m T_j (1 + w), k = round(x 16/ln2) = 16 m + j.
 * Reduction: returns r = x - k ln2/16; *z = k + 1.5*2^23, so the low bits
 * of *z hold k (two's complement, |k| <= 2400 for every x that reaches
 * here) and the table index is those bits & 15 whatever x is. */
QK_INLINE vf qk_exp_t_f32_r(vf x, vf *z)
{
    *z = vf_fma(x, vf_set(QK_EXP_INVLN2N_F32), vf_set(QK_MAGIC_F32));
    vf k = vf_sub(*z, vf_set(QK_MAGIC_F32));
    vf r = vf_fma(k, vf_set(-QK_EXP_LN2N_HI_F32), x); /* exact: HI has 12 bits */
    return vf_fma(k, vf_set(-QK_EXP_LN2N_LO_F32), r);
}

/* w = D_j + r (c1 + r (c2 + c3 r)), e^r 2^(j/16) = T_j (1 + w) for
 * |r| <= ln2/32 (1 + 2^-8); *t = bits(T_j) - (j << 19) (j from z). */
QK_INLINE vf qk_exp_t_f32_w(vf z, vf r, vf *t)
{
    vf d;
    vf_lut16x2(qk_exp_tab_f32, vf_as_vi(z), t, &d);
    vf p = vf_fma(vf_set(QK_EXP_C3_F32), r, vf_set(QK_EXP_C2_F32));
    p = vf_fma(p, r, vf_set(QK_EXP_C1_F32));
    return vf_fma(p, r, d);
}

/* 2^m T_j = bits(t + (k << 19)) (the low bits of z hold k = 16 m + j):
 * exact, normal for m in [-126, 127] */
QK_INLINE vf qk_exp_t_f32_scale(vf t, vf z)
{
    return vi_as_vf(vi_add(vf_as_vi(t), vi_shl(vf_as_vi(z), 19)));
}

QK_INLINE vf qk_exp2i_f32(vf n) /* 2^n for integer n in [-126, 127] */
{
    return vi_as_vf(vi_shl(vf_as_vi(vf_add(n, vf_set(QK_MAGIC_BIASED_F32))), 23));
}
#define QK_DEFINE_EXP_F32(name) QK_DEFINE_UNARY_F32(name, exp, QK_EXP_FAST_LO_F32, QK_EXP_FAST_HI_F32)

#endif
