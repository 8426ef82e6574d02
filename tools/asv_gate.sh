#!/usr/bin/env bash
# Regression gate for maintainers: benchmark BASE (default: main) and the working
# tree with asv, side by side on this machine, and fail if any benchmark of the
# working tree is slower than BASE by more than FACTOR (default 1.2).
#
#   [PYTHON=.venv/bin/python] tools/asv_gate.sh [--base main] [--factor 1.2] [--rounds 2]
#                                               [asv run options, e.g. -b CallOverhead]
#
# PYTHON (default python3) is an interpreter whose environment has asv, numpy, Cython
# and setuptools (asv_bench/requirements.txt).  Each side is built once, as a wheel
# (offline: --no-build-isolation with those packages), and installed in turn into one
# scratch virtual environment that sees PYTHON's packages (a .pth file naming its
# site-packages: a venv's own packages, which --system-site-packages would miss).
# The two builds are then measured alternately, ROUNDS times each (asv run
# --append-samples), so that slow drifts of a shared machine hit both sides alike;
# `asv run --python=same` records each under its commit hash (the working tree's
# uncommitted state gets a `git stash create` hash) and `asv compare` decides.
#
# Exit status: 0 passed; 1 a benchmark is significantly slower beyond FACTOR;
# 2 inconclusive: a benchmark is slower beyond FACTOR but within the noise of the two
# measurements (asv compare's `~` ratios), listed with both sides' spread.
set -euo pipefail
cd "$(dirname "$0")/.."
base=main factor=1.2 rounds=2
while [[ $# -gt 0 ]]; do
    case $1 in
        --base) base=$2; shift 2 ;;
        --factor) factor=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        *) break ;;
    esac
done
py=${PYTHON:-python3}
if ! "$py" -c "import asv, numpy, Cython, setuptools" 2>/dev/null; then
    echo "asv gate: $py lacks asv, numpy, Cython or setuptools; install them with" >&2
    echo "  $py -m pip install -r asv_bench/requirements.txt   (or set PYTHON=...)" >&2
    exit 2
fi
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

# one environment (so asv compares like with like) that sees $py's packages; no pip or
# setuptools of its own (venv's bundled ones would shadow $py's: pip, setuptools, wheel)
"$py" -m venv --without-pip "$scratch/venv"
parent=$("$py" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
own=$("$scratch/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
echo "$parent" > "$own/_asv_gate_parent.pth"
asv() { "$scratch/venv/bin/python" -m asv "$@"; }
(cd asv_bench && asv machine --yes >/dev/null)

# build each side once (quake installs into the scratch venv, ahead of any quake in $py's)
for side in base head; do
    src=$PWD
    [[ $side == base ]] && src=$scratch/base
    t0=$SECONDS
    "$scratch/venv/bin/python" -m pip wheel -q --no-build-isolation --no-deps -w "$scratch/whl-$side" "$src"
    echo "asv gate: built $side in $(( SECONDS - t0 )) s"
done

# measure alternately; the working tree's suite measures both builds (same benchmarks)
for (( r = 1; r <= rounds; r++ )); do
    for side in base head; do
        sha=$head_sha
        [[ $side == base ]] && sha=$base_sha
        "$scratch/venv/bin/python" -m pip install -q --no-deps --force-reinstall "$scratch"/whl-$side/*.whl
        append=()
        (( r > 1 )) && append=(--append-samples)
        echo "asv gate: round $r/$rounds, $side ($sha)"
        (cd asv_bench && asv run --python=same --set-commit-hash "$sha" --show-stderr \
            "${append[@]}" "$@")
    done
done

cd asv_bench
report=$(asv compare "$base_sha" "$head_sha" --factor "$factor" --split --sort ratio)
echo "$report"
if grep -qE '^\s*\+' <<<"$report"; then
    echo "asv gate: FAILED -- benchmarks marked + are significantly slower than $base by more than ${factor}x"
    exit 1
fi
# asv compare writes a ratio beyond the factor that is not statistically significant as
# "~RATIO" and marks the line as unchanged: say so, and why, instead of passing quietly
noisy=$(awk -v f="$factor" '{
    for (i = 1; i <= NF; i++) if ($i ~ /^~[0-9.]+$/) { r = substr($i, 2) + 0; if (r > f) print; }
}' <<<"$report")
if [[ -n $noisy ]]; then
    echo
    echo "asv gate: INCONCLUSIVE -- slower than $base by more than ${factor}x, but within the noise"
    echo "(the before/after columns are median±spread over $rounds round(s); their confidence"
    echo "intervals overlap, so the slowdown is not statistically significant):"
    echo "$noisy"
    echo "measure again with more samples: --rounds $(( rounds * 2 )), or -a repeat=20, on a quieter machine"
    exit 2
fi
echo "asv gate: passed (no benchmark slower than $base by more than ${factor}x)"
