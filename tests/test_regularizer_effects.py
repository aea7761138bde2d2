"""The training-time regularizers as a user sees them on sklearn's digits."""

import numpy as np
import pytest

from skreg import DFNClassifier, DFNRegressor, EarlyStopping
from skreg.adversarial import adversarial_score, fgsm

FAST = dict(hidden_layer_sizes=(32,), max_iter=30, random_state=0)


def test_dropout_keep_one_is_bit_identical_to_no_dropout(small_digits):
    X, y, _, _ = small_digits
    a = DFNClassifier(**FAST).fit(X, y)
    b = DFNClassifier(**FAST, dropout_keep=(1.0, 1.0)).fit(X, y)
    for Wa, Wb in zip(a.coefs_, b.coefs_):
        np.testing.assert_array_equal(Wa, Wb)


@pytest.mark.parametrize("mode", ["inverted", "classic"])
def test_dropout_trains_and_predicts_deterministically(small_digits, mode):
    X, y, Xt, yt = small_digits
    est = DFNClassifier(**{**FAST, "max_iter": 60}, dropout_keep=(0.9, 0.5),
                        dropout_mode=mode, learning_rate_init=0.01).fit(X, y)
    np.testing.assert_array_equal(est.predict_proba(Xt), est.predict_proba(Xt))
    assert est.score(Xt, yt) > 0.85
    plain = DFNClassifier(**FAST).fit(X, y)
    assert not np.array_equal(plain.coefs_[0], est.coefs_[0])


def test_classic_dropout_scales_each_layer_input_by_p_at_prediction(small_digits):
    X, y, Xt, _ = small_digits
    est = DFNClassifier(**FAST, dropout_keep=(0.8, 0.5), dropout_mode="classic").fit(X, y)
    W1, W2 = est.coefs_
    b1, b2 = est.intercepts_
    h = np.maximum(0.8 * (Xt @ W1) + b1, 0)
    z = 0.5 * (h @ W2) + b2
    expected = np.exp(z - z.max(1, keepdims=True))
    expected /= expected.sum(1, keepdims=True)
    np.testing.assert_allclose(est.predict_proba(Xt), expected, rtol=1e-4, atol=1e-6)


def test_input_noise_leaves_data_untouched_and_changes_training(small_digits):
    X, y, _, _ = small_digits
    X0 = X.copy()
    noisy = DFNClassifier(**FAST, input_noise=0.2).fit(X, y)
    np.testing.assert_array_equal(X, X0)
    plain = DFNClassifier(**FAST).fit(X, y)
    assert not np.array_equal(noisy.coefs_[0], plain.coefs_[0])
    again = DFNClassifier(**FAST, input_noise=0.2).fit(X, y)
    np.testing.assert_array_equal(noisy.coefs_[0], again.coefs_[0])


def test_weight_noise_trains(small_digits):
    X, y, Xt, yt = small_digits
    est = DFNClassifier(**{**FAST, "max_iter": 60}, weight_noise=0.01,
                        learning_rate_init=0.01).fit(X, y)
    assert est.score(Xt, yt) > 0.85


def test_label_smoothing_lowers_confidence(small_digits):
    X, y, Xt, _ = small_digits
    kw = {**FAST, "max_iter": 80, "learning_rate_init": 0.01}
    sharp = DFNClassifier(**kw).fit(X, y)
    smooth = DFNClassifier(**kw, label_smoothing=0.2).fit(X, y)
    assert smooth.predict_proba(Xt).max(1).mean() < sharp.predict_proba(Xt).max(1).mean() - 0.05
    # the smoothed optimum puts 1 - e + e/K on the true class at most
    assert smooth.predict_proba(X).max(1).mean() < 0.9


def test_activity_penalty_sparsifies_relu_units(small_digits):
    X, y, _, _ = small_digits

    def zero_fraction(est):
        h = np.maximum(X @ est.coefs_[0] + est.intercepts_[0], 0)
        return np.mean(h == 0)

    plain = DFNClassifier(**FAST).fit(X, y)
    sparse = DFNClassifier(**FAST, activity_alpha=0.05).fit(X, y)
    assert zero_fraction(sparse) > zero_fraction(plain) + 0.1


def test_adversarial_training_resists_fgsm(digits):
    X, y, Xt, yt = digits
    kw = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
    plain = DFNClassifier(**kw).fit(X, y)
    robust = DFNClassifier(**kw, adversarial_eps=0.1).fit(X, y)
    eps = 0.1
    plain_clean, plain_attacked = plain.score(Xt, yt), adversarial_score(plain, Xt, yt, eps)
    robust_attacked = adversarial_score(robust, Xt, yt, eps)
    assert plain_attacked < plain_clean - 0.3  # FGSM hurts a plain model a lot
    assert robust_attacked > plain_attacked + 0.2
    assert robust.score(Xt, yt) > 0.85


def test_fgsm_moves_each_input_by_eps_and_clips(small_digits):
    X, y, Xt, yt = small_digits
    est = DFNClassifier(**FAST).fit(X, y)
    X_adv = fgsm(est, Xt, yt, 0.05)
    assert np.allclose(np.abs(X_adv - Xt)[np.abs(X_adv - Xt) > 0], 0.05, rtol=1e-5)
    clipped = fgsm(est, Xt, yt, 0.3, clip=(0.0, 1.0))
    assert clipped.min() >= 0.0 and clipped.max() <= 1.0
    reg = DFNRegressor(**FAST).fit(X, y.astype(float))
    assert fgsm(reg, Xt, yt, 0.05).shape == Xt.shape
    with pytest.raises(ValueError, match="eps"):
        fgsm(est, Xt, yt, -1.0)


@pytest.mark.parametrize("criterion", ["patience", "gl", "pq", "up",
                                       EarlyStopping("gl", threshold=1.0)])
def test_every_criterion_restores_the_best_weights(small_digits, criterion):
    X, y, Xt, yt = small_digits
    est = DFNClassifier((64,), learning_rate_init=0.03, penalty=None, max_iter=300,
                        early_stopping=criterion, n_iter_no_change=5, tol=0.0,
                        random_state=0).fit(X, y, validation_data=(Xt, yt))
    curve = est.validation_loss_curve_
    assert est.stopped_epoch_ is not None and est.stopped_epoch_ < 300
    assert len(curve) == est.n_iter_ == est.stopped_epoch_
    assert curve[est.best_epoch_ - 1] == min(curve)
    P = est.predict_proba(Xt)
    val_loss = -np.mean(np.log(P[np.arange(len(yt)), yt]))
    assert val_loss == pytest.approx(min(curve), rel=1e-4)
    assert est.stopping_reason_


def test_refit_retrain_trains_all_rows_for_best_epoch_epochs(small_digits):
    X, y, _, _ = small_digits
    est = DFNClassifier((32,), learning_rate_init=0.03, early_stopping=True,
                        n_iter_no_change=3, tol=0.0, validation_fraction=0.2,
                        refit_strategy="retrain", random_state=0).fit(X, y)
    n_val = int(np.ceil(0.2 * len(X)))
    assert est.refit_n_iter_ == est.best_epoch_
    assert est.t_ == est.n_iter_ * (len(X) - n_val) + est.best_epoch_ * len(X)
    plain = DFNClassifier((32,), learning_rate_init=0.03, early_stopping=True,
                          n_iter_no_change=3, tol=0.0, validation_fraction=0.2,
                          random_state=0).fit(X, y)
    assert plain.refit_n_iter_ is None
    assert plain.best_epoch_ == est.best_epoch_
    assert not np.array_equal(plain.coefs_[0], est.coefs_[0])


def test_refit_continue_stops_when_validation_loss_beats_the_target(small_digits):
    X, y, Xt, yt = small_digits
    est = DFNClassifier((32,), learning_rate_init=0.03, early_stopping=True,
                        n_iter_no_change=3, tol=0.0, refit_strategy="continue",
                        max_iter=100, random_state=0).fit(X, y, validation_data=(Xt, yt))
    target = est.loss_curve_[est.best_epoch_ - 1]
    P = est.predict_proba(Xt)
    val_loss = -np.mean(np.log(P[np.arange(len(yt)), yt]))
    assert 0 <= est.refit_n_iter_ <= 100
    if est.refit_n_iter_ < 100:
        assert val_loss < target


def _continue(X, y, **params):
    return DFNClassifier((32,), learning_rate_init=0.01, early_stopping=True,
                         n_iter_no_change=3, tol=0.0, refit_strategy="continue",
                         max_iter=100, random_state=0, **params).fit(X, y)


def test_refit_continue_that_trains_no_epoch_warns(small_digits):
    """Label smoothing puts the training objective (against smoothed targets)
    above the plain validation loss: algorithm 7.3's test holds at once, the
    validation rows are never trained on, and a warning says so with both
    numbers."""
    import re
    import warnings

    X, y, _, _ = small_digits
    with pytest.warns(UserWarning, match="'continue' trained 0 epochs") as caught:
        est = _continue(X, y, label_smoothing=0.2)
    assert est.refit_n_iter_ == 0
    message = str(next(w.message for w in caught if "0 epochs" in str(w.message)))
    val_loss, target = map(float, re.findall(r"\(([0-9.e+-]+)\)", message)[:2])
    assert val_loss < target == pytest.approx(est.loss_curve_[est.best_epoch_ - 1],
                                              rel=1e-3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # trains: no warning
        assert _continue(X, y).refit_n_iter_ > 0


def test_continue_warns_only_when_its_test_held():
    """A refit whose first epoch diverged also ends after 0 epochs; then the
    validation loss need not be below the target, and the 'already below'
    warning would be false."""
    import warnings

    from skreg.refit import _warn_if_unused

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_if_unused(0.5, 0.4)
        _warn_if_unused(float("nan"), 0.4)
    with pytest.warns(UserWarning, match=r"\(0\.3\) is already below .* \(0\.4\)"):
        _warn_if_unused(0.3, 0.4)


@pytest.mark.parametrize("params,match", [
    ({"dropout_keep": 0.0}, "dropout_keep"),
    ({"dropout_keep": 1.5}, "dropout_keep"),
    ({"dropout_keep": (0.5, 0.5, 0.5)}, "dropout_keep.*n_hidden \\+ 1"),
    ({"dropout_keep": (0.5, 0.0)}, "dropout_keep"),
    ({"dropout_mode": "scaled"}, "dropout_mode"),
    ({"input_noise": -0.1}, "input_noise"),
    ({"weight_noise": -0.1}, "weight_noise"),
    ({"label_smoothing": 1.0}, "label_smoothing"),
    ({"activity_alpha": -1.0}, "activity_alpha"),
    ({"adversarial_eps": -1.0}, "adversarial_eps"),
    ({"adversarial_weight": 1.5}, "adversarial_weight"),
    ({"refit_strategy": "again"}, "refit_strategy"),
    ({"augment": "flip"}, "augment"),
    ({"early_stopping": "never"}, "early_stopping"),
    ({"early_stopping": EarlyStopping("nope")}, "criterion"),
    ({"solver": "lbfgs", "dropout_keep": 0.5}, "deterministic"),
    ({"solver": "lbfgs", "input_noise": 0.1}, "deterministic"),
])
def test_bad_regularizer_parameters(small_digits, params, match):
    X, y, _, _ = small_digits
    with pytest.raises(ValueError, match=match):
        DFNClassifier((8,), max_iter=2, **params).fit(X, y)
