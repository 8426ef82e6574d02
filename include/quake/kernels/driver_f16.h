/* Loop driver for the float16 kernels: one pass per vector of halves.
 *
 * Each step widens QK_WF halves to float32 (exact), runs the op's float32
 * core/full as qk_drive_unary_f32 does (two vectors per step, core when
 * both lie in the window), applies the op's float16 fix-up
 * (kernels/f16_fix.h: edge patches and/or the overflow/underflow status of
 * the float32 result) and rounds back to half.  This is the float32 kernel
 * composed with the h2f/f2h conversions and the fix-up, bit for bit,
 * without the round trips through memory.
 *
 * Two windows: the float32 kernel's [lo, hi] (core or full, as there), and
 * inside it the op's float16 window [lo16, hi16] less the hole |x| < hole
 * (f16_ops.h), where a lighter fix-up, fix_in, is exact (e.g. no status can
 * arise there); elsewhere fix_full runs.  Underflow follows the rule of
 * consts/underflow.h with the op's float16 threshold (tail), decided from
 * the widened inputs of every vector that does not take fix_in (the float16
 * window never holds such inputs: it starts at the tail).  A row without a float16 window
 * (lo16, hi16 = lo, hi and no hole) tests only the first.
 *
 * The tail (n % W halves) is copied into a zero-filled vector-sized buffer
 * and back, so nothing outside the caller's arrays is read or written; the
 * idle lanes compute op(0), which is exact and raises nothing.
 * x == y (in place) is fine: every vector is loaded before it is stored.
 */
#ifndef QUAKE_KERNELS_DRIVER_F16_H
#define QUAKE_KERNELS_DRIVER_F16_H

#include "quake/kernels/f16_fix.h"

/* fix(x, y, &status): x the widened input, y the float32 result; returns
 * the value to round and accumulates the lanes' status (f16_fix.h). */
typedef vf (*qk_f16_fix_fn)(vf x, vf y, qk_f16_status *s);

QK_INLINE int qk_drive_unary_f16(const uint16_t *x, uint16_t *y, qk_size n, float lo_c,
                                 float hi_c, float lo16_c, float hi16_c, float hole_c, float tail,
                                 vf (*core)(vf), vf (*full)(vf, int *),
                                 qk_f16_fix_fn fix_in, qk_f16_fix_fn fix_full)
{
    /* constants once inlined: rows without a float16 window skip its test */
    const int narrow = lo16_c > lo_c || hi16_c < hi_c || hole_c > 0.0f;
    const vf lo = vf_set(lo_c), hi = vf_set(hi_c), hi16 = vf_set(hi16_c);
    const vf lo16 = vf_set(lo16_c > tail ? lo16_c : tail);
    const vf hole = vf_set(hole_c);
    qk_f16_status s;
    qk_f16_status_init(&s);
    int st = 0, under = 0;
    qk_size i = 0;
    for (; i + 2 * QK_WF <= n; i += 2 * QK_WF) {
        QK_PREFETCH_LINES(x + i, y + i, 2 * QK_WF * sizeof(uint16_t));
        vf a = vf_load_half(x + i), b = vf_load_half(x + i + QK_WF), ya, yb;
        if (narrow) {
            mf out16 = mf_or(vf_outside(a, lo16, hi16), vf_outside(b, lo16, hi16));
            if (hole_c > 0.0f)
                out16 = mf_or(out16, mf_or(vf_lt(vf_abs(a), hole), vf_lt(vf_abs(b), hole)));
            if (!mf_any(out16)) { /* inside both windows */
                vf_store_half(y + i, fix_in(a, core(a), &s));
                vf_store_half(y + i + QK_WF, fix_in(b, core(b), &s));
                continue;
            }
        }
        under |= qk_under_f32(a, tail) | qk_under_f32(b, tail);
        if (QK_UNLIKELY(mf_any(mf_or(vf_outside(a, lo, hi), vf_outside(b, lo, hi))))) {
            ya = fix_full(a, full(a, &st), &s);
            yb = fix_full(b, full(b, &st), &s);
        } else {
            ya = fix_full(a, core(a), &s);
            yb = fix_full(b, core(b), &s);
        }
        vf_store_half(y + i, ya);
        vf_store_half(y + i + QK_WF, yb);
    }
    for (; i + QK_WF <= n; i += QK_WF) {
        vf a = vf_load_half(x + i);
        under |= qk_under_f32(a, tail);
        vf_store_half(y + i, fix_full(a, full(a, &st), &s));
    }
    if (i < n) {
        uint16_t buf[QK_WF] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof buf[0]);
        vf a = vf_load_half(buf);
        under |= qk_under_f32(a, tail);
        vf_store_half(buf, fix_full(a, full(a, &st), &s));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof buf[0]);
    }
    return st | qk_f16_status_bits(&s) | under;
}

/* Define qk_<op>_<tier>_f16_<isa> from the op's float32 core/full/window;
 * the float16 window [lo16, hi16] is intersected with the float32 one. */
#define QK_DEFINE_UNARY_F16(name, op, fix_in, fix_full, lo16, hi16, hole16)                 \
    static int QK_FN(name##_f16)(const uint16_t *x, uint16_t *y, qk_size n)               \
    {                                                                                      \
        const float lo = name##_f32_lo(), hi = name##_f32_hi();                            \
        return qk_drive_unary_f16(x, y, n, lo, hi, lo > (lo16) ? lo : (lo16),              \
                                  hi < (hi16) ? hi : (hi16), hole16, QK_UNDER_T_##op##_F16, \
                                  name##_f32_core, name##_f32_full, fix_in, fix_full);     \
    }

#endif
