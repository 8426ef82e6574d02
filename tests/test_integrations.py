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
    import dask.array as da
    x = np.linspace(-20, 20, 10_000, dtype=np.float32).reshape(100, 100)
    d = da.from_array(x, chunks=(25, 50))
    r = uf(d)
    assert isinstance(r, da.Array)  # lazy
    assert r.chunks == d.chunks and r.dtype == np.float32
    assert np.array_equal(r.compute(), uf(x))


def test_dask_distributed_local_cluster_processes():
    """Worker processes unpickle the ufuncs by reference and compute the same bits."""
    import dask.array as da
    from distributed import Client, LocalCluster

    x = np.linspace(-30, 30, 40_000).reshape(200, 200)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        d = da.from_array(x, chunks=(50, 100))
        results = client.compute([uf(d) for uf in UNARY.values()], sync=True)
    for uf, r in zip(UNARY.values(), results):
        assert np.array_equal(r, uf(x)), uf.__name__


def test_xarray_keeps_coords(uf):
    import xarray as xr

    a = xr.DataArray(np.linspace(-3, 3, 12).reshape(3, 4), dims=("t", "f"),
                     coords={"t": [10, 20, 30], "f": list("abcd")}, name="scores")
    r = uf(a)
    assert isinstance(r, xr.DataArray)
    assert r.dims == a.dims and list(r.coords["f"].values) == list("abcd")
    assert np.array_equal(r.values, uf(a.values))


def test_xarray_dask_backed(uf):
    import xarray as xr

    a = xr.DataArray(np.linspace(-3, 3, 12).reshape(3, 4), dims=("t", "f")).chunk({"t": 1})
    r = uf(a)
    assert r.chunks is not None  # still lazy
    assert np.array_equal(r.compute().values, uf(a.values))


def test_pandas_series_and_dataframe(uf):
    import pandas as pd

    s = pd.Series(np.linspace(-3, 3, 7), index=list("abcdefg"), name="z")
    r = uf(s)
    assert isinstance(r, pd.Series) and r.name == "z" and list(r.index) == list("abcdefg")
    df = pd.DataFrame({"a": np.linspace(-1, 1, 5), "b": np.linspace(2, 3, 5)})
    rd = uf(df)
    assert isinstance(rd, pd.DataFrame) and list(rd.columns) == ["a", "b"]
    assert np.array_equal(rd.to_numpy(), uf(df.to_numpy()))


def test_sklearn_function_transformer_pipeline(uf):
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
