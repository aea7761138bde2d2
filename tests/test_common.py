"""scikit-learn's estimator checks over an explicit list of instances."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification, make_regression
from sklearn.utils.estimator_checks import parametrize_with_checks

from skreg import DFNClassifier, DFNRegressor, EarlyStopping
from skreg.penalties import L1, L2, ElasticNet
from skreg.piecewise_linear import PiecewiseLinearEncoder

FAST = dict(hidden_layer_sizes=(16,), max_iter=200, random_state=0)

ESTIMATORS = [
    DFNClassifier(**FAST),
    DFNRegressor(**FAST),
    DFNClassifier(**FAST, dtype=np.float64),
    DFNRegressor(**FAST, dtype=np.float64),
    DFNClassifier(**FAST, penalty=None),
    DFNClassifier(**FAST, penalty="l1", alpha=1e-3),
    DFNClassifier(**FAST, penalty="elasticnet", alpha=1e-3),
    DFNClassifier(**FAST, penalty=L2()),
    DFNClassifier(**FAST, penalty=ElasticNet(l1_ratio=0.2)),
    DFNRegressor(**FAST, penalty=L1(), alpha=1e-3),
    DFNClassifier(**FAST, max_norm=2.0, solver="sgd"),
    DFNClassifier(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=100, random_state=0),
    DFNRegressor(hidden_layer_sizes=(8,), solver="lbfgs", max_iter=100, random_state=0),
    # the checks' data sets have 10 to 20 rows: a 10% split is too small to
    # score or stratify, a ValueError as MLPClassifier's (which fails those
    # checks with early_stopping=True); 20% holds a row of each class
    DFNClassifier(**FAST, early_stopping=True, validation_fraction=0.2),
    # early stopping on the Brier score, then algorithm 7.2's retraining
    DFNClassifier(**FAST, early_stopping=EarlyStopping(metric="brier"),
                  validation_fraction=0.2, refit_strategy="retrain", dtype=np.float64),
]

# Convolutional estimators. The checks draw tables of 1 to 30 features, not
# images, so each row is read as an image 1 pixel high (image_shape=(1, -1),
# any width) and filtered by 1x1 kernels, the one kernel that fits every
# width; no check is excluded beyond the float32 ones below.
CONV = dict(hidden_layer_sizes=(16,), conv_layers=[(4, 1)], image_shape=(1, -1),
            max_iter=200, random_state=0)
ESTIMATORS += [DFNClassifier(**CONV), DFNRegressor(**CONV, dtype=np.float64),
               DFNClassifier(**CONV, dtype=np.float64), DFNRegressor(**CONV)]

# The features for tables beyond the chapter (issue 23).
TABULAR = dict(weight_decay=1e-3, learning_rate="cosine", warmup_epochs=1,
               mixup_alpha=0.2)
ESTIMATORS += [DFNClassifier(**FAST, **TABULAR),
               DFNRegressor(**FAST, **TABULAR, dtype=np.float64),
               DFNClassifier(**FAST, class_weight="balanced", dtype=np.float64)]

# float32 computations cannot meet the rtol=1e-7 of sklearn's sample-weight
# equivalence checks; in float64 every check must pass (DESIGN.md, Penalties).
_FLOAT32_SW = {
    "check_sample_weight_equivalence_on_dense_data":
        "float32 arithmetic cannot meet the check's rtol=1e-7",
    "check_sample_weight_equivalence_on_sparse_data":
        "float32 arithmetic cannot meet the check's rtol=1e-7",
}


# A float32 row's products depend on where the row falls in BLAS's blocking,
# and the blocking depends on the CPU's kernel (AVX-512, AVX2, ...): results
# for the same row differ in the last bit between batch compositions (about
# 1.4e-7 relative on an AMD EPYC, above the checks' 1e-7). These two checks
# hold float64 precision; a float32 estimator runs them in float64, so they
# pass or fail the same on every x86-64 CPU, and
# test_float32_predictions_do_not_depend_on_the_batch below holds float32 to
# its own precision.
_ROW_POSITION_CHECKS = ("check_methods_sample_order_invariance",
                        "check_methods_subset_invariance")


# partial_fit refuses early_stopping with a ValueError, as MLPClassifier
# does (tests/test_partial_fit_parity.py); these checks call partial_fit.
_PARTIAL_FIT_EARLY_STOPPING = {
    name: "partial_fit refuses early_stopping=True, as MLPClassifier's"
    for name in ("check_fit_score_takes_y", "check_n_features_in_after_fitting",
                 "check_estimators_partial_fit_n_features")
}


# sklearn's check weights class 0 by 1000 and the others by 1e-4 on unscaled
# blobs and wants > 87% of test rows predicted 0. Adam's step is invariant to
# the gradient's scale: once class 0 is fit, it fits the 1e-4-weighted rows
# too, carving regions a linear model cannot (measured: 86% with 3 classes).
# With early stopping the validation loss is unweighted (documented), so the
# best epoch is the first. SGD, lbfgs and the convolutional net pass.
_CLASS_WEIGHT = {
    "check_class_weight_classifiers":
        "Adam fits even rows weighted 1e-4 once the heavy class is fit (scale-"
        "invariant steps); early stopping monitors the unweighted validation loss",
}


# Mixup mixes each row with a random partner of its batch: a repeated row
# changes the batches and the partners, so no weight equals repetition.
_MIXUP = {
    name: "mixup: repeating a row changes the batches and the mixing partners"
    for name in ("check_sample_weight_equivalence_on_dense_data",
                 "check_sample_weight_equivalence_on_sparse_data")
}

# partial_fit refuses class_weight="balanced", as SGDClassifier does.
_PARTIAL_FIT_BALANCED = {
    name: "partial_fit refuses class_weight='balanced', as SGDClassifier's"
    for name in ("check_fit_score_takes_y", "check_n_features_in_after_fitting",
                 "check_estimators_partial_fit_n_features")
}


def expected_failures(estimator):
    failures = _base_failures(estimator)
    if estimator.mixup_alpha:
        failures = {**failures, **_MIXUP}
    if isinstance(estimator, DFNClassifier) and estimator.class_weight == "balanced":
        failures = {**failures, **_PARTIAL_FIT_BALANCED}
    if (isinstance(estimator, DFNClassifier) and estimator.solver == "adam"
            and not estimator.conv_layers):
        return {**failures, **_CLASS_WEIGHT}
    return failures


# The checks compare integer weights with repeated (or removed) rows; early
# stopping holds out a fraction of the rows, and a different number of rows
# makes a different split, in float64 too.
_EARLY_STOPPING_SW = {
    name: "early stopping holds out other rows when rows are repeated instead "
          "of weighted" for name in _FLOAT32_SW}


def _base_failures(estimator):
    if estimator.early_stopping:
        return {**_EARLY_STOPPING_SW, **_PARTIAL_FIT_EARLY_STOPPING}
    if estimator.dtype == np.float64:
        return {}
    return _FLOAT32_SW


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failures)
def test_sklearn_compatible(estimator, check):
    if _check_name(check) in _ROW_POSITION_CHECKS and estimator.dtype != np.float64:
        estimator = clone(estimator).set_params(dtype=np.float64)
    check(estimator)


def _check_name(check):
    return getattr(check, "func", check).__name__


FLOAT32 = [e for e in ESTIMATORS if e.dtype != np.float64]


@pytest.mark.parametrize("estimator", FLOAT32, ids=repr)
def test_float32_predictions_do_not_depend_on_the_batch(estimator):
    """The float32 half of the two checks run in float64 above: each row's
    outputs equal, to float32 precision, whether the row is predicted with
    the others in any order or alone in a subset."""
    if isinstance(estimator, DFNClassifier):
        X, y = make_classification(n_samples=60, n_features=6, n_informative=4,
                                   n_classes=3, random_state=0)
        methods = ("predict_proba", "predict")
    else:
        X, y = make_regression(n_samples=60, n_features=6, random_state=0)
        y = y / y.std()
        methods = ("predict",)
    X = (X - X.mean(0)) / X.std(0)
    model = clone(estimator).set_params(max_iter=20).fit(X, y)
    order = np.random.default_rng(0).permutation(len(X))
    for method in methods:
        full = getattr(model, method)(X)
        permuted = getattr(model, method)(X[order])
        by_batch = np.concatenate([getattr(model, method)(X[i:i + 7])
                                   for i in range(0, len(X), 7)])
        if np.issubdtype(full.dtype, np.floating):
            tol = dict(rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(permuted, full[order], **tol)
            np.testing.assert_allclose(by_batch, full, **tol)
        else:
            np.testing.assert_array_equal(permuted, full[order])
            np.testing.assert_array_equal(by_batch, full)


@parametrize_with_checks([PiecewiseLinearEncoder(), PiecewiseLinearEncoder(n_bins=3)])
def test_encoder_sklearn_compatible(estimator, check):
    check(estimator)
