"""THE op table: one spec per op, from which quake builds everything that
names ops in Python: the tier modules and top-level aliases (_registry),
quake.jax and its tangent rules, the reference values (quake.testing), the
NumPy/SciPy baselines and peers of ``python -m quake`` / ``bench``, the asv
suite and the docs generators.  The kernels and their ids come from
include/quake/ops.def and rowops.def; _registry checks that both agree.

Only NumPy is imported here; SciPy, mpmath, JAX and the peers are imported
inside the functions that need them.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np


@dataclass(frozen=True)
class Call:
    """A peer's function, named by its import path, with fixed keywords:
    Call("jax.nn.gelu", approximate=True).  `out`: it takes out= (torch)."""
    path: str
    kwargs: dict = field(default_factory=dict)
    out: bool = False

    def __init__(self, path: str, out: bool = False, **kwargs):
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "kwargs", kwargs)
        object.__setattr__(self, "out", out)

    @property
    def label(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{self.path}({args})" if args else self.path

    def resolve(self) -> Callable:
        """The function with its keywords bound (ImportError if not installed)."""
        parts = self.path.split(".")
        for i in range(len(parts) - 1, 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                if i == 1:
                    raise
                continue
            for name in parts[i:]:
                obj = getattr(obj, name)
            break
        kw = self.kwargs
        return (lambda *a, **k: obj(*a, **kw, **k)) if kw else obj


@dataclass(frozen=True)
class Doc:
    """What an op's docstring says beyond the summary (quake._docs):
    `result`, the value returned (Returns); `specials`, its special values
    and warnings (Notes); `see_also`, (name, what) of its NumPy/SciPy
    counterparts; `reference`, the exact formula as a NumPy expression of the
    float64 array `x64` (the doctests check the bound against it); `limits`,
    op(-inf) and op(+inf) (elementwise ops; checked literally); `masked`,
    (expression of the op `{f}`, its output) for a row op's masked -inf."""
    result: str
    specials: str
    see_also: tuple
    reference: str
    limits: tuple = ()
    masked: tuple = ()


@dataclass(frozen=True)
class OpSpec:
    """Everything Python knows about one op.

    reference(a): the exact function on float64 / long double arrays;
    mp_reference(v): the same with mpmath (float64 where long double is just
    double; None for row ops); baseline(sp): (name, fn(x, out)) of the
    NumPy/SciPy way (sp = scipy.special or None), or None; peers: {"torch" |
    "jax" | "onnxruntime": Call or ONNX (node, attrs), "numexpr": expression};
    jax_tangent(x, y, t, k): the JVP of y = op(x) along t, where k holds the
    tier's differentiable quake.jax kernels (k.exp, k.tanh, k.softmax) and jnp;
    domain: {dtype: (lo, hi)} of the accuracy sample (beyond every threshold),
    with `bends` ((lo, hi), fraction) of uniform extra samples and `size`
    {dtype: count}; plot: the x range of docs/accuracy.md's error plot;
    doc: the docstrings' text (Doc)."""
    name: str
    summary: str
    reference: Callable
    baseline: Callable
    peers: dict
    jax_tangent: Callable
    doc: Doc
    mp_reference: Callable | None = None
    row: bool = False
    domain: dict = field(default_factory=dict)
    bends: tuple = ()
    size: dict = field(default_factory=dict)
    plot: tuple = (-10.0, 10.0)


# ---------------------------------------------------------------- references
def _sigmoid(a):
    e = np.exp(-np.abs(a))  # e/(1+e) for a <= 0: accurate in the far tail
    return np.where(a > 0, 1 / (1 + e), e / (1 + e))


def _silu(a):
    return np.where(np.isneginf(a), a.dtype.type(0), a * _sigmoid(a))


def _gelu_tanh(a):
    t = a.dtype.type
    k = np.sqrt(t(2) / t("3.14159265358979323846264338327950288"))
    big = np.abs(a) > t(1e6)  # u would overflow; the result is x or 0 there
    ab = np.where(big, t(0), a)
    u = k * (ab + t("0.044715") * ab * ab * ab)
    y = ab * _sigmoid(2 * u)
    return np.where(big, np.where(a > 0, a, t(0)), y)


def _gelu(a):
    """x Phi(x), the exact erf form; float64 via scipy's ndtr (relative
    accuracy in the tail), long double by mpmath."""
    if a.dtype == np.float64:
        from scipy.special import ndtr

        return np.where(np.isneginf(a), 0.0, a * ndtr(a))
    import mpmath

    mpmath.mp.prec = 80

    def one(v):
        v = float(v)
        if np.isnan(v) or v > 50:
            return np.longdouble(v)  # Phi(x) = 1 to far below long double's ulp
        if v < -50:
            return np.longdouble(0.0)  # |x Phi(x)| < 1e-540: 0 in double
        y = mpmath.mpf(v) * mpmath.ncdf(mpmath.mpf(v))
        return np.longdouble(mpmath.nstr(y, 25, strip_zeros=False)) if y else np.longdouble(0.0)
    return np.array([one(v) for v in a], dtype=np.longdouble)


def _mp(name):
    def f(v):
        import mpmath

        return getattr(mpmath, name)(v)
    return f


def _mp_sigmoid(v):
    import mpmath

    return 1 / (1 + mpmath.exp(-v))


def _mp_gelu_tanh(v):
    import mpmath

    return v / (1 + mpmath.exp(-2 * mpmath.sqrt(2 / mpmath.pi) * (v + mpmath.mpf("0.044715") * v**3)))


def _mp_gelu(v):
    import mpmath

    return v * mpmath.ncdf(v)


def _row_reference(kind):
    """softmax / log_softmax / logsumexp over the last axis, for rows of
    finite values and -inf: max subtraction, then exp, sum and log."""
    def ref(xr):
        with np.errstate(all="ignore"):
            m = np.max(xr, axis=-1, keepdims=True)
            t = xr - m
            s = np.sum(np.exp(t), axis=-1, keepdims=True)
            if kind == "softmax":
                return np.exp(t) / s
            if kind == "log_softmax":
                return t - np.log(s)
            return (m + np.log(s))[..., 0]
    return ref


# ---------------------------------------------------------------- baselines
def _np_sigmoid(x, out):
    t = np.negative(x, out=out)  # out may be None (a new array)
    np.exp(t, out=t)
    np.add(t, 1, out=t)
    return np.divide(1, t, out=t)


def _base_exp(sp):
    return "numpy.exp", lambda x, out: np.exp(x, out=out)


def _base_sigmoid(sp):
    if sp is None:
        return "numpy 1/(1+exp(-x))", _np_sigmoid
    return "scipy.special.expit", lambda x, out: sp.expit(x, out=out)


def _base_silu(sp):
    if sp is None:
        return "numpy x/(1+exp(-x))", lambda x, out: np.multiply(x, _np_sigmoid(x, out), out=out)
    return "numpy x*expit(x)", lambda x, out: np.multiply(x, sp.expit(x), out=out)


def _base_tanh(sp):
    return "numpy.tanh", lambda x, out: np.tanh(x, out=out)


def _base_gelu(sp):
    if sp is None:
        return None  # NumPy has no erf
    c = 1 / np.sqrt(2.0)

    def gelu(x, out):
        erf = sp.erf(x * x.dtype.type(c))
        return np.multiply(x * x.dtype.type(0.5), 1 + erf, out=out)
    return "numpy+scipy erf formula", gelu


def _base_gelu_tanh(sp):
    c = np.sqrt(2 / np.pi)

    def gelu_tanh(x, out):
        t = np.tanh(x.dtype.type(c) * (x + x.dtype.type(0.044715) * x ** 3))
        return np.multiply(x * x.dtype.type(0.5), 1 + t, out=out)
    return "numpy tanh formula", gelu_tanh


def _np_shifted(x):
    """x - max(x) over the last axis, and that max."""
    m = np.max(x, axis=-1, keepdims=True)
    return x - m, m


def _np_softmax(x, out):
    t, _ = _np_shifted(x)
    e = np.exp(t, out=t)
    return np.divide(e, np.sum(e, axis=-1, keepdims=True), out=e)


def _np_log_softmax(x, out):
    t, _ = _np_shifted(x)
    return t - np.log(np.sum(np.exp(t), axis=-1, keepdims=True))


def _np_logsumexp(x, out):
    t, m = _np_shifted(x)
    return (m + np.log(np.sum(np.exp(t), axis=-1, keepdims=True)))[..., 0]


def _base_row(name, np_fn):
    """scipy.special.<name> over the last axis (it ignores out), or the NumPy formula."""
    def make(sp):
        if sp is None:
            return f"numpy {name} formula", np_fn
        f = getattr(sp, name)
        return f"scipy.special.{name}", lambda x, out: f(x, axis=-1)
    return make


# ---------------------------------------------------------------- JAX tangent rules
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # gelu_tanh's sqrt(2/pi)
_GELU_TANH_A = 0.044715                     # gelu_tanh's cubic coefficient
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)  # normal pdf's 1/sqrt(2 pi)


def _ratio_or_half(jnp, y, x):
    """y / x for y = x g(x) with g(0) = 1/2 (silu's sigmoid, gelu's Phi), and
    1/2 near 0, where y may be subnormal (coarse, or flushed to zero by XLA):
    below 2^-60 (float32/64; 2^-12 for float16, whose y = x/2 is then still a
    normal half) |g - 1/2| <= |x|/2 is under half an ULP of 1/2."""
    thr = 2.0 ** -12 if x.dtype == jnp.float16 else 2.0 ** -60
    big = jnp.abs(x) >= thr
    return jnp.where(big, y / jnp.where(big, x, 1), 0.5)


def _d_silu(x, y, t, k):
    # d/dx x s(x) = s (1 + x (1 - s)), with s = y / x read off the tier's own
    # output (no second kernel call)
    s = _ratio_or_half(k.jnp, y, x)
    return s * (1 + x * (1 - s)) * t


def _d_gelu_tanh(x, y, t, k):
    # y = x/2 (1 + tanh(u)), u = c (x + a x^3):
    # y' = (1 + tanh u)/2 + x/2 (1 - tanh^2 u) c (1 + 3 a x^2)
    th = k.tanh(_SQRT_2_OVER_PI * (x + _GELU_TANH_A * x * x * x))
    d = 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * _SQRT_2_OVER_PI * (1 + 3 * _GELU_TANH_A * x * x)
    return d * t


def _d_gelu(x, y, t, k):
    # y = x Phi(x): y' = Phi(x) + x phi(x), phi(x) = exp(-x^2/2) / sqrt(2 pi);
    # Phi = y / x from the tier's own output (Phi(0) = 1/2), and phi with the
    # tier's exp: one kernel call, no erf
    return (_ratio_or_half(k.jnp, y, x) + x * _INV_SQRT_2PI * k.exp(-0.5 * x * x)) * t


def _d_log_softmax(x, y, t, k):
    # t - sum(softmax * t); a row holding NaN (NaN or +inf input) gets a NaN
    # gradient in every entry, as jax.nn's (the sum alone would leave the
    # entries whose softmax is 0 finite in reverse mode)
    jnp = k.jnp
    nan_row = jnp.where(jnp.isnan(y).any(axis=-1, keepdims=True), jnp.nan, 0).astype(y.dtype)
    return t * (1 + nan_row) - jnp.sum(k.exp(y) * t, axis=-1, keepdims=True)


def _d_logsumexp(x, y, t, k):
    # softmax weights, by the row's value: finite -> softmax(x); NaN -> NaN;
    # +inf -> NaN on the +inf entries and 0 on the others (a finite entry
    # cannot move an infinite sum), as jax.nn; -inf, a row of only -inf (fully
    # masked) -> 0, where jax.nn gives NaN (documented)
    jnp = k.jnp
    yr = y[..., None]
    w = jnp.where(jnp.isposinf(yr), jnp.where(jnp.isposinf(x), jnp.nan, 0).astype(x.dtype),
                  k.softmax(x))
    w = jnp.where(jnp.isneginf(yr), 0, w)
    return jnp.sum(w * t, axis=-1)


# ---------------------------------------------------------------- the table
_ACT_DOMAIN = {"float32": (-120.0, 120.0), "float64": (-800.0, 800.0)}
_ACT_BENDS = (((-12.0, 12.0), 1.0), ((-1.0, 1.0), 0.25))  # where the activations bend
_ACT_SIZE = {"float32": 200_000, "float64": 60_000}

SPECS: tuple[OpSpec, ...] = (
    OpSpec("exp", "Exponential, e**x, elementwise.",
           reference=np.exp, mp_reference=_mp("exp"), baseline=_base_exp,
           peers={"torch": Call("torch.exp", out=True), "jax": Call("jax.numpy.exp"),
                  "onnxruntime": ("Exp", {}), "numexpr": "exp(x)"},
           doc=Doc("e**x",
                   "Overflow gives +inf with NumPy's overflow warning (np.errstate); results "
                   "below the normal range are +0 (q1, q2) or the correct denormal (precise); "
                   "never negative; never decreases over the float32 inputs (every tier).",
                   (("numpy.exp", "NumPy's exponential."),), "np.exp(x64)", (0.0, np.inf)),
           jax_tangent=lambda x, y, t, k: y * t,
           domain={"float32": (-106.0, 90.0), "float64": (-750.0, 712.0)},
           size={"float32": 600_000, "float64": 600_000}, plot=(-90.0, 90.0)),
    OpSpec("sigmoid", "Logistic sigmoid, 1/(1 + e**-x), elementwise; in [0, 1], never overflows.",
           reference=_sigmoid, mp_reference=_mp_sigmoid, baseline=_base_sigmoid,
           peers={"torch": Call("torch.sigmoid", out=True), "jax": Call("jax.nn.sigmoid"),
                  "onnxruntime": ("Sigmoid", {}), "numexpr": "1/(1+exp(-x))"},
           doc=Doc("1/(1 + e**-x), in [0, 1]", "No overflow warning for any input.",
                   (("scipy.special.expit", "SciPy's logistic sigmoid."),),
                   "1 / (1 + np.exp(-x64))", (0.0, 1.0)),
           jax_tangent=lambda x, s, t, k: s * (1 - s) * t,
           domain=_ACT_DOMAIN, bends=_ACT_BENDS, size=_ACT_SIZE, plot=(-30.0, 30.0)),
    OpSpec("silu", "SiLU (swish), x*sigmoid(x), elementwise.",
           reference=_silu, mp_reference=lambda v: v * _mp_sigmoid(v), baseline=_base_silu,
           peers={"torch": Call("torch.nn.functional.silu"), "jax": Call("jax.nn.silu"),
                  "numexpr": "x/(1+exp(-x))"},
           doc=Doc("x*sigmoid(x)", "No overflow warning for any input.",
                   (("scipy.special.expit", "x * expit(x) is SiLU."),), "x64 / (1 + np.exp(-x64))",
                   (-0.0, np.inf)),
           jax_tangent=_d_silu,
           domain=_ACT_DOMAIN, bends=_ACT_BENDS, size=_ACT_SIZE, plot=(-30.0, 30.0)),
    OpSpec("tanh", "Hyperbolic tangent, elementwise; odd, in [-1, 1].",
           reference=np.tanh, mp_reference=_mp("tanh"), baseline=_base_tanh,
           peers={"torch": Call("torch.tanh", out=True), "jax": Call("jax.numpy.tanh"),
                  "onnxruntime": ("Tanh", {}), "numexpr": "tanh(x)"},
           doc=Doc("tanh(x), odd, in [-1, 1]", "No overflow warning for any input.",
                   (("numpy.tanh", "NumPy's hyperbolic tangent."),), "np.tanh(x64)", (-1.0, 1.0)),
           jax_tangent=lambda x, y, t, k: (1 - y * y) * t,
           domain=_ACT_DOMAIN, bends=_ACT_BENDS, size=_ACT_SIZE, plot=(-6.0, 6.0)),
    OpSpec("gelu_tanh",
           "GELU, tanh form: 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3))), elementwise.",
           reference=_gelu_tanh, mp_reference=_mp_gelu_tanh, baseline=_base_gelu_tanh,
           peers={"torch": Call("torch.nn.functional.gelu", approximate="tanh"),
                  "jax": Call("jax.nn.gelu", approximate=True),
                  "onnxruntime": ("Gelu", {"approximate": "tanh"})},
           doc=Doc("0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))",
                   "No overflow warning for any input.",
                   (("numpy.tanh", "The tanh of the formula."),),
                   "0.5 * x64 * (1 + np.tanh(np.sqrt(2 / np.pi) * (x64 + 0.044715 * x64**3)))",
                   (-0.0, np.inf)),
           jax_tangent=_d_gelu_tanh,
           domain=_ACT_DOMAIN, bends=_ACT_BENDS, size=_ACT_SIZE, plot=(-8.0, 8.0)),
    OpSpec("gelu", "GELU, exact erf form: 0.5*x*(1 + erf(x/sqrt(2))), elementwise.",
           reference=_gelu, mp_reference=_mp_gelu, baseline=_base_gelu,
           peers={"torch": Call("torch.nn.functional.gelu"),
                  "jax": Call("jax.nn.gelu", approximate=False), "onnxruntime": ("Gelu", {})},
           doc=Doc("x*Phi(x) = 0.5*x*(1 + erf(x/sqrt(2)))", "No overflow warning for any input.",
                   (("scipy.special.erf", "The error function of the formula."),
                    ("scipy.special.ndtr", "Phi, the standard normal CDF.")),
                   "0.5 * x64 * (1 + np.vectorize(math.erf)(x64 / math.sqrt(2)))", (-0.0, np.inf)),
           jax_tangent=_d_gelu,
           # float64's reference is mpmath (slow), hence the smaller sample
           domain=_ACT_DOMAIN, bends=_ACT_BENDS, size={"float32": 200_000, "float64": 12_000},
           plot=(-8.0, 8.0)),
    OpSpec("softmax", "Softmax over the core axis: exp(x - max) / sum(exp(x - max)).",
           reference=_row_reference("softmax"), row=True,
           baseline=_base_row("softmax", _np_softmax),
           peers={"torch": Call("torch.softmax", dim=-1), "jax": Call("jax.nn.softmax", axis=-1),
                  "onnxruntime": ("Softmax", {"axis": -1})},
           doc=Doc("The softmax of each row (along `axis`), same shape as `x`.",
                   "-inf entries are ordinary: their probability is exactly 0.  Rows holding "
                   "NaN, +inf or only -inf follow scipy.special.softmax (docs/design.md).",
                   (("scipy.special.softmax", "SciPy's softmax (axis=None by default)."),),
                   "np.exp(x64) / np.exp(x64).sum(axis=-1, keepdims=True)",
                   masked=("float({f}(np.array([0.0, 0.0, -np.inf], dtype=np.float32))[2])", "0.0")),
           jax_tangent=lambda x, y, t, k: y * (t - k.jnp.sum(y * t, axis=-1, keepdims=True))),
    OpSpec("log_softmax",
           "Log of the softmax over the core axis: (x - max) - log(sum(exp(x - max))).",
           reference=_row_reference("log_softmax"), row=True,
           baseline=_base_row("log_softmax", _np_log_softmax),
           peers={"torch": Call("torch.log_softmax", dim=-1),
                  "jax": Call("jax.nn.log_softmax", axis=-1),
                  "onnxruntime": ("LogSoftmax", {"axis": -1})},
           doc=Doc("The log of the softmax of each row (along `axis`), same shape as `x`.",
                   "-inf entries are ordinary: they give exactly -inf.  Rows holding NaN, +inf "
                   "or only -inf follow scipy.special.log_softmax (docs/design.md).",
                   (("scipy.special.log_softmax", "SciPy's log_softmax."),),
                   "x64 - np.log(np.exp(x64).sum(axis=-1, keepdims=True))",
                   masked=("float({f}(np.array([0.0, 0.0, -np.inf], dtype=np.float32))[2])", "-inf")),
           jax_tangent=_d_log_softmax),
    OpSpec("logsumexp",
           "log(sum(exp(x))) over the core axis, computed as max + log(sum(exp(x - max))).",
           reference=_row_reference("logsumexp"), row=True,
           baseline=_base_row("logsumexp", _np_logsumexp),
           peers={"torch": Call("torch.logsumexp", dim=-1),
                  "jax": Call("jax.nn.logsumexp", axis=-1)},
           doc=Doc("log(sum(exp(row))) of each row: the shape of `x` without the core axis.",
                   "-inf entries are ordinary (masked); a row of only -inf gives -inf.  Rows "
                   "holding NaN or +inf follow scipy.special.logsumexp (docs/design.md).",
                   (("scipy.special.logsumexp", "SciPy's logsumexp (axis=None by default)."),),
                   "np.log(np.exp(x64).sum(axis=-1))",
                   masked=("float({f}(np.full(3, -np.inf, dtype=np.float32)))", "-inf")),
           jax_tangent=_d_logsumexp),
)

SPEC = {s.name: s for s in SPECS}
OPS = tuple(s.name for s in SPECS if not s.row)      # elementwise ufuncs
ROW_OPS = tuple(s.name for s in SPECS if s.row)      # gufuncs over one axis
ALL_OPS = OPS + ROW_OPS


def baseline(op: str):
    """(name, fn(x, out) -> result) of the NumPy/SciPy way to compute `op`
    (what a user would call instead of quake), or None where there is none
    (gelu without SciPy).  SciPy is optional: without it the NumPy formulas.
    Elementwise baselines write into `out` (a new array where out is None);
    row baselines (over the last axis) ignore `out` and return a new array."""
    try:
        import scipy.special as sp
    except ImportError:
        sp = None
    return SPEC[op].baseline(sp)
