"""Early stopping on the Brier score (``EarlyStopping(metric="brier")``):
the score against scikit-learn's ``brier_score_loss``, the monitored curve
against the restored network's probabilities, and the errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import brier_score_loss, log_loss

from skreg import DFNClassifier, DFNRegressor, EarlyStopping
from skreg.losses import brier_score


@settings(max_examples=60, deadline=None)
@given(n_rows=st.integers(1, 30), n_classes=st.integers(2, 6),
       seed=st.integers(0, 2**32 - 1))
def test_brier_score_is_sklearns_for_one_softmax(n_rows, n_classes, seed):
    """A binary target is one sigmoid column in the network; as two softmax
    columns (a two-class head among several) its sum over both classes is
    twice scikit-learn's binary score, which counts the positive class."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(n_rows, n_classes))
    P = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = rng.integers(0, n_classes, n_rows)
    Y = np.eye(n_classes)[labels]
    expected = brier_score_loss(labels, P, labels=np.arange(n_classes))
    expected *= 2 if n_classes == 2 else 1
    assert brier_score(P, Y) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(n_rows=st.integers(1, 30), seed=st.integers(0, 2**32 - 1))
def test_brier_score_is_sklearns_for_one_sigmoid(n_rows, seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=n_rows)
    y = rng.integers(0, 2, n_rows)
    expected = brier_score_loss(y, p, labels=[0, 1])
    assert brier_score(p[:, None], y[:, None].astype(float)) == pytest.approx(expected)


def test_brier_score_adds_weighted_columns():
    rng = np.random.default_rng(0)
    P, Y = rng.uniform(size=(7, 3)), rng.integers(0, 2, (7, 3)).astype(float)
    weights = np.array([0.5, 2.0, 1.0])
    expected = sum(w * brier_score_loss(Y[:, j], P[:, j], labels=[0, 1])
                   for j, w in enumerate(weights))
    assert brier_score(P, Y, weights) == pytest.approx(expected)


def _data(n_classes, seed=0):
    X, y = make_classification(200, 8, n_informative=5, n_classes=n_classes,
                               flip_y=0.1, random_state=seed)
    return X[:150], y[:150], X[150:], y[150:]


def _stopped(metric, n_classes, **params):
    X, y, X_val, y_val = _data(n_classes)
    est = DFNClassifier(hidden_layer_sizes=(16,), max_iter=60, random_state=0,
                        learning_rate_init=0.02,
                        early_stopping=EarlyStopping(patience=5, metric=metric),
                        **params)
    return est.fit(X, y, validation_data=(X_val, y_val)), X_val, y_val


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("metric, truth", [("brier", brier_score_loss),
                                           ("loss", log_loss)])
def test_curve_is_the_metric_of_the_restored_network(metric, truth, n_classes):
    est, X_val, y_val = _stopped(metric, n_classes)
    curve = np.asarray(est.validation_loss_curve_)
    assert est.best_epoch_ == int(np.argmin(curve)) + 1
    assert est.stopped_epoch_ is not None and est.stopped_epoch_ > est.best_epoch_
    P = est.predict_proba(X_val)
    probs = P[:, 1] if n_classes == 2 else P
    assert curve.min() == pytest.approx(
        truth(y_val, probs, labels=est.classes_), rel=1e-4)


def test_metric_changes_the_stop_not_the_training():
    brier, _, _ = _stopped("brier", 3)
    loss, _, _ = _stopped("loss", 3)
    n = min(len(brier.loss_curve_), len(loss.loss_curve_))
    np.testing.assert_array_equal(brier.loss_curve_[:n], loss.loss_curve_[:n])
    np.testing.assert_array_equal(brier.validation_scores_[:n],
                                  loss.validation_scores_[:n])
    assert not np.allclose(brier.validation_loss_curve_[:n],
                           loss.validation_loss_curve_[:n])


def test_multilabel_brier_sums_the_labels():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(160, 6))
    Y = (X[:, :3] + 0.5 * rng.normal(size=(160, 3)) > 0).astype(int)
    est = DFNClassifier(hidden_layer_sizes=(8,), max_iter=40, random_state=0,
                        early_stopping=EarlyStopping(patience=5, metric="brier"))
    est.fit(X[:120], Y[:120], validation_data=(X[120:], Y[120:]))
    P = est.predict_proba(X[120:])
    expected = sum(brier_score_loss(Y[120:, j], P[:, j], labels=[0, 1])
                   for j in range(3))
    assert min(est.validation_loss_curve_) == pytest.approx(expected, rel=1e-4)


def test_brier_needs_a_classifier():
    X, y, _, _ = _data(2)
    est = DFNRegressor(early_stopping=EarlyStopping(metric="brier"), max_iter=5)
    with pytest.raises(ValueError, match=r"metric='brier'.*needs a classifier"):
        est.fit(X, y.astype(float))
    assert not hasattr(est, "coefs_")


def test_brier_refuses_continue():
    X, y, _, _ = _data(2)
    est = DFNClassifier(early_stopping=EarlyStopping(metric="brier"), max_iter=5,
                        refit_strategy="continue")
    with pytest.raises(ValueError, match="refit_strategy='continue'"):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")


def test_unknown_metric():
    with pytest.raises(ValueError, match=r"metric.*'brier'"):
        DFNClassifier(early_stopping=EarlyStopping(metric="accuracy")).fit(
            *_data(2)[:2])


def test_multiclass_multioutput_brier_sums_the_heads():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 6))
    Y = np.c_[(X[:, 0] > 0).astype(int) + (X[:, 1] > 1),
              (X[:, 2] > 0).astype(int) * 2 + (X[:, 3] > 0)]
    est = DFNClassifier((16,), max_iter=50, random_state=0,
                        early_stopping=EarlyStopping(patience=5, metric="brier"))
    est.fit(X[:240], Y[:240], validation_data=(X[240:], Y[240:]))
    P = est.predict_proba(X[240:])
    expected = sum(brier_score_loss(Y[240:, j], P[j], labels=est.classes_[j])
                   for j in range(2))
    assert min(est.validation_loss_curve_) == pytest.approx(expected, rel=1e-4)


def test_verbose_names_the_monitored_loss(capsys):
    _stopped("brier", 2, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines and all("validation Brier score = " in line for line in lines)
    _stopped("loss", 2, verbose=True)
    assert "validation loss = " in capsys.readouterr().out


def _warm_fit(est, metric, X, y, X_val, y_val):
    est.set_params(early_stopping=EarlyStopping(patience=50, metric=metric))
    with pytest.warns(ConvergenceWarning, match="maximum iterations"):
        return est.fit(X, y, validation_data=(X_val, y_val))


def test_warm_start_with_another_metric_starts_the_validation_curves_afresh():
    """The curves continue over warm-start fits, but one curve never mixes
    cross-entropies with Brier scores."""
    X, y, X_val, y_val = _data(3)
    est = DFNClassifier(hidden_layer_sizes=(16,), max_iter=4, warm_start=True,
                        learning_rate_init=0.02, random_state=0)
    for _ in range(2):
        _warm_fit(est, "loss", X, y, X_val, y_val)
    assert len(est.validation_loss_curve_) == len(est.validation_scores_) == 8
    assert len(est.loss_curve_) == 8
    _warm_fit(est, "brier", X, y, X_val, y_val)
    curve = est.validation_loss_curve_
    assert len(curve) == len(est.validation_scores_) == 4
    assert len(est.loss_curve_) == 12  # the training curve goes on
    expected = brier_score_loss(y_val, est.predict_proba(X_val), labels=est.classes_)
    assert min(curve) == pytest.approx(expected, rel=1e-4)
    _warm_fit(est, "brier", X, y, X_val, y_val)
    assert len(est.validation_loss_curve_) == 8
    assert est.validation_loss_curve_[:4] == curve
