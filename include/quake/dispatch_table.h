/* Defines the target's kernel table, qk_target_<QK_ISA> (see dispatch.h).
 * Include last in a target translation unit, after defining
 * QK_TARGET_NAME (a string) and QK_TARGET_REQUIRES (QK_CPU_* bits), and
 * after the target's h2f/f2h conversions. */
const qk_target QK_FN(target) = {
    QK_TARGET_NAME,
    QK_TARGET_REQUIRES,
    QK_FN(h2f),
    QK_FN(f2h),
    {
#define QK_UNARY(op, tier) QK_FN(op##_##tier##_f32),
#include "quake/ops.def"
#undef QK_UNARY
    },
    {
#define QK_UNARY(op, tier) QK_FN(op##_##tier##_f64),
#include "quake/ops.def"
#undef QK_UNARY
    },
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_rows_f32),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_rows_f64),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_seg_f32),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_seg_f64),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
    {
#define QK_UNARY(op, tier) QK_FN(op##_##tier##_f16),
#include "quake/ops.def"
#undef QK_UNARY
    },
    {
#define QK_UNARY(op, tier) QK_FN(op##_##tier##_bf16),
#include "quake/ops.def"
#undef QK_UNARY
    },
    QK_FN(b2f),
    QK_FN(f2b),
#ifdef QK_TARGET_BF16_HW
    QK_TARGET_BF16_HW,
    QK_TARGET_BF16_HW_REQUIRES,
#else
    NULL,
    0u,
#endif
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_vert_f32),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
#define QK_ROWOP(op, tier, sig) QK_FN(op##_##tier##_vert_f64),
    {
#include "quake/rowops.def"
    },
#undef QK_ROWOP
    QK_WF,
    QK_WD,
};
