"""``python -m quake bench``: every op and tier side by side with NumPy/SciPy
and, when installed, the fastest peers (PyTorch, ONNX Runtime, JAX, numexpr),
in one process; single-threaded by default, or at each of ``--threads N ...``
(quake and the peers at the same count; NumPy/SciPy are single-threaded),
with a scaling summary.  Speed is reported, never asserted."""
from __future__ import annotations

import json
import sys

import numpy as np

from .._optable import ALL_OPS, ROW_OPS, baseline
from .._registry import ALL_UFUNCS as UFUNCS
from ..accuracy import TIERS
from . import args as cli_args
from . import machine, peers, timing
from .progress import Progress

# issue 14's shapes: attention/classifier rows, short rows, vocabulary-sized rows
ROW_SHAPES = ((4096, 128), (512, 1024), (64, 32768), (32, 12, 128, 128), (49152, 128), (65536, 8),
              (65536, 16), (16384, 32), (32, 50257), (1, 151936))


def _max_error(op, x, y):
    """(value, metric label) of y against quake.testing's reference, in one
    metric for every implementation of the op: relative where the precise
    tier's bound is in ULP (against max(|f|, F), F the largest floor of the
    op's tiers, so every row is comparable), else the op's own metric;
    (None, '') where no reference can be computed here."""
    from .. import accuracy, testing

    try:
        b = accuracy.bound(op, "precise", x.dtype)
        ref = testing.reference(op, x)
    except Exception:
        return None, ""
    metric = "rel" if b.metric == "ulp" else b.metric
    floor = 0.0 if op in ROW_OPS else max(accuracy.bound(op, t, x.dtype).floor for t in TIERS)
    err, _ = testing.error_in(op, x, np.asarray(y), ref, metric, floor)
    return err, f"rel (abs < {floor:.2g})" if floor else metric


# ---------------------------------------------------------------- driver
def _inputs(op_kind, dtype, sizes, row_shapes, rng):
    if op_kind == "row":
        for shape in row_shapes:
            yield "x".join(map(str, shape)), (rng.standard_normal(shape) * 4).astype(dtype)
    else:
        for n in sizes:
            yield f"{n:.0e}".replace("+0", ""), (rng.standard_normal(n) * 4).astype(dtype)


def run(args) -> dict:
    from .. import _threads

    previous = _threads.get_num_threads()
    timing.pin_single_thread()
    thread_counts = args.threads or [1]
    records = []
    try:
        for threads in thread_counts:
            _threads.set_num_threads(threads)
            records += _run_at(args, threads)
    finally:
        _threads.set_num_threads(previous)
    return dict(machine=machine.describe(thread_counts), records=records)


def _run_at(args, threads) -> list:
    from .._registry import BFLOAT16

    if "bfloat16" in args.dtypes and BFLOAT16 is None:
        raise SystemExit("--dtypes bfloat16 needs ml_dtypes (pip install quake[bf16])")
    ops = args.ops or list(ALL_OPS)
    tiers = args.tiers or list(TIERS)
    wanted_peers = None if args.peers is None else set(args.peers)
    rng = np.random.default_rng(0)
    records = []
    plan = []
    for op in ops:
        if not any((op, t) in UFUNCS for t in tiers):
            raise SystemExit(f"unknown op {op!r}; quake has {list(ALL_OPS)}")
        kind = "row" if op in ROW_OPS else "unary"
        impls = [(f"quake.{t}", t, (lambda f: lambda x, out: f(x, out=out))(UFUNCS[op, t]))
                 for t in tiers]
        base = baseline(op)
        if base:
            impls.insert(0, (base[0], None, base[1]))
        if not args.no_peers:
            impls += [(name, None, fn) for name, fn in peers.available(op, wanted_peers, threads)]
        for dtype in args.dtypes:
            for label, x in _inputs(kind, dtype, args.sizes, args.row_shapes, rng):
                plan.append((op, kind, dtype, label, x, impls))
    progress = Progress(sum(len(p[5]) for p in plan))
    for op, kind, dtype, label, x, impls in plan:
        with np.errstate(all="ignore"):
            out = np.empty_like(UFUNCS[op, tiers[0]](x))  # (n)->() ops: one value per row
        base_ns = None
        for name, tier, fn in impls:
            progress.step(f"{threads}T {op} {dtype} {label} {name}")
            try:
                with np.errstate(all="ignore"):
                    y = fn(x, out)
                    y = out if y is None else y
                    ns = timing.ns_per_element(lambda: fn(x, out), x.size, budget_s=args.budget)
            except Exception as exc:  # a peer lacking a dtype, say
                records.append(dict(op=op, impl=name, tier=tier, dtype=dtype, size=label,
                                    threads=threads, error=f"{type(exc).__name__}: {exc}"[:200]))
                continue
            if base_ns is None:
                base_ns = ns
            err, metric = _max_error(op, x, y)
            records.append(dict(op=op, impl=name, tier=tier, dtype=dtype, size=label,
                                threads=threads, ns_per_element=ns,
                                speedup_vs_baseline=base_ns / ns, max_error=err,
                                error_metric=metric))
    progress.finish(always=True)
    return records


def scaling(records) -> list:
    """[(op, dtype, size, impl, {threads: time at the first count / time at it})]."""
    first = {}
    out = {}
    for r in records:
        if "error" in r:
            continue
        k = (r["op"], r["dtype"], r["size"], r["impl"])
        first.setdefault(k, r["ns_per_element"])
        out.setdefault(k, {})[r["threads"]] = first[k] / r["ns_per_element"]
    return [(*k, v) for k, v in out.items()]


def print_table(result, file=None):
    file = file or sys.stdout  # looked up per call (pytest's capsys swaps it)
    m = result["machine"]
    print(f"quake {m['quake']} on {m['cpu']} ({m['machine']}), target {m['target']}, "
          f"numpy {m['numpy']}; threads: {m['threads']}", file=file)
    rows = result["records"]
    key = None
    for r in rows:
        k = (r["op"], r["dtype"], r["size"], r.get("threads", 1))
        if k != key:
            key = k
            print(f"\n{r['op']}  {r['dtype']}  {r['size']}  threads={k[3]}", file=file)
            print(f"  {'implementation':<34} {'ns/el':>9} {'speedup':>8} {'max error':>12}", file=file)
        if "error" in r:
            print(f"  {r['impl']:<34} {'failed: ' + r['error'][:40]}", file=file)
            continue
        e = "" if r["max_error"] is None else f"{r['max_error']:.2e} {r['error_metric']}"
        print(f"  {r['impl']:<34} {r['ns_per_element']:>9.3f} {r['speedup_vs_baseline']:>7.2f}x "
              f"{e:>12}", file=file)
    print("\nspeedup = first row (NumPy/SciPy) time / this time, same data, same process.",
          file=file)
    counts = sorted({r.get("threads", 1) for r in rows})
    if len(counts) > 1:
        print(f"\nscaling: time at {counts[0]} thread(s) / time at N threads", file=file)
        print(f"  {'op':<12} {'dtype':<8} {'size':<10} {'implementation':<34} "
              + " ".join(f"{'N=' + str(c):>7}" for c in counts), file=file)
        for op, dtype, size, impl, v in scaling(rows):
            print(f"  {op:<12} {dtype:<8} {size:<10} {impl:<34} "
                  + " ".join(f"{v[c]:>6.2f}x" if c in v else f"{'-':>7}" for c in counts),
                  file=file)


def add_parser(sub):
    p = sub.add_parser("bench", help="side-by-side speed + error table of every op and tier")
    p.add_argument("--ops", nargs="+", help="ops to run (default: all)")
    p.add_argument("--tiers", nargs="+", choices=["q1", "q2", "precise"])
    p.add_argument("--dtypes", nargs="+", default=["float32"],
                   choices=["float16", "float32", "float64", "bfloat16"],
                   help="dtypes (bfloat16: ml_dtypes.bfloat16, needs ml_dtypes)")
    p.add_argument("--sizes", nargs="+", type=cli_args.positive_int,
                   default=[1000, 100_000, 10_000_000], help="elementwise sizes")
    p.add_argument("--row-shapes", nargs="+", type=cli_args.shape, default=list(ROW_SHAPES), metavar="AxBx..",
                   help="shapes the row ops run on, over the last axis (default "
                        + " ".join("x".join(map(str, s)) for s in ROW_SHAPES) + ")")
    p.add_argument("--peers", nargs="*", choices=peers.NAMES, help="subset of the peers")
    p.add_argument("--no-peers", action="store_true")
    p.add_argument("--budget", type=cli_args.positive_float, default=0.2,
                   help="seconds per timing (default 0.2)")
    p.add_argument("--threads", nargs="+", type=cli_args.positive_int, metavar="N",
                   help="thread counts to run quake and the peers at, each in turn "
                        "(default 1; e.g. --threads 1 2)")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return p


def main(args) -> int:
    result = run(args)
    print_table(result)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
        print(f"wrote {args.json}")
    return 0
