/* The type-generic alias layer: kernels written once for float32 and float64.
 *
 * A generic kernel file is written against the names below and included
 * twice by kernels/instantiate.h, once with QK_T == 32 and once with
 * QK_T == 64 (each time after this header), the way every target
 * translation unit includes the kernels once per SIMD layer:
 *   qk_v, qk_m, qk_vi  the vector, mask and integer vector types (vf/mf/vi,
 *                      vd/md/vl), qk_t the scalar (float, double), QK_W the
 *                      lane count (QK_WF, QK_WD);
 *   v_add, v_fma, ...  the SIMD layer's vf_* / vd_* operations, m_or ...
 *                      mf_* / md_*, i_shl ... vi_* / vl_*;
 *   QK_TFN(name)       name_f32 / name_f64 (a per-type symbol);
 *   QK_TK(name, sfx)   name_f32_sfx / name_f64_sfx (a kernel's core/full);
 *   QK_TC(NAME)        NAME_F32 / NAME_F64 (a constant by type).
 * What truly differs by type (float32's polynomial exp and float64's table,
 * the order-1 constructions) stays in per-type files behind one interface
 * with the same names and signatures (kernels/act_exp_f{32,64}.h). */
#ifndef QUAKE_SIMD_GENERIC_H
#define QUAKE_SIMD_GENERIC_H

#define QK_CAT_(a, b) a##b
#define QK_CAT(a, b) QK_CAT_(a, b)
#define QK_CAT3_(a, b, c) a##b##c
#define QK_CAT3(a, b, c) QK_CAT3_(a, b, c)

/* per type (kernels/instantiate.h): QK_TV_ (vf_ / vd_), QK_TM_ (mf_ / md_),
 * QK_TI_ (vi_ / vl_), QK_TSUF (_f32 / _f64), QK_TCSUF (_F32 / _F64) */
#define QK_TFN(name) QK_CAT(name, QK_TSUF)
#define QK_TK(name, sfx) QK_CAT3(name, QK_TSUF, sfx)
#define QK_TC(name) QK_CAT(name, QK_TCSUF)

#define v_load QK_CAT(QK_TV_, load)
#define v_store QK_CAT(QK_TV_, store)
#define v_load_partial QK_CAT(QK_TV_, load_partial)
#define v_store_partial QK_CAT(QK_TV_, store_partial)
#define v_load_partial_or QK_CAT(QK_TV_, load_partial_or)
#define v_set QK_CAT(QK_TV_, set)
#define v_add QK_CAT(QK_TV_, add)
#define v_sub QK_CAT(QK_TV_, sub)
#define v_mul QK_CAT(QK_TV_, mul)
#define v_div QK_CAT(QK_TV_, div)
#define v_fma QK_CAT(QK_TV_, fma)
#define v_min QK_CAT(QK_TV_, min)
#define v_max QK_CAT(QK_TV_, max)
#define v_hmax QK_CAT(QK_TV_, hmax)
#define v_abs QK_CAT(QK_TV_, abs)
#define v_or_sign QK_CAT(QK_TV_, or_sign)
#define v_floor QK_CAT(QK_TV_, floor)
#define v_lt QK_CAT(QK_TV_, lt)
#define v_gt QK_CAT(QK_TV_, gt)
#define v_isnan QK_CAT(QK_TV_, isnan)
#define v_outside QK_CAT(QK_TV_, outside)
#define v_select QK_CAT(QK_TV_, select)
#define v_zero_if QK_CAT(QK_TV_, zero_if)
#define m_or QK_CAT(QK_TM_, or)
#define m_and QK_CAT(QK_TM_, and)
#define m_any QK_CAT(QK_TM_, any)
#define i_add QK_CAT(QK_TI_, add)
#define i_shl QK_CAT(QK_TI_, shl)

#endif

/* ---- the per-type part: re-read for each instantiation ---- */
#undef qk_v
#undef qk_m
#undef qk_vi
#undef qk_t
#undef QK_W
#undef QK_TV_
#undef QK_TM_
#undef QK_TI_
#undef QK_TSUF
#undef QK_TCSUF
#undef v_as_i
#undef i_as_v
#undef QK_DEFINE_UNARY_T
#undef QK_DEFINE_UNARY_ABS_T
#if QK_T == 32
#define qk_v vf
#define qk_m mf
#define qk_vi vi
#define qk_t float
#define QK_W QK_WF
#define QK_TV_ vf_
#define QK_TM_ mf_
#define QK_TI_ vi_
#define QK_TSUF _f32
#define QK_TCSUF _F32
#define v_as_i vf_as_vi
#define i_as_v vi_as_vf
#define QK_DEFINE_UNARY_T(name, op, lo, hi) QK_DEFINE_UNARY_F32(name, op, lo, hi)
#define QK_DEFINE_UNARY_ABS_T(name, op, amax) QK_DEFINE_UNARY_ABS_F32(name, op, amax)
#elif QK_T == 64
#define qk_v vd
#define qk_m md
#define qk_vi vl
#define qk_t double
#define QK_W QK_WD
#define QK_TV_ vd_
#define QK_TM_ md_
#define QK_TI_ vl_
#define QK_TSUF _f64
#define QK_TCSUF _F64
#define v_as_i vd_as_vl
#define i_as_v vl_as_vd
#define QK_DEFINE_UNARY_T(name, op, lo, hi) QK_DEFINE_UNARY_F64(name, op, lo, hi)
#define QK_DEFINE_UNARY_ABS_T(name, op, amax) QK_DEFINE_UNARY_ABS_F64(name, op, amax)
#else
#error "QK_T must be 32 or 64"
#endif
