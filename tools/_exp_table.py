"""What the two table-driven exponentials' derivations share
(tools/derive_exp_table_f32.py and _f64.py): the table 2^(j/N) with its
relative tails, the reduced interval and the Lawson minimax fit.  The
callers set mpmath's precision and pass their dtype's rounding and bit
layout."""
import mpmath as mp


def table(n, rnd, bits, from_bits, mant_bits):
    """T_j = 2^(j/n) rounded by `rnd`, D_j = (2^(j/n) - T_j) / T_j rounded,
    and the bits of T_j minus j << (mant_bits - log2 n): the entry to which
    an integer add of k << (mant_bits - log2 n), k = n m + j, gives T_j 2^m."""
    shift = mant_bits - (n.bit_length() - 1)
    hi, tail, adj = [], [], []
    for j in range(n):
        t = mp.power(2, mp.mpf(j) / n)
        h = rnd(t)
        hi.append(h)
        tail.append(rnd((t - mp.mpf(h)) / mp.mpf(h)))
        adj.append(from_bits(bits(h) - (j << shift)))
    return hi, tail, adj


def half_width(n):
    """|r| <= ln2/(2n), with a 2^-8 margin for the rounding of k and of the
    reduction's constants."""
    return mp.log(2) / (2 * n) * (1 + mp.mpf(2) ** -8)


def chebyshev_nodes(a, npts):
    return [a * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / npts) for k in range(npts)]


def lawson(A, b, iters):
    """c minimising max_i |sum_j A[i][j] c_j - b[i]|: Lawson's iteration,
    weighted least squares with the weights multiplied by the residuals."""
    npts, m = len(A), len(A[0])
    w = [mp.mpf(1)] * npts
    for _ in range(iters):
        Aw = mp.matrix([[A[i][j] * mp.sqrt(w[i]) for j in range(m)] for i in range(npts)])
        bw = mp.matrix([b[i] * mp.sqrt(w[i]) for i in range(npts)])
        c = mp.qr_solve(Aw, bw)[0]
        res = [abs(sum(A[i][j] * c[j] for j in range(m)) - b[i]) for i in range(npts)]
        tot = sum(w[i] * res[i] for i in range(npts))
        w = [w[i] * res[i] / tot for i in range(npts)]
    return c


def print_c_table(ctype, name, comment, rows, tail):
    """The C array `name` (its comment's lines, then one row per line) and
    the largest |D_j| after it."""
    print("/* " + "\n * ".join(comment) + " */")
    print(f"static const {ctype} {name}[{2 * len(tail)}] = {{")
    for row in rows:
        print(f"    {row}")
    print("};")
    mx = max(abs(t) for t in tail)
    print(f"/* max |D_j| = 2^{float(mp.log(mx, 2)):.2f} */")
