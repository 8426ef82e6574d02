#!/usr/bin/env bash
# Build tests/c/kernel_check.c against the C kernels and run it:
#   native   -- every x86-64 target this CPU supports vs the scalar reference
#   aarch64  -- cross-compiled (gcc-aarch64-linux-gnu) and run under qemu-aarch64:
#               NEON vs the scalar reference
#   aarch64-clang -- the same built by clang --target=aarch64-linux-gnu (the
#               compiler family of Apple's arm64 builds; gcc's cross sysroot),
#               at -O2 and -O0; compiled only unless QK_RUN_CLANG_A64=1 (qemu: ~2 min)
# All with -std=c11 -Wall -Wextra -Werror; `all` includes aarch64-clang where clang
# is installed.  Usage: tools/check_kernels.sh [native|aarch64|aarch64-clang|all]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${BUILD_DIR:-build/kernel_check}
mkdir -p "$out"
srcs="$(cat src/quake/_kern/kernel_sources.txt) tests/c/kernel_check.c"
flags="-std=c11 -O2 -Wall -Wextra -Wpedantic -Werror -ffp-contract=off -Iinclude"
what=${1:-all}
. tools/_build_c.sh
if [[ $what == native || $what == all ]]; then
    # shellcheck disable=SC2086
    qk_build_c "$out/kernel_check" "$srcs" ${CC:-cc} $flags
    "$out/kernel_check"
fi
if [[ $what == aarch64 || $what == all ]]; then
    # shellcheck disable=SC2086
    qk_build_c "$out/kernel_check_aarch64" "$srcs" aarch64-linux-gnu-gcc $flags -static
    qemu-aarch64 "$out/kernel_check_aarch64"
fi
if [[ $what == aarch64-clang || ($what == all && -n $(command -v clang)) ]]; then
    for o in -O2 -O0; do
        # shellcheck disable=SC2086
        qk_build_c "$out/kernel_check_aarch64_clang$o" "$srcs" clang --target=aarch64-linux-gnu ${flags/-O2/$o} -static
    done
    echo "clang --target=aarch64-linux-gnu: NEON target compiles at -O2 and -O0 (-Werror)"
    if [[ ${QK_RUN_CLANG_A64:-0} == 1 ]]; then
        qemu-aarch64 "$out/kernel_check_aarch64_clang-O2"
    fi
fi
