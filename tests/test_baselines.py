"""The NumPy/SciPy baselines that ``python -m quake`` and ``quake bench``
time quake against compute the same function as quake (with SciPy, and with
the NumPy fallbacks used where SciPy is not installed)."""
import sys

import numpy as np
import pytest

import quake
from quake._optable import baseline

ALL_OPS = quake.OPS + quake.ROW_OPS


def _check(op):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 128)) * 4 if op in quake.ROW_OPS else rng.standard_normal(5000) * 4
    name, fn = baseline(op)
    want = getattr(quake.precise, op)(x)
    for out in (np.empty_like(x), None):  # None: asv calls them without out
        np.testing.assert_allclose(fn(x, out), want, rtol=1e-12, atol=1e-14)
    return name


@pytest.mark.parametrize("op", ALL_OPS)
def test_scipy_baseline_matches_quake(op):
    pytest.importorskip("scipy")
    assert _check(op)


@pytest.mark.parametrize("op", ALL_OPS)
def test_numpy_fallback_without_scipy(op, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy -> ImportError
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    if op == "gelu":
        assert baseline(op) is None  # NumPy has no erf
    else:
        assert "scipy" not in _check(op)
