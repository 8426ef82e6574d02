"""The worker pool: elementwise ops at 1e5 / 1e7 elements and row ops over
(4096, 128) / (49152, 128) float32, at 1 thread, 2 threads and every CPU this
process may run on ("all"), per tier."""
import numpy as np

import quake
from quake import _threads

from .common import data

THREADS = ["1", "2", "all"]


def _count(threads):
    return _threads.available_cpus()[0] if threads == "all" else int(threads)


class ThreadsUnary:
    params = (["exp", "gelu"], ["q2", "precise"], [100_000, 10_000_000], THREADS)
    param_names = ["op", "tier", "n", "threads"]

    def setup(self, op, tier, n, threads):
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(n, "float32")
        self.out = np.empty_like(self.x)
        self.previous = quake.set_num_threads(_count(threads))
        np.seterr(all="ignore")

    def teardown(self, op, tier, n, threads):
        quake.set_num_threads(self.previous)

    def time_out(self, op, tier, n, threads):
        self.f(self.x, out=self.out)


class ThreadsRows:
    params = (["softmax", "logsumexp"], ["q2", "precise"], ["4096x128", "49152x128"], THREADS)
    param_names = ["op", "tier", "shape", "threads"]

    def setup(self, op, tier, shape, threads):
        rows, n = (int(v) for v in shape.split("x"))
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(rows * n, "float32").reshape(rows, n)
        self.previous = quake.set_num_threads(_count(threads))
        np.seterr(all="ignore")

    def teardown(self, op, tier, shape, threads):
        quake.set_num_threads(self.previous)

    def time_last_axis(self, op, tier, shape, threads):
        self.f(self.x)
