"""Accuracy of softmax, log_softmax and logsumexp in every tier, dtype and
target against a float64 (float16/32 inputs) or long double (float64)
reference, on rows of many lengths, scales and dynamic ranges."""
import numpy as np
import pytest

import quake
from quake.testing import max_error, row_reference, row_samples

ROW_OPS = quake.ROW_OPS
_SAMPLES = {}


def samples(dtype):
    key = np.dtype(dtype).name
    if key not in _SAMPLES:
        _SAMPLES[key] = row_samples(dtype)
    return _SAMPLES[key]


def worst(op, tier, dtype):
    err, row = 0.0, None
    for x in samples(dtype):
        e, r = max_error(op, tier, x)
        if e > err:
            err, row = e, r
    return err, row


@pytest.mark.parametrize("op", ROW_OPS)
def test_within_bound(target, op, tier, dtype):
    err, row = worst(op, tier, dtype)
    b = quake.accuracy.bound(op, tier, dtype)
    assert err <= b.value, f"{tier}.{op} {dtype} on {target}: {err:.4g} > {b} for row {row!r}"


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("op", ROW_OPS)
def test_bound_is_tight_enough_to_mean_something(op, tier, dtype):
    err, _ = worst(op, tier, dtype)
    assert err > 0.25 * quake.accuracy.bound(op, tier, dtype).value


def test_rows_sum_to_one(target, tier, dtype):
    b = quake.accuracy.bound("softmax", tier, dtype).value
    f = getattr(quake, tier).softmax
    for x in samples(dtype):
        with np.errstate(under="ignore"):
            s = f(x).astype(np.float64).sum(axis=-1)
        assert np.all(np.abs(s - 1) <= b), (tier, dtype, np.abs(s - 1).max())


@pytest.mark.parametrize("op", ROW_OPS)
def test_huge_magnitudes_do_not_overflow(op, tier):
    """finite float32 inputs of +-1e30 (and up to the largest float) are
    fine: the max is subtracted first (and x - max never overflows)."""
    f = getattr(getattr(quake, tier), op)
    x = np.array([[1e30, -1e30, 1e30, 3.0], [-1e30, -1e30 + 7e22, -2e30, -3e30],
                  [3.4e38, -3.4e38, 0.0, 3.4e38]], np.float32)
    with np.errstate(all="raise"):
        y = f(x) if op != "log_softmax" else None
    if op == "softmax":
        assert np.array_equal(y[0], [0.5, 0, 0.5, 0]) or np.allclose(y[0], [0.5, 0, 0.5, 0], rtol=0.07)
        assert y[1][1] > 0.9 and y[1][0] < 1e-30 and np.all(np.isfinite(y))
        assert y[2][1] == 0 and y[2][2] == 0 and np.isclose(y[2][0], 0.5, rtol=0.07)
    elif op == "logsumexp":
        b = quake.accuracy.bound(op, tier, np.float32).value
        assert np.allclose(y, row_reference(op, x), rtol=b, atol=0)
    else:
        with np.errstate(over="ignore"):  # -3.4e38 - 3.4e38 is beyond float32
            y = f(x)
        assert np.isclose(y[0][0], -np.log(2), atol=0.031)
        assert y[0][1] == np.float32(-2e30)


def test_order1_folded_and_unfolded_paths_agree():
    """Order 1 folds the max into c0 for |max| <= 1024 and subtracts it first
    beyond; both sides of the switch give the same probabilities to within
    the fold's rounding (a small fraction of the tier's 6% bound)."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1000, 33)).astype(np.float32) * 5
    a = quake.q1.softmax(x + np.float32(1000))   # folded
    b = quake.q1.softmax(x + np.float32(2048))   # unfolded
    ref = row_reference("softmax", x)
    m = ref > 1e-30
    assert np.max(np.abs(a[m] / b[m] - 1)) < 2e-3
    assert np.max(np.abs(a[m] / ref[m] - 1)) < 0.062


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("op", ROW_OPS)
def test_long_rows_keep_the_bound(op, tier, dtype):
    """The sums are accurate however long the row (float64 lanes for float32
    rows, compensated pairs for float64): the bound holds at n = 300000, on
    the contiguous and on the segmented (strided) path alike."""
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((2, 300_000)) * 2).astype(dtype)
    b = quake.accuracy.bound(op, tier, dtype)
    f = getattr(getattr(quake, tier), op)
    for y in (f(x), f(np.asfortranarray(x))):
        err, _ = max_error(op, tier, x, y)
        assert err <= b.value, (err, b)
