"""argparse value types shared by ``python -m quake``, ``python -m quake
bench`` and ``python -m quake.jax``: a bad value is a one-line usage error
(exit status 2), never a traceback."""
from __future__ import annotations

import argparse
import re


def _int_at_least(lo: int, what: str):
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"must be {what}, got {v}")
        return v
    return parse


# sizes, row counts and lengths (ns/element needs elements); thread counts (0 = default)
positive_int = _int_at_least(1, "at least 1")
non_negative_int = _int_at_least(0, "0 or more")


def positive_float(text: str) -> float:
    """A finite number > 0 (seconds per timing)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < v < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return v


def shape(text: str) -> tuple[int, ...]:
    """'4096x128' -> (4096, 128); every dimension at least 1."""
    try:
        dims = tuple(int(d) for d in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a shape like 4096x128: {text!r}") from None
    if min(dims) < 1:
        raise argparse.ArgumentTypeError(f"every dimension must be at least 1: {text!r}")
    return dims


def plain(text: str) -> str:
    """Help text without reST markup: ``code`` and `name` lose their backticks."""
    return re.sub(r"``?([^`]+)``?", r"\1", text)


def add_version(parser: argparse.ArgumentParser) -> None:
    """--version: quake's version (and NumPy's), then exit."""
    import numpy as np

    from .._version import __version__

    parser.add_argument("--version", action="version",
                        version=f"quake {__version__} (numpy {np.__version__})")
