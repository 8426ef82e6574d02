/* The precise float64 tanh core (kernels/tanh.h calls it through the
 * per-type name; tanh_f32.h has float32's): -m / (2 + m), m = expm1(-2a)
 * from exp's reduction (act_exp_f64.h), a = |x|: relative accuracy
 * everywhere, down to tanh(x) = x for tiny x. */
#ifndef QUAKE_KERNELS_TANH_F64_H
#define QUAKE_KERNELS_TANH_F64_H

QK_INLINE vd qk_tanh_precise_f64(vd x, vd a)
{
    vd m = qk_act_expm1_f64(vd_mul(a, vd_set(-2))); /* in (-1, 0] */
    vd y = vd_div(vd_abs(m) /* -m */, vd_add(vd_set(2), m));
    return vd_or_sign(y, x);
}

#endif
