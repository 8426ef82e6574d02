"""The peers ``python -m quake bench`` times quake against, where installed:
PyTorch, ONNX Runtime, JAX and numexpr, each single-threaded, computing the
op named by the op table's ``peers`` entry, at the bench's thread count
(``--threads``; JAX keeps XLA's own CPU threading, fixed when it starts).
Each maker returns (label, fn(x, out) -> result) or None where the peer
lacks the op."""
from __future__ import annotations

import numpy as np

from .._optable import SPEC


def torch_peer(op, threads=1):
    call = SPEC[op].peers.get("torch")
    if call is None:
        return None
    import torch

    torch.set_num_threads(threads)
    f = call.resolve()

    def run(x, out):
        t = torch.from_numpy(x)
        if call.out and out is not None and out.shape == x.shape:
            return f(t, out=torch.from_numpy(out)).numpy()
        return f(t).numpy()
    return f"torch {torch.__version__}", run


def jax_peer(op, threads=1):
    call = SPEC[op].peers.get("jax")
    if call is None:
        return None
    import jax

    jax.config.update("jax_platforms", "cpu")
    f = jax.jit(call.resolve())
    return f"jax {jax.__version__}", lambda x, out: np.asarray(f(x).block_until_ready())


def numexpr_peer(op, threads=1):
    expr = SPEC[op].peers.get("numexpr")
    if expr is None:
        return None
    import numexpr as ne

    ne.set_num_threads(threads)
    return f"numexpr {ne.__version__}", lambda x, out: ne.evaluate(expr, local_dict={"x": x}, out=out)


def onnxruntime_peer(op, threads=1):
    node = SPEC[op].peers.get("onnxruntime")
    if node is None:
        return None
    import onnxruntime as ort
    from onnx import helper

    kind, attrs = node
    sessions = {}

    def run(x, out):
        key = (x.dtype.str, x.ndim)
        if key not in sessions:
            et = helper.np_dtype_to_tensor_dtype(x.dtype)
            shape = [None] * x.ndim
            g = helper.make_graph([helper.make_node(kind, ["x"], ["y"], **attrs)], "g",
                                  [helper.make_tensor_value_info("x", et, shape)],
                                  [helper.make_tensor_value_info("y", et, shape)])
            m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 20)])
            so = ort.SessionOptions()
            so.intra_op_num_threads = threads
            so.inter_op_num_threads = 1
            sessions[key] = ort.InferenceSession(m.SerializeToString(), so,
                                                 providers=["CPUExecutionProvider"])
        return sessions[key].run(None, {"x": x})[0]
    return f"onnxruntime {ort.__version__}", run


PEERS = (("torch", torch_peer), ("onnxruntime", onnxruntime_peer), ("jax", jax_peer),
         ("numexpr", numexpr_peer))
NAMES = tuple(name for name, _ in PEERS)


def available(op, wanted=None, threads=1):
    """[(label, fn)] of the installed peers (of `wanted`, default all) that have
    `op`, set to `threads` threads (torch's setting is process-wide: the last
    maker called wins)."""
    out = []
    for name, make in PEERS:
        if wanted is not None and name not in wanted:
            continue
        try:
            impl = make(op, threads)
        except Exception:  # not installed, or too old: peers are optional
            continue
        if impl is not None:
            out.append(impl)
    return out
