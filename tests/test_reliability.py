"""Issue 14: every fit and validation path is right or refused, and a failed
call changes nothing (partial_fit parity: test_partial_fit_parity.py; the
property sweep: test_reliability_property.py)."""

import copy
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skreg import DFNClassifier, DFNRegressor, ImageAugmenter
from skreg import epochs as epochs_module
from skreg.adversarial import adversarial_score, fgsm

from .helpers import kernels_enabled
from .state import assert_same_state, fitted_state


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0)[:400], y[:400]


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return fn(*args, **kwargs)


# ---- semi-supervised training with early stopping ---------------------------
def _few_labels(y, n_labeled, seed=0):
    y = y.astype(int).copy()
    rng = np.random.default_rng(seed)
    hidden = rng.permutation(len(y))[n_labeled:]
    y[hidden] = -1
    return y


def test_semi_supervised_early_stopping_validates_on_labeled_rows(digits):
    """The issue's case: 30 of 400 rows labeled, a 10% split. Before, the
    split held no labeled row: validation loss 0.0 every epoch, NaN scores,
    a stop after n_iter_no_change epochs keeping the first epoch's weights."""
    X, y = digits
    y_semi = _few_labels(y, 30)
    est = quiet(DFNClassifier((32,), reconstruction_weight=0.1,
                              early_stopping=True, validation_fraction=0.1,
                              n_iter_no_change=5, max_iter=60,
                              learning_rate_init=0.01, random_state=0).fit,
                X, y_semi)
    curve = np.array(est.validation_loss_curve_)
    assert np.all(np.isfinite(curve)) and np.all(curve > 0)
    assert np.all(np.isfinite(est.validation_scores_))
    assert est.best_epoch_ > 1
    one_epoch = quiet(DFNClassifier((32,), reconstruction_weight=0.1,
                                    learning_rate_init=0.01, max_iter=1,
                                    random_state=0).fit, X, y_semi)
    assert est.score(X, y) > one_epoch.score(X, y) + 0.2
    # ceil(0.1 * 30) = 3 labeled validation rows; the 370 unlabeled all train
    assert est.t_ == est.n_iter_ * (len(X) - 3)


def test_semi_supervised_split_is_stratified_on_labeled_rows(digits, monkeypatch):
    X, y = digits
    y_semi = _few_labels(y, 100)
    seen = {}
    real_split = epochs_module.split

    def spy(est, X, Y, sw, val, stopper, rng):
        train, val = real_split(est, X, Y, sw, val, stopper, rng)
        seen["train_rows"], seen["Y_val"] = train[3], val[1]
        return train, val

    monkeypatch.setattr(epochs_module, "split", spy)
    quiet(DFNClassifier((8,), reconstruction_weight=0.1, early_stopping=True,
                        validation_fraction=0.2, max_iter=2, random_state=0).fit,
          X, y_semi)
    Y_val = seen["Y_val"]
    assert len(Y_val) == 20 and np.all(Y_val[:, -1] == 1)  # labeled only
    unlabeled = np.flatnonzero(y_semi == -1)
    assert np.isin(unlabeled, seen["train_rows"]).all()
    assert len(seen["train_rows"]) == len(X) - 20


def test_semi_supervised_too_few_labeled_rows_is_refused(digits):
    X, y = digits
    y_two = np.full(len(y), -1)
    y_two[:2] = [0, 1]
    est = DFNClassifier((8,), reconstruction_weight=0.1, early_stopping=True,
                        validation_fraction=0.6)
    with pytest.raises(ValueError, match="validation_fraction=0.6 of 2 labeled rows"):
        est.fit(X, y_two)
    assert not hasattr(est, "coefs_")


def test_validation_data_without_labels_is_refused(digits):
    X, y = digits
    est = DFNClassifier((8,), reconstruction_weight=0.1, early_stopping=True)
    y_val = np.full(50, -1)
    with pytest.raises(ValueError, match="every label of y_val is -1"):
        est.fit(X, _few_labels(y, 100), validation_data=(X[:50], y_val))


# ---- validation_data is checked like the training data, before training -----
def _no_training(monkeypatch):
    def run(*args, **kwargs):
        raise AssertionError("training started before validation_data was checked")

    monkeypatch.setattr(epochs_module, "run", run)


@pytest.mark.parametrize("case, match", [
    ("multilabel_one_column", "multilabel indicator matrix with 3 columns"),
    ("unseen_class", r"classes array\(\[7\]\) that are not in classes_"),
    ("n_features", "X has 5 features, but DFNClassifier is expecting 4"),
    ("nan_x", "Input X contains NaN"),
    ("rows", "inconsistent numbers of samples"),
    ("not_a_pair", "must be a pair"),
])
def test_validation_data_checked_before_training(case, match, monkeypatch):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4))
    Y = (rng.random((40, 3)) < 0.5).astype(int)
    y = rng.integers(0, 3, 40)
    target, X_val, y_val = y, X[:10], y[:10]
    if case == "multilabel_one_column":
        target, y_val = Y, Y[:10, 0]
    elif case == "unseen_class":
        y_val = np.full(10, 7)
    elif case == "n_features":
        X_val = rng.normal(size=(10, 5))
    elif case == "nan_x":
        X_val = X[:10].copy()
        X_val[0, 0] = np.nan
    elif case == "rows":
        y_val = y[:9]
    _no_training(monkeypatch)
    data = (X_val,) if case == "not_a_pair" else (X_val, y_val)
    with pytest.raises(ValueError, match=match):
        DFNClassifier((4,), early_stopping=True).fit(X, target, validation_data=data)


@pytest.mark.parametrize("y_val_shape, match", [
    ((10, 3), "y has 3 target column"), ((10,), "y has 1 target column"),
])
def test_regressor_validation_targets_must_match(y_val_shape, match, monkeypatch):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(40, 4)), rng.normal(size=(40, 2))
    _no_training(monkeypatch)
    with pytest.raises(ValueError, match=match):
        DFNRegressor((4,)).fit(X, Y, validation_data=(X[:10], np.ones(y_val_shape)))


def test_regressor_validation_targets_nan_is_refused(monkeypatch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 4)), rng.normal(size=40)
    y_val = y[:10].copy()
    y_val[3] = np.nan
    _no_training(monkeypatch)
    with pytest.raises(ValueError, match="validation_data: Input y contains NaN"):
        DFNRegressor((4,)).fit(X, y, validation_data=(X[:10], y_val))


# ---- L-BFGS ----------------------------------------------------------------
def test_lbfgs_abnormal_termination_warns(digits):
    """Unscaled inputs (x 1e5): the line search fails at the first step;
    MLPClassifier warns there too (scikit-learn's _check_optimize_result)."""
    X, y = digits
    with pytest.warns(ConvergenceWarning, match=r"status=2.*Scale the inputs"):
        DFNClassifier((32,), solver="lbfgs", dtype=np.float64,
                      random_state=0).fit(X * 1e5, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        MLPClassifier((32,), solver="lbfgs", random_state=0).fit(X * 1e5, y)


def test_lbfgs_iteration_limit_warns(digits):
    X, y = digits
    with pytest.warns(ConvergenceWarning, match=r"status=1.*max_iter=3"):
        DFNClassifier((8,), solver="lbfgs", max_iter=3).fit(X, y)


def test_lbfgs_float32_objective_in_float64(digits):
    """Before, a float32 L-BFGS fit on large inputs stopped after 0-2
    iterations (ABNORMAL: its float32 objective, clipped at log(1e-7), did not
    match its gradient); now the objective is float64 and the fit converges
    like the float64 one."""
    X, y = digits
    fits = {}
    for dtype in (np.float32, np.float64):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fits[dtype] = DFNClassifier((32,), solver="lbfgs", dtype=dtype,
                                        random_state=0).fit(X * 48000, y)
        assert not [w for w in caught if "status=2" in str(w.message)]
    f32, f64 = fits[np.float32], fits[np.float64]
    assert f32.n_iter_ > 20 and f32.coefs_[0].dtype == np.float32  # before: 1
    # the same iterates at first (float32 storage of X and of the start only)
    np.testing.assert_allclose(f32.loss_curve_[:5], f64.loss_curve_[:5], rtol=1e-5)
    assert f32.loss_ == pytest.approx(f64.loss_, rel=0.1)
    assert f32.loss_ < 0.01 * f32.loss_curve_[0]


# ---- compiled kernels and numpy give the same bits ----------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("order", [0, 1])
def test_augmentation_engines_bit_identical(dtype, order):
    pytest.importorskip("numba", reason="the compiled kernels need numba")
    X = np.random.default_rng(0).random((50, 13 * 11)).astype(dtype)
    outs = []
    for enabled in (True, False):
        with kernels_enabled(enabled):
            aug = ImageAugmenter((13, 11), translation=2.5, rotation=30,
                                 scale=(0.7, 1.3), hflip=True, vflip=True,
                                 order=order, fill=0.25, random_state=1)
            outs.append(aug.fit_transform(X))
    np.testing.assert_array_equal(outs[0], outs[1])


def test_fit_with_augmentation_same_on_both_engines(digits):
    """The digits comparison of the issue (0.9433 vs 0.9444) in small."""
    pytest.importorskip("numba", reason="the compiled kernels need numba")
    X, y = digits
    fits = []
    for enabled in (True, False):
        with kernels_enabled(enabled):
            aug = ImageAugmenter(translation=1, rotation=10, noise_std=0.02)
            fits.append(quiet(DFNClassifier((32,), augment=aug, max_iter=4,
                                            random_state=0).fit, X, y))
    assert_same_state(fitted_state(fits[0]), fitted_state(fits[1]))
    np.testing.assert_array_equal(fits[0].predict_proba(X), fits[1].predict_proba(X))


# ---- a failed call changes nothing ------------------------------------------
class _Transformer:
    """A minimal user transformer with one parameter, ``value``."""

    def __init__(self, value=None):
        self.value = value

    def get_params(self, deep=True):
        return {"value": self.value}

    def set_params(self, **params):
        self.value = params.get("value", self.value)
        return self

    def fit(self, X, y=None):
        return self


class Boom(_Transformer):
    """Scales by ``value``; raises ``error`` on every transform while armed."""

    armed = False
    error = RuntimeError

    def transform(self, X):
        if Boom.armed:
            raise Boom.error("boom")
        return X * (1.0 if self.value is None else self.value)


@pytest.fixture
def boom():
    yield Boom
    Boom.armed, Boom.error = False, RuntimeError


def _twins(make, X, y, n_calls, **kwargs):
    a, b = make(), make()
    for _ in range(n_calls):
        a.partial_fit(X, y, **kwargs)
        b.partial_fit(X, y, **kwargs)
    return a, b


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, ValueError])
@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_failed_partial_fit_leaves_everything(digits, boom, error, solver):
    X, y = digits
    classes = np.unique(y)

    def make():
        return DFNClassifier((16,), solver=solver, augment=Boom(0.9),
                             dropout_keep=(0.9, 0.8), random_state=0)

    est, twin = _twins(make, X, y, 2, classes=classes)
    before = fitted_state(est)
    before = copy.deepcopy(before)
    boom.armed, boom.error = True, error
    with pytest.raises(error, match="boom"):
        est.partial_fit(X, y)
    assert_same_state(fitted_state(est), before)
    with pytest.raises(error, match="boom"):
        est.fit(X, y)
    boom.armed = False
    assert_same_state(fitted_state(est), before)
    est.partial_fit(X, y)
    twin.partial_fit(X, y)
    assert_same_state(fitted_state(est), fitted_state(twin))


def test_failed_first_calls_leave_an_unfitted_estimator(digits, boom):
    X, y = digits
    est = DFNClassifier((8,), augment=Boom(), random_state=0)
    boom.armed = True
    for call in (lambda: est.fit(X, y),
                 lambda: est.partial_fit(X, y, classes=np.unique(y))):
        with pytest.raises(RuntimeError, match="boom"):
            call()
        assert fitted_state(est) == {}


def test_failed_fit_with_a_generator_restores_it(digits, boom):
    """A RandomState as random_state is drawn from by a fit; a failed fit
    puts its state back, so the next fit is the one it would have been."""
    X, y = digits
    gen, gen_twin = np.random.RandomState(5), np.random.RandomState(5)
    est = DFNClassifier((8,), augment=Boom(), max_iter=2, random_state=gen)
    twin = DFNClassifier((8,), augment=Boom(), max_iter=2, random_state=gen_twin)
    boom.armed = True
    with pytest.raises(RuntimeError):
        est.fit(X, y)
    boom.armed = False
    quiet(est.fit, X, y)
    quiet(twin.fit, X, y)
    assert_same_state(fitted_state(est), fitted_state(twin))
    assert_same_state(gen, gen_twin)


def test_late_bad_input_leaves_a_fitted_estimator(digits):
    """An unknown class is found after X was validated (and n_features_in_
    would have been reset by a fit): nothing of it stays."""
    X, y = digits
    est, twin = _twins(lambda: DFNClassifier((8,), random_state=0), X, y, 1,
                       classes=np.unique(y))
    before = fitted_state(est)
    before = copy.deepcopy(before)
    with pytest.raises(ValueError, match="not in classes_"):
        est.partial_fit(X, y + 20)
    with pytest.raises(ValueError, match="validation_data"):
        est.set_params(early_stopping=True).fit(X[:, :10], y,
                                                validation_data=(X, y))
    est.set_params(early_stopping=False)
    assert_same_state(fitted_state(est), before)
    est.partial_fit(X, y)
    twin.partial_fit(X, y)
    assert_same_state(fitted_state(est), fitted_state(twin))


def test_diverging_partial_fit_is_undone(digits):
    X, y = digits
    est, twin = _twins(lambda: DFNClassifier((16,), solver="sgd", momentum=0.0,
                                             random_state=0),
                       X, y, 1, classes=np.unique(y))
    before = fitted_state(est)
    before = copy.deepcopy(before)
    est.set_params(learning_rate_init=1e30)
    with pytest.warns(ConvergenceWarning, match="partial_fit diverged.*undone"):
        est.partial_fit(X * 1e6, y)
    est.set_params(learning_rate_init=1e-3)
    assert_same_state(fitted_state(est), before)
    est.partial_fit(X, y)
    twin.partial_fit(X, y)
    assert_same_state(fitted_state(est), fitted_state(twin))


# ---- clear errors -------------------------------------------------------------
class Returns(_Transformer):
    """Returns the wrong kind of thing named by ``value``."""

    def transform(self, X):
        return {"list": lambda: X.tolist(), "none": lambda: None,
                "narrow": lambda: X[:, :-1], "sparse": lambda: sp.csr_matrix(X),
                "text": lambda: X.astype(str).astype(object),
                "float64": lambda: X.astype(np.float64)}[self.value]()


@pytest.mark.parametrize("kind, error, match", [
    ("list", TypeError, r"Returns.transform returned list \(\[\["),
    ("none", TypeError, r"Returns.transform returned NoneType \(None\)"),
    ("sparse", TypeError, "Returns.transform returned csr_matrix"),
    ("narrow", ValueError, r"Returns.transform returned shape \(\d+, 63\)"),
])
def test_augment_returning_the_wrong_thing(digits, kind, error, match):
    X, y = digits
    est = DFNClassifier((4,), augment=Returns(kind), max_iter=1)
    with pytest.raises(error, match=match):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")


def test_augment_output_cast_to_the_dtype(digits):
    X, y = digits
    est = quiet(DFNClassifier((4,), augment=Returns("float64"), max_iter=2,
                              random_state=0).fit, X, y)
    ref = quiet(DFNClassifier((4,), max_iter=2, random_state=0).fit, X, y)
    for a, b in zip(est.coefs_, ref.coefs_):
        np.testing.assert_array_equal(a, b)


def _multitask():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5))
    Y = np.column_stack([rng.integers(0, 3, 60), rng.integers(0, 4, 60)])
    return X, Y


def test_multitask_score_mismatch():
    X, Y = _multitask()
    est = quiet(DFNClassifier((4,), max_iter=2).fit, X, Y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        est.score(X, Y[:-1])
    with pytest.raises(ValueError, match=r"y must have shape \(60, 2\)"):
        est.score(X, Y[:, :1])


@pytest.mark.parametrize("attack", [fgsm, adversarial_score])
def test_attacks_refuse_mismatched_lengths(digits, attack):
    X, y = digits
    est = quiet(DFNClassifier((4,), max_iter=2).fit, X, y)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        attack(est, X, y[:-1], eps=0.1)
    reg = quiet(DFNRegressor((4,), max_iter=2).fit, X, np.c_[y, y])
    with pytest.raises(ValueError, match="y has 1 target column"):
        attack(reg, X, y, eps=0.1)


def test_multitask_columns_of_different_label_types():
    """One task with numbers and another with strings is valid multi-task
    input; a column that mixes them is refused by name."""
    X, Y = _multitask()
    mixed = np.empty(Y.shape, dtype=object)
    mixed[:, 0] = Y[:, 0]
    mixed[:, 1] = np.array(["a", "b", "c", "d"])[Y[:, 1]]
    est = quiet(DFNClassifier((8,), max_iter=5, random_state=0).fit, X, mixed)
    assert [list(c) for c in est.classes_] == [[0, 1, 2], ["a", "b", "c", "d"]]
    pred = est.predict(X)
    assert pred.shape == (60, 2) and set(pred[:, 1]) <= {"a", "b", "c", "d"}
    assert 0 <= est.score(X, mixed) <= 1
    bad = mixed.copy()
    bad[0, 1] = 3
    with pytest.raises(ValueError, match=r"column 1 of y mixes label types \['int', 'str'\]"):
        DFNClassifier((4,)).fit(X, bad)


def test_missing_string_labels_raise_saying_to_drop_them():
    """A label column holds None where the label is missing; "mixes label
    types" would send the user looking for numbers. NaN is caught earlier,
    by scikit-learn's check of y, whose message names y."""
    X = np.random.default_rng(0).normal(size=(9, 2))
    y = np.array(["a", "b", None] * 3, dtype=object)
    with pytest.raises(ValueError, match=r"^y has 3 missing label\(s\) \(None\) "
                       r"among 9: drop those rows.*label them -1"):
        DFNClassifier((4,)).fit(X, y)
    two_tasks = np.column_stack([np.arange(9) % 2, y]).astype(object)
    with pytest.raises(ValueError, match="^column 1 of y has 3 missing label"):
        DFNClassifier((4,)).fit(X, two_tasks)
    with pytest.raises(ValueError, match="^y: Input contains NaN"):
        DFNClassifier((4,)).fit(X, np.where(y == None, np.nan, y))  # noqa: E711


def test_sparse_multilabel_targets_as_mlp(digits):
    X, _ = digits
    Y = (np.random.default_rng(0).random((len(X), 3)) < 0.4).astype(int)
    Ys = sp.csr_matrix(Y)
    ours = quiet(DFNClassifier((8,), max_iter=3, random_state=0).fit, X, Ys)
    dense = quiet(DFNClassifier((8,), max_iter=3, random_state=0).fit, X, Y)
    theirs = quiet(MLPClassifier((8,), max_iter=3, random_state=0).fit, X, Ys)
    assert sp.issparse(ours.predict(X)) and sp.issparse(theirs.predict(X))
    np.testing.assert_array_equal(ours.predict(X).toarray(), dense.predict(X))
    assert ours.score(X, Ys) == dense.score(X, Y)
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)


class Poison(_Transformer):
    """Returns non-finite rows on the ``value``-th transform (1-based)."""

    calls = 0

    def transform(self, X):
        Poison.calls += 1
        return X + np.inf if Poison.calls == self.value else X


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_diverged_epoch_of_a_fit_is_undone_whole(digits, solver):
    """A fit diverging in epoch 4, after two of its steps, keeps the state at
    the end of epoch 3 (the weights, the optimizer's moments and step count,
    t_), so the next
    partial_fit continues as after a 3-epoch fit."""
    X, y = digits

    def make(max_iter):
        Poison.calls = 0
        # 4 batches an epoch: the 15th transform is epoch 4's third batch
        return DFNClassifier((8,), solver=solver, augment=Poison(15), batch_size=100,
                             penalty="l1", alpha=1e-3, max_iter=max_iter,
                             random_state=0)

    with pytest.warns(ConvergenceWarning, match="diverged in epoch 4"):
        diverged = make(10).fit(X, y)
    complete = quiet(make(3).fit, X, y)
    state, expected = fitted_state(diverged), fitted_state(complete)
    for name in ("stopped_epoch_", "stopping_reason_"):
        state.pop(name), expected.pop(name)
    assert diverged.n_iter_ == 3
    assert_same_state(state, expected)
    for est in (diverged, complete):
        est.set_params(augment=None).partial_fit(X, y)
    assert_same_state(fitted_state(diverged), fitted_state(complete))


def test_validation_data_y_none_is_refused(digits):
    X, y = digits
    with pytest.raises(ValueError, match="y_val is None"):
        DFNClassifier((4,)).fit(X, y, validation_data=(X, None))


def test_input_errors_name_the_input():
    """sklearn's conversion message does not say which input it is about."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), rng.normal(size=20)
    with pytest.raises(ValueError, match="^X: could not convert string to float"):
        DFNRegressor((4,)).fit(X.astype(str).astype(object) + "a", y)
    with pytest.raises(ValueError, match="^y must hold numeric targets"):
        DFNRegressor((4,)).fit(X, np.array(["a", "b"] * 10))
    with pytest.raises(ValueError, match="Unknown label type 'continuous' of y"):
        DFNClassifier((4,)).fit(X, y)


def test_diverged_refit_epoch_is_undone_whole(digits):
    """Refit (algorithm 7.2) diverging in its first epoch after one step: the
    step is undone with the weights (t_ counts completed epochs only)."""
    X, y = digits
    Poison.calls = 0
    # phase 1: 3 epochs of 4 batches (320 rows); the 14th transform is the
    # refit's second batch
    est = DFNClassifier((8,), augment=Poison(14), batch_size=100, max_iter=3,
                        early_stopping=True, validation_fraction=0.2,
                        refit_strategy="retrain", random_state=0)
    with pytest.warns(ConvergenceWarning, match="Refit diverged in epoch 1"):
        est.fit(X, y)
    assert est.n_iter_ == 3 and est.refit_n_iter_ == 0
    assert est.t_ == 3 * 320
    assert all(np.all(np.isfinite(c)) for c in est.coefs_)
