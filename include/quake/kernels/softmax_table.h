/* The row ops' table entries, float32 and float64 (generic: simd/generic.h;
 * instantiated by kernels/all.h after the passes and float32's many-row
 * kernel): per rowops.def row, the rows kernel (QK_SM_ROWS_FN_F32: groups and
 * lanes; QK_SM_ROWS_FN_F64: one row at a time) and the segment kernel. */
#undef QK_DEFINE_ROWOP
#define QK_DEFINE_ROWOP(op, tier)                                                              \
    static int QK_FN(QK_TFN(op##_##tier##_rows))(const char *x, char *y, qk_size n,            \
                                                 qk_size rows, qk_size xrs, qk_size yrs)       \
    {                                                                                          \
        return QK_TC(QK_SM_ROWS_FN)(x, y, n, rows, xrs, yrs, QK_OP_##op, QK_TIER_##tier);         \
    }                                                                                          \
    static int QK_FN(QK_TFN(op##_##tier##_seg))(QK_TFN(qk_rowstate) * s, int phase,           \
                                                const qk_t *x, qk_t *y, qk_size n)             \
    {                                                                                          \
        return QK_TFN(qk_seg)(s, phase, x, y, n, QK_OP_##op, QK_TIER_##tier);                  \
    }

#define QK_ROWOP(op, tier, sig) QK_DEFINE_ROWOP(op, tier)
#include "quake/rowops.def"
#undef QK_ROWOP
#undef QK_DEFINE_ROWOP
