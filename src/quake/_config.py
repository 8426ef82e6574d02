"""CPU features, SIMD targets and the switch between them."""
from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Iterator
from typing import Any, TextIO

from . import _ufuncs

ENV_VAR = "QUAKE_TARGET"


def cpu_features() -> dict[str, bool]:
    """CPU features relevant to quake, detected once at import."""
    return _ufuncs.cpu_features()


def targets() -> list[dict[str, Any]]:
    """Compiled-in SIMD targets, most portable first, with CPU support."""
    return [{"name": n, "supported": s, "requires": r} for n, s, r in _ufuncs.targets()]


def active_target() -> str:
    """Name of the target whose kernels every quake ufunc runs now."""
    return _ufuncs.active_target()


# Where the active target came from, for show_config(): "the best this CPU
# supports", "QUAKE_TARGET", "set_target()" or "use_target()".
_origin = "the best this CPU supports"

# use_target() contexts still open, innermost last: [token, target] pairs.
# The active target is the last one's, or _base when none is open, so a
# context that exits out of order (another one opened inside it is still
# open) never leaves the process on a stale target.
_open: list[list] = []
_base: str | None = None
_base_origin = _origin
_lock = threading.RLock()


def _check_name(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"target name must be a str, not {type(name).__name__}")
    if "\0" in name or not name.isprintable():
        raise ValueError(f"unknown quake target {name!r}; compiled targets: "
                         f"{[t['name'] for t in targets()]}")
    return name


def set_target(name: str) -> None:
    """Run all quake ufuncs on target `name` ('scalar', 'avx2', ..., or 'best').

    Results do not depend on the target (every target returns the same
    bits); this exists for testing and benchmarking.  Raises ValueError for
    unknown targets and for targets this CPU cannot run, TypeError for a
    name that is not a str.  Inside a ``use_target`` block it changes that
    block's target (restored when the block exits).
    """
    global _origin, _base
    name = _check_name(name)
    with _lock:
        _ufuncs.set_target(name)
        if _open:
            _open[-1][1] = active_target()
            _origin = "set_target() inside use_target()"
        else:
            _base = active_target()
            _origin = "set_target()"


@contextlib.contextmanager
def use_target(name: str) -> Iterator[None]:
    """Context manager: run on target `name`, then restore the previous one.

    Blocks may exit in any order (threads, generators): on exit the active
    target is the innermost block still open, or the target from before the
    first block."""
    global _origin, _base, _base_origin
    name = _check_name(name)
    with _lock:
        if not _open:
            _base, _base_origin = active_target(), _origin
        _ufuncs.set_target(name)
        token = [object(), active_target()]
        _open.append(token)
        _origin = "use_target()"
    try:
        yield
    finally:
        with _lock:
            _open.remove(token)
            _ufuncs.set_target(_open[-1][1] if _open else _base)
            if not _open:
                _origin = _base_origin


def build_info() -> dict[str, str]:
    """How the extension was built: {"compiler", "version", "flags"} (setup.py)."""
    return _ufuncs.build_info()


def _apply_env() -> None:
    global _origin
    name = os.environ.get(ENV_VAR, "").strip()
    if not name:
        return
    try:
        set_target(name)
    except ValueError as exc:
        warnings.warn(f"{ENV_VAR}={name!r} ignored: {exc}; using {active_target()!r}",
                      RuntimeWarning, stacklevel=3)
        _origin = f"the best this CPU supports; {ENV_VAR}={name!r} was ignored"
        return
    _origin = f"{ENV_VAR}={name}"


def show_config(file: TextIO | None = None) -> None:
    """Print CPU features, compiled targets, the active target and threads per call."""
    import platform

    import numpy as np

    from . import _threads
    from ._version import __version__
    from .accuracy import DEFAULT_TIER

    feats = cpu_features()
    lines = [
        f"quake {__version__}  (numpy {np.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()})",
        "CPU features: " + " ".join(f"{k}={'yes' if v else 'no'}" for k, v in feats.items()
                                    if k in _relevant_features()),
        "targets:",
    ]
    act = active_target()
    for t in targets():
        mark = "*" if t["name"] == act else " "
        state = "supported" if t["supported"] else "not supported by this CPU"
        req = "+".join(t["requires"]) or "-"
        lines.append(f"  {mark} {t['name']:<8} {state:<26} needs {req}")
    lines.append(f"active target: {act} (from {_origin}); default tier: {DEFAULT_TIER}")
    lines.append(_threads.config_line())
    lines.append(_jax_line())
    info = build_info()
    lines.append(f"built with: {info['compiler']} ({info['version'].strip()})")
    lines.append(f"build flags: {info['flags']}")
    print("\n".join(lines), file=file)


def _jax_line() -> str:
    """How quake.jax reaches the kernels; jax itself is not imported for it."""
    import importlib.util
    import sys

    mod = sys.modules.get("quake.jax")
    if mod is not None:
        b = mod.backend()
        return f"JAX: quake.jax runs on {b['name']}: {b['detail']}"
    if importlib.util.find_spec("jax") is None:
        return "JAX: not installed"
    try:
        from . import _jax_ffi
    except ImportError:
        return ("JAX: quake.jax will call the ufuncs from a host callback: quake was built "
                "without its XLA FFI handlers (QUAKE_JAX_FFI=0)")
    lo, hi = _jax_ffi.ffi_api_minors
    major = _jax_ffi.ffi_api_major
    return (f"JAX: quake.jax will use XLA FFI custom calls (FFI API {major}.{lo}-{major}.{hi}; "
            f"checked against this jaxlib when quake.jax is imported, else a host callback)")


def _relevant_features():
    import platform

    if platform.machine().lower() in ("aarch64", "arm64"):
        return ("neon", "fp16")
    return ("sse2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512dq", "avx512bw", "avx512vl",
            "avx512bf16")


_apply_env()
