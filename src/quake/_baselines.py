"""What a user would call instead of quake: the NumPy/SciPy way to compute
each op, shared by ``python -m quake``, ``python -m quake bench`` and the asv
suite.  SciPy is optional (not a quake dependency): without it the
elementwise ops fall back to NumPy formulas, the row ops to NumPy's
max/exp/sum, and gelu (erf) has no baseline."""
from __future__ import annotations

import numpy as np


def _scipy_special():
    """scipy.special, or None where SciPy is not installed."""
    try:
        import scipy.special
    except ImportError:
        return None
    return scipy.special


def baseline(op: str):
    """(name, fn(x, out) -> result) of the NumPy/SciPy way to compute `op`,
    or None where there is none (gelu without SciPy).  Elementwise baselines
    write into `out` (or a new array where out is None); row baselines (over the
    last axis) ignore `out` and return a new array."""
    sp = _scipy_special()
    make = _ELEMENTWISE.get(op) or _ROWS.get(op)
    return None if make is None else make(sp)


# ---------------------------------------------------------------- elementwise
def _exp(sp):
    return "numpy.exp", lambda x, out: np.exp(x, out=out)


def _np_sigmoid(x, out):
    t = np.negative(x, out=out)  # out may be None (a new array)
    np.exp(t, out=t)
    np.add(t, 1, out=t)
    return np.divide(1, t, out=t)


def _sigmoid(sp):
    if sp is None:
        return "numpy 1/(1+exp(-x))", _np_sigmoid
    return "scipy.special.expit", lambda x, out: sp.expit(x, out=out)


def _silu(sp):
    if sp is None:
        return "numpy x/(1+exp(-x))", lambda x, out: np.multiply(x, _np_sigmoid(x, out), out=out)
    return "numpy x*expit(x)", lambda x, out: np.multiply(x, sp.expit(x), out=out)


def _tanh(sp):
    return "numpy.tanh", lambda x, out: np.tanh(x, out=out)


def _gelu(sp):
    if sp is None:
        return None  # NumPy has no erf
    c = 1 / np.sqrt(2.0)

    def gelu(x, out):
        erf = sp.erf(x * x.dtype.type(c))
        return np.multiply(x * x.dtype.type(0.5), 1 + erf, out=out)
    return "numpy+scipy erf formula", gelu


def _gelu_tanh(sp):
    c = np.sqrt(2 / np.pi)

    def gelu_tanh(x, out):
        t = np.tanh(x.dtype.type(c) * (x + x.dtype.type(0.044715) * x ** 3))
        return np.multiply(x * x.dtype.type(0.5), 1 + t, out=out)
    return "numpy tanh formula", gelu_tanh


_ELEMENTWISE = {"exp": _exp, "sigmoid": _sigmoid, "silu": _silu, "tanh": _tanh,
                "gelu": _gelu, "gelu_tanh": _gelu_tanh}


# ---------------------------------------------------------------- row ops
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


def _row(name, np_fn):
    def make(sp):
        if sp is None:
            return f"numpy {name} formula", np_fn
        f = getattr(sp, name)
        return f"scipy.special.{name}", lambda x, out: f(x, axis=-1)
    return make


_ROWS = {"softmax": _row("softmax", _np_softmax),
         "log_softmax": _row("log_softmax", _np_log_softmax),
         "logsumexp": _row("logsumexp", _np_logsumexp)}
