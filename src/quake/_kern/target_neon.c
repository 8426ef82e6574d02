/* AArch64 Advanced SIMD (NEON) target: baseline on every AArch64 CPU, so it
 * needs no target pragma and no runtime detection. */
#include "quake/target.h"

#if QK_ARCH_AARCH64
#include <arm_neon.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/simd/half.h"
#include "quake/simd/neon.h"

#define QK_ISA neon
#include "quake/kernels/all.h"

/* binary16 <-> binary32 with FCVT (FPCR rounding: round-to-nearest-even
 * unless the caller changed it). */
static void QK_FN(h2f)(const uint16_t *h, float *f, qk_size n)
{
    qk_size i = 0;
    for (; i + 4 <= n; i += 4)
        vst1q_f32(f + i, vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(h + i))));
    for (; i < n; i++)
        f[i] = qk_half_to_float(h[i]);
}

/* returns the overflow status of the narrowing (kernels/narrow_over.h) */
static int QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    vi over = vi_set(-1);
    int st = 0;
    qk_size i = 0;
    for (; i + 4 <= n; i += 4) {
        const vf v = vf_load(f + i);
        over = qk_narrow_over(over, v, QK_F16_OVER_BASE);
        vst1_u16(h + i, vreinterpret_u16_f16(vcvt_f16_f32(v)));
    }
    for (; i < n; i++) {
        st |= qk_narrow_over1(f[i], QK_F16_OVER_BASE);
        h[i] = qk_float_to_half(f[i]);
    }
    return st | qk_narrow_over_status(over, QK_F16_OVER_BASE);
}

#define QK_TARGET_NAME "neon"
#define QK_TARGET_REQUIRES QK_CPU_NEON
#include "quake/dispatch_table.h"

#endif /* QK_ARCH_AARCH64 */
