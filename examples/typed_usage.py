"""quake under a type checker: CI runs ``mypy --strict`` on this file against
the installed package (its py.typed marker and .pyi stubs), and the test suite
does too where mypy is installed (tests/test_typing.py)."""
from __future__ import annotations

import io
from typing import Any

import numpy as np
from numpy.typing import NDArray

import quake
import quake.accuracy
import quake.sklearn
import quake.testing


def attention(q: NDArray[np.float32], k: NDArray[np.float32],
              v: NDArray[np.float32]) -> NDArray[np.float32]:
    """Scaled dot-product attention with the QuAKE2 softmax."""
    scores = q @ k.T / np.float32(np.sqrt(q.shape[-1]))
    weights: NDArray[np.float32] = quake.q2.softmax(scores, axis=-1)
    return weights @ v


def mlp_layer(x: NDArray[np.float32], w: NDArray[np.float32]) -> NDArray[np.float32]:
    """A dense layer with GELU, in place: quake ufuncs take out=."""
    h = x @ w
    quake.gelu(h, out=h)
    return h


def predict_fast(model: Any, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """scikit-learn's predict_proba on quake's q2 tier (needs scikit-learn)."""
    with quake.sklearn.patch("q2") as p:
        assert p.tier == "q2"
        proba: NDArray[np.float64] = model.predict_proba(x)
    return proba


def main() -> None:
    rng = np.random.default_rng(0)
    q, k, v = (rng.standard_normal((8, 16)).astype(np.float32) for _ in range(3))
    out = attention(q, k, v)
    assert out.shape == (8, 16)
    h = mlp_layer(q, k.T.copy())
    assert h.dtype == np.float32

    ops: list[np.ufunc] = [quake.exp, quake.q1.exp, quake.q2.sigmoid, quake.precise.tanh]
    assert all(op.nin == 1 and op.nout == 1 for op in ops)
    bound: quake.accuracy.Bound = quake.accuracy.bound("exp", "q2", np.float32)
    assert bound.metric == "rel" and bound.value <= 0.0035
    worst, _ = quake.testing.max_error("exp", "q2", quake.testing.sample("exp", np.float32))
    assert worst <= bound.value

    with quake.use_target("scalar"):
        assert quake.active_target() == "scalar"
    names: list[str] = [t["name"] for t in quake.targets()]
    assert "scalar" in names
    buf = io.StringIO()
    quake.show_config(file=buf)
    assert "active target" in buf.getvalue()


if __name__ == "__main__":
    main()
