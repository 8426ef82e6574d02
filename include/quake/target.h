/* Compiler/architecture plumbing shared by every kernel translation unit.
 *
 * Each SIMD target is one .c file that includes the same kernel templates
 * inside a "target region": a pragma that lets the compiler emit that ISA's
 * instructions for the functions in between, without any per-file compiler
 * flags (and without -march=native).  Only the CPU-dispatch code decides
 * whether such a function may run.
 */
#ifndef QUAKE_TARGET_H
#define QUAKE_TARGET_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(_M_X64)
#define QK_ARCH_X86_64 1
#else
#define QK_ARCH_X86_64 0
#endif

#if defined(__aarch64__) || defined(_M_ARM64)
#define QK_ARCH_AARCH64 1
#else
#define QK_ARCH_AARCH64 0
#endif

/* Floating-point exceptions are part of the kernels' contract: only genuine
 * overflow/underflow may raise a flag (NumPy turns flags into warnings).
 * GCC keeps that by default (-ftrapping-math: no transformation may raise
 * an exception the source does not).  Clang's default assumes flags are
 * never read (-ffp-exception-behavior=ignore), so it may speculate FP
 * operations onto lanes the source patches (NaN, huge inputs) or pick a
 * signalling encoding for a quiet compare: Clang 14 -O3 raised "invalid"
 * for NaN and "overflow" for +-1e30/FLT_MAX in every op and target.
 * "maytrap" forbids such transformations, for every function that follows in the
 * including translation unit (intrinsic headers included after this one,
 * as every target TU does). */
#if defined(__clang__)
#pragma clang fp exceptions(maytrap)
#endif

/* Element counts and strides: same width as npy_intp / Py_ssize_t. */
typedef ptrdiff_t qk_size;

/* QK_INLINE: the SIMD layer and kernel pieces, forced inline when
 * optimising so that the drivers see through the function pointers.  Not
 * in unoptimised (-O0) builds: there neither compiler shares stack slots
 * between inlined bodies, so flattening a row kernel's thousands of vector
 * temporaries into one function took 4.4 MiB (gcc) or 12 MiB (clang) of
 * stack per call; as plain calls each frame stays small. */
#if (defined(__GNUC__) || defined(__clang__)) && defined(__OPTIMIZE__)
#define QK_INLINE static inline __attribute__((always_inline))
#define QK_UNLIKELY(c) __builtin_expect(!!(c), 0)
#elif defined(__GNUC__) || defined(__clang__)
#define QK_INLINE static inline
#define QK_UNLIKELY(c) __builtin_expect(!!(c), 0)
#else
#define QK_INLINE static __forceinline
#define QK_UNLIKELY(c) (c)
#endif

#define QK_PRAGMA_(x) _Pragma(#x)
#define QK_PRAGMA(x) QK_PRAGMA_(x)

#if defined(__clang__)
#define QK_TARGET_PUSH(features) \
    QK_PRAGMA(clang attribute push(__attribute__((target(features))), apply_to = function))
#define QK_TARGET_POP() QK_PRAGMA(clang attribute pop)
#elif defined(__GNUC__)
#define QK_TARGET_PUSH(features) QK_PRAGMA(GCC push_options) QK_PRAGMA(GCC target(features))
#define QK_TARGET_POP() QK_PRAGMA(GCC pop_options)
#else /* MSVC: intrinsics need no target attributes */
#define QK_TARGET_PUSH(features)
#define QK_TARGET_POP()
#endif

/* QK_FN(exp_q1_f32) -> qk_exp_q1_f32_<QK_ISA>: one symbol per target. */
#define QK_FN__(name, isa) qk_##name##_##isa
#define QK_FN_(name, isa) QK_FN__(name, isa)
#define QK_FN(name) QK_FN_(name, QK_ISA)

/* Software prefetch for the streaming loops (kernels/driver*.h): the lines
 * QK_PREFETCH_BYTES ahead of this step's input (read) and output (write).
 * On the Intel AVX-512 VM of 2026-12 (single thread, float32, 1e7
 * elements, out=) it took tanh 0.50 -> 0.36-0.39 ns/el, exp 0.37 -> 0.29-0.32:
 * the hardware prefetchers alone do not keep a long kernel's loads ahead of
 * it.  A prefetch never faults; the address is formed as an integer, so
 * looking past the end of the caller's array is no out-of-bounds pointer
 * arithmetic.  Steps of 64 bytes or more prefetch each line they will
 * touch; narrower ones (the scalar layer) none. */
#define QK_PREFETCH_BYTES 4096
#if defined(__GNUC__) || defined(__clang__)
#define QK_PREFETCH_LINES(x, y, step_bytes)                                                  \
    do {                                                                                     \
        if ((step_bytes) >= 64)                                                              \
            for (size_t qk_pf_ = 0; qk_pf_ < (size_t)(step_bytes); qk_pf_ += 64) {          \
                __builtin_prefetch((const void *)((uintptr_t)(x) + QK_PREFETCH_BYTES + qk_pf_), 0); \
                __builtin_prefetch((const void *)((uintptr_t)(y) + QK_PREFETCH_BYTES + qk_pf_), 1); \
            }                                                                                \
    } while (0)
/* the input's lines only (the row ops' first pass over a row) */
#define QK_PREFETCH_READ(x, step_bytes)                                                      \
    do {                                                                                     \
        if ((step_bytes) >= 64)                                                              \
            for (size_t qk_pf_ = 0; qk_pf_ < (size_t)(step_bytes); qk_pf_ += 64)            \
                __builtin_prefetch((const void *)((uintptr_t)(x) + QK_PREFETCH_BYTES + qk_pf_), 0); \
    } while (0)
/* the output's lines only, for writing (the row ops' pass that first stores) */
#define QK_PREFETCH_WRITE(y, step_bytes)                                                     \
    do {                                                                                     \
        if ((step_bytes) >= 64)                                                              \
            for (size_t qk_pf_ = 0; qk_pf_ < (size_t)(step_bytes); qk_pf_ += 64)            \
                __builtin_prefetch((const void *)((uintptr_t)(y) + QK_PREFETCH_BYTES + qk_pf_), 1); \
    } while (0)
#else
#define QK_PREFETCH_LINES(x, y, step_bytes) ((void)0)
#define QK_PREFETCH_READ(x, step_bytes) ((void)0)
#define QK_PREFETCH_WRITE(y, step_bytes) ((void)0)
#endif

#endif
