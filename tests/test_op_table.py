"""The op table (quake._optable) is the one list of ops: every public
namespace, the bound table, the references and baselines cover each op in
every tier, no other module of quake names an op, and docs/design.md's
"Adding an elementwise op" lists files that hold the ops."""
import ast
import os
import re

import numpy as np
import pytest

import quake
from quake import _optable, testing

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL_OPS = quake.OPS + quake.ROW_OPS


def test_public_tuples_follow_the_table_and_the_kernel_tables():
    assert quake.OPS == tuple(s.name for s in _optable.SPECS if not s.row)
    assert quake.ROW_OPS == tuple(s.name for s in _optable.SPECS if s.row)
    assert {op for op, _ in quake._ufuncs.unary_ops()} == set(quake.OPS)
    assert {op for op, _, _ in quake._ufuncs.row_ops()} == set(quake.ROW_OPS)


@pytest.mark.parametrize("op", ALL_OPS)
def test_every_numpy_namespace_has_the_op(op):
    assert op in quake.__all__ and getattr(quake, op) is getattr(quake.precise, op)
    for tier in quake.TIERS:
        mod = getattr(quake, tier)
        assert op in mod.__all__
        f = getattr(mod, op)
        assert isinstance(f, np.ufunc) and f.__name__ == f"{tier}.{op}"
        assert bool(f.signature) == (op in quake.ROW_OPS)
        for dt in ("float16", "float32", "float64"):
            assert quake.accuracy.bound(op, tier, dt).value > 0
            assert str(quake.accuracy.bound(op, tier, dt)) in f.__doc__
        assert _optable.SPEC[op].summary in f.__doc__


@pytest.mark.parametrize("op", ALL_OPS)
def test_every_op_has_a_reference_baseline_and_peers(op):
    pytest.importorskip("scipy")
    spec = _optable.SPEC[op]
    x = np.linspace(-3, 3, 24).reshape((4, 6) if spec.row else (24,))
    for dt in (np.float32, np.float64):
        xd = x.astype(dt)
        ref = testing.reference(op, xd)
        np.testing.assert_allclose(ref.astype(np.float64),
                                   getattr(quake.precise, op)(xd).astype(np.float64),
                                   rtol=1e-5, atol=1e-6)
    name, fn = _optable.baseline(op)
    assert name and fn(x, np.empty_like(x)) is not None
    assert spec.peers.get("jax") is not None  # quake.jax's tests and bench compare with it
    if not spec.row:
        assert set(spec.domain) == set(spec.size) == {"float32", "float64"}
        assert spec.mp_reference is not None and testing.sample(op, "float32").size > 1000


@pytest.mark.parametrize("op", ALL_OPS)
def test_quake_jax_has_the_op_in_every_tier(op):
    qj = pytest.importorskip("quake.jax")
    assert op in qj.__all__ and getattr(qj, op) is getattr(qj.tier(quake.DEFAULT_TIER), op)
    for tier in quake.TIERS:
        assert getattr(qj.tier(tier), op).__qualname__ == f"{tier}.{op}"


def _modules_naming(op):
    """The src/quake Python modules holding the string literal `op`."""
    found = set()
    for d, _, files in os.walk(os.path.join(ROOT, "src", "quake")):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(d, f)
                tree = ast.parse(open(path).read())
                if any(isinstance(n, ast.Constant) and n.value == op for n in ast.walk(tree)):
                    found.add(os.path.relpath(path, os.path.join(ROOT, "src", "quake")))
    return found


@pytest.mark.parametrize("op", ["silu", "gelu_tanh", "log_softmax"])
def test_only_the_op_table_and_the_bounds_name_an_op(op):
    """Ops nothing special-cases are named by the op table and the bound
    table only: every other module gets them from there."""
    assert _modules_naming(op) == {"_optable.py", "accuracy.py"}


def test_design_doc_lists_the_files_adding_an_op_touches():
    text = open(os.path.join(ROOT, "docs", "design.md")).read()
    section = text.split("## Adding an elementwise op", 1)[1].split("\n## ", 1)[0]
    items = re.findall(r"^\d+\. `([^`]+)`", section, flags=re.M)  # one file an item
    touched = sorted(set(items))
    assert len(touched) == len(items) and 0 < len(touched) <= 10, items
    for p in touched:  # each, for exp, exists and names the op (or includes its kernels)
        path = os.path.join(ROOT, p.replace("<op>", "exp"))
        assert os.path.exists(path), p
        assert "exp" in open(path).read(), p
