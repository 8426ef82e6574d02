"""Special values and floating-point exceptions of exp, every tier/dtype/target."""
import numpy as np
import pytest

import quake
from _helpers import warnings_per_target

def thresholds(dtype):
    dtype = np.dtype(dtype)
    return {
        # largest x with finite exp, smallest x with normal exp, largest x with exp -> 0
        np.float16: (np.float16(11.0859375), np.float16(-9.703125), np.float16(-17.34375)),
        np.float32: (np.float32(float.fromhex("0x1.62e42ep+6")),
                     np.float32(float.fromhex("-0x1.5d589ep+6")),
                     np.float32(float.fromhex("-0x1.9fe36ap+6"))),
        np.float64: (np.float64(float.fromhex("0x1.62e42fefa39efp+9")),
                     np.float64(float.fromhex("-0x1.6232bdd7abcd2p+9")),
                     np.float64(float.fromhex("-0x1.74910d52d3052p+9"))),
    }[dtype.type]


def f(tier):
    return getattr(quake, tier).exp


def test_nan_inf_zero(target, tier, dtype):
    x = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0], dtype=dtype)
    with np.errstate(all="raise"):
        y = f(tier)(x)
    assert np.isnan(y[0]) and np.isnan(y[1])
    assert y[2] == np.inf
    assert y[3] == 0 and not np.signbit(y[3])
    q1_tol = {"q1": 0.03, "q2": 0.0035, "precise": 0}[tier]
    assert abs(float(y[4]) - 1) <= q1_tol and abs(float(y[5]) - 1) <= q1_tol


def test_overflow_edge(target, tier, dtype):
    xmax, _, _ = thresholds(dtype)
    above = np.nextafter(xmax, dtype.type(np.inf))
    with np.errstate(over="raise"):
        y = f(tier)(np.array([xmax], dtype))
    assert np.isfinite(y[0])
    with np.errstate(over="ignore"):
        y = f(tier)(np.array([above, 1e4 if dtype != np.float16 else 60000], dtype))
    assert np.all(y == np.inf)


def test_overflow_warning_like_numpy(target, tier, dtype):
    xmax, _, _ = thresholds(dtype)
    above = np.array([np.nextafter(xmax, dtype.type(np.inf))], dtype)
    with pytest.warns(RuntimeWarning, match=f"overflow encountered in {tier}.exp"):
        f(tier)(above)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        f(tier)(above)
    # NumPy agrees that this input overflows
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.exp(above)


def test_no_spurious_fp_flags(target, tier, dtype):
    """Ordinary inputs, NaN and +-inf raise nothing, even under all='raise'."""
    xmax, xnorm, _ = thresholds(dtype)
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.uniform(float(xnorm), float(xmax), 5000).astype(dtype),
                        np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, xmax, xnorm], dtype)])
    with np.errstate(all="raise"):
        f(tier)(x)
        f(tier)(x[::-3])  # strided path too


def test_underflow_edge(target, tier, dtype):
    xmax, xnorm, xzero = thresholds(dtype)
    fi = np.finfo(dtype)
    with np.errstate(all="raise"):
        y = f(tier)(np.array([xnorm], dtype))
    assert y[0] >= fi.tiny  # exact result is normal: so is ours
    below = np.array([np.nextafter(xnorm, dtype.type(-np.inf)), xzero, xzero - 1, -1e4 if dtype != np.float16 else -60000], dtype)
    with np.errstate(under="ignore"):
        y = f(tier)(below)
    assert np.all(y >= 0) and not np.any(np.signbit(y))
    assert np.all(y[1:] == 0)
    if tier == "precise":
        # just below the normal range: the correctly rounded denormal
        assert 0 < y[0] < fi.tiny
    else:
        assert y[0] == 0  # approximate tiers flush to +0
    with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
        f(tier)(below[:1])


def test_precise_denormal_outputs_correctly_rounded(target, dtype):
    if dtype == np.float64:
        x = np.linspace(-745.1, -708.4, 20001)
        ref = np.exp(x.astype(np.longdouble))
    else:
        lo, hi = {np.float16: (-17.3, -9.71), np.float32: (-103.97, -87.34)}[dtype.type]
        x = np.linspace(lo, hi, 20001).astype(dtype)
        ref = np.exp(x.astype(np.float64))
    with np.errstate(under="ignore"):
        y = quake.precise.exp(x)
    unit = np.finfo(dtype).smallest_subnormal
    err = np.abs(y.astype(ref.dtype) - ref) / ref.dtype.type(unit)
    # not flushed, and within one unit of the denormal grid (the exact value
    # rounded, plus the float32 rounding of e^r carried into the top binade)
    assert np.all(y > 0)
    assert err.max() <= 1.0


def test_monotonic(target, tier, dtype):
    xmax, xnorm, xzero = thresholds(dtype)
    if dtype == np.float16:
        x = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
        x = np.sort(x[np.isfinite(x)])
    else:
        # a dense grid, plus 64 consecutive floats around every threshold and
        # an octave boundary (where QuAKE's pieces join)
        runs = [c + np.arange(-32, 32, dtype=dtype) * np.spacing(c)
                for c in (xmax, xnorm, xzero, dtype.type(np.log(2.0) * 10))]
        x = np.sort(np.concatenate([
            np.linspace(float(xzero) - 2, float(xmax) + 1, 400_001).astype(dtype), *runs]))
    with np.errstate(all="ignore"):
        y = f(tier)(x)
    assert np.all(y[1:] >= y[:-1])
    assert not np.any(np.isnan(y)) and np.all(y >= 0)


def test_negative_zero_and_tiny_inputs(target, tier, dtype):
    fi = np.finfo(dtype)
    x = np.array([fi.smallest_subnormal, -fi.smallest_subnormal, fi.tiny, -fi.tiny], dtype)
    y = f(tier)(x)
    tol = {"q1": 0.03, "q2": 0.0035, "precise": 0.0}[tier]
    assert np.all(np.abs(y.astype(np.float64) - 1) <= tol)
    if tier == "precise":
        assert np.all(y == 1)


def test_all_targets_same_warnings(tier, dtype):
    """FP status reported identically by every target."""
    xmax, xnorm, _ = thresholds(dtype)
    x = np.array([np.nextafter(xmax, dtype.type(np.inf)), 1.0], dtype)
    seen = warnings_per_target(lambda: f(tier)(x))
    assert all(s == seen[0] for s in seen) and seen[0]


def test_huge_negative_inputs_raise_only_underflow(target, tier, dtype):
    """x + x (the NaN-quieting step) must not overflow for huge finite x."""
    fi = np.finfo(dtype)
    x = np.array([-fi.max, -fi.max / 3, fi.min / 2, -1e4 if dtype != np.float16 else -6e4], dtype)
    with np.errstate(under="ignore", over="raise", invalid="raise"):
        y = f(tier)(x)
    assert np.all(y == 0)
