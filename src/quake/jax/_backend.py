"""How quake.jax reaches the C kernels from traced JAX code.

Two backends, one interface (``unary(op, tier, x)``, ``rows(op, tier, x)``,
both on float16/bfloat16/float32/float64 arrays, row ops over the last axis):

* ``FfiBackend``: XLA FFI custom calls (``jax.ffi.ffi_call``) into the
  handlers of ``quake._jax_ffi``, which call the same C code as the NumPy
  ufuncs.  Jitted code never re-enters Python.  The handlers are plain C
  against quake's own declaration of XLA's typed FFI C ABI
  (``xla_ffi_abi.h``), so every build has them; whether this jaxlib accepts
  them is settled when they are registered (``_register``).
* ``CallbackBackend``: a host callback into the NumPy ufuncs
  (``buffer_callback`` on the CPU, ``jax.pure_callback`` on other
  platforms).  Works everywhere, costs a trip through Python per call.

``select()`` picks the FFI backend when it registers with this jaxlib and
passes a self-check, and otherwise the callback backend (a build without the
handlers, QUAKE_JAX_FFI=0; a jaxlib whose FFI API quake does not know),
keeping the reason for ``quake.show_config()``.  Both give the ufuncs' bits.
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


def _register(module):
    """Register the handlers with XLA, and return the FFI API version (major,
    minor) they were registered with.

    XLA asks each handler for its API version when it is registered and
    refuses one it does not support: older jaxlibs accept only their own
    version, newer ones a range up to theirs.  The handlers' layouts hold for
    every minor version in ``module.ffi_api_minors``, so the newest of those
    that this jaxlib accepts is used; none (another major version, or a
    jaxlib older than API 0.1) raises, and quake.jax takes the callback."""
    # With no CPU client yet, jax queues the registration until the client is
    # made, and a refused handler then fails the CPU backend's initialisation;
    # with the client up, XLA checks the version here and raises.
    jax.devices("cpu")
    lo, hi = module.ffi_api_minors
    refused = []
    for minor in range(hi, lo - 1, -1):
        module.set_api_version(module.ffi_api_major, minor)
        try:
            for target, capsule in module.handlers().items():
                jax.ffi.register_ffi_target(target, capsule, platform="cpu")
        except Exception as exc:  # XLA's InvalidArgument: version not supported
            refused.append(f"{module.ffi_api_major}.{minor}: {exc}")
            continue
        return module.ffi_api_major, minor
    raise RuntimeError("this jaxlib accepts none of the XLA FFI API versions quake's "
                       "handlers speak (" + "; ".join(refused) + ")")


class FfiBackend:
    """ffi_call on the CPU; any other platform (a GPU) takes the callback."""

    name = "ffi"
    _api_version = None  # XLA's registry is process-wide: register once

    def __init__(self, module):
        self.module = module
        self._fallback = CallbackBackend()
        if FfiBackend._api_version is None:
            FfiBackend._api_version = _register(module)
        self.api_version = FfiBackend._api_version

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


def _jaxlib_version() -> str:
    try:
        import jaxlib

        return jaxlib.__version__
    except Exception:  # pragma: no cover - jax without jaxlib cannot run anyway
        return "?"


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
        return CallbackBackend(), (f"quake was built without its XLA FFI handlers "
                                   f"(QUAKE_JAX_FFI=0?): {exc}")
    try:
        backend = FfiBackend(_jax_ffi)
        _self_check(backend)
    except Exception as exc:  # a jaxlib whose FFI API quake does not speak
        if want == "ffi":
            raise
        return CallbackBackend(), (f"the XLA FFI handlers did not work with jaxlib "
                                   f"{_jaxlib_version()} (jax {jax.__version__}): {exc}")
    major, minor = backend.api_version
    return backend, (f"XLA FFI custom calls (FFI API {major}.{minor}, accepted by jaxlib "
                     f"{_jaxlib_version()}), running on jax {jax.__version__}")
