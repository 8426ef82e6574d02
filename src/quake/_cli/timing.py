"""Timing helpers for ``python -m quake`` (and the bench command): warm-up,
median of repeats, nanoseconds per element.  Speed is only ever reported,
never asserted."""
from __future__ import annotations

import os
import time

THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
              "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def pin_single_thread() -> None:
    """Ask BLAS/OpenMP runtimes (of peers) for one thread, and quake's pool
    (NumPy's ufuncs are single-threaded anyway); ``bench --threads`` then sets
    quake's and the peers' counts per run."""
    from .. import _threads

    for k in THREAD_ENV:
        os.environ.setdefault(k, "1")
    _threads.set_num_threads(1)


def ns_per_element(fn, n_elements: int, *, budget_s: float = 0.25, repeats: int = 7) -> float:
    """Median over `repeats` runs of fn(), in ns per element, after warm-up.
    Each run loops fn enough times to last about budget_s / repeats."""
    fn()  # warm-up: page faults, caches, lazy init
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    inner = max(1, int(budget_s / repeats / one))
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter_ns() - t0) / inner)
    samples.sort()
    return samples[len(samples) // 2] / n_elements
