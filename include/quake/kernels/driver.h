/* Loop drivers turning a per-vector kernel into a contiguous array kernel.
 *
 * A unary op supplies two vector functions:
 *   core(x)      -- valid when every lane lies in the fast window [lo, hi];
 *   full(x, &st) -- valid for every input (NaN, +-inf, overflow, underflow),
 *                   ORs QK_FE_* bits into st, and equals core() bit for bit
 *                   on lanes inside the window.
 * The driver runs two vectors per step, tests both against the window with
 * one branch, and takes full() only for steps holding an edge value.  The
 * tail (n % W elements) goes through masked partial loads/stores that
 * zero-fill the idle lanes, so no load or store leaves the caller's arrays.  x == y (in place) is fine.
 * With the scalar layer (W = 1) this is the reference element loop.
 *
 * The drivers are always inlined with constant function pointers, so the
 * compiler inlines core/full and no indirect call remains.  Generic
 * (simd/generic.h): kernels/all.h instantiates it for float32 and float64.
 */
#ifndef QUAKE_KERNELS_DRIVER_H
#define QUAKE_KERNELS_DRIVER_H

#include "quake/consts/underflow.h"

/* Define the exported contiguous kernel qk_<name>_<isa> of op `op` (its
 * underflow threshold: consts/underflow.h), and, float32, name_lo() /
 * name_hi(), its fast window, for the float16 kernels (driver_f16.h). */
#define QK_DEFINE_UNARY_F32(name, op, lo, hi)                                              \
    QK_INLINE float name##_lo(void) { return lo; }                                         \
    QK_INLINE float name##_hi(void) { return hi; }                                         \
    static int QK_FN(name)(const float *x, float *y, qk_size n)                            \
    {                                                                                      \
        return qk_drive_unary_f32(x, y, n, lo, hi, QK_UNDER_T_##op##_F32, name##_core,     \
                                  name##_full, qk_edge_range_f32);                         \
    }
#define QK_DEFINE_UNARY_F64(name, op, lo, hi)                                              \
    static int QK_FN(name)(const double *x, double *y, qk_size n)                          \
    {                                                                                      \
        return qk_drive_unary_f64(x, y, n, lo, hi, QK_UNDER_T_##op##_F64, name##_core,     \
                                  name##_full, qk_edge_range_f64);                         \
    }
/* symmetric window |x| <= amax, kept above the tail: amax <= -tail (one
 * compare a vector, not two) */
#define QK_DEFINE_UNARY_ABS_F32(name, op, amax)                                            \
    QK_INLINE float name##_lo(void) { return -(amax); }                                   \
    QK_INLINE float name##_hi(void) { return amax; }                                       \
    static int QK_FN(name)(const float *x, float *y, qk_size n)                            \
    {                                                                                      \
        const float t = QK_UNDER_T_##op##_F32, a = (amax) < -t ? (amax) : -t;              \
        return qk_drive_unary_f32(x, y, n, -a, a, t, name##_core, name##_full,             \
                                  qk_edge_abs_f32);                                        \
    }
#define QK_DEFINE_UNARY_ABS_F64(name, op, amax)                                            \
    static int QK_FN(name)(const double *x, double *y, qk_size n)                          \
    {                                                                                      \
        const double t = QK_UNDER_T_##op##_F64, a = (amax) < -t ? (amax) : -t;             \
        return qk_drive_unary_f64(x, y, n, -a, a, t, name##_core, name##_full,             \
                                  qk_edge_abs_f64);                                        \
    }
#endif

/* ---- generic (simd/generic.h): instantiated for float32 and float64 ---- */

/* Underflow is decided by the rule of consts/underflow.h, from x alone:
 * finite x < tail.  The drivers keep those lanes off the fast path (the
 * window starts at the tail) and report underflow for the vectors that take
 * full() by the rule: full() itself reports only overflow and invalid. */
QK_INLINE int QK_TFN(qk_under)(qk_v x, qk_t tail)
{
    return m_any(m_and(v_lt(x, v_set(tail)), v_gt(x, v_set(-INFINITY)))) ? QK_FE_UNDERFLOW : 0;
}

QK_INLINE qk_v QK_TFN(qk_full_ruled)(qk_v (*full)(qk_v, int *), qk_v x, qk_t tail, int *st)
{
    qk_v y = full(x, st);
    *st |= QK_TFN(qk_under)(x, tail);
    return y;
}

/* Window tests: lanes outside [lo, hi]; or (float64), for a symmetric
 * window, lanes with !(|x| <= hi): one compare a vector instead of two
 * (compares share the FMA pipes on some cores: 2-6% of the float64 exp). */
QK_INLINE qk_m QK_TFN(qk_edge_range)(qk_v a, qk_v lo, qk_v hi) { return v_outside(a, lo, hi); }
#if QK_T == 64
QK_INLINE md qk_edge_abs_f64(vd a, vd lo, vd hi)
{
    (void)lo;
    return vd_not_le(vd_abs(a), hi);
}
#else
QK_INLINE mf qk_edge_abs_f32(vf a, vf lo, vf hi)
{
    (void)lo;
    return vf_not_le(vf_abs(a), hi);
}
#endif

QK_INLINE int QK_TFN(qk_drive_unary)(const qk_t *x, qk_t *y, qk_size n, qk_t lo_c, qk_t hi_c,
                                     qk_t tail, qk_v (*core)(qk_v), qk_v (*full)(qk_v, int *),
                                     qk_m (*edge)(qk_v, qk_v, qk_v))
{
    const qk_v lo = v_set(lo_c > tail ? lo_c : tail), hi = v_set(hi_c);
    int st = 0;
    qk_size i = 0;
    for (; i + 2 * QK_W <= n; i += 2 * QK_W) {
        QK_PREFETCH_LINES(x + i, y + i, 2 * QK_W * sizeof(qk_t));
        qk_v a = v_load(x + i), b = v_load(x + i + QK_W);
        if (QK_UNLIKELY(m_any(m_or(edge(a, lo, hi), edge(b, lo, hi))))) {
            a = QK_TFN(qk_full_ruled)(full, a, tail, &st);
            b = QK_TFN(qk_full_ruled)(full, b, tail, &st);
        } else {
            a = core(a);
            b = core(b);
        }
        v_store(y + i, a);
        v_store(y + i + QK_W, b);
    }
    for (; i + QK_W <= n; i += QK_W) {
        v_store(y + i, QK_TFN(qk_full_ruled)(full, v_load(x + i), tail, &st));
    }
    if (i < n)
        v_store_partial(y + i, QK_TFN(qk_full_ruled)(full, v_load_partial(x + i, n - i), tail, &st),
                        n - i);
    return st;
}
