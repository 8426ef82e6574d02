#!/usr/bin/env bash
# Stack frames of the extension's C code: compile every C translation unit of
# the extension (kernels, loops, C API) with -fstack-usage at the optimisation
# levels given, print the largest frames and fail if any exceeds the limit
# (16 KiB: a loop must run in a thread with a small stack, issue 17).
# Usage: tools/stack_usage.sh [python] [cc...]   (default: python3, gcc and clang
#        where installed); QK_STACK_LEVELS (default "0 1 2 3 s"), QK_STACK_LIMIT (16384)
set -euo pipefail
cd "$(dirname "$0")/.."
py=${1:-python3}
shift || true
compilers=("$@")
if [[ ${#compilers[@]} -eq 0 ]]; then
    for c in gcc clang; do command -v "$c" >/dev/null && compilers+=("$c"); done
fi
levels=${QK_STACK_LEVELS:-0 1 2 3 s}
limit=${QK_STACK_LIMIT:-16384}
jobs=${QK_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}
incs=$("$py" -c "import sysconfig, numpy; print('-I' + sysconfig.get_paths()['include'], '-I' + numpy.get_include())")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fail=0
for cc in "${compilers[@]}"; do
    for o in $levels; do
        d="$scratch/$cc-O$o"
        mkdir -p "$d"
        # one compiler per file, as many at once as there are CPUs (slow target units first)
        # shellcheck disable=SC2086
        { ls src/quake/_kern/target_*.c; ls src/quake/_kern/*.c | grep -v /target_; } |
            xargs -P "$jobs" -I{} sh -c 'f=$1; shift; "$@" -c "$f" -o "$0/$(basename "$f" .c).o"' \
                "$d" {} "$cc" -std=c11 "-O$o" -fPIC -ffp-contract=off -fno-strict-aliasing \
                -fstack-usage -Iinclude -Isrc/quake/_kern $incs \
                -DNPY_NO_DEPRECATED_API=NPY_2_0_API_VERSION
        worst=$(cat "$d"/*.su | sort -t$'\t' -k2 -n | tail -1)
        over=$(awk -F'\t' -v l="$limit" '$2 > l' "$d"/*.su | wc -l)
        printf '%-6s -O%s  largest frame %7s bytes  (%s)  over %d: %d\n' "$cc" "$o" \
            "$(cut -f2 <<<"$worst")" "$(cut -f1 <<<"$worst" | sed 's/.*://')" "$limit" "$over"
        if [[ $over -gt 0 ]]; then
            awk -F'\t' -v l="$limit" '$2 > l' "$d"/*.su | sort -t$'\t' -k2 -n | tail -5
            fail=1
        fi
    done
done
exit $fail
