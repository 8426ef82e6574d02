"""The command-line entry points (issue 20.6): --version everywhere, help
without reST markup and with defaults, ``python -m quake``'s --ops, --json,
float16, its progress bar on a terminal, the labelled gelu baseline without
SciPy and the labelled NumPy tails.  Small sizes, short timings."""
import json
import os
import subprocess
import sys

import pytest

import quake
from quake.__main__ import main

QUICK = ["--sizes", "1000", "--row-shape", "8", "16", "--budget", "0.001"]
ENTRY = [["quake"], ["quake", "bench"], ["quake", "config"], ["quake", "report"], ["quake.jax"]]


def _run(*argv, **kw):
    return subprocess.run([sys.executable, "-m", *argv], capture_output=True, text=True,
                          timeout=300, **kw)


@pytest.mark.parametrize("entry", ENTRY, ids=" ".join)
def test_version_on_every_entry_point(entry):
    if entry[0] == "quake.jax":
        pytest.importorskip("jax")
    r = _run(*entry, "--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().startswith(f"quake {quake.__version__} (numpy ")


@pytest.mark.parametrize("entry", ENTRY, ids=" ".join)
def test_help_has_no_rest_markup(entry):
    if entry[0] == "quake.jax":
        pytest.importorskip("jax")
    r = _run(*entry, "--help")
    assert r.returncode == 0 and "usage:" in r.stdout
    assert "`" not in r.stdout


def test_jax_help_describes_every_option_with_its_default():
    pytest.importorskip("jax")
    text = _run("quake.jax", "--help").stdout
    options = text.split("options:")[1]
    entries = [e for e in options.split("\n  -")[1:]]
    assert len(entries) >= 9
    for e in entries:
        name = e.split()[0].lstrip("-")
        assert len(e.split()) > 2, f"--{name} has no description"
        if name in ("ops", "tiers", "sizes", "shapes", "threads", "json"):
            assert "default" in e, f"--{name} states no default"


def test_ops_dtypes_float16_and_json(tmp_path):
    path = tmp_path / "report.json"
    r = _run("quake", "--ops", "exp", "logsumexp", "--dtypes", "float16", *QUICK,
             "--json", str(path))
    assert r.returncode == 0, r.stderr
    assert "exp, float16" in r.stdout and "row ops, float16" in r.stdout
    assert "activations" not in r.stdout and "softmax " not in r.stdout
    data = json.loads(path.read_text())
    assert data["machine"]["quake"] == quake.__version__
    rows = data["rows"]
    assert {(r["op"], r["tier"]) for r in rows} == {
        (op, t) for op in ("exp", "logsumexp") for t in (None, *quake.TIERS)}
    assert {r["dtype"] for r in rows} == {"float16"}
    tiers = [r for r in rows if r["tier"]]
    assert all(r["ok"] is True and r["max_error"] is not None and r["bound"] for r in tiers)
    assert all(r["ns_per_element"] and r["speedup"] for r in rows)


def test_progress_bar_on_a_terminal():
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        r = subprocess.run([sys.executable, "-m", "quake", "--ops", "exp", "--dtypes", "float32",
                            *QUICK], stdout=subprocess.PIPE, stderr=slave, text=True, timeout=300)
        os.close(slave)
        err = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child's end is closed
                break
            if not chunk:
                break
            err += chunk
    finally:
        os.close(master)
    assert r.returncode == 0
    text = err.decode()
    assert "] 1/4 exp float32 numpy.exp" in text and "] 4/4 exp float32 precise" in text
    assert "\r" not in r.stdout  # the table itself stays clean


def test_no_progress_bar_in_a_pipe():
    r = _run("quake", "--ops", "exp", "--dtypes", "float32", *QUICK)
    assert r.returncode == 0 and "[#" not in r.stderr and "\r" not in r.stderr


def test_gelu_without_scipy_says_how_to_get_its_baseline(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy -> ImportError
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    assert main(["--ops", "gelu", "--dtypes", "float32", *QUICK]) == 0
    lines = capsys.readouterr().out.splitlines()
    gelu = [l for l in lines if l.startswith("  gelu ")]
    assert gelu and "NumPy has no erf; pip install scipy" in gelu[0]
    tiers = [l for l in lines if l.split()[:1] in (["q1"], ["q2"], ["precise"])]
    assert len(tiers) == 3 and all("needs scipy" in l for l in tiers)
    assert not any(" n/a " in l for l in lines)


def test_numpy_tails_flushed_to_zero_are_labelled(capsys):
    pytest.importorskip("scipy")
    assert main(["--ops", "sigmoid", "--dtypes", "float32", *QUICK]) == 0
    base = [l for l in capsys.readouterr().out.splitlines() if "scipy.special.expit" in l]
    assert len(base) == 1 and " ULP " in base[0]
    assert "tail flushed to 0 (x = -" in base[0]
