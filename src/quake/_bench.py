"""``python -m quake bench``: every op and tier side by side with NumPy/SciPy
and, when installed, the fastest peers (PyTorch, ONNX Runtime, JAX, numexpr),
single-threaded, in one process.  Speed is reported, never asserted."""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time

import numpy as np

from . import _timing
from ._baselines import baseline

ROW_SHAPES = ((4096, 128), (512, 1024), (64, 32768), (12, 128, 128))


# ---------------------------------------------------------------- peers
def _torch_peer(op):
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    fns = {
        "exp": lambda t, o: torch.exp(t, out=o), "sigmoid": lambda t, o: torch.sigmoid(t, out=o),
        "tanh": lambda t, o: torch.tanh(t, out=o), "silu": lambda t, o: F.silu(t),
        "gelu": lambda t, o: F.gelu(t), "gelu_tanh": lambda t, o: F.gelu(t, approximate="tanh"),
        "softmax": lambda t, o: torch.softmax(t, dim=-1),
        "log_softmax": lambda t, o: torch.log_softmax(t, dim=-1),
        "logsumexp": lambda t, o: torch.logsumexp(t, dim=-1),
    }
    if op not in fns:
        return None
    f = fns[op]

    def call(x, out):
        r = f(torch.from_numpy(x), torch.from_numpy(out) if out is not None and out.shape == x.shape else None)
        return r.numpy()
    return f"torch {torch.__version__}", call


def _jax_peer(op):
    import jax
    import jax.numpy as jnp

    jax.config.update("jax_platforms", "cpu")
    fns = {"exp": jnp.exp, "sigmoid": jax.nn.sigmoid, "tanh": jnp.tanh, "silu": jax.nn.silu,
           "gelu": lambda x: jax.nn.gelu(x, approximate=False),
           "gelu_tanh": lambda x: jax.nn.gelu(x, approximate=True),
           "softmax": lambda x: jax.nn.softmax(x, axis=-1),
           "log_softmax": lambda x: jax.nn.log_softmax(x, axis=-1),
           "logsumexp": lambda x: jax.scipy.special.logsumexp(x, axis=-1)}
    if op not in fns:
        return None
    f = jax.jit(fns[op])
    return f"jax {jax.__version__}", lambda x, out: np.asarray(f(x).block_until_ready())


def _numexpr_peer(op):
    import numexpr as ne

    ne.set_num_threads(1)
    exprs = {"exp": "exp(x)", "sigmoid": "1/(1+exp(-x))", "tanh": "tanh(x)", "silu": "x/(1+exp(-x))"}
    if op not in exprs:
        return None
    e = exprs[op]
    return f"numexpr {ne.__version__}", lambda x, out: ne.evaluate(e, local_dict={"x": x}, out=out)


def _onnxruntime_peer(op):
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    nodes = {"exp": [("Exp", {})], "sigmoid": [("Sigmoid", {})], "tanh": [("Tanh", {})],
             "gelu": [("Gelu", {})], "gelu_tanh": [("Gelu", {"approximate": "tanh"})],
             "softmax": [("Softmax", {"axis": -1})], "log_softmax": [("LogSoftmax", {"axis": -1})]}
    if op not in nodes:
        return None
    (kind, attrs), = nodes[op]
    sessions = {}

    def call(x, out):
        key = (x.dtype.str, x.ndim)
        if key not in sessions:
            et = helper.np_dtype_to_tensor_dtype(x.dtype)
            shape = [None] * x.ndim
            g = helper.make_graph([helper.make_node(kind, ["x"], ["y"], **attrs)], "g",
                                  [helper.make_tensor_value_info("x", et, shape)],
                                  [helper.make_tensor_value_info("y", et, shape)])
            m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 20)])
            so = ort.SessionOptions()
            so.intra_op_num_threads = 1
            so.inter_op_num_threads = 1
            sessions[key] = ort.InferenceSession(m.SerializeToString(), so,
                                                 providers=["CPUExecutionProvider"])
        return sessions[key].run(None, {"x": x})[0]
    _ = TensorProto, onnx
    return f"onnxruntime {ort.__version__}", call


PEERS = (("torch", _torch_peer), ("onnxruntime", _onnxruntime_peer), ("jax", _jax_peer),
         ("numexpr", _numexpr_peer))


def _peer_impls(op, wanted):
    out = []
    for name, make in PEERS:
        if wanted is not None and name not in wanted:
            continue
        try:
            impl = make(op)
        except Exception:  # not installed, or too old: peers are optional
            continue
        if impl is not None:
            out.append(impl)
    return out


# ---------------------------------------------------------------- errors
def _max_error(op, x, y):
    """(value, metric) of y against quake.testing's reference: relative error
    over normal outputs for ops whose precise bound is in ULP or relative,
    else the op's own metric; (None, '') where no reference exists."""
    from . import accuracy, testing
    from ._registry import ROW_OPS

    try:
        b = accuracy.bound(op, "precise", x.dtype)
        ref = testing.reference(op, x)
    except Exception:
        return None, ""
    metric = "rel" if b.metric == "ulp" else b.metric
    y = np.asarray(y)
    if op in ROW_OPS:
        return testing._row_max_error(metric, x, y, ref)[0], metric
    # activations: relative where |f| >= the op's floor, absolute below (the
    # largest floor of its tiers, so every row of the table is comparable)
    floor = max(accuracy.bound(op, t, x.dtype).floor for t in accuracy.TIERS)
    if metric == "rel" and floor:
        m = np.isfinite(ref) & np.isfinite(y)
        r = ref[m].astype(np.longdouble if ref.dtype == np.longdouble else np.float64)
        err = (np.abs(y[m].astype(r.dtype) - r) / np.maximum(np.abs(r), r.dtype.type(floor))).astype(np.float64)
        return (float(err.max()) if err.size else 0.0), f"rel (abs < {floor:.2g})"
    if metric == "rel":
        m = testing.normal_output(ref, x.dtype)
        err = testing.rel_error(y[m], ref[m])
    else:
        m = np.isfinite(ref) & np.isfinite(y)
        err = testing.abs_error(y[m], ref[m])
    return (float(err.max()) if err.size else 0.0), metric


# ---------------------------------------------------------------- driver
def _inputs(op_kind, dtype, sizes, row_shapes, rng):
    if op_kind == "row":
        for shape in row_shapes:
            yield "x".join(map(str, shape)), (rng.standard_normal(shape) * 4).astype(dtype)
    else:
        for n in sizes:
            yield f"{n:.0e}".replace("+0", ""), (rng.standard_normal(n) * 4).astype(dtype)


def run(args) -> dict:
    _timing.pin_single_thread()
    from . import TIERS
    from ._registry import ALL_UFUNCS as UFUNCS

    ops = args.ops or list(dict.fromkeys(op for op, _ in UFUNCS))
    tiers = args.tiers or list(TIERS)
    wanted_peers = None if args.peers is None else set(args.peers)
    rng = np.random.default_rng(0)
    records = []
    plan = []
    for op in ops:
        if not any((op, t) in UFUNCS for t in tiers):
            raise SystemExit(f"unknown op {op!r}; quake has {sorted({o for o, _ in UFUNCS})}")
        kind = "row" if UFUNCS[op, tiers[0]].signature else "unary"
        impls = [(f"quake.{t}", t, (lambda f: lambda x, out: f(x, out=out))(UFUNCS[op, t]))
                 for t in tiers]
        base = baseline(op)
        if base:
            impls.insert(0, (base[0], None, base[1]))
        if not args.no_peers:
            impls += [(name, None, fn) for name, fn in _peer_impls(op, wanted_peers)]
        for dtype in args.dtypes:
            for label, x in _inputs(kind, dtype, args.sizes, args.row_shapes, rng):
                plan.append((op, kind, dtype, label, x, impls))
    total = sum(len(p[5]) for p in plan)
    done = 0
    t_start = time.perf_counter()
    for op, kind, dtype, label, x, impls in plan:
        with np.errstate(all="ignore"):
            out = np.empty_like(UFUNCS[op, tiers[0]](x))  # (n)->() ops: one value per row
        base_ns = None
        for name, tier, fn in impls:
            done += 1
            _progress(done, total, f"{op} {dtype} {label} {name}")
            try:
                with np.errstate(all="ignore"):
                    y = fn(x, out)
                    y = out if y is None else y
                    ns = _timing.ns_per_element(lambda: fn(x, out), x.size, budget_s=args.budget)
            except Exception as exc:  # a peer lacking a dtype, say
                records.append(dict(op=op, impl=name, tier=tier, dtype=dtype, size=label,
                                    error=f"{type(exc).__name__}: {exc}"[:200]))
                continue
            if base_ns is None:
                base_ns = ns
            err, metric = _max_error(op, x, y)
            records.append(dict(op=op, impl=name, tier=tier, dtype=dtype, size=label,
                                ns_per_element=ns, speedup_vs_baseline=base_ns / ns,
                                max_error=err, error_metric=metric))
    _progress(total, total, f"done in {time.perf_counter() - t_start:.0f} s", end=True)
    return dict(machine=_machine(), records=records)


def _progress(i, n, what, end=False):
    if not sys.stderr.isatty() and not end:
        return
    w = 30
    fill = int(w * i / max(n, 1))
    sys.stderr.write(f"\r[{'#' * fill}{'.' * (w - fill)}] {i}/{n} {what[:60]:<60}")
    if end:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _machine():
    from . import __version__, active_target
    from .__main__ import _cpu_name

    return dict(cpu=_cpu_name(), machine=platform.machine(), python=platform.python_version(),
                numpy=np.__version__, quake=__version__, target=active_target(),
                threads="1 (OMP/OpenBLAS/MKL/numexpr env pinned; torch.set_num_threads(1); "
                        "onnxruntime intra_op=1)")


def print_table(result, file=None):
    file = file or sys.stdout  # looked up per call (pytest's capsys swaps it)
    m = result["machine"]
    print(f"quake {m['quake']} on {m['cpu']} ({m['machine']}), target {m['target']}, "
          f"numpy {m['numpy']}; threads: {m['threads']}", file=file)
    rows = result["records"]
    key = None
    for r in rows:
        k = (r["op"], r["dtype"], r["size"])
        if k != key:
            key = k
            print(f"\n{r['op']}  {r['dtype']}  {r['size']}", file=file)
            print(f"  {'implementation':<34} {'ns/el':>9} {'speedup':>8} {'max error':>12}", file=file)
        if "error" in r:
            print(f"  {r['impl']:<34} {'failed: ' + r['error'][:40]}", file=file)
            continue
        e = "" if r["max_error"] is None else f"{r['max_error']:.2e} {r['error_metric']}"
        print(f"  {r['impl']:<34} {r['ns_per_element']:>9.3f} {r['speedup_vs_baseline']:>7.2f}x "
              f"{e:>12}", file=file)
    print("\nspeedup = first row (NumPy/SciPy) time / this time, same data, same process.",
          file=file)


def _shape(text):
    """'4096x128' -> (4096, 128)."""
    try:
        return tuple(int(d) for d in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a shape like 4096x128: {text!r}") from None


def add_parser(sub):
    p = sub.add_parser("bench", help="side-by-side speed + error table of every op and tier")
    p.add_argument("--ops", nargs="+", help="ops to run (default: all)")
    p.add_argument("--tiers", nargs="+", choices=["q1", "q2", "precise"])
    p.add_argument("--dtypes", nargs="+", default=["float32"],
                   choices=["float16", "float32", "float64"])
    p.add_argument("--sizes", nargs="+", type=int, default=[1000, 100_000, 10_000_000],
                   help="elementwise sizes")
    p.add_argument("--row-shapes", nargs="+", type=_shape, default=list(ROW_SHAPES), metavar="AxBx..",
                   help="shapes the row ops run on, over the last axis (default "
                        + " ".join("x".join(map(str, s)) for s in ROW_SHAPES) + ")")
    p.add_argument("--peers", nargs="*", help="subset of torch onnxruntime jax numexpr")
    p.add_argument("--no-peers", action="store_true")
    p.add_argument("--budget", type=float, default=0.2, help="seconds per timing")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    return p


def main(args) -> int:
    result = run(args)
    print_table(result)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(result, fh, indent=1)
        print(f"wrote {args.json}")
    return 0
