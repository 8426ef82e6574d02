"""Helpers shared by several test modules (imported as `_helpers`: pytest puts
tests/ on sys.path)."""
import importlib.util
import os
import warnings

import pytest

import quake

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_tool(name, missing=pytest.fail):
    """tools/<name>.py as a module; `missing` (pytest.fail or pytest.skip)
    where the tests run outside a source checkout."""
    path = os.path.join(ROOT, "tools", f"{name}.py")
    if not os.path.exists(path):
        missing(f"tools/{name}.py missing: run the tests from a source checkout")
    spec = importlib.util.spec_from_file_location(f"quake_tools_{name}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def warnings_per_target(call, keep=lambda message: True):
    """call() on every supported target: per target, the sorted messages of
    the warnings it raised that keep(message) accepts."""
    seen = []
    for t in quake.targets():
        if not t["supported"]:
            continue
        with quake.use_target(t["name"]), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            call()
        seen.append(sorted(str(m.message) for m in w if keep(str(m.message))))
    return seen
