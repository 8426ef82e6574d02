"""Derive the table and polynomial of the float64 precise exponential.

Run:  python tools/derive_exp_table_f64.py        (prints the C block of
include/quake/consts/exp.h, between the "table-driven float64" markers)

Algorithm (all targets, bit for bit):
    k  = round(x * N/ln2)                      N = 16, k = 16 m + j, 0 <= j < 16
    r  = x - k (ln2/N)_hi - k (ln2/N)_lo       |r| <= ln2/(2N) (+ a hair)
    e^x = 2^m * 2^(j/N) * e^r
        ~ s * (1 + tmp),   s = T_j 2^m,  T_j = 2^(j/N) rounded to double,
          tmp = D_j + r + r^2 (c2 + c3 r + ... + c6 r^4),
          D_j = (2^(j/N) - T_j) / T_j rounded (the table's relative tail).
s is built with one integer add: the table holds the bits of T_j minus
(j << 48), so bits(T'_j) + (k << 48) = bits(T_j) + (m << 52).

The polynomial minimises the maximum relative error of 1 + r + r^2 P(r)
against e^r on [-a, a], a = ln2/32 (1 + 2^-8) (Lawson's iteratively
reweighted least squares on 400 Chebyshev nodes); its coefficients are
rounded to double and the error re-measured on a finer grid after rounding.
Degree 6 gives 2^-56.2 (<= 0.11 ulp on top of the final rounding), degree 7
2^-65 for one more FMA; the Chebyshev fit of (e^r - 1 - r)/r^2 reaches only
2^-54.9 at degree 6.  The set is not an expm1 (relative error 2^-49.7 against
e^r - 1 for tiny r): float64 tanh keeps its table-free degree-10 expm1
(--expm1 prints a degree-7 table-compatible alternative, 2^-58.9, which
measured slower for tanh on AVX2).  Requires mpmath (a few seconds).
"""
import struct
import sys

import mpmath as mp

import _exp_table  # tools/_exp_table.py: what the float32 and float64 derivations share

mp.mp.prec = 200
N = 16
DEG = 6  # degree of 1 + r + r^2 P(r)


def bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def table():
    return _exp_table.table(N, float, bits, from_bits, 52)


def poly(deg=DEG, expm1_rel=False, npts=400, iters=80):
    """Lawson minimax of the relative error of e^r ~ 1 + r + r^2 P(r) (or,
    with expm1_rel, of e^r - 1 ~ r + r^2 P(r)) on [-a, a]: returns the
    coefficients c2..c_deg rounded to double and the errors of both kinds
    after rounding."""
    a = _exp_table.half_width(N)
    m = deg - 1  # coefficients c2..c_deg
    rs = _exp_table.chebyshev_nodes(a, npts)
    den = mp.expm1 if expm1_rel else mp.exp
    A = [[r ** (j + 2) / den(r) for j in range(m)] for r in rs]
    b = [(mp.expm1(r) - r) / den(r) for r in rs]
    c = _exp_table.lawson(A, b, iters)
    cd = [float(c[j]) for j in range(m)]
    pts = [a * mp.mpf(k) / 4000 for k in range(-4000, 4001) if k]

    def f(r):
        return r + r * r * mp.polyval([mp.mpf(v) for v in cd[::-1]], r)

    err_exp = max(abs((1 + f(r)) / mp.exp(r) - 1) for r in pts)
    err_expm1 = max(abs(f(r) / mp.expm1(r) - 1) for r in pts)
    return cd, err_exp, err_expm1, a


def ln2_split():
    c = mp.log(2) / N
    hi = float(c)
    lo = float(c - mp.mpf(hi))
    return hi, lo


if __name__ == "__main__":
    hi, tail, adj = table()
    cd, err, err1, a = poly()
    lhi, llo = ln2_split()
    print(f"/* table-driven float64 ({N} entries, degree {DEG}) */")
    print(f"#define QK_EXP_TAB_N_F64 {N}")
    print(f"#define QK_EXP_INVLN2N_F64 {float(N / mp.log(2)).hex()}  /* N/ln2 */")
    print(f"#define QK_EXP_LN2N_HI_F64 {lhi.hex()}  /* ln2/N = HI + LO */")
    print(f"#define QK_EXP_LN2N_LO_F64 {llo.hex()}")
    print(f"/* exp: max rel err of 1 + r + r^2 P(r) against e^r on |r| <= {mp.nstr(a, 8)}:"
          f" 2^{float(mp.log(err, 2)):.1f} */")
    for k, v in enumerate(cd):
        print(f"#define QK_EXP_T{k + 2}_F64 {v.hex()}")
    print(f"/* (against e^r - 1 it reaches only 2^{float(mp.log(err1, 2)):.1f}: not an expm1) */")
    if "--expm1" in sys.argv:  # the expm1-relative degree-7 alternative (unused)
        cm, em, em1, _ = poly(7, expm1_rel=True)
        print(f"/* degree 7 fitted to e^r - 1: 2^{float(mp.log(em1, 2)):.1f} against e^r - 1,"
              f" 2^{float(mp.log(em, 2)):.1f} against e^r */")
        for k, v in enumerate(cm):
            print(f"/* c{k + 2} = {v.hex()} */")
    _exp_table.print_c_table(
        "double", "qk_exp_tab_f64",
        ["pairs {bits(T_j) - (j << 48), D_j}: T_j = 2^(j/16) rounded to nearest,",
         "D_j = (2^(j/16) - T_j) / T_j rounded (|D_j| < 2^-53)"],
        [f"{adj[j].hex()}, {tail[j].hex()},  /* T = {hi[j].hex()} */" for j in range(N)], tail)
