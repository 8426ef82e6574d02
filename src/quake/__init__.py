"""quake: fast exponential non-linearities for NumPy, after QuAKE.

Every op exists in three accuracy tiers, each its own NumPy ufunc:

    quake.q1.exp        order 1 (QuAKE): <= 3% relative error, fastest
    quake.q2.exp        order 2 (QuAKE2): <= 0.35% relative error
    quake.precise.exp   <= 2 ULP, a faster drop-in for numpy.exp
    quake.exp           the default tier, ``precise``

and likewise the activations sigmoid, silu, tanh, gelu_tanh, gelu (quake.q2.sigmoid, ...).
Row operations are generalized ufuncs over one axis (default last), in the
same tiers: quake.softmax / log_softmax / logsumexp (precise), quake.q2.softmax ...

The bounds live in ``quake.accuracy.BOUNDS``.  ``quake.show_config()``
prints the CPU features and the SIMD target in use; QUAKE_TARGET=<name>
in the environment, or ``quake.set_target(name)``, forces a lower one.
"""
from __future__ import annotations

from . import accuracy, precise, q1, q2
from ._config import (active_target, cpu_features, op_targets, set_target, show_config,
                      targets, use_target)
from ._registry import OPS, ROW_OPS
from .accuracy import DEFAULT_TIER, TIERS

__version__ = "0.1.0"

exp = precise.exp
sigmoid = precise.sigmoid
silu = precise.silu
tanh = precise.tanh
gelu_tanh = precise.gelu_tanh
gelu = precise.gelu
softmax = precise.softmax
log_softmax = precise.log_softmax
logsumexp = precise.logsumexp

__all__ = [
    "exp", "sigmoid", "silu", "tanh", "gelu_tanh", "gelu", "q1", "q2", "precise", "accuracy",
    "TIERS", "DEFAULT_TIER", "OPS", "softmax", "log_softmax", "logsumexp", "ROW_OPS",
    "show_config", "targets", "active_target", "set_target", "use_target", "cpu_features",
    "op_targets",
]
