"""Pluggable non-linearities for the end-to-end models.

An *op set* is an object with five methods; the models call nothing else that is
exponential:

    softmax(x)   softmax over the last axis
    gelu(x)      GELU, erf form: x/2 (1 + erf(x/sqrt 2))
    exp(x), tanh(x), sigmoid(x)

Every method may overwrite ``x`` and returns the result (the models only pass
temporaries they no longer need), so each op set can work in place.

- ``NumpyOps``      the exact reference: NumPy/SciPy, written efficiently (in place).
- ``QuakeOps(t)``   quake's fused ufuncs of tier ``t`` (quake.<t>.softmax, .gelu, ...).
- ``QuakeExpOps(t)`` NumPy compositions around ``quake.<t>.exp`` only (softmax,
  sigmoid, tanh); GELU stays SciPy's.  It shows what replacing exp alone buys.

An op that this quake build lacks raises ``OpUnavailable`` when it is called, and
``available(ops, names)`` asks without calling.
"""
from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["NumpyOps", "QuakeOps", "QuakeExpOps", "OpUnavailable", "OP_NAMES",
           "available", "op_sets"]

OP_NAMES = ("softmax", "gelu", "exp", "tanh", "sigmoid")
_SQRT1_2 = np.float32(1 / np.sqrt(2))


class OpUnavailable(RuntimeError):
    """The op does not exist in the installed quake."""


def _softmax_by(exp, x):
    """softmax over the last axis in place, with `exp` (a ufunc taking out=)."""
    x -= x.max(axis=-1, keepdims=True)
    exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


class NumpyOps:
    name = "numpy"

    def softmax(self, x):
        return _softmax_by(np.exp, x)

    def gelu(self, x):
        t = np.multiply(x, _SQRT1_2)
        special.erf(t, out=t)
        t += 1
        t *= 0.5
        x *= t
        return x

    def exp(self, x):
        return np.exp(x, out=x)

    def tanh(self, x):
        return np.tanh(x, out=x)

    def sigmoid(self, x):
        return special.expit(x, out=x)


def _tier_module(tier):
    import quake

    if tier not in quake.TIERS:
        raise ValueError(f"unknown quake tier {tier!r}; expected one of {quake.TIERS}")
    return getattr(quake, tier)


def _unavailable(tier, op):
    def missing(x):
        raise OpUnavailable(f"quake.{tier}.{op} is not available in this quake build")
    missing.unavailable = True
    return missing


class QuakeOps:
    """quake's fused ufuncs of one tier; all work in place (``out=x``)."""

    def __init__(self, tier):
        self.tier = tier
        self.name = f"quake.{tier}"
        mod = _tier_module(tier)
        for op in OP_NAMES:
            uf = getattr(mod, op, None)
            if uf is None:
                setattr(self, op, _unavailable(tier, op))
            elif op == "softmax":
                self.softmax = lambda x, uf=uf: uf(x, axis=-1, out=x)
            else:
                setattr(self, op, lambda x, uf=uf: uf(x, out=x))


class QuakeExpOps(NumpyOps):
    """NumPy compositions with ``quake.<tier>.exp`` as the only exponential."""

    def __init__(self, tier):
        self.tier = tier
        self.name = f"quake.{tier}.exp-only"
        self._exp = getattr(_tier_module(tier), "exp", None) or _unavailable(tier, "exp")

    def softmax(self, x):
        return _softmax_by(self._exp, x)

    def exp(self, x):
        return self._exp(x, out=x)

    def sigmoid(self, x):
        # 1 / (1 + e^-x); e^-x overflows to inf for x < -88, giving the right 0.
        np.negative(x, out=x)
        with np.errstate(over="ignore"):
            self._exp(x, out=x)
        x += 1
        return np.reciprocal(x, out=x)

    def tanh(self, x):
        # tanh x = 1 - 2 / (1 + e^2x); inf for large x gives the right 1.
        with np.errstate(over="ignore"):
            x *= 2
            self._exp(x, out=x)
        x += 1
        np.reciprocal(x, out=x)
        x *= -2
        x += 1
        return x


def available(ops, names=OP_NAMES):
    """True when every op in ``names`` exists in ``ops``."""
    return not any(getattr(getattr(ops, n), "unavailable", False) for n in names)


def op_sets(kind="fused"):
    """The reference op set followed by one quake op set per tier."""
    import quake

    cls = {"fused": QuakeOps, "exp-only": QuakeExpOps}[kind]
    return [NumpyOps()] + [cls(t) for t in quake.TIERS]
