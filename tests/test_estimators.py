"""Behaviour of DFNClassifier / DFNRegressor as a scikit-learn user sees it."""

import pickle
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skreg import DFNClassifier, DFNRegressor
from skreg.penalties import MaxNorm


def quiet(est, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kw)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("max_norm", [0.5, MaxNorm(1.5)])
def test_max_norm_bounds_every_unit(small_digits, dtype, max_norm):
    X, y, _, _ = small_digits
    est = quiet(DFNClassifier((32, 16), max_norm=max_norm, dtype=dtype,
                              learning_rate_init=0.01, max_iter=20, random_state=0), X, y)
    c = max_norm if np.isscalar(max_norm) else max_norm.max_norm
    for W in est.coefs_:
        assert np.linalg.norm(W.astype(np.float64), axis=0).max() <= c
    free = quiet(DFNClassifier((32, 16), dtype=dtype, learning_rate_init=0.01,
                               max_iter=20, random_state=0), X, y)
    assert max(np.linalg.norm(W, axis=0).max() for W in free.coefs_) > c


def test_same_seed_is_bit_identical_and_seeds_differ(small_digits):
    X, y, _, _ = small_digits
    make = lambda seed: quiet(DFNClassifier((16,), max_iter=5, random_state=seed), X, y)
    a, b, c = make(3), make(3), make(4)
    for Wa, Wb, Wc in zip(a.coefs_, b.coefs_, c.coefs_):
        np.testing.assert_array_equal(Wa, Wb)
        assert not np.array_equal(Wa, Wc)


def test_pickle_round_trip(small_digits):
    X, y, Xt, _ = small_digits
    est = quiet(DFNClassifier((16,), max_iter=5, random_state=0), X, y)
    clone = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est.predict_proba(Xt), clone.predict_proba(Xt))
    # a loaded model keeps training where the original would
    est.partial_fit(X, y)
    clone.partial_fit(X, y)
    np.testing.assert_array_equal(est.coefs_[0], clone.coefs_[0])


def test_accuracy_matches_sklearn_mlp(digits):
    X, y, Xt, yt = digits
    ours = quiet(DFNClassifier((64,), max_iter=40, random_state=0), X, y)
    theirs = quiet(MLPClassifier((64,), max_iter=40, random_state=0), X, y)
    assert ours.score(Xt, yt) > theirs.score(Xt, yt) - 0.03
    assert ours.score(Xt, yt) > 0.88


def test_partial_fit(small_digits):
    X, y, _, _ = small_digits
    est = DFNClassifier((16,), random_state=0)
    for i in range(1, 4):
        est.partial_fit(X, y, classes=np.unique(y))
        assert est.n_iter_ == 1  # epochs of the last call, as MLPClassifier
        assert len(est.loss_curve_) == i
    assert est.loss_curve_[-1] < est.loss_curve_[0]
    assert est.t_ == 3 * len(X)


def test_warm_start_continues_and_resets_n_iter(small_digits):
    X, y, _, _ = small_digits
    est = quiet(DFNClassifier((16,), max_iter=5, random_state=0, warm_start=True), X, y)
    first = list(est.loss_curve_)
    quiet(est, X, y)
    assert est.n_iter_ == 5
    assert len(est.loss_curve_) == 10 and est.loss_curve_[:5] == first
    assert est.loss_curve_[5] < first[0]


def test_binary_multiclass_multilabel_and_string_labels(small_digits):
    X, y, Xt, _ = small_digits
    binary = quiet(DFNClassifier((8,), max_iter=5, random_state=0), X, y % 2)
    P = binary.predict_proba(Xt)
    assert P.shape == (len(Xt), 2)
    np.testing.assert_allclose(P.sum(1), 1, rtol=1e-6)
    names = np.array(["even", "odd"])[y % 2]
    strings = quiet(DFNClassifier((8,), max_iter=5, random_state=0), X, names)
    assert set(strings.predict(Xt)) <= {"even", "odd"}
    np.testing.assert_array_equal(strings.predict(Xt) == "odd", binary.predict(Xt) == 1)
    Y = np.column_stack([y % 2, y > 4, y == 0]).astype(int)
    multi = quiet(DFNClassifier((32,), max_iter=100, random_state=0), X, Y)
    assert multi.predict_proba(Xt).shape == (len(Xt), 3)
    assert multi.predict(Xt).shape == (len(Xt), 3)
    assert multi.score(X, Y) > 0.7


def test_sparse_input_equals_dense(small_digits):
    X, y, Xt, _ = small_digits
    kw = dict(hidden_layer_sizes=(8,), max_iter=3, random_state=0, dtype=np.float64)
    dense = quiet(DFNClassifier(**kw), X, y)
    csr = quiet(DFNClassifier(**kw), sparse.csr_matrix(X), y)
    np.testing.assert_allclose(dense.predict_proba(Xt),
                               csr.predict_proba(sparse.csr_matrix(Xt)), atol=1e-10)


def test_unit_weights_equal_no_weights_and_zero_weights_drop_rows(small_digits):
    X, y, Xt, _ = small_digits
    kw = dict(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0,
              dtype=np.float64, max_iter=50)
    plain = quiet(DFNClassifier(**kw), X, y)
    ones = quiet(DFNClassifier(**kw), X, y, sample_weight=np.ones(len(y)))
    np.testing.assert_allclose(plain.predict_proba(Xt), ones.predict_proba(Xt), atol=1e-10)
    twice = quiet(DFNClassifier(**kw), np.vstack([X, X[:50]]), np.r_[y, y[:50]])
    w = np.ones(len(y))
    w[:50] = 2
    weighted = quiet(DFNClassifier(**kw), X, y, sample_weight=w)
    np.testing.assert_allclose(twice.predict_proba(Xt), weighted.predict_proba(Xt), atol=1e-6)


def test_regression_one_and_two_outputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 4))
    Y = np.column_stack([X @ [1, 2, 0, 0], np.sin(X[:, 2])])
    est = quiet(DFNRegressor((32,), max_iter=300, learning_rate_init=0.01,
                             random_state=0), X, Y)
    assert est.predict(X).shape == (300, 2) and est.score(X, Y) > 0.9
    one = quiet(DFNRegressor((32,), max_iter=300, random_state=0), X, Y[:, 0])
    assert one.predict(X).shape == (300,) and one.predict(X).dtype == np.float64


def test_linear_model_and_activation_alias(small_digits):
    X, y, Xt, _ = small_digits
    lin = quiet(DFNClassifier((), max_iter=10, random_state=0), X, y)
    assert [W.shape for W in lin.coefs_] == [(64, 10)]
    a = quiet(DFNClassifier((8,), "logistic", max_iter=3, random_state=0), X, y)
    b = quiet(DFNClassifier((8,), "sigmoid", max_iter=3, random_state=0), X, y)
    np.testing.assert_array_equal(a.predict_proba(Xt), b.predict_proba(Xt))


@pytest.mark.parametrize("scheme,activation,expected_std", [
    ("std_normal", "sigmoid", lambda fi, fo: 1.0),
    ("he_normal", "tanh", lambda fi, fo: np.sqrt(2 / fi)),
    ("glorot_uniform", "relu", lambda fi, fo: np.sqrt(2 / (fi + fo))),
    ("auto", "relu", lambda fi, fo: np.sqrt(2 / fi)),
    ("auto", "tanh", lambda fi, fo: np.sqrt(2 / (fi + fo))),
])
def test_weight_init_scales(scheme, activation, expected_std):
    X = np.random.default_rng(0).normal(size=(10, 400))
    est = DFNClassifier((300,), activation, weight_init=scheme,
                        learning_rate_init=1e-12, random_state=0)
    est.partial_fit(X, np.arange(10) % 2, classes=[0, 1])  # a negligible step
    W = est.coefs_[0]
    std = expected_std(400, 300)
    assert W.std() == pytest.approx(std, rel=0.02)
    if "glorot" in scheme or (scheme == "auto" and activation != "relu"):
        assert np.abs(W).max() <= np.sqrt(6 / 700) * 1.01


def test_validation_data_records_curves_without_restoring(small_digits):
    X, y, Xt, yt = small_digits
    est = quiet(DFNClassifier((16,), max_iter=8, random_state=0), X, y,
                validation_data=(Xt, yt))
    assert len(est.validation_loss_curve_) == len(est.validation_scores_) == 8
    assert est.best_epoch_ == 8 and est.stopped_epoch_ is None
    assert est.validation_scores_[-1] == pytest.approx(est.score(Xt, yt))
    k = int(np.argmin(est.validation_loss_curve_))
    assert est.best_validation_score_ == est.validation_scores_[k]


def _val_loss(est, X, y):
    P = est.predict_proba(X)
    return -np.mean(np.log(P[np.arange(len(y)), np.searchsorted(est.classes_, y)]))


def test_early_stopping_restores_best_weights(small_digits):
    X, y, Xt, yt = small_digits
    est = quiet(DFNClassifier((64,), learning_rate_init=0.02, penalty=None,
                              early_stopping=True, n_iter_no_change=3, max_iter=200,
                              tol=0.0, random_state=0), X, y, validation_data=(Xt, yt))
    curve = est.validation_loss_curve_
    assert est.stopped_epoch_ == est.best_epoch_ + 3 < 200
    assert curve[est.best_epoch_ - 1] == min(curve)
    assert _val_loss(est, Xt, yt) == pytest.approx(min(curve), rel=1e-5)
    assert est.best_validation_score_ == est.validation_scores_[est.best_epoch_ - 1]


def test_early_stopping_split_is_stratified_fraction(small_digits):
    X, y, _, _ = small_digits
    est = quiet(DFNClassifier((8,), early_stopping=True, validation_fraction=0.2,
                              max_iter=3, random_state=0), X, y)
    assert est.t_ == 3 * (len(X) - int(np.ceil(0.2 * len(X))))


def test_verbose_prints_one_line_per_epoch(small_digits, capsys):
    X, y, Xt, yt = small_digits
    quiet(DFNClassifier((8,), max_iter=3, verbose=True, random_state=0), X, y,
          validation_data=(Xt, yt))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and all("validation loss" in line for line in lines)


def test_divergence_stops_keeps_finite_weights_and_warns(small_digits):
    X, y, Xt, _ = small_digits
    est = DFNClassifier((16,), solver="sgd", momentum=0.0, learning_rate_init=1e30,
                        max_iter=50, random_state=0)
    with pytest.warns(ConvergenceWarning, match="learning_rate_init"):
        est.fit(X * 1e4, y)
    assert all(np.isfinite(W).all() for W in est.coefs_)
    assert est.stopping_reason_.startswith("diverged")
    assert np.isfinite(est.predict_proba(Xt)).all()


def test_sgd_schedules(small_digits):
    X, y, _, _ = small_digits
    adaptive = quiet(DFNClassifier((8,), solver="sgd", learning_rate="adaptive",
                                   n_iter_no_change=1, tol=10.0, max_iter=6,
                                   random_state=0), X, y)
    assert adaptive._optimizer.learning_rate < adaptive.learning_rate_init
    inv = quiet(DFNClassifier((8,), solver="sgd", learning_rate="invscaling",
                              max_iter=2, random_state=0), X, y)
    expected = inv.learning_rate_init / inv.t_ ** inv.power_t
    assert inv._optimizer.learning_rate == pytest.approx(expected, rel=1e-2)


def test_lbfgs_loss_curve_decreases(small_digits):
    X, y, _, _ = small_digits
    est = quiet(DFNClassifier((16,), solver="lbfgs", max_iter=30, random_state=0), X, y)
    assert len(est.loss_curve_) == est.n_iter_
    assert est.loss_curve_[-1] < est.loss_curve_[0]
