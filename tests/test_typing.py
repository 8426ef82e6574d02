"""quake's type information: py.typed and the .pyi stubs name exactly the op
table's ops in every namespace, are what tools/gen_stubs.py writes, ship with
the package data, and mypy (where installed) sees every op as numpy.ufunc
and passes examples/typed_usage.py under --strict."""
import ast
import fnmatch
import os
import importlib.util
import subprocess
import sys

import pytest

import quake
import quake.precise
import quake.q1
import quake.q2
from quake._optable import ALL_OPS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "src", "quake")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gen_stubs  # noqa: E402


def _stub(*parts):
    with open(os.path.join(PKG, *parts)) as fh:
        return ast.parse(fh.read())


def _annotated(body, where=()):
    """{name: annotation source} of the `name: T` lines of a stub body, with
    those of the quake stubs it star-imports (`from ._x import *`)."""
    out = {}
    for n in body:
        if isinstance(n, ast.AnnAssign):
            out[n.target.id] = ast.unparse(n.annotation)
        elif isinstance(n, ast.ImportFrom) and [a.name for a in n.names] == ["*"]:
            assert n.level == 1, "a star import from outside quake's stubs"
            out.update(_annotated(_stub(*where, f"{n.module}.pyi").body, where))
    return out


def _functions(body):
    return [n.name for n in body if isinstance(n, ast.FunctionDef)]


def _all(tree):
    for n in tree.body:
        if isinstance(n, ast.Assign) and n.targets[0].id == "__all__":
            return ast.literal_eval(n.value)
    raise AssertionError("no __all__")


@pytest.mark.parametrize("tier", quake.TIERS)
def test_tier_stub_lists_exactly_the_ops(tier):
    tree = _stub(f"{tier}.pyi")
    ufuncs = _annotated(tree.body)
    assert list(ufuncs) == list(ALL_OPS)
    assert set(ufuncs.values()) == {"Final[ufunc]"}
    assert _all(tree) == getattr(quake, tier).__all__


def test_package_stub_matches_the_package():
    tree = _stub("__init__.pyi")
    ufuncs = _annotated(tree.body)
    assert list(ufuncs) == list(ALL_OPS) and set(ufuncs.values()) == {"Final[ufunc]"}
    assert _all(tree) == quake.__all__
    exported = set(ufuncs)
    for n in tree.body:
        if isinstance(n, ast.ImportFrom):
            exported |= {a.asname for a in n.names if a.asname == a.name}
    assert set(quake.__all__) <= exported  # every public name is typed, re-exported


def test_jax_stub_lists_exactly_the_ops():
    tree = _stub("jax", "__init__.pyi")
    tier_cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "_Tier")
    assert _functions(tier_cls.body) == list(ALL_OPS)
    assert _functions(tree.body) == [*ALL_OPS, "backend", "tier"]
    assert set(_annotated(tree.body)) == set(quake.TIERS)
    assert _all(tree)[:len(ALL_OPS)] == list(ALL_OPS)
    qj = pytest.importorskip("quake.jax")
    assert _all(tree) == qj.__all__


def test_stubs_are_generated_from_the_op_table(capsys):
    assert gen_stubs.main(["--check"]) == 0, capsys.readouterr().out


def test_package_data_ships_the_type_information():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as fh:
        data = tomllib.load(fh)["tool"]["setuptools"]["package-data"]
    need = []
    for dirpath, _, files in os.walk(PKG):
        need += [os.path.join(dirpath, f) for f in files if f.endswith(".pyi") or f == "py.typed"]
    assert os.path.join(PKG, "py.typed") in need and len(need) >= 6
    for path in need:
        rel = os.path.relpath(path, os.path.dirname(PKG))
        package = os.path.dirname(rel).replace(os.sep, ".")
        patterns = data.get(package, [])
        assert any(fnmatch.fnmatch(os.path.basename(rel), p) for p in patterns), rel


def _mypy(*args, cwd=ROOT):
    # mypy of this interpreter (a mypy elsewhere on PATH would not see this quake)
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed")
    # the quake these tests import (an in-place build or the installed package)
    where = os.path.dirname(os.path.dirname(os.path.abspath(quake.__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [where, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]))
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *args],
                          capture_output=True, text=True, cwd=cwd, env=env)


def test_mypy_strict_on_the_typed_example():
    r = _mypy("--strict", "examples/typed_usage.py")
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_sees_every_op_as_a_ufunc(tmp_path):
    lines = ["import quake, quake.q1, quake.q2, quake.precise"]
    names = [f"quake.{op}" for op in ALL_OPS]
    names += [f"quake.{t}.{op}" for t in quake.TIERS for op in ALL_OPS]
    lines += [f"reveal_type({n})" for n in names]
    lines += ["reveal_type(quake.set_target)", "reveal_type(quake.accuracy.bound)"]
    (tmp_path / "probe.py").write_text("\n".join(lines) + "\n")
    r = _mypy("probe.py", cwd=tmp_path)
    revealed = [l.split('Revealed type is "')[1][:-1] for l in r.stdout.splitlines()
                if "Revealed type" in l]
    assert revealed[:len(names)] == ["numpy.ufunc"] * len(names), r.stdout
    assert revealed[-2].startswith("def (name: str)")
    assert revealed[-1].endswith("-> quake.accuracy.Bound")
