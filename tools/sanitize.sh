#!/usr/bin/env bash
# Sanitizer run: AddressSanitizer + UndefinedBehaviorSanitizer, any report fatal.
#  1. the C kernel checker (every native target, all tails, in place), and
#  2. the Python extension rebuilt with the sanitizers (in a scratch copy of the
#     tree) running a reduced test suite, with libasan preloaded into Python.
# Usage: tools/sanitize.sh [python-for-tests] [all|c|python]   (default: python3, all;
#        `c` needs no Python: CI runs it beside the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
part=${2:-all}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1

if [[ $part == all || $part == c ]]; then
    echo "== C kernel checker under ASan+UBSan"
    . tools/_build_c.sh
    # shellcheck disable=SC2086
    qk_build_c "$scratch/kernel_check" "$(cat src/quake/_kern/kernel_sources.txt) tests/c/kernel_check.c" \
        cc -std=c11 -O1 -Wall -Wextra -Werror -ffp-contract=off -Iinclude $san
    "$scratch/kernel_check"
fi
[[ $part == all || $part == python ]] || exit 0
py=$("${1:-python3}" -c "import sys; print(sys.executable)")  # the real binary, not a shim

echo "== Python extension under ASan+UBSan (reduced suite)"
cp -r setup.py pyproject.toml README.md include src tests "$scratch/"
(cd "$scratch" && QUAKE_JAX_FFI=0 QUAKE_OPT=1 QUAKE_DEBUG=1 CFLAGS="$san" LDFLAGS="-fsanitize=address,undefined" \
    "$py" setup.py -q build_ext --inplace -j 2 >/dev/null)  # -O1, 2 jobs: the inlined kernels take many minutes under ASan at -O3
so=$(ls "$scratch"/src/quake/_ufuncs*.so)
syms=$(nm -D "$so")   # (not piped into grep -q: with pipefail, SIGPIPE would fail it)
grep -q __asan_report <<<"$syms" || { echo "extension not instrumented"; exit 1; }
grep -q __ubsan_handle <<<"$syms" || { echo "extension lacks UBSan"; exit 1; }
libasan=$(cc -print-file-name=libasan.so)
libubsan=$(cc -print-file-name=libubsan.so)
cd "$scratch"
LD_PRELOAD="$libasan $libubsan" PYTHONPATH="$scratch/src" PYTHONMALLOC=malloc \
    "$py" -m pytest -q -x -p no:cacheprovider tests/test_ufunc_api.py tests/test_exp_special.py \
    tests/test_half.py tests/test_targets.py tests/test_activations_special.py \
    tests/test_softmax_api.py tests/test_softmax_special.py tests/test_properties.py \
    -k "not subprocess"
echo "sanitizers: no reports"
