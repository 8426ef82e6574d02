"""Reference values and error metrics: the measuring stick behind
quake.accuracy.BOUNDS, used by the test suite, ``python -m quake`` and the
docs generators.

The reference is computed in more precision than the tested dtype: float64
for float16/float32 results, long double (x87 80-bit or IEEE quad) for
float64 results, or mpmath where long double is no wider than double.
"""
from __future__ import annotations

import zlib
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

import quake

from ._optable import ROW_OPS, SPEC

EXTENDED = np.finfo(np.longdouble).nmant >= 63  # x87 80-bit or IEEE quad


def row_reference(op: str, x: np.ndarray) -> np.ndarray:
    """softmax / log_softmax / logsumexp over the last axis of x, in float64
    (float16/32 inputs) or long double (float64 inputs), for rows of finite
    values and -inf (max subtraction, then exact-ish exp, sum and log)."""
    wide = np.longdouble if x.dtype == np.float64 else np.float64
    return SPEC[op].reference(x.astype(wide))


def reference(op: str, x: np.ndarray) -> np.ndarray:
    """op(x) in more precision than x's dtype: float64 for float16/32 inputs,
    long double (or mpmath where long double is just double) for float64.
    Row operations (ROW_OPS) reduce over the last axis (row_reference)."""
    if op in ROW_OPS:
        return row_reference(op, x)
    fn = SPEC[op].reference
    if x.dtype != np.float64:
        with np.errstate(all="ignore"):
            return fn(x.astype(np.float64))
    if EXTENDED:
        with np.errstate(all="ignore"):
            return fn(x.astype(np.longdouble))
    import mpmath

    mfn = SPEC[op].mp_reference
    mpmath.mp.prec = 80
    return np.array([float(mfn(mpmath.mpf(float(v)))) if np.isfinite(v) else fn(v) for v in x])


def ulp_of(ref: np.ndarray, dtype: DTypeLike) -> np.ndarray:
    """Size of one unit in the last place of `dtype` at the exact value ref
    (denormal spacing below the normal range)."""
    fi = np.finfo(dtype)
    a = np.abs(ref)
    tiny = a.dtype.type(fi.tiny)
    _, e = np.frexp(np.maximum(a, tiny))  # a = m 2^e, m in [0.5, 1): exact binade
    return np.ldexp(np.ones_like(a), e - 1 - fi.nmant)


def ulp_error(y: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """abs(y - ref) in ULP of y's dtype, for finite representable references."""
    r = ref.astype(np.longdouble if ref.dtype == np.longdouble else np.float64)
    return (np.abs(y.astype(r.dtype) - r) / ulp_of(r, y.dtype)).astype(np.float64)


def rel_error(y: np.ndarray, ref: np.ndarray) -> np.ndarray:
    r = ref.astype(np.longdouble if ref.dtype == np.longdouble else np.float64)
    return (np.abs(y.astype(r.dtype) / r - 1)).astype(np.float64)


def normal_output(ref: np.ndarray, dtype: DTypeLike) -> np.ndarray:
    fi = np.finfo(dtype)
    a = np.abs(ref)
    return (a >= fi.tiny) & (a <= fi.max)


def max_error(op: str, tier: str, x: np.ndarray, y: np.ndarray | None = None,
              ref: np.ndarray | None = None) -> tuple[float, Any]:
    """(max error, worst input) of quake.<tier>.<op> on x, in the metric of
    its bound (ULP over the finite range, or relative over normal outputs;
    against max(abs(f), floor) for bounds with a floor).  `ref` may pass a
    precomputed reference(op, x)."""
    if y is None:
        with np.errstate(all="ignore"):
            y = getattr(getattr(quake, tier), op)(x)
    if ref is None:
        ref = reference(op, x)
    b = quake.accuracy.bound(op, tier, x.dtype)
    return error_in(op, x, y, ref, b.metric, b.floor)


def error_in(op: str, x: np.ndarray, y: np.ndarray, ref: np.ndarray, metric: str,
             floor: float = 0.0) -> tuple[float, Any]:
    """(max error, worst input or row) of y = op(x) against ref = reference(op,
    x) in `metric` ("ulp", "rel" or "abs", quake.accuracy.Bound), measured
    against max(abs(f), floor) where floor > 0: the one error metric of the
    tests, the report, the bench and the docs."""
    fi = np.finfo(x.dtype)
    if op in ROW_OPS:
        return _row_max_error(metric, x, y, ref)
    if floor:
        # relative/ULP error against max(|f|, floor): absolute near zeros
        m = np.isfinite(ref) & (np.abs(ref) <= fi.max)
        r = ref[m].astype(np.longdouble if ref.dtype == np.longdouble else np.float64)
        scale = np.maximum(np.abs(r), r.dtype.type(floor))
        if metric == "ulp":
            scale = ulp_of(scale, x.dtype)
        err = (np.abs(y[m].astype(r.dtype) - r) / scale).astype(np.float64)
    elif metric == "ulp":
        m = np.isfinite(ref) & (np.abs(ref) <= fi.max)
        # results that round to above max must be inf; checked separately
        m &= np.abs(ref) < fi.max * (1 + 2.0 ** -(fi.nmant + 1))
        err = ulp_error(y[m], ref[m])
    elif metric == "abs":
        m = np.isfinite(ref)
        err = abs_error(y[m], ref[m])
    else:
        m = normal_output(ref, x.dtype)
        err = rel_error(y[m], ref[m])
    if err.size == 0:
        return 0.0, None
    i = int(np.argmax(err))
    return float(err[i]), x[m][i]


def abs_error(y: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """abs(y - ref) / max(1, abs(ref)): absolute error, relative beyond magnitude 1
    (the metric "abs" of quake.accuracy.Bound)."""
    r = ref.astype(np.longdouble if ref.dtype == np.longdouble else np.float64)
    return (np.abs(y.astype(r.dtype) - r) / np.maximum(1, np.abs(r))).astype(np.float64)


def _row_max_error(metric: str, x: np.ndarray, y: np.ndarray, ref: np.ndarray):
    """(max error, worst row) of a row op; "rel" over outputs whose exact
    value is a normal number of x's dtype, "abs" over finite outputs."""
    if metric == "rel":
        m = normal_output(ref, x.dtype)
        err = np.zeros(ref.shape)
        err[m] = rel_error(y[m], ref[m])
    else:
        m = np.isfinite(ref)
        err = np.zeros(ref.shape)
        err[m] = abs_error(y[m], ref[m])
    if not m.any():
        return 0.0, None
    i = np.unravel_index(int(np.argmax(err)), err.shape)
    row = x[i[: x.ndim - 1]] if x.ndim > 1 else x
    return float(err[i]), row


def dense_floats(dtype: DTypeLike, lo: float, hi: float, count: int, n_random: int = 0,
                 seed: int = 12345) -> np.ndarray:
    """About `count` values of dtype spread evenly BY BIT PATTERN over [lo, hi]
    (so every binade, denormals included, is sampled), plus `n_random`
    uniform samples, plus lo and hi themselves."""
    dtype = np.dtype(dtype)
    it = {2: np.uint16, 4: np.uint32, 8: np.uint64}[dtype.itemsize]

    def upto(b):  # non-negative values 0 .. b
        top = int(np.array(b, dtype).view(it))
        step = max(1, top // max(1, count // 2))
        return np.arange(0, top + 1, step, dtype=np.uint64).astype(it).view(dtype)

    parts = [np.array([lo, hi], dtype)]
    if hi > 0:
        parts.append(upto(hi))
    if lo < 0:
        parts.append(-upto(-lo))
    if n_random:
        rng = np.random.default_rng(seed)
        parts.append(rng.uniform(lo, hi, n_random).astype(dtype))
    return np.concatenate(parts)


def sample(op: str, dtype: DTypeLike) -> np.ndarray:
    """The accuracy sample of an elementwise op (the report's, the docs' and
    the accuracy tests'): every finite float16, or a dense bit-pattern spread
    over the op's domain (beyond all of its thresholds, _optable) plus uniform
    samples where it bends."""
    dtype = np.dtype(dtype)
    if dtype.name in ("float16", "bfloat16"):  # every finite value
        x = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(dtype)
        return x[np.isfinite(x)]
    spec = SPEC[op]
    n = spec.size[dtype.name]
    rng = np.random.default_rng(zlib.crc32(f"{op}/{dtype.name}".encode()))
    parts = [dense_floats(dtype, *spec.domain[dtype.name], count=n, n_random=n // 4)]
    parts += [rng.uniform(lo, hi, int(n * frac)).astype(dtype) for (lo, hi), frac in spec.bends]
    return np.concatenate(parts)


def row_samples(dtype: DTypeLike, seed: int = 2024) -> list[np.ndarray]:
    """Batches of rows (2-D arrays, reduced over the last axis) for the row
    ops' accuracy checks: Gaussian rows of many lengths and scales, rows
    spanning the whole exp range with large offsets (so the max is far from
    0 and order 1 takes both its folded and its unfolded path), masked rows
    holding -inf, and two- and three-element sweeps of the gap to the max."""
    dtype = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    kind = "float32" if dtype.name == "bfloat16" else dtype.name  # same range
    big = {"float16": 8.0, "float32": 100.0, "float64": 720.0}[kind]
    off = {"float16": [0.0, 1e3, -3e3], "float32": [0.0, 1e3, -1e3, 3e4, -1e9],
           "float64": [0.0, 1e3, -1e6, 3e8, 1e300]}[kind]
    out = []
    for n in (1, 2, 3, 7, 8, 9, 16, 17, 31, 64, 100, 1000):
        for scale in (0.5, 3.0, 20.0):
            out.append(rng.standard_normal((max(4, 4000 // n), n)) * scale)
    for n in (5, 64, 1000):
        x = rng.uniform(-big * 1.2, 0, (60, n))
        x += rng.choice(off, (60, 1))
        out.append(x)
        masked = rng.standard_normal((60, n)) * 4
        masked[rng.random((60, n)) < 0.3] = -np.inf
        masked[:, 0] = rng.standard_normal(60)  # at least one finite entry
        out.append(masked)
    d = np.linspace(-big * 1.1, 0, 20001)
    out.append(np.stack([np.zeros_like(d), d], -1))
    out.append(np.stack([d * 0 + 5.3, d + 5.3, d / 3 + 5.3], -1))
    with np.errstate(over="ignore"):
        return [x.astype(dtype) for x in out]
