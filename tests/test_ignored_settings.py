"""Settings a fit would ignore warn (UserWarning, as scikit-learn warns about
an l1_ratio without elastic net): issue 22, item 9."""

import warnings

import numpy as np
import pytest
from sklearn.preprocessing import FunctionTransformer

from skreg import DFNClassifier, DFNRegressor, ImageAugmenter


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.random((40, 16)), np.arange(40) % 2


def user_warnings(fit):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est = fit()
    return est, [str(w.message) for w in caught if w.category is UserWarning]


@pytest.mark.parametrize("Estimator", [DFNClassifier, DFNRegressor])
@pytest.mark.parametrize("params, why", [
    (dict(), "early_stopping is off"),
    (dict(early_stopping=True, solver="lbfgs"), "solver='lbfgs' does not stop early"),
])
def test_refit_strategy_without_early_stopping_warns(data, Estimator, params, why):
    X, y = data
    est = Estimator((4,), max_iter=3, refit_strategy="retrain", random_state=0,
                    **params)
    with pytest.warns(UserWarning, match=rf"refit_strategy='retrain' is ignored: it "
                                         rf"refits after early stopping, and {why}\."):
        est.fit(X, y)
    assert est.refit_n_iter_ is None
    # ignored indeed: the same weights as without it, and no warning then
    plain, caught = user_warnings(lambda: Estimator((4,), max_iter=3, random_state=0,
                                                    **params).fit(X, y))
    assert caught == []
    for a, b in zip(est.coefs_, plain.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_refit_strategy_in_partial_fit_warns(data):
    X, y = data
    est = DFNClassifier((4,), refit_strategy="continue")
    with pytest.warns(UserWarning, match="partial_fit never stops early"):
        est.partial_fit(X, y, classes=[0, 1])


def test_refit_strategy_with_early_stopping_is_silent(data):
    X, y = data
    est, caught = user_warnings(lambda: DFNClassifier(
        (4,), max_iter=3, early_stopping=True, validation_fraction=0.25,
        refit_strategy="retrain", random_state=0).fit(X, y))
    assert caught == [] and est.refit_n_iter_ == est.best_epoch_


@pytest.mark.parametrize("Estimator", [DFNClassifier, DFNRegressor])
@pytest.mark.parametrize("augment", [None, FunctionTransformer()])
def test_image_shape_without_a_use_warns(data, Estimator, augment):
    X, y = data
    kw = dict(hidden_layer_sizes=(4,), max_iter=3, augment=augment, random_state=0)
    est = Estimator(image_shape=(4, 4), **kw)
    with pytest.warns(UserWarning, match=r"image_shape=\(4, 4\) is ignored: it is "
                                         "used by conv_layers and by an augment"):
        est.fit(X, y)
    plain, caught = user_warnings(lambda: Estimator(**kw).fit(X, y))
    assert caught == []
    for a, b in zip(est.coefs_, plain.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("params", [dict(conv_layers=[(2, 3)]),
                                    dict(augment=ImageAugmenter(hflip=True))])
def test_image_shape_in_use_is_silent(data, params):
    X, y = data
    _, caught = user_warnings(lambda: DFNClassifier(
        (4,), image_shape=(4, 4), max_iter=2, random_state=0, **params).fit(X, y))
    assert caught == []
