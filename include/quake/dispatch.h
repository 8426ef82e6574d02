/* The kernel table every target fills in, and the dispatch API.
 *
 * A target (scalar, avx2, avx512 on x86-64; scalar, neon on AArch64) is a
 * const qk_target holding one function pointer per (op, tier, dtype).  cpu.c
 * detects the CPU once and publishes the active table atomically; ufunc loops read it on every call,
 * so switching targets at run time (tests, QUAKE_TARGET) is safe.
 */
#ifndef QUAKE_DISPATCH_H
#define QUAKE_DISPATCH_H

#include <stdint.h>
#include "quake/target.h"
#include "quake/rows.h"

/* Contiguous kernels: y[i] = op(x[i]) for 0 <= i < n; x == y is allowed.
 * They return QK_FE_* bits for the loop to raise. */
typedef int (*qk_unary_f32_fn)(const float *x, float *y, qk_size n);
typedef int (*qk_unary_f64_fn)(const double *x, double *y, qk_size n);
/* IEEE binary16 <-> binary32 block conversions (round to nearest even);
 * the narrowing returns QK_FE_OVERFLOW where a finite value rounded to inf
 * (kernels/narrow_over.h), else 0. */
typedef void (*qk_h2f_fn)(const uint16_t *h, float *f, qk_size n);
typedef int (*qk_f2h_fn)(const float *f, uint16_t *h, qk_size n);
/* Contiguous float16 kernels: the float32 kernel on widened halves, rounded
 * back, with float16 edge fix-ups and status (kernels/f16_ops.h); x == y
 * is allowed. */
typedef int (*qk_unary_f16_fn)(const uint16_t *x, uint16_t *y, qk_size n);
/* Contiguous bfloat16 kernels (kernels/driver_bf16.h) and block conversions
 * (kernels/bf16.h rounding); x == y is allowed. */
typedef int (*qk_unary_bf16_fn)(const uint16_t *x, uint16_t *y, qk_size n);

enum qk_unary_id {
#define QK_UNARY(op, tier) QK_U_##op##_##tier,
#include "quake/ops.def"
#undef QK_UNARY
    QK_N_UNARY
};

/* CPU feature bits (qk_cpu_features). */
enum {
    QK_CPU_SSE2 = 1u << 0,
    QK_CPU_AVX = 1u << 1,
    QK_CPU_AVX2 = 1u << 2,
    QK_CPU_FMA = 1u << 3,
    QK_CPU_F16C = 1u << 4,
    QK_CPU_AVX512F = 1u << 5,
    QK_CPU_AVX512DQ = 1u << 6,
    QK_CPU_AVX512BW = 1u << 7,
    QK_CPU_AVX512VL = 1u << 8,
    QK_CPU_NEON = 1u << 9,
    QK_CPU_FP16 = 1u << 10, /* aarch64 half-precision arithmetic */
    QK_CPU_AVX512BF16 = 1u << 11 /* CPUID.(7,1):EAX[5], vcvtneps2bf16 */
};

typedef struct qk_target {
    const char *name;      /* "scalar", "avx2", ... */
    unsigned requires;     /* QK_CPU_* bits that must all be present */
    qk_h2f_fn h2f;
    qk_f2h_fn f2h;
    qk_unary_f32_fn unary_f32[QK_N_UNARY];
    qk_unary_f64_fn unary_f64[QK_N_UNARY];
    /* row operations (rowops.def): contiguous rows, and the segmented form */
    qk_rows_f32_fn rows_f32[QK_N_ROWOP];
    qk_rows_f64_fn rows_f64[QK_N_ROWOP];
    qk_seg_f32_fn seg_f32[QK_N_ROWOP];
    qk_seg_f64_fn seg_f64[QK_N_ROWOP];
    qk_unary_f16_fn unary_f16[QK_N_UNARY];
    /* bfloat16: kernels, block conversions, and (AVX-512 only, else NULL) the
     * same kernels narrowing with AVX512_BF16, used where the CPU has
     * bf16_hw_requires (same bits; qk_bf16_kernels picks) */
    qk_unary_bf16_fn unary_bf16[QK_N_UNARY];
    qk_h2f_fn b2f;
    qk_f2h_fn f2b;
    const qk_unary_bf16_fn *unary_bf16_hw;
    unsigned bf16_hw_requires;
    /* row operations in vertical form (rows side by side), and how many
     * rows one call takes (the target's float32 / float64 vector widths) */
    qk_vert_fn vert_f32[QK_N_ROWOP];
    qk_vert_fn vert_f64[QK_N_ROWOP];
    int vert_wf, vert_wd;
} qk_target;

/* cpu.c */
unsigned qk_cpu_features(void);
int qk_target_count(void);                     /* targets compiled in, best last */
const qk_target *qk_target_at(int i);
int qk_target_supported(const qk_target *t);   /* on this CPU */
const qk_target *qk_active_target(void);
int qk_set_active_target(const char *name);    /* 0 ok, -1 unknown, -2 unsupported */
/* t's bfloat16 kernels: the AVX512_BF16 set where t has one, the CPU the
 * feature and qk_set_bf16_hw has not turned it off (tests), else the
 * integer-rounding set. */
const qk_unary_bf16_fn *qk_bf16_kernels(const qk_target *t);
void qk_set_bf16_hw(int on);
int qk_bf16_hw_active(const qk_target *t);

#endif
