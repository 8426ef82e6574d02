"""``python -m quake`` (= ``report``): the CPU/target table, then for every op,
dtype and tier the max error measured here (next to its stated bound, with a
pass/fail mark) and the single-threaded speed against the NumPy/SciPy
baseline a user would otherwise call, measured side by side in this process.
Exits 1 if any measured error exceeds its bound."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass

import numpy as np

from .. import accuracy, testing
from .._config import show_config
from .._optable import OPS, ROW_OPS, baseline
from .._registry import ALL_UFUNCS
from ..accuracy import TIERS, Bound
from .machine import cpu_name, describe
from .progress import Progress
from .timing import ns_per_element, pin_single_thread

ACTIVATIONS = tuple(op for op in OPS if op != "exp")
# the row printed where an op has no baseline here (baseline() is None)
NO_BASELINE = {"gelu": "(no baseline: NumPy has no erf; pip install scipy for the "
                       "numpy + scipy.special.erf formula)"}


def report(args) -> int:
    from .. import _threads

    previous = _threads.get_num_threads()
    try:
        return _report(args)
    finally:
        _threads.set_num_threads(previous)


def _report(args) -> int:
    t0 = time.perf_counter()
    pin_single_thread()
    show_config()
    print(f"CPU: {cpu_name()}")
    print()
    rng = np.random.default_rng(0)
    ops = [op for op in OPS + ROW_OPS if op in args.ops]
    out = Progress(len(args.dtypes) * sum(len(_impls(op)) for op in ops))
    tally = {"measured": 0, "failed": [], "unmeasured": 0, "rows": [], "out": out}
    if "exp" in ops:
        for dtype in args.dtypes:
            _exp_table(dtype, args, rng, tally)
        out.line("'vs np.exp' = np.exp time / quake time (higher is faster); 'vs copy' = time /"
                 " np.copyto time at the largest size (1.0x = memory-bound).")
        out.line()
    acts = [op for op in ACTIVATIONS if op in ops]
    rows = [op for op in ROW_OPS if op in ops]
    for dtype in args.dtypes if acts else ():
        _activation_table(dtype, acts, args, rng, tally)
    for dtype in args.dtypes if rows else ():
        _row_table(dtype, rows, args, rng, tally)
    out.finish()
    print("'vs base' = baseline time / quake time (higher is faster). Baseline errors are in the"
          " precise tier's metric on the same sample\n(ULP counts denormal results, which NumPy/SciPy"
          " formulas lose in the tails). F: error relative to max(|f|, F), absolute where |f| < F."
          + ("\nneeds scipy / mpmath: no reference here without it (gelu's needs scipy, and mpmath"
             " for float64): pip install scipy mpmath."
             if tally["unmeasured"] else ""))
    print()
    n, failed = tally["measured"], tally["failed"]
    if failed:
        print(f"FAIL: {len(failed)} of {n} measured errors exceed their stated bound: "
              + ", ".join(failed))
    else:
        print(f"accuracy: all {n} measured errors (op x tier x dtype) within their stated bounds.")
    if tally["unmeasured"]:
        print(f"not measured here (no reference): {tally['unmeasured']} op x tier x dtype")
    print(f"report took {time.perf_counter() - t0:.0f} s")
    if args.json:
        write_json(args.json, tally["rows"])
        print(f"wrote {args.json}")
    return 1 if failed else 0


def write_json(path, rows) -> None:
    """The machine and every row of the tables (one record per op, dtype and
    implementation: error, bound, ok, note, ns/element and speed-up per size)."""
    with open(path, "w") as fh:
        json.dump({"machine": describe(), "rows": rows}, fh, indent=1)


def _record(tally, op, dtype, name, key, m, times, base, note=""):
    """Keep one table row for --json; times/base: {size label: ns per element}."""
    tally["rows"].append(dict(
        op=op, dtype=dtype, impl=name, tier=None if key == "baseline" else key,
        max_error=m.error if m else None, metric=m.bound.metric if m else None,
        bound=str(m.bound) if m and m.checked else None,
        ok=(not m.failed) if m and m.checked and m.error is not None else None,
        note=note, ns_per_element=times,
        speedup={k: base[k] / t for k, t in times.items()} if base else None))


# ---------------------------------------------------------------- accuracy
@dataclass(frozen=True)
class Measured:
    """One row's accuracy, in the metric of `bound`: error None where no
    reference could be computed here (gelu's needs SciPy, and mpmath for
    float64).  A baseline is measured in the precise tier's metric but not
    held to its bound (checked False)."""
    error: float | None
    bound: accuracy.Bound
    checked: bool = True
    note: str = ""  # printed at the row's end: why a baseline's error is so large
    missing: str = ""  # the package the reference needs, where error is None

    @property
    def failed(self) -> bool:
        return self.checked and self.error is not None and not self.error <= self.bound.value


def sample(op: str, dtype) -> list:
    """The accuracy sample of `op`, as a list of arrays (batches of rows for
    the row ops, one array for the elementwise ops)."""
    if op in ROW_OPS:
        return testing.row_samples(dtype)
    return [testing.sample(op, dtype)]


def measure(op: str, dtype, tiers) -> tuple[int, dict]:
    """(number of inputs, {tier or "baseline": Measured}) for `op` on its
    sample(op, dtype); the baseline key only where the op has one."""
    batches = sample(op, dtype)
    missing = ""
    try:
        refs = [testing.reference(op, x) for x in batches]
    except ImportError as exc:  # SciPy / mpmath: test extras, not dependencies
        refs, missing = None, (exc.name or "scipy").split(".")[0]
    out = {}
    base = baseline(op)
    if base is not None:
        b = accuracy.bound(op, "precise", dtype)
        err, worst = _worst(op, "precise", batches, refs, base[1])
        note = "" if err is None or err <= b.value else baseline_note(op, dtype, base[1], worst)
        out["baseline"] = Measured(err, b, checked=False, note=note, missing=missing)
    for tier in tiers:
        f = ALL_UFUNCS[op, tier]
        err, _ = _worst(op, tier, batches, refs, lambda x, _, f=f: f(x))
        out[tier] = Measured(err, accuracy.bound(op, tier, dtype), missing=missing)
    return sum(x.size for x in batches), out


def _worst(op, tier, batches, refs, fn):
    """(max error of fn over the batches in the metric of `tier`'s bound, the
    input where it occurs); (None, None) without references.  The error is
    NaN where fn gave NaN for a finite exact value."""
    if refs is None:
        return None, None
    worst = (-1.0, None)
    for x, ref in zip(batches, refs):
        with np.errstate(all="ignore"):
            y = fn(x, np.empty_like(x))
        err, at = testing.max_error(op, tier, x, y, ref=ref)
        if not err <= worst[0]:  # NaN counts as the worst
            worst = (err, at)
    return float(worst[0]), worst[1]


def baseline_note(op, dtype, fn, x):
    """Why a NumPy/SciPy baseline's worst error (at input x) is far above the
    precise tier's bound, for the row: the formula's tail flushed to 0, lost
    to inf or NaN, or below the normal range (ULP counts denormals)."""
    if op in ROW_OPS or x is None:
        return ""
    xa = np.array([x], dtype=dtype)
    with np.errstate(all="ignore"):
        y = float(np.asarray(fn(xa, np.empty_like(xa)))[0])
        ref = float(testing.reference(op, xa)[0])
    if y == 0 and ref != 0:
        return f"tail flushed to 0 (x = {float(x):.4g})"
    if not np.isfinite(y) and np.isfinite(ref):
        return f"formula gives {y} (x = {float(x):.4g})"
    if abs(ref) < np.finfo(dtype).tiny:
        return f"denormal tail inaccurate (x = {float(x):.4g})"
    return ""


# ---------------------------------------------------------------- tables
def _exp_table(dtype, args, rng, tally):
    n_acc, acc = measure("exp", dtype, TIERS)
    tally["out"].line(f"exp, {dtype}: error on {n_acc:,} inputs spread over the whole domain; "
                      f"speed single-threaded, x ~ N(0, 4^2), out= preallocated")
    head = f"  {'':<10} {'max error':>13} {'bound':>11} {'':>4}"
    for n in args.sizes:
        head += f" {'ns/el @' + _fmt_n(n):>13} {'vs np.exp':>9}"
    head += f" {'vs copy @' + _fmt_n(args.sizes[-1]):>13}"
    tally["out"].line(head)
    xs = {n: (rng.standard_normal(n) * 4).astype(dtype) for n in args.sizes}
    outs = {n: np.empty(n, dtype) for n in args.sizes}
    big = args.sizes[-1]
    copy = ns_per_element(lambda: np.copyto(outs[big], xs[big]), big, budget_s=args.budget)
    base = None
    out = tally["out"]
    for name, key, fn in _impls("exp"):
        out.step(f"exp {dtype} {name}")
        m = acc[key]
        row = f"  {'np.exp' if key == 'baseline' else key:<10} {_fmt_err(m):>13}"
        row += f" {_fmt_bound(m):>11} {_mark(m, 'exp', key, dtype, tally):>4}"
        t = {n: _time(fn, xs[n], outs[n], args.budget) for n in args.sizes}
        base = base or t
        for n in args.sizes:
            row += f" {t[n]:>13.3f} {base[n] / t[n]:>8.1f}x"
        row += f" {t[big] / copy:>12.2f}x"
        out.line(row + (f"  {m.note}" if m.note else ""))
        _record(tally, "exp", dtype, name, key, m, _by_size(t), _by_size(base), m.note)
    out.line(f"  {'copy':<10} {'':>13} {'':>11} {'':>4}" + "".join(
        f" {'':>13} {'':>9}" for _ in args.sizes[:-1]) + f" {copy:>13.3f}")
    out.line()


def _activation_table(dtype, ops, args, rng, tally):
    out = tally["out"]
    out.line(f"activations, {dtype}: error on a dense sample of each op's whole domain "
             f"(quake.testing.sample); speed single-threaded, x ~ N(0, 4^2), out= preallocated")
    head = f"  {'op':<10} {'':<23} {'inputs':>8} {'max error':>13} {'bound':>18} {'':>4}"
    for n in args.sizes:
        head += f" {'ns/el @' + _fmt_n(n):>13} {'vs base':>8}"
    out.line(head)
    xs = {n: (rng.standard_normal(n) * 4).astype(dtype) for n in args.sizes}
    outs = {n: np.empty(n, dtype) for n in args.sizes}
    for op in ops:
        n_acc, acc = measure(op, dtype, TIERS)
        base_t = None
        if "baseline" not in acc:  # gelu without SciPy: NumPy has no erf
            why = NO_BASELINE.get(op, "(no NumPy/SciPy baseline)")
            out.line(f"  {op:<10} {why}")
            _record(tally, op, dtype, None, "baseline", None, {}, None, why)
        for i, (name, key, fn) in enumerate(_impls(op)):
            out.step(f"{op} {dtype} {name}")
            m = acc[key]
            first = i == 0 and "baseline" in acc
            row = (f"  {op if first else '':<10} {name:<23} {f'{n_acc:,}' if i == 0 else '':>8}"
                   f" {_fmt_err(m):>13}"
                   f" {_fmt_bound(m):>18} {_mark(m, op, key, dtype, tally):>4}")
            t = {n: _time(fn, xs[n], outs[n], args.budget) for n in args.sizes}
            if key == "baseline":
                base_t = t
            for n in args.sizes:
                row += f" {t[n]:>13.3f} " + (f"{base_t[n] / t[n]:>7.1f}x" if base_t else f"{'':>8}")
            out.line(row + (f"  {m.note}" if m.note else ""))
            _record(tally, op, dtype, name, key, m, _by_size(t), _by_size(base_t), m.note)
    out.line()


def _row_table(dtype, ops, args, rng, tally):
    out = tally["out"]
    shape = tuple(args.row_shape)
    label = "x".join(map(str, shape))
    out.line(f"row ops, {dtype}: error on quake.testing.row_samples (rows of 1 to 1000 elements, "
             f"large offsets, masked -inf); speed over the last axis of a {label} matrix, "
             f"x ~ N(0, 4^2)")
    out.line(f"  {'op':<12} {'':<25} {'values':>8} {'max error':>13} {'bound':>11} {'':>4}"
             f" {'ns/el @' + label:>16} {'vs base':>8}")
    x = (rng.standard_normal(shape) * 4).astype(dtype)
    for op in ops:
        n_acc, acc = measure(op, dtype, TIERS)
        y = np.empty_like(ALL_UFUNCS[op, TIERS[0]](x))
        base_t = None
        for i, (name, key, fn) in enumerate(_impls(op)):
            out.step(f"{op} {dtype} {name}")
            m = acc[key]
            t = _time(fn, x, y, args.budget)
            if key == "baseline":
                base_t = t
            ratio = f"{base_t / t:>7.1f}x" if base_t else ""
            out.line(f"  {op if i == 0 else '':<12} {name:<25} {f'{n_acc:,}' if i == 0 else '':>8}"
                     f" {_fmt_err(m):>13}"
                     f" {_fmt_bound(m):>11} {_mark(m, op, key, dtype, tally):>4}"
                     f" {t:>16.3f} {ratio:>8}")
            _record(tally, op, dtype, name, key, m, {label: t}, {label: base_t} if base_t else None)
    out.line()


def _impls(op):
    """(name, accuracy key, fn(x, out)) of the baseline (if any) and every tier."""
    out = []
    base = baseline(op)
    if base is not None:
        out.append((base[0], "baseline", base[1]))
    for tier in TIERS:
        out.append((tier, tier, lambda x, o, f=ALL_UFUNCS[op, tier]: f(x, out=o)))
    return out


def _by_size(times):
    """{size: ns} keyed by the size's label (JSON keys are strings)."""
    return {str(n): t for n, t in times.items()} if times else None


def _time(fn, x, out, budget):
    with np.errstate(all="ignore"):
        return ns_per_element(lambda: fn(x, out), x.size, budget_s=budget)


# ---------------------------------------------------------------- formatting
def _mark(m, op, key, dtype, tally):
    """'ok' / 'FAIL' for a tier's row, counted in tally; '' for a baseline."""
    if not m.checked:
        return ""
    if m.error is None:
        tally["unmeasured"] += 1
        return ""
    tally["measured"] += 1
    if m.failed:
        tally["failed"].append(f"{key}.{op} {dtype}")
        return "FAIL"
    return "ok"


def _fmt_err(m):
    """m.error in the metric of m.bound (the tier's, or the precise tier's for a
    baseline); 'needs <package>' where the reference needs one not installed."""
    err, bound = m.error, m.bound
    if err is None:
        return f"needs {m.missing}" if m.missing else "n/a"
    if bound.metric == "ulp":
        return f"{err:.3f} ULP" if err < 1000 else f"{err:.3g} ULP"
    if bound.metric == "abs":
        return f"{err:.3g} abs"
    return f"{err * 100:.4f}% rel" if bound.value >= 1e-4 else f"{err:.3g} rel"


def _fmt_bound(m):
    if not m.checked:
        return ""
    b = m.bound
    s = str(Bound(b.metric, b.value))
    return f"{s} F={b.floor:g}" if b.floor else s


def _fmt_n(n):
    return f"1e{len(str(n)) - 1}" if str(n).strip("0") == "1" else f"{n:,}"
