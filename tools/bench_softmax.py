"""Speed of quake's softmax family, single thread, float32, side by side in
one process against scipy.special and a plain NumPy max/exp/sum/divide.

    PYTHONPATH=src python3 tools/bench_softmax.py [--budget 0.2] [--target avx2]

Prints ns per element (median of repeats) and the ratio to scipy for each
shape.  A report, never a test: issue 4's targets (order 2 >= 8x and
precise >= 5x scipy.special.softmax; logsumexp order 2 >= 5x
scipy.special.logsumexp) are printed next to the measurements.
"""
from __future__ import annotations

import argparse
import os
import sys

for _k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_k, "1")

import numpy as np  # noqa: E402
import scipy.special as sps  # noqa: E402

import quake  # noqa: E402
from quake._timing import ns_per_element  # noqa: E402

SHAPES = [(4096, 128), (512, 1024), (64, 32768), (12, 128, 128), (65536, 8), (8192, 64)]


def numpy_softmax(x, out):
    m = np.max(x, axis=-1, keepdims=True)
    np.subtract(x, m, out=out)
    np.exp(out, out=out)
    s = np.sum(out, axis=-1, keepdims=True)
    np.divide(out, s, out=out)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=0.2, help="seconds per measurement")
    ap.add_argument("--target", default=None, help="force a quake target (default: best)")
    args = ap.parse_args(argv)
    if args.target:
        quake.set_target(args.target)
    print(f"quake target: {quake.active_target()}; numpy {np.__version__}; "
          f"scipy {sps.__name__ and __import__('scipy').__version__}; float32, 1 thread")
    rng = np.random.default_rng(0)
    hdr = (f"{'shape':<16} {'scipy':>7} {'numpy':>7} {'q1':>7} {'q2':>7} {'precise':>8}"
           f" | {'q2/sp':>6} {'prec/sp':>7} | {'lse sp':>7} {'lse q2':>7} {'q2/sp':>6}")
    print("ns/element (ratios: how many times faster than scipy)")
    print(hdr)
    print("-" * len(hdr))
    for shape in SHAPES:
        x = (rng.standard_normal(shape) * 3).astype(np.float32)
        out = np.empty_like(x)
        n = x.size

        def t(fn):
            return ns_per_element(fn, n, budget_s=args.budget, repeats=5)

        sp = t(lambda: sps.softmax(x, axis=-1))
        npy = t(lambda: numpy_softmax(x, out))
        q1 = t(lambda: quake.q1.softmax(x, out=out))
        q2 = t(lambda: quake.q2.softmax(x, out=out))
        pr = t(lambda: quake.precise.softmax(x, out=out))
        lse_sp = t(lambda: sps.logsumexp(x, axis=-1))
        lse_q2 = t(lambda: quake.q2.logsumexp(x))
        print(f"{str(shape):<16} {sp:7.3f} {npy:7.3f} {q1:7.3f} {q2:7.3f} {pr:8.3f}"
              f" | {sp / q2:5.1f}x {sp / pr:6.1f}x | {lse_sp:7.3f} {lse_q2:7.3f} {lse_sp / lse_q2:5.1f}x",
              flush=True)
    print("targets (issue 4): q2 >= 8x and precise >= 5x scipy.special.softmax; "
          "q2 logsumexp >= 5x scipy.special.logsumexp")
    return 0


if __name__ == "__main__":
    sys.exit(main())
