/* CPU feature detection and the active-target switch.
 *
 * x86-64: CPUID leaves 1 and 7 give the instruction-set bits; XGETBV(0) says
 * whether the OS saves the YMM (and ZMM/opmask) state, without which AVX
 * instructions fault even on a CPU that has them.  Detection runs once; the
 * active table is a C11 atomic pointer, so concurrent ufunc calls always see
 * a whole, valid table, even while another thread switches targets.
 */
#include <stdatomic.h>
#include <string.h>

#include "quake/target.h"
#include "quake/dispatch.h"

extern const qk_target qk_target_scalar;
#if QK_ARCH_X86_64
extern const qk_target qk_target_avx2;
extern const qk_target qk_target_avx512;
#endif
#if QK_ARCH_AARCH64
extern const qk_target qk_target_neon;
#endif

/* Compiled-in targets, from the most portable to the fastest. */
static const qk_target *const all_targets[] = {
    &qk_target_scalar,
#if QK_ARCH_X86_64
    &qk_target_avx2,
    &qk_target_avx512,
#endif
#if QK_ARCH_AARCH64
    &qk_target_neon,
#endif
};
#define N_TARGETS ((int)(sizeof all_targets / sizeof all_targets[0]))

#if QK_ARCH_X86_64
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
static void cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
    int v[4];
    __cpuidex(v, (int)leaf, (int)sub);
    for (int i = 0; i < 4; i++)
        r[i] = (unsigned)v[i];
}
static unsigned long long xgetbv0(void) { return _xgetbv(0); }
#else
#include <cpuid.h>
static void cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
    __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
}
static unsigned long long xgetbv0(void)
{
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}
#endif

static unsigned detect(void)
{
    unsigned r[4], f = QK_CPU_SSE2; /* baseline of x86-64 */
    cpuid(0, 0, r);
    unsigned max_leaf = r[0];
    cpuid(1, 0, r);
    unsigned ecx1 = r[2];
    int osxsave = (ecx1 >> 27) & 1;
    unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
    int ymm_os = (xcr0 & 0x6) == 0x6;      /* XMM and YMM state */
    int zmm_os = (xcr0 & 0xe6) == 0xe6;    /* + opmask, ZMM_Hi256, Hi16_ZMM */
    if (ymm_os && ((ecx1 >> 28) & 1))
        f |= QK_CPU_AVX;
    if (ymm_os && ((ecx1 >> 12) & 1))
        f |= QK_CPU_FMA;
    if (ymm_os && ((ecx1 >> 29) & 1))
        f |= QK_CPU_F16C;
    if (max_leaf >= 7) {
        cpuid(7, 0, r);
        unsigned ebx7 = r[1], max_sub7 = r[0];
        if (ymm_os && ((ebx7 >> 5) & 1))
            f |= QK_CPU_AVX2;
        if (zmm_os) {
            if ((ebx7 >> 16) & 1)
                f |= QK_CPU_AVX512F;
            if ((ebx7 >> 17) & 1)
                f |= QK_CPU_AVX512DQ;
            if ((ebx7 >> 30) & 1)
                f |= QK_CPU_AVX512BW;
            if ((ebx7 >> 31) & 1)
                f |= QK_CPU_AVX512VL;
            if (max_sub7 >= 1) {
                cpuid(7, 1, r);
                if ((r[0] >> 5) & 1) /* EAX[5]: AVX512_BF16 */
                    f |= QK_CPU_AVX512BF16;
            }
        }
    }
    return f;
}
#elif QK_ARCH_AARCH64
static unsigned detect(void) { return QK_CPU_NEON; } /* Advanced SIMD is baseline */
#else
static unsigned detect(void) { return 0; }
#endif

static atomic_uint features_cache;        /* 0 = not yet detected */
static _Atomic(const qk_target *) active; /* NULL = not yet chosen */

unsigned qk_cpu_features(void)
{
    unsigned f = atomic_load_explicit(&features_cache, memory_order_relaxed);
    if (!f) {
        f = detect() | 0x80000000u; /* high bit: "detected" marker */
        atomic_store_explicit(&features_cache, f, memory_order_relaxed);
    }
    return f & 0x7fffffffu;
}

int qk_target_count(void) { return N_TARGETS; }

const qk_target *qk_target_at(int i)
{
    return (i >= 0 && i < N_TARGETS) ? all_targets[i] : NULL;
}

int qk_target_supported(const qk_target *t)
{
    return (qk_cpu_features() & t->requires) == t->requires;
}

static const qk_target *best_target(void)
{
    for (int i = N_TARGETS - 1; i > 0; i--)
        if (qk_target_supported(all_targets[i]))
            return all_targets[i];
    return all_targets[0];
}

const qk_target *qk_active_target(void)
{
    const qk_target *t = atomic_load_explicit(&active, memory_order_acquire);
    if (QK_UNLIKELY(!t)) {
        const qk_target *expected = NULL;
        t = best_target();
        if (!atomic_compare_exchange_strong_explicit(&active, &expected, t, memory_order_acq_rel,
                                                     memory_order_acquire))
            t = expected; /* another thread chose first (or switched): use its choice */
    }
    return t;
}

static atomic_int bf16_hw_off; /* qk_set_bf16_hw(0): tests compare both sets */

void qk_set_bf16_hw(int on) { atomic_store_explicit(&bf16_hw_off, !on, memory_order_relaxed); }

int qk_bf16_hw_active(const qk_target *t)
{
    return t->unary_bf16_hw != NULL && !atomic_load_explicit(&bf16_hw_off, memory_order_relaxed) &&
           (qk_cpu_features() & t->bf16_hw_requires) == t->bf16_hw_requires;
}

const qk_unary_bf16_fn *qk_bf16_kernels(const qk_target *t)
{
    return qk_bf16_hw_active(t) ? t->unary_bf16_hw : t->unary_bf16;
}

int qk_set_active_target(const char *name)
{
    const qk_target *t = NULL;
    if (name == NULL || strcmp(name, "best") == 0) {
        t = best_target();
    } else {
        for (int i = 0; i < N_TARGETS; i++)
            if (strcmp(all_targets[i]->name, name) == 0)
                t = all_targets[i];
        if (!t)
            return -1;
        if (!qk_target_supported(t))
            return -2;
    }
    atomic_store_explicit(&active, t, memory_order_release);
    return 0;
}
