"""quake.sklearn.patch() on scikit-learn's bundled load_digits: prediction
agreement with the unpatched estimators and predict_proba speed-up, per tier,
measured side by side in one process (single-threaded BLAS).

Usage: python tools/bench_sklearn.py [--repeat-rows N]"""
import argparse
import os
import time
import warnings

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import quake.sklearn  # noqa: E402


def best_time(fn, repeats=7):
    fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeat-rows", type=int, default=20,
                   help="tile the test set this many times for timing (default 20)")
    args = p.parse_args()
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, _ = train_test_split(X / 16.0, y, test_size=0.5, random_state=0)
    models = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for act in ("logistic", "tanh"):
            for hidden in ((64,), (256, 256)):
                models[f"MLP{hidden} {act}"] = MLPClassifier(
                    hidden, activation=act, max_iter=200, random_state=0).fit(Xtr, ytr)
        models["LogisticRegression"] = LogisticRegression(max_iter=2000).fit(Xtr, ytr)
    Xbig = np.tile(Xte, (args.repeat_rows, 1))
    print(f"load_digits: {len(Xte)} test samples; timing predict_proba on {len(Xbig)} rows")
    print(f"{'model':<28} {'tier':<8} {'agree':>8} {'max |dp|':>9} {'speed-up':>9}")
    for name, m in models.items():
        p0 = m.predict_proba(Xte)
        t0 = best_time(lambda: m.predict_proba(Xbig))
        for tier in quake.TIERS:
            with quake.sklearn.patch(tier):
                p1 = m.predict_proba(Xte)
                t1 = best_time(lambda: m.predict_proba(Xbig))
            agree = np.mean(p0.argmax(1) == p1.argmax(1))
            print(f"{name:<28} {tier:<8} {agree:>8.2%} {np.abs(p1 - p0).max():>9.1e} "
                  f"{t0 / t1:>8.2f}x")


if __name__ == "__main__":
    main()
