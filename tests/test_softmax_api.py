"""The row ops are genuine NumPy generalized ufuncs: naming, signatures,
axis/axes/keepdims/out/in place/dtype, any strides, broadcast outer
dimensions, every row length (stack block and segmented paths), pickling,
and bit-identical results on every SIMD target."""
import copy
import pickle

import numpy as np
import pytest

import quake

ROW_UFUNCS = [getattr(getattr(quake, t), op) for op in quake.ROW_OPS for t in quake.TIERS]
SUPPORTED = [t["name"] for t in quake.targets() if t["supported"]]


def _scalar_out(gu):
    return gu.signature == "(n)->()"


def test_registry_and_naming():
    assert quake.ROW_OPS == ("softmax", "log_softmax", "logsumexp")
    assert "softmax" not in quake.OPS  # the elementwise registry stays elementwise
    for op in quake.ROW_OPS:
        assert getattr(quake, op) is getattr(quake.precise, op)  # default tier
        for t in quake.TIERS:
            assert getattr(getattr(quake, t), op).__name__ == f"{t}.{op}"
    assert len({id(u) for u in ROW_UFUNCS}) == len(ROW_UFUNCS)


def test_is_gufunc(gu):
    assert isinstance(gu, np.ufunc) and gu.nin == 1 and gu.nout == 1
    assert gu.signature in ("(n)->(n)", "(n)->()")
    assert gu.types == ["e->e", "f->f", "d->d"]
    assert "Error bound" in gu.__doc__


def test_pickle_and_copy(gu):
    assert pickle.loads(pickle.dumps(gu)) is gu
    assert copy.deepcopy(gu) is gu


def test_axis_axes_keepdims(gu):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 5, 6)).astype(np.float32)
    for axis in (0, 1, 2, -1, -3):
        y = gu(x, axis=axis)
        ref = np.moveaxis(gu(np.ascontiguousarray(np.moveaxis(x, axis, -1))), -1, axis) \
            if not _scalar_out(gu) else gu(np.ascontiguousarray(np.moveaxis(x, axis, -1)))
        assert np.array_equal(y, ref)
    if _scalar_out(gu):
        assert gu(x, axis=1, keepdims=True).shape == (4, 1, 6)
        assert np.array_equal(gu(x, axes=[(1,), ()]), gu(x, axis=1))
    else:
        assert np.array_equal(gu(x, axes=[(1,), (1,)]), gu(x, axis=1))
    assert np.array_equal(gu(x), gu(x, axis=-1))


def test_out_and_in_place(gu):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((30, 70)).astype(np.float32)
    expected = gu(x)
    out = np.empty_like(expected)
    assert gu(x, out=out) is out and np.array_equal(out, expected)
    if not _scalar_out(gu):
        y = x.copy()
        assert gu(y, out=y) is y and np.array_equal(y, expected)
        # in place over a non-contiguous core axis
        z = np.asfortranarray(x)
        gu(z, out=z)
        assert np.array_equal(z, expected)
        w = x.T.copy()
        gu(w, out=w, axis=0)
        assert np.array_equal(w, expected.T)
        # partial overlaps: NumPy copies, results as from separate arrays
        a = x.copy()
        ref = gu(a[:, :-1].copy())
        gu(a[:, :-1], out=a[:, 1:])
        assert np.array_equal(a[:, 1:], ref)
        a = x.copy()
        gu(a[::-1], out=a)
        assert np.array_equal(a, expected[::-1])


def test_dtype_keyword_and_casting(gu):
    x = np.linspace(-3, 3, 40).reshape(4, 10)
    y32 = gu(x, dtype=np.float32)
    assert y32.dtype == np.float32 and np.array_equal(y32, gu(x.astype(np.float32)))
    assert gu(x.astype(np.float32), dtype=np.float64).dtype == np.float64
    assert gu(np.arange(6).reshape(2, 3)).dtype == np.float64
    assert gu(np.arange(6, dtype=np.int8).reshape(2, 3)).dtype == np.float16
    with pytest.raises(TypeError):
        gu(np.array([[1 + 1j]]))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_strided_views_match_contiguous(gu, dtype):
    rng = np.random.default_rng(2)
    base = (rng.standard_normal((64, 257)) * 4).astype(dtype)
    ref = gu(base)
    assert np.array_equal(gu(base[::3]), ref[::3])
    v = base[:, ::-2]
    assert np.array_equal(gu(v), gu(np.ascontiguousarray(v)))
    assert np.array_equal(gu(np.asfortranarray(base)), ref)
    assert np.array_equal(gu(base.T, axis=0), ref if _scalar_out(gu) else ref.T)
    # misaligned data
    raw = np.zeros(base.nbytes + 1, np.uint8)
    mis = raw[1:].view(dtype).reshape(base.shape)
    mis[:] = base
    assert np.array_equal(gu(mis), ref)
    # strided output
    if not _scalar_out(gu):
        out = np.zeros((64, 514), dtype)
        gu(base, out=out[:, ::2])
        assert np.array_equal(out[:, ::2], ref) and np.all(out[:, 1::2] == 0)


def test_broadcast_outer_dimensions(gu):
    row = np.linspace(-5, 5, 33).astype(np.float32)
    b = np.broadcast_to(row, (7, 3, 33))
    y = gu(b)
    assert np.array_equal(y, np.broadcast_to(gu(row), y.shape))
    if not _scalar_out(gu):
        out = np.empty((2, 4, 33), np.float32)
        gu(row, out=out)
        assert np.all(out == gu(row))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 2047, 2048, 2049,
                               4111, 100_000])
def test_every_length_and_layout(gu, n):
    """Contiguous rows, strided rows (stack block up to 2048 elements,
    segmented beyond) and float16 agree bit for bit with one another."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal((3, n)) * 6).astype(np.float32)
    if n > 3:
        x[:, ::5] = -np.inf
        x[:, 1] = 2.0
    with np.errstate(under="ignore"):
        y = gu(x)
        ys = gu(np.asfortranarray(x))
        yt = gu(x.T.copy(), axis=0)
        y64 = gu(x.astype(np.float64))
        y64s = gu(x.astype(np.float64)[:, None, :].repeat(2, 1)[:, 0, :].T.copy(), axis=0)
        xh = x.astype(np.float16)
        yh = gu(xh)
        yhs = gu(np.asfortranarray(xh))
    if not _scalar_out(gu):
        yt, y64s = yt.T, y64s.T
    assert np.array_equal(y, ys) and np.array_equal(y, yt)
    assert np.array_equal(y64, y64s)
    assert np.array_equal(yh, yhs)
    # float16 is computed in float32 and rounded once
    with np.errstate(all="ignore"):
        assert np.array_equal(yh, gu(xh.astype(np.float32)).astype(np.float16))


def _bits(a):
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_all_targets_bit_identical(gu, dtype):
    if len(SUPPORTED) < 2:
        pytest.fail("only one target can run here: bit-identity cannot be checked")
    rng = np.random.default_rng(9)
    cases = [(rng.standard_normal((400, n)) * s) for n in (1, 5, 16, 31, 100, 333) for s in (1, 30)]
    big = rng.standard_normal((4, 5000)) * 10
    big[:, ::3] = -np.inf
    cases += [big, np.array([[0.0, -0.0, -0.0], [-0.0, 0.0, -1.0], [1e30, -1e30, 5.0],
                             [-np.inf, 1.0, np.inf], [np.nan, 1.0, 2.0], [-np.inf] * 3])]
    cases.append(rng.uniform(-120, 0, (50, 77)) + rng.choice([0, 1e3, 5e4], (50, 1)))
    results = {}
    for name in SUPPORTED:
        with quake.use_target(name), np.errstate(all="ignore"):
            results[name] = [gu(c.astype(dtype)) for c in cases] + [
                gu(np.asfortranarray(c.astype(dtype))) for c in cases]
    for name, res in results.items():
        for a, b, c in zip(results["scalar"], res, cases * 2):
            assert np.array_equal(_bits(np.asarray(a)), _bits(np.asarray(b))), (
                f"{gu.__name__} {dtype}: {name} differs from scalar, shape {c.shape}")


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_short_rows_every_length_all_targets(gu, dtype):
    """Every row length 1..70 over 37 rows (two groups of 16 rows computed one
    row per lane on AVX-512, n <= 63, and a remainder), rows of both q1 fold
    decisions and special rows in some groups: the scalar target's bits."""
    if len(SUPPORTED) < 2:
        pytest.fail("only one target can run here: bit-identity cannot be checked")
    rng = np.random.default_rng(40)
    cases = []
    for n in range(1, 71):
        x = rng.standard_normal((37, n)) * 8
        if n % 4 == 1:
            x[3] += 3000.0  # q1: this group mixes fold decisions
        if n % 4 == 2:
            x[20, n // 2] = np.nan
            x[21, :] = -np.inf
            x[22, 0] = np.inf
        if n % 4 == 3:
            x[:, n - 1] = -np.inf  # a lane of the second block empty in every row
        cases.append(x.astype(dtype))
    def layouts(c):  # contiguous; rows 2n apart in and out (strided results too)
        out = np.empty((c.shape[0] * 2,) + gu(c[:1]).shape[1:], c.dtype)[::2]
        return [gu(c), gu(np.repeat(c, 2, axis=0)[::2], out=out)]

    results = {}
    for name in SUPPORTED:
        with quake.use_target(name), np.errstate(all="ignore"):
            results[name] = [layouts(c) for c in cases]
    for name, res in results.items():
        for a, b, c in zip(results["scalar"], res, cases):
            for a1, b1 in zip(a, b):
                assert np.array_equal(_bits(np.asarray(a1)), _bits(np.asarray(b1))), (
                    f"{gu.__name__} {dtype}: {name} differs from scalar, shape {c.shape}")
            assert np.array_equal(_bits(np.asarray(a[0])), _bits(np.asarray(a[1]))), (
                f"{gu.__name__} {dtype}: strided rows differ, shape {c.shape}")


def test_gil_released_threads_agree(gu):
    from concurrent.futures import ThreadPoolExecutor

    x = np.random.default_rng(3).standard_normal((2000, 300)).astype(np.float32)
    ref = gu(x)
    with ThreadPoolExecutor(4) as ex:
        outs = list(ex.map(lambda _: gu(x), range(6)))
    assert all(np.array_equal(o, ref) for o in outs)


def test_array_ufunc_pandas_rows_vs_columns():
    pd = pytest.importorskip("pandas")

    df = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [2.0, 3.0, -1.0]})
    by_row = quake.softmax(df.to_numpy(), axis=-1)
    assert np.allclose(by_row.sum(axis=1), 1)
    r = quake.softmax(df, axis=-1)
    assert np.allclose(np.asarray(r), by_row)


def test_reductions_on_dataframes_with_axis():
    """Issue 18.7: with axis= given, a reducing row op returns what NumPy's
    reducing gufuncs return for pandas input (an ndarray, as np.vecdot(df, df)),
    one value per row (axis=-1) or per column (axis=0); docs/robustness.md."""
    pd = pytest.importorskip("pandas")
    scipy_special = pytest.importorskip("scipy.special")
    df = pd.DataFrame(np.arange(12.0).reshape(4, 3) / 3, columns=list("abc"))
    assert type(np.vecdot(df, df)) is np.ndarray
    for axis in (-1, 1, 0):
        got = quake.logsumexp(df, axis=axis)
        assert type(got) is np.ndarray
        np.testing.assert_allclose(got, scipy_special.logsumexp(df.to_numpy(), axis=axis),
                                   rtol=1e-14)
    sm = quake.softmax(df, axis=-1)
    assert isinstance(sm, pd.DataFrame) and list(sm.columns) == list("abc")
    np.testing.assert_allclose(sm.sum(axis=1), 1, rtol=1e-14)


def test_several_axes_by_the_documented_reshape():
    """Issue 18.7: a gufunc's axis is one int (NumPy's rule, the error is
    NumPy's); the recipe docs/robustness.md gives for a tuple or None."""
    scipy_special = pytest.importorskip("scipy.special")
    x = np.random.default_rng(0).standard_normal((4, 5, 6))
    with pytest.raises(TypeError):
        quake.logsumexp(x, axis=(0, 1))
    np.testing.assert_allclose(quake.logsumexp(x.reshape(-1)),
                               scipy_special.logsumexp(x, axis=None), rtol=1e-14)
    np.testing.assert_allclose(quake.logsumexp(np.moveaxis(x, (0, 1), (-2, -1)).reshape(6, -1)),
                               scipy_special.logsumexp(x, axis=(0, 1)), rtol=1e-14)
