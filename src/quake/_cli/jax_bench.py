"""``python -m quake.jax``: quake.jax against jax.nn / jax.numpy, jitted, side
by side in one process, forward and gradient.  Speed is reported, never asserted.

XLA is asked for one intra-op thread unless --threads is given, because
quake's kernels are single-threaded (XLA runs independent custom calls in
parallel, but splits no single call)."""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys

from .._optable import ALL_OPS, ROW_OPS, SPEC
from ..accuracy import TIERS
from . import args as cli_args

def _jax_reference(op):
    """(label, function) of the op table's JAX peer: what quake.jax replaces."""
    call = SPEC[op].peers["jax"]
    return call.label, call.resolve()


def _timer(f, x):
    from .timing import ns_per_element

    return ns_per_element(lambda: f(x).block_until_ready(), x.size)


def run(args) -> list[dict]:
    import jax
    import jax.numpy as jnp
    import numpy as np

    import quake.jax as qj

    rng = np.random.default_rng(0)
    rows = []
    cases = [(op, (n,)) for op in args.ops if op not in ROW_OPS for n in args.sizes]
    cases += [(op, s) for op in args.ops if op in ROW_OPS for s in args.shapes]
    for op, shape in cases:
        x = jnp.asarray((rng.standard_normal(shape) * 3).astype(np.float32))
        ref_name, ref = _jax_reference(op)
        fwd = {"jax": jax.jit(ref)}
        fwd.update({t: jax.jit(getattr(qj.tier(t), op)) for t in args.tiers})
        row = {"op": op, "shape": list(shape), "reference": ref_name,
               "fwd_ns": {k: _timer(f, x) for k, f in fwd.items()}}
        if args.grad:
            w = jnp.asarray(rng.standard_normal(ref(x).shape).astype(np.float32))

            def grad_of(fn):  # gradient of a weighted sum: a full backward pass
                return jax.jit(jax.grad(lambda a: jnp.vdot(fn(a), w)))
            row["grad_ns"] = {"jax": _timer(grad_of(ref), x)}
            row["grad_ns"].update({t: _timer(grad_of(getattr(qj.tier(t), op)), x)
                                   for t in args.tiers})
        rows.append(row)
        _print_row(row, args.tiers)
    return rows


def _fmt_shape(shape):
    if len(shape) == 1:
        n = shape[0]
        return f"1e{len(str(n)) - 1}" if n == 10 ** (len(str(n)) - 1) else str(n)
    return "x".join(map(str, shape))


def _print_row(row, tiers):
    for kind in ("fwd_ns", "grad_ns"):
        if kind not in row:
            continue
        t = row[kind]
        cells = "  ".join(f"{k} {t[k]:7.3f} ({t['jax'] / t[k]:5.2f}x)" for k in tiers)
        label = "fwd " if kind == "fwd_ns" else "grad"
        print(f"  {row['op']:<12} {_fmt_shape(row['shape']):>10} {label} "
              f"{row['reference']:<30} {t['jax']:7.3f}   {cells}", flush=True)


def markdown(rows, tiers) -> str:
    """The speed-ups (JAX time / quake.jax time) as a markdown table."""
    kinds = [k for k in ("fwd_ns", "grad_ns") if k in rows[0]]
    head = "| op | shape | JAX reference | " + " | ".join(
        f"{t} {'fwd' if k == 'fwd_ns' else 'grad'}" for k in kinds for t in tiers) + " |"
    out = [head, "|" + "---|" * (3 + len(kinds) * len(tiers))]
    for r in rows:
        cells = [f"{r[k]['jax'] / r[k][t]:.2f}x" for k in kinds for t in tiers]
        out.append(f"| {r['op']} | {_fmt_shape(r['shape'])} | `{r['reference']}` "
                   f"({r['fwd_ns']['jax']:.2f} ns/el) | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m quake.jax", description=cli_args.plain(__doc__),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_args.add_version(p)
    p.add_argument("--ops", nargs="*", default=list(ALL_OPS), choices=ALL_OPS, metavar="OP",
                   help="ops to time (default all: " + " ".join(ALL_OPS) + ")")
    p.add_argument("--tiers", nargs="*", default=list(TIERS), choices=TIERS,
                   help="quake.jax tiers to time (default " + " ".join(TIERS) + ")")
    sizes = [1000, 100_000, 1_000_000]
    p.add_argument("--sizes", nargs="*", type=cli_args.positive_int, default=sizes,
                   help="elementwise sizes, float32 vectors (default "
                        + " ".join(map(str, sizes)) + ")")
    shapes = [(4096, 128), (512, 1024), (64, 32768)]
    p.add_argument("--shapes", nargs="*", type=cli_args.shape, default=shapes, metavar="AxB",
                   help="row-op shapes, reduced over the last axis (default "
                        + " ".join("x".join(map(str, s)) for s in shapes) + ")")
    p.add_argument("--no-grad", dest="grad", action="store_false",
                   help="skip the jax.grad timings (default: time forward and gradient)")
    p.add_argument("--threads", type=cli_args.non_negative_int, default=1,
                   help="XLA intra-op threads (default 1, like quake's kernels; 0 = XLA's default)")
    p.add_argument("--json", metavar="PATH",
                   help="also write the results as JSON to PATH (default: none)")
    p.add_argument("--markdown", action="store_true",
                   help="also print the results as a markdown table (speed-up vs JAX)")
    args = p.parse_args(argv)
    flags = (f"--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads={args.threads}"
             if args.threads else "")
    if flags not in os.environ.get("XLA_FLAGS", "") or "JAX_PLATFORMS" not in os.environ:
        # XLA reads its flags once, when jax starts its backend, and importing
        # quake.jax (this module's package) already imported jax: start afresh
        env = dict(os.environ, JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"),
                   XLA_FLAGS=(os.environ.get("XLA_FLAGS", "") + " " + flags).strip())
        argv = sys.argv[1:] if argv is None else list(argv)
        os.execve(sys.executable, [sys.executable, "-m", "quake.jax", *argv], env)
    import jax

    import quake
    import quake.jax as qj

    print(f"quake {quake.__version__}, jax {jax.__version__}, {platform.machine()}, "
          f"target {quake.active_target()}, XLA threads: {args.threads or 'default'}")
    print(f"quake.jax backend: {qj.backend()['name']} ({qj.backend()['detail']})")
    print("float32, jitted, ns/element (speed-up vs the JAX reference in brackets)")
    print(f"  {'op':<12} {'shape':>10}      {'reference':<30} {'ns/el':>7}   "
          + "  ".join(f"{t:>18}" for t in args.tiers))
    rows = run(args)
    if args.markdown:
        print()
        print(markdown(rows, args.tiers))
    if args.json:
        meta = {"jax": jax.__version__, "quake": quake.__version__,
                "backend": qj.backend(), "target": quake.active_target(),
                "machine": platform.machine(), "xla_threads": args.threads}
        with open(args.json, "w") as f:
            json.dump({"meta": meta, "rows": rows}, f, indent=1)
    return 0
