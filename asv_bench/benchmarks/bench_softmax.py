"""softmax / log_softmax / logsumexp: every tier over (rows, n) matrices with
n in {8, 64, 1024}, along the last axis (contiguous rows) and axis 0
(strided core axis), plus scipy.special.softmax as the reference."""
import numpy as np

import quake

from .common import data

# the attention/classifier shapes (12x128x128 runs as 1536 rows of 128) plus short rows
SHAPES = ((4096, 128), (512, 1024), (64, 32768), (1536, 128), (65536, 8), (8192, 64))


class RowOps:
    params = (list(quake.TIERS), list(quake.ROW_OPS),
              [f"{r}x{n}" for r, n in SHAPES], ["float16", "float32", "float64"])
    param_names = ["tier", "op", "shape", "dtype"]

    def setup(self, tier, op, shape, dtype):
        rows, n = (int(v) for v in shape.split("x"))
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(rows * n, dtype).reshape(rows, n)
        self.xt = np.ascontiguousarray(self.x.T)
        np.seterr(all="ignore")

    def time_last_axis(self, tier, op, shape, dtype):
        self.f(self.x)

    def time_axis0(self, tier, op, shape, dtype):
        self.f(self.xt, axis=0)


class ScipySoftmax:
    params = ([f"{r}x{n}" for r, n in SHAPES],)
    param_names = ["shape"]

    def setup(self, shape):
        import scipy.special

        rows, n = (int(v) for v in shape.split("x"))
        self.f = scipy.special.softmax
        self.x = data(rows * n, "float32").reshape(rows, n)

    def time_scipy(self, shape):
        self.f(self.x, axis=-1)
