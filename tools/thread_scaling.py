"""Paired thread-scaling measurement of quake (issue 13's speed targets).

For each case it alternates a call on 1 thread and a call on N threads, back
to back, many times, and reports the median of the per-pair time ratios
(1-thread time / N-thread time): drift in the machine's load hits both sides
of a pair alike, which separate runs per thread count do not survive on a
shared VM.  float32, x ~ N(0, 4^2), preallocated outputs.

    PYTHONPATH=src python tools/thread_scaling.py [--threads 2] [--pairs 41] [--json out.json]
"""
import argparse
import json
import statistics
import time

import numpy as np

import quake

CASES = [  # (tier, op, shape)
    ("precise", "gelu", (10_000_000,)),
    ("precise", "softmax", (49152, 128)),
    ("q2", "exp", (10_000_000,)),
    ("q2", "gelu", (10_000_000,)),
    ("q2", "softmax", (49152, 128)),
    ("precise", "exp", (1000,)),
    ("q2", "gelu", (1000,)),
    ("precise", "gelu", (4096,)),
    ("q2", "exp", (4096,)),
    ("precise", "softmax", (32, 128)),
]


def timed(f, inner):
    t0 = time.perf_counter_ns()
    for _ in range(inner):
        f()
    return (time.perf_counter_ns() - t0) / inner


def measure(tier, op, shape, threads, pairs):
    uf = getattr(getattr(quake, tier), op)
    x = (np.random.default_rng(0).standard_normal(shape) * 4).astype(np.float32)
    y = np.empty_like(x)
    call = lambda: uf(x, out=y)  # noqa: E731
    call()
    t0 = time.perf_counter()
    call()
    one = max(time.perf_counter() - t0, 1e-7)
    inner = max(1, int(0.01 / one))  # ~10 ms a sample
    ratios, t1s = [], []
    for _ in range(pairs):
        quake.set_num_threads(1)
        a = timed(call, inner)
        quake.set_num_threads(threads)
        b = timed(call, inner)
        ratios.append(a / b)
        t1s.append(a)
    return statistics.median(ratios), statistics.median(t1s) / x.size


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, nargs="+", default=[2])
    ap.add_argument("--pairs", type=int, default=41)
    ap.add_argument("--json")
    args = ap.parse_args()
    prev = quake.get_num_threads()
    out = []
    try:
        for threads in args.threads:
            for tier, op, shape in CASES:
                r, ns = measure(tier, op, shape, threads, args.pairs)
                label = "x".join(map(str, shape))
                out.append(dict(tier=tier, op=op, shape=label, threads=threads, speedup=r,
                                ns_per_element_1t=ns))
                print(f"{tier:>7}.{op:<8} {label:>10}  {threads} threads vs 1: {r:5.2f}x  "
                      f"(1 thread {ns:.3f} ns/el)", flush=True)
    finally:
        quake.set_num_threads(prev)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1)


if __name__ == "__main__":
    main()
