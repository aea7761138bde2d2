"""partial_fit as scikit-learn's MLPClassifier (issue 14): the same calls
give the same counters and the same refusals, and the target kinds MLP
cannot take incrementally (multilabel, multi-task, unlabeled rows) work."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skreg import DFNClassifier, DFNRegressor


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 5))
    y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5)
    return X, y


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kwargs)


def _counters(est):
    return est.n_iter_, est.t_, len(est.loss_curve_)


@pytest.mark.parametrize("calls", [
    ["pf", "pf", "pf"], ["fit", "pf"], ["pf", "fit"], ["fit", "pf", "pf", "fit"],
])
def test_counters_follow_mlp(data, calls):
    X, y = data
    ours = DFNClassifier((4,), max_iter=7, random_state=0)
    theirs = MLPClassifier((4,), max_iter=7, random_state=0)
    for call in calls:
        for est in (ours, theirs):
            if call == "fit":
                quiet(est.fit, X, y)
            else:
                est.partial_fit(X, y, classes=[0, 1, 2])
        assert _counters(ours) == _counters(theirs), call


@pytest.mark.parametrize("make", [
    lambda cls: cls((4,), early_stopping=True),
])
def test_early_stopping_refused_by_partial_fit_as_mlp(data, make):
    X, y = data
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        make(MLPClassifier).partial_fit(X, y, classes=[0, 1, 2])
    for est in (make(DFNClassifier), DFNClassifier((4,), early_stopping="gl")):
        with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
            est.partial_fit(X, y, classes=[0, 1, 2])
        assert not hasattr(est, "coefs_")
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping"):
        make(DFNRegressor).partial_fit(X, y.astype(float))


@pytest.mark.parametrize("pair", [(MLPClassifier, DFNClassifier),
                                  (MLPRegressor, DFNRegressor)])
def test_no_partial_fit_with_lbfgs_as_mlp(pair):
    """MLPClassifier has no partial_fit with lbfgs. MLPRegressor means to do
    the same, but its guard ``available_if(lambda est: est._check_solver)``
    never calls the check (its partial_fit runs a whole L-BFGS fit): skreg's
    regressor follows the classifier."""
    theirs, ours = (cls(hidden_layer_sizes=(4,), solver="lbfgs") for cls in pair)
    assert hasattr(theirs, "partial_fit") == (pair[0] is MLPRegressor)
    assert not hasattr(ours, "partial_fit")
    with pytest.raises(AttributeError, match="has no attribute 'partial_fit'") as info:
        ours.partial_fit
    assert "only available for the stochastic solvers" in str(info.value.__cause__)
    assert hasattr(ours.set_params(solver="sgd"), "partial_fit")


def test_n_iter_no_change_inf_with_early_stopping(data):
    X, y = data
    ours = quiet(DFNClassifier((4,), early_stopping=True, n_iter_no_change=np.inf,
                               max_iter=15, random_state=0).fit, X, y)
    theirs = quiet(MLPClassifier((4,), early_stopping=True, n_iter_no_change=np.inf,
                                 max_iter=15, random_state=0).fit, X, y)
    assert ours.n_iter_ == theirs.n_iter_ == 15
    assert ours.stopped_epoch_ is None


def test_multilabel_partial_fit_with_classes_0_1(data):
    X, _ = data
    Y = (np.random.default_rng(1).random((len(X), 3)) < 0.5).astype(int)
    est = DFNClassifier((8,), random_state=0)
    for _ in range(3):
        est.partial_fit(X, Y, classes=[0, 1])
    np.testing.assert_array_equal(est.classes_, [0, 1, 2])
    assert est.predict(X).shape == Y.shape
    ref = DFNClassifier((8,), random_state=0)
    for _ in range(3):
        ref.partial_fit(X, Y, classes=np.arange(3))  # label indices: accepted too
    np.testing.assert_array_equal(ref.coefs_[0], est.coefs_[0])
    with pytest.raises(ValueError, match="differs from the classes of the first"):
        est.partial_fit(X, Y, classes=[0, 1, 2, 5])
    with pytest.raises(ValueError, match="does not fit y of 3 columns"):
        DFNClassifier((8,)).partial_fit(X, Y, classes=["a", "b"])


def test_multitask_partial_fit_with_classes_per_column(data):
    X, y = data
    Y = np.column_stack([y, (X[:, 2] > 0).astype(int) * 5])  # classes {0,1,2}, {0,5}
    classes = [np.array([0, 1, 2]), np.array([0, 5])]
    est = DFNClassifier((8,), random_state=0)
    for i in range(3):
        est.partial_fit(X[i::3], Y[i::3], classes=classes)
    est.partial_fit(X, Y)  # later calls may leave classes out
    assert [list(c) for c in est.classes_] == [[0, 1, 2], [0, 5]]
    assert est.predict(X).shape == Y.shape
    with pytest.raises(ValueError, match="differs from the classes of the first"):
        est.partial_fit(X, Y, classes=[np.array([0, 1]), np.array([0, 5])])
    # the first chunk need not hold every class of a column
    part = DFNClassifier((8,)).partial_fit(X[:3], Y[:3], classes=classes)
    assert part.coefs_[-1].shape[1] == 5


def test_minus_one_in_classes_is_unlabeled_as_in_fit(data):
    X, y = data
    y_semi = y.copy()
    y_semi[::2] = -1
    inc = DFNClassifier((8,), reconstruction_weight=0.5, random_state=0)
    inc.partial_fit(X, y_semi, classes=np.unique(y_semi))
    full = quiet(DFNClassifier((8,), reconstruction_weight=0.5, max_iter=1,
                               random_state=0).fit, X, y_semi)
    np.testing.assert_array_equal(inc.classes_, [0, 1, 2])
    np.testing.assert_array_equal(inc.classes_, full.classes_)
    assert inc.coefs_[-1].shape == full.coefs_[-1].shape == (8, 3)
    for a, b in zip(inc.coefs_ + [inc.decoder_coef_], full.coefs_ + [full.decoder_coef_]):
        np.testing.assert_array_equal(a, b)  # one epoch either way


def test_unlabeled_chunk_trains_the_trunk_only(data):
    """A chunk of unlabeled rows only trains the reconstruction: the first
    layer and the decoder move, the classifier's output layer does not (no
    penalty, fresh moments)."""
    X, y = data
    est = DFNClassifier((8,), reconstruction_weight=1.0, alpha=0.0, random_state=0)
    start = DFNClassifier((8,), reconstruction_weight=1.0, alpha=0.0, random_state=0,
                          max_iter=1)
    est.partial_fit(X, np.full(len(X), -1), classes=[0, 1, 2])
    assert est.loss_ > 0 and np.isfinite(est.loss_)
    init = _initial_weights(start, X, y)
    assert not np.array_equal(est.coefs_[0], init["coefs_"][0])
    assert not np.array_equal(est.decoder_coef_, init["decoder_coef_"])
    np.testing.assert_array_equal(est.coefs_[-1], init["coefs_"][-1])
    np.testing.assert_array_equal(est.intercepts_[-1], init["intercepts_"][-1])
    est.partial_fit(X, y)  # then labeled chunks train the head
    assert not np.array_equal(est.coefs_[-1], init["coefs_"][-1])


def _initial_weights(est, X, y):
    """The weights a fit of ``est`` starts from (one step at learning rate
    ~0 leaves them)."""
    est.set_params(learning_rate_init=1e-300, solver="sgd", momentum=0.0)
    est.partial_fit(X[:1], np.full(1, -1), classes=[0, 1, 2])
    return {"coefs_": est.coefs_, "intercepts_": est.intercepts_,
            "decoder_coef_": est.decoder_coef_}


def test_all_unlabeled_partial_fit_needs_classes(data):
    X, _ = data
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        DFNClassifier((4,), reconstruction_weight=1.0).partial_fit(X, np.full(len(X), -1))
    with pytest.raises(ValueError, match="Every label is -1"):
        DFNClassifier((4,), reconstruction_weight=1.0).fit(X, np.full(len(X), -1))


def test_classes_of_the_wrong_shape_are_named(data):
    X, y = data
    with pytest.raises(ValueError, match=r"classes must be a 1-D array of labels"):
        DFNClassifier((4,)).partial_fit(X, y, classes=[[0, 1], [2, 3]])
    Y = np.c_[y, y]
    with pytest.raises(ValueError, match="does not fit y of 2 columns"):
        DFNClassifier((4,)).partial_fit(X, Y, classes=[np.arange(3)])
