"""Shared inputs: cached, deterministic, x ~ N(0, 4^2) like the notes' peer tables."""
import functools

import numpy as np

SIZES = (16, 4096, 100_000, 10_000_000)
DTYPES = ("float16", "float32", "float64")


@functools.lru_cache(maxsize=None)
def data(n, dtype):
    x = (np.random.default_rng(0).standard_normal(n) * 4).astype(dtype)
    x.setflags(write=False)
    return x
