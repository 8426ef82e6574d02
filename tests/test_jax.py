"""quake.jax against the real JAX: bit-identity with the NumPy ufuncs on both
backends (XLA FFI custom calls and the host callback), jit/vmap/grad, dtypes,
axes, bad input, and the backend report.

QUAKE_REQUIRE_JAX=1 turns a missing jax into a failure; QUAKE_REQUIRE_JAX_FFI=1
also requires the FFI backend (CI, after its plain `pip install ".[test]"`).
"""
import os
import subprocess
import sys

import numpy as np
import pytest

if os.environ.get("QUAKE_REQUIRE_JAX") or os.environ.get("QUAKE_REQUIRE_JAX_FFI"):
    import jax
else:
    jax = pytest.importorskip("jax")

import jax.numpy as jnp  # noqa: E402

import quake  # noqa: E402
import quake.jax as qj  # noqa: E402
from quake import testing  # noqa: E402
from quake._optable import SPEC  # noqa: E402
from quake.jax import _backend, _ops  # noqa: E402

jax.config.update("jax_platforms", "cpu")


@pytest.fixture(autouse=True, scope="module")
def x64():
    """float64 needs JAX's x64 mode.  Set globally for this module (and
    restored): jax.enable_x64(...) is thread-local, and pure_callback runs
    its callbacks on another thread, where the inputs would be narrowed."""
    old = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", old)


def assert_bits_equal_up_to_flush(got, want):
    """Same bits as the ufunc, except that XLA runs with denormals flushed to
    zero (FTZ/DAZ, for its own ops and for custom calls and callbacks alike):
    where the ufunc's result is subnormal, JAX's may be a zero."""
    assert got.dtype == want.dtype and got.shape == want.shape
    u = f"u{got.itemsize}"
    diff = got.view(u) != want.view(u)
    if want.dtype == np.float16:  # computed in float32: half subnormals are normal there
        np.testing.assert_array_equal(got.view(u), want.view(u))
        return
    tiny = np.finfo(want.dtype).tiny
    sub = (want != 0) & (np.abs(want) < tiny)
    if want.dtype.name == "bfloat16":  # a float32 subnormal may round up to +-tiny
        sub = (want != 0) & (np.abs(want) <= tiny)
    assert not (diff & ~sub).any(), (got[diff & ~sub][:5], want[diff & ~sub][:5])
    assert np.all(got[diff] == 0)

UNARY = quake.OPS
ROWS = quake.ROW_OPS

BACKENDS = {"active": None, "callback": _backend.CallbackBackend()}
_NS = {}


def ns(tier, backend="active"):
    """quake.jax's namespace of a tier on the active backend, or the same
    ops built on the host-callback backend (to test both in one process)."""
    if backend == "active":
        return qj.tier(tier)
    if (tier, backend) not in _NS:
        _NS[tier, backend] = _ops.build(tier, BACKENDS[backend])
    return _NS[tier, backend]


@pytest.fixture(params=["active", "callback"])
def backend(request):
    return request.param


def test_backend_report():
    b = qj.backend()
    assert b["name"] in ("ffi", "callback") and b["detail"]
    if os.environ.get("QUAKE_REQUIRE_JAX_FFI"):
        assert b["name"] == "ffi", b["detail"]
    import io

    buf = io.StringIO()
    quake.show_config(file=buf)
    assert f"JAX: quake.jax runs on {b['name']}" in buf.getvalue()


def special_and_dense(dtype, lo, hi):
    fi = np.finfo(dtype)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, fi.tiny, -fi.tiny,
                      fi.smallest_subnormal, -fi.smallest_subnormal, fi.max, -fi.max,
                      np.log(fi.max), np.log(fi.tiny), np.log(fi.smallest_subnormal)],
                     dtype=dtype)
    return np.concatenate([edges, testing.dense_floats(dtype, lo, hi, count=20000,
                                                       n_random=2000)])


DOMAIN = {np.float16: (-20.0, 20.0), np.float32: (-110.0, 100.0), np.float64: (-750.0, 720.0)}


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64])
def test_unary_bits_equal_ufunc(op, tier, dt, backend):
    x = special_and_dense(dt, *DOMAIN[dt])
    got = np.asarray(jax.jit(getattr(ns(tier, backend), op))(x))
    with np.errstate(all="ignore"):
        want = getattr(getattr(quake, tier), op)(x)
    assert_bits_equal_up_to_flush(got, want)


@pytest.mark.parametrize("op", ROWS)
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64])
def test_rows_bits_equal_ufunc(op, tier, dt, backend):
    f = jax.jit(getattr(ns(tier, backend), op))
    uf = getattr(getattr(quake, tier), op)
    for x in testing.row_samples(dt)[::3]:
        got = np.asarray(f(x))
        with np.errstate(all="ignore"):
            want = uf(x)
        assert_bits_equal_up_to_flush(got, want)


@pytest.mark.parametrize("op", UNARY + ROWS)
def test_accuracy_through_jax_within_bound(op, tier):
    """The JAX path itself meets quake.accuracy.BOUNDS (float32), on inputs
    whose results and intermediates stay clear of the subnormal range that
    XLA flushes to zero (the bits test above covers the rest)."""
    f = jax.jit(getattr(qj.tier(tier), op))
    b = quake.accuracy.bound(op, tier, np.float32)
    if op in ROWS:
        rows = [x for x in testing.row_samples(np.float32)
                if np.ptp(x, axis=-1).max() < 60]
        assert len(rows) > 10
        for x in rows:
            err, _ = testing.max_error(op, tier, x, y=np.asarray(f(x)))
            assert err <= b.value, (op, tier, err)
    else:
        lo = -9.0 if op.startswith("gelu") else -60.0  # gelu(-9) ~ 1e-18
        x = testing.dense_floats(np.float32, lo, 60.0, count=100000)
        x = x[(x == 0) | (np.abs(x) > 1e-30)]
        err, worst = testing.max_error(op, tier, x, y=np.asarray(f(x)))
        assert err <= b.value, (op, tier, err, worst)


@pytest.mark.parametrize("op", UNARY)
def test_vmap_and_jit_of_vmap(op, backend):
    f = getattr(ns("q2", backend), op)
    x = np.random.default_rng(0).standard_normal((6, 33)).astype(np.float32) * 5
    want = np.asarray(f(x))
    np.testing.assert_array_equal(np.asarray(jax.vmap(f)(x)), want)
    np.testing.assert_array_equal(np.asarray(jax.jit(jax.vmap(f, in_axes=1, out_axes=1))(x)),
                                  want)


@pytest.mark.parametrize("op", ROWS)
def test_rows_vmap_and_axes(op, backend):
    f = getattr(ns("q2", backend), op)
    uf = getattr(quake.q2, op)
    x = np.random.default_rng(1).standard_normal((4, 5, 6)).astype(np.float32) * 3
    for axis in (-1, 0, 1, 2):
        np.testing.assert_array_equal(np.asarray(jax.jit(f, static_argnums=1)(x, axis)),
                                      uf(x, axis=axis))
    # vmap over the leading axis: row ops on the remaining last axis
    np.testing.assert_array_equal(np.asarray(jax.vmap(f)(x)), uf(x))
    # vmapped over axis 2, reducing the last remaining axis (x's axis 1)
    got = jax.vmap(f, in_axes=2, out_axes=-1)(x)
    want = uf(x, axis=1)
    want = want if op == "logsumexp" else want
    np.testing.assert_array_equal(np.asarray(got), want)
    # several axes: flattened into one row, as jax.nn does
    ref = getattr(jax.nn, op)(x, axis=(0, 2))
    got = f(x, axis=(0, 2))
    assert got.shape == ref.shape
    np.testing.assert_allclose(np.asarray(got), np.asarray(ref), rtol=0.01, atol=0.01)
    ref_all = getattr(jax.nn, op)(x, axis=None)
    np.testing.assert_allclose(np.asarray(f(x, axis=None)), np.asarray(ref_all), rtol=0.01,
                               atol=0.01)


def test_logsumexp_keepdims():
    x = np.random.default_rng(2).standard_normal((3, 4, 5)).astype(np.float32)
    for axis in (1, (0, 2), None):
        got = qj.logsumexp(x, axis=axis, keepdims=True)
        assert got.shape == jax.nn.logsumexp(x, axis=axis, keepdims=True).shape


# ---------------------------------------------------------------- derivatives
def exact_derivative(op, x):
    """d op / dx from JAX's own (exact-formula) functions, float64."""
    return np.asarray(jax.vmap(jax.grad(SPEC[op].peers["jax"].resolve()))(x))


# derivative error allowed per tier: relative for exp, and for the
# activations against max(|f'|, 1) (absolute near the derivative's zeros and
# flat tails, where the rules' products of approximate values cancel)
DERIV_RTOL = {"q1": 0.1, "q2": 0.01, "precise": 1e-13}


@pytest.mark.parametrize("op", UNARY)
def test_grad_matches_exact_derivative(op, tier, backend):
    x = np.linspace(-8, 8, 1601)
    if op == "exp":
        x = np.linspace(-30, 30, 1601)
    g = np.asarray(jax.jit(jax.vmap(jax.grad(getattr(ns(tier, backend), op))))(x))
    d = exact_derivative(op, x)
    scale = np.abs(d) if op == "exp" else np.maximum(np.abs(d), 1)
    err = np.max(np.abs(g - d) / scale)
    assert err <= DERIV_RTOL[tier], (op, tier, err)


# precise-tier derivative tolerance per dtype (q1/q2: DERIV_RTOL)
PRECISE_DERIV_RTOL = {np.float16: 1e-2, np.float32: 1e-5, np.float64: 1e-13}


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("dt", [np.float16, np.float32, np.float64])
def test_grad_near_zero_and_tails_every_dtype(op, tier, dt):
    """Tiny |x| (subnormal results, flushed by XLA), both tails and the
    derivative's zeros, in every dtype."""
    mag = np.logspace(-300, 1.5, 2000)
    x = np.concatenate([mag, -mag, np.linspace(-12, 12, 4001)]).astype(dt)
    x = x[np.isfinite(x)]
    if op == "exp":  # results within the normal range (q1/q2 give +0 below it)
        x = x[np.abs(x) < {np.float16: 9.5, np.float32: 80, np.float64: 700}[dt]]
    g = np.asarray(jax.jit(jax.vmap(jax.grad(getattr(qj.tier(tier), op))))(x))
    assert g.dtype == dt and not np.isnan(g).any()
    d = exact_derivative(op, x.astype(np.float64))
    scale = np.abs(d) if op == "exp" else np.maximum(np.abs(d), 1)
    tol = PRECISE_DERIV_RTOL[dt] if tier == "precise" else DERIV_RTOL[tier] * (
        2 if dt == np.float16 else 1)
    err = np.abs(g.astype(np.float64) - d) / scale
    assert err.max() <= tol, (op, tier, dt, err.max(), x[np.argmax(err)])


@pytest.mark.parametrize("op", ROWS)
def test_row_grads_match_jax_nn(op, tier, backend):
    x = np.random.default_rng(3).standard_normal((7, 19)) * 3
    ct = np.random.default_rng(4).standard_normal(x.shape[:-1] if op == "logsumexp"
                                                    else x.shape)
    f = getattr(ns(tier, backend), op)
    ref = SPEC[op].peers["jax"].resolve()  # jax.nn's, over the last axis
    g = jax.grad(lambda a: jnp.sum(f(a) * ct))(x)
    gr = jax.grad(lambda a: jnp.sum(ref(a) * ct))(x)
    # forward mode too
    t = np.ones_like(x)
    _, jt = jax.jvp(f, (x,), (t,))
    _, jr = jax.jvp(ref, (x,), (t,))
    tol = DERIV_RTOL[tier] * (1 if tier != "precise" else 1e3)
    np.testing.assert_allclose(np.asarray(g), np.asarray(gr), rtol=tol, atol=tol)
    np.testing.assert_allclose(np.asarray(jt), np.asarray(jr), rtol=tol, atol=tol)


@pytest.mark.parametrize("op", UNARY + ROWS)
def test_precise_grads_check_numerically(op):
    """Finite differences agree with the custom rules to second order, both
    modes (the precise tier is accurate enough for that in float64)."""
    from jax.test_util import check_grads

    x = np.random.default_rng(5).standard_normal((3, 8))
    check_grads(getattr(qj.precise, op), (x,), order=2, modes=("fwd", "rev"))


def test_logsumexp_grad_of_all_minus_inf_row_is_zero():
    x = np.array([[-np.inf, -np.inf], [0.0, 1.0]], np.float32)
    g = np.asarray(jax.grad(lambda a: jnp.sum(qj.logsumexp(a)))(x))
    assert np.all(np.isfinite(g)) and np.all(g[0] == 0)


# ---------------------------------------------------------------- dtypes and errors
def _bf16_or_skip():
    if quake._registry.BFLOAT16 is None:
        pytest.skip("quake has no bfloat16 loops (ml_dtypes not importable)")


@pytest.mark.parametrize("op", quake.OPS)
def test_bfloat16_native_bits_equal_ufunc(op, backend):
    """bfloat16 goes through the bfloat16 kernels (no float32 round trip):
    the bits of the NumPy bfloat16 ufunc, NaN payloads included (up to XLA's
    denormal flush), on both backends, jitted and under vmap."""
    _bf16_or_skip()
    allb = np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(jnp.bfloat16)
    for tier in quake.TIERS:
        f = getattr(ns(tier, backend), op)
        with np.errstate(all="ignore"):
            want = getattr(getattr(quake, tier), op)(allb)
        got = np.asarray(jax.jit(f)(jnp.asarray(allb)))
        assert got.dtype == jnp.bfloat16
        assert_bits_equal_up_to_flush(got, want)
        got = np.asarray(jax.jit(jax.vmap(f))(jnp.asarray(allb).reshape(256, 256)))
        assert_bits_equal_up_to_flush(got.reshape(-1), want)


@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_bfloat16_rows_native(op, backend):
    _bf16_or_skip()
    x = (np.random.default_rng(6).standard_normal((4, 10, 100)) * 4).astype(jnp.bfloat16)
    for tier in quake.TIERS:
        f = getattr(ns(tier, backend), op)
        want = getattr(getattr(quake, tier), op)(x)
        got = np.asarray(jax.jit(jax.vmap(f))(jnp.asarray(x)))
        assert got.dtype == jnp.bfloat16
        assert_bits_equal_up_to_flush(got, want)


@pytest.mark.parametrize("op", quake.OPS)
def test_bfloat16_grad(op, backend):
    """grad in bfloat16: the tangent rule evaluated in bfloat16, close to
    the exact derivative (bfloat16 has 8 significant bits)."""
    _bf16_or_skip()
    x = np.linspace(-4, 4, 41).astype(jnp.bfloat16)
    f = getattr(ns("precise", backend), op)
    g = jax.jit(jax.vmap(jax.grad(f)))(jnp.asarray(x))
    assert g.dtype == jnp.bfloat16
    want = np.asarray(jax.vmap(jax.grad(getattr(ns("precise", backend), op)))(
        jnp.asarray(x, jnp.float32)))
    np.testing.assert_allclose(np.asarray(g, np.float32), want, rtol=3e-2, atol=3e-2)


def test_bfloat16_ffi_has_no_float32_round_trip():
    """The lowered bfloat16 program holds no conversion to float32."""
    _bf16_or_skip()
    xb = jnp.ones(64, jnp.bfloat16)
    text = jax.jit(qj.q2.sigmoid).lower(xb).as_text()
    assert "f32" not in text, text


def test_integer_input_gives_default_float():
    y = qj.exp(jnp.arange(5))
    assert y.dtype == jnp.exp(jnp.arange(5)).dtype
    np.testing.assert_array_equal(np.asarray(y), quake.exp(np.arange(5, dtype=y.dtype)))


def test_empty_and_scalar_inputs():
    assert qj.exp(jnp.zeros((0, 3), jnp.float32)).shape == (0, 3)
    assert float(qj.exp(jnp.float32(0))) == 1.0
    assert qj.softmax(jnp.zeros((3, 0), jnp.float32)).shape == (3, 0)
    lse = np.asarray(qj.logsumexp(jnp.zeros((3, 0), jnp.float32)))
    np.testing.assert_array_equal(lse, quake.logsumexp(np.zeros((3, 0), np.float32)))


def test_bad_input_errors():
    with pytest.raises(TypeError, match="complex"):
        qj.exp(jnp.ones(3, jnp.complex64))
    with pytest.raises(ValueError, match="out of bounds"):
        qj.softmax(jnp.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="repeated axis"):
        qj.softmax(jnp.ones((2, 3)), axis=(1, -1))
    with pytest.raises(ValueError, match="at least one axis"):
        qj.logsumexp(jnp.float32(1))
    with pytest.raises(ValueError, match="unknown quake tier"):
        qj.tier("q3")


def test_follows_the_active_target():
    """The FFI handlers read quake's active target on every call, like the ufuncs."""
    x = np.linspace(-50, 50, 999, dtype=np.float32)
    f = jax.jit(qj.q1.exp)
    for t in [t["name"] for t in quake.targets() if t["supported"]]:
        with quake.use_target(t):
            np.testing.assert_array_equal(np.asarray(f(x)), quake.q1.exp(x))


def test_callback_backend_selected_by_environment():
    code = ("import quake.jax as qj, numpy as np, quake; b = qj.backend(); "
            "x = np.linspace(-5, 5, 11, dtype=np.float32); "
            "assert np.array_equal(np.asarray(qj.q2.exp(x)), quake.q2.exp(x)); print(b['name'])")
    env = dict(os.environ, QUAKE_JAX_BACKEND="callback", JAX_PLATFORMS="cpu")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "callback"


@pytest.mark.parametrize("backend_env", ["callback", ""])
def test_one_cpu_does_not_deadlock(backend_env):
    """Issue 18: on a one-CPU affinity, pure_callback's callback waited in
    np.asarray for a device_put that only the busy XLA thread could finish.
    The child pins itself to one CPU before JAX starts its thread pool."""
    code = ("import os; os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]}); "
            "import numpy as np, jax, quake.jax as qj; "
            "jax.config.update('jax_enable_x64', True); "
            "x = np.linspace(-700, 700, 22016); f = jax.jit(qj.q2.silu); "
            "r = [np.asarray(f(x)) for _ in range(200)]; "
            "g = np.asarray(jax.jit(qj.q2.logsumexp)(x.reshape(172, 128))); "
            "print(qj.backend()['name'], len(r), g.shape)")
    env = dict(os.environ, QUAKE_JAX_BACKEND=backend_env, JAX_PLATFORMS="cpu")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1:] == ["200", "(172,)"]


def test_threads_call_concurrently():
    """XLA may run custom calls from several threads at once."""
    from concurrent.futures import ThreadPoolExecutor

    xs = [np.random.default_rng(i).standard_normal((64, 257)).astype(np.float32) * 9
          for i in range(8)]
    f = jax.jit(qj.q2.softmax)
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda a: np.asarray(f(a)), xs * 4))
    for a, g in zip(xs * 4, got):
        np.testing.assert_array_equal(g, quake.q2.softmax(a))


@pytest.mark.parametrize("op", UNARY + ROWS)
def test_docstrings_state_the_bounds(op, tier):
    f = getattr(qj.tier(tier), op)
    assert f.__qualname__ == f"{tier}.{op}"
    assert str(quake.accuracy.bound(op, tier, "float32")) in f.__doc__
    assert getattr(qj, op) is getattr(qj.tier(quake.DEFAULT_TIER), op)


def test_benchmark_command_runs(tmp_path):
    """python -m quake.jax: every op, tiny sizes (speed is reported, never asserted)."""
    out = tmp_path / "b.json"
    r = subprocess.run([sys.executable, "-m", "quake.jax", "--sizes", "1000", "--shapes", "4x8",
                        "--tiers", "q2", "--markdown", "--json", str(out)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    import json

    rows = json.loads(out.read_text())["rows"]
    assert [row["op"] for row in rows] == list(UNARY + ROWS)
    assert all(row["fwd_ns"]["q2"] > 0 and row["grad_ns"]["q2"] > 0 for row in rows)
    assert "| logsumexp | 4x8 |" in r.stdout


SPECIAL_ROWS = [[np.nan, 0, 1], [np.inf, 0, 1], [-np.inf, 0, 1], [np.inf, np.inf, 0],
                [-np.inf, np.inf, 0], [np.nan, -np.inf, 0], [3e38, 3e38, 1.0], [-3e38, 0, 3e38],
                [1e30, -1e30, 0.5]]


def _same_nan_and_close(got, want, rtol):
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    fin = ~np.isnan(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("op", ROWS)
@pytest.mark.parametrize("dt", [jnp.float32, jnp.float64])
def test_row_gradients_on_special_rows_follow_jax_nn(op, tier, dt):
    """Issue 18.4: NaN, +-inf and huge rows give jax.nn's gradients (NaN where
    it has NaN: grad(logsumexp)([nan, 0, 1]) was [0, 0, 0]); the one chosen
    difference, a row of only -inf (fully masked), has gradient 0, not NaN."""
    w = jnp.array([0.3, -0.7, 1.1], dt)
    ours, ref = getattr(qj.tier(tier), op), SPEC[op].peers["jax"].resolve()
    weight = (lambda y: y) if op == "logsumexp" else (lambda y: y * w)
    for row in SPECIAL_ROWS:
        x = jnp.array(row, dt)
        got = np.asarray(jax.grad(lambda a: jnp.sum(weight(ours(a))))(x))
        want = np.asarray(jax.grad(lambda a: jnp.sum(weight(ref(a))))(x))
        _same_nan_and_close(got, want, 1e-5 if tier == "precise" else 0.1)
    masked = jnp.full(3, -jnp.inf, dt)
    if op == "logsumexp":
        assert np.array_equal(np.asarray(jax.grad(ours)(masked)), np.zeros(3))


@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("dt", [jnp.float32, jnp.float64])
def test_elementwise_gradients_on_special_values_follow_jax_nn(op, tier, dt):
    big = 3e38 if dt == jnp.float32 else 1e300
    x = jnp.array([np.nan, np.inf, -np.inf, big, -big, 1e-30, -1e-30, 0.0, 100.0, -100.0], dt)
    got = np.asarray(jax.vmap(jax.grad(getattr(qj.tier(tier), op)))(x))
    want = exact_derivative(op, x)
    assert np.array_equal(np.isnan(got), np.isnan(want)), (got, want)
    if tier == "precise":
        fin = ~np.isnan(want)
        np.testing.assert_allclose(got[fin], want[fin], rtol=1e-4, atol=1e-30)


# ---------------------------------------------------------------- the FFI handlers' ABI
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_ffi_abi_declaration_matches_jaxlib_headers():
    """quake declares XLA's typed FFI C ABI itself (src/quake/jax/xla_ffi_abi.h);
    where jaxlib ships its own header, every declared field, size and enum value
    must agree with it (a C11 compile of tests/c/xla_ffi_layout.c)."""
    import shutil

    import jaxlib

    include = os.path.join(os.path.dirname(jaxlib.__file__), "include")
    header = os.path.join(ROOT, "src", "quake", "jax", "xla_ffi_abi.h")
    if not os.path.exists(os.path.join(include, "xla", "ffi", "api", "c_api.h")):
        pytest.skip("this jaxlib ships no FFI headers")
    if not os.path.exists(header):
        pytest.skip("no source tree (src/quake/jax) next to the tests")
    cc = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler")
    cmd = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", "-I", include,
           "-I", os.path.dirname(header), os.path.join(ROOT, "tests", "c", "xla_ffi_layout.c")]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def _ffi_or_skip():
    if qj.backend()["name"] != "ffi":
        pytest.skip(f"quake.jax runs on the callback here: {qj.backend()['detail']}")
    from quake import _jax_ffi

    return _jax_ffi


def test_ffi_api_version_reported():
    mod = _ffi_or_skip()
    major, minor = mod.api_version()
    lo, hi = mod.ffi_api_minors
    assert major == mod.ffi_api_major == 0 and lo <= minor <= hi
    assert f"FFI API {major}.{minor}" in qj.backend()["detail"]
    with pytest.raises(ValueError, match="outside"):
        mod.set_api_version(1, 0)
    with pytest.raises(ValueError, match="outside"):
        mod.set_api_version(0, hi + 1)
    assert mod.api_version() == (major, minor)


def test_ffi_handlers_reject_bad_calls():
    """The typed-FFI contract of the handlers: float16/bfloat16/32/64 buffers of one
    dtype, a known op id; anything else is an error from XLA, not a crash."""
    _ffi_or_skip()
    x = np.arange(6, dtype=np.int32).reshape(2, 3)
    for target in ("quake_unary", "quake_rows"):
        call = jax.ffi.ffi_call(target, jax.ShapeDtypeStruct(x.shape, x.dtype))
        with pytest.raises(Exception, match="only float16, bfloat16, float32 and float64"):
            np.asarray(jax.jit(lambda a: call(a, op=np.int32(0)))(x))
        f = x.astype(np.float32)
        call = jax.ffi.ffi_call(target, jax.ShapeDtypeStruct(f.shape, f.dtype))
        with pytest.raises(Exception, match="unknown .*op id 9999"):
            np.asarray(jax.jit(lambda a: call(a, op=np.int32(9999)))(f))
        with pytest.raises(Exception, match="attribute 'op'"):
            np.asarray(jax.jit(lambda a: call(a, op=np.float32(1)))(f))
        wrong = jax.ffi.ffi_call(target, jax.ShapeDtypeStruct(f.shape, np.float64))
        with pytest.raises(Exception, match="result dtype"):
            np.asarray(jax.jit(lambda a: wrong(a, op=np.int32(0)))(f))


class _FakeModule:
    """A handler module whose registration XLA accepts only at `accepted`."""

    ffi_api_major = 0
    ffi_api_minors = (1, 3)

    def __init__(self, accepted):
        self.accepted, self.reported, self.tried = accepted, None, []

    def set_api_version(self, major, minor):
        self.reported = (major, minor)

    def handlers(self):
        return {"quake_fake": object()}


def test_registration_negotiates_the_api_version(monkeypatch):
    """An older jaxlib accepts only its own FFI API version, a newer one a range
    up to its own: _register takes the newest minor version this jaxlib accepts,
    and raises (-> the callback backend) when it accepts none."""
    def fake_register(name, capsule, platform):
        mod.tried.append(mod.reported)
        if mod.reported not in mod.accepted:
            raise RuntimeError(f"handler's API version {mod.reported} is incompatible")

    monkeypatch.setattr(jax.ffi, "register_ffi_target", fake_register)
    mod = _FakeModule(accepted={(0, 1)})
    assert _backend._register(mod) == (0, 1) and mod.tried == [(0, 3), (0, 2), (0, 1)]
    mod = _FakeModule(accepted={(0, 1), (0, 2), (0, 3)})
    assert _backend._register(mod) == (0, 3) and mod.tried == [(0, 3)]
    mod = _FakeModule(accepted=set())
    with pytest.raises(RuntimeError, match="accepts none"):
        _backend._register(mod)


def test_unusable_handlers_fall_back_to_the_callback(monkeypatch):
    def refuse(name, capsule, platform):
        raise RuntimeError("incompatible FFI API version (test)")

    monkeypatch.setattr(jax.ffi, "register_ffi_target", refuse)
    monkeypatch.setattr(_backend.FfiBackend, "_api_version", None)
    monkeypatch.delenv(_backend.ENV_VAR, raising=False)
    backend, reason = _backend.select()
    assert backend.name == "callback"
    assert "did not work with jaxlib" in reason and "accepts none" in reason
