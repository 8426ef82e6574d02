"""Measure the worker pool's grain per op family (src/quake/_kern/pool.c).

For each family's representative ops and sizes n = 2^11 .. 2^19 elements it
forces the split (grain 1) and times the call on 1 thread and on T threads
(default 2), interleaved, minimum of many repeats, float32, in place.  The
family's grain is the smallest elements-per-thread n/T from which T threads
are at least --gain faster at that size and every larger one, over the
family's ops, rounded up to a power of two.  Run it on an otherwise idle
machine:  PYTHONPATH=src python tools/measure_grain.py [--threads 2]
"""
import argparse
import time

import numpy as np

import quake
from quake import _ufuncs

FAMILIES = {
    "cheap": [("q1", "exp"), ("q2", "exp"), ("q2", "gelu"), ("q2", "tanh")],
    "precise": [("precise", "exp"), ("precise", "sigmoid"), ("precise", "gelu")],
    "rows": [("q2", "softmax"), ("precise", "softmax"), ("q2", "logsumexp")],
}


def best(f, reps):
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return min(ts)


def speedups(family, tier, op, threads, sizes, rounds):
    uf = getattr(getattr(quake, tier), op)
    out = {}
    for n in sizes:
        rng = np.random.default_rng(n)
        if family == "rows":
            x = rng.standard_normal((max(2 * threads, n // 128), 128)).astype(np.float32)
            y = uf(x)
            call = (lambda: uf(x, out=y)) if op != "logsumexp" else (lambda: uf(x))
        else:
            x = rng.standard_normal(n).astype(np.float32)
            y = np.empty_like(x)
            call = lambda: uf(x, out=y)  # noqa: E731
        reps = max(5, int(2e7 // max(n, 1)) // rounds)
        t1 = tt = float("inf")
        for _ in range(rounds):
            quake.set_num_threads(1)
            t1 = min(t1, best(call, reps))
            quake.set_num_threads(threads)
            tt = min(tt, best(call, reps))
        out[n] = t1 / tt
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--gain", type=float, default=1.10)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sizes = [1 << k for k in range(11, 20)]
    old = {f: _ufuncs.set_grain(f, 1) for f in _ufuncs.GRAIN_FAMILIES}
    try:
        for family, ops in FAMILIES.items():
            worst = 0
            for tier, op in ops:
                s = speedups(family, tier, op, args.threads, sizes, args.rounds)
                ok = [n for n in sizes if all(s[m] >= args.gain for m in sizes if m >= n)]
                first = ok[0] if ok else sizes[-1] * 2
                worst = max(worst, first // args.threads)
                print(f"{family:8} {tier}.{op:10} " + " ".join(
                    f"{n}:{s[n]:.2f}" for n in sizes) + f"  -> from {first}")
            grain = 1 << max(0, (worst - 1).bit_length())
            print(f"{family:8} grain (elements per thread) = {grain}   "
                  f"(shipped: {old[family]})")
    finally:
        for f, g in old.items():
            _ufuncs.set_grain(f, g)


if __name__ == "__main__":
    main()
