"""Rows along any axis: the panel path of rowloops.c (rows side by side,
transposed through a scratch block into the contiguous rows kernel) must give
the bits of contiguous last-axis rows for every row length, dtype, tier and
op; every axis of 3-d and 4-d inputs; strided, transposed, out= and in place.
Small arrays only (CI time)."""
import numpy as np
import pytest

import quake

DTYPES = ["float16", "float32", "float64"]
try:  # bfloat16 rows take the same panels (widened, narrowed like float16)
    import ml_dtypes

    DTYPES.append(ml_dtypes.bfloat16)
except ImportError:
    pass
SUPPORTED = [t["name"] for t in quake.targets() if t["supported"]]


def _scalar_out(gu):
    return gu.signature == "(n)->()"


def _bits(a):
    a = np.ascontiguousarray(a)
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize])


def _same(a, b):
    return a.shape == b.shape and np.array_equal(_bits(a), _bits(b))


def _ref(gu, x, axis):
    """gu along `axis`, computed on contiguous last-axis rows."""
    r = gu(np.ascontiguousarray(np.moveaxis(x, axis, -1)))
    return r if _scalar_out(gu) else np.moveaxis(r, -1, axis)


def _sample(rng, shape, dtype, specials=True):
    x = rng.standard_normal(shape) * 6
    if specials and x.size > 8:
        flat = x.reshape(-1)
        flat[rng.integers(0, x.size, 3)] = -np.inf
        flat[rng.integers(0, x.size, 1)] = np.inf
        flat[rng.integers(0, x.size, 1)] = np.nan
    return x.astype(dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_axis0_every_length_1_to_70(gu, dtype):
    """Columns of a C-ordered (n, 37) array: 37 rows side by side (panel
    remainders of 4x4 tiles), every row length 1..70."""
    rng = np.random.default_rng(70)
    with np.errstate(all="ignore"):
        for n in range(1, 71):
            x = _sample(rng, (n, 37), dtype, specials=n % 3 == 0)
            assert _same(gu(x, axis=0), _ref(gu, x, 0)), f"{gu.__name__} {dtype} n={n}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_axis0_panels_and_long_rows(gu, dtype):
    """More rows than one panel holds (remainder panel), and rows long enough
    that a panel narrows (or the row-by-row path takes over)."""
    rng = np.random.default_rng(5)
    with np.errstate(all="ignore"):
        for shape in [(33, 150), (129, 67), (3000, 9), (20000, 6), (40000, 3), (64, 16)]:
            x = _sample(rng, shape, dtype)
            assert _same(gu(x, axis=0), _ref(gu, x, 0)), f"{gu.__name__} {dtype} {shape}"
        # blocks of rows side by side with and without special rows, rows whose
        # maxima differ in magnitude (q1's fold decision), large and tiny values
        x = _sample(rng, (100, 160), "float64", specials=False)
        x[:, 16:32] += 5000.0
        x[:, 40:44] *= 1e-30
        x[:, 50:52] = 65000.0 if dtype == "float16" else 3e38
        x[7, 100] = np.nan
        x = x.astype(dtype)
        assert _same(gu(x, axis=0), _ref(gu, x, 0)), f"{gu.__name__} {dtype} mixed"
        xf = np.asfortranarray(x.T)  # the same rows, Fortran-ordered, axis=-1
        assert _same(gu(xf, axis=-1), _ref(gu, xf, -1))


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_axis_3d_4d(gu, dtype):
    rng = np.random.default_rng(34)
    with np.errstate(all="ignore"):
        for shape in [(5, 6, 7), (2, 3, 17, 5), (3, 8, 4, 4)]:
            x = _sample(rng, shape, dtype)
            for axis in range(x.ndim):
                assert _same(gu(x, axis=axis), _ref(gu, x, axis)), (
                    f"{gu.__name__} {dtype} {shape} axis={axis}")
                xt = x.T  # transposed (Fortran-ordered) view
                assert _same(gu(xt, axis=axis), _ref(gu, xt, axis))
                xs = x[..., ::-2] if axis != x.ndim - 1 else x[::2]
                assert _same(gu(xs, axis=axis), _ref(gu, xs, axis))


@pytest.mark.parametrize("dtype", DTYPES)
def test_out_and_in_place_any_axis(gu, dtype):
    rng = np.random.default_rng(12)
    x = _sample(rng, (19, 4, 23), dtype)
    with np.errstate(all="ignore"):
        for axis in range(3):
            ref = _ref(gu, x, axis)
            out = np.zeros(ref.shape[:-1] + (2 * ref.shape[-1],) if ref.ndim else (), dtype)
            if ref.ndim:
                r = gu(x, axis=axis, out=out[..., ::2])
                assert _same(r, ref) and np.all(out[..., 1::2] == 0)
            if not _scalar_out(gu):
                # output in another layout than the input
                o = np.zeros(x.shape[::-1], dtype).T
                gu(x, axis=axis, out=o)
                assert _same(o, ref)
                # in place, rows side by side
                y = x.copy()
                r = gu(y, axis=axis, out=y)
                assert r is y and _same(y, ref)
                yf = np.asfortranarray(x)
                gu(yf, axis=axis, out=yf)
                assert _same(yf, ref)


@pytest.mark.parametrize("dtype", DTYPES)
def test_axis0_status_flags_match_last_axis(gu, dtype):
    """FP status: the panel path reports what contiguous rows report
    (float16 logsumexp overflows to inf; -inf/+inf rows are invalid)."""
    big = np.finfo(dtype).max
    x = np.array([[big, big, 1.0, -np.inf, np.inf], [big, big, 2.0, -np.inf, 1.0]], dtype)

    def raises(arr, axis, which):
        with np.errstate(all="ignore", **{which: "raise"}):
            try:
                gu(arr, axis=axis)
            except FloatingPointError:
                return True
        return False

    for which in ("over", "invalid"):
        assert raises(x, 0, which) == raises(np.ascontiguousarray(x.T), -1, which), (
            f"{gu.__name__} {dtype} {which}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_axis0_all_targets_bit_identical(gu, dtype):
    if len(SUPPORTED) < 2:
        pytest.skip("one target only")
    rng = np.random.default_rng(8)
    x = _sample(rng, (45, 70), dtype)
    with np.errstate(all="ignore"):
        ref = None
        for name in SUPPORTED:
            with quake.use_target(name):
                r = gu(x, axis=0)
            if ref is None:
                ref = r
            assert _same(r, ref), f"{gu.__name__} {dtype}: {name}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_rows_of_one_element_any_core_stride(gu, dtype):
    """Rows of n = 1: NumPy passes any core stride for a length-1 axis (the
    loop then treats the rows as contiguous, issue 14's n = 1 fast path);
    every layout gives the bits of contiguous (N, 1) rows, specials included."""
    rng = np.random.default_rng(11)
    base = _sample(rng, (53, 3), dtype)
    base[:6, 0] = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e30 if dtype != "float16" else 6e4]
    # the +-inf rows raise "invalid" as contiguous rows do: not what is tested
    with np.errstate(invalid="ignore"):
        _check_rows_of_one(gu, base)


def _check_rows_of_one(gu, base):
    dtype = base.dtype
    want = gu(np.ascontiguousarray(base[:, :1]))
    for x in (base[:, :1], base[:, 1:2], base[::2, :1], base[:, :1].T, base.T[:1]):
        axis = 0 if x.shape[0] == 1 and x.shape[1] > 1 else -1
        got = gu(x, axis=axis)
        ref = _ref(gu, x, axis)
        assert _same(got, ref), (x.shape, x.strides)
    got = gu(base[:, :1])
    assert _same(got, want)
    out = np.full((53, 1) if not _scalar_out(gu) else (53,), 7, dtype)
    gu(base[:, 1:2], out=out)
    assert _same(out, gu(np.ascontiguousarray(base[:, 1:2])))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vertical_lengths_and_columns_every_target(gu, dtype):
    """The vertical kernel (rows side by side, one per lane): every row length
    1..70 and longer ones around the canonical groups and scratch blocks,
    column counts off the vector width, vectors with and without special
    rows or mixed q1 folds, on every target, against contiguous rows."""
    rng = np.random.default_rng(97)
    lens = list(range(1, 71)) + [127, 128, 129, 255, 256, 257, 1000, 4099]
    with np.errstate(all="ignore"):
        for i, n in enumerate(lens):
            cols = (16, 33, 47, 69, 8, 130)[i % 6]
            x = _sample(rng, (n, cols), dtype, specials=False)
            if i % 4 == 1:
                x[:, 3] += 5000.0  # q1: one row of the first vector does not fold
            if i % 4 == 2:
                x[n // 2, 20 % cols] = np.nan
                x[:, 1] = -np.inf
            if i % 4 == 3:
                x[0, cols - 1] = np.inf
            ref = _ref(gu, x, 0)
            for name in SUPPORTED:
                with quake.use_target(name):
                    assert _same(gu(x, axis=0), ref), f"{gu.__name__} {dtype} n={n} {name}"


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vertical_nchw_out_overlap_threads(gu, dtype):
    """axis=1 of (N, C, H, W), out= (strided, in place, overlapping the
    input), negative strides, and a call split over the pool's threads."""
    rng = np.random.default_rng(41)
    with np.errstate(all="ignore"):
        x = _sample(rng, (3, 12, 9, 8), dtype, specials=False)
        ref = _ref(gu, x, 1)
        assert _same(gu(x, axis=1), ref)
        assert _same(gu(x[:, ::-1], axis=1), _ref(gu, x[:, ::-1], 1))
        if not _scalar_out(gu):
            y = x.copy()
            gu(y, axis=1, out=y)
            assert _same(y, ref)
            buf = _sample(rng, (41, 70), dtype, specials=False)
            want = _ref(gu, buf[:-1].copy(), 0)
            gu(buf[:-1], axis=0, out=buf[1:])  # overlapping: NumPy copies first
            assert _same(buf[1:], want)
        big = _sample(rng, (300, 1100), dtype, specials=False)
        big[:, 7] = np.nan
        ref = _ref(gu, big, 0)
        before = quake.get_num_threads()
        try:
            for nt in (1, 2, 3):
                quake.set_num_threads(nt)
                assert _same(gu(big, axis=0), ref), f"{gu.__name__} {dtype} threads={nt}"
        finally:
            quake.set_num_threads(before)
