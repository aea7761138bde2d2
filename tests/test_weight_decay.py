"""Decoupled weight decay: equal to an L2 penalty under plain SGD (alpha =
weight_decay * n), different under Adam, and there equal to an independent
numpy AdamW; refused by lbfgs."""

import numpy as np
import pytest

from skreg import DFNClassifier, DFNRegressor

from .helpers import quiet_fit


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 5))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    return X, y


def test_sgd_weight_decay_is_l2_with_alpha_weight_decay_times_batch(blobs):
    X, y = blobs
    batch, decay = 40, 0.05  # 120 rows: three batches of 40
    common = dict(hidden_layer_sizes=(7,), solver="sgd", momentum=0.0, batch_size=batch,
                  learning_rate_init=0.1, max_iter=8, random_state=0, dtype=np.float64)
    decayed = quiet_fit(DFNClassifier(penalty=None, weight_decay=decay, **common), X, y)
    l2 = quiet_fit(DFNClassifier(penalty="l2", alpha=decay * batch, **common), X, y)
    for a, b in zip(decayed.coefs_ + decayed.intercepts_, l2.coefs_ + l2.intercepts_,
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-13)
    # the decay is an update rule, not a term of the reported objective
    assert decayed.loss_curve_[0] < l2.loss_curve_[0]


def _adamw(w, b, X, y, lr, decay, steps, beta_1=0.9, beta_2=0.999, eps=1e-8):
    """Full-batch AdamW on 1/2 mean squared error of ``X @ w + b``, written
    out: Adam's step as scikit-learn computes it, the decay outside it on
    the weights only (Loshchilov & Hutter 2019, algorithm 2). ``lr`` is a
    number or a function of the step t (a schedule)."""
    rate = lr if callable(lr) else (lambda t: lr)
    theta = np.concatenate([w.ravel(), b])
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        w, b = theta[:-1], theta[-1]
        residual = X @ w + b - y
        g = np.concatenate([X.T @ residual / len(y), [residual.mean()]])
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * g * g
        lr_t = rate(t) * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
        theta[:-1] *= 1 - rate(t) * decay
        theta = theta - lr_t * m / (np.sqrt(v) + eps)
    return theta[:-1], theta[-1]


def _linear_adam(X, y, w0, b0, steps, **params):
    params = {"penalty": None, **params}
    est = DFNRegressor(hidden_layer_sizes=(), solver="adam", batch_size=len(y),
                       shuffle=False, learning_rate_init=0.05, warm_start=True,
                       dtype=np.float64, random_state=0, **params)
    quiet_fit(est.set_params(max_iter=1), X, y)
    est.coefs_[0][...] = w0[:, None]
    est.intercepts_[0][...] = b0
    return quiet_fit(est.set_params(max_iter=steps), X, y)


def test_adam_weight_decay_is_adamw():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    w0, b0 = rng.normal(size=4), 0.7
    est = _linear_adam(X, y, w0, b0, 5, weight_decay=0.3)
    w, b = _adamw(w0, np.array([b0]), X, y, lr=0.05, decay=0.3, steps=5)
    np.testing.assert_allclose(est.coefs_[0].ravel(), w, rtol=1e-12)
    np.testing.assert_allclose(est.intercepts_[0], [b], rtol=1e-12)
    # not the L2 penalty of the same strength, which Adam rescales
    l2 = _linear_adam(X, y, w0, b0, 5, penalty="l2", alpha=0.3 * len(y))
    assert np.abs(l2.coefs_[0].ravel() - w).max() > 1e-3


def test_weight_decay_follows_the_schedule():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(30, 4)), rng.normal(size=30)
    w0, b0 = rng.normal(size=4), -0.2
    est = _linear_adam(X, y, w0, b0, 6, weight_decay=0.5, learning_rate="cosine")
    cosine = lambda t: 0.05 * 0.5 * (1 + np.cos(np.pi * (t - 1) / 6))  # noqa: E731
    w, b = _adamw(w0, np.array([b0]), X, y, lr=cosine, decay=0.5, steps=6)
    np.testing.assert_allclose(est.coefs_[0].ravel(), w, rtol=1e-12)
    np.testing.assert_allclose(est.intercepts_[0], [b], rtol=1e-12)


def test_weight_decay_shrinks_the_weights_and_zero_is_bit_identical(blobs):
    X, y = blobs
    common = dict(hidden_layer_sizes=(16,), max_iter=30, random_state=0, penalty=None)
    plain = quiet_fit(DFNClassifier(**common), X, y)
    zero = quiet_fit(DFNClassifier(weight_decay=0.0, **common), X, y)
    for a, b in zip(plain.coefs_, zero.coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    decayed = quiet_fit(DFNClassifier(weight_decay=20.0, **common), X, y)
    norm = [sum(np.sum(W**2) for W in est.coefs_) for est in (plain, decayed)]
    assert norm[1] < 0.8 * norm[0]


def test_bad_weight_decay(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="weight_decay needs solver='sgd' or 'adam'"):
        DFNClassifier(solver="lbfgs", weight_decay=0.1).fit(X, y)
    with pytest.raises(ValueError, match="'weight_decay' parameter of DFNRegressor"):
        DFNRegressor(weight_decay=-1.0).fit(X, y)
