"""The golden digest: one SHA-256 per (op, tier, dtype) over the output bits of
quake's ufuncs on a fixed, dense input set, stored in tests/data/digests.json.

    python tools/digest.py --check    # every supported target against the file (exit 1 if not)
    python tools/digest.py --write    # regenerate the file (all targets must agree first)
    python tools/digest.py --print    # the digests of the active target, one a line

A change that alters any output bit of any op, tier or dtype changes its
digest, so such a change must regenerate the file in the same commit and the
numeric change is visible in review; a refactor must leave the file as it is.
tests/test_digest.py runs --check's comparison on every supported target.

The inputs are built from integer arithmetic and exactly rounded float64
operations only (no libm, no numpy.random streams), so they are the same on
every machine and NumPy version; their own digests are stored too, so an
edit of this file's input set is told apart from a change of results.  Only
output bits are hashed (FP status flags are tested elsewhere).  The precise
log_softmax/logsumexp call libm's log once per row: another libm could
change their digests without any change to quake.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGEST_FILE = os.path.join(ROOT, "tests", "data", "digests.json")
REGENERATE = "python tools/digest.py --write"
BASE_DTYPES = ("float16", "float32", "float64")


def _have_bfloat16() -> bool:
    """bfloat16 (ml_dtypes) is hashed when quake registered its loops."""
    from quake._registry import BFLOAT16

    return BFLOAT16 is not None


# bfloat16 keys are optional: without ml_dtypes they are neither computed nor
# required (compare() skips them), so the file serves both installs.
DTYPES = BASE_DTYPES + (("bfloat16",) if _have_bfloat16() else ())
OPTIONAL_DTYPES = ("bfloat16",)
_UINT = {2: np.uint16, 4: np.uint32, 8: np.uint64}


# ---------------------------------------------------------------- exact random numbers
def _splitmix64(seed: int, n: int) -> np.ndarray:
    """n pseudo-random uint64 (SplitMix64 of seed + i): integer arithmetic only."""
    with np.errstate(over="ignore"):
        z = np.uint64(seed) + (np.arange(1, n + 1, dtype=np.uint64)
                               * np.uint64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _uniform(seed: int, shape, lo: float, hi: float) -> np.ndarray:
    """float64 uniform in [lo, hi): 53 random bits, exactly rounded arithmetic."""
    n = int(np.prod(shape))
    u = (_splitmix64(seed, n) >> np.uint64(11)).astype(np.float64) * 2.0 ** -53
    return (lo + (hi - lo) * u).reshape(shape)


def _bell(seed: int, shape, scale: float) -> np.ndarray:
    """Bell-shaped values of spread ~scale: a sum of four uniforms, no libm."""
    parts = [_uniform(seed * 4 + k, shape, -1.0, 1.0) for k in range(4)]
    return (parts[0] + parts[1] + parts[2] + parts[3]) * (scale * 0.8660254037844386)


def _bit_random(seed: int, dtype, n: int) -> np.ndarray:
    """n random bit patterns of dtype: every exponent, NaN payloads, denormals."""
    it = _UINT[np.dtype(dtype).itemsize]
    return _splitmix64(seed, n).astype(it).view(dtype)


# ---------------------------------------------------------------- elementwise inputs
# Magnitudes where some op, tier or float16 window changes regime: exp's fast
# windows and overflow/underflow points, the activations' clamps and flush
# points, tanh's polynomial joins, gelu's windows, the JAX tangent's ratio
# threshold.  Each is sampled with its 64 neighbours by bit pattern on both sides.
THRESHOLDS = (
    2.0 ** -60, 2.0 ** -12, 0.5, 0.6, 1.0, 2.0, 7.0, 7.5, 9.1, 9.5, 9.95, 10.0, 11.0859375,
    13.0, 19.1, 19.5, 21.1, 37.0, 43.0, 43.5, 44.3614195558365, 87.0, 87.33654,
    88.0, 88.72283905206835, 103.27892990343184, 104.0, 126.0, 350.0, 351.0, 354.89, 708.0,
    708.3964185322641, 709.0, 709.782712893384, 744.4400719213812, 745.1332191019411, 1022.0,
)
SPECIAL_F64 = (0.0, np.inf, 1e-300, 1e30, 1e300)


def _neighbours(dtype, values, k: int = 64) -> np.ndarray:
    """Each positive value of dtype with its k neighbours below and above."""
    dtype = np.dtype(dtype)
    it = _UINT[dtype.itemsize]
    v = np.asarray(values, np.float64).astype(dtype)
    v = v[np.isfinite(v) & (v > 0)]
    bits = v.view(it).astype(np.int64)[:, None] + np.arange(-k, k + 1)[None, :]
    bits = bits[(bits >= 0) & (bits <= int(np.array(np.finfo(dtype).max, dtype).view(it)))]
    return bits.astype(it).view(dtype)


def _edges(dtype) -> np.ndarray:
    """+-0, +-inf, NaNs (quiet, payloads, signalling, negative), denormals,
    the normal and overflow limits and every threshold, all with neighbours."""
    dtype = np.dtype(dtype)
    it = _UINT[dtype.itemsize]
    fi = np.finfo(dtype)
    mant = fi.nmant
    exp_all = ((1 << (dtype.itemsize * 8 - 1)) - 1) ^ ((1 << mant) - 1)  # exponent field
    quiet = 1 << (mant - 1)
    nans = [exp_all | quiet, exp_all | quiet | 1, exp_all | quiet | 0x2A, exp_all | 1,
            exp_all | ((1 << mant) - 1), exp_all | (quiet >> 1)]
    sign = 1 << (dtype.itemsize * 8 - 1)
    nan_arr = np.array(nans + [b | sign for b in nans], dtype=np.uint64).astype(it).view(dtype)
    with np.errstate(over="ignore"):  # 1e300 is inf in float32
        fixed = np.array([0.0, np.inf, fi.smallest_subnormal, fi.tiny, fi.max, 1.0]
                         + list(SPECIAL_F64), np.float64).astype(dtype)
    denorm_top = (np.array(fi.tiny, dtype).view(it) - it(1)).view(dtype)
    mags = np.concatenate([
        fixed, _neighbours(dtype, [fi.smallest_subnormal, fi.tiny, fi.max, 1.0], 16),
        _neighbours(dtype, [denorm_top], 16), _neighbours(dtype, THRESHOLDS)])
    mags = mags[~np.isnan(mags)]
    return np.concatenate([mags, -mags, nan_arr])


def _spread(dtype, hi: float, count: int) -> np.ndarray:
    """About `count` values evenly spaced BY BIT PATTERN over [-hi, hi]:
    every binade, denormals included."""
    dtype = np.dtype(dtype)
    it = _UINT[dtype.itemsize]
    top = int(np.array(hi, dtype).view(it))
    step = max(1, top // (count // 2))
    pos = np.arange(0, top + 1, step, dtype=np.uint64).astype(it).view(dtype)
    return np.concatenate([pos, -pos])


@functools.lru_cache(maxsize=None)
def elementwise_inputs(dtype) -> np.ndarray:
    """The input of every elementwise op for dtype: every float16 bit pattern;
    for float32/float64 the edges, a bit-pattern spread over the domain of
    every op (beyond all of their thresholds), a fine uniform grid where the
    activations bend, and random bit patterns."""
    dtype = np.dtype(dtype)
    if dtype.name in ("float16", "bfloat16"):  # every bit pattern
        return np.arange(1 << 16, dtype=np.uint32).astype(np.uint16).view(dtype)
    lim = {"float32": 120.0, "float64": 800.0}[dtype.name]
    grid = (np.arange(-(1 << 15), 1 << 15, dtype=np.float64) * 2.0 ** -11).astype(dtype)  # [-16, 16)
    seed = {"float32": 32, "float64": 64}[dtype.name]
    x = np.concatenate([
        _edges(dtype), _spread(dtype, lim, 300_000), grid, _bit_random(seed, dtype, 100_000),
        _uniform(seed + 1, (60_000,), -lim, lim).astype(dtype)])
    x.setflags(write=False)
    return x


def elementwise_layouts(x: np.ndarray):
    """The views each elementwise op is hashed on: contiguous, misaligned by
    one element, and negatively strided (the loops' gather path)."""
    return (x, x[1:], x[::-3])


# ---------------------------------------------------------------- row inputs
ROW_LENGTHS = tuple(range(0, 41)) + (63, 64, 65, 100, 127, 128, 129, 1000,
                                    2047, 2048, 2049, 4099, 8195)  # > 2048: segmented
ROW_KINDS = 10


def _row_block(dtype, n: int) -> np.ndarray:
    """ROW_KINDS rows of length n, one of each kind: bell-shaped, offset,
    spanning the whole exp range, masked with -inf, holding a NaN, holding
    +inf, only -inf, huge magnitudes, tiny (denormal) values, constant."""
    dtype = np.dtype(dtype)
    fi = np.finfo(dtype)
    big = {"float16": 8.0, "float32": 100.0, "float64": 720.0, "bfloat16": 100.0}[dtype.name]
    off = {"float16": 1e3, "float32": 3e4, "float64": 1e300, "bfloat16": 3e4}[dtype.name]
    s = 1000 * n + {"float16": 1, "float32": 2, "float64": 3,
                    "bfloat16": 4}[dtype.name] * 10_000_000
    rows = np.empty((ROW_KINDS, n))
    rows[0] = _bell(s, (n,), 3.0)
    rows[1] = _bell(s + 1, (n,), 20.0) + 1000.0
    rows[2] = _uniform(s + 2, (n,), -1.2 * big, 0.0) + off
    rows[3] = _bell(s + 3, (n,), 4.0)
    rows[3][_uniform(s + 4, (n,), 0.0, 1.0) < 0.3] = -np.inf
    rows[4] = _bell(s + 5, (n,), 3.0)
    rows[5] = _bell(s + 6, (n,), 3.0)
    rows[6] = -np.inf
    rows[7] = _uniform(s + 7, (n,), -1.0, 1.0) * float(fi.max)
    rows[8] = _uniform(s + 8, (n,), -1.0, 1.0) * float(fi.smallest_subnormal) * 64
    rows[9] = 0.75
    if n:
        rows[3][0] = 0.5  # at least one finite entry
        rows[4][n // 2] = np.nan
        rows[5][(n * 2) // 3] = np.inf
        rows[5][0] = -np.inf if n > 1 else rows[5][0]
    with np.errstate(over="ignore"):
        return rows.astype(dtype)


@functools.lru_cache(maxsize=None)
def row_inputs(dtype) -> tuple:
    """(n, block) for every row length: ROW_KINDS rows of each kind."""
    out = tuple((n, _row_block(dtype, n)) for n in ROW_LENGTHS)
    for _, b in out:
        b.setflags(write=False)
    return out


def row_layouts(block: np.ndarray):
    """(array, axis) pairs each row op is hashed on: C-contiguous rows, the
    transpose (a strided core axis, axis=0), rows misaligned by one element,
    and rows read backwards."""
    r, n = block.shape
    buf = np.empty(r * n + 1, block.dtype)
    buf[1:] = block.ravel()
    return ((block, -1), (np.ascontiguousarray(block.T), 0), (buf[1:].reshape(r, n), -1),
            (block[:, ::-1], -1))


# ---------------------------------------------------------------- hashing
def _update(h, y: np.ndarray) -> None:
    y = np.ascontiguousarray(y)
    h.update(repr(y.shape).encode())
    h.update(y.astype(y.dtype.newbyteorder("<"), copy=False).tobytes())


def input_digests() -> dict[str, str]:
    """{'elementwise/<dtype>' | 'rows/<dtype>': sha256} of the input set itself."""
    out = {}
    for dt in DTYPES:
        h = hashlib.sha256()
        for v in elementwise_layouts(elementwise_inputs(dt)):
            _update(h, v)
        out[f"elementwise/{dt}"] = h.hexdigest()
        h = hashlib.sha256()
        for _, block in row_inputs(dt):
            for a, axis in row_layouts(block):
                h.update(repr(axis).encode())
                _update(h, a)
        out[f"rows/{dt}"] = h.hexdigest()
    return out


def output_digests() -> dict[str, str]:
    """{'<op>/<tier>/<dtype>': sha256 of the output bits} on the active target."""
    import quake

    out = {}
    with np.errstate(all="ignore"):
        for op in quake.OPS:
            for tier in quake.TIERS:
                f = getattr(getattr(quake, tier), op)
                for dt in DTYPES:
                    h = hashlib.sha256()
                    for v in elementwise_layouts(elementwise_inputs(dt)):
                        _update(h, f(v))
                    out[f"{op}/{tier}/{dt}"] = h.hexdigest()
        for op in quake.ROW_OPS:
            for tier in quake.TIERS:
                f = getattr(getattr(quake, tier), op)
                for dt in DTYPES:
                    h = hashlib.sha256()
                    for _, block in row_inputs(dt):
                        for a, axis in row_layouts(block):
                            _update(h, f(a, axis=axis))
                    out[f"{op}/{tier}/{dt}"] = h.hexdigest()
    return out


# ---------------------------------------------------------------- the file
def load(path: str = DIGEST_FILE) -> dict:
    with open(path) as fh:
        return json.load(fh)


def compare(stored: dict, inputs: dict, outputs: dict) -> list[str]:
    """One line per difference between the stored file and these digests."""
    def optional_absent(k: str, have: dict) -> bool:  # e.g. bfloat16 without ml_dtypes
        return k.rsplit("/", 1)[-1] in OPTIONAL_DTYPES and not any(
            h.endswith("/" + k.rsplit("/", 1)[-1]) for h in have)

    lines = [f"input set {k} differs from the file's (tools/digest.py's inputs were edited)"
             for k in sorted(set(inputs) | set(stored["inputs"]))
             if inputs.get(k) != stored["inputs"].get(k) and not optional_absent(k, inputs)]
    want = {k: v for k, v in stored["digests"].items() if not optional_absent(k, outputs)}
    for k in sorted(set(outputs) | set(want)):
        if k not in want:
            lines.append(f"{k}: not in the file (a new op, tier or dtype)")
        elif k not in outputs:
            lines.append(f"{k}: in the file but quake has no such ufunc")
        elif outputs[k] != want[k]:
            lines.append(f"{k}: output bits differ")
    return lines


def check(path: str = DIGEST_FILE, targets=None) -> list[str]:
    """Differences from the file on each of `targets` (default: every target
    this CPU supports), each line prefixed with the target."""
    import quake

    stored = load(path)
    inputs = input_digests()
    names = targets or [t["name"] for t in quake.targets() if t["supported"]]
    lines = []
    for name in names:
        with quake.use_target(name):
            lines += [f"[{name}] {d}" for d in compare(stored, inputs, output_digests())]
    return lines


def write(path: str = DIGEST_FILE) -> None:
    """Compute the digests on every supported target; they must agree (every
    target returns the same bits); write them with a short header."""
    import quake

    per_target = {}
    for t in quake.targets():
        if t["supported"]:
            with quake.use_target(t["name"]):
                per_target[t["name"]] = output_digests()
    first, ref = next(iter(per_target.items()))
    for name, d in per_target.items():
        bad = sorted(k for k in ref if d.get(k) != ref[k])
        if bad:
            raise SystemExit(f"targets disagree ({first} vs {name}) on {', '.join(bad)}: "
                             "fix the bit-identity bug before writing digests")
    doc = {
        "about": ("SHA-256 of quake's output bits per op/tier/dtype over a fixed dense input "
                  "set (every float16; grids, random bit patterns and edges for float32/"
                  "float64; row ops over many lengths, special rows and layouts). Written "
                  "by tools/digest.py; checked on every target by tests/test_digest.py. "
                  "Any change of an output bit must regenerate this file in the same commit."),
        "regenerate": REGENERATE,
        "inputs": input_digests(),
        "digests": dict(sorted(ref.items())),
    }
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="tools/digest.py", description=__doc__.split("\n\n")[0])
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true",
                      help="compare every supported target with the file; exit 1 on a difference")
    mode.add_argument("--write", action="store_true", help="regenerate the file")
    mode.add_argument("--print", action="store_true", help="print the active target's digests")
    p.add_argument("--file", default=DIGEST_FILE, help="digest file (default tests/data/digests.json)")
    args = p.parse_args(argv)
    if args.print:
        for k, v in output_digests().items():
            print(k, v)
        return 0
    if args.write:
        write(args.file)
        print(f"wrote {args.file}")
        return 0
    lines = check(args.file)
    if lines:
        print("\n".join(lines))
        print(f"{len(lines)} difference(s) from {args.file}. If the change of bits is intended, "
              f"regenerate the file in the same commit: {REGENERATE}")
        return 1
    print(f"all digests match {args.file} on every supported target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
