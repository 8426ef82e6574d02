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
 * compiler inlines core/full and no indirect call remains.
 */
#ifndef QUAKE_KERNELS_DRIVER_H
#define QUAKE_KERNELS_DRIVER_H

#include "quake/consts/underflow.h"

/* Underflow is decided by the rule of consts/underflow.h, from x alone:
 * finite x < tail.  The drivers keep those lanes off the fast path (the
 * window starts at the tail) and report underflow for the vectors that take
 * full() by the rule: full() itself reports only overflow and invalid. */
QK_INLINE int qk_under_f32(vf x, float tail)
{
    return mf_any(mf_and(vf_lt(x, vf_set(tail)), vf_gt(x, vf_set(-INFINITY)))) ? QK_FE_UNDERFLOW
                                                                               : 0;
}

QK_INLINE vf qk_full_ruled_f32(vf (*full)(vf, int *), vf x, float tail, int *st)
{
    vf y = full(x, st);
    *st |= qk_under_f32(x, tail);
    return y;
}

QK_INLINE int qk_under_f64(vd x, double tail)
{
    return md_any(md_and(vd_lt(x, vd_set(tail)), vd_gt(x, vd_set(-INFINITY)))) ? QK_FE_UNDERFLOW
                                                                               : 0;
}

QK_INLINE vd qk_full_ruled_f64(vd (*full)(vd, int *), vd x, double tail, int *st)
{
    vd y = full(x, st);
    *st |= qk_under_f64(x, tail);
    return y;
}

QK_INLINE int qk_drive_unary_f32(const float *x, float *y, qk_size n, float lo_c, float hi_c,
                                 float tail, vf (*core)(vf), vf (*full)(vf, int *))
{
    const vf lo = vf_set(lo_c > tail ? lo_c : tail), hi = vf_set(hi_c);
    int st = 0;
    qk_size i = 0;
    for (; i + 2 * QK_WF <= n; i += 2 * QK_WF) {
        vf a = vf_load(x + i), b = vf_load(x + i + QK_WF);
        if (QK_UNLIKELY(mf_any(mf_or(vf_outside(a, lo, hi), vf_outside(b, lo, hi))))) {
            a = qk_full_ruled_f32(full, a, tail, &st);
            b = qk_full_ruled_f32(full, b, tail, &st);
        } else {
            a = core(a);
            b = core(b);
        }
        vf_store(y + i, a);
        vf_store(y + i + QK_WF, b);
    }
    for (; i + QK_WF <= n; i += QK_WF) {
        vf_store(y + i, qk_full_ruled_f32(full, vf_load(x + i), tail, &st));
    }
    if (i < n)
        vf_store_partial(y + i, qk_full_ruled_f32(full, vf_load_partial(x + i, n - i), tail,
                                                  &st), n - i);
    return st;
}

/* float64 window tests: lanes outside [lo, hi]; or, for a symmetric window,
 * lanes with !(|x| <= hi): one compare a vector instead of two (compares
 * share the FMA pipes on some cores: 2-6% of the float64 exp). */
QK_INLINE md qk_edge_range_f64(vd a, vd lo, vd hi) { return vd_outside(a, lo, hi); }
QK_INLINE md qk_edge_abs_f64(vd a, vd lo, vd hi)
{
    (void)lo;
    return vd_not_le(vd_abs(a), hi);
}

QK_INLINE int qk_drive_unary_f64(const double *x, double *y, qk_size n, double lo_c, double hi_c,
                                 double tail, vd (*core)(vd), vd (*full)(vd, int *),
                                 md (*edge)(vd, vd, vd))
{
    const vd lo = vd_set(lo_c > tail ? lo_c : tail), hi = vd_set(hi_c);
    int st = 0;
    qk_size i = 0;
    for (; i + 2 * QK_WD <= n; i += 2 * QK_WD) {
        vd a = vd_load(x + i), b = vd_load(x + i + QK_WD);
        if (QK_UNLIKELY(md_any(md_or(edge(a, lo, hi), edge(b, lo, hi))))) {
            a = qk_full_ruled_f64(full, a, tail, &st);
            b = qk_full_ruled_f64(full, b, tail, &st);
        } else {
            a = core(a);
            b = core(b);
        }
        vd_store(y + i, a);
        vd_store(y + i + QK_WD, b);
    }
    for (; i + QK_WD <= n; i += QK_WD) {
        vd_store(y + i, qk_full_ruled_f64(full, vd_load(x + i), tail, &st));
    }
    if (i < n)
        vd_store_partial(y + i, qk_full_ruled_f64(full, vd_load_partial(x + i, n - i), tail,
                                                  &st), n - i);
    return st;
}

/* Define the exported contiguous kernel qk_<name>_<isa> of op `op` (its
 * underflow threshold: consts/underflow.h), and name_lo() / name_hi(), its
 * fast window, for the float16 kernels (driver_f16.h). */
#define QK_DEFINE_UNARY_F32(name, op, lo, hi)                                              \
    QK_INLINE float name##_lo(void) { return lo; }                                         \
    QK_INLINE float name##_hi(void) { return hi; }                                         \
    static int QK_FN(name)(const float *x, float *y, qk_size n)                            \
    {                                                                                      \
        return qk_drive_unary_f32(x, y, n, lo, hi, QK_UNDER_T_##op##_F32, name##_core,     \
                                  name##_full);                                            \
    }
#define QK_DEFINE_UNARY_F64(name, op, lo, hi)                                              \
    static int QK_FN(name)(const double *x, double *y, qk_size n)                          \
    {                                                                                      \
        return qk_drive_unary_f64(x, y, n, lo, hi, QK_UNDER_T_##op##_F64, name##_core,     \
                                  name##_full, qk_edge_range_f64);                         \
    }
/* symmetric window |x| <= amax, kept above the tail: amax <= -tail */
#define QK_DEFINE_UNARY_ABS_F64(name, op, amax)                                            \
    static int QK_FN(name)(const double *x, double *y, qk_size n)                          \
    {                                                                                      \
        const double t = QK_UNDER_T_##op##_F64, a = (amax) < -t ? (amax) : -t;             \
        return qk_drive_unary_f64(x, y, n, -a, a, t, name##_core, name##_full,             \
                                  qk_edge_abs_f64);                                        \
    }

#endif
