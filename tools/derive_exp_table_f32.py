"""Derive the table and polynomial of the float32 precise exponential.

Run:  python tools/derive_exp_table_f32.py        (prints the C block of
include/quake/consts/exp.h, between the "table-driven float32" markers)

Algorithm (all targets, bit for bit):
    k  = round(x * N/ln2)                      N = 16, k = 16 m + j, 0 <= j < 16
    r  = x - k (ln2/N)_hi - k (ln2/N)_lo       |r| <= ln2/(2N) (+ a hair)
    e^x = 2^m * 2^(j/N) * e^r ~ s + s w,       s = T_j 2^m,
          w = D_j + r (c1 + r (c2 + c3 r))     (three FMAs, Horner),
    T_j = 2^(j/N) rounded to float32, D_j = (2^(j/N) - T_j) / T_j rounded
    (the table's relative tail: without it T_j alone costs up to 0.5 ULP).
s is one integer add: the table holds the bits of T_j minus (j << 19), so
bits(T'_j) + (k << 19) = bits(T_j) + (m << 23).

1 + c1 r + c2 r^2 + c3 r^3 minimises the maximum relative error against e^r
on [-a, a], a = ln2/32 (1 + 2^-8) (Lawson's iteratively reweighted least
squares on Chebyshev nodes); the coefficients are rounded to float32 and the
error re-measured on a fine grid after rounding.  (1 + D_j)(1 + p) differs
from 1 + D_j + p by D_j p <= 2^-25 * 0.022 = 2^-30.5.  Requires mpmath.
"""
import struct

import mpmath as mp

import _exp_table  # tools/_exp_table.py: what the float32 and float64 derivations share

mp.mp.prec = 120
N = 16
DEG = 3


def f32(v):
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


def bits(v):
    return struct.unpack("<I", struct.pack("<f", v))[0]


def from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b & 0xFFFFFFFF))[0]


def hexf(v):
    """C float literal, exact: v.hex() with the trailing zeros dropped."""
    if v == 0:
        return "0x0p+0f"
    m, e = v.hex().split("p")
    m = m.rstrip("0").rstrip(".")
    return f"{m}p{e}f"


def table():
    return _exp_table.table(N, f32, bits, from_bits, 23)


def poly(npts=200, iters=60):
    a = _exp_table.half_width(N)
    rs = _exp_table.chebyshev_nodes(a, npts)
    A = [[r ** (j + 1) / mp.exp(r) for j in range(DEG)] for r in rs]
    b = [mp.expm1(r) / mp.exp(r) for r in rs]
    c = _exp_table.lawson(A, b, iters)
    cf = [f32(c[j]) for j in range(DEG)]
    pts = [a * mp.mpf(k) / 2000 for k in range(-2000, 2001)]

    def p(r):
        return mp.polyval([mp.mpf(v) for v in cf[::-1]] + [0], r)

    err = max(abs((1 + p(r)) / mp.exp(r) - 1) for r in pts)
    return cf, err, a


def ln2_split():
    """(ln2/N)_hi with 12 trailing zero bits (k * hi exact for |k| < 2^12:
    |x| < 104 * 16/ln2 = 2400), lo the rest rounded."""
    c = mp.log(2) / N
    e = int(mp.floor(mp.log(c, 2)))
    q = mp.mpf(2) ** (e - 11)  # 12 significant bits
    hi = float(mp.nint(c / q) * q)
    lo = f32(c - mp.mpf(hi))
    assert f32(hi) == hi
    return hi, lo


if __name__ == "__main__":
    hi, tail, adj = table()
    cf, err, a = poly()
    lhi, llo = ln2_split()
    print(f"/* table-driven float32 ({N} entries, degree {DEG}) */")
    print(f"#define QK_EXP_TAB_N_F32 {N}")
    print(f"#define QK_EXP_INVLN2N_F32 {hexf(f32(N / mp.log(2)))}  /* N/ln2 */")
    print(f"#define QK_EXP_LN2N_HI_F32 {hexf(lhi)}  /* ln2/N = HI + LO, HI: 12 bits */")
    print(f"#define QK_EXP_LN2N_LO_F32 {hexf(llo)}")
    print(f"/* max rel err of 1 + c1 r + c2 r^2 + c3 r^3 against e^r on |r| <= "
          f"{mp.nstr(a, 8)}: 2^{float(mp.log(err, 2)):.1f} */")
    for k, v in enumerate(cf):
        print(f"#define QK_EXP_C{k + 1}_F32 {hexf(v)}")
    _exp_table.print_c_table(
        "float", "qk_exp_tab_f32",
        ["{bits(T_j) - (j << 19)} for j < 16, then D_j: T_j = 2^(j/16) rounded to",
         "nearest float32, D_j = (2^(j/16) - T_j) / T_j rounded (|D_j| < 2^-24)"],
        [f"{hexf(adj[j])},  /* T = {hexf(hi[j])[:-1]} */" for j in range(N)]
        + [f"{hexf(t)}," for t in tail], tail)
