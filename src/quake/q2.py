"""quake's 'q2' accuracy tier: every op (quake.OPS, quake.ROW_OPS) as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'q2', dtype)].
"""
from ._registry import tier_namespace as _tier_namespace

globals().update(_tier_namespace("q2"))
__all__ = list(_tier_namespace("q2"))
