/* AVX-512F target (x86-64): 16 float32 / 8 float64 lanes, opmask edge
 * handling and masked tails.  cpu.c runs it only where the CPU has
 * AVX512F and the OS saves the ZMM/opmask state (XCR0). */
#include "quake/target.h"

#if QK_ARCH_X86_64
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "quake/dispatch.h"
#include "quake/simd/half.h"

QK_TARGET_PUSH("avx512f,avx2,fma,f16c")

#include "quake/simd/avx512.h"
#define QK_ISA avx512
#include "quake/kernels/all.h"

static void QK_FN(h2f)(const uint16_t *h, float *f, qk_size n)
{
    qk_size i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(f + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(h + i))));
    for (; i < n; i++) /* 16-bit masked loads would need AVX512BW */
        f[i] = qk_half_to_float(h[i]);
}

static void QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    qk_size i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(h + i),
                            _mm512_cvtps_ph(_mm512_loadu_ps(f + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++)
        h[i] = qk_float_to_half(f[i]);
}

#define QK_TARGET_NAME "avx512"
#define QK_TARGET_REQUIRES (QK_CPU_AVX | QK_CPU_AVX2 | QK_CPU_FMA | QK_CPU_F16C | QK_CPU_AVX512F)
#include "quake/dispatch_table.h"

QK_TARGET_POP()

#endif /* QK_ARCH_X86_64 */
