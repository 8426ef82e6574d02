"""numpydoc docstrings of every quake ufunc, built from the op table (_optable)
and the accuracy table (quake.accuracy.BOUNDS).

NumPy prints a ufunc's signature line itself (``ufunc.__doc__`` is that line,
a blank line, then the text given at creation), so these start with the
summary.  The Examples run as doctests (tests/test_docstrings.py): they check
the special values of the op's contract literally and the measured error
against the stated float32 bound, never outputs copied from a run.
"""
from __future__ import annotations

import textwrap

import numpy as np

from ._optable import SPEC
from .accuracy import BOUNDS, DTYPES, TIER_DESCRIPTIONS, TIERS, Bound

# sample inputs of the Examples: away from zeros, inside every op's normal range
_X = "[-3.5, -1.25, -0.5, 0.25, 1.0, 2.75]"

_ELEMENTWISE_PARAMS = """\
Parameters
----------
x : array_like
    Input values.  float16, float32 and float64 run natively, and
    ml_dtypes.bfloat16 where ml_dtypes is installed; other real
    inputs cast as for `numpy.exp` (bool and int8 to float16, int16 to
    float32, int32 and int64 to float64); complex input raises TypeError.
out : ndarray, None, or tuple of ndarray and None, optional
    Where the result is written; it may be `x` itself (in place).
where : array_like, optional
    Where False, `out` keeps its value.  Pass `out` with it: without `out`
    those elements of the new array are uninitialized.
**kwargs
    The other ufunc keywords: `casting`, `order`, `dtype`, `subok`,
    `signature` (see numpy.ufunc).

Returns
-------
y : ndarray or scalar
    {what}, elementwise; a scalar if `x` is a scalar."""

_ROW_PARAMS = """\
Parameters
----------
x : array_like
    Input rows: the core axis (the last unless `axis` says otherwise) holds
    each row; the other axes broadcast.  float16, float32 and float64 run
    natively.
out : ndarray, None, or tuple of ndarray and None, optional
    Where the result is written{inplace}.
axis : int, optional
    The core axis (default -1).
axes : list of tuple of int, optional
    The core axes of the input and the output, as for any gufunc.{keepdims}
**kwargs
    The other gufunc keywords: `casting`, `order`, `dtype`, `subok`,
    `signature` (see numpy.ufunc).

Returns
-------
y : ndarray{scalar}
    {what}"""


def _wrap(text: str) -> str:
    return textwrap.fill(text, 75, break_on_hyphens=False)


def _bound_lines(op: str, tier: str) -> str:
    return "\n".join(f"- {dt}: {BOUNDS[op, tier, dt]}" for dt in DTYPES)


def _see_also(op: str, tier: str) -> str:
    others = ", ".join(f"quake.{t}.{op}" for t in TIERS if t != tier)
    lines = [f"{others} : The same op in the other accuracy tiers."]
    lines += [f"{name} : {what}" for name, what in SPEC[op].doc.see_also]
    lines.append(f"quake.jax.{tier}.{op} : The same op and tier for JAX (jit, vmap, grad).")
    return "\n".join(lines)


def _error_check(op: str, tier: str, y: str, ref: str) -> str:
    """Doctest lines asserting the float32 bound of (op, tier) on y against ref."""
    b: Bound = BOUNDS[op, tier, "float32"]
    if b.metric == "abs":
        scale, what = f"np.maximum(np.abs({ref}), 1)", f"{b} (absolute, relative beyond 1)"
    elif b.floor:
        scale, what = f"np.maximum(np.abs({ref}), {b.floor!r})", str(b)
    else:
        scale, what = f"np.abs({ref})", str(b)
    limit = repr(b.value)
    if b.metric == "ulp":  # n ULP of float32 is at most n * 2**-23 relative
        limit, what = f"{b.value!r} * 2.0**-23", f"{b} (at most {b.value:g} * 2**-23 relative)"
    return (f">>> err = np.abs({y} - {ref}) / {scale}\n"
            f">>> bool(err.max() <= {limit})   # the float32 bound: {what}\n"
            "True")


def _specials_example(op: str, tier: str) -> str:
    lo, hi = SPEC[op].doc.limits
    expect = repr(np.array([lo, hi, np.nan], dtype=np.float32))
    return (f">>> quake.{tier}.{op}(np.array([-np.inf, np.inf, np.nan], dtype=np.float32))\n"
            f"{expect}")


def _imports(doc) -> str:
    math = ">>> import math\n" if "math." in doc.reference else ""
    return math + ">>> import numpy as np\n>>> import quake\n"


def elementwise(op: str, tier: str) -> str:
    """The docstring of quake.<tier>.<op> for an elementwise op."""
    spec, doc = SPEC[op], SPEC[op].doc
    lo, hi = doc.limits
    examples = (
        _imports(doc) + f">>> x = np.array({_X}, dtype=np.float32)\n"
        f">>> y = quake.{tier}.{op}(x)\n"
        f">>> x64 = x.astype(np.float64)\n>>> ref = {doc.reference}   # exact, in float64\n"
        + _error_check(op, tier, "y", "ref") + "\n"
        + _specials_example(op, tier) + "\n"
        f">>> a = x.copy()\n>>> _ = quake.{tier}.{op}(a, out=a)   # in place\n"
        f">>> bool(np.array_equal(a, y))\nTrue"
    )
    return "\n\n".join([
        spec.summary,
        _ELEMENTWISE_PARAMS.format(what=doc.result),
        "Notes\n-----\n"
        + _wrap(f"Accuracy tier ``{tier}``: {TIER_DESCRIPTIONS[tier]}.")
        + f"\n\nError bound (quake.accuracy.BOUNDS), against the exact {op}:"
        + f"\n\n{_bound_lines(op, tier)}\n\n"
        + _wrap(f"Special values: {op}(-inf) = {lo!r}, {op}(+inf) = {hi!r}, NaN stays NaN.  "
                f"{doc.specials}  Every SIMD target returns the same bits."),
        "See Also\n--------\n" + _see_also(op, tier),
        "Examples\n--------\n" + examples,
    ]) + "\n"


def row(op: str, tier: str, signature: str) -> str:
    """The docstring of quake.<tier>.<op> for a row op (a gufunc over one axis)."""
    spec, doc = SPEC[op], SPEC[op].doc
    reducing = signature.endswith("()")
    keepdims = ("\nkeepdims : bool, optional\n    Keep the reduced axis, with length 1 "
                "(default False)." if reducing else "")
    examples = (
        _imports(doc) + ">>> x = np.array([[1.0, 2.0, 3.0], [0.5, -4.0, 8.0]], dtype=np.float32)\n"
        f">>> y = quake.{tier}.{op}(x)\n>>> y.shape\n{(2,) if reducing else (2, 3)}\n"
        f">>> x64 = x.astype(np.float64)\n>>> ref = {doc.reference}   # exact, in float64\n"
        + _error_check(op, tier, "y", "ref") + "\n"
        f">>> quake.{tier}.{op}(x, axis=0).shape   # over the first axis\n"
        f"{(3,) if reducing else (2, 3)}\n"
        + (f">>> quake.{tier}.{op}(x, keepdims=True).shape\n(2, 1)\n" if reducing else "")
        + f">>> {doc.masked[0].format(f=f'quake.{tier}.{op}')}\n{doc.masked[1]}"
    )
    return "\n\n".join([
        spec.summary,
        _ROW_PARAMS.format(inplace="" if reducing else "; it may be `x` itself (in place)",
                           keepdims=keepdims, scalar=" or scalar" if reducing else "",
                           what=doc.result),
        "Notes\n-----\n"
        + _wrap(f"A NumPy generalized ufunc with signature ``{signature}``.  Accuracy tier "
                f"``{tier}``: {TIER_DESCRIPTIONS[tier]}.")
        + "\n\nError bound (quake.accuracy.BOUNDS):"
        + f"\n\n{_bound_lines(op, tier)}\n\n"
        + _wrap(f"Special values: {doc.specials}  Every SIMD target returns the same bits."),
        "See Also\n--------\n" + _see_also(op, tier),
        "Examples\n--------\n" + examples,
    ]) + "\n"
