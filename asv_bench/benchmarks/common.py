"""Shared inputs: cached, deterministic, x ~ N(0, 4^2) like the notes' peer tables."""
import functools

import numpy as np

import quake

# Every benchmark but bench_threads.py's runs quake single-threaded, so that its
# history stays comparable across the worker pool's introduction (issue 13).
quake.set_num_threads(1)

SIZES = (16, 4096, 100_000, 10_000_000)
DTYPES = ("float16", "float32", "float64")


@functools.lru_cache(maxsize=None)
def data(n, dtype):
    x = (np.random.default_rng(0).standard_normal(n) * 4).astype(dtype)
    x.setflags(write=False)
    return x
