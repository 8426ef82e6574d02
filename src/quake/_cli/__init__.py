"""``python -m quake``: what quake does on this machine.

Prints the CPU/target table, then for every op (exp, the activations, the
row ops), dtype and tier: the maximum error measured here against a
higher-precision reference next to the stated bound (ok / FAIL), and the
single-threaded speed against the NumPy/SciPy baseline (exp also against a
plain copy), measured side by side in this process.  Exits 1 if a measured
error exceeds its bound.
"""
from __future__ import annotations

import argparse

from .._optable import ALL_OPS
from . import args as cli_args
from . import bench, report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m quake", description=cli_args.plain(__doc__),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    cli_args.add_version(p)
    sub = p.add_subparsers(dest="cmd")
    r = sub.add_parser("report", help="(default) targets, accuracy and speed of every tier")
    cli_args.add_version(r)
    for q in (p, r):
        q.add_argument("--ops", nargs="+", choices=ALL_OPS, default=list(ALL_OPS),
                       metavar="OP", help="ops to measure (default all: " + " ".join(ALL_OPS) + ")")
        q.add_argument("--dtypes", nargs="+", default=["float32", "float64"],
                       choices=["float16", "float32", "float64"],
                       help="dtypes to measure (default float32 float64)")
        q.add_argument("--sizes", nargs="+", type=cli_args.positive_int,
                       default=[100_000, 10_000_000],
                       help="elementwise sizes to time (default 100000 10000000)")
        q.add_argument("--row-shape", nargs=2, type=cli_args.positive_int, default=[4096, 128],
                       metavar=("ROWS", "N"),
                       help="matrix the row ops are timed on, over its last axis (default 4096 128)")
        q.add_argument("--budget", type=cli_args.positive_float, default=0.25,
                       help="seconds per timing (default 0.25)")
        q.add_argument("--json", metavar="PATH",
                       help="also write every row (errors, bounds, timings) as JSON to PATH")
    cli_args.add_version(sub.add_parser("config", help="CPU features and SIMD targets only"))
    cli_args.add_version(bench.add_parser(sub))
    args = p.parse_args(argv)
    if args.cmd == "bench":
        return bench.main(args)
    if args.cmd == "config":
        from .._config import show_config

        show_config()
        return 0
    return report.report(args)
