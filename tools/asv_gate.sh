#!/usr/bin/env bash
# Regression gate for maintainers: benchmark BASE (default: main) and the working
# tree with asv, side by side on this machine, and fail if any benchmark of the
# working tree is slower than BASE by more than FACTOR (default 1.2).
#
#   tools/asv_gate.sh [--base main] [--factor 1.2] [asv run options, e.g. -b Exp.time_out]
#
# Both sides are built and installed, one after the other, into one scratch virtual
# environment (offline: --system-site-packages reuses this Python's numpy, Cython,
# setuptools and asv); `asv run --python=same` records each under its commit hash
# (the working tree's uncommitted state gets a `git stash create` hash) and
# `asv compare` decides.
set -euo pipefail
cd "$(dirname "$0")/.."
base=main factor=1.2
while [[ $# -gt 0 ]]; do
    case $1 in
        --base) base=$2; shift 2 ;;
        --factor) factor=$2; shift 2 ;;
        *) break ;;
    esac
done
py=${PYTHON:-python3}
scratch=$(mktemp -d)
cleanup() { git worktree remove --force "$scratch/base" >/dev/null 2>&1 || true; rm -rf "$scratch"; }
trap cleanup EXIT

base_sha=$(git rev-parse "$base")
head_sha=$(git stash create 2>/dev/null || true)
head_sha=${head_sha:-$(git rev-parse HEAD)}
if [[ $head_sha == "$base_sha" ]]; then
    echo "asv gate: the working tree is $base ($base_sha): nothing to compare"
    exit 0
fi
git worktree add --detach "$scratch/base" "$base_sha" >/dev/null

# one environment (so asv compares like with like), reinstalled between the two runs
"$py" -m venv --system-site-packages "$scratch/venv"
(cd asv_bench && "$py" -m asv machine --yes >/dev/null)
for side in base head; do
    src=$PWD sha=$head_sha
    [[ $side == base ]] && src=$scratch/base sha=$base_sha
    "$scratch/venv/bin/pip" install -q --no-build-isolation --no-deps --force-reinstall "$src"
    # the working tree's suite measures both builds: same benchmarks, same data
    (cd asv_bench && "$scratch/venv/bin/python" -m asv run --python=same \
        --set-commit-hash "$sha" --show-stderr "$@")
done
cd asv_bench
report=$("$py" -m asv compare "$base_sha" "$head_sha" --factor "$factor" --split --sort ratio)
echo "$report"
if echo "$report" | grep -qE '^\s*\+'; then
    echo "asv gate: FAILED -- benchmarks above are slower than $base by more than ${factor}x"
    exit 1
fi
echo "asv gate: passed (no benchmark slower than $base by more than ${factor}x)"
