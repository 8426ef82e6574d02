/* The precise float64 gelu's Phi(-a) (kernels/gelu.h calls it through the
 * per-type name; gelu_f32.h has float32's): Phi(-a) = t/2 exp(-a^2/2 + F(s)),
 * t = K2/(K2 + a), s = 2t - 1, F of degree 28 (consts/gelu.h), one division
 * and one exponential whose argument enters the reduction in exact pieces. */
#ifndef QUAKE_KERNELS_GELU_F64_H
#define QUAKE_KERNELS_GELU_F64_H

QK_INLINE vd qk_gelu_F_f64(vd s)
{
    static const double c[QK_GELU_NF_F64] = QK_GELU_F_F64;
    vd p = vd_set(c[QK_GELU_NF_F64 - 1]);
    for (int k = QK_GELU_NF_F64 - 2; k >= 0; k--)
        p = vd_fma(p, s, vd_set(c[k]));
    return p;
}

/* Phi(-a) = hq 2^n, n as *z (a in [0, 38.6]) */
QK_INLINE vd qk_gelu_phi_f64(vd a, vd *z)
{
    vd t = vd_div(vd_set(QK_GELU_K2_F64), vd_add(vd_set(QK_GELU_K2_F64), a));
    vd f = qk_gelu_F_f64(vd_fma(t, vd_set(2), vd_set(-1)));
    vd ha = vd_mul(a, vd_set(0.5));
    vd hh = vd_mul(ha, a); /* a^2/2 = hh + hl exactly */
    vd hl = vd_fma(ha, a, vd_or_sign(hh, vd_set(-1)));
    /* n = round((f - hh) log2 e); r = ((-hh - n ln2_hi) + f - n ln2_lo) - hl */
    *z = vd_fma(vd_sub(f, hh), vd_set(QK_LOG2E_F64), vd_set(QK_MAGIC_BIASED_F64));
    vd n = vd_sub(*z, vd_set(QK_MAGIC_BIASED_F64));
    vd r = vd_fma(n, vd_set(-QK_LN2_HI_F64), vd_or_sign(hh, vd_set(-1))); /* exact */
    r = vd_add(r, f);
    r = vd_fma(n, vd_set(-QK_LN2_LO_F64), r);
    r = vd_sub(r, hl);
    vd q = vd_fma(r, qk_act_poly_f64(r), vd_set(1));
    return vd_mul(vd_mul(t, vd_set(0.5)), q);
}

#endif
