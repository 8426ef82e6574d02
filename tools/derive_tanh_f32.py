"""Derive the table of quake's precise float32 tanh (include/quake/consts/tanh_f32.h).

Run:  python tools/derive_tanh_f32.py [--degree 5] [--write]

The kernel (kernels/tanh_f32.h) splits a = |x| into 32 slots indexed by the
float bits of u = max(a, 2^-4): slot = (bits(u) >> 21) mod 32, i.e. the
exponent's low three bits and the top two mantissa bits.  The first slot,
u in [2^-4, 1.25 2^-4), holds one polynomial for all of [0, 5/64), in a
itself (everything below 2^-4 lands there through the max); the rest of
[2^-4, 16) is cut in quarter-binades, each with its own polynomial in
t = a - c, c a float32 near its centre whose tanh is nearest a float32
(a - c is exact: a and c within a factor 2).  [8, 10) is the last used
interval (a <= 9.5 after the clamp); the three slots above it hold 1.
(The near-zero polynomial first covered all of [0, 2^-3): 1.017 ULP and 3
positive steps down near 0.1247, where a (1 + a r) rounding twice matters
most; giving [5/64, 2^-3) its three own slots removed both.)  Per interval the degree-d polynomial minimises the
relative error (weighted least squares, then Lawson's iteration towards the
minimax), and is rounded to float32 one coefficient at a time from c0 up,
refitting the higher ones after each rounding, so they absorb the rounding
of the lower ones.  The near-zero polynomial has c0 = 0 and c1 = 1 exactly
(tanh(x) = x to the last bit for tiny x).  The figures printed are the
float32 Horner evaluation (fma emulated in float64: product exact, one
double rounding) against float64 tanh, over every float32 of each interval
(near zero: every float32 in [2^-12, 5/64)); the exhaustive figure of the
kernel itself comes from tools/check_tanh_f32 (tests' slow suite).
"""
import argparse
import sys

import numpy as np

F32 = np.float32
NSLOT = 32


def intervals():
    """(slot, lo, hi, c, kind) for every slot."""
    out = []
    for q in range(492, 524):
        slot = q & 31
        e, m2 = q // 4 - 127, q % 4
        if e == -4 and m2 == 0:
            out.append((slot, 0.0, 0.078125, 0.0, "zero"))
        elif e == 3 and m2 > 0:
            out.append((slot, None, None, 0.0, "one"))
        else:
            lo, hi = 2.0**e * (1 + m2 / 4), 2.0**e * (1 + (m2 + 1) / 4)
            if e == 3:
                hi = 10.0
            out.append((slot, lo, hi, best_centre(2.0**e * (1 + m2 / 4 + 1 / 8)), "poly"))
    return sorted(out)


def best_centre(mid):
    """the float32 c within 2^-9 mid of mid whose tanh is nearest a float32
    (c0 = tanh(c) then carries almost no rounding error)"""
    b = int(np.float32(mid).view(np.uint32))
    cs = np.arange(b - 2**14, b + 2**14, dtype=np.uint32).view(np.float32)
    ref = np.tanh(cs.astype(np.float64))
    _, e = np.frexp(ref)
    err = np.abs(ref.astype(F32).astype(np.float64) - ref) / np.ldexp(1.0, e - 24)
    return float(cs[np.argmin(err)])


def floats_in(lo, hi):
    a = int(np.float32(lo).view(np.uint32))
    b = int(np.float32(hi).view(np.uint32))
    return np.arange(a, b, dtype=np.uint32).view(np.float32)


def lawson(t, f, powers, fixed, iters=40):
    """minimax-relative coefficients of sum c_k t^k (k in powers) for f,
    with fixed[k] already set; returns dict k -> c_k (float64)."""
    rhs = f - sum(c * t**k for k, c in fixed.items())
    A = np.stack([t**k for k in powers], axis=1) / f[:, None]
    b = rhs / f
    w = np.ones_like(t) / len(t)
    for _ in range(iters):
        sw = np.sqrt(w)
        sol, *_ = np.linalg.lstsq(A * sw[:, None], b * sw, rcond=None)
        err = np.abs(A @ sol - b)
        w = w * (err + 1e-300)
        w /= w.sum()
    return dict(zip(powers, sol))


def fma32(a, b, c):
    return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(F32)


def horner32(coef, t):
    p = np.full_like(t, F32(coef[-1]))
    for k in range(len(coef) - 2, -1, -1):
        p = fma32(p, t, np.full_like(t, F32(coef[k])))
    return p


def ulp_err(y, x):
    ref = np.tanh(x.astype(np.float64))
    _, e = np.frexp(np.abs(ref))
    return np.abs(y.astype(np.float64) - ref) / np.ldexp(1.0, e - 24)


def fit(lo, hi, c, kind, d):
    if kind == "one":
        return [1.0] + [0.0] * d
    # scaled sample on the interval (Chebyshev-like density at the ends)
    n = 4000
    u = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    if kind == "zero":
        a = (hi / 2) * (1 + u)
        a = a[a > 1e-6]
        t, f = a, np.tanh(a)
        fixed = {0: 0.0, 1: 1.0}
    else:
        a = lo + (hi - lo) / 2 * (1 + u)
        t, f = a - c, np.tanh(a)
        fixed = {}
    free = [k for k in range(d + 1) if k not in fixed]
    # round one coefficient at a time, lowest first, refitting the rest
    while free:
        sol = lawson(t, f, free, fixed)
        k = free.pop(0)
        fixed[k] = float(F32(sol[k]))
    return [fixed[k] for k in range(d + 1)]


def check(coef, lo, hi, c, kind):
    x = floats_in(max(lo, 2.0**-12) if kind == "zero" else lo, hi)
    if kind != "zero":
        x = x[x <= 9.5]
    t = (x - F32(c)).astype(F32)
    y = horner32(coef, t)
    err = ulp_err(y, x)
    yy = np.maximum.accumulate(y)
    steps = int(np.count_nonzero(y[1:] < y[:-1]))
    del yy
    return float(err.max()), steps, y[0], y[-1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--degree", type=int, default=5)
    ap.add_argument("--write", metavar="HEADER")
    args = ap.parse_args(argv)
    d = args.degree
    table = np.zeros((d + 2, NSLOT), dtype=F32)  # row 0: the centre c
    worst, joins = 0.0, []
    prev_last = None
    for slot, lo, hi, c, kind in intervals():
        coef = fit(lo, hi, c, kind, d)
        table[0, slot] = c
        table[1:, slot] = coef
    # report in increasing a
    for q in range(492, 524):
        slot = q & 31
        _, lo, hi, c, kind = next(iv for iv in intervals() if iv[0] == slot)
        if kind == "one":
            continue
        err, steps, first, last = check(table[1:, slot], lo, hi, c, kind)
        worst = max(worst, err)
        join = "" if prev_last is None else ("  JOIN DOWN" if first < prev_last else "")
        print(f"slot {slot:2d} [{lo:.5g}, {hi:.5g}) c={c:.5g}: max {err:.3f} ULP, {steps} steps down{join}")
        prev_last = last
    print(f"degree {d}: max {worst:.3f} ULP (fma emulated)")
    if args.write:
        write_header(args.write, table, d, worst)
    return 0


def write_header(path, table, d, worst):
    def hx(v):
        if v == 0:
            return "0.0f"
        m, e = float(v).hex().split("p")
        return m.rstrip("0").rstrip(".") + "p" + e + "f"

    lines = []
    for k in range(d + 2):
        vals = [hx(v) for v in table[k]]
        name = "c" if k == 0 else f"c{k - 1}"
        lines.append(f"    {{ /* {name} */")
        for j in range(0, NSLOT, 4):
            lines.append("        " + ", ".join(vals[j:j + 4]) + ",")
        lines.append("    },")
    body = "\n".join(lines)
    with open(path, "w") as fh:
        fh.write(TEMPLATE.format(d=d, n=d + 2, body=body, worst=f"{worst:.3f}"))


TEMPLATE = """\
/* The table of the precise float32 tanh (kernels/tanh_f32.h), generated by
 * tools/derive_tanh_f32.py (do not edit; rerun it with --write).
 *
 * tanh a (a = |x| <= 9.5) = c0 + t (c1 + t (... + t c{d})), t = a - c,
 * Horner with fma, (c, c0..c{d}) from one of 32 slots picked by
 * (bits(max(a, 2^-4)) >> 21) mod 32: the exponent's low three bits and the
 * top two mantissa bits.  Slot 12 (u in [2^-4, 1.25 2^-4), and below it
 * everything down to 0 through the max) holds one polynomial on [0, 5/64)
 * with c = 0, c0 = 0, c1 = 1 (tanh x = x for tiny x).  Each other slot is a
 * quarter-binade [2^e (1 + m/4), 2^e (1 + (m+1)/4)), e in [-4, 2], or
 * [8, 10) (slot 8), with c the float32 within 2^-9 of its centre whose tanh
 * is nearest a float32 (so c0 = tanh c is almost exact) and t = a - c exact
 * (a and c within a factor 2: Sterbenz).  Slots 9-11 ([10, 16), never
 * reached after the clamp) hold the constant 1.  Each polynomial is the
 * minimax of the relative error (Lawson's iteration on weighted least
 * squares), rounded to float32 one coefficient at a time from c0 up with the
 * higher ones refitted after each rounding.  Emulated float32 evaluation:
 * {worst} ULP max over the intervals. */
#ifndef QUAKE_CONSTS_TANH_F32_H
#define QUAKE_CONSTS_TANH_F32_H

#define QK_TANH_P_DEG {d}
/* row 0: c of slots 0..31; row k + 1: c_k */
static const float qk_tanh_p_tab[{n}][32] = {{
{body}
}};

#endif
"""

if __name__ == "__main__":
    sys.exit(main())
