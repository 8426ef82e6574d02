/* Every kernel template, instantiated once per target translation unit after
 * that target's SIMD layer (simd/<isa>.h) and QK_ISA are set. */
#include "quake/status.h"
#include "quake/kernels/driver.h"
#include "quake/kernels/exp_f32.h"
#include "quake/kernels/exp_f64.h"

#include "quake/kernels/sigmoid_f32.h"
#include "quake/kernels/sigmoid_f64.h"
#include "quake/kernels/silu_f32.h"
#include "quake/kernels/silu_f64.h"
#include "quake/kernels/tanh_f32.h"
#include "quake/kernels/tanh_f64.h"
#include "quake/kernels/gelu_tanh_f32.h"
#include "quake/kernels/gelu_tanh_f64.h"
#include "quake/kernels/gelu_f32.h"
#include "quake/kernels/gelu_f64.h"
#include "quake/kernels/softmax_f32.h"
#include "quake/kernels/softmax_f64.h"
