"""Bad input: each case raises a clear error and leaves no half-updated state."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skreg import DFNClassifier, DFNRegressor
from skreg.penalties import L2, ElasticNet

X = np.random.default_rng(0).normal(size=(40, 5))
y = np.arange(40) % 3


def fast(**kw):
    return DFNClassifier(**{"hidden_layer_sizes": (4,), "max_iter": 2, **kw})


@pytest.mark.parametrize("bad,match", [
    (np.nan, "NaN"), (np.inf, "infinity"),
])
def test_non_finite_X(bad, match):
    Xb = X.copy()
    Xb[3, 2] = bad
    with pytest.raises(ValueError, match=match):
        fast().fit(Xb, y)


def test_non_finite_y_for_regression():
    with pytest.raises(ValueError, match="NaN"):
        DFNRegressor(max_iter=2).fit(X, np.r_[np.nan, np.ones(39)])


def test_feature_count_mismatch_at_predict():
    est = fast().fit(X, y)
    with pytest.raises(ValueError, match="5 features"):
        est.predict(X[:, :4])


def test_one_class():
    with pytest.raises(ValueError, match="at least 2 classes"):
        fast().fit(X, np.zeros(40))


def test_empty_X():
    with pytest.raises(ValueError, match="0 sample"):
        fast().fit(X[:0], y[:0])


def test_continuous_labels_for_classifier():
    with pytest.raises(ValueError, match="Unknown label type"):
        fast().fit(X, np.linspace(0, 1, 40))


@pytest.mark.parametrize("params,match", [
    ({"alpha": -1.0}, "alpha"),
    ({"activation": "softplus"}, "activation"),
    ({"solver": "rmsprop"}, "solver"),
    ({"penalty": "l3"}, "penalty"),
    ({"penalty": "__import__('os')"}, "penalty"),
    ({"l1_ratio": 1.5}, "l1_ratio"),
    ({"max_norm": 0.0}, "max_norm"),
    ({"learning_rate_init": 0.0}, "learning_rate_init"),
    ({"batch_size": 0}, "batch_size"),
    ({"weight_init": "zeros"}, "weight_init"),
    ({"dtype": np.float16}, "dtype"),
    ({"momentum": 1.0}, "momentum"),
    ({"early_stopping": "sometimes"}, "early_stopping"),
    ({"validation_fraction": 1.0}, "validation_fraction"),
    ({"hidden_layer_sizes": (4, 0)}, "hidden_layer_sizes"),
    ({"hidden_layer_sizes": (4, 2.5)}, "hidden_layer_sizes"),
    ({"solver": "lbfgs", "penalty": "l1"}, "smooth penalty"),
    ({"solver": "lbfgs", "penalty": "elasticnet"}, "smooth penalty"),
    ({"solver": "lbfgs", "max_norm": 2.0}, "max_norm"),
    ({"penalty": ElasticNet(l1_ratio=2.0)}, "l1_ratio"),
    ({"penalty": L2(reference=[np.zeros((5, 3)), np.zeros((3, 3))])}, "reference"),
])
def test_bad_parameters_name_the_parameter(params, match):
    with pytest.raises(ValueError, match=match):
        fast(**params).fit(X, y)


def test_partial_fit_needs_classes_then_known_labels():
    est = fast()
    with pytest.raises(ValueError, match="classes must be passed"):
        est.partial_fit(X, y)
    est.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not in classes_"):
        est.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="differs from the classes"):
        est.partial_fit(X, y, classes=[0, 1, 2, 3])


@pytest.mark.parametrize("validation_data,match", [
    ((X[:, :3], y), "features"),
    ("not a pair", "pair"),
])
def test_bad_validation_data(validation_data, match):
    with pytest.raises(ValueError, match=match):
        fast().fit(X, y, validation_data=validation_data)


def test_warm_start_with_other_architecture():
    est = fast(warm_start=True).fit(X, y)
    est.set_params(hidden_layer_sizes=(6,))
    with pytest.raises(ValueError, match="warm_start"):
        est.fit(X, y)


def test_early_stopping_without_enough_rows():
    with pytest.raises(ValueError, match="validation_fraction"):
        fast(early_stopping=True, validation_fraction=0.99).fit(X[:3], y[:3])


def test_unfitted():
    with pytest.raises(NotFittedError):
        fast().predict(X)


def test_failed_fit_leaves_fitted_model_unchanged():
    est = fast(random_state=0).fit(X, y)
    before = {k: v for k, v in vars(est).items()}
    coefs = [W.copy() for W in est.coefs_]
    with pytest.raises(ValueError, match="features"):
        est.fit(X, y, validation_data=(X[:, :2], y))
    with pytest.raises(ValueError, match="Unknown label type"):
        est.fit(X, np.linspace(0, 1, 40))
    assert vars(est).keys() == before.keys()
    assert est.n_features_in_ == 5 and list(est.classes_) == [0, 1, 2]
    for W, W0 in zip(est.coefs_, coefs):
        np.testing.assert_array_equal(W, W0)


def test_zero_weight_batches_are_skipped_and_bagging_works():
    """Bootstrap weights leave whole minibatches at weight 0 (bagging)."""
    est = DFNClassifier((4,), max_iter=2, batch_size=2, shuffle=False,
                        random_state=0)
    est.fit(X[:10], y[:10] % 2, sample_weight=[1.0] * 6 + [0.0] * 4)
    assert np.isfinite(est.loss_curve_).all()
    from sklearn.ensemble import BaggingClassifier

    bag = BaggingClassifier(DFNClassifier((8,), max_iter=5, batch_size=4,
                                          random_state=0), n_estimators=3,
                            random_state=0).fit(X, y)
    assert bag.predict_proba(X).shape == (40, 3)


@pytest.mark.parametrize("weights,match", [
    (-np.ones(40), "Negative values in data passed to `sample_weight`"),
    (np.zeros(40), "at least one non-zero"),
])
def test_bad_sample_weights(weights, match):
    with pytest.raises(ValueError, match=match):
        fast().fit(X, y, sample_weight=weights)


def test_unsigned_labels_cannot_mark_unlabeled_rows():
    with pytest.warns(UserWarning, match="cannot hold -1"):
        fast(reconstruction_weight=1.0).fit(X, y.astype(np.uint8))


def test_regressor_loss_is_squared_error_only():
    assert DFNRegressor().get_params()["loss"] == "squared_error"
    with pytest.raises(ValueError, match="loss"):
        DFNRegressor(loss="huber", max_iter=2).fit(X, y.astype(float))
