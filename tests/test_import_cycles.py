"""No import cycles among quake's Python modules: each module's imports
(anywhere in it, deferred imports inside functions included) are read with
ast from the source tree, and the graph of quake modules must be acyclic."""
import ast
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")


def _modules():
    """{dotted name: path} of every quake module in the source tree, the
    compiled extensions (setup.py's Extension names) as leaves."""
    base = os.path.join(SRC, "quake")
    if not os.path.isdir(base):
        pytest.fail("src/quake missing: run the tests from a source checkout")
    out = {}
    for d, _, files in os.walk(base):
        for f in files:
            if f.endswith(".py"):
                rel = os.path.relpath(os.path.join(d, f), SRC)[:-3].split(os.sep)
                if rel[-1] == "__init__":
                    rel = rel[:-1]
                out[".".join(rel)] = os.path.join(d, f)
    with open(os.path.join(os.path.dirname(SRC), "setup.py")) as f:
        extensions = re.findall(r'Extension\(\s*"(quake\.[\w.]+)"', f.read())
    assert "quake._ufuncs" in extensions and "quake._jax_ffi" in extensions, extensions
    out.update(dict.fromkeys(extensions))
    return out


def _imports(name, path, modules):
    """The quake modules `name` imports.  `from P import x` counts as an
    import of P.x where that is a module, else of P itself; importing a
    submodule does not count as importing its parent packages."""
    is_pkg = path.endswith("__init__.py")
    package = name if is_pkg else name.rpartition(".")[0]
    tree = ast.parse(open(path).read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in modules:
                    found.add(sub)
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


def _cycle(graph):
    """One cycle of the graph as a list of modules, or None."""
    state = {}

    def visit(n, stack):
        state[n] = "open"
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == "open":
                return stack[stack.index(m):] + [m]
            if m not in state:
                c = visit(m, stack)
                if c:
                    return c
        stack.pop()
        state[n] = "done"
        return None

    for n in sorted(graph):
        if n not in state:
            c = visit(n, [])
            if c:
                return c
    return None


def test_no_import_cycle_in_quake():
    modules = _modules()
    graph = {n: _imports(n, p, modules) if p else set() for n, p in modules.items()}
    assert "quake._cli.report" in graph and graph["quake._cli.report"]
    assert "quake._ufuncs" in graph["quake._registry"]  # extensions are modules
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
