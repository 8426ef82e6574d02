"""quake's 'precise' accuracy tier: every op as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'precise', dtype)].
"""
from ._registry import ROW_UFUNCS as _R
from ._registry import UFUNCS as _U

exp = _U["exp", "precise"]
sigmoid = _U["sigmoid", "precise"]
silu = _U["silu", "precise"]
tanh = _U["tanh", "precise"]
gelu_tanh = _U["gelu_tanh", "precise"]
gelu = _U["gelu", "precise"]
softmax = _R["softmax", "precise"]
log_softmax = _R["log_softmax", "precise"]
logsumexp = _R["logsumexp", "precise"]

__all__ = ["exp", "sigmoid", "silu", "tanh", "gelu_tanh", "gelu",
           "softmax", "log_softmax", "logsumexp"]
