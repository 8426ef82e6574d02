"""Accuracy of every exp tier, dtype and target against a higher-precision
reference, on dense samples of the whole domain, and NumPy's own validation
data for the precise tier."""
import os

import numpy as np
import pytest

import quake
from quake.testing import dense_floats, max_error, reference

# Whole interesting domain: beyond both the zero and the overflow thresholds.
DOMAIN = {
    "float16": (-18.0, 12.0),
    "float32": (-106.0, 90.0),
    "float64": (-750.0, 712.0),
}


def sample(dtype):
    dtype = np.dtype(dtype)
    if dtype == np.float16:
        x = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
        return x[np.isfinite(x)]
    count = {np.float32: 1_000_000, np.float64: 400_000}[dtype.type]
    return dense_floats(dtype, *DOMAIN[dtype.name], count=count, n_random=count // 2)


def test_dense_sample_within_bound(target, tier, dtype):
    x = sample(dtype)
    err, worst = max_error("exp", tier, x)
    b = quake.accuracy.bound("exp", tier, dtype)
    assert err <= b.value, f"{tier}.exp {dtype}: max error {err:.4g} ({b.metric}) at x={worst!r}, bound {b}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bound_is_tight_enough_to_mean_something(tier, dtype):
    """The measured error is a real fraction of the stated bound (a bound far
    above reality would hide regressions)."""
    x = sample(dtype)
    err, _ = max_error("exp", tier, x)
    b = quake.accuracy.bound("exp", tier, dtype)
    assert err > 0.25 * b.value


def test_order1_is_minimax_centred():
    """QuAKE's shift centres the error: both signs reach about 2.98%."""
    x = dense_floats(np.float32, -80, 80, 400_000)
    y = quake.q1.exp(x).astype(np.float64)
    r = y / np.exp(x.astype(np.float64)) - 1
    assert 0.0290 < r.max() <= 0.0300 and -0.0300 <= r.min() < -0.0290


def test_order2_error_range():
    """QuAKE2's quadratic: relative error in [-0.187%, +0.342%]."""
    x = dense_floats(np.float32, -80, 80, 400_000)
    y = quake.q2.exp(x).astype(np.float64)
    r = y / np.exp(x.astype(np.float64)) - 1
    assert 0.0033 < r.max() <= 0.00342 and -0.00188 <= r.min() < -0.0018


def test_order2_exact_at_integer_powers_of_two():
    k = np.arange(-120, 120)
    x = (k * np.log(2.0)).astype(np.float32)
    t = (x.astype(np.float32) * np.float32(1.4426950408889634)).astype(np.float32)
    exact = t == np.round(t)  # x*log2(e) landed on an integer in float32
    y = quake.q2.exp(x[exact])
    assert np.array_equal(y, np.ldexp(np.float32(1), np.round(t[exact]).astype(int)).astype(np.float32))


def _numpy_validation_rows():
    path = os.path.join(os.path.dirname(np.__file__), "_core", "tests", "data",
                        "umath-validation-set-exp.csv")
    rows = {"float32": ([], []), "float64": ([], [])}
    with open(path) as fh:
        for line in fh:
            if line.startswith(("#", "dtype")) or not line.strip():
                continue
            dt, xin, yout, _tol = line.strip().split(",")
            name = dt.replace("np.", "")
            it = np.uint32 if name == "float32" else np.uint64
            rows[name][0].append(int(xin, 16))
            rows[name][1].append(int(yout, 16))
    return {k: (np.array(a, dtype=np.uint32 if k == "float32" else np.uint64).view(k),
                np.array(b, dtype=np.uint32 if k == "float32" else np.uint64).view(k))
            for k, (a, b) in rows.items()}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_numpy_validation_set(target, dtype):
    """NumPy's own exp validation data (shipped in the wheel), 2-ULP bound."""
    x, expected = _numpy_validation_rows()[dtype]
    assert x.size > 30
    with np.errstate(all="ignore"):
        y = quake.precise.exp(x)
    ref = reference("exp", x)
    finite = np.isfinite(expected)
    assert np.array_equal(np.isposinf(y), np.isposinf(expected))
    assert np.array_equal(np.isnan(y), np.isnan(expected))
    from quake.testing import ulp_error

    err = ulp_error(y[finite], ref[finite])
    assert err.max() <= quake.accuracy.bound("exp", "precise", dtype).value
    # and against NumPy's stored (correctly rounded) answers directly
    diff = np.abs(y[finite].astype(np.float64) - expected[finite].astype(np.float64))
    tiny = np.finfo(dtype).tiny
    ulp = np.spacing(np.maximum(np.abs(expected[finite]), tiny)).astype(np.float64)
    assert np.all(diff <= 2 * ulp)


@pytest.mark.slow
@pytest.mark.parametrize("tier", quake.TIERS)
def test_exhaustive_float32(tier):
    """Every float32 in [-106, 90] (about 2.3e9 inputs; minutes)."""
    b = quake.accuracy.bound("exp", tier, "float32")
    worst = 0.0
    for lo, hi in ((0, int(np.float32(90.0).view(np.uint32))),
                   (0x80000000, int(np.float32(-106.0).view(np.uint32)))):
        for s in range(lo, hi + 1, 1 << 24):
            x = np.arange(s, min(s + (1 << 24), hi + 1), dtype=np.uint32).view(np.float32)
            err, at = max_error("exp", tier, x)
            worst = max(worst, err)
            assert err <= b.value, (tier, err, at)
    print(f"{tier}: exhaustive max error {worst}")
