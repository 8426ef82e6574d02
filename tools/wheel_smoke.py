"""Smoke test of an installed quake, needing nothing but NumPy (cibuildwheel's
test-command, the sdist check in .ci/run): it imports, says how it was built,
and on every target this CPU supports checks each op, tier and dtype against
its documented bound (quake.accuracy) on a grid, every target's bits against
the scalar reference, and that NaN/+-inf raise no floating-point flag.
gelu's reference needs SciPy/mpmath, so it is checked for bits and flags only.
Usage: python tools/wheel_smoke.py   (exit status 0: all good)
"""
import sys

import numpy as np

import quake
from quake import testing
from quake._registry import ALL_UFUNCS

NUMPY_REFERENCE = {"exp", "sigmoid", "silu", "tanh", "gelu_tanh", "softmax", "log_softmax",
                   "logsumexp"}


def grid(op, dtype):
    lo, hi = {"exp": (-80.0, 80.0)}.get(op, (-30.0, 30.0))
    if dtype == np.float16:
        lo, hi = max(lo, -10.0), min(hi, 10.0)
    x = np.linspace(lo, hi, 4000).astype(dtype)
    return x.reshape(-1, 40) if op in testing.ROW_OPS else x  # rows of 40 for the row ops


def main() -> int:
    quake.show_config()
    failures = []
    specials = {dt: np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0], dt)
                for dt in (np.float16, np.float32, np.float64)}
    targets = [t["name"] for t in quake.targets() if t["supported"]]
    reference_bits = {}
    for target in targets:
        with quake.use_target(target):
            for (op, tier), f in ALL_UFUNCS.items():
                for dt in (np.float16, np.float32, np.float64):
                    x = grid(op, np.dtype(dt))
                    with np.errstate(all="ignore"):
                        y = f(x)
                    key = (op, tier, np.dtype(dt).name)
                    bits = y.tobytes()
                    if reference_bits.setdefault(key, bits) != bits:
                        failures.append(f"{target} {tier}.{op} {key[2]}: bits differ from scalar")
                    if target == targets[0] and op in NUMPY_REFERENCE:
                        err, _ = testing.max_error(op, tier, x, y)
                        b = quake.accuracy.bound(op, tier, dt)
                        if not err <= b.value:
                            failures.append(f"{tier}.{op} {key[2]}: error {err:.3g} > {b}")
                    s = specials[dt] if f.signature is None else specials[dt][None, 3:]
                    try:
                        with np.errstate(all="raise"):
                            f(s)  # NaN/inf elementwise; a finite row for the row ops
                    except FloatingPointError as e:
                        failures.append(f"{target} {tier}.{op} {key[2]}: spurious {e}")
    checked = len(ALL_UFUNCS) * 3
    for line in failures:
        print("FAIL", line)
    print(f"quake smoke: {checked} op/tier/dtype combinations on {', '.join(targets)}: "
          f"{'OK' if not failures else f'{len(failures)} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
