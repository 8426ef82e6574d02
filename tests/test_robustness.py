"""Bad input gives clear Python errors; the caller's floating-point state is
never changed; 64-bit lengths work."""
import ctypes
import ctypes.util

import numpy as np
import pytest

import quake
from quake._registry import UFUNCS

UNARY = [u for u in UFUNCS.values() if not u.signature]
IDS = [u.__name__ for u in UNARY]


@pytest.fixture(params=UNARY, ids=IDS)
def uf(request):
    return request.param


@pytest.mark.parametrize("bad,exc", [
    (np.array([1 + 2j]), TypeError),
    (np.array([1.0], dtype=object), TypeError),
    (np.array(["1.0"]), TypeError),
    (np.array([b"1"]), TypeError),
    (np.zeros(2, dtype=[("a", "f4")]), TypeError),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), TypeError),
])
def test_unsupported_input_types(uf, bad, exc):
    with pytest.raises(exc):
        uf(bad)


def test_bad_out_arguments(uf):
    x = np.ones(4, np.float32)
    with pytest.raises(ValueError):
        uf(x, out=np.empty(3, np.float32))  # wrong shape
    ro = np.empty(4, np.float32)
    ro.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        uf(x, out=ro)
    with pytest.raises(TypeError):
        uf(x, out=np.empty(4, np.int32))  # cannot cast float -> int
    with pytest.raises(TypeError):
        uf(x, out=[0.0] * 4)  # not an array
    with pytest.raises(TypeError):
        uf(x, x, x)  # too many arguments
    with pytest.raises(TypeError):
        uf()


def _libm():
    return ctypes.CDLL(ctypes.util.find_library("m"))


def test_rounding_mode_and_ftz_untouched(uf):
    libm = _libm()
    before = libm.fegetround()
    x = np.linspace(-120, 100, 100_003).astype(np.float32)
    with np.errstate(all="ignore"):
        for dt in (np.float16, np.float32, np.float64):
            uf(x.astype(dt))
    assert libm.fegetround() == before
    # flush-to-zero / denormals-are-zero are still off: denormal arithmetic survives
    tiny = np.array([1e-40], np.float32)
    assert (tiny * np.float32(0.5))[0] != 0
    assert (np.array([5e-324]) * 1.0)[0] != 0


def test_under_non_default_rounding_all_targets_agree(uf):
    """Not a supported mode, but quake must not crash or diverge by target."""
    libm = _libm()
    FE_UPWARD = 0x800  # x86-64 glibc value
    if quake.cpu_features().get("neon"):
        FE_UPWARD = 0x400000
    old = libm.fegetround()
    x = np.linspace(-100, 100, 10_001).astype(np.float32)
    outs = []
    try:
        assert libm.fesetround(FE_UPWARD) == 0
        for t in [t["name"] for t in quake.targets() if t["supported"]]:
            with quake.use_target(t), np.errstate(all="ignore"):
                outs.append(uf(x))
    finally:
        libm.fesetround(old)
    assert all(np.array_equal(o, outs[0]) for o in outs)
    assert libm.fegetround() == old


@pytest.mark.slow
def test_more_than_2_to_the_31_elements():
    """64-bit lengths: a float16 array of 2**31 + 17 elements (4 GiB + out)."""
    n = 2**31 + 17
    x = np.zeros(n, np.float16)
    x[-5:] = 1.0
    y = quake.q1.exp(x, out=x)
    assert y[0] == np.float16(quake.q1.exp(np.float16(0)))
    assert y[-1] == np.float16(quake.q1.exp(np.float16(1)))


@pytest.mark.parametrize("key", sorted(__import__("quake._registry", fromlist=["ROW_UFUNCS"]).ROW_UFUNCS, key=str))
def test_gufunc_bad_input(key):
    from quake._registry import ROW_UFUNCS

    f = ROW_UFUNCS[key]
    with pytest.raises(ValueError, match="does not have enough dimensions"):
        f(np.array(1.0))  # 0-d input: no core axis
    with pytest.raises(ValueError, match="does not have enough dimensions"):
        f(np.float32(1.0))
    with pytest.raises(np.exceptions.AxisError):
        f(np.ones((2, 3)), axis=5)
    with pytest.raises(ValueError):
        f(np.ones((2, 3)), out=np.empty((5, 7)))
    with pytest.raises(TypeError):
        f(np.ones((2, 3), dtype=complex))
