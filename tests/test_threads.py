"""The worker pool (issue 13): bit-identical results for every thread count,
FP status raised in the calling thread, controls (set_num_threads, num_threads,
QUAKE_NUM_THREADS / OMP_NUM_THREADS, threadpoolctl, Dask workers), concurrent
callers, fork / spawn / forkserver children, shutdown and small caller stacks."""
import ctypes
import ctypes.util
import hashlib
import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import quake
from quake import _threads, _ufuncs
from quake.testing import row_samples, sample

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREADS = (1, 2, 3, 4)
DTYPES = (np.float16, np.float32, np.float64)


@pytest.fixture
def small_grain():
    """Grains of a few elements, so that test-sized arrays split in many parts
    (tails, odd boundaries); restored afterwards."""
    old = {f: _ufuncs.set_grain(f, 7) for f in _ufuncs.GRAIN_FAMILIES}
    prev = quake.get_num_threads()
    try:
        yield
    finally:
        for f, g in old.items():
            _ufuncs.set_grain(f, g)
        quake.set_num_threads(prev)


def _bits(a):
    a = np.asarray(a)
    return a.view(np.dtype(f"u{a.dtype.itemsize}"))


def _run(child_src, env=None, timeout=120):
    # the quake under test (an in-place build or the installed package), not the
    # source tree, which has no compiled extension when quake is installed
    where = os.path.dirname(os.path.dirname(os.path.abspath(quake.__file__)))
    e = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [where, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]))
    for k, v in (env or {}).items():  # None: unset
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    return subprocess.run([sys.executable, "-c", textwrap.dedent(child_src)], env=e,
                          capture_output=True, text=True, timeout=timeout)


# ---- bits ----

def _layouts(x):
    """(input, output-or-None) pairs: contiguous, in place, strided, reversed,
    misaligned-by-an-element output."""
    yield x, None
    yield x.copy(), "inplace"
    yield x[::3], None
    yield x[::-1], None
    buf = np.empty(x.size + 1, x.dtype)
    yield x, buf[1:]


@pytest.mark.parametrize("op", quake.OPS)
def test_elementwise_bits_every_thread_count(op, tier, small_grain):
    uf = getattr(getattr(quake, tier), op)
    for dt in DTYPES:
        x = sample(op, dt)[:20011]
        for inp, out in _layouts(x):
            results = []
            for t in THREADS:
                quake.set_num_threads(t)
                with np.errstate(all="ignore"):
                    if isinstance(out, str):
                        y = inp.copy()
                        uf(y, out=y)
                    elif out is not None:
                        y = uf(inp, out=out).copy()
                    else:
                        y = uf(inp)
                results.append(_bits(y))
            for t, r in zip(THREADS[1:], results[1:]):
                assert np.array_equal(r, results[0]), (op, tier, dt, t)
    assert _ufuncs.pool_started() >= 3


@pytest.mark.parametrize("op", quake.ROW_OPS)
def test_rows_bits_every_thread_count(op, tier, small_grain):
    uf = getattr(getattr(quake, tier), op)
    for dt in DTYPES:
        batches = [b.astype(dt) for b in row_samples(dt)[::3]]
        batches.append(np.random.default_rng(1).standard_normal((40, 3000)).astype(dt))
        for x in batches:
            for axis, arr in ((-1, x), (0, np.ascontiguousarray(x.T)), (-1, x[::2, ::-1])):
                results = []
                for t in THREADS:
                    quake.set_num_threads(t)
                    with np.errstate(all="ignore"):
                        results.append(_bits(uf(arr, axis=axis)))
                for t, r in zip(THREADS[1:], results[1:]):
                    assert np.array_equal(r, results[0]), (op, tier, dt, x.shape, axis, t)


def test_default_grain_bits_and_pool_use():
    """At the shipped grains: large calls split (workers start), same bits."""
    x = np.random.default_rng(3).standard_normal(300_001).astype(np.float32) * 5
    rows = np.random.default_rng(4).standard_normal((2049, 64)).astype(np.float32)
    prev = quake.get_num_threads()
    try:
        quake.set_num_threads(1)
        ref = [quake.q2.gelu(x), quake.exp(x), quake.softmax(rows), quake.logsumexp(rows.T, axis=0)]
        for t in (2, 3, 4):
            quake.set_num_threads(t)
            got = [quake.q2.gelu(x), quake.exp(x), quake.softmax(rows),
                   quake.logsumexp(rows.T, axis=0)]
            assert all(np.array_equal(_bits(a), _bits(b)) for a, b in zip(ref, got)), t
        assert _ufuncs.pool_started() >= 3
    finally:
        quake.set_num_threads(prev)


def test_below_grain_no_worker_starts():
    r = _run("""
        import numpy as np, quake
        from quake import _ufuncs
        quake.set_num_threads(4)
        g = _ufuncs.grains()
        x = np.ones(2 * g["precise"] - 1, np.float32)
        quake.exp(x); quake.q2.exp(np.ones(2 * g["cheap"] - 1, np.float32))
        quake.softmax(np.ones((2 * g["rows"] // 64 - 1, 64), np.float32))
        quake.softmax(np.ones((1, 10**6), np.float32))  # one row: never split
        print(_ufuncs.pool_started())
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "0"


def test_targets_under_threads(small_grain):
    x = sample("gelu", np.float32)[:50001]
    quake.set_num_threads(3)
    outs = []
    for t in [t["name"] for t in quake.targets() if t["supported"]]:
        with quake.use_target(t), np.errstate(all="ignore"):
            outs.append(_bits(quake.gelu(x)))
    assert all(np.array_equal(o, outs[0]) for o in outs)


def test_rounding_mode_reaches_workers(small_grain):
    """Workers adopt the caller's FP environment: under a non-default rounding
    mode the split call equals the single-threaded one."""
    libm = ctypes.CDLL(ctypes.util.find_library("m"))
    FE_UPWARD = 0x400000 if quake.cpu_features().get("neon") else 0x800
    x = np.linspace(-100, 100, 40_001).astype(np.float32)
    old = libm.fegetround()
    try:
        assert libm.fesetround(FE_UPWARD) == 0
        outs = []
        for t in (1, 4):
            quake.set_num_threads(t)
            with np.errstate(all="ignore"):
                outs.append(_bits(quake.gelu(x)))
    finally:
        libm.fesetround(old)
    assert np.array_equal(outs[0], outs[1])


# ---- FP status ----

@pytest.mark.parametrize("t", THREADS)
def test_errstate_from_worker_parts(t, small_grain):
    quake.set_num_threads(t)
    x = np.zeros(100_000, np.float32)
    over, under = x.copy(), x.copy()
    over[-1] = 100.0    # e^100 overflows float32: in the last part (a worker's)
    under[-1] = -100.0  # e^-100 is a float32 denormal: underflow
    with np.errstate(over="raise"):
        with pytest.raises(FloatingPointError):
            quake.exp(over)
    with np.errstate(under="raise"):
        with pytest.raises(FloatingPointError):
            quake.exp(under)
    with np.errstate(all="ignore"):
        quake.exp(over)
    with np.errstate(over="warn"), pytest.warns(RuntimeWarning, match="overflow"):
        quake.q2.exp(over)
    # subnormal inputs: the kernels' arithmetic may set the underflow flag,
    # which must not reach NumPy (e^tiny is 1), in the caller's part or a worker's
    tiny = np.full(100_000, 1e-40, np.float32)
    with np.errstate(all="raise"):
        quake.exp(tiny)
        quake.softmax(tiny.reshape(1000, 100))
    # row ops: invalid from a special row in the last rows, never underflow
    rows = np.zeros((1000, 100), np.float32)
    rows[-1, 3] = np.float32("nan")
    rows[-2] = -np.float32(np.inf)  # only -inf: scipy gives nan
    with np.errstate(invalid="raise"):
        with pytest.raises(FloatingPointError):
            quake.softmax(rows)
    rows[-2] = -1e30
    rows[-1] = 0
    with np.errstate(under="raise"):
        quake.softmax(rows)


# ---- controls ----

def test_set_get_context_manager():
    prev = quake.get_num_threads()
    try:
        assert quake.set_num_threads(3) == prev
        assert quake.get_num_threads() == 3
        with quake.num_threads(1):
            assert quake.get_num_threads() == 1
            with quake.num_threads(2):
                assert quake.get_num_threads() == 2
            assert quake.get_num_threads() == 1
        assert quake.get_num_threads() == 3
        assert quake.set_num_threads(10**6) == 3
        assert quake.get_num_threads() == _ufuncs.POOL_MAX
        for bad, exc in ((0, ValueError), (-2, ValueError), (1.5, TypeError), ("2", TypeError),
                         (True, TypeError)):
            with pytest.raises(exc):
                quake.set_num_threads(bad)
        buf = __import__("io").StringIO()
        quake.set_num_threads(2)
        quake.show_config(file=buf)
        assert "threads per call: 2 (from set_num_threads())" in buf.getvalue()
    finally:
        quake.set_num_threads(prev)


CHILD_CONFIG = "import quake; from quake import _threads; print(quake.get_num_threads()); " \
               "print(_threads.origin())"


@pytest.mark.parametrize("env, expect, origin", [
    ({"QUAKE_NUM_THREADS": "3"}, 3, "QUAKE_NUM_THREADS=3"),
    ({"OMP_NUM_THREADS": "2"}, 2, "OMP_NUM_THREADS=2"),
    ({"OMP_NUM_THREADS": "5,2"}, 5, "OMP_NUM_THREADS=5,2"),
    ({"QUAKE_NUM_THREADS": "1", "OMP_NUM_THREADS": "4"}, 1, "QUAKE_NUM_THREADS=1"),
    ({"QUAKE_NUM_THREADS": "zero", "OMP_NUM_THREADS": "2"}, 2, "OMP_NUM_THREADS=2"),
])
def test_environment(env, expect, origin):
    base = {k: None for k in _threads.ENV_VARS}
    r = _run(CHILD_CONFIG, env={**base, **env})
    assert r.returncode == 0, r.stderr
    n, got_origin = r.stdout.split("\n")[:2]
    assert int(n) == expect and got_origin == origin
    assert ("ignored" in r.stderr) == ("zero" in env.values())


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no affinity API")
def test_default_is_affinity_not_cpu_count():
    cpu = min(os.sched_getaffinity(0))
    code = f"import os; os.sched_setaffinity(0, {{{cpu}}}); {CHILD_CONFIG}"
    r = _run(code, env={k: None for k in _threads.ENV_VARS})
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[0] == "1"
    assert "affinity" in r.stdout or "cgroup" in r.stdout


def test_cgroup_quota(tmp_path):
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cpu.max").write_text("max 100000\n")
    assert _threads._cgroup_quota(str(v2)) is None
    (v2 / "cpu.max").write_text("150000 100000\n")
    assert _threads._cgroup_quota(str(v2)) == 1.5
    v1 = tmp_path / "v1" / "cpu"
    v1.mkdir(parents=True)
    (v1 / "cpu.cfs_quota_us").write_text("-1\n")
    (v1 / "cpu.cfs_period_us").write_text("100000\n")
    assert _threads._cgroup_quota(str(tmp_path / "v1")) is None
    (v1 / "cpu.cfs_quota_us").write_text("300000\n")
    assert _threads._cgroup_quota(str(tmp_path / "v1")) == 3.0
    assert _threads._cgroup_quota(str(tmp_path / "none")) is None


@pytest.mark.parametrize("order", ["quake first", "threadpoolctl first"])
def test_threadpoolctl(order):
    pytest.importorskip("threadpoolctl")
    imports = "import quake; import threadpoolctl" if order == "quake first" else \
        "import threadpoolctl; import quake"
    r = _run(imports + """
import numpy as np
quake.set_num_threads(2)
info = [d for d in threadpoolctl.threadpool_info() if d["internal_api"] == "quake"]
assert len(info) == 1 and info[0]["user_api"] == "quake", info
assert info[0]["num_threads"] == 2 and info[0]["version"] == quake.__version__, info
assert "_ufuncs" in info[0]["filepath"]
with threadpoolctl.threadpool_limits(1):
    assert quake.get_num_threads() == 1
    import io; buf = io.StringIO(); quake.show_config(file=buf)
    assert "from threadpoolctl" in buf.getvalue()
with threadpoolctl.threadpool_limits(limits=3, user_api="quake"):
    assert quake.get_num_threads() == 3
assert quake.get_num_threads() == 2
print("ok")
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


def test_dask_worker_no_oversubscription():
    """distributed's nanny sets OMP_NUM_THREADS=1 in worker processes
    (distributed.nanny.pre-spawn-environ): quake follows it there."""
    pytest.importorskip("distributed")
    r = _run("""
        import numpy as np
        from distributed import Client, LocalCluster

        def probe():
            import os, quake
            x = np.linspace(-5, 5, 400_000).astype(np.float32)
            return quake.get_num_threads(), os.environ.get("OMP_NUM_THREADS"), quake.gelu(x).tobytes()

        if __name__ == "__main__":
            with LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                              dashboard_address=None) as cluster, Client(cluster) as client:
                n, omp, b = client.submit(probe).result()
            import quake
            x = np.linspace(-5, 5, 400_000).astype(np.float32)
            assert b == quake.gelu(x).tobytes()
            print(n, omp)
    """, env={k: None for k in _threads.ENV_VARS}, timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.split()[-2:] == ["1", "1"], r.stdout


@pytest.mark.parametrize("backend", ["ffi", "callback"])
def test_jax_ops_use_the_pool(backend):
    """quake.jax's custom calls (XLA FFI, or the host callback) reach the same
    loops through the C API, so jitted code splits above the grain too, with
    the single-thread bits (issue 13.4)."""
    pytest.importorskip("jax")
    r = _run("""
        import numpy as np, jax, quake, quake.jax as qj
        from quake import _ufuncs
        x = np.random.default_rng(5).standard_normal(300_001).astype(np.float32) * 4
        rows = np.random.default_rng(6).standard_normal((2049, 64)).astype(np.float32)
        f = jax.jit(lambda a, b: (qj.q2.gelu(a), qj.exp(a), qj.softmax(b), qj.logsumexp(b)))
        quake.set_num_threads(1)
        one = [np.asarray(v) for v in f(x, rows)]
        assert _ufuncs.pool_started() == 0
        quake.set_num_threads(2)
        two = [np.asarray(v) for v in f(x, rows)]
        assert all(a.tobytes() == b.tobytes() for a, b in zip(one, two))
        assert one[0].tobytes() == quake.q2.gelu(x).tobytes()
        print(qj.backend()["name"], _ufuncs.pool_started())
    """, env={**{k: None for k in _threads.ENV_VARS}, "QUAKE_JAX_BACKEND": backend},
        timeout=240)
    assert r.returncode == 0, r.stderr[-3000:]
    ran, started = r.stdout.split()[-2:]
    if ran != backend:
        pytest.skip(f"this build's quake.jax has no {backend} backend")
    assert int(started) >= 1, r.stdout


# ---- concurrency, fork, shutdown, stacks ----

def test_eight_concurrent_callers(small_grain):
    quake.set_num_threads(4)
    rng = np.random.default_rng(5)
    xs = [rng.standard_normal(200_003).astype(np.float32) * 4 for _ in range(8)]
    rows = rng.standard_normal((3000, 100)).astype(np.float32)
    with quake.num_threads(1):
        ref = [(quake.gelu(x), quake.q2.softmax(rows)) for x in xs]
    errors = []

    def work(i):
        try:
            for _ in range(20):
                a, b = quake.gelu(xs[i]), quake.q2.softmax(rows)
                if not (np.array_equal(a, ref[i][0]) and np.array_equal(b, ref[i][1])):
                    errors.append(i)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    ths = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in ths:
        th.start()
    for th in ths:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in ths), "deadlock"
    assert errors == []


def _digest():
    import quake as q

    q.set_num_threads(3)
    x = np.linspace(-9, 9, 500_001).astype(np.float32)
    return hashlib.sha256(q.gelu(x).tobytes() + q.softmax(x[:-1].reshape(500, 1000)).tobytes()
                          ).hexdigest()


def _expected_digest():
    with quake.num_threads(1):
        x = np.linspace(-9, 9, 500_001).astype(np.float32)
        return hashlib.sha256(quake.gelu(x).tobytes()
                              + quake.softmax(x[:-1].reshape(500, 1000)).tobytes()).hexdigest()


def _child(queue):
    queue.put(_digest())


# JAX (imported by other tests) warns on any fork; quake's pool is fork-safe
@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")
@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")
def test_os_fork_child_after_threaded_use():
    want = _expected_digest()
    assert _digest() == want and _ufuncs.pool_started() >= 1  # the parent's pool runs
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: the pool must start again, not wait on the parent's workers
        try:
            os.close(r)
            ok = _ufuncs.pool_started() == 0 and _digest() == want and _ufuncs.pool_started() >= 1
            os.write(w, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(w)
    import select

    ready, _, _ = select.select([r], [], [], 60)
    got = os.read(r, 1) if ready else b"timeout"
    os.close(r)
    if not ready:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    assert got == b"1"


@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")
@pytest.mark.parametrize("method", ["fork", "spawn", "forkserver"])
def test_multiprocessing_children(method):
    if method not in mp.get_all_start_methods():
        pytest.skip(f"{method} not available")
    want = _expected_digest()
    _digest()  # threaded use in the parent first
    ctx = mp.get_context(method)
    queue = ctx.Queue()
    p = ctx.Process(target=_child, args=(queue,))
    p.start()
    try:
        got = queue.get(timeout=120)
    finally:
        p.join(timeout=60)
        if p.is_alive():
            p.kill()
    assert got == want


def test_shutdown_with_calls_in_flight():
    r = _run("""
        import threading, numpy as np, quake
        quake.set_num_threads(2)
        x = np.random.default_rng(0).standard_normal(3_000_000).astype(np.float32)
        rows = x.reshape(-1, 100)
        def spin():
            while True:
                quake.gelu(x); quake.softmax(rows)
        for _ in range(4):
            threading.Thread(target=spin, daemon=True).start()
        quake.exp(x)
        print("exiting")
    """)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "exiting"


def test_small_caller_stacks(small_grain):
    quake.set_num_threads(4)
    x = np.random.default_rng(6).standard_normal(100_001).astype(np.float32)
    rows = np.random.default_rng(7).standard_normal((500, 300)).astype(np.float16)
    with quake.num_threads(1):
        ref = (quake.gelu(x[::2]), quake.log_softmax(rows, axis=0), quake.q1.exp(x))
    out = []
    old = threading.stack_size(256 * 1024)
    try:
        th = threading.Thread(target=lambda: out.append(
            (quake.gelu(x[::2]), quake.log_softmax(rows, axis=0), quake.q1.exp(x))))
        th.start()
        th.join(timeout=60)
    finally:
        threading.stack_size(old)
    assert out and all(np.array_equal(a, b) for a, b in zip(out[0], ref))


def test_bench_threads_cli(tmp_path, capsys):
    import json

    from quake._cli import main

    prev = quake.get_num_threads()
    path = tmp_path / "b.json"
    assert main(["bench", "--ops", "exp", "softmax", "--tiers", "q2", "--sizes", "70000",
                 "--row-shapes", "300x128", "--no-peers", "--threads", "1", "2",
                 "--budget", "0.01", "--json", str(path)]) == 0
    text = capsys.readouterr().out
    assert "scaling: time at 1 thread(s) / time at N threads" in text
    recs = json.loads(path.read_text())["records"]
    assert {(r["op"], r["threads"]) for r in recs} == {(o, t) for o in ("exp", "softmax")
                                                        for t in (1, 2)}
    assert quake.get_num_threads() == prev


def test_pool_in_c_under_thread_sanitizer(tmp_path):
    """tests/c/pool_check.c: the pool without Python, with ThreadSanitizer
    where the C compiler supports it (else AddressSanitizer, else plain)."""
    import shutil
    import sysconfig

    cc = os.environ.get("CC", "cc")
    if shutil.which(cc) is None:
        pytest.skip("no C compiler")
    incs = ["-Iinclude", "-Isrc/quake/_kern", "-I" + sysconfig.get_paths()["include"],
            "-I" + np.get_include()]
    srcs = ["src/quake/_kern/pool.c", "tests/c/pool_check.c"]
    exe = str(tmp_path / "pool_check")
    for san in (["-fsanitize=thread"], ["-fsanitize=address,undefined"], []):
        r = subprocess.run([cc, "-std=c11", "-O1", "-g", "-pthread", *san, *incs, *srcs, "-lm",
                            "-o", exe], cwd=ROOT, capture_output=True, text=True)
        if r.returncode == 0:
            run = subprocess.run([exe], capture_output=True, text=True, timeout=300,
                                 env=dict(os.environ, TSAN_OPTIONS="die_after_fork=0 halt_on_error=1"))
            # try the next variant only where the sanitizer's runtime cannot run here
            if "FATAL: ThreadSanitizer" not in run.stderr:
                break
    assert r.returncode == 0, r.stderr
    assert run.returncode == 0 and run.stdout.startswith("ok"), run.stdout + run.stderr
    assert "WARNING: ThreadSanitizer" not in run.stderr, run.stderr
