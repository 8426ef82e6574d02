"""End-to-end benchmark: all-MiniLM-L6-v2 and scikit-learn MLPs, NumPy/SciPy ops
against each quake tier, timed side by side in one process.

    PYTHONPATH=src python -m examples.e2e.bench                 # print the tables
    PYTHONPATH=src python -m examples.e2e.bench --write docs/results.md

BLAS and quake at one thread (threadpoolctl), or at each of ``--threads N ...``
(``all``: every CPU this process may run on); the op sets are interleaved within
every repeat and the median is reported, so slow drift of a shared machine hits
all alike.
Op sets whose quake ufuncs do not exist in this build are reported as
"n/a (op not available)".
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict

import numpy as np

from . import mlp, report
from .ops import OP_NAMES, NumpyOps, QuakeExpOps, QuakeOps, available

TIERS = ("q1", "q2", "precise")


class TimedOps:
    """Wraps an op set and adds each op's wall time to ``seconds``."""

    def __init__(self, ops):
        self.ops, self.name = ops, ops.name
        self.seconds = defaultdict(float)

    def __getattr__(self, op):
        f = getattr(self.ops, op)
        if op not in OP_NAMES:
            return f

        def timed(x):
            t = time.perf_counter()
            r = f(x)
            self.seconds[op] += time.perf_counter() - t
            return r
        return timed


def candidates(needed):
    """The baseline and each quake variant as rows {label, tier, kind, ops}; ops is
    None when this quake build lacks one of the ``needed`` ops."""
    out = [{"label": "numpy/scipy", "tier": None, "kind": "baseline", "ops": NumpyOps()}]
    for kind, cls in (("fused", QuakeOps), ("exp-only", QuakeExpOps)):
        for t in TIERS:
            ops = cls(t)
            out.append({"label": f"quake {t} ({kind})", "tier": t, "kind": kind,
                        "ops": ops if available(ops, needed) else None})
    return out


def time_interleaved(run, op_sets, repeats):
    """Median total and per-op seconds of ``run(ops)`` for each op set, the sets
    taking turns within every repeat (after one untimed warm-up each)."""
    for ops in op_sets.values():
        run(ops)
    totals, per_op = defaultdict(list), defaultdict(lambda: defaultdict(list))
    for _ in range(repeats):
        for label, ops in op_sets.items():
            timed = TimedOps(ops)
            t = time.perf_counter()
            run(timed)
            totals[label].append(time.perf_counter() - t)
            for op, s in timed.seconds.items():
                per_op[label][op].append(s)
    return {label: {"time": statistics.median(totals[label]), "samples": totals[label],
                     "ops": {op: statistics.median(v) for op, v in per_op[label].items()}}
            for label in op_sets}


def add_speedups(rows):
    """Speedup of each timed row over the first (the baseline): the median of the
    per-repeat ratios, each taken between neighbouring runs of one repeat."""
    base = rows[0]["samples"]
    for r in rows:
        if "samples" in r:
            r["speedup"] = statistics.median(b / t for b, t in zip(base, r.pop("samples")))
    return rows


def minilm_accuracy(labels, exact, emb):
    """Agreement of embeddings ``emb`` with the ``exact`` ones (rows: sentences, the
    first len(labels) labelled): min cosine, a topic classifier fitted on exact
    embeddings (4-fold) applied to both, and nearest-neighbour rankings."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    cos = np.sum(exact * emb, axis=1) / (np.linalg.norm(exact, axis=1)
                                         * np.linalg.norm(emb, axis=1))
    n = len(labels)
    y = np.asarray(labels)
    pred_exact, pred = np.empty(n, int), np.empty(n, int)
    for train, test in StratifiedKFold(4, shuffle=True, random_state=0).split(exact[:n], y):
        clf = LogisticRegression(max_iter=2000).fit(exact[train], y[train])
        pred_exact[test] = clf.predict(exact[test])
        pred[test] = clf.predict(emb[:n][test])

    def neighbours(e, k):
        s = e @ e.T
        np.fill_diagonal(s, -np.inf)
        return np.argsort(-s, axis=1, kind="stable")[:, :k]

    nn_exact, nn = neighbours(exact, 5), neighbours(emb, 5)
    overlap = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(nn_exact, nn)])
    return {"min_cos": float(cos.min()),
            "acc_exact": float(np.mean(pred_exact == y)), "acc": float(np.mean(pred == y)),
            "agreement": float(np.mean(pred == pred_exact)),
            "nn1_agreement": float(np.mean(nn_exact[:, 0] == nn[:, 0])),
            "nn5_overlap": float(overlap)}


def bench_minilm(repeats, batch=32, seq=128):
    from .minilm import MiniLM
    from .sentences import LABELS, SENTENCES

    model = MiniLM.load()
    cands = candidates(("softmax", "gelu"))
    live = {c["label"]: c["ops"] for c in cands if c["ops"] is not None}
    ids, mask = model.full_batch(SENTENCES, batch, seq)
    timing = time_interleaved(lambda ops: model.forward(ids, mask, ops), live, repeats)
    exact = model.encode(SENTENCES)
    rows = []
    for c in cands:
        row = {k: c[k] for k in ("label", "tier", "kind")}
        if c["ops"] is not None:
            row.update(timing[c["label"]])
            row.update(minilm_accuracy(LABELS, exact, model.encode(SENTENCES, ops=c["ops"])))
        rows.append(row)
    return {"model": "all-MiniLM-L6-v2", "shape": f"batch {batch} x {seq} tokens",
            "task": f"topic classification of {len(LABELS)} sentences "
                    "(logistic regression on embeddings, 4-fold)",
            "share_ops": ("softmax", "gelu"), "rows": add_speedups(rows)}


def bench_mlp(repeats, activation, hidden=(256, 256)):
    Xtr, Xte, ytr, yte = mlp.digits_split()
    clf = mlp.train(activation, Xtr, ytr, hidden=hidden)
    hidden_op = mlp.HIDDEN_OPS[activation]
    cands = candidates((hidden_op, "softmax"))
    live = {c["label"]: c["ops"] for c in cands if c["ops"] is not None}
    timing = time_interleaved(lambda ops: mlp.forward(clf, Xte, ops), live,
                              repeats * 20)
    exact = mlp.predict(clf, Xte)
    rows = []
    for c in cands:
        row = {k: c[k] for k in ("label", "tier", "kind")}
        if c["ops"] is not None:
            pred = mlp.predict(clf, Xte, c["ops"])
            row.update(timing[c["label"]])
            row.update({"acc_exact": float(np.mean(exact == yte)),
                        "acc": float(np.mean(pred == yte)),
                        "agreement": float(np.mean(pred == exact))})
        rows.append(row)
    return {"model": f"MLPClassifier {hidden}, {activation}",
            "shape": f"batch {len(Xte)} x {Xte.shape[1]}",
            "task": f"load_digits classification ({len(Xte)} test images)",
            "share_ops": (hidden_op, "softmax"), "rows": add_speedups(rows)}


def _thread_count(text):
    if text == "all":
        import quake
        return quake._threads.available_cpus()[0]
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError("thread counts are >= 1")
    return n


def run_at(threads, args):
    """Every model at ``threads`` BLAS and quake threads: (results, environment)."""
    import quake
    from threadpoolctl import threadpool_limits

    previous = quake.get_num_threads()
    try:
        # threadpoolctl limits BLAS and quake's pool alike (quake registers a
        # controller); set quake's explicitly too, for builds without threadpoolctl
        with threadpool_limits(limits=threads), quake.num_threads(threads):
            results = []
            if not args.skip_minilm:
                results.append(bench_minilm(args.repeats))
                print(report.console(results[-1]), flush=True)
            for act in ("logistic", "tanh"):
                results.append(bench_mlp(args.repeats, act))
                print(report.console(results[-1]), flush=True)
            env = report.environment(repeats=args.repeats, threads=threads)
    finally:
        quake.set_num_threads(previous)
    return results, env


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7, help="MiniLM repeats (MLP: x20)")
    ap.add_argument("--threads", type=_thread_count, nargs="+", default=[1], metavar="N",
                    help="BLAS and quake thread counts, each in turn (default 1; "
                         "'all': every CPU this process may run on)")
    ap.add_argument("--write", metavar="PATH", help="write the markdown results page")
    ap.add_argument("--skip-minilm", action="store_true")
    args = ap.parse_args(argv)

    runs = []
    for threads in dict.fromkeys(args.threads):
        print(f"=== {threads} thread(s): BLAS and quake", flush=True)
        runs.append(run_at(threads, args))
    if args.write:
        with open(args.write, "w") as f:
            f.write(report.markdown(runs))
        print(f"wrote {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
