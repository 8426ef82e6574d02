"""quake's 'q1' accuracy tier: every op as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'q1', dtype)].
"""
from ._registry import ROW_UFUNCS as _R
from ._registry import UFUNCS as _U

exp = _U["exp", "q1"]
sigmoid = _U["sigmoid", "q1"]
silu = _U["silu", "q1"]
tanh = _U["tanh", "q1"]
gelu_tanh = _U["gelu_tanh", "q1"]
gelu = _U["gelu", "q1"]
softmax = _R["softmax", "q1"]
log_softmax = _R["log_softmax", "q1"]
logsumexp = _R["logsumexp", "q1"]

__all__ = ["exp", "sigmoid", "silu", "tanh", "gelu_tanh", "gelu",
           "softmax", "log_softmax", "logsumexp"]
