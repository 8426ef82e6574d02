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

# Row operations: generalized ufuncs over one core axis (include/quake/rowops.def).
ROW_SUMMARIES = {
    "softmax": "Softmax over the core axis: exp(x - max) / sum(exp(x - max)).",
    "log_softmax": "Log of the softmax over the core axis: (x - max) - log(sum(exp(x - max))).",
    "logsumexp": "log(sum(exp(x))) over the core axis, computed as max + log(sum(exp(x - max))).",
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


def _row_docstring(op: str, tier: str, sig: str) -> str:
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    keep = ", keepdims=False" if sig.endswith("()") else ""
    return (
        f"{tier}.{op}(x, /, out=None, *, axis=-1, axes=None{keep}, casting='same_kind', "
        f"order='K', dtype=None, subok=True)\n\n"
        f"{ROW_SUMMARIES[op]}\n\n"
        f"quake accuracy tier {tier!r}: {TIER_DESCRIPTIONS[tier]}.\n"
        f"Error bound (quake.accuracy.BOUNDS): {bounds}.\n"
        f"A NumPy generalized ufunc with signature {sig}: axis= picks the core axis\n"
        f"(default last), any strides and broadcast outer dimensions work, out=x runs\n"
        f"in place.  Rows holding NaN, +inf or only -inf follow scipy.special (see\n"
        f"docs/design.md); -inf entries are ordinary (probability exactly 0).\n"
        f"float16, float32 and float64 loops; every SIMD target returns the same bits.\n"
    )


ROW_UFUNCS = {}
for _i, (_op, _tier, _sig) in enumerate(_ufuncs.row_ops()):
    ROW_UFUNCS[_op, _tier] = _ufuncs.make_rowop(_i, _row_docstring(_op, _tier, _sig))

ROW_OPS = tuple(dict.fromkeys(op for op, _ in ROW_UFUNCS))

# every ufunc and gufunc, keyed (op, tier)
ALL_UFUNCS = {**UFUNCS, **ROW_UFUNCS}
