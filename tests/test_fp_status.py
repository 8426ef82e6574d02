"""The FP status rule of docs/robustness.md, on every op, tier, dtype and
target: underflow iff the exact result decays below the normal range (nonzero,
below it after rounding, in the op's tail; nothing near 0, where the result is
tiny only because x is), from the thresholds of tools/derive_underflow.py;
nothing from a call's own intermediate arithmetic; row ops never underflow."""
import os
import subprocess
import sys

import numpy as np
import pytest

import quake
from quake import testing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTYPES = (np.float16, np.float32, np.float64)
VANISH_AT_ZERO = ("silu", "tanh", "gelu_tanh", "gelu")


def _reference(op, x):
    with np.errstate(all="ignore"):
        return testing.reference(op, x)


def _tiny_after_rounding(r, dt):
    """|r| rounded to dt's precision (exponent unbounded) < dt's smallest normal;
    a reference that itself underflowed to 0 stands for a nonzero exact value."""
    m, e = np.frexp(np.abs(r))
    p = np.finfo(dt).nmant + 1
    m = np.round(m * 2.0 ** p) / 2.0 ** p
    return (r == 0) | (np.ldexp(m, e) < np.finfo(dt).tiny)


def _edge_inputs(dt):
    fi = np.finfo(dt)
    tiny, sub = float(fi.tiny), float(fi.smallest_subnormal)
    v = [0.0, -0.0, tiny, 2 * tiny, 3 * tiny, sub, 1e-3, 1.0, -np.inf, np.inf, np.nan]
    v += [float(a) for a in np.nextafter(np.array([tiny, 2 * tiny], dt), 0)]
    lt = np.log(tiny)
    for c in (lt, lt - 2, lt - 4.5, lt - 8, -np.sqrt(-2 * lt) - 1, -np.sqrt(-2 * lt),
              np.log(sub), -4.1, -10.1, -13.2, -21.2, -37.6):
        v += list(np.linspace(c - 1.5, c + 1.5, 31))
    v += [-1e4, float(-fi.max)]
    x = np.array(v, dtype=np.float64)
    x = x[np.abs(x) <= float(fi.max)] if dt != np.float64 else x
    x = x.astype(dt)
    return np.unique(np.concatenate([x, -x]))


def _expected_underflow(op, x):
    dt = x.dtype.type
    want = np.isfinite(x) & _tiny_after_rounding(_reference(op, x), dt)
    if op in VANISH_AT_ZERO:  # tiny near 0 only because x is: not reported
        want &= np.abs(x) > 1
    return want


def _raises_underflow(f, x):
    with np.errstate(all="ignore", under="raise"):  # overflow is exp's, and tested elsewhere
        try:
            f(x)
        except FloatingPointError:
            return True
    return False


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("op", quake.OPS)
def test_underflow_rule_on_edges(target, tier, op, dt):
    """Each element alone, then all of them in one call (the vector paths)."""
    f = getattr(getattr(quake, tier), op)
    x = _edge_inputs(dt)
    want = _expected_underflow(op, x)
    got = np.array([_raises_underflow(f, x[i:i + 1]) for i in range(x.size)])
    wrong = x[got != want]
    assert wrong.size == 0, f"{tier}.{op} {np.dtype(dt).name}: wrong underflow at {wrong[:8]}"
    assert _raises_underflow(f, x) == bool(want.any())
    quiet = x[~want]
    for n in (1, 7, 64, 1000):  # vectors inside the fast window and every tail length
        assert not _raises_underflow(f, np.resize(quiet, n))


SUBNORMAL_REPRODUCERS = [("exp", "q2", np.float32), ("exp", "q2", np.float64),
                         ("exp", "precise", np.float64), ("sigmoid", "q2", np.float32),
                         ("sigmoid", "q2", np.float64), ("sigmoid", "precise", np.float64)]


@pytest.mark.parametrize("op,tier,dt", SUBNORMAL_REPRODUCERS)
def test_subnormal_inputs_of_exp_and_sigmoid_raise_nothing(target, op, tier, dt):
    """Issue 18.1: np.exp(1e-310) raises nothing (the result is 1); quake raised
    'underflow' from q2.exp, precise.exp (float64), q2.sigmoid and
    precise.sigmoid (float64) for every subnormal input."""
    fi = np.finfo(dt)
    x = np.array([1e-310 if dt == np.float64 else 1e-40, fi.smallest_subnormal,
                  -fi.smallest_subnormal, fi.tiny / 2], dt)
    f = getattr(getattr(quake, tier), op)
    with np.errstate(all="raise"):
        for n in (1, 3, 40):
            f(np.resize(x, n))
        f(x[::-1].copy()[::2])  # a strided call


def test_flag_raised_before_the_call_is_kept():
    """The loops drop only an underflow flag their own call set."""
    code = ("import numpy as np, quake\n"
            "with np.errstate(under='raise'):\n"
            "    try:\n"
            "        quake.exp(np.array([-800.0, 1e-310]))\n"
            "    except FloatingPointError as e:\n"
            "        print('raised', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "raised underflow" in out


@pytest.mark.parametrize("op", quake.ROW_OPS)
@pytest.mark.parametrize("dt", DTYPES)
def test_row_ops_never_report_underflow(target, tier, op, dt):
    fi = np.finfo(dt)
    rows = np.array([[0.0, -90.0, -200.0, -720.0], [0.0, 0.0, -1e4, float(-fi.max)],
                     [float(fi.tiny), float(fi.smallest_subnormal), 0.0, -40.0],
                     [-700.0, -745.0, -710.0, -720.0]], dtype=np.float64)
    x = np.clip(rows, float(-fi.max), float(fi.max)).astype(dt)
    f = getattr(getattr(quake, tier), op)
    with np.errstate(all="raise"):
        f(x)
        f(np.tile(x, (1, 40)))           # long rows, vector paths
        f(np.ascontiguousarray(x.T), axis=0)


def test_thresholds_header_and_doc_table_are_current():
    """include/quake/consts/underflow.h and the table in docs/robustness.md are
    what tools/derive_underflow.py prints."""
    tool = os.path.join(ROOT, "tools", "derive_underflow.py")
    header = subprocess.run([sys.executable, tool], capture_output=True, text=True,
                            check=True).stdout
    with open(os.path.join(ROOT, "include", "quake", "consts", "underflow.h")) as fh:
        assert fh.read() == header
    table = subprocess.run([sys.executable, tool, "--markdown"], capture_output=True,
                           text=True, check=True).stdout.strip()
    with open(os.path.join(ROOT, "docs", "robustness.md")) as fh:
        assert table in fh.read()


@pytest.mark.parametrize("dt", DTYPES)
def test_nan_keeps_its_sign(target, tier, dt):
    """Issue 18.8, decided: an input NaN comes back quieted with its sign."""
    x = np.array([-np.nan, np.nan], dt)
    for op in quake.OPS:
        y = getattr(getattr(quake, tier), op)(x)
        assert np.isnan(y).all() and list(np.signbit(y)) == [True, False], op
