"""float16 <-> float32 conversions: every target bit-exact with NumPy's."""
import numpy as np
import pytest

import quake

ALL_HALVES = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)


@pytest.mark.parametrize("tier", quake.TIERS)
def test_float16_equals_rounded_float32(target, tier):
    """A float16 result is the float32 result rounded to half (RNE), apart
    from the approximate tiers' documented edge clamps."""
    f = quake.q1.exp if tier == "q1" else quake.q2.exp if tier == "q2" else quake.precise.exp
    x = ALL_HALVES[np.isfinite(ALL_HALVES)]
    with np.errstate(all="ignore"):
        y16 = f(x)
        y32 = f(x.astype(np.float32))
    inside = np.ones(x.size, bool)
    if tier != "precise":  # edge clamps: normal half range kept, inf/0 outside
        inside = (x >= -9.703125) & (x <= 11.0859375)
        y32 = np.clip(y32, 2.0 ** -14, 65504.0)
    with np.errstate(over="ignore"):
        y32 = y32.astype(np.float16)
    assert np.array_equal(y16[inside].view(np.uint16), y32[inside].view(np.uint16))


def test_nan_payloads_survive_as_nan(target):
    nans = ALL_HALVES[np.isnan(ALL_HALVES)]
    quiet = (nans.view(np.uint16) & 0x200) != 0
    for tier in quake.TIERS:
        with np.errstate(invalid="raise"):
            y = getattr(quake, tier).exp(nans[quiet])  # quiet NaNs: no flag
        assert np.all(np.isnan(y))
        # signalling NaNs raise "invalid", as np.exp does, on every target
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid"):
            getattr(quake, tier).exp(nans[~quiet])
        with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid"):
            getattr(quake, tier).exp(nans[~quiet][:3])  # the scalar tail path too
        with np.errstate(invalid="ignore"):
            assert np.all(np.isnan(getattr(quake, tier).exp(nans[~quiet])))


@pytest.mark.parametrize("op", quake.ROW_OPS)
@pytest.mark.parametrize("n", [1, 7, 8, 64, 1024, 1025, 3000])
def test_half_rows_grouped_equal_row_by_row(target, tier, op, n):
    """Short float16 rows are computed a group at a time (rowloops.c); every
    layout must give the bits of computing each row alone."""
    f = getattr(getattr(quake, tier), op)
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((37, n)) * 6).astype(np.float16)
    x[3, :] = -np.inf
    x[5, 0] = np.nan
    x[7, n // 2] = np.inf
    with np.errstate(all="ignore"):
        one_by_one = np.stack([f(row[None, :])[0] for row in x])
        np.testing.assert_array_equal(f(x), one_by_one)
        # strided rows and elements, and a transposed (axis=0) layout
        xs = np.zeros((37, 2 * n), np.float16)
        xs[:, ::2] = x
        np.testing.assert_array_equal(f(xs[:, ::2]), one_by_one)
        np.testing.assert_array_equal(f(np.ascontiguousarray(x.T), axis=0), one_by_one.T
                                      if op != "logsumexp" else one_by_one)
        out = np.empty((37, n) if op != "logsumexp" else (37,), np.float16)
        f(x, out=out)
        np.testing.assert_array_equal(out, one_by_one)
