"""quake's ops for JAX on the CPU: jit, vmap and grad compatible.

    import quake.jax as qj

    qj.q2.gelu(x)                 # QuAKE2 tier, like quake.q2.gelu
    qj.softmax(scores, axis=-1)   # default tier (precise), like quake.softmax
    jax.grad(lambda x: qj.q2.logsumexp(x).sum())(x)

Every op of quake (exp, sigmoid, silu, tanh, gelu_tanh, gelu, softmax,
log_softmax, logsumexp) in every tier (``quake.jax.q1``, ``.q2``, ``.precise``;
the bare names are the default tier), returning the same bits as the NumPy
ufunc of the same op, tier and dtype.  Inside ``jax.jit`` they run as XLA
FFI custom calls into quake's C kernels (every build has them; their FFI API
version is settled with jaxlib at import); otherwise from a host callback
(``buffer_callback`` on the CPU, ``jax.pure_callback`` elsewhere)
(``backend()`` and ``quake.show_config()`` say which, and why).

* dtypes: float16, float32 and float64 natively, and bfloat16 through
  quake's bfloat16 kernels (ml_dtypes, which JAX depends on, provides the
  dtype; no float32 round trip); integers and bools become JAX's default float.
* row ops take ``axis`` as an int, a tuple (the axes are flattened into one
  row) or None (all axes); default -1, as quake's gufuncs (note that
  ``jax.nn.logsumexp`` defaults to axis=None).  ``logsumexp`` has keepdims.
* derivatives: custom JVP rules from the exact derivatives, evaluated with
  the same tier, so forward and reverse mode and higher orders work.
* large calls split over quake's worker pool (``quake.set_num_threads``), as
  the ufuncs do; XLA also runs independent custom calls in
  parallel.  A custom call is a fusion barrier: XLA cannot fuse the op into
  neighbouring elementwise code, which matters for small arrays.
"""
from __future__ import annotations

from .._optable import ALL_OPS
from ..accuracy import DEFAULT_TIER, TIERS
from . import _backend, _ops

_BACKEND, _REASON = _backend.select()

q1 = _ops.build("q1", _BACKEND)
q2 = _ops.build("q2", _BACKEND)
precise = _ops.build("precise", _BACKEND)
_TIERS = {"q1": q1, "q2": q2, "precise": precise}

# the default tier's functions: quake.jax.exp is quake.jax.precise.exp, ...
globals().update({op: getattr(_TIERS[DEFAULT_TIER], op) for op in ALL_OPS})


def backend() -> dict:
    """{'name': 'ffi' | 'callback', 'detail': why and against what}."""
    return {"name": _BACKEND.name, "detail": _REASON}


def tier(name: str):
    """The namespace of one tier: tier('q2') is quake.jax.q2."""
    if name not in TIERS:
        raise ValueError(f"unknown quake tier {name!r}; tiers: {TIERS}")
    return _TIERS[name]


__all__ = [*ALL_OPS, "q1", "q2", "precise", "backend", "tier"]
