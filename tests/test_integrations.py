"""quake ufuncs inside the user's stack: Dask (lazy, chunked, distributed
workers), xarray (coords kept), pandas (same type out), scikit-learn
(FunctionTransformer in a Pipeline with pandas output)."""
import numpy as np
import pytest

import quake
from quake._registry import UFUNCS

UNARY = {f"{t}.{op}": u for (op, t), u in UFUNCS.items() if not u.signature}


@pytest.fixture(params=sorted(UNARY))
def uf(request):
    return UNARY[request.param]


def test_dask_stays_lazy_and_chunked(uf):
    da = pytest.importorskip("dask.array")
    x = np.linspace(-20, 20, 10_000, dtype=np.float32).reshape(100, 100)
    d = da.from_array(x, chunks=(25, 50))
    r = uf(d)
    assert isinstance(r, da.Array)  # lazy
    assert r.chunks == d.chunks and r.dtype == np.float32
    assert np.array_equal(r.compute(), uf(x))


def test_dask_distributed_local_cluster_processes():
    """Worker processes unpickle the ufuncs by reference and compute the same bits."""
    da = pytest.importorskip("dask.array")
    from distributed import Client, LocalCluster

    x = np.linspace(-30, 30, 40_000).reshape(200, 200)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        d = da.from_array(x, chunks=(50, 100))
        results = client.compute([uf(d) for uf in UNARY.values()], sync=True)
    for uf, r in zip(UNARY.values(), results):
        assert np.array_equal(r, uf(x)), uf.__name__


def test_xarray_keeps_coords(uf):
    xr = pytest.importorskip("xarray")

    a = xr.DataArray(np.linspace(-3, 3, 12).reshape(3, 4), dims=("t", "f"),
                     coords={"t": [10, 20, 30], "f": list("abcd")}, name="scores")
    r = uf(a)
    assert isinstance(r, xr.DataArray)
    assert r.dims == a.dims and list(r.coords["f"].values) == list("abcd")
    assert np.array_equal(r.values, uf(a.values))


def test_xarray_dask_backed(uf):
    xr = pytest.importorskip("xarray")

    a = xr.DataArray(np.linspace(-3, 3, 12).reshape(3, 4), dims=("t", "f")).chunk({"t": 1})
    r = uf(a)
    assert r.chunks is not None  # still lazy
    assert np.array_equal(r.compute().values, uf(a.values))


def test_pandas_series_and_dataframe(uf):
    pd = pytest.importorskip("pandas")

    s = pd.Series(np.linspace(-3, 3, 7), index=list("abcdefg"), name="z")
    r = uf(s)
    assert isinstance(r, pd.Series) and r.name == "z" and list(r.index) == list("abcdefg")
    df = pd.DataFrame({"a": np.linspace(-1, 1, 5), "b": np.linspace(2, 3, 5)})
    rd = uf(df)
    assert isinstance(rd, pd.DataFrame) and list(rd.columns) == ["a", "b"]
    assert np.array_equal(rd.to_numpy(), uf(df.to_numpy()))


def test_sklearn_function_transformer_pipeline(uf):
    pytest.importorskip("sklearn")
    pytest.importorskip("pandas")
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True, as_frame=True)
    ft = FunctionTransformer(uf, feature_names_out="one-to-one")
    pipe = make_pipeline(StandardScaler(), ft, LogisticRegression(max_iter=500))
    pipe.set_output(transform="pandas")
    pipe.fit(X, y)
    assert pipe.score(X, y) > 0.8
    out = make_pipeline(StandardScaler(), ft).set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == list(X.columns)
    assert list(ft.get_feature_names_out(X.columns)) == list(X.columns)


# ---- gufuncs (softmax family) in the same libraries ----
from quake._registry import ROW_UFUNCS  # noqa: E402


def test_dask_softmax_core_axis_in_one_chunk_or_clear_error():
    da = pytest.importorskip("dask.array")

    x = np.random.default_rng(0).standard_normal((60, 40)).astype(np.float32)
    d = da.from_array(x, chunks=(15, 40))  # core axis (last) in one chunk
    r = quake.q2.softmax(d, axis=-1)
    assert isinstance(r, da.Array)
    assert np.array_equal(r.compute(), quake.q2.softmax(x, axis=-1))
    d2 = da.from_array(x, chunks=(15, 10))  # core axis split: dask refuses clearly
    with pytest.raises(ValueError, match="multiple chunks"):
        quake.q2.softmax(d2, axis=-1).compute()
    # the documented remedy: rechunk the core axis to one chunk
    r2 = quake.q2.softmax(d2.rechunk({-1: -1}), axis=-1)
    assert np.array_equal(r2.compute(), quake.q2.softmax(x, axis=-1))


def test_xarray_softmax_via_apply_ufunc():
    xr = pytest.importorskip("xarray")

    a = xr.DataArray(np.random.default_rng(1).standard_normal((4, 6)), dims=("batch", "f"),
                     coords={"batch": list("abcd")})
    for arr in (a, a.chunk({"batch": 2})):
        r = xr.apply_ufunc(quake.softmax, arr, input_core_dims=[["f"]],
                           output_core_dims=[["f"]], dask="allowed")
        assert r.dims == ("batch", "f") and list(r.coords["batch"].values) == list("abcd")
        assert np.array_equal(np.asarray(r), quake.softmax(a.values, axis=-1))


def test_pandas_gufunc_block_orientation():
    """A DataFrame is stored as (columns, rows) blocks: quake.softmax(df)
    normalises each column, quake.softmax(df, axis=-1) each row (documented)."""
    pd = pytest.importorskip("pandas")

    df = pd.DataFrame(np.arange(6.0).reshape(2, 3), columns=list("xyz"))
    by_col = quake.softmax(df)
    by_row = quake.softmax(df, axis=-1)
    assert isinstance(by_col, pd.DataFrame) and list(by_col.columns) == list("xyz")
    assert np.allclose(by_col.sum(axis=0), 1) and np.allclose(by_row.sum(axis=1), 1)
    assert np.array_equal(by_row.to_numpy(), quake.softmax(df.to_numpy(), axis=-1))
    assert np.array_equal(by_col.to_numpy(), quake.softmax(df.to_numpy(), axis=0))


def test_gufuncs_on_distributed_workers():
    da = pytest.importorskip("dask.array")
    from distributed import Client, LocalCluster

    x = np.random.default_rng(2).standard_normal((200, 64))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        d = da.from_array(x, chunks=(50, 64))
        results = da.compute(*[f(d, axis=-1) for f in ROW_UFUNCS.values()])
    for f, r in zip(ROW_UFUNCS.values(), results):
        assert np.array_equal(r, f(x, axis=-1)), f.__name__
