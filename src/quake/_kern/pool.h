/* The worker pool: one ufunc call split across threads (pool.c).
 *
 * The ufunc loops (loops.c, rowloops.c) call qk_pool_parts() with the call's
 * size and its op family's grain; below the grain it answers 1 from a
 * comparison alone (no atomic, no lock, no wake-up), and the loop runs as it
 * always did.  Above it, qk_pool_run() runs the call on that many threads:
 * [0, n) is cut into chunks (four per thread) that the calling thread and the
 * pool's workers claim one at a time, and the QK_FE_* bits of every chunk
 * come back ORed for the caller to raise.
 *
 * Workers run only the chunk function they are handed: plain C over the
 * arrays' memory, never a Python object, never the GIL.  They adopt the
 * caller's floating-point environment (rounding, FTZ/DAZ) for each job, so
 * every element is computed as on the calling thread.  One job runs at a
 * time; a call arriving while another thread's job runs computes on its own
 * thread (same bits, no waiting, no deadlock).
 */
#ifndef QUAKE_POOL_H
#define QUAKE_POOL_H

#include <numpy/ndarraytypes.h>

#define QK_POOL_MAX 256 /* threads per call, the caller included */

/* Compute items [begin, end) of the job `ctx`; return QK_FE_* bits.  Runs on
 * any pool thread, concurrently with the other chunks. */
typedef int (*qk_pool_fn)(const void *ctx, npy_intp begin, npy_intp end);

/* Op families, each with its grain (measured: pool.c). */
enum { QK_FAM_CHEAP, QK_FAM_PRECISE, QK_FAM_ROWS, QK_N_FAM };
/* Minimum elements per thread for each family: a call of n elements uses
 * min(threads, n / grain) threads. */
extern npy_intp qk_pool_grain[QK_N_FAM];

int qk_pool_parts_above_grain(npy_intp n, npy_intp grain);

/* How many parts a call of n elements runs in (1: single-threaded). */
static inline int qk_pool_parts(npy_intp n, npy_intp grain)
{
    if (n < 2 * grain)
        return 1; /* the grain: nothing shared is touched below it */
    return qk_pool_parts_above_grain(n, grain);
}

/* Run fn over [0, n) on `parts` threads; chunk boundaries fall on
 * phase + k * quantum (quantum >= 1: the elements of one output cache line
 * stay in one part).  Returns the ORed QK_FE_* bits. */
int qk_pool_run(int parts, qk_pool_fn fn, const void *ctx, npy_intp n, npy_intp quantum,
                npy_intp phase);

/* Threads per call (1..QK_POOL_MAX), set by quake.set_num_threads(); also
 * exported for threadpoolctl (quake_pool_get/set_num_threads). */
int qk_pool_get_threads(void);
void qk_pool_set_threads(int n);
/* Workers started so far (0 until the first parallel call; 0 again in a
 * child after fork()). */
int qk_pool_started(void);

#if defined(_WIN32)
#define QK_POOL_EXPORT __declspec(dllexport)
#else
#define QK_POOL_EXPORT __attribute__((visibility("default")))
#endif
/* The same two, exported from the extension for threadpoolctl. */
QK_POOL_EXPORT int quake_pool_get_num_threads(void);
QK_POOL_EXPORT void quake_pool_set_num_threads(int n);

#endif
