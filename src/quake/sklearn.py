"""Make scikit-learn's own estimators use quake for their exponential
non-linearities at predict time.

    import quake.sklearn
    with quake.sklearn.patch("q2"):
        proba = mlp.predict_proba(X)      # hidden tanh/logistic + output softmax/logistic
        proba = logreg.predict_proba(X)   # logistic / softmax

What is replaced (and restored on exit, even after an exception):

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

import numpy as np

from ._registry import ALL_UFUNCS


def _op(name, tier):
    try:
        return ALL_UFUNCS[name, tier]
    except KeyError:
        return None


class _Patch:
    def __init__(self, tier):
        if tier not in ("q1", "q2", "precise"):
            raise ValueError(f"tier must be 'q1', 'q2' or 'precise', not {tier!r}")
        self.tier = tier
        self._saved = []  # (container, key, old, is_dict)
        self.replaced = []

    def _set(self, container, key, new, label):
        if isinstance(container, dict):
            if key not in container:
                return
            self._saved.append((container, key, container[key], True))
            container[key] = new
        else:
            if not hasattr(container, key):
                return
            self._saved.append((container, key, getattr(container, key), False))
            setattr(container, key, new)
        self.replaced.append(label)

    def start(self):
        from sklearn.linear_model import _base as lin_base
        from sklearn.linear_model import _logistic
        from sklearn.neural_network import _base as nn_base

        t = self.tier
        exp, tanh, sigmoid, softmax = (_op(n, t) for n in ("exp", "tanh", "sigmoid", "softmax"))
        acts = nn_base.ACTIVATIONS
        if exp is not None:
            self._set(acts, "exp", lambda X: exp(X, out=X), "MLP 'exp'")
        if tanh is not None:
            self._set(acts, "tanh", lambda X: tanh(X, out=X), "MLP 'tanh'")
        if sigmoid is not None:
            self._set(acts, "logistic", lambda X: sigmoid(X, out=X), "MLP 'logistic'")

            orig_expit = getattr(lin_base, "_expit", None)

            def expit(x, out=None, xp=None):
                if isinstance(x, np.ndarray):
                    return sigmoid(x, out=out) if out is not None else sigmoid(x)
                return orig_expit(x, out=out, xp=xp)
            self._set(lin_base, "_expit", expit, "linear _predict_proba_lr logistic")
        if softmax is not None:
            self._set(acts, "softmax", lambda X: softmax(X, axis=-1, out=X), "MLP 'softmax'")
            orig_softmax = _logistic.softmax

            def sk_softmax(X, copy=True):
                if isinstance(X, np.ndarray) and X.ndim == 2 and X.dtype.kind == "f":
                    return softmax(X, axis=-1, out=None if copy else X)
                return orig_softmax(X, copy=copy)
            self._set(_logistic, "softmax", sk_softmax, "LogisticRegression multinomial softmax")
        return self

    def stop(self):
        for container, key, old, is_dict in reversed(self._saved):
            if is_dict:
                container[key] = old
            else:
                setattr(container, key, old)
        self._saved.clear()


@contextlib.contextmanager
def patch(tier: str = "q2"):
    """Context manager: scikit-learn's exp-based non-linearities run on
    quake's `tier` inside the block; the originals come back on exit."""
    p = _Patch(tier).start()
    try:
        yield p
    finally:
        p.stop()
