/* The float64 part of the vertical row ops, the same interface as
 * softmax_vertical_f32.h: accumulator D[l] is the TwoSum pair (sum,
 * compensation) of canonical lane l; the tree over the pairs is the row
 * kernel's, in plain C, per row (qk_row_fin_f64). */
#ifndef QUAKE_KERNELS_SOFTMAX_VERTICAL_F64_H
#define QUAKE_KERNELS_SOFTMAX_VERTICAL_F64_H

#include "quake/kernels/softmax_f64.h"

#define QK_VACC_F64 2
#define QK_VSUMS_F64 (2 * QK_RL_F64 * QK_WD)

QK_INLINE void qk_vert_step_f64(vd *a, vd e) { qk_twosum_add_f64(&a[0], &a[1], e); }

/* lane l's sums at S + l QK_WD, its compensations at S + (QK_RL_F64 + l) QK_WD */
QK_INLINE void qk_vert_sums_f64(vd D[][QK_VACC_F64], double *S)
{
    for (int l = 0; l < QK_RL_F64; l++) {
        vd_store(S + l * QK_WD, D[l][0]);
        vd_store(S + (QK_RL_F64 + l) * QK_WD, D[l][1]);
    }
}

QK_INLINE void qk_vert_row_fin_f64(qk_rowstate_f64 *s, const double *S, int c, int op, int tier)
{
    for (int l = 0; l < QK_RL_F64; l++) {
        s->sum[l] = S[l * QK_WD + c];
        s->comp[l] = S[(QK_RL_F64 + l) * QK_WD + c];
    }
    qk_row_fin_f64(s, op, tier);
}

#endif
