"""``python -m quake``: what quake does on this machine.

Prints the CPU/target table, then for every tier of exp: the maximum error
measured here against a higher-precision reference (next to the stated
bound), and the speed against np.exp and a plain copy, single-threaded,
float32 and float64, measured side by side in this process.
"""
from __future__ import annotations

import argparse
import platform
import sys

import numpy as np


def _accuracy_sample(dtype):
    from .testing import dense_floats

    lo, hi = {"float32": (-106.0, 90.0), "float64": (-750.0, 712.0)}[dtype]
    return dense_floats(dtype, lo, hi, count=600_000, n_random=200_000)


def report(args) -> int:
    from . import TIERS, accuracy, show_config
    from ._timing import ns_per_element, pin_single_thread
    from .testing import max_error

    pin_single_thread()
    show_config()
    print(f"CPU: {_cpu_name()}")
    print()
    rng = np.random.default_rng(0)
    for dtype in args.dtypes:
        x_acc = _accuracy_sample(dtype)
        print(f"exp, {dtype}: error on {x_acc.size:,} inputs spread over the whole domain; "
              f"speed single-threaded, x ~ N(0, 4^2), out= preallocated")
        head = f"  {'':<10} {'max error':>13} {'bound':>11}"
        for n in args.sizes:
            head += f" {'ns/el @' + _fmt_n(n):>13} {'vs np.exp':>9}"
        head += f" {'vs copy @' + _fmt_n(args.sizes[-1]):>13}"
        print(head)
        xs = {n: (rng.standard_normal(n) * 4).astype(dtype) for n in args.sizes}
        outs = {n: np.empty(n, dtype) for n in args.sizes}
        base = {n: ns_per_element(lambda n=n: np.exp(xs[n], out=outs[n]), n) for n in args.sizes}
        big = args.sizes[-1]
        copy = ns_per_element(lambda: np.copyto(outs[big], xs[big]), big)
        row = f"  {'np.exp':<10} {_np_error(dtype, x_acc):>13} {'':>11}"
        for n in args.sizes:
            row += f" {base[n]:>13.3f} {'1.0x':>9}"
        row += f" {base[big] / copy:>12.2f}x"
        print(row)
        from ._registry import UFUNCS

        for tier in TIERS:
            f = UFUNCS["exp", tier]
            err, _ = max_error("exp", tier, x_acc)
            b = accuracy.bound("exp", tier, dtype)
            row = f"  {tier:<10} {_fmt_err(err, b.metric):>13} {str(b):>11}"
            t = {}
            for n in args.sizes:
                t[n] = ns_per_element(lambda n=n: f(xs[n], out=outs[n]), n)
                row += f" {t[n]:>13.3f} {base[n] / t[n]:>8.1f}x"
            row += f" {t[big] / copy:>12.2f}x"
            print(row)
        print(f"  {'copy':<10} {'':>13} {'':>11}" + "".join(
            f" {'':>13} {'':>9}" for _ in args.sizes[:-1]) + f" {copy:>13.3f}")
        print()
    print("'vs np.exp' = np.exp time / quake time (higher is faster); 'vs copy' = time /"
          " np.copyto time at the largest size (1.0x = memory-bound).")
    return 0


def _np_error(dtype, x):
    from .testing import reference, ulp_error

    ref = reference("exp", x)
    fi = np.finfo(dtype)
    m = np.isfinite(ref) & (ref < fi.max)
    with np.errstate(all="ignore"):
        y = np.exp(x)
    return _fmt_err(float(ulp_error(y[m], ref[m]).max()), "ulp")


def _fmt_err(err, metric):
    return f"{err:.3f} ULP" if metric == "ulp" else f"{err * 100:.4f}% rel"


def _fmt_n(n):
    return f"1e{len(str(n)) - 1}" if str(n).strip("0") == "1" else f"{n:,}"


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m quake", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd")
    r = sub.add_parser("report", help="(default) targets, accuracy and speed of every tier")
    for q in (p, r):
        q.add_argument("--dtypes", nargs="+", default=["float32", "float64"],
                       choices=["float32", "float64"])
        q.add_argument("--sizes", nargs="+", type=int, default=[100_000, 10_000_000])
    sub.add_parser("config", help="CPU features and SIMD targets only")
    from . import _bench

    _bench.add_parser(sub)
    args = p.parse_args(argv)
    if args.cmd == "bench":
        return _bench.main(args)
    if args.cmd == "config":
        from . import show_config

        show_config()
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
