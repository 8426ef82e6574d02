/* The float32 part of the vertical row ops (kernels/softmax_vertical.h
 * holds the passes, written once; softmax_vertical_f64.h the same
 * interface for float64).  Row c of a vector of rows is vector lane c;
 * its canonical lane l (quake/rows.h) is accumulator D[l]:
 *   QK_VACC_F32       vd per accumulator: the widened halves of a vf
 *   QK_VSUMS_F32      doubles that qk_vert_sums leaves per vector of rows
 *   qk_vert_step      D[l] += e in float64, the row kernel's step
 *   qk_vert_sums      the halving tree over l, one sum S per row
 *   qk_vert_row_fin   row c's 1/S or log S (qk_row_fin_f32)
 * q1/q2 add groups of QK_SM_GROUP_F32 blocks in float32 before the step,
 * as the row kernel does (the group loop is in the generic pass). */
#ifndef QUAKE_KERNELS_SOFTMAX_VERTICAL_F32_H
#define QUAKE_KERNELS_SOFTMAX_VERTICAL_F32_H

#include "quake/kernels/softmax_f32.h"

#define QK_VACC_F32 QK_NW_F32
#define QK_VSUMS_F32 QK_WF

QK_INLINE void qk_vert_step_f32(vd *a, vf e) { qk_row_sum_step_f32(a, 0, e); }

/* S[c] = row c's sum: acc[k] += acc[k + h], h = 8, 4, 2, 1 (the row
 * kernel's tree), then the QK_VACC_F32 halves of D[0] side by side */
QK_INLINE void qk_vert_sums_f32(vd D[][QK_VACC_F32], double *S)
{
    for (int h = QK_RL_F32 / 2; h >= 1; h /= 2)
        for (int k = 0; k < h; k++)
            for (int j = 0; j < QK_VACC_F32; j++)
                D[k][j] = vd_add(D[k][j], D[k + h][j]);
    for (int j = 0; j < QK_VACC_F32; j++)
        vd_store(S + j * QK_WD, D[0][j]);
}

QK_INLINE void qk_vert_row_fin_f32(qk_rowstate_f32 *s, const double *S, int c, int op, int tier)
{
    qk_row_fin_f32(s, S[c], op, tier);
}

#endif
