"""Issue 14's property: random valid and invalid combinations of parameters
and inputs either fit a model with finite outputs or raise a ValueError /
TypeError naming a parameter or input; a failed call on a fitted estimator
leaves it unchanged (every attribute, and the next partial_fit)."""

import copy
import re
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skreg import DFNClassifier, DFNRegressor

from .state import assert_same_state, fitted_state

# name -> (valid values, invalid values); the invalid ones break that name alone
PARAMS = {
    "hidden_layer_sizes": ([(3,), (), (2, 2)], [(0,), (-1,), "abc", (1.5,)]),
    "activation": (["relu", "tanh", "logistic", "identity"], ["bogus", 3]),
    "solver": (["adam", "sgd", "lbfgs"], ["newton"]),
    "penalty": (["l2", "l1", "elasticnet", None], ["l3", 5]),
    "alpha": ([0.0, 1e-3, 1.0], [-1.0, "a", np.nan]),
    "dropout_keep": ([1.0, 0.8, (0.9, 0.8)], [0.0, 1.5, (0.5, 0.5, 0.5, 0.5)]),
    "input_noise": ([0.0, 0.1], [-0.1]),
    "weight_noise": ([0.0, 0.05], [-1.0]),
    "max_norm": ([None, 2.0], [0.0, -1.0]),
    "batch_size": (["auto", 1, 7, 1000], [0, "big"]),
    "learning_rate_init": ([1e-3, 0.1], [0.0, -1.0]),
    "max_iter": ([1, 3], [0, 2.5]),
    "early_stopping": ([False, True, "gl"], ["sometimes"]),
    "validation_fraction": ([0.1, 0.5], [0.0, 1.0]),
    "n_iter_no_change": ([1, 5, np.inf], [0]),
    "tol": ([0.0, 1e-4], [-1.0]),
    "refit_strategy": ([None, "retrain", "continue"], ["again"]),
    "adversarial_eps": ([0.0, 0.1], [-0.1]),
    "activity_alpha": ([0.0, 0.01], [-1.0]),
    "task_weights": ([None, [1.0, 2.0]], [[-1.0, 1.0], "x"]),
    "dtype": ([np.float32, np.float64], [np.int32, "float"]),
}
CLASSIFIER_PARAMS = {
    "label_smoothing": ([0.0, 0.1], [1.0, -0.1]),
    "reconstruction_weight": ([0.0, 0.5], [-1.0]),
}
INPUT_WORDS = ("X", "y", "sample_weight", "Sample weights", "validation_data",
               "classes", "array", "samples", "sample(s)", "feature")

X_KINDS = ["dense", "dense", "sparse", "nan", "inf", "1d", "empty", "short",
           "strings"]
CLF_Y = ["binary", "multiclass", "strings", "multilabel", "multitask", "semi",
         "one_class", "continuous", "nan"]
REG_Y = ["1d", "1d", "2d", "nan", "strings"]
WEIGHTS = [None, None, "ok", "negative", "short", "zeros"]
VALIDATION = [None, None, "ok", "features", "targets"]


def _params(draw, table):
    chosen = draw(st.lists(st.sampled_from(sorted(table)), max_size=4, unique=True))
    params, invalid = {}, []
    for name in chosen:
        valid, bad = table[name]
        if draw(st.booleans()) and draw(st.booleans()):  # 1 in 4 invalid
            params[name] = draw(st.sampled_from(bad))
            invalid.append(name)
        else:
            params[name] = draw(st.sampled_from(valid))
    params.setdefault("max_iter", 2)
    return params, invalid


def _X(kind, rng, n=24):
    X = rng.normal(size=(n, 4))
    if kind == "sparse":
        X[X < 0.5] = 0
        return sp.csr_matrix(X)
    if kind in ("nan", "inf"):
        X[3, 1] = np.nan if kind == "nan" else np.inf
    return {"1d": X[:, 0], "empty": X[:0], "short": X[:-1],
            "strings": X.astype(str)}.get(kind, X)


def _y(kind, rng, n=24):
    labels = rng.integers(0, 3, n)
    labels[:3] = [0, 1, 2]
    return {
        "binary": labels % 2, "multiclass": labels,
        "strings": np.array(["a", "b", "c"])[labels],
        "multilabel": np.c_[labels % 2, labels // 2, 1 - labels % 2],
        "multitask": np.c_[labels, (labels + 1) % 3],
        "semi": np.where(np.arange(n) % 3 == 0, labels, -1),
        "one_class": np.zeros(n, int), "continuous": rng.normal(size=n),
        "nan": np.where(np.arange(n) == 5, np.nan, labels.astype(float)),
        "1d": rng.normal(size=n), "2d": rng.normal(size=(n, 2)),
    }[kind]


def _weights(kind, n=24):
    return {None: None, "ok": np.linspace(0.5, 2, n), "negative": -np.ones(n),
            "short": np.ones(n - 1), "zeros": np.zeros(n)}[kind]


def _validation(kind, X, y):
    if kind is None or not hasattr(X, "shape") or X.ndim != 2 or X.shape[0] < 8:
        return None
    if kind == "features":
        return X[:8, :3], y[:8]
    if kind == "targets":
        return X[:8], np.ones((8, 5))
    return X[:8], y[:8]


@st.composite
def cases(draw):
    regressor = draw(st.booleans())
    table = PARAMS if regressor else {**PARAMS, **CLASSIFIER_PARAMS}
    params, invalid = _params(draw, table)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    X_kind = draw(st.sampled_from(X_KINDS))
    y_kind = draw(st.sampled_from(REG_Y if regressor else CLF_Y))
    X, y = _X(X_kind, rng), _y(y_kind, rng)
    weights = _weights(draw(st.sampled_from(WEIGHTS)))
    validation = _validation(draw(st.sampled_from(VALIDATION)), X, y)
    est = (DFNRegressor if regressor else DFNClassifier)(random_state=0)
    return est, params, invalid, (X, y, weights, validation)


def _names_something(message, names):
    """Whether ``message`` names one of the parameters ``names`` or an input."""
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", message)
               for w in (*names, *INPUT_WORDS))


def _call(est, kind, X, y, weights, validation):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "fit":
            return est.fit(X, y, weights, validation_data=validation)
        first = isinstance(est, DFNClassifier) and not hasattr(est, "classes_")
        if first and getattr(y, "ndim", 0) == 1:
            return est.partial_fit(X, y, weights, classes=np.unique(y))
        return est.partial_fit(X, y, weights)


def _outcome(est, params, kind, data):
    """Run the call; return the error, or None after checking the model."""
    try:
        est.set_params(**params)
        _call(est, kind, *data)
    except (ValueError, TypeError) as error:
        names = est.get_params(deep=False)
        assert _names_something(str(error), names), f"{type(error).__name__}: {error}"
        return error
    except AttributeError as error:  # partial_fit does not exist with lbfgs
        assert kind == "partial_fit" and est.solver == "lbfgs", error
        return error
    X = data[0]
    X = X if (sp.issparse(X) or np.asarray(X).dtype.kind == "f") else None
    if X is not None:
        out = est.predict_proba(X) if hasattr(est, "predict_proba") else est.predict(X)
        for part in out if isinstance(out, list) else [out]:
            assert np.all(np.isfinite(part))
    return None


SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(case=cases(), kind=st.sampled_from(["fit", "fit", "partial_fit"]))
def test_every_call_fits_or_names_the_problem(case, kind):
    est, params, invalid, data = case
    error = _outcome(est, params, kind, data)
    if error is None:
        assert not invalid or invalid == ["task_weights"], invalid
    else:
        assert fitted_state(est) == {}  # a failed first call leaves nothing


def _fitted(regressor):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(24, 4))
    y = _y("1d" if regressor else "multiclass", rng)
    cls = DFNRegressor if regressor else DFNClassifier
    est = cls((3,), max_iter=2, random_state=0, dropout_keep=(1.0, 0.9))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.partial_fit(X, y) if regressor else est.partial_fit(X, y, classes=[0, 1, 2])
    return est, (X, y)


@pytest.fixture(scope="module")
def fitted():
    return {False: _fitted(False), True: _fitted(True)}


@SETTINGS
@given(case=cases(), kind=st.sampled_from(["fit", "partial_fit", "partial_fit"]))
def test_a_failed_call_leaves_a_fitted_estimator_unchanged(fitted, case, kind):
    template, params, _, data = case
    est, (X, y) = fitted[isinstance(template, DFNRegressor)]
    est = copy.deepcopy(est)
    twin = copy.deepcopy(est)
    if kind == "partial_fit":
        params = {k: v for k, v in params.items() if k != "max_iter"}
    error = _outcome(est, params, kind, data)
    if error is None:
        return
    assert_same_state(fitted_state(est), fitted_state(twin))
    est.set_params(**twin.get_params())
    for model in (est, twin):
        _call(model, "partial_fit", X, y, None, None)
    assert_same_state(fitted_state(est), fitted_state(twin))
