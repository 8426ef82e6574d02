"""``python -m quake`` (the report), reduced to one dtype, tiny sizes and
short timings: every op and tier is printed with its measured error, marked
ok against its stated bound, and the config/bench commands still run.
Speed is printed, never asserted."""
import sys

import pytest

import quake
from quake.__main__ import main
from quake.accuracy import Bound

QUICK = ["--dtypes", "float32", "--sizes", "1000", "--row-shape", "8", "128", "--budget", "0.001"]


def _tier_rows(text):
    """{(op, tier): mark} of every tier row of the report's tables."""
    rows, op = {}, None
    for line in text.splitlines():
        if line.startswith("exp, "):
            op = "exp"
        words = line.split()
        if not line.startswith("  ") or not words:
            continue
        if words[0] in quake.OPS + quake.ROW_OPS:
            op = words.pop(0)
        if words and words[0] in quake.TIERS:
            rows[op, words[0]] = "FAIL" if "FAIL" in words else "ok" if "ok" in words else ""
    return rows


def test_report_measures_every_op_and_tier_within_its_bound(capsys):
    assert main(QUICK) == 0
    text = capsys.readouterr().out
    rows = _tier_rows(text)
    assert set(rows) == {(op, t) for op in quake.OPS + quake.ROW_OPS for t in quake.TIERS}
    assert set(rows.values()) == {"ok"}
    n = len(rows)
    assert f"accuracy: all {n} measured errors" in text
    for name in ("np.exp", "scipy.special.expit", "numpy+scipy erf formula", "scipy.special.softmax"):
        assert name in text  # the baselines


def test_report_marks_an_error_above_its_bound_and_fails(capsys, monkeypatch):
    monkeypatch.setitem(quake.accuracy.BOUNDS, ("exp", "q2", "float32"), Bound("rel", 1e-4))
    assert main(QUICK) == 1
    text = capsys.readouterr().out
    rows = _tier_rows(text)
    assert rows["exp", "q2"] == "FAIL" and rows["exp", "q1"] == "ok"
    assert "FAIL: 1 of 27 measured errors exceed their stated bound: q2.exp float32" in text


def test_report_without_scipy_uses_numpy_baselines(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy", None)  # import scipy -> ImportError
    monkeypatch.setitem(sys.modules, "scipy.special", None)
    assert main(QUICK) == 0
    text = capsys.readouterr().out
    rows = _tier_rows(text)
    assert {t for (op, t), mark in rows.items() if op == "gelu" and mark == ""} == set(quake.TIERS)
    assert "not measured here (no reference): 3 op x tier x dtype" in text  # gelu's reference
    assert "numpy 1/(1+exp(-x))" in text and "numpy softmax formula" in text


def test_config_and_bench_commands(capsys):
    assert main(["config"]) == 0
    assert "active target" in capsys.readouterr().out
    assert main(["bench", "--ops", "sigmoid", "--sizes", "1000", "--no-peers", "--budget", "0.001"]) == 0
    text = capsys.readouterr().out
    assert "scipy.special.expit" in text and "quake.q2" in text
    assert main(["bench", "--ops", "logsumexp", "--row-shapes", "8x16", "2x3x5", "--no-peers",
                 "--budget", "0.001"]) == 0
    text = capsys.readouterr().out
    assert "logsumexp  float32  8x16" in text and "logsumexp  float32  2x3x5" in text


@pytest.mark.parametrize("cmd", [[], ["report"]])
def test_help_lists_the_options(cmd, capsys):
    with pytest.raises(SystemExit):
        main(cmd + ["--help"])
    assert "--row-shape" in capsys.readouterr().out
