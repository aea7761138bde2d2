"""``class_weight``: the same fit as the equivalent ``sample_weight``
(computed by scikit-learn's own ``compute_sample_weight``), sklearn's errors,
and the effect it is for (balanced accuracy on imbalanced classes)."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

from skreg import DFNClassifier
from skreg.class_weights import class_sample_weight

from .helpers import quiet_fit

SMALL = dict(hidden_layer_sizes=(8,), max_iter=15, random_state=0, dtype=np.float64)


def _fit(X, y, sample_weight=None, **params):
    return quiet_fit(DFNClassifier(**{**SMALL, **params}), X, y,
                     sample_weight=sample_weight)


def _same_weights(a, b):
    for x, z in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_array_equal(x, z)


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4,
                               n_classes=3, weights=[0.7, 0.2, 0.1], random_state=0)
    return X, np.array(["a", "b", "c"])[y]


@pytest.mark.parametrize("params", [
    {}, {"solver": "sgd"}, {"solver": "lbfgs"}, {"early_stopping": True},
    {"early_stopping": True, "refit_strategy": "retrain"},
])
@pytest.mark.parametrize("class_weight", ["balanced", {"a": 2.0, "b": 0.5, "c": 3.0}])
def test_class_weight_is_the_equivalent_sample_weight(imbalanced, params, class_weight):
    X, y = imbalanced
    own = _fit(X, y, class_weight=class_weight, **params)
    explicit = _fit(X, y, compute_sample_weight(class_weight, y), **params)
    _same_weights(own, explicit)
    assert own.loss_curve_ == explicit.loss_curve_


def test_class_weight_multiplies_given_sample_weights(imbalanced):
    X, y = imbalanced
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    for class_weight in ({"a": 2.0, "b": 0.5, "c": 3.0}, "balanced"):
        own = _fit(X, y, sw, class_weight=class_weight)
        if class_weight == "balanced":  # counted with the weights, as LR
            classes = np.unique(y)
            class_weight = dict(zip(classes, compute_class_weight(
                "balanced", classes=classes, y=y, sample_weight=sw)))
        explicit = _fit(X, y, sw * compute_sample_weight(class_weight, y))
        _same_weights(own, explicit)


def test_balanced_weight_two_is_a_repeated_row(imbalanced):
    _, y = imbalanced
    sw = np.where(np.arange(len(y)) < 100, 2.0, 1.0)
    repeated = np.r_[np.arange(len(y)), np.arange(100)]
    weights, _ = class_sample_weight("balanced", y, None, sw, np.float64)
    expected = compute_sample_weight("balanced", y[repeated])[: len(y)]
    np.testing.assert_allclose(weights, sw * expected, rtol=1e-14)


def test_balanced_counts_the_rows_given_to_fit_not_the_validation_data(imbalanced):
    X, y = imbalanced
    val = (X[:50], y[:50])
    own = DFNClassifier(class_weight="balanced", **SMALL).fit(
        X[50:], y[50:], validation_data=val)
    explicit = DFNClassifier(**SMALL).fit(
        X[50:], y[50:], compute_sample_weight("balanced", y[50:]), validation_data=val)
    _same_weights(own, explicit)
    # the validation loss is unweighted, as with sample_weight
    assert own.validation_loss_curve_ == explicit.validation_loss_curve_


def test_multilabel_class_weight_is_the_product_over_columns():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 4))
    Y = (X[:, :3] + rng.normal(scale=0.5, size=(120, 3)) > 0.8).astype(int)
    for class_weight in ("balanced", [{0: 1.0, 1: 3.0}, {0: 1.0, 1: 2.0},
                                      {0: 0.5, 1: 1.0}]):
        own = _fit(X, Y, class_weight=class_weight)
        _same_weights(own, _fit(X, Y, compute_sample_weight(class_weight, Y)))


def test_unlabeled_rows_keep_weight_one_and_balanced_counts_labeled_rows(imbalanced):
    X, y = imbalanced
    y = y.astype(object)
    y[::3] = -1
    labeled = y != -1
    expected = np.ones(len(y))
    expected[labeled] = compute_sample_weight("balanced", y[labeled].astype(str))
    semi = dict(reconstruction_weight=0.5)
    _same_weights(_fit(X, y, class_weight="balanced", **semi),
                  _fit(X, y, expected, **semi))


def test_partial_fit_takes_a_dict_and_refuses_balanced(imbalanced):
    X, y = imbalanced
    weights = {"a": 1.0, "b": 2.0, "c": 4.0}
    own = DFNClassifier(class_weight=weights, **SMALL)
    explicit = DFNClassifier(**SMALL)
    for chunk in (slice(0, 150), slice(150, 300)):
        own.partial_fit(X[chunk], y[chunk], classes=["a", "b", "c"])
        explicit.partial_fit(X[chunk], y[chunk],
                             compute_sample_weight(weights, y[chunk]),
                             classes=["a", "b", "c"])
    _same_weights(own, explicit)
    with pytest.raises(ValueError, match="'balanced' is not supported for partial_fit"):
        DFNClassifier(class_weight="balanced").partial_fit(X, y,
                                                           classes=["a", "b", "c"])


@pytest.mark.parametrize("class_weight, match", [
    ({"a": 1.0, "z": 2.0}, r"The classes, \['b', 'c'\], are not in class_weight"),
    ({"a": -1.0, "b": 1.0, "c": 1.0}, "class_weight must give finite weights >= 0"),
    ({"a": np.inf, "b": 1.0, "c": 1.0}, "class_weight must give finite weights >= 0"),
    ("balance", "The 'class_weight' parameter of DFNClassifier must be"),
    ([{"a": 1.0}], r"class_weight as a list \(one dict per column\) needs a 2-D y"),
])
def test_bad_class_weight(imbalanced, class_weight, match):
    X, y = imbalanced
    est = DFNClassifier(class_weight=class_weight, **SMALL)
    with pytest.raises(ValueError, match=match):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")


def test_dict_for_multilabel_targets_is_sklearns_error():
    X = np.random.default_rng(0).normal(size=(20, 3))
    Y = np.tile([[0, 1], [1, 0]], (10, 1))
    with pytest.raises(ValueError, match="For multi-output, class_weight should be"):
        DFNClassifier(class_weight={0: 1.0, 1: 2.0}, **SMALL).fit(X, Y)
    with pytest.raises(ValueError, match="number of elements in class_weight should"):
        DFNClassifier(class_weight=[{0: 1.0, 1: 2.0}], **SMALL).fit(X, Y)


def test_balanced_raises_balanced_accuracy_on_rare_classes():
    X, y = make_classification(n_samples=2000, n_features=8, n_informative=3,
                               weights=[0.95], flip_y=0.02, class_sep=0.6,
                               random_state=0)
    train, test = slice(0, 1000), slice(1000, None)
    params = dict(hidden_layer_sizes=(16,), max_iter=40, random_state=0)
    scores = {}
    for class_weight in (None, "balanced"):
        est = _fit(X[train], y[train], class_weight=class_weight, **params)
        scores[class_weight] = balanced_accuracy_score(y[test], est.predict(X[test]))
    assert scores["balanced"] > scores[None] + 0.05


@pytest.mark.parametrize("class_weight", ["balanced", {"a": 2.0, "b": 0.5, "c": 3.0}])
def test_validation_rows_joining_a_refit_get_their_class_weights(
        monkeypatch, imbalanced, class_weight):
    from skreg import refit

    X, y = imbalanced
    seen = []
    run = refit.run

    def recording_run(est, setup, first, initial, rows, val):
        seen.append(rows[2])
        return run(est, setup, first, initial, rows, val)

    monkeypatch.setattr(refit, "run", recording_run)
    train, val = slice(60, None), slice(0, 60)
    est = DFNClassifier(**SMALL, early_stopping=True, refit_strategy="retrain",
                        class_weight=class_weight)
    quiet_fit(est, X[train], y[train], validation_data=(X[val], y[val]))
    classes = np.unique(y[train])
    table = (dict(zip(classes, compute_class_weight("balanced", classes=classes,
                                                    y=y[train])))
             if class_weight == "balanced" else class_weight)
    expected = [table[label] for label in np.concatenate([y[train], y[val]])]
    np.testing.assert_allclose(seen[0], expected, rtol=1e-15)


def test_column_vector_y_and_a_class_of_weight_zero(imbalanced):
    X, y = imbalanced
    own = _fit(X, y[:, None], class_weight="balanced")
    _same_weights(own, _fit(X, y, compute_sample_weight("balanced", y)))
    sw = np.where(y == "c", 0.0, 1.0)
    with pytest.raises(ValueError, match="infinite weight to a class whose rows all"):
        _fit(X, y, sw, class_weight="balanced")
