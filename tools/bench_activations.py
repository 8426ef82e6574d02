"""Speed of quake's activations against NumPy/SciPy, side by side in one
process, single-threaded, float32 (issue 3).  Speed is reported, never
asserted.

Run:  PYTHONPATH=src python3 tools/bench_activations.py [--quick]

Part 1: 100,000 contiguous float32 (x ~ N(0, 3^2), out= preallocated):
  sigmoid against scipy.special.expit and NumPy's 1/(1 + exp(-x));
  gelu / gelu_tanh against the NumPy+scipy.special.erf formula
  0.5*x*(1 + erf(x/sqrt 2)) (and NumPy's tanh formula);
  silu, tanh against NumPy.  torch/onnxruntime join if installed.
Part 2: 10,000,000 elements (memory bound): every op and tier against
  np.copyto (1.0x = a plain copy).
"""
from __future__ import annotations

import argparse
import math
import sys

import numpy as np


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="shorter timing budget")
    args = ap.parse_args(argv)

    import quake
    from quake._timing import ns_per_element, pin_single_thread
    from scipy.special import erf, expit

    pin_single_thread()
    budget = 0.1 if args.quick else 0.3
    print(f"quake {quake.__version__}, target {quake.active_target()}, numpy {np.__version__}")
    rng = np.random.default_rng(0)

    def t(fn, n):  # best of 3 medians: robust against a busy machine, same for every entry
        return min(ns_per_element(fn, n, budget_s=budget) for _ in range(3))

    n = 100_000
    x = (rng.standard_normal(n) * 3).astype(np.float32)
    out = np.empty_like(x)
    tmp = np.empty_like(x)
    s2 = np.float32(1 / math.sqrt(2))
    k = np.float32(math.sqrt(2 / math.pi))

    def np_sigmoid():
        np.negative(x, out=tmp)
        np.exp(tmp, out=tmp)
        np.add(tmp, 1, out=tmp)
        np.divide(1, tmp, out=out)

    def np_gelu_erf():  # what BERT-in-NumPy code writes
        return 0.5 * x * (1 + erf(x * s2))

    def np_gelu_tanh():
        return 0.5 * x * (1 + np.tanh(k * (x + np.float32(0.044715) * x * x * x)))

    def np_silu():
        return x * expit(x)

    baselines = {
        "sigmoid": [("scipy.special.expit", lambda: expit(x, out=out)), ("numpy 1/(1+exp(-x))", np_sigmoid)],
        "silu": [("x*scipy.special.expit(x)", np_silu)],
        "tanh": [("np.tanh", lambda: np.tanh(x, out=out))],
        "gelu": [("numpy+scipy.special.erf", np_gelu_erf)],
        "gelu_tanh": [("numpy tanh formula", np_gelu_tanh), ("numpy+scipy.special.erf", np_gelu_erf)],
    }
    try:  # optional peers, not dependencies
        import torch

        torch.set_num_threads(1)
        xt = torch.from_numpy(x)
        baselines["sigmoid"].append(("torch.sigmoid", lambda: torch.sigmoid(xt)))
        baselines["gelu"].append(("torch gelu", lambda: torch.nn.functional.gelu(xt)))
        baselines["gelu_tanh"].append(("torch gelu tanh", lambda: torch.nn.functional.gelu(xt, approximate="tanh")))
    except ImportError:
        pass

    print(f"\n1) {n:,} contiguous float32, single thread: ns/element and speed-up (baseline time / quake time)")
    for op, bases in baselines.items():
        base_t = [(name, t(fn, n)) for name, fn in bases]
        print(f"  {op}: " + ", ".join(f"{name} {bt:.2f} ns" for name, bt in base_t))
        for tier in quake.TIERS:
            f = getattr(getattr(quake, tier), op)
            qt = t(lambda f=f: f(x, out=out), n)
            ratios = ", ".join(f"{bt / qt:5.1f}x {name}" for name, bt in base_t)
            print(f"    {tier:<8} {qt:6.3f} ns/el  {ratios}")

    big = 10_000_000
    xb = (rng.standard_normal(big) * 3).astype(np.float32)
    ob = np.empty_like(xb)
    copy = t(lambda: np.copyto(ob, xb), big)
    print(f"\n2) {big:,} float32 (memory bound): time / np.copyto time (np.copyto {copy:.3f} ns/el)")
    print("  " + " " * 10 + "".join(f"{tier:>10}" for tier in quake.TIERS))
    for op in ("exp", "sigmoid", "silu", "tanh", "gelu_tanh", "gelu"):
        row = f"  {op:<10}"
        for tier in quake.TIERS:
            f = getattr(getattr(quake, tier), op)
            row += f"{t(lambda f=f: f(xb, out=ob), big) / copy:9.2f}x"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
