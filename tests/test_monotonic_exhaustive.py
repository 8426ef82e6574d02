"""Monotonicity over EVERY float32 (slow suite): each monotonic op of each tier
steps down between adjacent inputs by no more than quake.accuracy's
MONOTONE_STEP_ULP_F32 states, and the tiers stated to never decrease never do.
The fast suite checks dense grids and every float16 (test_exp_special.py,
test_activations_special.py)."""
import pytest

import quake
from quake.accuracy import MONOTONE_STEP_ULP_F32
from _helpers import load_tool



@pytest.mark.slow
@pytest.mark.parametrize("op, tier", sorted(MONOTONE_STEP_ULP_F32))
def test_every_float32(op, tier):
    tool = load_tool("check_monotonic", pytest.skip)
    pairs, drop, where = tool.count_decreases(getattr(getattr(quake, tier), op))
    stated = MONOTONE_STEP_ULP_F32[op, tier]
    if stated == 0:
        assert pairs == 0, f"{tier}.{op} decreases at x = {where}"
    else:
        assert drop <= stated, f"{tier}.{op} steps down {drop} ULP > {stated} at x = {where}"


def test_table_covers_the_monotonic_ops():
    assert {op for op, _ in MONOTONE_STEP_ULP_F32} == {"exp", "sigmoid", "tanh"}
    assert {t for _, t in MONOTONE_STEP_ULP_F32} == set(quake.accuracy.TIERS)
