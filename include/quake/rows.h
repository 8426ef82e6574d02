/* Row operations (softmax, log_softmax, logsumexp): the state a row carries
 * between passes and the kernel signatures every target provides.
 *
 * A row is reduced in a canonical order that every target reproduces bit
 * for bit: element i goes to lane i mod QK_RL_F32 (16) / QK_RL_F64 (8) of
 * the partial maxima and sums, and the lanes are then combined by a fixed
 * halving tree (lane k op= lane k + h for h = 8, 4, 2, 1).  The scalar
 * layer holds the float32 lanes in 16 variables, NEON in 4 registers, AVX2
 * in 2 and AVX-512 in 1, all adding the same numbers in the same order.
 */
#ifndef QUAKE_ROWS_H
#define QUAKE_ROWS_H

#include "quake/target.h"

#define QK_RL_F32 16 /* canonical reduction lanes, float32 rows */
#define QK_RL_F64 8  /* float64 rows */

/* What the first pass found out about a row. */
enum { QK_ROW_FINITE = 0, QK_ROW_EMPTY, QK_ROW_NAN, QK_ROW_PINF, QK_ROW_MINF };

/* Phases of the segmented row interface (qk_seg_*_fn), used for rows that
 * are strided, float16 or longer than a stack block: the caller feeds the
 * row in contiguous chunks whose lengths are multiples of the lane count
 * (except the last), so the lane assignment stays canonical. */
enum { QK_PH_INIT = 0, QK_PH_MAX, QK_PH_MID, QK_PH_SUM, QK_PH_FIN, QK_PH_OUT };

typedef struct qk_rowstate_f32 {
    float vmax[QK_RL_F32];
    double sum[QK_RL_F32]; /* float32 exponentials are summed in float64 */
    int nan, kind, fold;
    qk_size n;
    float m, lo, c0;     /* max, input clamp, folded order-1 constant */
    float r_hi, r_lo, L; /* 1/sum = r_hi + r_lo, log(sum) */
    double S;
} qk_rowstate_f32;

typedef struct qk_rowstate_f64 {
    double vmax[QK_RL_F64];
    double sum[QK_RL_F64], comp[QK_RL_F64]; /* sum + compensation (TwoSum) */
    int nan, kind, fold;
    qk_size n;
    double m, lo, c0;
    double r_hi, r_lo, L;
    double S, Sc;
} qk_rowstate_f64;

/* `rows` contiguous rows of n elements at byte strides xrs/yrs; y == x in
 * place is fine.  logsumexp writes one element per row.  Return QK_FE_*. */
typedef int (*qk_rows_f32_fn)(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                              qk_size yrs);
typedef int (*qk_rows_f64_fn)(const char *x, char *y, qk_size n, qk_size rows, qk_size xrs,
                              qk_size yrs);
/* One phase on one contiguous chunk x[0..n) (y[0..n) for QK_PH_OUT;
 * logsumexp writes y[0] at QK_PH_OUT with n = 0).  Return QK_FE_*. */
typedef int (*qk_seg_f32_fn)(qk_rowstate_f32 *s, int phase, const float *x, float *y, qk_size n);
typedef int (*qk_seg_f64_fn)(qk_rowstate_f64 *s, int phase, const double *x, double *y,
                             qk_size n);

/* nv <= QK_VMAXB vectors of QK_WF (float32) / QK_WD (float64) rows side
 * by side (kernels/softmax_vertical.h): element i of row c at x + i xs +
 * c size, its result at y + i ys + c size (logsumexp: y + c yos); scratch
 * holds (n + 3) x nv vectors, 64-byte aligned.  Return QK_FE_*; *bad gets bit v for each vector
 * left to the row path (nothing written: special rows, mixed q1 folds). */
#define QK_VMAXB 32
typedef int (*qk_vert_fn)(const char *x, char *y, qk_size n, qk_size xs, qk_size ys,
                          qk_size yos, int nv, void *scratch, unsigned *bad);

enum qk_rowop_id {
#define QK_ROWOP(op, tier, sig) QK_R_##op##_##tier,
#include "quake/rowops.def"
#undef QK_ROWOP
    QK_N_ROWOP
};

/* The row kernels' op and tier codes (int op, int tier): rowops.def's rows
 * are op-major, three tiers each, so row QK_R_<op>_<tier> is
 * QK_N_ROWTIER * QK_OP_<op> + QK_TIER_<tier>; checked for every row below. */
enum { QK_TIER_q1 = 0, QK_TIER_q2, QK_TIER_precise, QK_N_ROWTIER };
enum { QK_OP_softmax = 0, QK_OP_log_softmax, QK_OP_logsumexp };
#define QK_ROWOP(op, tier, sig)                                                            \
    typedef char qk_rowop_code_##op##_##tier                                               \
        [QK_R_##op##_##tier == QK_N_ROWTIER * QK_OP_##op + QK_TIER_##tier ? 1 : -1];
#include "quake/rowops.def"
#undef QK_ROWOP

#endif
