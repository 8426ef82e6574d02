"""A scikit-learn MLP on the bundled digits data, its forward pass by hand with
pluggable ops.

``MLPClassifier`` is trained as usual (float32 data, so float32 weights); inference
then runs ``forward(clf, X, ops)``: the same affine layers as sklearn's
``_forward_pass_fast``, with the hidden activation (logistic -> ops.sigmoid,
tanh -> ops.tanh) and the output softmax taken from ``ops``.
"""
from __future__ import annotations

import warnings

import numpy as np

from .ops import NumpyOps

HIDDEN_OPS = {"logistic": "sigmoid", "tanh": "tanh"}
OUTPUT_OPS = {"softmax": "softmax", "logistic": "sigmoid"}


def digits_split(seed=0):
    """load_digits as float32 in [0, 1], split half/half (stratified)."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    return train_test_split(X, y, test_size=0.5, random_state=seed, stratify=y)


def train(activation, X, y, hidden=(256, 256), max_iter=300, seed=0):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    if activation not in HIDDEN_OPS:
        raise ValueError(f"activation must be one of {list(HIDDEN_OPS)}")
    clf = MLPClassifier(hidden_layer_sizes=hidden, activation=activation,
                        max_iter=max_iter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y)


def forward(clf, X, ops=None):
    """Class probabilities, (n, n_classes) (one column for binary problems)."""
    ops = ops if ops is not None else NumpyOps()
    hidden = getattr(ops, HIDDEN_OPS[clf.activation])
    a = X
    last = len(clf.coefs_) - 1
    for i, (W, b) in enumerate(zip(clf.coefs_, clf.intercepts_)):
        a = a @ W
        a += b
        a = hidden(a) if i < last else getattr(ops, OUTPUT_OPS[clf.out_activation_])(a)
    return a


def predict(clf, X, ops=None):
    p = forward(clf, X, ops)
    idx = (p[:, 0] > 0.5).astype(int) if p.shape[1] == 1 else p.argmax(axis=1)
    return clf.classes_[idx]
