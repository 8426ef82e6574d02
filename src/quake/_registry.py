"""Creates one NumPy ufunc per (op, tier) row of include/quake/ops.def and
rowops.def, documented from the op table (_optable), and checks that the
kernel tables and the op table name the same ops in every tier."""
from __future__ import annotations

from . import _docs, _ufuncs
from ._optable import OPS, ROW_OPS
from .accuracy import TIERS


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


UFUNCS = {}
for _i, (_op, _tier) in enumerate(_ufuncs.unary_ops()):
    UFUNCS[_op, _tier] = _ufuncs.make_unary(_i, _docs.elementwise(_op, _tier))


ROW_UFUNCS = {}
for _i, (_op, _tier, _sig) in enumerate(_ufuncs.row_ops()):
    ROW_UFUNCS[_op, _tier] = _ufuncs.make_rowop(_i, _docs.row(_op, _tier, _sig))

# every ufunc and gufunc, keyed (op, tier)
ALL_UFUNCS = {**UFUNCS, **ROW_UFUNCS}


def _register_bfloat16():
    """bfloat16 loops (ml_dtypes.bfloat16 in and out) on every ufunc and
    gufunc, when ml_dtypes is importable; returns the dtype, or None."""
    try:
        import ml_dtypes
    except ImportError:
        return None
    import numpy as np

    dt = np.dtype(ml_dtypes.bfloat16)
    for i, (op, tier) in enumerate(_ufuncs.unary_ops()):
        _ufuncs.register_bf16(UFUNCS[op, tier], dt.num, i, False)
    for i, (op, tier, _sig) in enumerate(_ufuncs.row_ops()):
        _ufuncs.register_bf16(ROW_UFUNCS[op, tier], dt.num, i, True)
    return dt


# np.dtype(ml_dtypes.bfloat16) when its loops are registered, else None
BFLOAT16 = _register_bfloat16()

# A ufunc's __name__ is '<tier>.<op>', fixed at creation: NumPy's warnings
# ("overflow encountered in q2.exp") and pickling use it; pickle resolves that
# dotted name on the ufunc's __module__, which NumPy leaves unset (pickle then
# searches every loaded module), so name quake, where it resolves.  help()
# still titles the object "ufunc in q2": pydoc takes the text before the last
# dot of __name__.  NumPy 2.0 ufuncs have no settable __module__ (2.1 added
# it): pickle's search of the loaded modules finds them there.
if hasattr(next(iter(ALL_UFUNCS.values())), "__module__"):
    for _uf in ALL_UFUNCS.values():
        _uf.__module__ = "quake"


def tier_namespace(tier: str) -> dict:
    """{op: ufunc} of every op (OPS, then ROW_OPS) in `tier`."""
    return {op: ALL_UFUNCS[op, tier] for op in OPS + ROW_OPS}
