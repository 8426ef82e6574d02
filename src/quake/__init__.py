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
Large calls run on a worker pool: ``quake.set_num_threads(n)``,
``quake.num_threads(n)`` (a context manager), QUAKE_NUM_THREADS or
OMP_NUM_THREADS; threadpoolctl's ``threadpool_limits`` limits it too.
"""
from . import accuracy, precise, q1, q2
from ._config import active_target, cpu_features, set_target, show_config, targets, use_target
from ._optable import OPS, ROW_OPS
from ._registry import tier_namespace as _tier_namespace
from ._threads import get_num_threads, num_threads, set_num_threads
from ._version import __version__
from .accuracy import DEFAULT_TIER, TIERS

# the default tier's ufuncs: quake.exp is quake.precise.exp, ...
globals().update(_tier_namespace(DEFAULT_TIER))

__all__ = [*OPS, *ROW_OPS, "q1", "q2", "precise", "accuracy", "TIERS", "DEFAULT_TIER", "OPS",
           "ROW_OPS", "show_config", "targets", "active_target", "set_target", "use_target",
           "cpu_features", "set_num_threads", "get_num_threads", "num_threads"]


def __dir__():
    """The public names only (no helpers, no imported modules' leftovers), and
    the public submodules loaded so far (quake.testing, quake.sklearn, quake.jax)."""
    loaded = [m for m in ("testing", "sklearn", "jax") if m in globals()]
    return sorted({*__all__, *loaded, "__version__"})
