/* AVX2 + FMA (+ F16C) target, x86-64 only.  Everything between the target
 * pragmas may use those instructions; cpu.c runs it only on CPUs (and OSes)
 * that support them. */
#include "quake/target.h"

#if QK_ARCH_X86_64
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/simd/half.h"

QK_TARGET_PUSH("avx2,fma,f16c")

#include "quake/simd/avx2.h"
#define QK_ISA avx2
#include "quake/kernels/all.h"

static void QK_FN(h2f)(const uint16_t *h, float *f, qk_size n)
{
    qk_size i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(f + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(h + i))));
    for (; i < n; i++)
        f[i] = qk_half_to_float(h[i]);
}

/* returns the overflow status of the narrowing (kernels/narrow_over.h) */
static int QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    vi over = vi_set(-1);
    int st = 0;
    qk_size i = 0;
    for (; i + 8 <= n; i += 8) {
        const vf v = vf_load(f + i);
        over = qk_narrow_over(over, v, QK_F16_OVER_BASE);
        _mm_storeu_si128((__m128i *)(h + i), _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) {
        st |= qk_narrow_over1(f[i], QK_F16_OVER_BASE);
        h[i] = qk_float_to_half(f[i]);
    }
    return st | qk_narrow_over_status(over, QK_F16_OVER_BASE);
}

#define QK_TARGET_NAME "avx2"
#define QK_TARGET_REQUIRES (QK_CPU_AVX | QK_CPU_AVX2 | QK_CPU_FMA | QK_CPU_F16C)
#include "quake/dispatch_table.h"

QK_TARGET_POP()

#endif /* QK_ARCH_X86_64 */
