"""The golden digest (tools/digest.py): every output bit of every op, tier and
dtype on a fixed dense input set, on every target this CPU supports, must
match tests/data/digests.json.  A change meant to alter bits regenerates the
file in the same commit (python tools/digest.py --write)."""
import pytest

import quake
from _helpers import load_tool

SUPPORTED = [t["name"] for t in quake.targets() if t["supported"]]


digest = load_tool("digest")


def test_input_set_is_the_stored_one():
    diffs = [d for d in digest.compare(digest.load(), digest.input_digests(), {})
             if d.startswith("input set")]
    assert not diffs, "\n".join(diffs) + f"\nregenerate: {digest.REGENERATE}"


@pytest.mark.parametrize("name", SUPPORTED)
def test_output_bits_match_the_golden_digest(name):
    with quake.use_target(name):
        outputs = digest.output_digests()
    diffs = [d for d in digest.compare(digest.load(), digest.input_digests(), outputs)
             if not d.startswith("input set")]
    assert not diffs, (f"target {name}: {len(diffs)} (op, tier, dtype) differ from "
                       f"tests/data/digests.json:\n  " + "\n  ".join(diffs)
                       + f"\nIf the change of bits is intended, regenerate the file in the "
                       f"same commit: {digest.REGENERATE}")


def test_compare_names_each_difference():
    stored = {"inputs": {"elementwise/float32": "a"},
              "digests": {"exp/q1/float32": "x", "exp/q2/float32": "y"}}
    got = digest.compare(stored, {"elementwise/float32": "b"},
                         {"exp/q1/float32": "x", "exp/q2/float32": "z", "exp/q3/float32": "w"})
    assert got == ["input set elementwise/float32 differs from the file's "
                   "(tools/digest.py's inputs were edited)",
                   "exp/q2/float32: output bits differ",
                   "exp/q3/float32: not in the file (a new op, tier or dtype)"]


def test_inputs_hold_every_edge():
    import numpy as np

    for dt in ("float32", "float64"):
        x = digest.elementwise_inputs(dt)
        fi = np.finfo(dt)
        bits = x.view({4: np.uint32, 8: np.uint64}[x.itemsize])
        assert np.isnan(x).sum() >= 12 and (np.isnan(x) & np.signbit(x)).any()
        assert len(set(bits[np.isnan(x)].tolist())) >= 12  # payloads kept apart
        for v in (0.0, np.inf, fi.smallest_subnormal, fi.tiny, fi.max):
            assert (x == v).any() and (x == -v).any()
        assert (np.signbit(x) & (x == 0)).any()
    assert digest.elementwise_inputs("float16").size == 1 << 16
    lengths = [n for n, _ in digest.row_inputs("float32")]
    assert lengths[:41] == list(range(41)) and max(lengths) > 2048


def test_one_flipped_bit_is_named(monkeypatch):
    """The digest sees a single changed bit, and names only its op, tier, dtype."""
    import numpy as np

    real = quake.q2.exp

    def flip_one_float32(x, *a, **k):
        y = real(x, *a, **k)
        if y.dtype == np.float32 and y.size:
            y.view(np.uint32)[y.size // 2] ^= 1
        return y

    monkeypatch.setattr(quake.q2, "exp", flip_one_float32)
    diffs = digest.compare(digest.load(), digest.input_digests(), digest.output_digests())
    assert diffs == ["exp/q2/float32: output bits differ"]
