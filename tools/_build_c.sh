# Sourced by tools/check_kernels.sh, sanitize.sh and valgrind.sh: build the C
# kernel checker (or any list of C files) with one compiler process per file,
# as many at once as there are CPUs.  The per-target units take most of the
# time (each holds every kernel of its target), so they start first.
#   qk_build_c EXE "SOURCES" COMPILER [FLAGS...]   (QK_BUILD_JOBS overrides the CPU count)
qk_build_c() {
    local exe=$1 srcs=$2; shift 2
    local objs=$exe.objs jobs=${QK_BUILD_JOBS:-$(nproc 2>/dev/null || echo 1)}
    rm -rf "$objs" && mkdir -p "$objs"
    # shellcheck disable=SC2086
    { printf '%s\n' $srcs | grep target_ || true; printf '%s\n' $srcs | grep -v target_ || true; } |
        xargs -P "$jobs" -I{} sh -c 'f=$1; shift; "$@" -c "$f" -o "$0/$(basename "$f" .c).o"' \
            "$objs" {} "$@"
    "$@" "$objs"/*.o -lm -o "$exe"
}
