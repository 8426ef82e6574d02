"""quake's 'precise' accuracy tier: every op (quake.OPS, quake.ROW_OPS) as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'precise', dtype)].
"""
from ._registry import tier_namespace as _tier_namespace

globals().update(_tier_namespace("precise"))
__all__ = list(_tier_namespace("precise"))
