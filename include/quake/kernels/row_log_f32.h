/* log S for the float32 row ops (log_softmax's L = log S, logsumexp's
 * m + log S), in float64 on vectors: a group of rows one per lane
 * (softmax_lanes_f32.h) takes one evaluation for all of them, and a single
 * row (qk_row_fin_f32, qk_logsumexp_value_f32) the same operations on one
 * lane, so every path and target gives the same bits.  For S >= 0.97 (the
 * row maximum contributes exp(0) = 1, less order 1's 3%) and finite.
 *
 * S = 2^e m with m in [sqrt(1/2), sqrt 2): e = (bits(S) - bits(sqrt(1/2)))
 * >> 52 (non-negative for S >= sqrt(1/2)), m's bits = bits(S) - (e << 52).
 * log m = 2 atanh(u) = 2u + 2u w P(w), u = (m - 1)/(m + 1) (m - 1 exact by
 * Sterbenz), w = u^2 <= 0.0295, P(w) = sum_k w^k / (2k + 3), k = 0..8: the
 * first term left out, 2u w^9 / 21, is 2.3e-17 of log m.  log S =
 * e ln2 + log m, one fma (ln 2 rounded to nearest: consts/exp.h's
 * QK_LN2_HI_F64).  Error: a few float64 ULPs, far below the float32 results'
 * rounding; the bits differ from libm's log only where the float64 value
 * sits within those ULPs of a float32 rounding boundary. */
#ifndef QUAKE_KERNELS_ROW_LOG_F32_H
#define QUAKE_KERNELS_ROW_LOG_F32_H

#include "quake/consts/exp.h"

#define QK_ROWLOG_SQRTH 0x1.6a09e667f3bcdp-1 /* sqrt(1/2), rounded */

QK_INLINE vd qk_row_log_f32(vd S)
{
    /* 1/(2k + 3) for k = 8 .. 0, rounded to nearest */
    static const double p[9] = {0x1.af286bca1af28p-5, 0x1.e1e1e1e1e1e1ep-5, 0x1.1111111111111p-4,
                                0x1.3b13b13b13b14p-4, 0x1.745d1745d1746p-4, 0x1.c71c71c71c71cp-4,
                                0x1.2492492492492p-3, 0x1.999999999999ap-3, 0x1.5555555555555p-2};
    const vl b = vd_as_vl(S);
    const vl e = vl_shru(vl_sub(b, vd_as_vl(vd_set(QK_ROWLOG_SQRTH))), 52);
    const vd m = vl_as_vd(vl_sub(b, vl_shl(e, 52)));
    /* e as a double: 2^52 + e has e in its low mantissa bits */
    const vd ed = vd_sub(vl_as_vd(vl_add(e, vd_as_vl(vd_set(0x1p52)))), vd_set(0x1p52));
    const vd f = vd_sub(m, vd_set(1.0));
    const vd u2 = vd_div(vd_add(f, f), vd_add(m, vd_set(1.0))); /* 2u */
    const vd w = vd_mul(vd_mul(u2, u2), vd_set(0.25));
    vd q = vd_set(p[0]);
    for (int k = 1; k < 9; k++)
        q = vd_fma(q, w, vd_set(p[k]));
    return vd_fma(ed, vd_set(QK_LN2_HI_F64), vd_fma(vd_mul(u2, w), q, u2));
}

/* the same on one value (a row at a time) */
QK_INLINE double qk_row_log1_f32(double S)
{
    double out[QK_WD];
    vd_store(out, qk_row_log_f32(vd_set(S)));
    return out[0];
}

#endif
