"""quake.sklearn.patch(): scikit-learn's estimators use quake at predict time,
agree with the unpatched estimator, and get their originals back."""
import numpy as np
import pytest

import quake
import quake.sklearn

pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    return train_test_split(X, y, test_size=0.5, random_state=0)


@pytest.fixture(scope="module")
def models(digits):
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    Xtr, Xte, ytr, yte = digits
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for act in ("logistic", "tanh"):
            out[f"mlp-{act}"] = MLPClassifier((64,), activation=act, max_iter=200,
                                              random_state=0).fit(Xtr, ytr)
        out["logreg-multinomial"] = LogisticRegression(max_iter=2000).fit(Xtr, ytr)
        out["logreg-binary"] = LogisticRegression(max_iter=2000).fit(Xtr, ytr == 3)
    return out


@pytest.mark.parametrize("tier,min_agree", [("q1", 0.99), ("q2", 0.995), ("precise", 1.0)])
@pytest.mark.parametrize("name", ["mlp-logistic", "mlp-tanh", "logreg-multinomial", "logreg-binary"])
def test_predictions_agree(models, digits, name, tier, min_agree):
    model = models[name]
    X = digits[1]
    p0 = model.predict_proba(X)
    with quake.sklearn.patch(tier) as p:
        assert p.replaced  # something was actually swapped in
        p1 = model.predict_proba(X)
    assert p1.shape == p0.shape
    agree = np.mean(p0.argmax(1) == p1.argmax(1))
    assert agree >= min_agree, agree
    tol = {"q1": 0.1, "q2": 0.01, "precise": 1e-6}[tier]
    assert np.max(np.abs(p1 - p0)) <= tol
    assert np.allclose(p1.sum(1), 1, atol=tol)


def test_patch_really_uses_quake_and_restores(models, digits, monkeypatch):
    from sklearn.linear_model import _base as lin_base
    from sklearn.neural_network import _base as nn_base

    before = dict(nn_base.ACTIVATIONS), lin_base._expit
    calls = []
    real = quake.q2.sigmoid

    with quake.sklearn.patch("q2") as p:
        assert "MLP 'logistic'" in p.replaced and "MLP 'softmax'" in p.replaced
        assert nn_base.ACTIVATIONS["logistic"] is not before[0]["logistic"]
        x = np.linspace(-3, 3, 7)
        nn_base.ACTIVATIONS["logistic"](x)
        assert np.array_equal(x, real(np.linspace(-3, 3, 7)))
        calls.append(1)
    assert dict(nn_base.ACTIVATIONS) == before[0] and lin_base._expit is before[1]
    # restored even when the block raises
    with pytest.raises(RuntimeError), quake.sklearn.patch("q1"):
        raise RuntimeError
    assert dict(nn_base.ACTIVATIONS) == before[0] and lin_base._expit is before[1]
    with pytest.raises(ValueError):
        with quake.sklearn.patch("fast"):
            pass


def test_blocks_exited_out_of_order_restore_everything():
    """Issue 18.3: the innermost open block's tier runs; after both exit, every
    activation is scikit-learn's own again."""
    from sklearn.neural_network import _base as nn_base

    original = dict(nn_base.ACTIVATIONS)
    p, q = quake.sklearn.patch("q2"), quake.sklearn.patch("q1")
    p.__enter__()
    q.__enter__()
    x = np.linspace(-3, 3, 7)
    np.testing.assert_array_equal(nn_base.ACTIVATIONS["tanh"](x.copy()), quake.q1.tanh(x))
    p.__exit__(None, None, None)
    np.testing.assert_array_equal(nn_base.ACTIVATIONS["tanh"](x.copy()), quake.q1.tanh(x))
    q.__exit__(None, None, None)
    assert [k for k in original if nn_base.ACTIVATIONS[k] is not original[k]] == []
    from sklearn.linear_model import _base as lin_base
    from sklearn.linear_model import _logistic

    with quake.sklearn.patch("q2"):
        with quake.sklearn.patch("precise"):
            pass
        np.testing.assert_array_equal(nn_base.ACTIVATIONS["tanh"](x.copy()), quake.q2.tanh(x))
    assert [k for k in original if nn_base.ACTIVATIONS[k] is not original[k]] == []
    assert getattr(lin_base, "_expit", np.exp).__module__ != "quake.sklearn"
    assert _logistic.softmax.__module__ != "quake.sklearn"
