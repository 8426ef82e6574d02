/* Loop driver for the float16 kernels: one pass per vector of halves.
 *
 * Each step widens QK_WF halves to float32 (exact), runs the op's float32
 * core/full exactly as qk_drive_unary_f32 does (same window test, two
 * vectors per step), applies the op's float16 fix-up (kernels/f16_fix.h:
 * edge patches and/or the overflow/underflow status of the rounded result)
 * and rounds back to half.  This is the float32 kernel composed with the
 * h2f/f2h conversions, bit for bit, without the round trips through memory.
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
                                 float hi_c, vf (*core)(vf), vf (*full)(vf, int *),
                                 qk_f16_fix_fn fix)
{
    const vf lo = vf_set(lo_c), hi = vf_set(hi_c);
    qk_f16_status s;
    qk_f16_status_init(&s);
    int st = 0;
    qk_size i = 0;
    for (; i + 2 * QK_WF <= n; i += 2 * QK_WF) {
        vf a = vf_load_half(x + i), b = vf_load_half(x + i + QK_WF), ya, yb;
        if (QK_UNLIKELY(mf_any(mf_or(vf_outside(a, lo, hi), vf_outside(b, lo, hi))))) {
            ya = full(a, &st);
            yb = full(b, &st);
        } else {
            ya = core(a);
            yb = core(b);
        }
        vf_store_half(y + i, fix(a, ya, &s));
        vf_store_half(y + i + QK_WF, fix(b, yb, &s));
    }
    for (; i + QK_WF <= n; i += QK_WF) {
        vf a = vf_load_half(x + i);
        vf_store_half(y + i, fix(a, full(a, &st), &s));
    }
    if (i < n) {
        uint16_t buf[QK_WF] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof buf[0]);
        vf a = vf_load_half(buf);
        vf_store_half(buf, fix(a, full(a, &st), &s));
        memcpy(y + i, buf, (size_t)(n - i) * sizeof buf[0]);
    }
    return st | qk_f16_status_bits(&s);
}

/* Define qk_<op>_<tier>_f16_<isa> from the op's float32 core/full/window. */
#define QK_DEFINE_UNARY_F16(name, fix)                                                     \
    static int QK_FN(name##_f16)(const uint16_t *x, uint16_t *y, qk_size n)               \
    {                                                                                      \
        return qk_drive_unary_f16(x, y, n, name##_f32_lo(), name##_f32_hi(),               \
                                  name##_f32_core, name##_f32_full, fix);                  \
    }

#endif
