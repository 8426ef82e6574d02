"""bfloat16 (ml_dtypes.bfloat16): native loops for every op and tier.

A bfloat16 result is the float32 kernel's result on the (exactly) widened
input, rounded once to nearest even by quake's one rounding rule
(include/quake/kernels/bf16.h): every target, with and without the
AVX512_BF16 narrowing, returns exactly those bits for every one of the
65,536 inputs; the bounds of quake.accuracy.BOUNDS hold over all of them.
"""
import subprocess
import sys

import numpy as np
import pytest

import quake
from quake import _ufuncs, testing
from quake.accuracy import bound

ml_dtypes = pytest.importorskip("ml_dtypes")
BF16 = np.dtype(ml_dtypes.bfloat16)
ALL = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(BF16)
FINITE = ALL[np.isfinite(ALL)]


def rne(y32: np.ndarray) -> np.ndarray:
    """The rounding rule, restated in NumPy: round to nearest even on the
    bits; NaN keeps sign and top payload bits and is quieted (| 0x0040)."""
    b = np.ascontiguousarray(y32, np.float32).view(np.uint32).astype(np.uint64)
    nan = (b & 0x7FFFFFFF) > 0x7F800000
    r = np.where(nan, (b | 0x400000) >> 16, (b + 0x7FFF + ((b >> 16) & 1)) >> 16)
    return (r & 0xFFFF).astype(np.uint16)


@pytest.fixture(params=["hw", "int"])
def narrowing(request, target):
    """The AVX512_BF16 narrowing (where this CPU and target have it) and the
    integer one."""
    _ufuncs.set_bf16_hw(request.param == "hw")
    try:
        yield request.param
    finally:
        _ufuncs.set_bf16_hw(True)


def test_registered():
    assert quake._registry.BFLOAT16 == BF16
    for op in quake.OPS + quake.ROW_OPS:
        for tier in quake.TIERS:
            f = getattr(getattr(quake, tier), op)
            assert f(ALL[:64] if op in quake.OPS else ALL[None, 16000:16064]).dtype == BF16
    assert quake.q2.exp(np.ones(3, np.float32)).dtype == np.float32  # unchanged


def test_without_ml_dtypes_nothing_changes():
    code = ("import sys; sys.modules['ml_dtypes'] = None\n"
            "import numpy as np, quake\n"
            "assert quake._registry.BFLOAT16 is None\n"
            "assert quake.q2.exp(np.float16(1)).dtype == np.float16\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("op", quake.OPS)
def test_elementwise_bits_are_float32_rounded_once(narrowing, op):
    x32 = ALL.astype(np.float32)
    for tier in quake.TIERS:
        f = getattr(getattr(quake, tier), op)
        with np.errstate(all="ignore"):
            ref = rne(f(x32))
            np.testing.assert_array_equal(f(ALL).view(np.uint16), ref, err_msg=f"{tier}.{op}")
            # tails and the strided, reversed and in-place paths
            for sl in (slice(3, 1003, 3), slice(None, None, -1), slice(5, 42)):
                np.testing.assert_array_equal(f(ALL[sl]).view(np.uint16), ref[sl])
            y = ALL.copy()
            f(y, out=y)
            np.testing.assert_array_equal(y.view(np.uint16), ref)


def test_rounding_matches_ml_dtypes_except_nan_payloads():
    """Round to nearest even, denormals included, as ml_dtypes' astype; NaN
    stays NaN with its sign (ml_dtypes drops the payload)."""
    with np.errstate(all="ignore"):
        y32 = quake.precise.exp(ALL.astype(np.float32))
        y = quake.precise.exp(ALL)
    ok = ~np.isnan(y32)
    np.testing.assert_array_equal(y[ok].view(np.uint16), y32[ok].astype(BF16).view(np.uint16))
    assert np.isnan(y[~ok].astype(np.float32)).all()
    nan_in = ALL[np.isnan(ALL)]
    with np.errstate(invalid="ignore"):
        out = quake.q2.sigmoid(nan_in).view(np.uint16)
    assert ((out & 0x0040) != 0).all()  # quiet
    assert np.array_equal(out & 0x8000, nan_in.view(np.uint16) & 0x8000)  # sign kept


@pytest.mark.parametrize("op", quake.OPS)
def test_elementwise_bounds_every_input(op):
    ref = testing.reference(op, FINITE)
    for tier in quake.TIERS:
        b = bound(op, tier, BF16)
        err, worst = testing.max_error(op, tier, FINITE, ref=ref)
        assert err <= b.value, f"{tier}.{op} bfloat16: {err:.4g} > {b} at x={worst}"


@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_row_ops_bits_and_bounds(target, op):
    for tier in quake.TIERS:
        f = getattr(getattr(quake, tier), op)
        b = bound(op, tier, BF16)
        for x in testing.row_samples(BF16):
            with np.errstate(all="ignore"):
                y = f(x)
                ref32 = f(x.astype(np.float32))
            np.testing.assert_array_equal(y.view(np.uint16), rne(ref32), err_msg=f"{tier}.{op}")
            finite = np.isfinite(x.astype(np.float32)).any(-1)
            if finite.any():
                err, _ = testing.max_error(op, tier, x[finite], y=y[finite])
                assert err <= b.value, f"{tier}.{op} bfloat16 rows: {err:.4g} > {b}"
        # strided core axis, and rows in place
        x = testing.row_samples(BF16)[5]
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(f(np.ascontiguousarray(x.T), axis=0), f(x)
                                          if op == "logsumexp" else f(x).T)


def test_special_values(narrowing):
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-40, -1e-40], np.float32).astype(BF16)
    with np.errstate(invalid="raise"):  # quiet NaN: no flag
        for tier in quake.TIERS:
            ns = getattr(quake, tier)
            e = ns.exp(x).astype(np.float64)
            assert abs(e[0] - 1) <= bound("exp", tier, BF16).value and e[1] == e[0]
            assert e[2] == np.inf and e[3] == 0 and np.isnan(e[4])
            s = ns.sigmoid(x).astype(np.float64)
            assert s[2] == 1 and s[3] == 0 and np.isnan(s[4])
            t = ns.tanh(x).astype(np.float64)
            assert t[2] == 1 and t[3] == -1 and np.signbit(t[1]) and np.isnan(t[4])


def test_fp_status(narrowing):
    for tier in quake.TIERS:
        ns = getattr(quake, tier)
        with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
            ns.exp(np.array([1.0, 100.0] * 20, np.float32).astype(BF16))
        with np.errstate(all="raise"):  # nothing in range raises anything
            ns.exp(np.linspace(-80, 80, 1001).astype(BF16))
            ns.gelu(np.linspace(-10, 30, 1001).astype(BF16))
        # signalling NaNs raise invalid, as for float32 and float16
        snan = np.array([0x7F81, 0xFF81] * 9, np.uint16).view(BF16)
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid"):
            ns.exp(snan)
    # underflow by the rule: the exact result is nonzero and below 2^-126
    with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
        quake.precise.exp(np.full(40, -100.0, np.float32).astype(BF16))
    # a finite float32 result beyond bfloat16's range rounds to inf: overflow
    x = np.array([[-1.7e38, 1.7e38]], np.float32).astype(BF16)
    with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
        quake.precise.log_softmax(x)


def test_hw_narrowing_selected_by_cpuid():
    has = quake.cpu_features().get("avx512bf16", False)
    with quake.use_target("scalar"):
        assert not _ufuncs.bf16_hw_active()
    if "avx512" in [t["name"] for t in quake.targets() if t["supported"]]:
        with quake.use_target("avx512"):
            assert _ufuncs.bf16_hw_active() == has
            _ufuncs.set_bf16_hw(False)
            try:
                assert not _ufuncs.bf16_hw_active()
            finally:
                _ufuncs.set_bf16_hw(True)
