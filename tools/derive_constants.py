"""Derive the numeric constants used by quake's exp kernels.

Run:  python tools/derive_constants.py
Every constant printed here appears in include/quake/consts/exp.h with a comment
pointing back to this script (the float64 degree-10 polynomial now serves only
tanh's expm1 and gelu); the float64 precise exp's table and polynomial come from
tools/derive_exp_table_f64.py.  Requires mpmath (a SymPy dependency).
"""
import mpmath as mp
import numpy as np

mp.mp.prec = 200


def f32(v):
    return np.float32(float(v))


def hexf(v):
    return float(v).hex()


def order1_shift():
    # y = 2^floor(t) * (1 + frac(t)),  t = x*log2(e) - sigma.
    # ratio y/e^x = (1+f) 2^-f 2^-sigma ; (1+f)2^-f in [1, M], M at f = 1/ln2 - 1.
    f = 1 / mp.log(2) - 1
    M = (1 + f) * mp.power(2, -f)
    sigma = mp.log(((1 + M) / 2)) / mp.log(2)
    err = (M - 1) / (M + 1)
    return sigma, err, M


def order2_error():
    # p(f) = (f/3 + 2/3) f + 1 versus 2^f on [0, 1]
    fs = [mp.mpf(i) / 20000 for i in range(20001)]
    rel = [((ff / 3 + mp.mpf(2) / 3) * ff + 1) / mp.power(2, ff) - 1 for ff in fs]
    return min(rel), max(rel)


def exp_poly(deg, a):
    """Near-minimax p(r) ~ (e^r - 1)/r on [-a, a], so that e^r ~ 1 + r p(r)."""
    def g(r):
        return mp.expm1(r) / r if r != 0 else mp.mpf(1)
    poly, err = mp.chebyfit(g, [-a, a], deg + 1, error=True)
    return poly[::-1], err  # ascending


if __name__ == "__main__":
    sigma, err, M = order1_shift()
    print("order 1: sigma =", sigma, " minimax rel err =", err)
    print("  shift s = sigma*2^23 =", sigma * 2**23, " (float64 uses sigma directly)")
    c1 = 2**23 / mp.log(2)
    print("  c1 = 2^23/ln2 =", c1, "-> float32", f32(c1))
    print("  c0 = 127*2^23 - s =", 127 * 2**23 - sigma * 2**23, "-> float32", f32(127 * 2**23 - sigma * 2**23))
    lo, hi = order2_error()
    print("order 2: rel err range", lo, hi)
    a = mp.log(2) / 2 * (1 + mp.mpf(2)**-10)
    for deg, kind in ((4, "f32"), (5, "f32"), (10, "f64"), (11, "f64")):
        c, e = exp_poly(deg, a)
        print(f"precise {kind} p degree {deg}: cheb err {mp.nstr(e, 5)}")
        for k, ck in enumerate(c):
            fl = f32(ck) if kind == "f32" else float(ck)
            print(f"   c{k} = {hexf(fl)}  ({mp.nstr(ck, 20)})")
    ln2 = mp.log(2)
    hi32 = f32(ln2)
    lo32 = f32(ln2 - mp.mpf(float(hi32)))
    print("ln2 f32 hi/lo", hexf(hi32), hexf(lo32))
    hi64 = float(ln2)
    lo64 = float(ln2 - mp.mpf(hi64))
    print("ln2 f64 hi/lo", hexf(hi64), hexf(lo64))
    # thresholds
    for name, ftype, maxv, minnorm, denmin in (("f32", np.float32, np.finfo(np.float32).max, np.finfo(np.float32).tiny, 2.0**-149),
                                               ("f64", np.float64, np.finfo(np.float64).max, np.finfo(np.float64).tiny, 2.0**-1074)):
        # largest x with exp(x) rounding to a finite value: exp(x) < max + ulp/2
        lim = mp.log(mp.mpf(float(maxv)) * (1 + mp.mpf(2) ** -(np.finfo(ftype).nmant + 2)))
        x = ftype(float(lim))
        while mp.exp(mp.mpf(float(x))) >= mp.mpf(float(maxv)) * (1 + mp.mpf(2) ** -(np.finfo(ftype).nmant + 2)):
            x = np.nextafter(x, ftype(-np.inf))
        while mp.exp(mp.mpf(float(np.nextafter(x, ftype(np.inf))))) < mp.mpf(float(maxv)) * (1 + mp.mpf(2) ** -(np.finfo(ftype).nmant + 2)):
            x = np.nextafter(x, ftype(np.inf))
        print(name, "XMAX (largest x with finite exp):", hexf(x), repr(x))
        # smallest x with exp(x) >= smallest normal
        lim = mp.log(mp.mpf(float(minnorm)))
        x = ftype(float(lim))
        while mp.exp(mp.mpf(float(x))) < mp.mpf(float(minnorm)):
            x = np.nextafter(x, ftype(np.inf))
        while mp.exp(mp.mpf(float(np.nextafter(x, ftype(-np.inf))))) >= mp.mpf(float(minnorm)):
            x = np.nextafter(x, ftype(-np.inf))
        print(name, "XNORM (smallest x with exp(x) >= tiny):", hexf(x), repr(x))
        # largest x whose exp rounds to zero: exp(x) <= denmin/2
        lim = mp.log(mp.mpf(denmin) / 2)
        x = ftype(float(lim))
        while mp.exp(mp.mpf(float(x))) > mp.mpf(denmin) / 2:
            x = np.nextafter(x, ftype(-np.inf))
        while mp.exp(mp.mpf(float(np.nextafter(x, ftype(np.inf))))) <= mp.mpf(denmin) / 2:
            x = np.nextafter(x, ftype(np.inf))
        print(name, "XZERO (largest x with exp(x) rounding to 0):", hexf(x), repr(x))


def exp_poly_minimax_rel(deg, a, iters=400, npts=3000):
    """Lawson-IRLS minimax of the RELATIVE error of e^r ~ 1 + r*p(r) on [-a, a].

    p has degree `deg`; returns its ascending coefficients (mpmath) and the
    achieved max relative error on the grid.  Used for the float32 precise tier,
    whose error budget is dominated by the polynomial, not by rounding.
    """
    rs = [a * mp.cos(mp.pi * (k + mp.mpf(0.5)) / npts) for k in range(npts)]
    A = mp.matrix(npts, deg + 1)
    b = mp.matrix(npts, 1)
    for i, r in enumerate(rs):
        e = mp.exp(r)
        for j in range(deg + 1):
            A[i, j] = r ** (j + 1) / e
        b[i] = (e - 1) / e
    w = [mp.mpf(1) / npts] * npts
    c = None
    for _ in range(iters):
        # weighted least squares: minimize sum w_i (A c - b)_i^2
        Aw = mp.matrix(npts, deg + 1)
        bw = mp.matrix(npts, 1)
        for i in range(npts):
            s = mp.sqrt(w[i])
            for j in range(deg + 1):
                Aw[i, j] = A[i, j] * s
            bw[i] = b[i] * s
        c = mp.qr_solve(Aw, bw)[0]
        res = [abs(sum(A[i, j] * c[j] for j in range(deg + 1)) - b[i]) for i in range(npts)]
        tot = sum(w[i] * res[i] for i in range(npts))
        w = [w[i] * res[i] / tot for i in range(npts)]
    return [c[j] for j in range(deg + 1)], max(res)
