"""Runtime dispatch: target table, switching, the environment override, and
bit-identical results on every target."""
import io
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import quake

SUPPORTED = [t["name"] for t in quake.targets() if t["supported"]]


def test_target_table():
    ts = quake.targets()
    names = [t["name"] for t in ts]
    assert names[0] == "scalar" and ts[0]["supported"] and ts[0]["requires"] == []
    assert quake.active_target() in SUPPORTED
    # the best supported target is active by default (unless forced by env)
    if not os.environ.get("QUAKE_TARGET"):
        assert quake.active_target() == SUPPORTED[-1]
    feats = quake.cpu_features()
    if "avx2" in names:
        avx2 = ts[names.index("avx2")]
        assert avx2["supported"] == (feats["avx2"] and feats["fma"] and feats["f16c"])


def test_show_config_lists_targets_and_active():
    buf = io.StringIO()
    quake.show_config(file=buf)
    text = buf.getvalue()
    for t in quake.targets():
        assert t["name"] in text
    assert f"active target: {quake.active_target()}" in text
    assert "CPU features:" in text


def test_set_target_errors():
    with pytest.raises(ValueError, match="unknown quake target"):
        quake.set_target("sse9")
    unsupported = [t["name"] for t in quake.targets() if not t["supported"]]
    for name in unsupported:
        with pytest.raises(ValueError, match="not supported"):
            quake.set_target(name)


def test_use_target_restores():
    before = quake.active_target()
    with quake.use_target("scalar"):
        assert quake.active_target() == "scalar"
    assert quake.active_target() == before


@pytest.mark.skipif(len(SUPPORTED) < 2, reason="needs two supported targets")
def test_use_target_blocks_exited_out_of_order():
    """Issue 18.3: the innermost block still open wins; after the last exit the
    target from before the first block is back."""
    before = quake.active_target()
    outer, inner = quake.use_target("scalar"), quake.use_target(SUPPORTED[1])
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)
    assert quake.active_target() == SUPPORTED[1]
    inner.__exit__(None, None, None)
    assert quake.active_target() == before
    with quake.use_target("scalar"):
        quake.set_target(SUPPORTED[1])  # changes the block's target only
        assert quake.active_target() == SUPPORTED[1]
    assert quake.active_target() == before


def test_target_names_are_checked():
    """Issue 18.5: a non-str is a TypeError; an embedded NUL is not a prefix match."""
    with pytest.raises(TypeError, match="must be a str"):
        quake.set_target(None)
    with pytest.raises(TypeError, match="must be a str"):
        quake.use_target(b"scalar").__enter__()
    with pytest.raises(ValueError, match="unknown quake target"):
        quake.set_target("scalar\x00junk")


def _origin_line(env_target=None, code=""):
    env = dict(os.environ)
    env.pop("QUAKE_TARGET", None)
    if env_target is not None:
        env["QUAKE_TARGET"] = env_target
    code = "import quake; " + code + "quake.show_config()"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    return next(line for line in out.splitlines() if line.startswith("active target:"))


def test_show_config_says_where_the_target_came_from():
    """Issue 18.5: "forced by QUAKE_TARGET" only when it really was."""
    assert "(from the best this CPU supports)" in _origin_line()
    assert "(from QUAKE_TARGET=scalar)" in _origin_line("scalar")
    line = _origin_line("garbage")
    assert "QUAKE_TARGET='garbage' was ignored" in line and SUPPORTED[-1] in line
    assert "(from set_target())" in _origin_line("scalar", f"quake.set_target({SUPPORTED[-1]!r}); ")


def _bits(a):
    return a.view({2: np.uint16, 4: np.uint32, 8: np.uint64}[a.itemsize])


def _inputs(dtype):
    dtype = np.dtype(dtype)
    if dtype == np.float16:
        return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(np.float16)
    rng = np.random.default_rng(7)
    lim = 800.0 if dtype == np.float64 else 110.0
    special = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45,
                        np.finfo(dtype).max, -np.finfo(dtype).max, np.finfo(dtype).tiny], dtype)
    return np.concatenate([
        rng.uniform(-lim, lim, 300_001).astype(dtype),
        rng.uniform(-2, 2, 100_000).astype(dtype),
        special,
        # random bit patterns: every exponent, NaN payloads, denormals
        rng.integers(0, np.iinfo(_bits(special).dtype).max, 100_000, dtype=_bits(special).dtype,
                     endpoint=True).view(dtype),
    ])


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("tier", quake.TIERS)
@pytest.mark.parametrize("op", quake.OPS)
def test_all_targets_bit_identical(op, tier, dtype):
    if len(SUPPORTED) < 2:
        pytest.fail("only one target can run here: bit-identity cannot be checked")
    x = _inputs(dtype)
    f = getattr(getattr(quake, tier), op)
    results = {}
    for name in SUPPORTED:
        with quake.use_target(name), np.errstate(all="ignore"):
            results[name] = (f(x), f(x[::-1]), f(x[1::3]))
    ref = results["scalar"]
    for name, res in results.items():
        for a, b in zip(ref, res):
            mismatch = np.flatnonzero(_bits(a) != _bits(b))
            assert mismatch.size == 0, (
                f"{tier}.{op} {dtype}: {name} differs from scalar at x={x[mismatch[:5]]}")


def test_env_var_forces_target_in_subprocess():
    code = "import quake; print(quake.active_target())"
    env = dict(os.environ, QUAKE_TARGET="scalar")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "scalar"
    env["QUAKE_TARGET"] = "no-such-target"
    out = subprocess.run([sys.executable, "-W", "always", "-c", code], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == SUPPORTED[-1]
    assert "QUAKE_TARGET='no-such-target' ignored" in out.stderr


def test_switching_targets_while_other_threads_compute():
    """Target switches never expose a torn table: results stay bit-identical."""
    x = np.random.default_rng(5).uniform(-80, 80, 200_000).astype(np.float32)
    ref = quake.q2.exp(x)
    stop = threading.Event()
    bad = []

    def work():
        while not stop.is_set():
            if not np.array_equal(quake.q2.exp(x), ref):
                bad.append(1)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    before = quake.active_target()
    try:
        for i in range(300):
            quake.set_target(SUPPORTED[i % len(SUPPORTED)])
    finally:
        quake.set_target(before)
        stop.set()
        for t in threads:
            t.join()
    assert not bad


def test_show_config_says_how_the_extension_was_built():
    """Compiler, its version and the flags, recorded by setup.py at build time;
    quake's own optimisation level follows any user CFLAGS (unless QUAKE_OPT=user)."""
    info = quake._config.build_info()
    assert info["compiler"] and info["version"] and info["flags"]
    buf = io.StringIO()
    quake.show_config(file=buf)
    text = buf.getvalue()
    assert f"built with: {info['compiler']}" in text and f"build flags: {info['flags']}" in text
    flags = info["flags"].split()
    if not info["version"].startswith("MSVC") and "-ffp-contract=off" in flags:
        assert any(f.startswith("-O") for f in flags), flags
        own = flags.index("-ffp-contract=off")   # quake's own flags start here
        last = max(i for i, f in enumerate(flags) if f.startswith("-O"))
        assert last > own or os.environ.get("QUAKE_OPT") == "user", flags
