"""The C kernels outside Python: compiled as strict C11 with -Wall -Wextra
-Werror, every native target checked bit for bit against the scalar
reference for all lengths 0..67 (tests/c/kernel_check.c).  The AArch64/NEON
build of the same check runs under qemu in .ci/run (tools/check_kernels.sh)."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_native_kernels_bit_identical_and_warning_free(tmp_path):
    script = os.path.join(ROOT, "tools", "check_kernels.sh")
    if not os.path.exists(script):
        pytest.fail("tools/check_kernels.sh missing: run the tests from a source checkout")
    if shutil.which(os.environ.get("CC", "cc")) is None:
        pytest.fail("no C compiler: quake cannot have been built here either")
    env = dict(os.environ, BUILD_DIR=str(tmp_path))
    r = subprocess.run(["bash", script, "native"], capture_output=True, text=True, env=env)
    sys.stdout.write(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "MISMATCH" not in r.stdout


def test_kernel_source_list_names_every_target():
    """src/quake/_kern/kernel_sources.txt, the one list of the C sources that
    build without Python (CPU detection, a translation unit per target),
    which setup.py and tools/*.sh read, holds every target_*.c."""
    import glob

    with open(os.path.join(ROOT, "src", "quake", "_kern", "kernel_sources.txt")) as fh:
        listed = fh.read().split()
    targets = sorted(os.path.relpath(p, ROOT) for p in
                     glob.glob(os.path.join(ROOT, "src", "quake", "_kern", "target_*.c")))
    assert sorted(listed) == sorted(targets + ["src/quake/_kern/cpu.c"])
    for tool in ("check_kernels.sh", "sanitize.sh", "valgrind.sh"):
        text = open(os.path.join(ROOT, "tools", tool)).read()
        assert "kernel_sources.txt" in text and "target_avx2.c" not in text, tool
