"""quake's 'q2' accuracy tier: every op as a NumPy ufunc.

Error bounds: quake.accuracy.BOUNDS[(op, 'q2', dtype)].
"""
from ._registry import ROW_UFUNCS as _R
from ._registry import UFUNCS as _U

exp = _U["exp", "q2"]
sigmoid = _U["sigmoid", "q2"]
silu = _U["silu", "q2"]
tanh = _U["tanh", "q2"]
gelu_tanh = _U["gelu_tanh", "q2"]
gelu = _U["gelu", "q2"]
softmax = _R["softmax", "q2"]
log_softmax = _R["log_softmax", "q2"]
logsumexp = _R["logsumexp", "q2"]

__all__ = ["exp", "sigmoid", "silu", "tanh", "gelu_tanh", "gelu",
           "softmax", "log_softmax", "logsumexp"]
