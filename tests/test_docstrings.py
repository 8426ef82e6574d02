"""Every ufunc's docstring: numpydoc sections, no repeated signature line,
Examples that pass as doctests (warnings as errors); what help() and pickle
see; dir(quake) without private names."""
import doctest
import pickle
import pydoc
import re
import warnings

import numpy as np
import pytest

import quake
from quake._optable import ALL_OPS, ROW_OPS, SPEC
from quake._registry import ALL_UFUNCS

SECTIONS = ["Parameters", "Returns", "Notes", "See Also", "Examples"]
KEYS = sorted(ALL_UFUNCS)


def _body(uf):
    """The docstring quake gave, without the signature line NumPy prepends."""
    first, sep, rest = uf.__doc__.partition("\n\n")
    assert first.startswith(f"{uf.__name__}(x, /, out=None, *") and sep
    return rest


@pytest.mark.parametrize("op,tier", KEYS)
def test_numpydoc_sections_in_order(op, tier):
    body = _body(ALL_UFUNCS[op, tier])
    assert body.splitlines()[0] == SPEC[op].summary
    heads = re.findall(r"^(\w[\w ]*)\n(-+)$", body, flags=re.M)
    assert [h for h, _ in heads] == SECTIONS
    assert all(len(rule) == len(h) for h, rule in heads)
    for dt in ("float16", "float32", "float64"):
        assert f"- {dt}: {quake.accuracy.BOUNDS[op, tier, dt]}" in body
    others = [f"quake.{t}.{op}" for t in quake.TIERS if t != tier]
    assert ", ".join(others) in body
    for name, _ in SPEC[op].doc.see_also:
        assert f"\n{name} : " in body


@pytest.mark.parametrize("op,tier", KEYS)
def test_signature_printed_once(op, tier):
    doc = ALL_UFUNCS[op, tier].__doc__
    assert doc.count("(x, /, out=None") == 1
    assert len(re.findall(rf"^{tier}\.{op}\(", doc, flags=re.M)) == 1


@pytest.mark.parametrize("op,tier", KEYS)
def test_examples_pass_as_doctests(op, tier):
    doc = ALL_UFUNCS[op, tier].__doc__
    test = doctest.DocTestParser().get_doctest(doc, {}, f"quake.{tier}.{op}", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runner.run(test, out=out.append)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 8, "too few examples"
    assert result.failed == 0, "".join(out)


@pytest.mark.parametrize("op", ALL_OPS)
def test_examples_check_the_contract_literally(op):
    """The special values in the Examples come from the op table, so a kernel
    that broke them would fail the doctest above (not a copied output)."""
    doc = SPEC[op].doc
    body = _body(ALL_UFUNCS[op, "q1"])
    if op in ROW_OPS:
        assert doc.masked[1] in body.split("Examples")[1]
    else:
        lo, hi = doc.limits
        expect = getattr(quake.q1, op)(np.array([-np.inf, np.inf], np.float32))
        assert np.array_equal(expect, [lo, hi])
        assert np.signbit(expect[0]) == np.signbit(lo)


def test_help_and_pickle():
    uf = quake.q2.exp
    assert getattr(uf, "__module__", "quake") == "quake"  # NumPy 2.0: no __module__
    assert pickle.loads(pickle.dumps(uf)) is uf
    text = pydoc.render_doc(uf, renderer=pydoc.plaintext)
    assert text.count("q2.exp(x, /, out=None") == 1
    assert "Parameters" in text and ">>> import quake" in text


def test_dir_has_no_private_names():
    names = dir(quake)
    assert "annotations" not in names
    assert not [n for n in names if n.startswith("_") and not n.startswith("__")]
    assert set(quake.__all__) <= set(names)
    assert "__version__" in names


@pytest.mark.parametrize("op,tier", KEYS)
def test_numpydoc_parses_it(op, tier):
    docscrape = pytest.importorskip("numpydoc.docscrape")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpydoc warns on unknown or malformed sections
        doc = docscrape.NumpyDocString(_body(ALL_UFUNCS[op, tier]))
    params = [p.name for p in doc["Parameters"]]
    if op in ROW_OPS:
        keep = ["keepdims"] if ALL_UFUNCS[op, tier].signature.endswith("()") else []
        assert params == ["x", "out", "axis", "axes", *keep, "**kwargs"]
    else:
        assert params == ["x", "out", "where", "**kwargs"]
    assert [r.name for r in doc["Returns"]] == ["y"]
    see = [name for names, _ in doc["See Also"] for name, _ in names]
    assert f"quake.jax.{tier}.{op}" in see and len(see) >= 4
    assert doc["Examples"] and doc["Notes"]
