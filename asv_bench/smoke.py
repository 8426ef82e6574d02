"""Every benchmark of the suite once, in seconds: CI's check that no benchmark is
broken, without `asv run --quick`'s walk over every parameter combination
(about ten minutes here).

For each benchmark (a time_/mem_/peakmem_/track_ method or function) this runs
setup, the benchmark and teardown, as asv would, on a few parameter
combinations that together take every value of every parameter (combination i
takes value i of each parameter, cycling): a bad value of any parameter is
found, and so is a benchmark that fails to set up.  A setup raising
NotImplementedError is a skip, as in asv.

    python asv_bench/smoke.py [-v] [NAME_REGEX]

Exit status 1 if any benchmark failed; the last line counts benchmarks, runs,
skips and failures.
"""
from __future__ import annotations

import importlib
import inspect
import itertools
import os
import pkgutil
import re
import sys
import time
import traceback

PREFIXES = ("time_", "mem_", "peakmem_", "track_")


def _benchmarks(package):
    """(name, owner class or None, function) of every benchmark in the suite."""
    for info in pkgutil.iter_modules(package.__path__):
        mod = importlib.import_module(f"{package.__name__}.{info.name}")
        for attr, obj in vars(mod).items():
            if inspect.isclass(obj) and obj.__module__ == mod.__name__:
                for m in sorted(dir(obj)):
                    if m.startswith(PREFIXES) and callable(getattr(obj, m)):
                        yield f"{info.name}.{attr}.{m}", obj, m
            elif (inspect.isfunction(obj) and attr.startswith(PREFIXES)
                  and obj.__module__ == mod.__name__):
                yield f"{info.name}.{attr}", None, obj


def _covering(params):
    """Combinations that take every value of every parameter at least once."""
    if not params:
        return [()]
    if not isinstance(params[0], (list, tuple)):  # one parameter, given bare
        params = [params]
    width = max(len(p) for p in params)
    return [tuple(p[i % len(p)] for p in params) for i in range(width)]


def _run_one(owner, method, combo):
    """Run setup/benchmark/teardown once; 'ok', 'skip' or raises."""
    if owner is None:
        fn = method
        setup = getattr(fn, "setup", None)
        teardown = getattr(fn, "teardown", None)
    else:
        obj = owner()
        fn = getattr(obj, method)
        setup = getattr(obj, "setup", None)
        teardown = getattr(obj, "teardown", None)
        # per-method setup/teardown attributes win, as in asv
        setup = getattr(fn, "setup", setup)
        teardown = getattr(fn, "teardown", teardown)
    if setup is not None:
        try:
            setup(*combo)
        except NotImplementedError:
            return "skip"
    try:
        fn(*combo)
    finally:
        if teardown is not None:
            teardown(*combo)
    return "ok"


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    pattern = re.compile(argv[0]) if argv else None
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import benchmarks

    counts = dict(benchmarks=0, runs=0, skipped=0, failed=0)
    t0 = time.perf_counter()
    for name, owner, method in _benchmarks(benchmarks):
        if pattern and not pattern.search(name):
            continue
        counts["benchmarks"] += 1
        holder = owner if owner is not None else method
        params = getattr(holder, "params", [])
        for combo in _covering(params):
            counts["runs"] += 1
            t = time.perf_counter()
            try:
                status = _run_one(owner, method, combo)
            except Exception:
                counts["failed"] += 1
                print(f"FAILED {name}{combo}")
                traceback.print_exc()
                continue
            counts["skipped"] += status == "skip"
            if verbose:
                print(f"{status:4s} {name}{combo} {time.perf_counter() - t:.2f} s")
    print("asv smoke: {benchmarks} benchmarks, {runs} runs, {skipped} skipped, "
          "{failed} failed".format(**counts) + f" in {time.perf_counter() - t0:.0f} s")
    return 1 if counts["failed"] or not counts["benchmarks"] else 0


if __name__ == "__main__":
    sys.exit(main())
