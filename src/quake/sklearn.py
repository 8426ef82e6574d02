"""Make scikit-learn's own estimators use quake for their exponential
non-linearities at predict time::

    import quake.sklearn
    with quake.sklearn.patch("q2"):
        proba = mlp.predict_proba(X)      # hidden tanh/logistic + output softmax/logistic
        proba = logreg.predict_proba(X)   # logistic / softmax

What is replaced (and restored on exit, even after an exception; blocks
may nest and exit in any order: the innermost open block's tier runs):

* ``MLPClassifier``/``MLPRegressor`` activations, via the activation table
  ``sklearn.neural_network._base.ACTIVATIONS``: 'exp', 'tanh', 'logistic',
  'softmax' (each an in-place quake ufunc call);
* ``LogisticRegression.predict_proba`` (and every linear classifier's
  ``_predict_proba_lr``): the logistic (``_expit``) and the multinomial
  softmax.

These are scikit-learn internals (tested with scikit-learn 1.4-1.9): names
that do not exist in the installed version are left alone and reported by
``patch().replaced``.  Training is unaffected in practice (scikit-learn's
fit also calls these tables, so keep fitting outside the context).
"""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np

from ._registry import ALL_UFUNCS


def _op(name, tier):
    try:
        return ALL_UFUNCS[name, tier]
    except KeyError:
        return None


# Patches still open, innermost last.  scikit-learn runs on the innermost
# one's tier, or on its own functions when none is open, whatever order the
# blocks exit in (a block left out of order must not leave its tier behind).
_OPEN: list[_Patch] = []
_ORIGINALS: list = []  # (container, key, original, is_dict) while any patch is open
_LOCK = threading.RLock()


def _replacements(tier):
    """(container, key, new, label) for every scikit-learn function quake
    replaces in `tier`, built on scikit-learn's original functions."""
    from sklearn.linear_model import _base as lin_base
    from sklearn.linear_model import _logistic
    from sklearn.neural_network import _base as nn_base

    exp, tanh, sigmoid, softmax = (_op(n, tier) for n in ("exp", "tanh", "sigmoid", "softmax"))
    acts = nn_base.ACTIVATIONS
    out = []
    if exp is not None:
        out.append((acts, "exp", lambda X: exp(X, out=X), "MLP 'exp'"))
    if tanh is not None:
        out.append((acts, "tanh", lambda X: tanh(X, out=X), "MLP 'tanh'"))
    if sigmoid is not None:
        out.append((acts, "logistic", lambda X: sigmoid(X, out=X), "MLP 'logistic'"))
        orig_expit = getattr(lin_base, "_expit", None)

        def expit(x, out=None, xp=None):
            if isinstance(x, np.ndarray):
                return sigmoid(x, out=out) if out is not None else sigmoid(x)
            return orig_expit(x, out=out, xp=xp)
        out.append((lin_base, "_expit", expit, "linear _predict_proba_lr logistic"))
    if softmax is not None:
        out.append((acts, "softmax", lambda X: softmax(X, axis=-1, out=X), "MLP 'softmax'"))
        orig_softmax = _logistic.softmax

        def sk_softmax(X, copy=True):
            if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind == "f":
                return softmax(X, axis=-1, out=None if copy else X)
            return orig_softmax(X, copy=copy)
        out.append((_logistic, "softmax", sk_softmax, "LogisticRegression multinomial softmax"))
    return [r for r in out if _has(r[0], r[1])]


def _has(container, key):
    return key in container if isinstance(container, dict) else hasattr(container, key)


def _restore_originals():
    for container, key, old, is_dict in reversed(_ORIGINALS):
        if is_dict:
            container[key] = old
        else:
            setattr(container, key, old)
    _ORIGINALS.clear()


def _install(tier):
    """Put `tier`'s functions in place, saving scikit-learn's originals."""
    labels = []
    for container, key, new, label in _replacements(tier):
        if isinstance(container, dict):
            _ORIGINALS.append((container, key, container[key], True))
            container[key] = new
        else:
            _ORIGINALS.append((container, key, getattr(container, key), False))
            setattr(container, key, new)
        labels.append(label)
    return labels


class _Patch:
    """One open patch() block: its `tier` and what it `replaced` (labels of
    the scikit-learn functions, the ones this scikit-learn version has)."""
    tier: str
    replaced: list[str]

    def __init__(self, tier: str) -> None:
        if tier not in ("q1", "q2", "precise"):
            raise ValueError(f"tier must be 'q1', 'q2' or 'precise', not {tier!r}")
        self.tier = tier
        self.replaced = []

    def start(self) -> _Patch:
        with _LOCK:
            _restore_originals()
            _OPEN.append(self)
            self.replaced = _install(self.tier)
        return self

    def stop(self) -> None:
        with _LOCK:
            if self not in _OPEN:
                return
            _OPEN.remove(self)
            _restore_originals()
            if _OPEN:
                _install(_OPEN[-1].tier)


@contextlib.contextmanager
def patch(tier: str = "q2") -> Iterator[_Patch]:
    """Context manager: scikit-learn's exp-based non-linearities run on
    quake's `tier` inside the block; the originals come back on exit."""
    p = _Patch(tier).start()
    try:
        yield p
    finally:
        p.stop()
