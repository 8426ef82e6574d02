"""quake's 'q1' accuracy tier: every op (quake.OPS, quake.ROW_OPS) as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'q1', dtype)].
"""
from ._registry import tier_namespace as _tier_namespace

globals().update(_tier_namespace("q1"))
__all__ = list(_tier_namespace("q1"))
