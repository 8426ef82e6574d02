/* Elementwise ufunc loops: strides, blocking, float16 and FP status.
 *
 * Contiguous arrays go straight to the active target's kernel.  Any other
 * layout (strided, reversed, broadcast with stride 0) is gathered into a
 * stack block, computed in place there, and scattered back (float16 has
 * its own per-target kernels, kernels/f16_ops.h).  Kernels report overflow/underflow
 * as QK_FE_* bits, which are raised here with feraiseexcept() so NumPy's
 * errstate handling (warn/raise/ignore) works exactly as for np.exp.
 * Calls above their op family's grain are split over the worker pool
 * (pool.h) in contiguous ranges whose boundaries fall on the output's 64-byte
 * cache lines; every element is still computed by one thread with the same
 * kernel, so the bits do not depend on the thread count.
 */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <fenv.h>
#include <stdint.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/status.h"
#include "loop_util.h"
#include "loops.h"
#include "pool.h"

/* Bytes per gathered block (1024 float32, 512 float64, 2048 halves): small
 * enough that every loop runs in a thread with a small stack (issue 17). */
#define QK_BLOCK_BYTES 4096

const qk_op_data qk_unary_data[QK_N_UNARY] = {
#define QK_UNARY(op, tier) {QK_U_##op##_##tier},
#include "quake/ops.def"
#undef QK_UNARY
};
const char *const qk_unary_op_names[QK_N_UNARY] = {
#define QK_UNARY(op, tier) #op,
#include "quake/ops.def"
#undef QK_UNARY
};
const char *const qk_unary_tier_names[QK_N_UNARY] = {
#define QK_UNARY(op, tier) #tier,
#include "quake/ops.def"
#undef QK_UNARY
};
const char *const qk_unary_qualnames[QK_N_UNARY] = {
#define QK_UNARY(op, tier) #tier "." #op,
#include "quake/ops.def"
#undef QK_UNARY
};

/* Each op's family, for its grain (pool.c). */
#define QK_FAMILY_q1 QK_FAM_CHEAP
#define QK_FAMILY_q2 QK_FAM_CHEAP
#define QK_FAMILY_precise QK_FAM_PRECISE
static const unsigned char unary_family[QK_N_UNARY] = {
#define QK_UNARY(op, tier) QK_FAMILY_##tier,
#include "quake/ops.def"
#undef QK_UNARY
};

/* One call's arguments, for the pool's parts. */
typedef struct {
    const qk_target *t;
    int id;
    const char *ip;
    npy_intp is;
    char *op;
    npy_intp os;
} unary_job;

/* n elements on target t: any strides, status bits returned.  The kernel
 * (of type FN) is looked up once; strided layouts go through a stack block
 * of T, computed in place there.  float16 runs the target's float16
 * kernels (kernels/f16_ops.h: computed in float32, rounded back; results
 * that overflow half or land below 2^-14 report overflow/underflow, as
 * NumPy's float16 loops do, unless the op's edge fix-ups define
 * otherwise); bfloat16 (ml_dtypes.bfloat16, registered when ml_dtypes is
 * importable) its bfloat16 kernels (kernels/driver_bf16.h). */
#define QK_DEFINE_FLOAT_RUN(suffix, T, FN, kernel)                                             \
    static int run_##suffix(const qk_target *t, int id, const char *ip, npy_intp is, char *op,  \
                            npy_intp os, npy_intp n)                                           \
    {                                                                                          \
        const FN k = kernel;                                                                   \
        int st = 0;                                                                            \
        if (is == (npy_intp)sizeof(T) && os == (npy_intp)sizeof(T))                            \
            return k((const T *)ip, (T *)op, n);                                               \
        enum { B = QK_BLOCK_BYTES / sizeof(T) };                                               \
        T buf[B];                                                                              \
        for (npy_intp i = 0; i < n; i += B) {                                                  \
            const npy_intp m = n - i < B ? n - i : B;                                          \
            const T *src = buf;                                                                \
            if (is == (npy_intp)sizeof(T))                                                     \
                src = (const T *)(ip + i * is);                                                \
            else                                                                               \
                qk_gather(buf, ip + i * is, is, m, sizeof(T));                                 \
            if (os == (npy_intp)sizeof(T)) {                                                   \
                st |= k(src, (T *)(op + i * os), m);                                           \
            } else {                                                                           \
                st |= k(src, buf, m);                                                          \
                qk_scatter(op + i * os, os, buf, m, sizeof(T));                                \
            }                                                                                  \
        }                                                                                      \
        return st;                                                                             \
    }

QK_DEFINE_FLOAT_RUN(f32, float, qk_unary_f32_fn, t->unary_f32[id])
QK_DEFINE_FLOAT_RUN(f64, double, qk_unary_f64_fn, t->unary_f64[id])
QK_DEFINE_FLOAT_RUN(f16, uint16_t, qk_unary_f16_fn, t->unary_f16[id])
QK_DEFINE_FLOAT_RUN(bf16, uint16_t, qk_unary_bf16_fn, qk_bf16_kernels(t)[id])

/* The loops' bodies, also run by the C API (capi.c): the active target read
 * once for the call, the pool above the grain. */
#define QK_DEFINE_UNARY_RUN(suffix, size)                                                      \
    static int part_##suffix(const void *ctx, npy_intp b, npy_intp e)                          \
    {                                                                                          \
        const unary_job *j = ctx;                                                              \
        return e > b ? run_##suffix(j->t, j->id, j->ip + b * j->is, j->is, j->op + b * j->os,   \
                                    j->os, e - b)                                              \
                     : 0;                                                                      \
    }                                                                                          \
    int qk_unary_run_##suffix(int id, const char *ip, npy_intp is, char *op, npy_intp os,       \
                              npy_intp n)                                                      \
    {                                                                                          \
        const qk_target *t = qk_active_target();                                               \
        const int parts = qk_pool_parts(n, qk_pool_grain[unary_family[id]]);                   \
        if (parts <= 1)                                                                        \
            return run_##suffix(t, id, ip, is, op, os, n);                                     \
        const unary_job j = {t, id, ip, is, op, os};                                           \
        /* contiguous output: boundaries on its cache lines (else any element) */              \
        npy_intp quantum = 1, phase = 0;                                                       \
        if (os == (size) && (uintptr_t)op % (size) == 0) {                                     \
            quantum = 64 / (size);                                                             \
            phase = (npy_intp)((64 - (uintptr_t)op % 64) % 64 / (size));                       \
        }                                                                                      \
        return qk_pool_run(parts, part_##suffix, &j, n, quantum, phase);                       \
    }

QK_DEFINE_UNARY_RUN(f16, 2)
QK_DEFINE_UNARY_RUN(bf16, 2)
QK_DEFINE_UNARY_RUN(f32, 4)
QK_DEFINE_UNARY_RUN(f64, 8)

#define QK_DEFINE_UNARY_LOOP(suffix)                                                           \
    void qk_loop_unary_##suffix(char **args, npy_intp const *dims, npy_intp const *steps,       \
                                void *data)                                                    \
    {                                                                                          \
        const int id = ((const qk_op_data *)data)->id;                                         \
        const int fe = qk_status_begin();                                                      \
        qk_status_end(fe, qk_unary_run_##suffix(id, args[0], steps[0], args[1], steps[1],      \
                                                dims[0]));                                     \
    }

QK_DEFINE_UNARY_LOOP(f16)
QK_DEFINE_UNARY_LOOP(bf16)
QK_DEFINE_UNARY_LOOP(f32)
QK_DEFINE_UNARY_LOOP(f64)
