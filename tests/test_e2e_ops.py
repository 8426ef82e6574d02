"""The end-to-end examples' op sets, timing and report (NumPy/SciPy and quake only;
the models themselves are in test_e2e_models.py)."""
import numpy as np
import pytest
from _e2e import require

import quake

require("scipy")

from examples.e2e import bench, report  # noqa: E402
from examples.e2e.ops import (OP_NAMES, NumpyOps, OpUnavailable, QuakeExpOps,  # noqa: E402
                              QuakeOps, available, op_sets)

RNG = np.random.default_rng(0)
X = (RNG.standard_normal((64, 128)) * 4).astype(np.float32)
X[0, :4] = [-100, 100, np.finfo(np.float32).min, 0]     # saturation and a masked score


def reference(op, x):
    from scipy import special

    x = x.astype(np.float64)
    if op == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return {"gelu": lambda: x / 2 * (1 + special.erf(x / np.sqrt(2))),
            "exp": lambda: np.exp(np.clip(x, -80, 80)), "tanh": lambda: np.tanh(x),
            "sigmoid": lambda: special.expit(x)}[op]()


def rel_err(got, ref, floor):
    return np.max(np.abs(got - ref) / np.maximum(np.abs(ref), floor))


@pytest.mark.parametrize("op", OP_NAMES)
def test_numpy_ops_are_exact_float32(op):
    x = np.clip(X, -80, 80) if op == "exp" else X
    got = getattr(NumpyOps(), op)(x.copy())
    assert got.dtype == np.float32
    assert rel_err(got, reference(op, x), 1e-30) < 1e-5 if op != "gelu" else \
        np.max(np.abs(got - reference(op, x))) < 1e-5


def test_numpy_ops_work_in_place():
    x = X.copy()
    assert NumpyOps().softmax(x) is x
    np.testing.assert_allclose(x.sum(axis=-1), 1, rtol=1e-6)


@pytest.mark.parametrize("tier", quake.TIERS)
@pytest.mark.parametrize("op", ["softmax", "sigmoid", "tanh", "exp"])
def test_exp_only_ops_follow_quake_exp_bound(tier, op):
    # A relative exp error |d| gives softmax <= 2d/(1-d) relative, sigmoid
    # <= d/(1-d) relative, tanh <= d/(2(1-d)) absolute; float32 rounding adds ~1e-6.
    d = quake.accuracy.bound("exp", tier, np.float32).value
    d = d if tier != "precise" else 2 ** -22
    x = np.clip(X, -80, 80) if op == "exp" else X
    ref = reference(op, x)
    with np.errstate(over="raise"):
        got = getattr(QuakeExpOps(tier), op)(x.copy())
    assert got.dtype == np.float32 and np.all(np.isfinite(got))
    if op == "tanh":
        assert np.max(np.abs(got - ref)) <= d / (2 * (1 - d)) + 2e-6
    else:
        k = {"softmax": 2, "sigmoid": 1, "exp": 1 - d}[op]
        assert rel_err(got, ref, 1e-30) <= k * d / (1 - d) + 2e-6


@pytest.mark.parametrize("tier", quake.TIERS)
@pytest.mark.parametrize("op", OP_NAMES)
def test_quake_ops_call_the_tier_ufunc_or_say_it_is_missing(tier, op):
    ops = QuakeOps(tier)
    ufunc = getattr(getattr(quake, tier), op, None)
    x = np.clip(X, -80, 80)
    if ufunc is None:
        assert not available(ops, [op])
        with pytest.raises(OpUnavailable, match=rf"quake\.{tier}\.{op} is not available"):
            getattr(ops, op)(x.copy())
        return
    assert available(ops, [op])
    want = ufunc(x, axis=-1) if op == "softmax" else ufunc(x)
    y = x.copy()
    got = getattr(ops, op)(y)
    assert got is y                                         # in place
    np.testing.assert_array_equal(got, want)


def test_quake_exp_is_available_in_every_tier():
    assert all(available(o, ["exp"]) for o in op_sets("fused")[1:])
    assert [o.name for o in op_sets("exp-only")] == \
        ["numpy"] + [f"quake.{t}.exp-only" for t in quake.TIERS]


def test_unknown_tier_is_rejected():
    with pytest.raises(ValueError, match="unknown quake tier"):
        QuakeOps("q3")


def test_candidates_mark_missing_ops_as_none():
    cands = bench.candidates(("exp",))
    assert cands[0]["label"] == "numpy/scipy" and isinstance(cands[0]["ops"], NumpyOps)
    assert [(c["kind"], c["tier"]) for c in cands[1:]] == \
        [(k, t) for k in ("fused", "exp-only") for t in quake.TIERS]
    assert all(c["ops"] is not None for c in cands)          # exp exists in every tier
    for c in bench.candidates(("softmax", "gelu")):
        present = all(hasattr(getattr(quake, c["tier"] or "precise"), op)
                      for op in ("softmax", "gelu"))
        if c["kind"] == "fused":
            assert (c["ops"] is not None) == present
        else:
            assert c["ops"] is not None                         # NumPy around quake.exp


def test_timed_ops_pass_results_through_and_time_each_op():
    t = bench.TimedOps(NumpyOps())
    x = X.copy()
    y = t.softmax(t.gelu(x))
    np.testing.assert_allclose(y.sum(axis=-1), 1, rtol=1e-6)
    assert set(t.seconds) == {"softmax", "gelu"} and all(s > 0 for s in t.seconds.values())


def test_speedup_is_the_median_of_per_repeat_ratios():
    rows = [{"samples": [2.0, 4.0, 2.0]}, {"samples": [1.0, 1.0, 4.0]}, {"label": "n/a"}]
    bench.add_speedups(rows)
    assert rows[0]["speedup"] == 1 and rows[1]["speedup"] == 2      # ratios 2, 4, 0.5
    assert "speedup" not in rows[2] and "samples" not in rows[1]


def test_time_interleaved_reports_medians_per_op_set():
    calls = []

    def run(ops):
        calls.append(ops.name)
        ops.exp(np.clip(X, -80, 80))

    res = bench.time_interleaved(run, {"a": NumpyOps(), "b": QuakeExpOps("q2")}, 3)
    assert calls == ["numpy", "quake.q2.exp-only"] * 4        # warm-up, then interleaved
    for r in res.values():
        assert 0 < r["ops"]["exp"] <= r["time"]


def _fake_result():
    common = {"acc_exact": 0.9, "nn1_agreement": 1.0}
    rows = [{"label": "numpy/scipy", "tier": None, "kind": "baseline", "time": 2.0,
             "speedup": 1.0, "ops": {"softmax": 0.2, "gelu": 0.3}, "min_cos": 1.0,
             "acc": 0.9, "agreement": 1.0, "nn5_overlap": 1.0, **common},
            {"label": "quake q2 (fused)", "tier": "q2", "kind": "fused"},
            {"label": "quake q1 (exp-only)", "tier": "q1", "kind": "exp-only", "time": 1.6,
             "speedup": 1.25, "ops": {"softmax": 0.1, "gelu": 0.3}, "min_cos": 0.9999,
             "acc": 0.85, "agreement": 0.95, "nn5_overlap": 0.9, **common}]
    return {"model": "M", "shape": "s", "task": "T", "share_ops": ("softmax", "gelu"),
            "rows": rows}


def test_report_share_and_amdahl_ceiling():
    parts, total, ceiling = report.share(_fake_result())
    assert parts == {"softmax": 0.1, "gelu": 0.15}
    assert total == pytest.approx(0.25) and ceiling == pytest.approx(4 / 3)


def test_report_console_and_markdown():
    text = report.console(_fake_result())
    assert "Amdahl ceiling 1.33x" in text
    assert "quake q2 (fused)" in text and report.NA in text
    assert "1.25x" in text
    assert "1.05x" in text                   # implied: 2.0 / (2.0 - 0.1 saved in softmax)
    env = {"date": "D", "cpu": "C", "target": "avx2", "quake": "0", "numpy": "n",
           "scipy": "s", "sklearn": "k", "blas": "b", "repeats": 3, "python": "p",
           "threads": 1, "quake_threads": 1}
    md = report.markdown([([_fake_result()], env)])
    assert "## Summary, 1 thread (BLAS and quake)" in md and "## All cores" not in md
    assert "| M (s) | T | fused | 2.000 s | n/a (op not available) | 0.900 | n/a |" in md
    assert "| M (s) | T | exp-only | 2.000 s | 1.600 s (1.25x) | 0.900 | " \
           "0.850, cos 0.99990, agree 95.0% |" in md
    assert "- quake q2 (fused): not measured" not in md      # model M is not MiniLM
    assert "| M (s) | softmax 200.00 ms (10.0%), gelu 300.00 ms (15.0%) | 25.0% | 1.33x |" in md
    # a second run at every core: its own section with the summary and share tables
    md2 = report.markdown([([_fake_result()], env),
                           ([_fake_result()], dict(env, threads=16, quake_threads=16))])
    tail = md2.split("## All cores: 16 threads (BLAS and quake)", 1)[1]
    assert "| M (s) | T | exp-only | 2.000 s | 1.600 s (1.25x) |" in tail
    assert "| M (s) | softmax 200.00 ms (10.0%)" in tail and "quake at 16 threads" in tail


def test_report_targets():
    res = _fake_result()
    res["model"] = "all-MiniLM-L6-v2"
    assert report.targets([res]) == [
        "- quake q2 (fused): not measured, n/a (op not available)."]
    res["rows"][1].update(time=1.5, speedup=1.3, min_cos=0.9999)
    assert report.targets([res])[0].endswith("(target >= 0.9995): met.")
    res["rows"][1]["speedup"] = 1.1
    assert report.targets([res])[0].endswith("NOT met.")
