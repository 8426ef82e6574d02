"""Threads per ufunc call: the worker pool's size, its default and controls.

The pool itself is C (src/quake/_kern/pool.c); this module decides how many
threads it may use and where that number came from:

1. ``QUAKE_NUM_THREADS`` in the environment, else
2. ``OMP_NUM_THREADS`` (its first entry, as numexpr reads it; Dask's nanny
   sets it to 1 in worker processes, so a worker does not oversubscribe), else
3. the CPUs this process may run on: the affinity mask, capped by a cgroup
   CPU quota (v2 ``cpu.max``, v1 ``cpu.cfs_quota_us``); not ``os.cpu_count()``.

``set_num_threads`` / ``num_threads`` change it for the whole process (every
Python thread's calls), as ``threadpoolctl.threadpool_limits`` does; with
threadpoolctl installed, quake registers a controller for it the moment
threadpoolctl is imported.
"""
from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
import os
import sys
import threading
import warnings

from . import _ufuncs

ENV_VARS = ("QUAKE_NUM_THREADS", "OMP_NUM_THREADS")
MAX_THREADS = _ufuncs.POOL_MAX

_lock = threading.Lock()
_origin = "the default"
_set_value = 1  # what quake last set: a different pool value was set through threadpoolctl


def _cgroup_quota(root="/sys/fs/cgroup") -> float | None:
    """CPUs the cgroup quota allows (quota / period), or None without a quota."""
    try:
        with open(os.path.join(root, "cpu.max")) as fh:  # cgroup v2: "max 100000" / "200000 100000"
            quota, period = fh.read().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open(os.path.join(root, "cpu", "cpu.cfs_quota_us")) as fh:  # cgroup v1
            quota = int(fh.read())
        with open(os.path.join(root, "cpu", "cpu.cfs_period_us")) as fh:
            period = int(fh.read())
        return None if quota <= 0 or period <= 0 else quota / period
    except (OSError, ValueError):
        return None


def available_cpus() -> tuple[int, str]:
    """(CPUs this process may run on, how that was found)."""
    if hasattr(os, "sched_getaffinity"):
        n, how = len(os.sched_getaffinity(0)), "affinity mask"
    elif hasattr(os, "process_cpu_count"):  # Python 3.13+, e.g. Windows
        n, how = os.process_cpu_count() or 1, "os.process_cpu_count()"
    else:
        n, how = os.cpu_count() or 1, "os.cpu_count()"
    quota = _cgroup_quota()
    if quota is not None and math.ceil(quota) < n:
        n, how = max(1, math.ceil(quota)), f"cgroup CPU quota {quota:g}"
    return max(1, n), how


def _parse(var: str, value: str) -> int | None:
    first = value.split(",")[0].strip()  # OMP_NUM_THREADS may list nested levels: "4,2"
    try:
        n = int(first)
    except ValueError:
        n = 0
    if n < 1:
        warnings.warn(f"{var}={value!r} ignored: not a positive integer", RuntimeWarning,
                      stacklevel=4)
        return None
    return min(n, MAX_THREADS)


def default_threads() -> tuple[int, str]:
    """(threads, origin) from the environment, else the CPUs available."""
    for var in ENV_VARS:
        value = os.environ.get(var, "").strip()
        if value:
            n = _parse(var, value)
            if n is not None:
                return n, f"{var}={value}"
    n, how = available_cpus()
    return n, f"the CPUs this process may run on: {how}"


def get_num_threads() -> int:
    """Threads one quake ufunc call may use (the calling thread included)."""
    return _ufuncs.pool_threads()


def set_num_threads(n: int) -> int:
    """Let each quake ufunc call use up to `n` threads (1: single-threaded);
    returns the previous value.  Process-wide; results are the same bits for
    every `n`.  Values above the pool's maximum (256) are clamped."""
    global _origin, _set_value
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"number of threads must be an int, not {type(n).__name__}")
    if n < 1:
        raise ValueError(f"number of threads must be >= 1, got {n}")
    with _lock:
        old = _ufuncs.set_pool_threads(n)
        _set_value = _ufuncs.pool_threads()
        _origin = "set_num_threads()"
    return old


@contextlib.contextmanager
def num_threads(n: int) -> Iterator[None]:
    """Context manager: ``with quake.num_threads(1): ...`` runs the block's quake
    calls on `n` threads per call, then restores the previous setting."""
    global _origin
    with _lock:
        prev_origin = _origin
    old = set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(old)
        with _lock:
            _origin = prev_origin


def origin() -> str:
    """Where the current thread count came from, for show_config()."""
    with _lock:
        if _ufuncs.pool_threads() != _set_value:
            return "threadpoolctl (or the C symbol quake_pool_set_num_threads)"
        return _origin


def config_line() -> str:
    started = _ufuncs.pool_started()
    return (f"threads per call: {get_num_threads()} (from {origin()}); pool: {started} "
            f"worker thread{'s' if started != 1 else ''} started")


def _apply_default() -> None:
    global _origin, _set_value
    n, _origin = default_threads()
    _ufuncs.set_pool_threads(n)
    _set_value = _ufuncs.pool_threads()


# ---- threadpoolctl ----

def _register_threadpoolctl(tpc) -> None:
    """Register quake's controller with threadpoolctl's public `register` API:
    threadpool_info() then lists the extension (found by its filename prefix
    and the exported symbol quake_pool_get_num_threads), threadpool_limits()
    sets it through quake_pool_set_num_threads."""
    if getattr(tpc, "_quake_registered", False) or not hasattr(tpc, "register"):
        return

    class QuakeController(tpc.LibController):
        user_api = "quake"
        internal_api = "quake"
        filename_prefixes = ("_ufuncs",)
        check_symbols = ("quake_pool_get_num_threads", "quake_pool_set_num_threads")

        def get_num_threads(self):
            return self.dynlib.quake_pool_get_num_threads()

        def set_num_threads(self, num_threads):
            self.dynlib.quake_pool_set_num_threads(int(num_threads))

        def get_version(self):
            from ._version import __version__

            return __version__

    tpc.register(QuakeController)
    tpc._quake_registered = True


class _ThreadpoolctlHook:
    """A meta-path finder that waits for `import threadpoolctl` and registers
    quake's controller right after the module runs (importing threadpoolctl
    ourselves would cost every `import quake` ~20 ms)."""

    def find_spec(self, name, path=None, target=None):
        if name != "threadpoolctl":
            return None
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        real_exec = loader.exec_module

        def exec_module(module):
            real_exec(module)
            try:
                _register_threadpoolctl(module)
            except Exception as exc:  # never break the user's import of threadpoolctl
                warnings.warn(f"quake: threadpoolctl controller not registered: {exc}",
                              RuntimeWarning, stacklevel=2)

        loader.exec_module = exec_module
        return spec


def _install_threadpoolctl_hook() -> None:
    mod = sys.modules.get("threadpoolctl")
    if mod is not None:
        _register_threadpoolctl(mod)
    elif not any(isinstance(f, _ThreadpoolctlHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _ThreadpoolctlHook())


_apply_default()
_install_threadpoolctl_hook()
