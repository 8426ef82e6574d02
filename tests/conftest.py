import numpy as np
import pytest

import quake

SUPPORTED_TARGETS = [t["name"] for t in quake.targets() if t["supported"]]
ALL_TARGETS = [t["name"] for t in quake.targets()]


@pytest.fixture(params=SUPPORTED_TARGETS)
def target(request):
    """Run the test once per SIMD target this CPU supports."""
    with quake.use_target(request.param):
        yield request.param


@pytest.fixture(params=[getattr(getattr(quake, t), op) for op in quake.ROW_OPS for t in quake.TIERS],
                ids=[f"{t}.{op}" for op in quake.ROW_OPS for t in quake.TIERS])
def gu(request):
    """Every row ufunc (gufunc) of every tier."""
    return request.param


@pytest.fixture(params=quake.TIERS)
def tier(request):
    return request.param


@pytest.fixture(params=["float16", "float32", "float64"])
def dtype(request):
    return np.dtype(request.param)


def pytest_report_header(config):
    import io

    buf = io.StringIO()
    quake.show_config(file=buf)
    return buf.getvalue().rstrip().splitlines()


# Property-based tests: a fixed, derandomized profile for CI; a longer one for
# local runs (HYPOTHESIS_PROFILE=dev).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=150, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))
