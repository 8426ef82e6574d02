"""``python -m quake`` (= ``report``): the CPU/target table, then for every op,
dtype and tier the max error measured here (next to its stated bound, with a
pass/fail mark) and the single-threaded speed against the NumPy/SciPy
baseline a user would otherwise call, measured side by side in this process.
Exits 1 if any measured error exceeds its bound."""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .. import accuracy, testing
from .._config import show_config
from .._optable import OPS, ROW_OPS, baseline
from .._registry import ALL_UFUNCS
from ..accuracy import TIERS, Bound
from .machine import cpu_name
from .timing import ns_per_element, pin_single_thread

ACTIVATIONS = tuple(op for op in OPS if op != "exp")


def report(args) -> int:
    t0 = time.perf_counter()
    pin_single_thread()
    show_config()
    print(f"CPU: {cpu_name()}")
    print()
    rng = np.random.default_rng(0)
    tally = {"measured": 0, "failed": [], "unmeasured": 0}
    for dtype in args.dtypes:
        _exp_table(dtype, args, rng, tally)
    print("'vs np.exp' = np.exp time / quake time (higher is faster); 'vs copy' = time /"
          " np.copyto time at the largest size (1.0x = memory-bound).")
    print()
    for dtype in args.dtypes:
        _activation_table(dtype, args, rng, tally)
    for dtype in args.dtypes:
        _row_table(dtype, args, rng, tally)
    print("'vs base' = baseline time / quake time (higher is faster). Baseline errors are in the"
          " precise tier's metric on the same sample\n(ULP counts denormal results, which NumPy/SciPy"
          " formulas lose in the tails). F: error relative to max(|f|, F), absolute where |f| < F."
          + ("\nn/a: no reference here (gelu's needs scipy, and mpmath for float64)."
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
    return 1 if failed else 0


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
    try:
        refs = [testing.reference(op, x) for x in batches]
    except ImportError:  # SciPy / mpmath: test extras, not dependencies
        refs = None
    out = {}
    base = baseline(op)
    if base is not None:
        out["baseline"] = Measured(_worst(op, "precise", batches, refs, base[1]),
                                   accuracy.bound(op, "precise", dtype), checked=False)
    for tier in tiers:
        f = ALL_UFUNCS[op, tier]
        out[tier] = Measured(_worst(op, tier, batches, refs, lambda x, _, f=f: f(x)),
                             accuracy.bound(op, tier, dtype))
    return sum(x.size for x in batches), out


def _worst(op, tier, batches, refs, fn):
    """Max error of fn over the batches, in the metric of `tier`'s bound
    (NaN where fn gave NaN for a finite exact value)."""
    if refs is None:
        return None
    errs = []
    for x, ref in zip(batches, refs):
        with np.errstate(all="ignore"):
            y = fn(x, np.empty_like(x))
        errs.append(testing.max_error(op, tier, x, y, ref=ref)[0])
    return float(np.max(errs))


# ---------------------------------------------------------------- tables
def _exp_table(dtype, args, rng, tally):
    n_acc, acc = measure("exp", dtype, TIERS)
    print(f"exp, {dtype}: error on {n_acc:,} inputs spread over the whole domain; "
          f"speed single-threaded, x ~ N(0, 4^2), out= preallocated")
    head = f"  {'':<10} {'max error':>13} {'bound':>11} {'':>4}"
    for n in args.sizes:
        head += f" {'ns/el @' + _fmt_n(n):>13} {'vs np.exp':>9}"
    head += f" {'vs copy @' + _fmt_n(args.sizes[-1]):>13}"
    print(head)
    xs = {n: (rng.standard_normal(n) * 4).astype(dtype) for n in args.sizes}
    outs = {n: np.empty(n, dtype) for n in args.sizes}
    big = args.sizes[-1]
    copy = ns_per_element(lambda: np.copyto(outs[big], xs[big]), big, budget_s=args.budget)
    base = None
    for _, key, fn in _impls("exp"):
        m = acc[key]
        row = f"  {'np.exp' if key == 'baseline' else key:<10} {_fmt_err(m.error, m.bound):>13}"
        row += f" {_fmt_bound(m):>11} {_mark(m, 'exp', key, dtype, tally):>4}"
        t = {n: _time(fn, xs[n], outs[n], args.budget) for n in args.sizes}
        base = base or t
        for n in args.sizes:
            row += f" {t[n]:>13.3f} {base[n] / t[n]:>8.1f}x"
        row += f" {t[big] / copy:>12.2f}x"
        print(row, flush=True)
    print(f"  {'copy':<10} {'':>13} {'':>11} {'':>4}" + "".join(
        f" {'':>13} {'':>9}" for _ in args.sizes[:-1]) + f" {copy:>13.3f}")
    print()


def _activation_table(dtype, args, rng, tally):
    print(f"activations, {dtype}: error on a dense sample of each op's whole domain "
          f"(quake.testing.sample); speed single-threaded, x ~ N(0, 4^2), out= preallocated")
    head = f"  {'op':<10} {'':<23} {'inputs':>8} {'max error':>13} {'bound':>18} {'':>4}"
    for n in args.sizes:
        head += f" {'ns/el @' + _fmt_n(n):>13} {'vs base':>8}"
    print(head)
    xs = {n: (rng.standard_normal(n) * 4).astype(dtype) for n in args.sizes}
    outs = {n: np.empty(n, dtype) for n in args.sizes}
    for op in ACTIVATIONS:
        n_acc, acc = measure(op, dtype, TIERS)
        base_t = None
        for i, (name, key, fn) in enumerate(_impls(op)):
            m = acc[key]
            row = (f"  {op if i == 0 else '':<10} {name:<23} {f'{n_acc:,}' if i == 0 else '':>8}"
                   f" {_fmt_err(m.error, m.bound):>13}"
                   f" {_fmt_bound(m):>18} {_mark(m, op, key, dtype, tally):>4}")
            t = {n: _time(fn, xs[n], outs[n], args.budget) for n in args.sizes}
            if key == "baseline":
                base_t = t
            for n in args.sizes:
                row += f" {t[n]:>13.3f} " + (f"{base_t[n] / t[n]:>7.1f}x" if base_t else f"{'':>8}")
            print(row, flush=True)
    print()


def _row_table(dtype, args, rng, tally):
    shape = tuple(args.row_shape)
    label = "x".join(map(str, shape))
    print(f"row ops, {dtype}: error on quake.testing.row_samples (rows of 1 to 1000 elements, "
          f"large offsets, masked -inf); speed over the last axis of a {label} matrix, x ~ N(0, 4^2)")
    print(f"  {'op':<12} {'':<25} {'values':>8} {'max error':>13} {'bound':>11} {'':>4}"
          f" {'ns/el @' + label:>16} {'vs base':>8}")
    x = (rng.standard_normal(shape) * 4).astype(dtype)
    for op in ROW_OPS:
        n_acc, acc = measure(op, dtype, TIERS)
        out = np.empty_like(ALL_UFUNCS[op, TIERS[0]](x))
        base_t = None
        for i, (name, key, fn) in enumerate(_impls(op)):
            m = acc[key]
            t = _time(fn, x, out, args.budget)
            if key == "baseline":
                base_t = t
            ratio = f"{base_t / t:>7.1f}x" if base_t else ""
            print(f"  {op if i == 0 else '':<12} {name:<25} {f'{n_acc:,}' if i == 0 else '':>8}"
                  f" {_fmt_err(m.error, m.bound):>13}"
                  f" {_fmt_bound(m):>11} {_mark(m, op, key, dtype, tally):>4}"
                  f" {t:>16.3f} {ratio:>8}", flush=True)
    print()


def _impls(op):
    """(name, accuracy key, fn(x, out)) of the baseline (if any) and every tier."""
    out = []
    base = baseline(op)
    if base is not None:
        out.append((base[0], "baseline", base[1]))
    for tier in TIERS:
        out.append((tier, tier, lambda x, o, f=ALL_UFUNCS[op, tier]: f(x, out=o)))
    return out


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


def _fmt_err(err, bound):
    """err in the metric of `bound` (the tier's, or the precise tier's for a baseline)."""
    if err is None:
        return "n/a"
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
