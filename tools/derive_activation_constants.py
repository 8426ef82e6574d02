"""Derive the numeric constants of quake's activation kernels.

Run:  python tools/derive_activation_constants.py [--fast]
Every constant printed here appears in include/quake/consts/act.h (or
consts/gelu.h) with a comment pointing back to this script.  Requires mpmath;
the GELU sigmoid-form fit uses scipy.  --fast skips the degree-28 fit.
"""
import sys

import mpmath as mp
import numpy as np

mp.mp.prec = 200
F32, F64 = np.float32, np.float64


def ordered_bisect(pred, lo, hi, ftype):
    """Largest float x of ftype in [lo, hi] with pred(x) True (pred(lo) True,
    pred(hi) False, pred monotone)."""
    it = {F32: np.int32, F64: np.int64}[ftype]
    bits = 8 * np.dtype(ftype).itemsize - 1

    def key(v):
        i = int(np.array(v, ftype).view(it))
        return i if i >= 0 else -(i & ((1 << bits) - 1))

    def unkey(k):
        return np.array(k, it).view(ftype)[()] if k >= 0 else -np.array(-k, it).view(ftype)[()]

    a, b = key(ftype(lo)), key(ftype(hi))
    while b - a > 1:
        m = (a + b) // 2
        if pred(unkey(m)):
            a = m
        else:
            b = m
    return unkey(a)


def zero_threshold(f, ftype):
    """Largest x whose |f(x)| rounds to zero (<= half the smallest denormal)."""
    lim = mp.mpf(float(np.finfo(ftype).smallest_subnormal)) / 2
    return ordered_bisect(lambda v: abs(f(mp.mpf(float(v)))) <= lim, -2000.0, -1.0, ftype)


def hx(v):
    return float(v).hex()


def split(v, ftype):
    h = ftype(float(v))
    return h, ftype(float(v - mp.mpf(float(h))))


K = 2 * mp.sqrt(2 / mp.pi)  # gelu_tanh: tanh(u) = 2 sigmoid(2u) - 1, 2u = K (x + c x^3)
C = mp.mpf("0.044715")


def silu(x):
    return x / (1 + mp.exp(-x))


def gelu_tanh(x):
    return x / (1 + mp.exp(-K * (x + C * x**3)))


def gelu(x):
    return x * mp.ncdf(x)


def tanh_poly(a0):
    """minimax c of tanh(a)/a ~ 1 + c a^2 (relative) on [0, a0]"""
    xs = np.linspace(1e-6, a0, 20001)
    cs = np.linspace(-0.34, -0.28, 60001)
    errs = [np.abs((1 + c * xs**2) * xs / np.tanh(xs) - 1).max() for c in cs[::100]]
    c0 = cs[::100][int(np.argmin(errs))]
    cs = np.linspace(c0 - 1e-4, c0 + 1e-4, 2001)
    errs = [np.abs((1 + c * xs**2) * xs / np.tanh(xs) - 1).max() for c in cs]
    i = int(np.argmin(errs))
    return cs[i], errs[i]


def erfc_F(t):
    """F(t) = ln(erfc(z) e^(z^2) / t), z = 2(1 - t)/t: smooth on [0, 1]."""
    t = mp.mpf(t)
    if t < mp.mpf("1e-40"):
        return mp.log(1 / (2 * mp.sqrt(mp.pi)))
    z = 2 * (1 - t) / t
    return mp.log(mp.erfc(z) * mp.exp(z * z) / t)


def gelu_sigmoid_fit():
    """Phi(x) ~ sigmoid(x (a + b x^2 + g x^4)): minimax absolute error of
    x Phi(x) on [-12, 12] (Nelder-Mead on a dense grid)."""
    from scipy.optimize import minimize
    from scipy.special import expit, ndtr

    x = np.linspace(-12, 12, 200001)
    f = x * ndtr(x)

    def err(p):
        return np.abs(x * expit(x * (p[0] + p[1] * x * x + p[2] * x**4)) - f).max()

    p = [float(K), float(K * C), 0.0]
    for tol in (1e-12, 1e-13):
        p = minimize(err, p, method="Nelder-Mead", options=dict(xatol=tol, fatol=tol / 100, maxiter=20000)).x
    return p, err(p)


if __name__ == "__main__":
    fast = "--fast" in sys.argv
    print("sigmoid/silu: E clamp ln(2^126) =", mp.log(mp.mpf(2) ** 126), " ln(2^1022) =", mp.log(mp.mpf(2) ** 1022))
    for ft in (F32, F64):
        x = zero_threshold(silu, ft)
        print(f"silu {ft.__name__}: largest x rounding to 0: {hx(x)} ({x})")
        a = ordered_bisect(lambda v: ft(float(mp.tanh(mp.mpf(float(v))))) != 1, 0.5, 40.0, ft)
        print(f"tanh {ft.__name__}: largest |x| with tanh != 1: {hx(a)} ({a})")
    # the division step's weight w(e) = a + b e ~ 1/(1 + e) on [0, 1]: the
    # relative error (a + b e)(1 + e) - 1 equioscillates at 0, 1/2, 1 for
    # a = 16/17, b = -8/17; checked on a grid here
    a, b = mp.mpf(16) / 17, -mp.mpf(8) / 17
    werr = max(abs((a + b * e) * (1 + e) - 1) for e in (mp.mpf(k) / 4096 for k in range(4097)))
    print(f"division step w(e) = 16/17 - 8/17 e: max rel err {mp.nstr(werr, 6)} (1/17 = {mp.nstr(1 / mp.mpf(17), 6)})")
    for ft in (F32, F64):
        print(f"  {ft.__name__}: W0 {hx(ft(float(a)))} W1 {hx(ft(float(b)))}")
    for a0 in (0.5, 0.6):
        c, e = tanh_poly(a0)
        print(f"tanh poly on [0, {a0}]: c = {c:.6f}, max rel err {e:.3g}")
    print("gelu_tanh: K = 2 sqrt(2/pi) =", K, " K c =", K * C)
    for ft in (F32, F64):
        kh, kl = split(K, ft)
        ch, cl = split(K * C, ft)
        print(f"  {ft.__name__}: K hi/lo {hx(kh)} {hx(kl)}; Kc hi/lo {hx(ch)} {hx(cl)}")
        print(f"  {ft.__name__}: -K log2e {hx(ft(float(-K / mp.log(2))))}, -Kc log2e {hx(ft(float(-K * C / mp.log(2))))}")
    print("  f32 order 1: -K c1", hx(F32(float(-K * 12102203))), " -Kc c1", hx(F32(float(-K * C * 12102203))))
    for ft, dm, wmax in ((F32, 2.0**-149, mp.log(mp.mpf(2) ** 126)), (F64, 2.0**-1074, mp.log(mp.mpf(2) ** 1022))):
        x = zero_threshold(gelu_tanh, ft)
        xf = ordered_bisect(lambda v: K * (-mp.mpf(float(v)) + C * (-mp.mpf(float(v)))**3) > wmax, -1000.0, -1.0, ft)
        print(f"  {ft.__name__}: precise zero below {hx(x)} ({x}); approximate flush below {hx(xf)} ({xf}),"
              f" |f| there {mp.nstr(abs(gelu_tanh(mp.mpf(float(xf)))), 4)}")
    for ft in (F32, F64):
        x = zero_threshold(gelu, ft)
        lim = mp.mpf(float(np.finfo(ft).tiny))
        xn = ordered_bisect(lambda v: abs(gelu(mp.mpf(float(v)))) < lim, -2000.0, -1.0, ft)
        print(f"gelu {ft.__name__}: precise zero below {hx(x)} ({x}); normal result from {hx(xn)} ({xn})")
    p, e = gelu_sigmoid_fit()
    print("gelu approx: Phi(x) ~ sigmoid(x (a + b x^2 + g x^4)):", [repr(v) for v in p], "max abs err", e)
    for ft in (F32, F64):
        print(f"  {ft.__name__} -(a,b,g) log2e:", [hx(ft(float(-mp.mpf(v) / mp.log(2)))) for v in p])
    print("  f32 order 1 -(a,b,g) c1:", [hx(F32(float(-mp.mpf(v) * 12102203))) for v in p])
    degs = () if fast else ((28, F64),)  # float32: tools/derive_gelu_f32.py
    for deg, ft in degs:
        poly, err = mp.chebyfit(lambda s: erfc_F((s + 1) / 2), [-1, 1], deg + 1, error=True)
        print(f"gelu precise erfc: F(s), s = 2t - 1, degree {deg}: cheb err {mp.nstr(err, 4)},"
              f" sum|c| {mp.nstr(sum(abs(v) for v in poly), 4)}")
        for k, ck in enumerate(poly[::-1]):
            print(f"   F{k} = {hx(ft(float(ck)))}")
    print("  K2 = 2 sqrt 2:", hx(float(2 * mp.sqrt(2))))
