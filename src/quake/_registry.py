"""Creates one NumPy ufunc per (op, tier) row of include/quake/ops.def."""
from __future__ import annotations

from . import _ufuncs
from .accuracy import BOUNDS, DTYPES, TIER_DESCRIPTIONS

SUMMARIES = {
    "exp": "Exponential, e**x, elementwise.",
    "sigmoid": "Logistic sigmoid, 1/(1 + e**-x), elementwise; in [0, 1], never overflows.",
    "silu": "SiLU (swish), x*sigmoid(x), elementwise.",
    "tanh": "Hyperbolic tangent, elementwise; odd, in [-1, 1].",
    "gelu_tanh": "GELU, tanh form: 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3))), elementwise.",
    "gelu": "GELU, exact erf form: 0.5*x*(1 + erf(x/sqrt(2))), elementwise.",
}


def _docstring(op: str, tier: str) -> str:
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    return (
        f"{tier}.{op}(x, /, out=None, *, where=True, casting='same_kind', "
        f"order='K', dtype=None, subok=True)\n\n"
        f"{SUMMARIES[op]}\n\n"
        f"quake accuracy tier {tier!r}: {TIER_DESCRIPTIONS[tier]}.\n"
        f"Error bound (quake.accuracy.BOUNDS): {bounds}.\n"
        f"A NumPy ufunc with float16, float32 and float64 loops; other inputs are\n"
        f"cast as for numpy.exp.  Every SIMD target returns the same bits.\n"
    )


UFUNCS = {}
for _i, (_op, _tier) in enumerate(_ufuncs.unary_ops()):
    UFUNCS[_op, _tier] = _ufuncs.make_unary(_i, _docstring(_op, _tier))

OPS = tuple(dict.fromkeys(op for op, _ in UFUNCS))
