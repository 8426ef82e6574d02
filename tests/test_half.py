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
