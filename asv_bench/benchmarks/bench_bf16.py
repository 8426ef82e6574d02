"""bfloat16 (ml_dtypes.bfloat16, issue 19): every elementwise op and tier
against its float32 time and the NumPy/SciPy reference on bfloat16, 1e5
elements; softmax on (4096, 128) rows.  Skipped without ml_dtypes."""
import numpy as np

import quake
from quake._optable import baseline
from quake._registry import BFLOAT16

from .common import data

OPS = list(quake.OPS)


def _need_bf16():
    if BFLOAT16 is None:
        raise NotImplementedError("ml_dtypes not installed: no bfloat16 loops")


class Bf16Unary:
    params = (OPS, ["q1", "q2", "precise", "reference"], ["bfloat16", "float32"])
    param_names = ["op", "impl", "dtype"]

    def setup(self, op, impl, dtype):
        _need_bf16()
        if impl == "reference":
            fn = baseline(op)[1]
            self.f = lambda x, out=None: fn(x, out)
        else:
            self.f = getattr(getattr(quake, impl), op)
        self.x = data(100_000, dtype)
        self.out = np.empty_like(self.x)
        np.seterr(all="ignore")

    def time_out(self, op, impl, dtype):
        self.f(self.x, out=self.out)


class Bf16Rows:
    params = (list(quake.ROW_OPS), ["q1", "q2", "precise"], ["bfloat16", "float32"])
    param_names = ["op", "tier", "dtype"]

    def setup(self, op, tier, dtype):
        _need_bf16()
        self.f = getattr(getattr(quake, tier), op)
        self.x = data(4096 * 128, dtype).reshape(4096, 128)
        self.out = np.empty_like(self.f(self.x))
        np.seterr(all="ignore")

    def time_last_axis(self, op, tier, dtype):
        self.f(self.x, out=self.out)
