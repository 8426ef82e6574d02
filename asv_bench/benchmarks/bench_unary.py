"""Elementwise ops (exp, sigmoid, silu, tanh, gelu, gelu_tanh): every tier and
the NumPy/SciPy reference, per dtype and size, contiguous / strided / out=;
every tier per SIMD target; the call overhead."""
import numpy as np

import quake
from quake._optable import baseline

from .common import DTYPES, SIZES, data

OPS = list(quake.OPS)


class Unary:
    params = (OPS, ["q1", "q2", "precise", "reference"], list(DTYPES), list(SIZES))
    param_names = ["op", "impl", "dtype", "n"]

    def setup(self, op, impl, dtype, n):
        if impl == "reference":
            name, fn = baseline(op)
            self.f = lambda x, out=None: fn(x, out)
        else:
            self.f = getattr(getattr(quake, impl), op)
        self.x = data(n, dtype)
        self.out = np.empty_like(self.x)
        self.xs = data(2 * n, dtype)[::2]  # strided view of n elements
        np.seterr(all="ignore")

    def time_contiguous(self, op, impl, dtype, n):
        self.f(self.x)

    def time_out(self, op, impl, dtype, n):
        self.f(self.x, out=self.out)

    def time_strided(self, op, impl, dtype, n):
        self.f(self.xs, out=self.out)


class PerTarget:
    """float32, 100,000 elements, on every SIMD target (unsupported: skipped)."""

    params = (OPS, ["q1", "q2", "precise"], [t["name"] for t in quake.targets()])
    param_names = ["op", "tier", "target"]

    def setup(self, op, tier, target):
        if not any(t["name"] == target and t["supported"] for t in quake.targets()):
            raise NotImplementedError(f"{target} not supported on this CPU")
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(100_000, "float32")
        self.out = np.empty_like(self.x)
        self.previous = quake.active_target()
        quake.set_target(target)

    def teardown(self, op, tier, target):
        quake.set_target(self.previous)

    def time_op(self, op, tier, target):
        self.f(self.x, out=self.out)


class CallOverhead:
    """One element: the cost of the ufunc machinery around the kernel."""

    def setup(self):
        self.x = np.ones(1, np.float32)
        self.out = np.empty(1, np.float32)

    def time_quake(self):
        quake.exp(self.x, out=self.out)

    def time_numpy(self):
        np.exp(self.x, out=self.out)
