"""How quake.jax reaches the C kernels from traced JAX code.

Two backends, one interface (``unary(op, tier, x)``, ``rows(op, tier, x)``,
both on float16/bfloat16/float32/float64 arrays, row ops over the last axis):

* ``FfiBackend``: XLA FFI custom calls (``jax.ffi.ffi_call``) into the
  handlers of ``quake._jax_ffi``, which call the same C code as the NumPy
  ufuncs.  Jitted code never re-enters Python.  Needs quake built with
  jaxlib's FFI headers (setup.py, QUAKE_JAX_FFI).
* ``CallbackBackend``: a host callback into the NumPy ufuncs
  (``buffer_callback`` on the CPU, ``jax.pure_callback`` on other
  platforms).  Works everywhere, costs a trip through Python per call.

``select()`` picks the FFI backend when it is built, registers with this
jaxlib and passes a self-check, and otherwise the callback backend, keeping
the reason for ``quake.show_config()``.  Both give the ufuncs' bits.
"""
from __future__ import annotations

import os

import jax
import numpy as np

from .. import _ufuncs
from .._registry import ROW_UFUNCS, UFUNCS

# ids the C handlers index their kernel tables with (ops.def / rowops.def order)
UNARY_IDS = {key: i for i, key in enumerate(_ufuncs.unary_ops())}
ROW_IDS = {(op, tier): i for i, (op, tier, _) in enumerate(_ufuncs.row_ops())}
SCALAR_OUT = {(op, tier) for op, tier, sig in _ufuncs.row_ops() if sig.endswith("->()")}

try:  # jax >= 0.6.1; older versions take jax.pure_callback everywhere
    from jax.experimental.buffer_callback import buffer_callback as _buffer_callback
except ImportError:
    _buffer_callback = None

ENV_VAR = "QUAKE_JAX_BACKEND"  # "ffi", "callback" or unset (best available)


def _row_out_shape(op, tier, x):
    return x.shape[:-1] if (op, tier) in SCALAR_OUT else x.shape


def _host_call(fn, out, x):
    """Run fn(a, out=o) on the host, where a and o are NumPy views of x and of
    the result.

    On the CPU, ``buffer_callback`` hands the callback the custom call's own
    buffers: nothing is copied and nothing waits on the XLA runtime.
    ``pure_callback`` instead device_puts its arguments and the callback's
    ``np.asarray`` blocks until that transfer is done, which on a one-CPU
    machine needs the XLA thread the callback is occupying: a deadlock
    (issue 18).  Other platforms (a GPU) keep ``pure_callback``, whose
    transfer to the host runs on an idle CPU client.
    """

    def on_buffers(ctx, o, a):
        with np.errstate(all="ignore"):  # JAX has no FP warnings; match jnp.exp
            fn(np.asarray(a), np.asarray(o))

    def on_arrays(a):
        a = np.asarray(a)
        o = np.empty(out.shape, out.dtype)
        with np.errstate(all="ignore"):
            fn(a, o)
        return o

    def elsewhere(a):
        return jax.pure_callback(on_arrays, out, a, vmap_method="expand_dims")

    if _buffer_callback is None:
        return elsewhere(x)
    on_cpu = _buffer_callback(on_buffers, out, vmap_method="expand_dims")
    return jax.lax.platform_dependent(x, cpu=on_cpu, default=elsewhere)


class CallbackBackend:
    """The ufuncs called from the host, for builds without the FFI handlers."""

    name = "callback"
    mechanism = ("jax.experimental.buffer_callback" if _buffer_callback is not None
                 else "jax.pure_callback")

    def unary(self, op, tier, x):
        uf = UFUNCS[op, tier]
        return _host_call(lambda a, o: uf(a, out=o), jax.ShapeDtypeStruct(x.shape, x.dtype), x)

    def rows(self, op, tier, x):
        uf = ROW_UFUNCS[op, tier]
        out = jax.ShapeDtypeStruct(_row_out_shape(op, tier, x), x.dtype)
        return _host_call(lambda a, o: uf(a, axis=-1, out=o), out, x)


class FfiBackend:
    """ffi_call on the CPU; any other platform (a GPU) takes the callback."""

    name = "ffi"
    _registered = False

    def __init__(self, module):
        self.module = module
        self._fallback = CallbackBackend()
        if not FfiBackend._registered:  # XLA's registry is process-wide
            for target, capsule in module.handlers().items():
                jax.ffi.register_ffi_target(target, capsule, platform="cpu")
            FfiBackend._registered = True

    def unary(self, op, tier, x):
        call = jax.ffi.ffi_call("quake_unary", jax.ShapeDtypeStruct(x.shape, x.dtype),
                                vmap_method="expand_dims")
        return jax.lax.platform_dependent(
            x, cpu=lambda a: call(a, op=np.int32(UNARY_IDS[op, tier])),
            default=lambda a: self._fallback.unary(op, tier, a))

    def rows(self, op, tier, x):
        call = jax.ffi.ffi_call("quake_rows",
                                jax.ShapeDtypeStruct(_row_out_shape(op, tier, x), x.dtype),
                                vmap_method="expand_dims")
        return jax.lax.platform_dependent(
            x, cpu=lambda a: call(a, op=np.int32(ROW_IDS[op, tier])),
            default=lambda a: self._fallback.rows(op, tier, a))


def _self_check(backend) -> None:
    """Run one small call of each kind and compare with the ufuncs' bits."""
    x = np.linspace(-20, 20, 37, dtype=np.float32).reshape(1, 37)
    cpu = jax.devices("cpu")[0]
    xj = jax.device_put(x, cpu)
    got_u = np.asarray(jax.jit(lambda a: backend.unary("exp", "q2", a))(xj))
    got_r = np.asarray(jax.jit(lambda a: backend.rows("logsumexp", "q2", a))(xj))
    if not (np.array_equal(got_u, UFUNCS["exp", "q2"](x))
            and np.array_equal(got_r, ROW_UFUNCS["logsumexp", "q2"](x))):
        raise RuntimeError("FFI results differ from the NumPy ufuncs'")


def select():
    """(backend, reason): the FFI backend if usable, else the callback one."""
    want = os.environ.get(ENV_VAR, "").strip().lower()
    if want in ("callback", "pure_callback"):
        return CallbackBackend(), f"{ENV_VAR}={want} in the environment"
    try:
        from .. import _jax_ffi
    except ImportError as exc:
        if want == "ffi":
            raise ImportError(f"{ENV_VAR}=ffi but quake was built without its XLA FFI "
                              f"handlers ({exc})") from exc
        return CallbackBackend(), ("quake was built without jaxlib's FFI headers; rebuild "
                                   "with jax installed: pip install --no-build-isolation quake")
    try:
        backend = FfiBackend(_jax_ffi)
        _self_check(backend)
    except Exception as exc:  # an incompatible jaxlib, most likely
        if want == "ffi":
            raise
        return CallbackBackend(), (f"the FFI handlers (built against jaxlib "
                                   f"{_jax_ffi.jaxlib_version}) failed with jax "
                                   f"{jax.__version__}: {exc}")
    return backend, (f"XLA FFI custom calls, built against jaxlib {_jax_ffi.jaxlib_version} "
                     f"(FFI API {_jax_ffi.ffi_api_major}.{_jax_ffi.ffi_api_minor}), "
                     f"running on jax {jax.__version__}")
