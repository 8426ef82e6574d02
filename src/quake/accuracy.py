"""The accuracy contract of every quake ufunc: one table, read by the tests,
the docstrings, ``python -m quake`` and the docs.

Each entry bounds the error of ``quake.<tier>.<op>`` for one dtype against
the exact function (float64 reference for float16/float32 inputs,
extended precision for float64 inputs):

* ``"rel"``  -- max abs(y - f(x)) / abs(f(x)) over inputs whose exact result is a
  normal number of the output dtype (the *normal-output domain*);
* ``"ulp"``  -- max abs(y - f(x)) in units in the last place of the output dtype
  at f(x), over the WHOLE domain, denormal results included;
* ``"abs"``  -- max abs(y - f(x)) / max(1, abs(f(x))) over finite f(x): absolute
  error, relative where abs(f(x)) > 1 (where a float's own rounding grows with
  it).  Used by log_softmax and logsumexp.

softmax bounds the relative error of every probability whose exact value is
a normal number (``"rel"``); the row ops reduce over rows of any length and
dynamic range (the reference is float64 / long double, see quake.testing).

A bound with a ``floor`` F > 0 (the activations) measures against
max(abs(f(x)), F) instead of abs(f(x)), over the WHOLE finite domain: relative (or
ULP) error where abs(f(x)) >= F, absolute error (value * F, or value ULP of F)
near zeros and in underflowing tails, where a relative figure means nothing.

Outside the normal-output domain every tier still honours the special-value
contract (docs/accuracy.md): results below the normal range are +0 or, for
``precise``, the correctly rounded denormal; overflow gives +inf; NaN stays
NaN; results are never negative, and the monotonic ops never step down by more
than MONOTONE_STEP_ULP_F32 says (exp and sigmoid in every tier, precise tanh:
never).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # NumPy is imported where it is used
    from numpy.typing import DTypeLike

TIERS = ("q1", "q2", "precise")
DEFAULT_TIER = "precise"
DTYPES = ("float16", "float32", "float64")

TIER_DESCRIPTIONS = {
    "q1": "order 1, the QuAKE operator: one FMA written into the float's bits",
    "q2": "order 2, QuAKE2: continuity-preserving quadratic on the octave",
    "precise": ("Cody-Waite reduction + minimax polynomial (exp: with a 16-entry "
                "2^(j/16) table), a drop-in for NumPy"),
}


@dataclass(frozen=True)
class Bound:
    metric: str  # "rel", "ulp" or "abs"
    value: float
    floor: float = 0.0  # absolute below |f(x)| < floor (see the module docstring)

    def __str__(self) -> str:
        if self.metric == "ulp":
            s = f"{self.value:g} ULP"
        elif self.metric == "abs":
            s = f"{self.value:.3g} abs"
        elif self.value < 1e-4:  # the precise row ops: 2.5e-07 rel, not 2.5e-05%
            s = f"{self.value:.3g} rel"
        else:
            s = f"{self.value * 100:.3g}% rel"
        if self.floor:
            s += f" of max(abs(f), {self.floor:.3g})"  # no '|': it sits in Markdown tables
        return s


# (op, tier, dtype) -> Bound.  float16 bounds of q1/q2 add the half rounding
# (2^-11 = 0.049%) to the float32 figure; float16 precise is the float32
# result rounded once more to half, within 0.5 + 2^-13 half ULP.
BOUNDS: dict[tuple[str, str, str], Bound] = {
    ("exp", "q1", "float16"): Bound("rel", 3.05e-2),
    ("exp", "q1", "float32"): Bound("rel", 3.0e-2),
    ("exp", "q1", "float64"): Bound("rel", 3.0e-2),
    ("exp", "q2", "float16"): Bound("rel", 4.0e-3),
    ("exp", "q2", "float32"): Bound("rel", 3.5e-3),
    ("exp", "q2", "float64"): Bound("rel", 3.5e-3),
    ("exp", "precise", "float16"): Bound("ulp", 1.0),
    ("exp", "precise", "float32"): Bound("ulp", 0.8),
    ("exp", "precise", "float64"): Bound("ulp", 2.0),
    # softmax: relative error of each probability.  The tier's exp error
    # enters twice (the element and, averaged, the sum): q1 up to M - 1 =
    # 6.15% (M = 1.0615, the piecewise-linear 2^t's max ratio; the centring
    # shift cancels), q2 (1.00341 / 0.99813) - 1 = 0.53%.  precise: exp
    # (0.771 ULP) + the exact-error correction of x - m + the scaling, all
    # below 2 ULP.  float16 adds the half rounding (2^-11).
    ("softmax", "q1", "float16"): Bound("rel", 6.25e-2),
    ("softmax", "q1", "float32"): Bound("rel", 6.2e-2),
    ("softmax", "q1", "float64"): Bound("rel", 6.2e-2),
    ("softmax", "q2", "float16"): Bound("rel", 6.0e-3),
    ("softmax", "q2", "float32"): Bound("rel", 5.5e-3),
    ("softmax", "q2", "float64"): Bound("rel", 5.5e-3),
    ("softmax", "precise", "float16"): Bound("rel", 5.0e-4),
    ("softmax", "precise", "float32"): Bound("rel", 2.5e-7),
    ("softmax", "precise", "float64"): Bound("rel", 5.0e-16),
    # log_softmax, logsumexp: absolute error (relative beyond 1).  Only
    # log(sum) carries the exp tier's error: |log(1 +- 2.98%)| <= 0.0303
    # (q1), log(1.00341) = 0.0034 (q2); precise: a few roundings.
    ("log_softmax", "q1", "float16"): Bound("abs", 3.1e-2),
    ("log_softmax", "q1", "float32"): Bound("abs", 3.1e-2),
    ("log_softmax", "q1", "float64"): Bound("abs", 3.1e-2),
    ("log_softmax", "q2", "float16"): Bound("abs", 4.0e-3),
    ("log_softmax", "q2", "float32"): Bound("abs", 3.5e-3),
    ("log_softmax", "q2", "float64"): Bound("abs", 3.5e-3),
    ("log_softmax", "precise", "float16"): Bound("abs", 5.0e-4),
    ("log_softmax", "precise", "float32"): Bound("abs", 2.5e-7),
    ("log_softmax", "precise", "float64"): Bound("abs", 5.0e-16),
    ("logsumexp", "q1", "float16"): Bound("abs", 3.1e-2),
    ("logsumexp", "q1", "float32"): Bound("abs", 3.1e-2),
    ("logsumexp", "q1", "float64"): Bound("abs", 3.1e-2),
    ("logsumexp", "q2", "float16"): Bound("abs", 4.0e-3),
    ("logsumexp", "q2", "float32"): Bound("abs", 3.5e-3),
    ("logsumexp", "q2", "float64"): Bound("abs", 3.5e-3),
    ("logsumexp", "precise", "float16"): Bound("abs", 5.0e-4),
    ("logsumexp", "precise", "float32"): Bound("abs", 1.0e-7),
    ("logsumexp", "precise", "float64"): Bound("abs", 2.5e-16),
}

# The activations.  Measured maxima (dense bit-pattern samples of the whole
# domain, every float16; tests/test_activations_accuracy.py; the precise
# float32 figures over EVERY float32 input) are in the comments;
# docs/design.md derives them.  Approximate tiers: the error of E = e^w passes into 1/(1 + E) scaled by E/(1 + E) <= 1, so sigmoid/silu
# inherit exp's order-1/2 figures (3.07%: 1/(1 - 2.98%) - 1); results whose
# exact value is below ~1e-36 (f32) are flushed to 0, hence the absolute
# floors (FLOOR_Q); float16 adds the half rounding (2^-11) and uses the
# smallest normal half as its floor.
FLOOR_Q = {"float16": 2.0 ** -14, "float32": 1e-33, "float64": 1e-302}
_ACT = {
    # op: {tier: (float16, float32, float64)}
    "sigmoid": {  # measured q1 3.07/3.07/3.07%, q2 0.340%, precise 0.50/1.50/1.55 ULP
                  # (float32 every input; e's own rounding counts double where
                  # e and e/(1 + e) lie in different binades, hence ~1.5)
        "q1": (Bound("rel", 3.15e-2, FLOOR_Q["float16"]), Bound("rel", 3.1e-2, FLOOR_Q["float32"]),
               Bound("rel", 3.1e-2, FLOOR_Q["float64"])),
        "q2": (Bound("rel", 4.0e-3, FLOOR_Q["float16"]), Bound("rel", 3.5e-3, FLOOR_Q["float32"]),
               Bound("rel", 3.5e-3, FLOOR_Q["float64"])),
        "precise": (Bound("ulp", 1.0), Bound("ulp", 2.0), Bound("ulp", 2.0)),
    },
    "silu": {  # as sigmoid; precise 0.50/2.26/2.18 ULP (x e rounds once more; the
               # division's correction step, kernels/act_exp.h, took 3.34 -> 2.26)
        "q1": (Bound("rel", 3.15e-2, FLOOR_Q["float16"]), Bound("rel", 3.1e-2, FLOOR_Q["float32"]),
               Bound("rel", 3.1e-2, FLOOR_Q["float64"])),
        "q2": (Bound("rel", 4.0e-3, FLOOR_Q["float16"]), Bound("rel", 3.5e-3, FLOOR_Q["float32"]),
               Bound("rel", 3.5e-3, FLOOR_Q["float64"])),
        "precise": (Bound("ulp", 1.0), Bound("ulp", 2.5), Bound("ulp", 2.5)),
    },
    "tanh": {  # relative everywhere (odd polynomial near 0): q1 1.66%, q2 0.20-0.22%,
               # precise 0.50/0.994/2.49 ULP (float32: every input, exhaustive; the
               # table-driven polynomial of kernels/tanh_f32.h)
        "q1": (Bound("rel", 2.0e-2), Bound("rel", 2.0e-2), Bound("rel", 2.0e-2)),
        "q2": (Bound("rel", 3.0e-3), Bound("rel", 2.5e-3), Bound("rel", 2.5e-3)),
        "precise": (Bound("ulp", 1.0), Bound("ulp", 1.0), Bound("ulp", 3.5)),
    },
}
# gelu_tanh: as silu, plus the float32 rounding of u in the approximate tiers
# (measured q1 3.07%, q2 0.341% f32 / 0.381% f16); precise 0.50/2.32/2.28 ULP
# (u in double-float, see kernels/gelu_tanh.h; 3.40/2.57 before the division's
# correction step and exp's table).
_ACT["gelu_tanh"] = {
    "q1": (Bound("rel", 3.15e-2, FLOOR_Q["float16"]), Bound("rel", 3.1e-2, FLOOR_Q["float32"]),
           Bound("rel", 3.1e-2, FLOOR_Q["float64"])),
    "q2": (Bound("rel", 4.0e-3, FLOOR_Q["float16"]), Bound("rel", 3.5e-3, FLOOR_Q["float32"]),
           Bound("rel", 3.5e-3, FLOOR_Q["float64"])),
    "precise": (Bound("ulp", 1.0), Bound("ulp", 2.5), Bound("ulp", 2.5)),
}
# gelu (exact erf form): the approximate tiers use the fitted sigmoid form
# (formula error 7.8e-5 absolute), so they are relative only where
# |gelu| >= 0.03 and absolute (bound * 0.03) below, which covers the zero at
# 0 and the negative tail (flushed to -0 below x = -7, |gelu| < 1e-11 there).
# Measured: q1 3.13/3.17/3.17%, q2 0.376/0.337/0.337%; precise 0.50/2.85/5.09
# ULP (float32 over EVERY input: G(a) = Phi(-a) e^(a^2/2) from a table-driven
# polynomial, kernels/gelu_f32.h; it was 5.38 with float64's form, where the
# rounding of t = K2/(K2 + |x|) feeds both factors of t exp(F(s))).
GELU_FLOOR = 0.03
_ACT["gelu"] = {
    "q1": tuple(Bound("rel", 3.3e-2, GELU_FLOOR) for d in DTYPES),
    "q2": (Bound("rel", 4.5e-3, GELU_FLOOR), Bound("rel", 4.0e-3, GELU_FLOOR),
           Bound("rel", 4.0e-3, GELU_FLOOR)),
    "precise": (Bound("ulp", 1.0), Bound("ulp", 3.0), Bound("ulp", 6.0)),
}
for _op, _tiers in _ACT.items():
    for _tier, _bs in _tiers.items():
        for _dt, _b in zip(DTYPES, _bs):
            BOUNDS[_op, _tier, _dt] = _b


# Monotonicity over EVERY float32 (tools/check_monotonic.py; the slow suite
# checks it exhaustively): the largest step down between adjacent inputs, in
# ULPs of the larger result, of each monotonic op.  0: never decreases.
# tanh's approximate tiers can step down by an ULP where the exact function
# rises by less than one (measured pairs: tanh q1 12042 / q2 13170, of 4.3e9;
# np.exp has 19245 and np.tanh 2).  precise exp (table-driven since issue 15:
# 0.56 ULP where the result is normal; it had 2874 pairs with the degree-5
# polynomial), the precise float32 tanh (table-driven polynomial,
# kernels/tanh_f32.h; it had 25412) and precise sigmoid (exp's table and the
# division's correction step, kernels/act_exp.h; it had 2690) never
# decrease.  float16: never
# decreases (every input is tested); float64: never on the dense grids tested.
MONOTONE_STEP_ULP_F32 = {
    ("exp", "q1"): 0, ("exp", "q2"): 0, ("exp", "precise"): 0,
    ("sigmoid", "q1"): 0, ("sigmoid", "q2"): 0, ("sigmoid", "precise"): 0,
    ("tanh", "q1"): 1, ("tanh", "q2"): 1, ("tanh", "precise"): 0,
}


def monotonic_markdown() -> str:
    """MONOTONE_STEP_ULP_F32 as a Markdown table (used by the docs generator)."""
    ops = sorted({op for op, _ in MONOTONE_STEP_ULP_F32})
    lines = ["| op | " + " | ".join(TIERS) + " |", "|---" * (len(TIERS) + 1) + "|"]
    for op in ops:
        cells = [MONOTONE_STEP_ULP_F32[op, t] for t in TIERS]
        lines.append(f"| {op} | " + " | ".join(
            "never decreases" if c == 0 else f"steps down by <= {c} ULP" for c in cells) + " |")
    return "\n".join(lines)


# bfloat16 (ml_dtypes.bfloat16; loops registered when ml_dtypes is
# importable): the float32 kernel's result rounded once to bfloat16 (8
# significant bits, unit roundoff 2^-8 = 0.39%, the same normal range as
# float32).  precise: within 0.5 + (float32 ULP error) 2^-16 bfloat16 ULP,
# stated as 1 ULP; q1/q2 and the row ops: the float32 bound plus 2^-8, with
# the float32 floors (same normal range).  Measured: tests/test_bf16.py,
# every bfloat16 input (docs/accuracy.md).
BF16_DTYPE = "bfloat16"
BF16_ROUNDING = 2.0 ** -8


def _bf16_bound(b: Bound, tier: str) -> Bound:
    if b.metric == "ulp":
        return Bound("ulp", 1.0, b.floor)
    import math

    return Bound(b.metric, math.ceil((b.value + BF16_ROUNDING) * 1e4) / 1e4, b.floor)


for (_op, _tier, _dt), _b in list(BOUNDS.items()):
    if _dt == "float32":
        BOUNDS[_op, _tier, BF16_DTYPE] = _bf16_bound(_b, _tier)


def bound(op: str, tier: str, dtype: DTypeLike) -> Bound:
    """The stated error bound of quake.<tier>.<op> for `dtype`."""
    import numpy as np

    return BOUNDS[op, tier, np.dtype(dtype).name]


def table_markdown() -> str:
    """The bound table as Markdown (used by the docs generator)."""
    ops = sorted({k[0] for k in BOUNDS})
    lines = ["| op | tier | float16 | float32 | float64 |", "|---|---|---|---|---|"]
    for op in ops:
        for tier in TIERS:
            cells = [str(BOUNDS[op, tier, dt]) for dt in DTYPES]
            lines.append(f"| {op} | {tier} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
