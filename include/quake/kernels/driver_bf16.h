/* bfloat16 kernels: qk_<op>_<tier>_bf16_<isa>, one per ops.def row, and the
 * b2f/f2b block conversions the row ops use.  Included by all.h after every
 * float32 kernel.
 *
 * Each step widens QK_WF bfloat16 values to float32 in a register (exact:
 * a shift), runs the op's float32 core/full exactly as qk_drive_unary_f32
 * does (two vectors per step, core when both lie in the fast window, the
 * underflow rule of consts/underflow.h with the float32 thresholds: the
 * normal ranges of bfloat16 and float32 are the same) and rounds back to
 * bfloat16 (kernels/bf16.h) in the register: no float32 array in memory.
 * So a bfloat16 result is the float32 kernel's result on the widened input,
 * rounded once to nearest even, bit for bit.  Status: the float32 kernel's
 * bits, plus overflow where a finite float32 result rounds to +-inf
 * (|y| >= 0x7f7f8000 in bits), kept as a running unsigned minimum of lane
 * bit patterns (integer only, as kernels/f16_fix.h does).  The tail
 * (n % W values) goes through a zero-filled vector-sized buffer; idle lanes
 * compute op(0), exact and silent.  x == y (in place) is fine.
 *
 * target_avx512.c adds a second set, _hw, narrowing with AVX512_BF16. */
#ifndef QUAKE_KERNELS_DRIVER_BF16_H
#define QUAKE_KERNELS_DRIVER_BF16_H

#include "quake/simd/bf16.h"

#include "quake/kernels/narrow_over.h"

QK_INLINE vi qk_bf16_over(vi over, vf y) { return qk_narrow_over(over, y, QK_BF16_OVER_BASE); }

/* store2(p, a, b): a to p[0..W), b to p[W..2W) (one conversion for both
 * where the ISA has it); over: whether the op's float32 result can exceed
 * the bfloat16 range (exp; the activations are bounded by max(1, |x|)). */
QK_INLINE void qk_store2_bf16(uint16_t *p, vf a, vf b)
{
    vf_store_bf16(p, a);
    vf_store_bf16(p + QK_WF, b);
}

QK_INLINE int qk_drive_unary_bf16(const uint16_t *x, uint16_t *y, qk_size n, float lo_c,
                                  float hi_c, float tail, int over_c, vf (*core)(vf),
                                  vf (*full)(vf, int *), void (*store)(uint16_t *, vf),
                                  void (*store2)(uint16_t *, vf, vf))
{
    const vf lo = vf_set(lo_c > tail ? lo_c : tail), hi = vf_set(hi_c);
    vi over = vi_set(-1);
    int st = 0;
    qk_size i = 0;
    for (; i + 2 * QK_WF <= n; i += 2 * QK_WF) {
        QK_PREFETCH_LINES(x + i, y + i, 2 * QK_WF * sizeof(uint16_t));
        vf a = vf_load_bf16(x + i), b = vf_load_bf16(x + i + QK_WF);
        if (QK_UNLIKELY(mf_any(mf_or(vf_outside(a, lo, hi), vf_outside(b, lo, hi))))) {
            a = qk_full_ruled_f32(full, a, tail, &st);
            b = qk_full_ruled_f32(full, b, tail, &st);
        } else {
            a = core(a);
            b = core(b);
        }
        if (over_c)
            over = qk_bf16_over(qk_bf16_over(over, a), b);
        store2(y + i, a, b);
    }
    for (; i + QK_WF <= n; i += QK_WF) {
        vf a = qk_full_ruled_f32(full, vf_load_bf16(x + i), tail, &st);
        over = qk_bf16_over(over, a);
        store(y + i, a);
    }
    if (i < n) {
        uint16_t buf[QK_WF] = {0};
        memcpy(buf, x + i, (size_t)(n - i) * sizeof buf[0]);
        vf a = qk_full_ruled_f32(full, vf_load_bf16(buf), tail, &st);
        over = qk_bf16_over(over, a);
        store(buf, a);
        memcpy(y + i, buf, (size_t)(n - i) * sizeof buf[0]);
    }
    return st | qk_narrow_over_status(over, QK_BF16_OVER_BASE);
}

#define QK_BF16_OVER_exp 1
#define QK_BF16_OVER_sigmoid 0
#define QK_BF16_OVER_silu 0
#define QK_BF16_OVER_tanh 0
#define QK_BF16_OVER_gelu_tanh 0
#define QK_BF16_OVER_gelu 0

#define QK_DEFINE_UNARY_BF16(name, op, variant, store, store2)                             \
    static int QK_FN(name##_bf16##variant)(const uint16_t *x, uint16_t *y, qk_size n)     \
    {                                                                                      \
        return qk_drive_unary_bf16(x, y, n, name##_f32_lo(), name##_f32_hi(),              \
                                   QK_UNDER_T_##op##_F32, QK_BF16_OVER_##op,               \
                                   name##_f32_core, name##_f32_full, store, store2);       \
    }

/* The default set (integer rounding); another set is
 *   #define QK_UNARY(op, tier) QK_DEFINE_UNARY_BF16(op##_##tier, op, _hw, my_store, my_store2)
 *   #include "quake/ops.def"  */
#define QK_UNARY(op, tier) QK_DEFINE_UNARY_BF16(op##_##tier, op, , vf_store_bf16, qk_store2_bf16)
#include "quake/ops.def"
#undef QK_UNARY

/* Block conversions for the row ops (rowloops.c): same bits as above. */
static void QK_FN(b2f)(const uint16_t *h, float *f, qk_size n)
{
    qk_size i = 0;
    for (; i + QK_WF <= n; i += QK_WF)
        vf_store(f + i, vf_load_bf16(h + i));
    for (; i < n; i++)
        f[i] = qk_bf16_to_float(h[i]);
}

static int QK_FN(f2b)(const float *f, uint16_t *h, qk_size n)
{
    vi over = vi_set(-1);
    int st = 0;
    qk_size i = 0;
    for (; i + QK_WF <= n; i += QK_WF) {
        vf v = vf_load(f + i);
        over = qk_narrow_over(over, v, QK_BF16_OVER_BASE);
        vf_store_bf16(h + i, v);
    }
    for (; i < n; i++) {
        st |= qk_narrow_over1(f[i], QK_BF16_OVER_BASE);
        h[i] = qk_float_to_bf16(f[i]);
    }
    return st | qk_narrow_over_status(over, QK_BF16_OVER_BASE);
}

#endif
