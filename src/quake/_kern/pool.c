/* The worker pool (pool.h): persistent threads, started on the first call
 * that splits, woken per job, sleeping on a condition variable in between.
 *
 * POSIX threads, or Win32 threads under _WIN32 (SRW lock + condition
 * variable).  One job at a time: the caller that takes the `busy` flag owns
 * the pool until its parts are done; a concurrent caller finds the flag set
 * and computes its whole call on its own thread.  After fork() the child has
 * no workers: a pthread_atfork handler resets the pool, which a later call
 * starts again.  Workers are detached and never joined: at interpreter exit
 * they sleep (or finish a part on memory their caller still holds) until the
 * process ends; they own no Python state, so there is nothing to tear down.
 */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <fenv.h>
#include <stdatomic.h>

#ifdef _WIN32
#include <windows.h>
#include <process.h>
#else
#include <pthread.h>
#include <signal.h>
#endif

#include "pool.h"

/* Grains: the fewest elements per thread for which a second thread pays
 * off, from tools/measure_grain.py on the 2-core AMD EPYC Zen 4 VM (AVX-512,
 * float32, in place, 2 threads vs 1; the other core shared with other work,
 * so readings where it was busy were discarded): 2 threads first beat 1 by
 * >= 10% at 32768 elements for q2 exp/gelu (16384 a thread), 16384 for
 * precise exp/sigmoid/gelu (8192 a thread), 16384-32768 for the row ops
 * (softmax, logsumexp over rows of 128); each rounded up to the next power of
 * two above the worst op of its family, so a call just above the grain is
 * not slower than single-threaded.  A wake-up and join costs ~5-15 us here. */
npy_intp qk_pool_grain[QK_N_FAM] = {
    [QK_FAM_CHEAP] = 32768,
    [QK_FAM_PRECISE] = 8192,
    [QK_FAM_ROWS] = 16384,
};

#define QK_WORKER_STACK (1 << 20) /* bytes; the loops' frames need a few KiB */
/* Spin iterations (a pause each, ~10-40 ns) a worker waits for the next job
 * and the caller for the workers before sleeping: waking a sleeping thread
 * costs 10-100 us on a VM, more than a whole call near the grain. */
#define QK_SPIN 4000

#if defined(_MSC_VER)
#define qk_pause() YieldProcessor()
#elif defined(__x86_64__) || defined(__i386__)
#define qk_pause() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define qk_pause() __asm__ __volatile__("yield")
#else
#define qk_pause() ((void)0)
#endif

/* ---- locks and condition variables ---- */
#ifdef _WIN32
typedef SRWLOCK qk_mutex;
typedef CONDITION_VARIABLE qk_cond;
#define QK_MUTEX_INIT SRWLOCK_INIT
#define QK_COND_INIT CONDITION_VARIABLE_INIT
static void mutex_init(qk_mutex *m) { InitializeSRWLock(m); }
static void mutex_lock(qk_mutex *m) { AcquireSRWLockExclusive(m); }
static void mutex_unlock(qk_mutex *m) { ReleaseSRWLockExclusive(m); }
static void cond_init(qk_cond *c) { InitializeConditionVariable(c); }
static void cond_wait(qk_cond *c, qk_mutex *m) { SleepConditionVariableSRW(c, m, INFINITE, 0); }
static void cond_signal(qk_cond *c) { WakeConditionVariable(c); }
static void cond_broadcast(qk_cond *c) { WakeAllConditionVariable(c); }
#else
typedef pthread_mutex_t qk_mutex;
typedef pthread_cond_t qk_cond;
#define QK_MUTEX_INIT PTHREAD_MUTEX_INITIALIZER
#define QK_COND_INIT PTHREAD_COND_INITIALIZER
static void mutex_init(qk_mutex *m) { pthread_mutex_init(m, NULL); }
static void mutex_lock(qk_mutex *m) { pthread_mutex_lock(m); }
static void mutex_unlock(qk_mutex *m) { pthread_mutex_unlock(m); }
static void cond_init(qk_cond *c) { pthread_cond_init(c, NULL); }
static void cond_wait(qk_cond *c, qk_mutex *m) { pthread_cond_wait(c, m); }
static void cond_signal(qk_cond *c) { pthread_cond_signal(c); }
static void cond_broadcast(qk_cond *c) { pthread_cond_broadcast(c); }
#endif

/* ---- the pool ---- */
/* A job is cut into up to QK_CHUNKS chunks per thread, which the caller and
 * the woken workers claim one at a time: a thread the OS runs late (a busy
 * core) leaves its chunks to the others instead of holding the call up.
 * Which thread computes a chunk never changes its bits. */
#define QK_CHUNKS 4
#define QK_MAX_CHUNKS (QK_POOL_MAX * QK_CHUNKS)

typedef struct {
    qk_pool_fn fn;
    const void *ctx;
    fenv_t env;                          /* the caller's FP environment */
    npy_intp bounds[QK_MAX_CHUNKS + 1];  /* chunk c: [bounds[c], bounds[c+1]) */
} qk_job;

typedef struct {
    unsigned long gen; /* the job generation current when the worker started */
} qk_worker;

static struct {
    qk_mutex lock;  /* guards gen, started and the job's fields while they are written */
    qk_cond wake;   /* workers wait here for gen to change */
    qk_cond done;   /* the caller waits here for remaining to reach 0 */
    int started;    /* workers running */
    unsigned long gen;
    atomic_ulong agen;      /* gen, for spinning workers to read without the lock */
    atomic_ullong ticket;   /* (gen mod 2^32) << 32 | the next chunk to claim */
    atomic_int remaining;   /* chunks not yet computed */
    atomic_int status;      /* the computed chunks' QK_FE_* bits */
    int nchunks;
    qk_job job;
    qk_worker w[QK_POOL_MAX];
} P = {QK_MUTEX_INIT, QK_COND_INIT, QK_COND_INIT, 0, 0, 0, 0, 0, 0, 0, {0}, {{0}}};

static atomic_int n_threads = 1;
static atomic_flag busy = ATOMIC_FLAG_INIT;

/* Claim and compute chunks of job `gen` (of n chunks) until none is left;
 * returns how many this thread computed.  A claim succeeds only while the
 * ticket still carries this job's generation, so a worker that wakes after
 * the job ended never touches the next one's chunks. */
static int run_chunks(unsigned long gen, int n, int set_env)
{
    const unsigned long long tag = (unsigned long long)(gen & 0xffffffffu) << 32;
    int mine = 0;
    unsigned long long t = atomic_load_explicit(&P.ticket, memory_order_acquire);
    for (;;) {
        if ((t & ~0xffffffffull) != tag || (int)(t & 0xffffffffu) >= n)
            return mine;
        if (!atomic_compare_exchange_weak_explicit(&P.ticket, &t, t + 1, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue; /* t reloaded */
        const int c = (int)(t & 0xffffffffu);
        const qk_job *j = &P.job; /* stable: the job cannot end before this chunk does */
        if (set_env && mine == 0)
            fesetenv(&j->env);
        const int st = j->fn(j->ctx, j->bounds[c], j->bounds[c + 1]);
        if (st)
            atomic_fetch_or_explicit(&P.status, st, memory_order_relaxed);
        mine++;
        if (atomic_fetch_sub_explicit(&P.remaining, 1, memory_order_acq_rel) == 1) {
            mutex_lock(&P.lock); /* the caller may be about to sleep on `done` */
            cond_signal(&P.done);
            mutex_unlock(&P.lock);
            return mine;
        }
        t = atomic_load_explicit(&P.ticket, memory_order_acquire);
    }
}

static void worker_loop(qk_worker *me)
{
    mutex_lock(&P.lock);
    unsigned long seen = me->gen;
    for (;;) {
        while (P.gen == seen)
            cond_wait(&P.wake, &P.lock);
        seen = P.gen;
        const int n = P.nchunks;
        mutex_unlock(&P.lock);
        run_chunks(seen, n, 1);
        for (int i = 0; i < QK_SPIN && atomic_load_explicit(&P.agen, memory_order_relaxed) == seen;
             i++)
            qk_pause();
        mutex_lock(&P.lock);
    }
}

#ifdef _WIN32
static unsigned __stdcall worker_main(void *arg)
{
    worker_loop(arg);
    return 0;
}

/* Under P.lock: start workers until `want` run; returns how many do. */
static int start_workers(int want)
{
    while (P.started < want) {
        qk_worker *w = &P.w[P.started];
        w->gen = P.gen;
        const uintptr_t h = _beginthreadex(NULL, QK_WORKER_STACK, worker_main, w,
                                           STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
        if (h == 0)
            break;
        CloseHandle((HANDLE)h);
        P.started++;
    }
    return P.started;
}
#else
static void *worker_main(void *arg)
{
    worker_loop(arg);
    return NULL;
}

static void atfork_prepare(void) { mutex_lock(&P.lock); }
static void atfork_parent(void) { mutex_unlock(&P.lock); }
/* The child runs only the thread that forked: no workers, no job in flight. */
static void atfork_child(void)
{
    mutex_init(&P.lock);
    cond_init(&P.wake);
    cond_init(&P.done);
    P.started = 0;
    P.gen = 0;
    P.nchunks = 0;
    atomic_store(&P.agen, 0);
    atomic_store(&P.ticket, 0);
    atomic_store(&P.remaining, 0);
    atomic_store(&P.status, 0);
    atomic_flag_clear(&busy);
}

static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;
static void register_atfork(void) { pthread_atfork(atfork_prepare, atfork_parent, atfork_child); }

static int start_workers(int want)
{
    pthread_once(&atfork_once, register_atfork);
    /* workers block every signal: they are delivered to Python's threads */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, QK_WORKER_STACK);
    while (P.started < want) {
        qk_worker *w = &P.w[P.started];
        w->gen = P.gen;
        pthread_t th;
        if (pthread_create(&th, &attr, worker_main, w) != 0)
            break;
        P.started++;
    }
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return P.started;
}
#endif

/* Chunk boundaries: even shares of n, inner ones moved down onto the grid
 * phase + k * quantum (never below the previous boundary). */
static void split(npy_intp *b, int parts, npy_intp n, npy_intp quantum, npy_intp phase)
{
    const npy_intp per = n / parts, rem = n % parts;
    b[0] = 0;
    for (int k = 1; k < parts; k++) {
        npy_intp c = per * k + rem * k / parts; /* rem * k < parts^2: no overflow */
        if (quantum > 1)
            c = c >= phase ? phase + (c - phase) / quantum * quantum : 0;
        b[k] = c < b[k - 1] ? b[k - 1] : c;
    }
    b[parts] = n;
}

int qk_pool_parts_above_grain(npy_intp n, npy_intp grain)
{
    const int t = atomic_load_explicit(&n_threads, memory_order_relaxed);
    if (t <= 1)
        return 1;
    const npy_intp p = n / (grain > 0 ? grain : 1);
    return p < t ? (int)p : t;
}

int qk_pool_run(int parts, qk_pool_fn fn, const void *ctx, npy_intp n, npy_intp quantum,
                npy_intp phase)
{
    if (parts > QK_POOL_MAX)
        parts = QK_POOL_MAX;
    if (parts <= 1 || atomic_flag_test_and_set_explicit(&busy, memory_order_acquire))
        return fn(ctx, 0, n); /* one part, or another caller's job is running */
    mutex_lock(&P.lock);
    if (start_workers(parts - 1) + 1 < parts)
        parts = P.started + 1; /* thread creation failed: fewer parts */
    if (parts <= 1) {
        mutex_unlock(&P.lock);
        atomic_flag_clear_explicit(&busy, memory_order_release);
        return fn(ctx, 0, n);
    }
    /* chunks of at least one grid step each (n >= 2 * parts * quantum in practice) */
    npy_intp nch = (npy_intp)parts * QK_CHUNKS;
    if (quantum >= 1 && n / quantum < nch)
        nch = n / quantum > parts ? n / quantum : parts;
    qk_job *j = &P.job;
    j->fn = fn;
    j->ctx = ctx;
    fegetenv(&j->env);
    split(j->bounds, (int)nch, n, quantum, phase);
    P.nchunks = (int)nch;
    atomic_store_explicit(&P.remaining, (int)nch, memory_order_relaxed);
    atomic_store_explicit(&P.status, 0, memory_order_relaxed);
    P.gen++;
    const unsigned long gen = P.gen;
    atomic_store_explicit(&P.ticket, (unsigned long long)(gen & 0xffffffffu) << 32,
                          memory_order_release);
    atomic_store_explicit(&P.agen, gen, memory_order_release);
    cond_broadcast(&P.wake);
    mutex_unlock(&P.lock);

    run_chunks(gen, (int)nch, 0); /* the caller takes chunks too */

    for (int i = 0; i < QK_SPIN && atomic_load_explicit(&P.remaining, memory_order_acquire) > 0;
         i++)
        qk_pause();
    mutex_lock(&P.lock);
    while (atomic_load_explicit(&P.remaining, memory_order_acquire) > 0)
        cond_wait(&P.done, &P.lock);
    mutex_unlock(&P.lock);
    const int st = atomic_load_explicit(&P.status, memory_order_relaxed);
    atomic_flag_clear_explicit(&busy, memory_order_release);
    return st;
}

int qk_pool_get_threads(void) { return atomic_load_explicit(&n_threads, memory_order_relaxed); }

void qk_pool_set_threads(int n)
{
    n = n < 1 ? 1 : n > QK_POOL_MAX ? QK_POOL_MAX : n;
    atomic_store_explicit(&n_threads, n, memory_order_relaxed);
}

int qk_pool_started(void)
{
    mutex_lock(&P.lock);
    const int s = P.started;
    mutex_unlock(&P.lock);
    return s;
}

/* For threadpoolctl's controller (quake/_threads.py), found by symbol name. */
QK_POOL_EXPORT int quake_pool_get_num_threads(void) { return qk_pool_get_threads(); }
QK_POOL_EXPORT void quake_pool_set_num_threads(int n) { qk_pool_set_threads(n); }
