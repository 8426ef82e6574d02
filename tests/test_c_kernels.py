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
