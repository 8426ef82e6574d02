"""Bad command-line values are argparse errors (exit status 2, a one-line
message after the usage), never a traceback: ``python -m quake`` (report),
``python -m quake bench`` and ``python -m quake.jax`` (issue 18, item 6)."""
import subprocess
import sys

import pytest

from quake._cli import jax_bench, main

SIZES = [  # every command's --sizes
    (["--sizes", "0"], "--sizes: must be at least 1, got 0"),
    (["--sizes", "-5"], "--sizes: must be at least 1, got -5"),
    (["--sizes", "ten"], "--sizes: not an integer: 'ten'"),
]
BUDGET = [
    (["--budget", "-1"], "--budget: must be a positive number of seconds, got -1"),
    (["--budget", "0"], "--budget: must be a positive number of seconds, got 0"),
    (["--budget", "nan"], "--budget: must be a positive number of seconds, got nan"),
]
BAD = SIZES + BUDGET + [(["--row-shape", "10", "0"], "--row-shape: must be at least 1, got 0")]
BAD_BENCH = SIZES + BUDGET + [
    (["--row-shapes", "10x0"], "--row-shapes: every dimension must be at least 1: '10x0'"),
    (["--row-shapes", "10by3"], "--row-shapes: not a shape like 4096x128: '10by3'"),
    (["--peers", "tensorflow"], "--peers: invalid choice: 'tensorflow'"),
]
BAD_JAX = SIZES + [
    (["--shapes", "10x0"], "--shapes: every dimension must be at least 1: '10x0'"),
    (["--threads", "-1"], "--threads: must be 0 or more, got -1"),
    (["--ops", "expm1"], "--ops: invalid choice: 'expm1'"),
]


def _usage_error(fn, argv, capsys):
    with pytest.raises(SystemExit) as exc:
        fn(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.strip().splitlines()[-1]


@pytest.mark.parametrize("cmd", [[], ["report"]])
@pytest.mark.parametrize("argv,message", BAD)
def test_report_rejects_bad_values(cmd, argv, message, capsys):
    assert message in _usage_error(main, cmd + argv, capsys)


@pytest.mark.parametrize("argv,message", BAD_BENCH)
def test_bench_rejects_bad_values(argv, message, capsys):
    assert message in _usage_error(main, ["bench"] + argv, capsys)


@pytest.mark.parametrize("argv,message", BAD_JAX)
def test_jax_bench_rejects_bad_values(argv, message, capsys):
    assert message in _usage_error(jax_bench.main, argv, capsys)


@pytest.mark.parametrize("module,argv", [("quake", ["--sizes", "0"]),
                                         ("quake", ["bench", "--budget", "-1"]),
                                         ("quake.jax", ["--sizes", "-5"])])
def test_command_line_prints_one_error_line(module, argv):
    if module == "quake.jax":
        pytest.importorskip("jax")
    r = subprocess.run([sys.executable, "-m", module, *argv], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert lines[0].startswith("usage:") and "Traceback" not in r.stderr
    assert lines[-1].startswith(f"python -m {module}") and ": error: argument " in lines[-1]
