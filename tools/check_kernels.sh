#!/usr/bin/env bash
# Build tests/c/kernel_check.c against the C kernels and run it:
#   native   -- every x86-64 target this CPU supports vs the scalar reference
#   aarch64  -- cross-compiled (gcc-aarch64-linux-gnu) and run under qemu-aarch64:
#               NEON vs the scalar reference
# Both with -std=c11 -Wall -Wextra -Werror.  Usage: tools/check_kernels.sh [native|aarch64|all]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BUILD_DIR:-build/kernel_check}
mkdir -p "$out"
srcs="$(cat src/quake/_kern/kernel_sources.txt) tests/c/kernel_check.c"
flags="-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -Iinclude"
what=${1:-all}
if [[ $what == native || $what == all ]]; then
    ${CC:-cc} $flags $srcs -lm -o "$out/kernel_check"
    "$out/kernel_check"
fi
if [[ $what == aarch64 || $what == all ]]; then
    aarch64-linux-gnu-gcc $flags -static $srcs -lm -o "$out/kernel_check_aarch64"
    qemu-aarch64 "$out/kernel_check_aarch64"
fi
