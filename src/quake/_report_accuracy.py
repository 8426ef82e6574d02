"""The accuracy half of ``python -m quake``: the max error of every tier of an
op, and of its NumPy/SciPy baseline, on a dense sample of the op's domain,
against quake.testing's higher-precision reference, next to the bound stated
in quake.accuracy.BOUNDS."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import accuracy, testing
from ._baselines import baseline
from ._registry import ALL_UFUNCS

# exp: beyond both the zero and the overflow thresholds
EXP_DOMAIN = {"float32": (-106.0, 90.0), "float64": (-750.0, 712.0)}


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
    if op in testing.ROW_OPS:
        return testing.row_samples(dtype)
    if op == "exp":
        return [testing.dense_floats(dtype, *EXP_DOMAIN[np.dtype(dtype).name],
                                     count=600_000, n_random=200_000)]
    return [testing.activation_sample(op, dtype)]


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
