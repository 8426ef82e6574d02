"""Shared by the table-driven float32 kernels' derivations (derive_tanh_f32.py,
derive_gelu_f32.py): the 32 quarter-binade slots, float32-centred intervals,
relative-minimax fits rounded to float32 one coefficient at a time, and the
float32 Horner evaluation with fma emulated in float64.

Slots: slot = (bits(max(a, 2^-4)) >> 21) mod 32 for a in [0, 16), i.e. the
exponent's low three bits and the top two mantissa bits.  The first one,
u in [2^-4, 1.25 2^-4), holds [0, 5/64) (everything below 2^-4 lands there
through the max); every other slot is a quarter-binade
[2^e (1 + m/4), 2^e (1 + (m+1)/4)), e in [-4, 3].
"""
import argparse

import numpy as np

F32 = np.float32
NSLOT = 32


def quarter_binades():
    """(slot, lo, hi, e, m2) for the 32 slots, in increasing a; slot 12's
    interval is [0, 5/64)."""
    out = []
    for q in range(492, 524):
        e, m2 = q // 4 - 127, q % 4
        lo, hi = 2.0**e * (1 + m2 / 4), 2.0**e * (1 + (m2 + 1) / 4)
        if e == -4 and m2 == 0:
            lo = 0.0
        out.append((q & 31, lo, hi, e, m2))
    return out


def best_centre(mid, f):
    """the float32 c within 2^-9 mid of mid whose f(c) (float64, vectorised)
    is nearest a float32 (c0 = f(c) then carries almost no rounding error)"""
    b = int(np.float32(mid).view(np.uint32))
    cs = np.arange(b - 2**14, b + 2**14, dtype=np.uint32).view(np.float32)
    ref = f(cs.astype(np.float64))
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


def fit_rounded(t, f, degree, fixed=None):
    """relative-minimax sum c_k t^k (k <= degree) for f on the sample t,
    rounded to float32 one coefficient at a time from c0 up, the higher ones
    refitted after each rounding (they absorb the lower ones' rounding);
    `fixed` pins some coefficients.  Returns [c_0 .. c_degree]."""
    fixed = dict(fixed or {})
    free = [k for k in range(degree + 1) if k not in fixed]
    while free:
        sol = lawson(t, f, free, fixed)
        k = free.pop(0)
        fixed[k] = float(F32(sol[k]))
    return [fixed[k] for k in range(degree + 1)]


def chebyshev_sample(lo, hi, n=4000):
    """n points on [lo, hi], denser at the ends"""
    u = np.cos(np.pi * (np.arange(n) + 0.5) / n)
    return lo + (hi - lo) / 2 * (1 + u)


def fma32(a, b, c):
    return (a.astype(np.float64) * b.astype(np.float64) + c.astype(np.float64)).astype(F32)


def horner32(coef, t):
    p = np.full_like(t, F32(coef[-1]))
    for k in range(len(coef) - 2, -1, -1):
        p = fma32(p, t, np.full_like(t, F32(coef[k])))
    return p


def ulps32(y, ref):
    """|y - ref| in float32 ULPs of ref"""
    _, e = np.frexp(np.abs(ref))
    return np.abs(y.astype(np.float64) - ref) / np.ldexp(1.0, e - 24)


def c_hex32(v):
    """a float32 as a C hex literal"""
    if v == 0:
        return "0.0f"
    m, e = float(v).hex().split("p")
    return m.rstrip("0").rstrip(".") + "p" + e + "f"


def c_slot_table(name, table, names):
    """a qk_slot_tab initialiser (include/quake/simd/slot_tab.h) for table[k][slot]
    (k < 8): by value (.col, 4 entries a line, each value commented), then the
    same numbers by slot (.row, one slot a line, the values past k zero)"""
    assert table.shape[0] <= 8 and table.shape[1] == NSLOT
    lines = [f"static const qk_slot_tab {name} = {{", "    .col = {"]
    for row, label in zip(table, names):
        vals = [c_hex32(v) for v in row]
        lines.append(f"        {{ /* {label} */")
        for j in range(0, NSLOT, 4):
            lines.append("            " + ", ".join(vals[j:j + 4]) + ",")
        lines.append("        },")
    lines += ["    },", f"    .row = {{ /* slot: {', '.join(names)} */"]
    for slot in range(NSLOT):
        vals = [c_hex32(v) for v in table[:, slot]]
        lines.append(f"        {{ /* {slot} */")
        for j in range(0, len(vals), 4):
            lines.append("            " + ", ".join(vals[j:j + 4]) + ",")
        lines.append("        },")
    lines += ["    },", "};"]
    return "\n".join(lines)


def table_cli(doc, default_degree, argv=None):
    """The derive scripts' command line (--degree, --write HEADER) and an
    empty table: row 0 the slot centres c, rows 1.. the coefficients."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--degree", type=int, default=default_degree)
    ap.add_argument("--write", metavar="HEADER")
    args = ap.parse_args(argv)
    return args, np.zeros((args.degree + 2, NSLOT), dtype=F32)
