"""Special values, ranges, symmetry, monotonicity and floating-point flags of
the activations, every tier/dtype/target."""
import numpy as np
import pytest

import quake
from _helpers import warnings_per_target

ACT_OPS = tuple(op for op in quake.OPS if op != "exp")  # the activations
ALL_HALVES = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)


def f(tier, op):
    return getattr(getattr(quake, tier), op)


def _bits(a):
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize])


# op: (f(+inf), f(-inf), f(0) approximately, sign of f(-0) must be -0?)
SPECIAL = {
    "sigmoid": (1.0, 0.0, 0.5),
    "silu": (np.inf, 0.0, 0.0),
    "tanh": (1.0, -1.0, 0.0),
    "gelu_tanh": (np.inf, 0.0, 0.0),
    "gelu": (np.inf, 0.0, 0.0),
}


@pytest.mark.parametrize("op", ACT_OPS)
def test_nan_inf_zero(target, tier, dtype, op):
    x = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0], dtype=dtype)
    with np.errstate(all="raise"):
        y = f(tier, op)(x)
    pinf, ninf, at0 = SPECIAL[op]
    assert np.isnan(y[0]) and np.isnan(y[1])
    assert y[2] == pinf and y[3] == ninf
    if op == "sigmoid":
        assert not np.signbit(y[3])  # +0, never -0
        tol = 0.0 if tier == "precise" else 0.012  # approximate: E(0) is off
        assert abs(float(y[4]) - 0.5) <= tol and abs(float(y[5]) - 0.5) <= tol
    else:  # odd at 0 / x * (something finite): signed zeros are kept
        assert y[4] == 0 and y[5] == 0
        assert not np.signbit(y[4]) and np.signbit(y[5])


@pytest.mark.parametrize("op", ACT_OPS)
def test_huge_inputs_saturate(target, tier, dtype, op):
    fi = np.finfo(dtype)
    x = np.array([fi.max, -fi.max, 1e4 if dtype != np.float16 else 6e4,
                  -1e4 if dtype != np.float16 else -6e4], dtype)
    with np.errstate(all="raise", under="ignore"):
        y = f(tier, op)(x)
    expect = {"sigmoid": [1, 0, 1, 0], "tanh": [1, -1, 1, -1]}.get(op, [x[0], 0, x[2], 0])
    assert np.array_equal(y, np.array(expect, dtype))


@pytest.mark.parametrize("op", ACT_OPS)
def test_ranges(target, tier, dtype, op):
    rng = np.random.default_rng(3)
    lim = {np.float16: 60000.0, np.float32: 1e30, np.float64: 1e300}[dtype.type]
    mags = 10.0 ** np.linspace(-30, np.log10(lim), 2_000)
    x = np.concatenate([rng.uniform(-20, 20, 20_000), rng.standard_normal(20_000) * 1e3,
                        mags, -mags]).astype(dtype)
    with np.errstate(all="ignore"):
        y = f(tier, op)(x)
    assert not np.any(np.isnan(y))
    if op == "sigmoid":
        assert np.all((y >= 0) & (y <= 1))
    elif op == "tanh":
        assert np.all((y >= -1) & (y <= 1))
        assert np.all(np.sign(y) == np.sign(x))
    else:  # x * (a weight in [0, 1])
        pos = x > 0
        assert np.all((y[pos] >= 0) & (y[pos] <= x[pos]))
        assert np.all((y[~pos] <= 0) & (y[~pos] >= -0.3))


def test_tanh_is_odd_bit_for_bit(target, tier, dtype):
    if dtype == np.float16:
        x = ALL_HALVES[np.isfinite(ALL_HALVES)]
    else:
        x = np.concatenate([np.random.default_rng(4).uniform(-30, 30, 100_000),
                            np.geomspace(1e-30, 1e3, 10_000)]).astype(dtype)
    y = f(tier, "tanh")(x)
    assert np.array_equal(_bits(f(tier, "tanh")(-x)), _bits(-y))


def _monotone_grid(dtype):
    if dtype == np.float16:
        x = ALL_HALVES[np.isfinite(ALL_HALVES)]
        return np.sort(x)
    big = {np.float32: 110.0, np.float64: 760.0}[dtype.type]
    runs = [c + np.arange(-64, 64, dtype=dtype) * np.spacing(dtype.type(c))
            for c in (0.5, 0.6, -0.5, -0.6, 87.0, -87.0, -87.33654, 9.0, 43.0, 0.0)]
    return np.sort(np.concatenate([np.linspace(-big, big, 400_001).astype(dtype),
                                   np.linspace(-2, 2, 200_001).astype(dtype), *runs]))


@pytest.mark.parametrize("op", ["sigmoid", "tanh"])
def test_monotonic(target, tier, dtype, op):
    """sigmoid and tanh never decrease, including where the approximate
    tanh switches from its polynomial to the exp form."""
    x = _monotone_grid(dtype)
    with np.errstate(all="ignore"):
        y = f(tier, op)(x)
    bad = np.flatnonzero(y[1:] < y[:-1])
    assert bad.size == 0, f"{tier}.{op} decreases at x={x[bad[:5]]}"


def _ordinary(dtype):
    """inputs whose results are normal numbers for every activation"""
    lo, hi = {np.float16: (-4.0, 8.0), np.float32: (-9.0, 80.0), np.float64: (-20.0, 700.0)}[dtype.type]
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(lo, hi, 5000), rng.uniform(-3, 3, 5000)]).astype(dtype)
    return x[np.abs(x) > 1e-3]  # x/2 near 0 would be a float16 denormal


@pytest.mark.parametrize("op", ACT_OPS)
def test_no_spurious_fp_flags(target, tier, dtype, op):
    """Ordinary inputs, NaN, +-inf and huge values raise nothing, even under
    all='raise' (no overflow ever: sigmoid's e is e^-|x|, E is clamped)."""
    x = np.concatenate([_ordinary(dtype), np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], dtype)])
    with np.errstate(all="raise"):
        f(tier, op)(x)
        f(tier, op)(x[::-3])  # strided path too
    fi = np.finfo(dtype)
    mags = (10.0 ** np.linspace(0, np.log10(float(fi.max)) - 0.01, 500)).astype(dtype)
    wide = np.concatenate([x, np.array([fi.max, -fi.max, fi.tiny, -fi.tiny], dtype), mags, -mags])
    with np.errstate(all="raise", under="ignore"):  # tails may underflow, genuinely
        f(tier, op)(wide)


@pytest.mark.parametrize("op", ["sigmoid", "silu", "gelu_tanh"])
def test_underflowing_tail(target, tier, op):
    """Results below the normal range: the precise tier returns the correct
    denormal, the approximate tiers flush to 0; both report underflow like
    np.exp.  Far enough out every tier gives exactly 0."""
    x = {"sigmoid": np.float32(-95.0), "silu": np.float32(-100.0), "gelu_tanh": np.float32(-10.5)}[op]
    with np.errstate(under="ignore"):
        y = f(tier, op)(np.array([x, -1e4], np.float32))
    fi = np.finfo(np.float32)
    if tier == "precise":
        assert 0 < abs(float(y[0])) < fi.tiny
    else:
        assert y[0] == 0
    assert y[1] == 0
    with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
        f(tier, op)(np.array([x], np.float32))


def test_precise_sigmoid_matches_scipy_expit_closely(target):
    from scipy.special import expit

    x = np.random.default_rng(6).uniform(-90, 90, 200_000).astype(np.float32)
    with np.errstate(under="ignore"):
        y = quake.precise.sigmoid(x)
    ref = expit(x.astype(np.float64))
    assert np.all(np.abs(y - ref) <= 2 * np.spacing(ref.astype(np.float32)))


@pytest.mark.parametrize("op", ACT_OPS)
def test_float16_is_rounded_float32(target, tier, op):
    """float16 computes in float32 and rounds once (no edge rules needed:
    results are bounded by |x| or 1)."""
    x = ALL_HALVES[np.isfinite(ALL_HALVES)]
    with np.errstate(all="ignore"):
        y16 = f(tier, op)(x)
        y32 = f(tier, op)(x.astype(np.float32)).astype(np.float16)
    assert np.array_equal(_bits(y16), _bits(y32))


@pytest.mark.parametrize("op", ACT_OPS)
def test_all_targets_same_warnings(tier, op):
    x = np.array([-1e3, -95.0, -10.5, 1.0], np.float32)

    def call():
        with np.errstate(all="warn"):
            f(tier, op)(x)

    # only this ufunc's warnings: the warnings module is process-wide, and a
    # thread left over from another test may warn meanwhile
    seen = warnings_per_target(call, lambda message: f"{tier}.{op}" in message)
    assert all(s == seen[0] for s in seen), seen


def test_gelu_forms_agree_roughly():
    """gelu_tanh approximates the exact gelu to ~5e-4 (a sanity check of
    the two definitions, not of quake's error)."""
    x = np.linspace(-8, 8, 10_001)
    assert np.abs(quake.gelu(x) - quake.gelu_tanh(x)).max() < 1e-3


def test_default_tier_is_precise():
    for op in ACT_OPS:
        assert getattr(quake, op) is getattr(quake.precise, op)
        assert getattr(quake.q1, op).__name__ == f"q1.{op}"


@pytest.mark.parametrize("dtype", [np.dtype("float32"), np.dtype("float64")])
@pytest.mark.parametrize("op", ["sigmoid", "silu", "gelu_tanh", "gelu"])
def test_precise_no_underflow_while_the_result_is_normal(target, dtype, op):
    """Just above the underflow threshold the precise tier's internals (e^-|x|
    for 1 + e, Phi for the positive branch, residuals of the compensated
    division) stay normal: no underflow unless the result itself is tiny."""
    lo, hi = {("float32", "sigmoid"): (-87.33, -60.0), ("float32", "silu"): (-91.8, -60.0),
              ("float32", "gelu_tanh"): (-10.2, -8.0), ("float32", "gelu"): (-13.14, -10.0),
              ("float64", "sigmoid"): (-708.39, -600.0), ("float64", "silu"): (-714.0, -600.0),
              ("float64", "gelu_tanh"): (-21.3, -19.0), ("float64", "gelu"): (-37.6, -35.0)}[dtype.name, op]
    from quake.testing import reference

    x = np.linspace(lo, hi, 4001).astype(dtype)
    x = x[np.abs(reference(op, x)) >= np.finfo(dtype).tiny]
    with np.errstate(all="raise"):
        getattr(quake.precise, op)(x)
        for v in x[::97]:  # single elements: the tail path of every target
            getattr(quake.precise, op)(np.array([v], dtype))
