"""Property-based tests (hypothesis): any shape, strides (negative, zero),
misaligned offsets, dtypes, out=/where=, broadcasting and in-place calls give
exactly the scalar reference's bits, element by element, within the op's
bound."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import quake
from quake._registry import UFUNCS
from quake.testing import max_error

UNARY = sorted((k for k, u in UFUNCS.items() if not u.signature), key=str)
TARGETS = [t["name"] for t in quake.targets() if t["supported"]]
DTYPES = [np.float16, np.float32, np.float64]

finite_or_special = st.one_of(
    st.floats(width=64, allow_nan=True, allow_infinity=True),
    st.floats(min_value=-120, max_value=100),
    st.sampled_from([0.0, -0.0, 88.72283, -87.33654, -103.97, 709.78, -745.13, 11.0859375,
                     -9.703125, 5e-324, 1e-45]))


@st.composite
def views(draw):
    """An array view with arbitrary layout over a base buffer."""
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=24))
    values = draw(hnp.arrays(np.float64, shape, elements=finite_or_special,
                             fill=st.floats(min_value=-100, max_value=100)))
    with np.errstate(all="ignore"):
        values = values.astype(dtype)
    layout = draw(st.sampled_from(["contiguous", "reversed", "strided", "misaligned", "fortran",
                                   "broadcast"]))
    if layout == "reversed" and values.ndim:
        return values[(slice(None, None, -1),) * values.ndim]
    if layout == "strided" and values.ndim:
        big = np.zeros(tuple(2 * s + 1 for s in shape), dtype)
        sl = tuple(slice(1, None, 2) for _ in shape)
        big[sl] = values
        return big[sl]
    if layout == "misaligned":
        raw = np.zeros(values.nbytes + 1, np.uint8)
        v = raw[1:].view(dtype).reshape(shape)
        v[...] = values
        return v
    if layout == "fortran":
        return np.asfortranarray(values)
    if layout == "broadcast" and values.ndim:
        return np.broadcast_to(values[..., :1], shape)
    return values


def _bits(a):
    return np.ascontiguousarray(a).view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize])


def _reference(op, tier, x):
    with quake.use_target("scalar"), np.errstate(all="ignore"):
        return UFUNCS[op, tier](np.ascontiguousarray(x).ravel()).reshape(np.shape(x))


@given(key=st.sampled_from(UNARY), x=views(), target=st.sampled_from(TARGETS))
def test_any_layout_matches_scalar_reference(key, x, target):
    f = UFUNCS[key]
    with quake.use_target(target), np.errstate(all="ignore"):
        y = f(x)
    ref = _reference(*key, x)
    assert y.shape == x.shape and y.dtype == x.dtype
    assert np.array_equal(_bits(y), _bits(ref))
    if x.size:
        err, at = max_error(key[0], key[1], np.ascontiguousarray(x).ravel(), y.ravel())
        assert err <= quake.accuracy.bound(key[0], key[1], x.dtype).value, (err, at)


@given(key=st.sampled_from(UNARY), x=views(), data=st.data())
def test_out_where_in_place(key, x, data):
    f = UFUNCS[key]
    if x.ndim == 0 or not x.flags.writeable:
        x = np.array(x, copy=True)
    ref = _reference(*key, x)
    mask = data.draw(hnp.arrays(bool, x.shape))
    out = np.full(x.shape, 7, x.dtype)
    with np.errstate(all="ignore"):
        f(x, out=out, where=mask)
    assert np.array_equal(_bits(out[mask]), _bits(ref[mask]))
    assert np.all(out[~mask] == 7)
    y = x.copy()
    with np.errstate(all="ignore"):
        r = f(y, out=y)
    assert r is y and np.array_equal(_bits(y), _bits(ref))


@given(key=st.sampled_from(UNARY),
       shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=9),
       dtype=st.sampled_from(DTYPES))
def test_broadcast_into_out(key, shapes, dtype):
    f = UFUNCS[key]
    in_shape, out_shape = shapes.input_shapes[0], shapes.result_shape
    x = np.linspace(-20, 20, int(np.prod(in_shape)) if in_shape else 1).astype(dtype).reshape(in_shape)
    out = np.empty(out_shape, dtype)
    with np.errstate(all="ignore"):
        f(x, out=out)
        expected = np.broadcast_to(f(x), out_shape)
    assert np.array_equal(_bits(out), _bits(np.ascontiguousarray(expected)))


# ---- generalized ufuncs (softmax family): axis, layouts, out=, in place ----
from quake._registry import ROW_UFUNCS  # noqa: E402

ROWS = sorted(ROW_UFUNCS, key=str)


@given(key=st.sampled_from(ROWS), x=views(), data=st.data(), target=st.sampled_from(TARGETS))
def test_gufunc_any_axis_and_layout_matches_scalar_reference(key, x, data, target):
    f = ROW_UFUNCS[key]
    if x.ndim == 0:
        x = x.reshape(1)
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    with quake.use_target(target), np.errstate(all="ignore"):
        y = f(x, axis=axis)
    xc = np.ascontiguousarray(np.moveaxis(x, axis, -1))
    with quake.use_target("scalar"), np.errstate(all="ignore"):
        ref = f(xc)
    if f.signature.endswith("->(n)"):
        ref = np.moveaxis(ref, -1, axis)
    assert y.shape == ref.shape and y.dtype == x.dtype
    assert np.array_equal(_bits(y), _bits(ref))


@given(key=st.sampled_from(ROWS), x=views())
def test_gufunc_out_and_in_place(key, x):
    f = ROW_UFUNCS[key]
    if x.ndim == 0 or not x.flags.writeable:
        x = np.array(x, copy=True, ndmin=1)
    with np.errstate(all="ignore"):
        ref = f(x)
        out = np.empty_like(ref)
        r = f(x, out=out)
        assert r is out and np.array_equal(_bits(out), _bits(ref))
        if f.signature.endswith("->(n)"):
            y = x.copy()
            r = f(y, out=y)
            assert r is y and np.array_equal(_bits(y), _bits(ref))
