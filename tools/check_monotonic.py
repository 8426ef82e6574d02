"""Count the adjacent float32 pairs where an op decreases, over EVERY float32.

For the ops that are monotonic functions (exp, sigmoid, tanh).  Walks all
finite float32 values in increasing order (-max .. -0, +0 .. +max) in
chunks and counts the indices i with f(x[i+1]) < f(x[i]), chunk joins included.
This is what the monotonicity claims in README.md and docs/accuracy.md rest on.

    PYTHONPATH=src python tools/check_monotonic.py [--ops exp sigmoid tanh] [--tiers ...]
"""
import argparse
import json
import sys

import numpy as np

import quake

CHUNK = 1 << 24


def increasing_float32():
    """Every finite float32 in increasing order, in chunks."""
    neg_top = np.uint32(0xFF7FFFFF)  # -max ... -0 is bits 0xFF7FFFFF down to 0x80000000
    for hi in range(int(neg_top), 0x80000000 - 1, -CHUNK):
        lo = max(hi - CHUNK + 1, 0x80000000)
        yield np.arange(hi, lo - 1, -1, dtype=np.int64).astype(np.uint32).view(np.float32)
    for lo in range(0, 0x7F800000, CHUNK):
        hi = min(lo + CHUNK, 0x7F800000)
        yield np.arange(lo, hi, dtype=np.uint32).view(np.float32)


def count_decreases(fn):
    """(number of decreasing adjacent pairs, the largest step down in ULPs of
    the larger result, the first few x where it happens)."""
    bad, drop, where, last = 0, 0.0, [], None
    with np.errstate(all="ignore"):
        for x in increasing_float32():
            y = fn(x)
            if last is not None:  # the join with the previous chunk
                x, y = np.concatenate([[last[0]], x]), np.concatenate([[last[1]], y])
            d = np.flatnonzero(y[1:] < y[:-1])
            if d.size:
                bad += d.size
                ulps = (y[d] - y[d + 1]) / np.spacing(np.abs(y[d]))
                drop = max(drop, float(ulps.max()))
                where.extend(float(v) for v in x[d[:max(0, 5 - len(where))]])
            last = (x[-1], y[-1])
    return bad, drop, where[:5]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", nargs="+", default=["exp", "sigmoid", "tanh"])
    ap.add_argument("--tiers", nargs="+", default=list(quake.accuracy.TIERS))
    ap.add_argument("--numpy", action="store_true", help="also np.exp / np.tanh")
    ap.add_argument("--json", metavar="PATH")
    args = ap.parse_args(argv)
    out = {}
    cases = [(t, op, getattr(getattr(quake, t), op)) for op in args.ops for t in args.tiers]
    if args.numpy:
        cases += [("numpy", op, getattr(np, op)) for op in args.ops if hasattr(np, op)]
    for tier, op, fn in cases:
        bad, drop, where = count_decreases(fn)
        out[f"{tier}.{op}"] = {"decreasing_pairs": bad, "largest_drop_ulp": drop,
                               "first_x": where}
        print(f"{tier + '.' + op:<16} decreasing adjacent pairs over every float32: {bad}"
              + (f", largest step down {drop:g} ULP, first at x = "
                 f"{', '.join(f'{w:.9g}' for w in where)}" if bad else ""), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
