#!/usr/bin/env bash
# ONE prepared run for the lent AVX-512 machine (a 16-core Intel Xeon with
# AVX-512 F/DQ/BW/VL/FP16/BF16; numpy, scipy, torch, onnxruntime, jax installed;
# no network).  It builds quake in place, runs the C kernel checker (every x86
# target vs scalar, bit for bit) and the test suite with the avx512 target active,
# then benchmarks every op and tier against NumPy/SciPy and the installed peers,
# single-threaded, then the worker pool's scaling (issue 13): paired 1-vs-N
# thread ratios for N = 2, 4, 8, 16 (tools/thread_scaling.py), the grain
# measurement at 2 and 16 threads (tools/measure_grain.py), and quake and the
# peers at 1 and 16 threads side by side.  Everything lands in $OUT (or ./device-out).
# OMP_NUM_THREADS=1 below pins the peers' BLAS/OpenMP and, by quake's rule, quake's
# default too; the scaling steps set quake's and the peers' thread counts explicitly.
#
#   run(command="bash tools/device_check.sh", timeout_s=540)
#
# If Cython is missing there, carry a wheel: see /work/.library/device/README.md
# ("a Python package missing there ... can travel as wheels").
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-device-out}
mkdir -p "$out"
export PYTHONUNBUFFERED=1 OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
py=python3
{
    echo "== machine"; lscpu | grep -E "Model name|Flags" | cut -c1-300; $py -V
    $py -c "import numpy, sys; print('numpy', numpy.__version__)"
    echo "== build"
    $py -m pip install -q --no-build-isolation --no-deps --target /tmp/qk-site . \
        || $py setup.py -q build_ext --inplace
    export PYTHONPATH=/tmp/qk-site:$PWD/src
    $py -m quake config
    echo "== C kernels vs scalar (all x86 targets)"
    BUILD_DIR=/tmp/kc tools/check_kernels.sh native
    echo "== tests, avx512 active"
    QUAKE_TARGET=avx512 timeout 300 $py -m pytest -q -x -p no:cacheprovider tests 2>&1 | tail -15
    echo "== report"
    $py -m quake
    echo "== bench vs peers (float32, 1e5 and 1e7; softmax shapes)"
    $py -m quake bench --dtypes float32 --sizes 100000 10000000 --peers torch onnxruntime jax \
        --json "$out/bench-avx512.json"
    echo "== same, avx2 target for the ratio of targets"
    QUAKE_TARGET=avx2 $py -m quake bench --dtypes float32 --sizes 100000 --no-peers \
        --json "$out/bench-avx2.json"
    echo "== thread scaling (paired ratios, float32)"
    $py tools/thread_scaling.py --threads 2 4 8 16 --pairs 21 --json "$out/scaling.json"
    echo "== grain at 2 and 16 threads"
    $py tools/measure_grain.py --threads 2 --rounds 3
    $py tools/measure_grain.py --threads 16 --rounds 3
    echo "== quake and peers at 1 and 16 threads"
    $py -m quake bench --ops gelu softmax exp --tiers q2 precise --sizes 1000 10000000 \
        --row-shapes 4096x128 49152x128 --peers torch onnxruntime --threads 1 16 \
        --json "$out/bench-threads.json"
} 2>&1 | tee "$out/device.log"
