/* Every kernel template, instantiated once per target translation unit after
 * that target's SIMD layer (simd/<isa>.h) and QK_ISA are set. */
#include "quake/status.h"
#define QK_GENERIC "quake/kernels/driver.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/exp_f32.h"
#include "quake/kernels/exp_f64.h"
#define QK_GENERIC "quake/kernels/exp.h"
#include "quake/kernels/instantiate.h"

#include "quake/kernels/act_exp_f32.h"
#include "quake/kernels/act_exp_f64.h"
#define QK_GENERIC "quake/kernels/act_exp.h"
#include "quake/kernels/instantiate.h"
#include "quake/consts/gelu.h"

/* the activations, generic: one file per op, float32 and float64 */
#define QK_GENERIC "quake/kernels/sigmoid.h"
#include "quake/kernels/instantiate.h"
#define QK_GENERIC "quake/kernels/silu.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/tanh_f32.h"
#include "quake/kernels/tanh_f64.h"
#define QK_GENERIC "quake/kernels/tanh.h"
#include "quake/kernels/instantiate.h"
#define QK_GENERIC "quake/kernels/gelu_tanh.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/gelu_f32.h"
#include "quake/kernels/gelu_f64.h"
#define QK_GENERIC "quake/kernels/gelu.h"
#include "quake/kernels/instantiate.h"

/* the row ops: per-type parts, the passes (generic), float32's many-row
 * kernel, the table entries of both types, then the vertical form (rows
 * side by side: per-type sums, generic passes and entries) */
#include "quake/kernels/softmax_f32.h"
#include "quake/kernels/softmax_f64.h"
#define QK_GENERIC "quake/kernels/softmax.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/softmax_rows_f32.h"
#define QK_GENERIC "quake/kernels/softmax_table.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/softmax_vertical_f32.h"
#include "quake/kernels/softmax_vertical_f64.h"
#define QK_GENERIC "quake/kernels/softmax_vertical.h"
#include "quake/kernels/instantiate.h"
#include "quake/kernels/f16_ops.h"
#include "quake/kernels/driver_bf16.h"
