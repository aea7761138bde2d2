"""learning_rate="cosine" and warmup_epochs: the rate of every update
against the closed form, the update itself against plain gradient descent
written out, the schedule's clock across partial_fit, and the errors."""

import math
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skreg import DFNClassifier, DFNRegressor
from skreg.optimizers import SGD, Adam


def _cosine(lr0, e, T, W=0.0, n_batches=1):
    """lr0 * 0.5 * (1 + cos(pi t / T')) after a linear warm-up of W epochs."""
    end = e + 1 / n_batches
    if end < W:
        return lr0 * end / W
    return lr0 * 0.5 * (1 + math.cos(math.pi * min(max(e - W, 0) / (T - W), 1)))


@pytest.fixture
def rates(monkeypatch):
    """The learning rate each optimizer update ran with."""
    seen = []
    for cls in (SGD, Adam):
        def spy(self, params, grad, samples_seen, _step=cls.step):
            seen.append(self.learning_rate)
            return _step(self, params, grad, samples_seen)
        monkeypatch.setattr(cls, "step", spy)
    return seen


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    return X, (X[:, 0] - X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("warmup", [0.0, 1.5, 2])
def test_rate_of_every_update_is_the_closed_form(rates, data, solver, warmup):
    X, y = data  # 60 rows in batches of 20: 3 updates per epoch
    DFNClassifier((5,), solver=solver, learning_rate="cosine", warmup_epochs=warmup,
                  learning_rate_init=0.2, batch_size=20, max_iter=6,
                  random_state=0).fit(X, y)
    expected = [_cosine(0.2, s / 3, 6, warmup, 3) for s in range(18)]
    np.testing.assert_allclose(rates, expected, rtol=1e-12)
    assert rates[0] == pytest.approx(0.2 if not warmup else 0.2 / (3 * warmup))


def test_constant_with_warmup_ramps_then_stays(rates, data):
    X, y = data
    DFNClassifier((5,), warmup_epochs=1, learning_rate_init=0.1, batch_size=20,
                  max_iter=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(rates, [0.1 / 3, 0.2 / 3, 0.1] + [0.1] * 6, rtol=1e-12)


def test_sgd_update_uses_the_scheduled_rate():
    """Full-batch SGD on a linear least-squares model, written out."""
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(25, 3)), rng.normal(size=25)
    T, lr0 = 7, 0.3
    est = DFNRegressor(hidden_layer_sizes=(), solver="sgd", momentum=0.0, penalty=None,
                       learning_rate="cosine", learning_rate_init=lr0, batch_size=25,
                       max_iter=T, shuffle=False, dtype=np.float64, random_state=0)
    start = {"max_iter": 1, "learning_rate_init": 1e-300, "learning_rate": "constant"}
    w0 = DFNRegressor(**{**est.get_params(), **start}).fit(X, y)
    w, b = w0.coefs_[0].ravel().copy(), w0.intercepts_[0][0]
    for t in range(T):
        r = X @ w + b - y
        lr = lr0 * 0.5 * (1 + math.cos(math.pi * t / T))
        w, b = w - lr * X.T @ r / 25, b - lr * r.mean()
    est.fit(X, y)
    np.testing.assert_allclose(est.coefs_[0].ravel(), w, rtol=1e-11)
    np.testing.assert_allclose(est.intercepts_[0][0], b, rtol=1e-11)


def test_partial_fit_carries_the_schedule_on(rates, data):
    X, y = data
    est = DFNClassifier((5,), learning_rate="cosine", learning_rate_init=0.1,
                        batch_size=60, max_iter=4, random_state=0)
    for _ in range(5):
        est.partial_fit(X, y, classes=[0, 1])
    expected = [_cosine(0.1, e, 4) for e in range(5)]
    np.testing.assert_allclose(rates, expected, rtol=1e-12, atol=1e-18)
    assert rates[-1] == 0.0  # past max_iter the rate stays at its end


def test_cosine_runs_max_iter_epochs_without_convergence_warning(data):
    X, y = data
    est = DFNClassifier((5,), learning_rate="cosine", tol=10.0, n_iter_no_change=1,
                        max_iter=12, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est.fit(X, y)
    assert est.n_iter_ == 12 and est.stopped_epoch_ is None
    # the same settings with a constant rate stop on the training loss
    constant = DFNClassifier((5,), tol=10.0, n_iter_no_change=1, max_iter=12,
                             random_state=0).fit(X, y)
    assert constant.n_iter_ < 12


def test_retrain_restarts_and_early_stopping_still_stops(rates, data):
    X, y = data
    est = DFNClassifier((5,), learning_rate="cosine", early_stopping=True,
                        n_iter_no_change=2, tol=1.0, refit_strategy="retrain",
                        batch_size=54, max_iter=50, random_state=0).fit(X, y)
    assert est.n_iter_ < 50
    first, refit = rates[:est.n_iter_], rates[est.n_iter_:]
    assert len(refit) == 2 * est.best_epoch_  # 60 rows: batches of 54 and 6
    np.testing.assert_allclose(first, [_cosine(1e-3, e, 50) for e in range(len(first))])
    assert refit[0] == pytest.approx(1e-3)


@pytest.mark.parametrize("params, match", [
    (dict(solver="lbfgs", learning_rate="cosine"),
     "learning_rate='cosine' needs solver='sgd' or 'adam'"),
    (dict(solver="lbfgs", warmup_epochs=1),
     "warmup_epochs needs solver='sgd' or 'adam'"),
    (dict(warmup_epochs=5, max_iter=5),
     r"warmup_epochs=5 must be less than max_iter=5"),
    (dict(solver="sgd", learning_rate="invscaling", warmup_epochs=1),
     "warmup_epochs works with learning_rate='constant' or 'cosine', not 'invscaling'"),
    (dict(warmup_epochs=-1.0), "The 'warmup_epochs' parameter of DFNClassifier"),
    (dict(learning_rate="cosin"), "The 'learning_rate' parameter of DFNClassifier"),
])
def test_bad_schedule(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        DFNClassifier((5,), **params).fit(X, y)
