"""Special rows and values of the row ops: NaN, +-inf, masked (-inf)
entries, empty and one-element rows, extreme magnitudes and FP flags,
against scipy.special (values and warnings)."""
import warnings

import numpy as np
import pytest
import scipy.special as sps

import quake

inf, nan = np.inf, np.nan
SPECIAL_ROWS = {
    "all -inf": [-inf, -inf, -inf],
    "one +inf": [1.0, inf, 2.0],
    "two +inf": [inf, inf, 2.0],
    "+inf and -inf": [inf, -inf, 1.0, -inf],
    "all +inf": [inf, inf],
    "nan": [1.0, nan, 2.0],
    "nan and +inf": [nan, inf, 1.0],
    "nan and -inf": [-inf, nan],
    "only nan": [nan],
    "single -inf": [-inf],
    "single +inf": [inf],
    "some -inf": [-inf, 0.0, 1.0, -inf, -inf, -inf, -inf, -inf, 0.5],
}
SCIPY = {"softmax": sps.softmax, "log_softmax": sps.log_softmax, "logsumexp": sps.logsumexp}


def _kinds(record):
    out = set()
    for w in record:
        msg = str(w.message)
        for k in ("invalid", "overflow", "underflow", "divide"):
            if k in msg:
                out.add(k)
    return out


def _run(f, x):
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        with np.errstate(all="warn"):
            y = f(x)
    return y, _kinds(rec)


@pytest.mark.parametrize("name", list(SPECIAL_ROWS))
@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_special_rows_follow_scipy(target, op, tier, dtype, name):
    x = np.array(SPECIAL_ROWS[name], dtype)
    ref, ref_kinds = _run(SCIPY[op], x.astype(np.float64))
    y, kinds = _run(getattr(getattr(quake, tier), op), x)
    assert y.dtype == dtype and np.shape(y) == np.shape(ref)
    assert kinds == ref_kinds, (name, kinds, ref_kinds)
    ref = np.asarray(ref)
    y = np.asarray(y, np.float64)
    assert np.array_equal(np.isnan(y), np.isnan(ref)), (name, y, ref)
    fin = np.isfinite(ref)
    assert np.array_equal(y[~fin & ~np.isnan(ref)], ref[~fin & ~np.isnan(ref)])
    tol = quake.accuracy.bound(op, tier, dtype).value
    assert np.allclose(y[fin], ref[fin], rtol=tol, atol=tol if op != "softmax" else 0)


def test_masked_entries_are_exact_zeros(target, tier, dtype):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((50, 67)).astype(dtype)
    mask = rng.random(x.shape) < 0.4
    mask[:, 5] = False
    x[mask] = -inf
    with np.errstate(all="raise"):
        p = getattr(quake, tier).softmax(x)
        lp = getattr(quake, tier).log_softmax(x)
        lse = getattr(quake, tier).logsumexp(x)
    assert np.all(p[mask] == 0) and not np.signbit(p[mask]).any()
    assert np.all(lp[mask] == -inf)
    assert np.all(p[~mask] > 0) and np.all(np.isfinite(lp[~mask]))
    # masking changes nothing for the other entries: same as dropping them
    row = x[7][~mask[7]]
    assert np.array_equal(getattr(quake, tier).softmax(row), p[7][~mask[7]]) or np.allclose(
        getattr(quake, tier).softmax(row), p[7][~mask[7]], rtol=2e-7, atol=0)
    assert np.isfinite(lse).all()


@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_empty_rows(op, tier, dtype):
    f = getattr(getattr(quake, tier), op)
    x = np.empty((3, 0), dtype)
    with np.errstate(all="raise"):
        y = f(x)
    if op == "logsumexp":
        assert y.shape == (3,) and np.all(y == -inf)  # like scipy.special.logsumexp
    else:
        assert y.shape == (3, 0) and y.dtype == dtype
    assert f(np.empty((0, 5), dtype)).shape == ((0,) if op == "logsumexp" else (0, 5))


def test_one_element_rows(target, tier, dtype):
    x = np.array([[-3.5], [0.0], [1e4], [-60000.0]], dtype)
    q = getattr(quake, tier)
    with np.errstate(all="raise"):
        p, lp, lse = q.softmax(x), q.log_softmax(x), q.logsumexp(x)
    b = quake.accuracy.bound("log_softmax", tier, dtype).value
    if tier == "q1":  # order 1's exp(0) is 2^-sigma: 1/S and log S round it away
        assert np.all(np.abs(p - 1) <= 2 * np.finfo(dtype).eps)
        assert np.all(np.abs(lp) <= b)
    else:  # exp(0) = 1 exactly
        assert np.all(p == 1) and np.all(lp == 0)
        assert np.array_equal(lse, x[:, 0])
    assert np.allclose(lse, x[:, 0], rtol=b, atol=b)


@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_no_spurious_flags_for_ordinary_inputs(target, op, tier):
    """Finite rows of any magnitude, masked rows, float32 and float64: no
    warning at all under errstate(all='raise') (underflowing probabilities
    are not part of 'ordinary': they are genuine and raise 'underflow')."""
    rng = np.random.default_rng(11)
    f = getattr(getattr(quake, tier), op)
    for dtype in (np.float32, np.float64):
        fmax = np.finfo(dtype).max
        rows = [
            rng.standard_normal((100, 129)) * 5,
            np.array([[1e30, -1e30, 1e30], [-1e30, 1e30, 3.0], [fmax, fmax, fmax],
                      [-fmax, -fmax, -fmax], [-fmax, -inf, -fmax], [fmax, -inf, 0.0]]),
        ]
        masked = rng.standard_normal((64, 64)) * 3
        masked[np.triu_indices(64, 1)] = -inf  # causal attention mask
        rows.append(masked)
        for x in rows:
            x = x.astype(dtype)
            if op == "log_softmax":
                x = x[np.all((x > -fmax / 2) | (x == -inf), axis=-1)]  # x - max representable
            with np.errstate(all="raise"):
                y = f(x)
                f(np.ascontiguousarray(x.T), axis=0)
            assert not np.isnan(y).any()


def test_extreme_rows_values(tier):
    q = getattr(quake, tier)
    fmax = np.finfo(np.float32).max
    x = np.array([[fmax, -fmax], [-fmax, -inf], [fmax, fmax], [-fmax, -fmax]], np.float32)
    with np.errstate(all="raise"):
        p = q.softmax(x)
        lse = q.logsumexp(x)
    assert np.array_equal(p[:2], [[1, 0], [1, 0]]) or np.allclose(p[:2], [[1, 0], [1, 0]], atol=1e-6)
    assert np.allclose(p[2:], 0.5, rtol=0.062)
    assert lse[0] == fmax and lse[1] == -fmax and lse[3] == -fmax


def test_nan_payload_free_and_quiet():
    x = np.array([[1.0, np.nan, 3.0]], np.float32)
    with np.errstate(all="raise"):
        for op in quake.ROW_OPS:
            y = getattr(quake, op)(x)
            assert np.isnan(y).all()


@pytest.mark.parametrize("n", [3, 17, 40])
@pytest.mark.parametrize("storage", ["float16", "bfloat16"])
def test_narrow_overflow_is_reported(target, tier, storage, n):
    """16-bit rows whose float32 results leave the storage type's range:
    log_softmax reports overflow (the result is -inf, as NumPy's own float16
    arithmetic does), softmax (in [0, 1]) and logsumexp never; the
    status comes from the narrowing itself (kernels/narrow_over.h), in the
    vector body and the tail alike (n = 3, 17, 40)."""
    if storage == "bfloat16":
        ml_dtypes = pytest.importorskip("ml_dtypes")
        dtype, big = ml_dtypes.bfloat16, 3e38
    else:
        dtype, big = np.float16, 60000.0
    x = np.zeros((4, n), np.float32)
    x[:, 0], x[:, -1] = big, -big  # log_softmax of the last: about -2 big
    x = x.astype(dtype)
    ns = getattr(quake, tier)
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            ns.log_softmax(x)
        ns.softmax(x)  # no overflow: results in [0, 1]
        ns.log_softmax(x[:, 1:-1])  # in range: no flag either
    with np.errstate(over="ignore"):
        assert np.isneginf(ns.log_softmax(x).astype(np.float32)[:, -1]).all()
    # logsumexp <= max + log n cannot pass the type's last finite value by
    # enough to round to inf (it would take n > e^16): near the top, no flag
    with np.errstate(over="raise"):
        assert np.isfinite(ns.logsumexp(np.full((2, n), big, np.float32).astype(dtype))
                           .astype(np.float32)).all()
