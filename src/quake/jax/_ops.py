"""quake's ops as JAX functions: dtype and axis handling, and the custom JVP
rules, written from the exact derivatives and evaluated with the op's own
tier (so ``jax.grad`` of ``q2.sigmoid`` multiplies by q2's s * (1 - s)).

Each rule is linear in the tangent and built from quake's own (differentiable)
functions, so reverse mode, ``jax.hessian`` and friends work too.
"""
from __future__ import annotations

import math
import operator
from types import SimpleNamespace

import jax
import jax.numpy as jnp

from .._optable import SPECS
from .._registry import ALL_UFUNCS, BFLOAT16

# dtypes the kernels run in: bfloat16 (jax's is ml_dtypes.bfloat16) has
# native loops whenever quake registered them (ml_dtypes importable)
NATIVE = (jnp.float16, jnp.float32, jnp.float64) + ((jnp.bfloat16,) if BFLOAT16 is not None
                                                     else ())


def _as_float(x, name):
    """x as a JAX array of the dtype the op computes in, and the dtype to
    return: float16/32/64 run natively; bfloat16 is computed in float32 and
    rounded back (bfloat16 runs natively where quake has its loops:
    ml_dtypes importable); bools and integers become JAX's default float, as jnp.exp does."""
    x = jnp.asarray(x)
    dt = x.dtype
    if jnp.issubdtype(dt, jnp.complexfloating):
        raise TypeError(f"quake.jax.{name}: complex input ({dt}) is not supported")
    if not jnp.issubdtype(dt, jnp.floating):
        if not (jnp.issubdtype(dt, jnp.integer) or dt == jnp.bool_):
            raise TypeError(f"quake.jax.{name}: unsupported input dtype {dt}")
        dt = jax.dtypes.canonicalize_dtype(jnp.float64)
        x = x.astype(dt)
    if dt in NATIVE:
        return x, None
    return x.astype(jnp.float32), dt  # (bfloat16 only without ml_dtypes' loops)


def _elementwise(name, fn):
    def op(x):
        x, back = _as_float(x, name)
        y = fn(x)
        return y if back is None else y.astype(back)

    # jitted, so that eager calls run one cached executable instead of
    # re-tracing the custom_jvp and platform dispatch every time
    impl = jax.jit(op)

    def public(x):
        return impl(jnp.asarray(x))
    return public


def _normalize_axes(axis, ndim, name):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) or hasattr(axis, "__index__") else tuple(axis)
    out = []
    for a in axes:
        a = operator.index(a)
        if not -ndim <= a < ndim:
            raise ValueError(f"quake.jax.{name}: axis {a} is out of bounds for an array "
                             f"of dimension {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"quake.jax.{name}: repeated axis in {axis!r}")
    return tuple(sorted(out))


def _over_axes(name, row_fn, scalar_out):
    """Apply row_fn (over the last axis) over `axis`: the axes are moved to the
    end and, when several, flattened into one."""

    def op(x, axis=-1, keepdims=False):
        x, back = _as_float(x, name)
        if x.ndim == 0:
            raise ValueError(f"quake.jax.{name}: needs an array with at least one axis")
        axes = _normalize_axes(axis, x.ndim, name)
        if not axes:
            raise ValueError(f"quake.jax.{name}: axis=() selects no axis")
        rest = tuple(a for a in range(x.ndim) if a not in axes)
        perm = rest + axes
        identity = perm == tuple(range(x.ndim))
        moved = x if identity else jnp.transpose(x, perm)
        outer = moved.shape[:len(rest)]
        rows = moved.reshape(outer + (math.prod(moved.shape[len(rest):]),))
        y = row_fn(rows)
        if scalar_out:
            if keepdims:
                y = jnp.expand_dims(y, axes)
        else:
            y = y.reshape(moved.shape)
            if not identity:  # the inverse permutation
                y = jnp.transpose(y, tuple(perm.index(a) for a in range(x.ndim)))
        return y if back is None else y.astype(back)

    impl = jax.jit(op, static_argnames=("axis", "keepdims"))  # see _elementwise

    def hashable(axis):
        return tuple(axis) if isinstance(axis, (list, tuple)) else axis

    if not scalar_out:
        def public(x, axis=-1):
            return impl(jnp.asarray(x), axis=hashable(axis))
    else:
        def public(x, axis=-1, keepdims=False):
            return impl(jnp.asarray(x), axis=hashable(axis), keepdims=bool(keepdims))
    return public


def _kernel_fn(call, tangent):
    """A differentiable function over one kernel call: the primal is call(x),
    the JVP tangent(x, y, t) with y = call(x) (linear in t, built from
    differentiable functions, so every order of derivative works)."""

    @jax.custom_jvp
    def f(x):
        return call(x)

    @f.defjvp
    def _jvp(primals, tangents):
        x = primals[0]
        y = f(x)
        return y, tangent(x, y, tangents[0])

    return f


def build(tier: str, backend) -> SimpleNamespace:
    """Every op of one tier (the op table's), running its kernels through
    `backend`, differentiated by the op table's tangent rules."""
    # the tier's differentiable kernels over the last axis, which the tangent
    # rules evaluate (k.exp, k.tanh, k.softmax; filled before any rule runs)
    k = SimpleNamespace(jnp=jnp)
    ns = SimpleNamespace(tier=tier)
    for spec in SPECS:
        def call(x, op=spec.name, run=backend.rows if spec.row else backend.unary):
            return run(op, tier, x)

        def tangent(x, y, t, rule=spec.jax_tangent):
            return rule(x, y, t, k)

        fn = _kernel_fn(call, tangent)
        setattr(k, spec.name, fn)
        if spec.row:
            scalar_out = ALL_UFUNCS[spec.name, tier].signature.endswith("()")
            public = _over_axes(spec.name, fn, scalar_out)
            sig = "(x, axis=-1, keepdims=False)" if scalar_out else "(x, axis=-1)"
        else:
            public, sig = _elementwise(spec.name, fn), "(x)"
        setattr(ns, spec.name, _document(public, spec, tier, sig))
    return ns


def _document(fn, spec, tier, sig):
    from ..accuracy import BOUNDS, DTYPES, TIER_DESCRIPTIONS

    op = spec.name
    fn.__name__ = op
    fn.__qualname__ = f"{tier}.{op}"
    fn.__module__ = "quake.jax"
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    axis = ("\naxis: int, tuple of ints (flattened into one row) or None (all axes).\n"
            if spec.row else "")
    fn.__doc__ = (
        f"quake.jax.{tier}.{op}{sig}\n\n{spec.summary}\n\n"
        f"quake accuracy tier {tier!r}: {TIER_DESCRIPTIONS[tier]}.\n"
        f"Error bound (quake.accuracy.BOUNDS): {bounds}.\n{axis}"
        f"Same bits as quake.{tier}.{op} (up to XLA's flushing of subnormals);\n"
        f"jit, vmap and grad (custom JVP, evaluated in tier {tier!r}) work.\n")
    return fn
