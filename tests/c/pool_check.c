/* The worker pool (src/quake/_kern/pool.c) outside Python: 8 threads calling
 * qk_pool_run at once (one job at a time, the others on their own thread),
 * every element computed exactly once, the status bits of the last chunk
 * returned, then a fork() child that starts the pool again.  Built and run by
 * tests/test_threads.py, under ThreadSanitizer where the compiler has it. */
#define NPY_NO_DEPRECATED_API NPY_2_0_API_VERSION
#include <Python.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "pool.h"

/* add 1 to a[b..e); status 4 (QK_FE_INVALID) from element st_at */
typedef struct { int *a; int st_at; } job;
static int fn(const void *ctx, npy_intp b, npy_intp e) {
    const job *j = ctx; int st = 0;
    for (npy_intp i = b; i < e; i++) { j->a[i] += 1; if (i == j->st_at) st = 4; }
    return st;
}
static void *caller(void *arg) {
    long id = (long)arg; npy_intp n = 100000 + id * 37;
    int *a = calloc(n, sizeof(int));
    for (int r = 0; r < 300; r++) {
        job j = {a, (int)(n - 1)};
        int st = qk_pool_run(4, fn, &j, n, 16, (int)(id % 16));
        if (st != 4) { printf("bad status %d\n", st); exit(1); }
    }
    for (npy_intp i = 0; i < n; i++) if (a[i] != 300) { printf("bad %ld %d\n", (long)i, a[i]); exit(1); }
    free(a); return NULL;
}
int main(void) {
    qk_pool_set_threads(4);
    pthread_t t[8];
    for (long i = 0; i < 8; i++) pthread_create(&t[i], NULL, caller, (void *)i);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    pid_t p = fork();
    if (p == 0) { caller((void *)3); _exit(0); }
    int ws; waitpid(p, &ws, 0);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws)) { printf("child failed\n"); return 1; }
    caller((void *)5);
    printf("ok started=%d\n", qk_pool_started());
    return 0;
}
