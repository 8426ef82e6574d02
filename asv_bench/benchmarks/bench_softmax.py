"""softmax / log_softmax / logsumexp: every tier over (rows, n) matrices with
n in {8, 64, 1024}, along the last axis (contiguous rows) and axis 0
(strided core axis), plus scipy.special.softmax as the reference."""
import numpy as np

import quake

from .common import data

# issue 14's shapes (32x12x128x128 runs as 49152 rows of 128): attention/classifier rows,
# short rows, vocabulary-sized rows
SHAPES = ((4096, 128), (512, 1024), (64, 32768), (1536, 128), (49152, 128), (65536, 8),
          (65536, 16), (16384, 32), (8192, 64), (32, 50257), (1, 151936))


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


class AxisZero:
    """axis=0 of a C-ordered (4096, 4096) float32 matrix (rows side by side:
    rowloops.c's panels) against the last axis of its transpose and scipy."""
    params = (list(quake.TIERS), list(quake.ROW_OPS))
    param_names = ["tier", "op"]

    def setup(self, tier, op):
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(4096 * 4096, "float32").reshape(4096, 4096)
        self.xt = np.ascontiguousarray(self.x.T)
        np.seterr(all="ignore")

    def time_axis0(self, tier, op):
        self.f(self.x, axis=0)

    def time_last_axis_of_transpose(self, tier, op):
        self.f(self.xt)

    def time_scipy_axis0(self, tier, op):
        import scipy.special

        getattr(scipy.special, op)(self.x, axis=0)
