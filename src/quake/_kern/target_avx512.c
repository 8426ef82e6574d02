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

/* returns the overflow status of the narrowing (kernels/narrow_over.h) */
static int QK_FN(f2h)(const float *f, uint16_t *h, qk_size n)
{
    vi over = vi_set(-1);
    int st = 0;
    qk_size i = 0;
    for (; i + 16 <= n; i += 16) {
        const vf v = vf_load(f + i);
        over = qk_narrow_over(over, v, QK_F16_OVER_BASE);
        _mm256_storeu_si256((__m256i *)(h + i), _mm512_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) {
        st |= qk_narrow_over1(f[i], QK_F16_OVER_BASE);
        h[i] = qk_float_to_half(f[i]);
    }
    return st | qk_narrow_over_status(over, QK_F16_OVER_BASE);
}

QK_TARGET_POP()

/* The bfloat16 kernels again, narrowing with AVX512_BF16's vcvtneps2bf16
 * (round to nearest even, NaN -> top half | 0x0040: kernels/bf16.h), in a
 * region of their own: cpu.c selects them only where CPUID has the feature.
 * The instruction flushes denormal inputs to +-0; a vector holding one
 * (rare: results below 2^-126) takes the integer rounding instead, so the
 * bits equal qk_float_to_bf16 everywhere. */
#if (defined(__clang__) && __clang_major__ >= 9) || \
    (defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10)
QK_TARGET_PUSH("avx512f,avx512bf16,avx2,fma,f16c")

QK_INLINE void qk_store_bf16_hw(uint16_t *p, vf v)
{
    const __m512i a = _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff));
    /* nonzero denormal: a - 1 < 0x7fffff (unsigned) */
    if (QK_UNLIKELY(_mm512_cmplt_epu32_mask(_mm512_sub_epi32(a, _mm512_set1_epi32(1)),
                                            _mm512_set1_epi32(0x7fffff)))) {
        vf_store_bf16(p, v);
        return;
    }
    _mm256_storeu_si256((__m256i *)p, (__m256i)_mm512_cvtneps_pbh(v));
}

/* two vectors: one vcvtne2ps2bf16, one denormal test */
QK_INLINE void qk_store2_bf16_hw(uint16_t *p, vf a, vf b)
{
    const __m512i m = _mm512_set1_epi32(0x7fffffff), one = _mm512_set1_epi32(1);
    const __m512i da = _mm512_sub_epi32(_mm512_and_si512(_mm512_castps_si512(a), m), one);
    const __m512i db = _mm512_sub_epi32(_mm512_and_si512(_mm512_castps_si512(b), m), one);
    if (QK_UNLIKELY(_mm512_cmplt_epu32_mask(_mm512_min_epu32(da, db),
                                            _mm512_set1_epi32(0x7fffff)))) {
        qk_store2_bf16(p, a, b);
        return;
    }
    _mm512_storeu_si512((void *)p, (__m512i)_mm512_cvtne2ps_pbh(b, a));
}

#define QK_UNARY(op, tier) \
    QK_DEFINE_UNARY_BF16(op##_##tier, op, _hw, qk_store_bf16_hw, qk_store2_bf16_hw)
#include "quake/ops.def"
#undef QK_UNARY

static const qk_unary_bf16_fn qk_bf16_hw_avx512[QK_N_UNARY] = {
#define QK_UNARY(op, tier) QK_FN(op##_##tier##_bf16_hw),
#include "quake/ops.def"
#undef QK_UNARY
};

QK_TARGET_POP()
#define QK_TARGET_BF16_HW qk_bf16_hw_avx512
#define QK_TARGET_BF16_HW_REQUIRES QK_CPU_AVX512BF16
#endif

#define QK_TARGET_NAME "avx512"
#define QK_TARGET_REQUIRES (QK_CPU_AVX | QK_CPU_AVX2 | QK_CPU_FMA | QK_CPU_F16C | QK_CPU_AVX512F)
#include "quake/dispatch_table.h"

#endif /* QK_ARCH_X86_64 */
