"""quake's ops are genuine NumPy ufuncs: every ufunc feature works."""
import copy
import pickle

import numpy as np
import pytest

import quake

ALL_UFUNCS = [getattr(getattr(quake, t), op) for op in quake.OPS for t in quake.TIERS]
IDS = [f"{t}.{op}" for op in quake.OPS for t in quake.TIERS]


@pytest.fixture(params=ALL_UFUNCS, ids=IDS)
def uf(request):
    return request.param


def test_is_real_ufunc(uf):
    assert isinstance(uf, np.ufunc)
    assert uf.nin == 1 and uf.nout == 1
    assert uf.types == ["e->e", "f->f", "d->d"]
    assert uf.__doc__ and "Error bound" in uf.__doc__


def test_naming_scheme():
    assert quake.exp is quake.precise.exp  # default tier
    assert quake.DEFAULT_TIER == "precise"
    assert quake.q1.exp.__name__ == "q1.exp"
    assert quake.q2.exp.__name__ == "q2.exp"
    assert quake.precise.exp.__name__ == "precise.exp"
    assert len({id(u) for u in ALL_UFUNCS}) == len(ALL_UFUNCS)


@pytest.mark.parametrize("src,expected", [
    (np.bool_, np.float16), (np.int8, np.float16), (np.uint8, np.float16),
    (np.int16, np.float32), (np.uint16, np.float32), (np.int32, np.float64),
    (np.int64, np.float64), (np.uint64, np.float64), (np.float16, np.float16),
    (np.float32, np.float32), (np.float64, np.float64),
])
def test_result_dtype_like_numpy(uf, src, expected):
    x = np.arange(3).astype(src)
    assert uf(x).dtype == expected == np.exp(x).dtype


@pytest.mark.parametrize("bad", [
    np.array([1 + 2j]), np.array([1.0], dtype=object), np.array(["a"]),
    np.array([(1.0, 2)], dtype=[("a", "f8"), ("b", "i4")]), np.array([1.0], dtype=np.longdouble),
])
def test_unsupported_dtypes_raise_typeerror(uf, bad):
    with pytest.raises(TypeError, match=r"not supported|did not contain a loop|no loop|Cannot cast"):
        uf(bad)


def test_python_scalars_and_0d(uf):
    from quake.testing import reference

    op = uf.__name__.split(".")[1]
    want = float(reference(op, np.array([0.5]))[0])  # np.exp(0.5) for exp
    r = uf(0.5)
    assert isinstance(r, np.float64) and abs(r - want) < 0.031 * abs(want)
    r32 = uf(np.float32(0.5))
    assert isinstance(r32, np.float32)
    a = uf(np.array(0.5, np.float32))
    assert a.shape == () and a.dtype == np.float32


def test_zero_size(uf):
    for shape in [(0,), (3, 0), (0, 5)]:
        x = np.empty(shape, np.float32)
        y = uf(x)
        assert y.shape == shape and y.dtype == np.float32


def test_broadcasting_and_out(uf):
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    out = np.empty((2, 3, 4), np.float32)
    r = uf(x, out=out)  # broadcast input over the output
    assert r is out
    assert np.array_equal(out[0], uf(x)) and np.array_equal(out[1], uf(x))
    r = uf(x, out=(out[0],))
    assert r is out[0] or np.shares_memory(r, out)


def test_in_place(uf):
    x = np.linspace(-3, 3, 10_001, dtype=np.float32)
    expected = uf(x)
    r = uf(x, out=x)
    assert r is x and np.array_equal(x, expected)


def test_where(uf):
    x = np.linspace(-3, 3, 3001, dtype=np.float32)
    mask = (np.arange(x.size) % 3) == 0
    out = np.full_like(x, -7.0)
    uf(x, out=out, where=mask)
    assert np.array_equal(out[mask], uf(x)[mask])
    assert np.all(out[~mask] == -7.0)


def test_dtype_and_casting(uf):
    x = np.linspace(-3, 3, 100)
    y32 = uf(x, dtype=np.float32)
    assert y32.dtype == np.float32
    assert np.array_equal(y32, uf(x.astype(np.float32)))
    with pytest.raises(TypeError):
        uf(x, out=np.empty(100, np.float32), casting="no")
    y = uf(x, out=np.empty(100, np.float32), casting="same_kind")
    assert y.dtype == np.float32
    assert uf(x.astype(np.float32), dtype=np.float64).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_strided_negative_and_misaligned_views_match_contiguous(uf, dtype):
    rng = np.random.default_rng(0)
    base = rng.uniform(-10, 10, 20_011).astype(dtype)
    ref = uf(base)
    # strided, reversed, 2-D transposed, zero-stride broadcast
    assert np.array_equal(uf(base[::3]), ref[::3])
    assert np.array_equal(uf(base[::-1]), ref[::-1])
    assert np.array_equal(uf(base[::-7]), ref[::-7])
    m = base[:20_000].reshape(100, 200)
    assert np.array_equal(uf(m.T), ref[:20_000].reshape(100, 200).T)
    b = np.broadcast_to(base[5], (1000,))
    assert np.all(uf(b) == ref[5])
    # strided output
    out = np.zeros(2 * base.size, dtype)
    uf(base, out=out[::2])
    assert np.array_equal(out[::2], ref) and np.all(out[1::2] == 0)
    # misaligned views: itemsize-unaligned data pointers
    raw = np.zeros(base.nbytes + 1, np.uint8)
    mis = raw[1:].view(dtype)
    mis[:] = base
    assert not mis.flags.aligned
    assert np.array_equal(uf(mis), ref)
    raw_out = np.zeros(base.nbytes + 1, np.uint8)
    out_mis = raw_out[1:].view(dtype)
    uf(base, out=out_mis)
    assert np.array_equal(out_mis, ref)


@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 1023, 1024, 1025, 4097, 70_001])
def test_every_length_matches_elementwise(uf, n):
    """Tails and blocks: each element equals the single-element result."""
    x = np.linspace(-20, 20, n, dtype=np.float32)
    y = uf(x)
    single = np.array([uf(x[i:i + 1])[0] for i in range(0, n, max(1, n // 97))])
    assert np.array_equal(y[::max(1, n // 97)], single)


def test_large_array_beyond_blocks(uf):
    x = np.random.default_rng(2).uniform(-50, 50, 3_000_003).astype(np.float32)
    y = uf(x)
    xs = x[::2]  # strided path goes through the block gather
    assert np.array_equal(uf(xs), y[::2])
    x16 = x[:200_003].astype(np.float16)
    with np.errstate(all="ignore"):
        y16 = uf(x16)
        assert np.array_equal(uf(x16[::-1]), y16[::-1])


def test_reduce_and_methods_rejected_cleanly(uf):
    with pytest.raises(ValueError):
        uf.reduce(np.ones(3))
    with pytest.raises(ValueError):
        uf.outer(np.ones(2), np.ones(3))
    with pytest.raises(ValueError):
        uf.accumulate(np.ones(3))


def test_pickle_and_deepcopy(uf):
    assert pickle.loads(pickle.dumps(uf)) is uf
    assert copy.deepcopy(uf) is uf
    assert copy.copy(uf) is uf


def test_array_ufunc_override_pandas(uf):
    pd = pytest.importorskip("pandas")  # in the test extra; optional for a bare install
    s = pd.Series([0.0, 1.0, -1.0], index=["a", "b", "c"], name="x")
    r = uf(s)
    assert isinstance(r, pd.Series)
    assert list(r.index) == ["a", "b", "c"] and r.name == "x"
    assert np.array_equal(r.to_numpy(), uf(s.to_numpy()))
    df = pd.DataFrame({"a": [0.0, 1.0], "b": [2.0, 3.0]})
    rd = uf(df)
    assert isinstance(rd, pd.DataFrame) and list(rd.columns) == ["a", "b"]


class _Wrapped:
    """A minimal __array_ufunc__ implementer, like Dask/xarray/pandas."""

    def __init__(self, a):
        self.a = np.asarray(a)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = [i.a if isinstance(i, _Wrapped) else i for i in inputs]
        return _Wrapped(getattr(ufunc, method)(*inputs, **kwargs)), ufunc


def test_array_ufunc_protocol(uf):
    w, seen = uf(_Wrapped([0.0, 1.0]))
    assert seen is uf
    assert np.array_equal(w.a, uf(np.array([0.0, 1.0])))


def test_gil_released_threads_agree(uf):
    from concurrent.futures import ThreadPoolExecutor

    x = np.random.default_rng(3).uniform(-30, 30, 400_000).astype(np.float32)
    ref = uf(x)
    outs = [np.empty_like(x) for _ in range(8)]
    with ThreadPoolExecutor(4) as ex:
        list(ex.map(lambda o: uf(x, out=o), outs))
    assert all(np.array_equal(o, ref) for o in outs)
