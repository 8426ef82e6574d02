"""Derive the input thresholds of quake's underflow rule.

The rule (docs/robustness.md): an elementwise op reports underflow for a
finite x exactly when its exact result f(x) decays below the normal range:
f(x) is nonzero and, rounded to the dtype's precision as if the exponent
range were unbounded, smaller in magnitude than the smallest normal number
(IEEE 754 tininess after rounding), in the op's decaying tail x < T.  Near 0,
where tanh(x) ~ x and silu(x), gelu(x) ~ x/2 are tiny only because x is,
nothing is reported (as np.tanh does).  This script finds T for every op
and dtype by bisection over the dtype's values against quake.testing's
reference (float64, or long double / mpmath for float64), checks that the
near-zero band is exactly the one stated, and prints
include/quake/consts/underflow.h.

Run:  python tools/derive_underflow.py > include/quake/consts/underflow.h
      python tools/derive_underflow.py --markdown   (the table in docs/robustness.md)
"""
import numpy as np

from quake import OPS, testing

DTYPES = (np.float16, np.float32, np.float64)
UINT = {np.float16: np.uint16, np.float32: np.uint32, np.float64: np.uint64}


def reference(op, x, dt):
    with np.errstate(all="ignore"):
        return testing.reference(op, np.array([x], dtype=dt))[0]


def is_tiny(op, x, dt):
    """The rule for one finite, nonzero x (f(x) != 0 for every such x)."""
    r = reference(op, x, dt)
    if r == 0:  # below the reference's own range: certainly tiny
        return True
    m, e = np.frexp(abs(r))
    p = np.finfo(dt).nmant + 1
    m = np.round(m * 2.0 ** p) / 2.0 ** p  # round to nearest even, exponent kept
    return np.ldexp(m, e) < np.finfo(dt).tiny


def vanishes_at_zero(op):
    """f(0) = 0: the op is tiny near 0 only because x is (the band rule)."""
    return reference(op, 0.0, np.float64) == 0


VANISH_AT_ZERO = tuple(op for op in OPS if vanishes_at_zero(op))


def as_float(bits, dt):
    return np.array([bits], UINT[dt]).view(dt)[0]


def bits_of(x, dt):
    return int(np.array([x], dt).view(UINT[dt])[0])


def first_false(pred, lo, hi, dt):
    """Smallest magnitude bit pattern in (lo, hi] of positive floats where
    pred turns false, given pred(lo) true and pred(hi) false (monotone)."""
    assert pred(as_float(lo, dt)) and not pred(as_float(hi, dt))
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if pred(as_float(mid, dt)):
            lo = mid
        else:
            hi = mid
    return as_float(hi, dt)


def tail(op, dt):
    """T: underflow iff x < T (T itself and everything above: no underflow)."""
    big = float(np.finfo(dt).max)
    # on magnitudes: tiny(-m) holds for large m and fails for m = 1
    m = first_false(lambda v: not is_tiny(op, -v, dt), bits_of(1.0, dt), bits_of(big, dt), dt)
    # m is the smallest magnitude with f(-m) tiny; T = the next float above -m
    below = as_float(bits_of(m, dt) - 1, dt)
    assert is_tiny(op, -m, dt) and not is_tiny(op, -below, dt)
    return -below


def band(op, dt):
    """Z with f(x) tiny iff 0 < |x| < Z near 0, checked on both signs (the
    rule reports nothing there; the docs state Z)."""
    sub = bits_of(np.finfo(dt).smallest_subnormal, dt)
    z = first_false(lambda v: is_tiny(op, v, dt), sub, bits_of(1e-3, dt), dt)
    zm = as_float(bits_of(z, dt) - 1, dt)
    for s in (1, -1):
        assert not is_tiny(op, s * z, dt) and is_tiny(op, s * zm, dt), (op, dt, s)
    return z


def literal(v, dt):
    if dt == np.float64:
        return float(v).hex()
    return float(v).hex() + "f"


def thresholds():
    """{(op, dtype name): (T or None, Z or None)}"""
    return {(op, np.dtype(dt).name): (tail(op, dt) if op != "tanh" else None,
                                      band(op, dt) if op in VANISH_AT_ZERO else None)
            for op in OPS for dt in DTYPES}


def markdown():  # every band edge is a power of 2 (checked: the table says 2^k)
    # (float16 / float32 / float64 in the last column)
    """The rule's table for docs/robustness.md."""
    th = thresholds()
    lines = ["| op | float16 | float32 | float64 | tiny near 0, not reported |",
             "|---|---|---|---|---|"]
    for op in OPS:
        cells = []
        for dt in DTYPES:
            t, z = th[op, np.dtype(dt).name]
            cells.append(f"x < {float(t):.6g}" if t is not None else "never")
        zs = [th[op, np.dtype(dt).name][1] for dt in DTYPES]
        assert all(z is None or float(z) == 2.0 ** int(np.log2(float(z))) for z in zs)
        near = ("0 < abs(x) < " + " / ".join(f"2^{int(np.log2(float(z)))}" for z in zs)
                if zs[0] is not None else "-")
        lines.append(f"| {op} | " + " | ".join(cells) + f" | {near} |")
    return "\n".join(lines)


def main():
    import sys

    if "--markdown" in sys.argv:
        print(markdown())
        return
    rule = __doc__.split("\n\n")[1].replace("\n", "\n * ")
    print("/* Input thresholds of the underflow rule.\n *\n * " + rule)
    print(" *\n * QK_UNDER_T_<op>_<dtype>: underflow iff finite x < T (-inf for none).")
    print(" * Generated by tools/derive_underflow.py; do not edit by hand. */")
    print("#ifndef QUAKE_CONSTS_UNDERFLOW_H\n#define QUAKE_CONSTS_UNDERFLOW_H\n")
    names = {np.float16: "F16", np.float32: "F32", np.float64: "F64"}
    for op in OPS:
        for dt in DTYPES:
            t = tail(op, dt) if op != "tanh" else None
            tv = f"({literal(t, dt)})" if t is not None else "(-INFINITY)"
            print(f"/* {op} {np.dtype(dt).name}: T = {float(t) if t is not None else '-inf'} */")
            print(f"#define QK_UNDER_T_{op}_{names[dt]} {tv}")
    print("\n#endif")


if __name__ == "__main__":
    main()
