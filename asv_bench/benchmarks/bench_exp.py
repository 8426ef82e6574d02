"""exp: every tier x dtype x size, contiguous / strided / out=, plus np.exp."""
import numpy as np

import quake

from .common import DTYPES, SIZES, data


class Exp:
    params = (["q1", "q2", "precise", "numpy"], list(DTYPES), list(SIZES))
    param_names = ["tier", "dtype", "n"]

    def setup(self, tier, dtype, n):
        self.f = np.exp if tier == "numpy" else getattr(quake, tier).exp
        self.x = data(n, dtype)
        self.out = np.empty_like(self.x)
        base = data(2 * n, dtype)
        self.xs = base[::2]  # strided view of n elements
        np.seterr(all="ignore")

    def time_contiguous(self, tier, dtype, n):
        self.f(self.x)

    def time_out(self, tier, dtype, n):
        self.f(self.x, out=self.out)

    def time_strided(self, tier, dtype, n):
        self.f(self.xs, out=self.out)


class ExpPerTarget:
    """float32, 100,000 elements, on every SIMD target this CPU runs."""

    params = (["q1", "q2", "precise"], [t["name"] for t in quake.targets()])
    param_names = ["tier", "target"]

    def setup(self, tier, target):
        if not any(t["name"] == target and t["supported"] for t in quake.targets()):
            raise NotImplementedError(f"{target} not supported on this CPU")
        self.f = getattr(quake, tier).exp
        self.x = data(100_000, "float32")
        self.out = np.empty_like(self.x)
        self.previous = quake.active_target()
        quake.set_target(target)

    def teardown(self, tier, target):
        quake.set_target(self.previous)

    def time_exp(self, tier, target):
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
