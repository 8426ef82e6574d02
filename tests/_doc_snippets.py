"""Runs the ```python blocks of one Markdown page, in order, in one namespace,
with every warning an error; prints one JSON line: {"ran": [...], "skipped":
[[block, why], ...]}, or exits 1 with the failing block and its traceback.

A block that imports a package which is not installed (an optional one:
pandas, dask, JAX, ...) is skipped, and so is a later block that then fails
with NameError (it used a name of the skipped block).  One page per process
(tests/test_docs_examples.py), so a page's target switches and patches end
with it.  Usage: python tests/_doc_snippets.py PAGE.md"""
from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
import traceback
import warnings


def blocks(text: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def missing_modules(code: str) -> list[str]:
    """Top-level packages the block imports that are not installed."""
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return sorted(n for n in names if importlib.util.find_spec(n) is None)


def run(page: str) -> dict:
    with open(page) as fh:
        codes = blocks(fh.read())
    ns: dict = {"__name__": "__docs__"}
    ran, skipped = [], []
    for i, code in enumerate(codes):
        absent = missing_modules(code)
        if absent:
            skipped.append([i, "not installed: " + ", ".join(absent)])
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                exec(compile(code, f"{page} [python block {i}]", "exec"), ns)
        except NameError as exc:
            if not skipped:
                raise
            skipped.append([i, f"needs a skipped block ({exc})"])
            continue
        ran.append(i)
    return {"blocks": len(codes), "ran": ran, "skipped": skipped}


if __name__ == "__main__":
    page = sys.argv[1]
    try:
        result = run(page)
    except BaseException:
        traceback.print_exc()
        sys.exit(1)
    print(json.dumps(result))
