"""Penalties against closed forms and scikit-learn's linear models (float64)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Lasso, Ridge

from skreg import DFNRegressor


def linear(**kw):
    params = dict(hidden_layer_sizes=(), activation="identity", dtype=np.float64,
                  random_state=0)
    params.update(kw)
    return DFNRegressor(**params)


def ridge_closed_form(X, y, alpha):
    """(X^T X + alpha I)^-1 X^T y on centred data (intercept unpenalised)."""
    Xc, yc = X - X.mean(0), y - y.mean()
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc)
    return w, y.mean() - X.mean(0) @ w


@given(seed=st.integers(0, 10_000), alpha=st.floats(0.1, 50.0),
       shape=st.sampled_from([(40, 5), (12, 30)]))
@settings(max_examples=15, deadline=None)
def test_l2_is_ridge(seed, alpha, shape):
    """Also under-determined (n_features > n_samples, chapter 7.3)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=shape)
    y = X @ rng.normal(size=shape[1]) + rng.normal(size=shape[0]) + 3.0
    est = linear(solver="lbfgs", penalty="l2", alpha=alpha, tol=1e-12,
                 max_iter=5000).fit(X, y)
    w, b = ridge_closed_form(X, y, alpha)
    np.testing.assert_allclose(est.coefs_[0].ravel(), w, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(est.intercepts_[0], [b], rtol=1e-5, atol=1e-7)
    sk = Ridge(alpha=alpha).fit(X, y)
    np.testing.assert_allclose(est.coefs_[0].ravel(), sk.coef_, rtol=1e-5, atol=1e-7)


def test_l2_with_adam_minibatches_reaches_ridge():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    y = X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * rng.normal(size=64)
    est = linear(solver="sgd", momentum=0.0, batch_size=64, learning_rate_init=0.2,
                 penalty="l2", alpha=8.0, max_iter=2000, tol=0.0,
                 n_iter_no_change=2000)
    with pytest.warns(Warning):
        est.fit(X, y)
    w, _ = ridge_closed_form(X, y, 8.0)
    np.testing.assert_allclose(est.coefs_[0].ravel(), w, rtol=1e-6, atol=1e-8)


def orthogonal_design(rng, n, d):
    """Centred columns with X^T X = diag(H)."""
    Q, _ = np.linalg.qr(rng.normal(size=(n, d + 1)))
    Q = Q[:, 1:] - Q[:, 1:].mean(0)
    Q, _ = np.linalg.qr(Q)
    Q = Q - Q.mean(0)
    H = rng.uniform(1.0, 20.0, size=d)
    X = Q * np.sqrt(H / (Q * Q).sum(0))
    return X, (X * X).sum(0)


@given(seed=st.integers(0, 10_000), alpha=st.floats(0.5, 20.0))
@settings(max_examples=15, deadline=None)
def test_l1_is_soft_threshold_and_lasso(seed, alpha):
    rng = np.random.default_rng(seed)
    n, d = 50, 6
    X, H = orthogonal_design(rng, n, d)
    np.testing.assert_allclose(X.T @ X, np.diag(H), atol=1e-10)
    y = X @ rng.normal(scale=2.0, size=d) + rng.normal(size=n)
    w_star = np.linalg.lstsq(X - X.mean(0), y - y.mean(), rcond=None)[0]
    expected = np.sign(w_star) * np.maximum(np.abs(w_star) - alpha / H, 0)
    # full batch proximal gradient with step 1/L, L = max(H/n, 1) (the bias)
    est = linear(solver="sgd", momentum=0.0, batch_size=n, penalty="l1",
                 alpha=alpha, learning_rate_init=min(n / H.max(), 1.0), max_iter=3000,
                 tol=0.0, n_iter_no_change=3000)
    with pytest.warns(Warning):
        est.fit(X, y)
    w = est.coefs_[0].ravel()
    np.testing.assert_allclose(w, expected, atol=1e-8)
    np.testing.assert_array_equal(w == 0, expected == 0)
    lasso = Lasso(alpha=alpha / n, tol=1e-12, max_iter=100_000).fit(X, y)
    np.testing.assert_allclose(w, lasso.coef_, atol=1e-7)
    np.testing.assert_array_equal(w == 0, lasso.coef_ == 0)


def test_l1_with_adam_gives_exact_zeros_plain_subgradient_would_not():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 20))
    y = X[:, :3] @ [3.0, -2.0, 1.0] + 0.1 * rng.normal(size=200)
    est = linear(solver="adam", penalty="l1", alpha=20.0, learning_rate_init=0.05,
                 max_iter=300).fit(X, y)
    w = est.coefs_[0].ravel()
    assert np.all(w[3:] == 0.0)
    assert np.all(w[:3] != 0.0)
