"""Creates one NumPy ufunc per (op, tier) row of include/quake/ops.def and
rowops.def, documented from the op table (_optable), and checks that the
kernel tables and the op table name the same ops in every tier."""
from __future__ import annotations

from . import _ufuncs
from ._optable import OPS, ROW_OPS, SPEC
from .accuracy import BOUNDS, DTYPES, TIER_DESCRIPTIONS, TIERS


def _check_tables() -> None:
    """The kernel tables hold exactly the op table's ops, each in every tier."""
    for kind, have, ops in (("ops.def", _ufuncs.unary_ops(), OPS),
                            ("rowops.def", [r[:2] for r in _ufuncs.row_ops()], ROW_OPS)):
        have, need = set(have), {(op, t) for op in ops for t in TIERS}
        if have != need:
            raise ImportError(f"quake's kernel table {kind} and its op table (_optable.SPECS) "
                              f"differ: only in {kind}: {sorted(have - need)}; only in the op "
                              f"table: {sorted(need - have)}")


_check_tables()


def _docstring(op: str, tier: str) -> str:
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    return (
        f"{tier}.{op}(x, /, out=None, *, where=True, casting='same_kind', "
        f"order='K', dtype=None, subok=True)\n\n"
        f"{SPEC[op].summary}\n\n"
        f"quake accuracy tier {tier!r}: {TIER_DESCRIPTIONS[tier]}.\n"
        f"Error bound (quake.accuracy.BOUNDS): {bounds}.\n"
        f"A NumPy ufunc with float16, float32 and float64 loops; other inputs are\n"
        f"cast as for numpy.exp.  Every SIMD target returns the same bits.\n"
    )


UFUNCS = {}
for _i, (_op, _tier) in enumerate(_ufuncs.unary_ops()):
    UFUNCS[_op, _tier] = _ufuncs.make_unary(_i, _docstring(_op, _tier))


def _row_docstring(op: str, tier: str, sig: str) -> str:
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    keep = ", keepdims=False" if sig.endswith("()") else ""
    return (
        f"{tier}.{op}(x, /, out=None, *, axis=-1, axes=None{keep}, casting='same_kind', "
        f"order='K', dtype=None, subok=True)\n\n"
        f"{SPEC[op].summary}\n\n"
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

# every ufunc and gufunc, keyed (op, tier)
ALL_UFUNCS = {**UFUNCS, **ROW_UFUNCS}


def tier_namespace(tier: str) -> dict:
    """{op: ufunc} of every op (OPS, then ROW_OPS) in `tier`."""
    return {op: ALL_UFUNCS[op, tier] for op in OPS + ROW_OPS}
