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

NATIVE = (jnp.float16, jnp.float32, jnp.float64)  # dtypes the kernels run in

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # gelu_tanh's sqrt(2/pi)
_GELU_TANH_A = 0.044715                     # gelu_tanh's cubic coefficient
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # normal pdf's 1/sqrt(2 pi)


def _as_float(x, name):
    """x as a JAX array of the dtype the op computes in, and the dtype to
    return: float16/32/64 run natively; bfloat16 is computed in float32 and
    rounded back; bools and integers become JAX's default float, as jnp.exp does."""
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
    return x.astype(jnp.float32), dt


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


def _ratio_or_half(y, x):
    """y / x for y = x g(x) with g(0) = 1/2 (silu's sigmoid, gelu's Phi), and
    1/2 near 0, where y may be subnormal (coarse, or flushed to zero by XLA):
    below 2^-60 (float32/64; 2^-12 for float16, whose y = x/2 is then still a
    normal half) |g - 1/2| <= |x|/2 is under half an ULP of 1/2."""
    thr = 2.0 ** -12 if x.dtype == jnp.float16 else 2.0 ** -60
    big = jnp.abs(x) >= thr
    return jnp.where(big, y / jnp.where(big, x, 1), 0.5)


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
    """Every op of one tier, running its kernels through `backend`."""

    def unary(op, tangent):
        return _kernel_fn(lambda x: backend.unary(op, tier, x), tangent)

    def row(op, tangent):
        return _kernel_fn(lambda x: backend.rows(op, tier, x), tangent)

    exp = unary("exp", lambda x, y, t: y * t)
    sigmoid = unary("sigmoid", lambda x, s, t: s * (1 - s) * t)
    tanh = unary("tanh", lambda x, y, t: (1 - y * y) * t)

    def silu_tangent(x, y, t):
        # d/dx x s(x) = s (1 + x (1 - s)), with s = y / x read off the tier's
        # own output (no second kernel call)
        s = _ratio_or_half(y, x)
        return s * (1 + x * (1 - s)) * t

    def gelu_tanh_tangent(x, y, t):
        # y = x/2 (1 + tanh(u)), u = c (x + a x^3):
        # y' = (1 + tanh u)/2 + x/2 (1 - tanh^2 u) c (1 + 3 a x^2)
        th = tanh(_SQRT_2_OVER_PI * (x + _GELU_TANH_A * x * x * x))
        d = 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * _SQRT_2_OVER_PI * (
            1 + 3 * _GELU_TANH_A * x * x)
        return d * t

    def gelu_tangent(x, y, t):
        # y = x Phi(x): y' = Phi(x) + x phi(x), phi(x) = exp(-x^2/2) / sqrt(2 pi);
        # Phi = y / x from the tier's own output (Phi(0) = 1/2), and phi with
        # the tier's exp: one kernel call, no erf
        return (_ratio_or_half(y, x) + x * _INV_SQRT_2PI * exp(-0.5 * x * x)) * t

    silu = unary("silu", silu_tangent)
    gelu_tanh = unary("gelu_tanh", gelu_tanh_tangent)
    gelu = unary("gelu", gelu_tangent)

    softmax = row("softmax", lambda x, y, t: y * (t - jnp.sum(y * t, axis=-1, keepdims=True)))

    def log_softmax_tangent(x, y, t):
        # t - sum(softmax * t); a row holding NaN (NaN or +inf input) gets a NaN
        # gradient in every entry, as jax.nn's (the sum alone would leave the
        # entries whose softmax is 0 finite in reverse mode)
        nan_row = jnp.where(jnp.isnan(y).any(axis=-1, keepdims=True), jnp.nan, 0).astype(y.dtype)
        return t * (1 + nan_row) - jnp.sum(exp(y) * t, axis=-1, keepdims=True)

    log_softmax = row("log_softmax", log_softmax_tangent)

    def logsumexp_tangent(x, y, t):
        # softmax weights, by the row's value: finite -> softmax(x); NaN -> NaN;
        # +inf -> NaN on the +inf entries and 0 on the others (a finite entry
        # cannot move an infinite sum), as jax.nn; -inf, a row of only -inf (fully
        # masked) -> 0, where jax.nn gives NaN (documented)
        yr = y[..., None]
        w = jnp.where(jnp.isposinf(yr), jnp.where(jnp.isposinf(x), jnp.nan, 0).astype(x.dtype),
                      softmax(x))
        w = jnp.where(jnp.isneginf(yr), 0, w)
        return jnp.sum(w * t, axis=-1)

    logsumexp = row("logsumexp", logsumexp_tangent)

    ns = SimpleNamespace(tier=tier)
    for name, fn in (("exp", exp), ("sigmoid", sigmoid), ("silu", silu), ("tanh", tanh),
                     ("gelu_tanh", gelu_tanh), ("gelu", gelu)):
        setattr(ns, name, _document(_elementwise(name, fn), name, tier, "(x)"))
    ns.softmax = _document(_over_axes("softmax", softmax, False), "softmax", tier,
                           "(x, axis=-1)")
    ns.log_softmax = _document(_over_axes("log_softmax", log_softmax, False), "log_softmax",
                               tier, "(x, axis=-1)")
    ns.logsumexp = _document(_over_axes("logsumexp", logsumexp, True), "logsumexp", tier,
                             "(x, axis=-1, keepdims=False)")
    return ns


def _document(fn, op, tier, sig):
    from ..accuracy import BOUNDS, DTYPES, TIER_DESCRIPTIONS
    from .._registry import ROW_SUMMARIES, SUMMARIES

    fn.__name__ = op
    fn.__qualname__ = f"{tier}.{op}"
    fn.__module__ = "quake.jax"
    bounds = ", ".join(f"{dt} {BOUNDS[op, tier, dt]}" for dt in DTYPES)
    axis = ("\naxis: int, tuple of ints (flattened into one row) or None (all axes).\n"
            if op in ROW_SUMMARIES else "")
    fn.__doc__ = (
        f"quake.jax.{tier}.{op}{sig}\n\n{SUMMARIES.get(op) or ROW_SUMMARIES[op]}\n\n"
        f"quake accuracy tier {tier!r}: {TIER_DESCRIPTIONS[tier]}.\n"
        f"Error bound (quake.accuracy.BOUNDS): {bounds}.\n{axis}"
        f"Same bits as quake.{tier}.{op} (up to XLA's flushing of subnormals);\n"
        f"jit, vmap and grad (custom JVP, evaluated in tier {tier!r}) work.\n")
    return fn
