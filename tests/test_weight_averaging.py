"""Stochastic weight averaging of algorithm 7.2's retraining
(``weight_averaging``): the network's weights are the mean of the
retraining's end-of-epoch weights over the window, the retraining up to
``best_epoch_`` is the plain one, and bad windows are refused by name."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils._param_validation import InvalidParameterError

from skreg import DFNClassifier, DFNRegressor
from skreg.training import Trainer

from .helpers import quiet_fit

COMMON = dict(hidden_layer_sizes=(6,), early_stopping=True, n_iter_no_change=3,
              refit_strategy="retrain", batch_size=16, learning_rate_init=0.02,
              max_iter=60, dtype=np.float64)


@pytest.fixture(scope="module")
def rows():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 4))
    y = (X[:, 0] + X[:, 1] ** 2 + 0.5 * rng.normal(size=90) > 1).astype(int)
    return X, y


def _flat(est):
    return np.concatenate([a.ravel() for a in est.coefs_ + est.intercepts_])


def _epoch_ends(monkeypatch):
    """Record, per trainer, its flat weights after each epoch."""
    ends = {}
    plain_epoch = Trainer.epoch

    def recording(self, *args, **kwargs):
        loss = plain_epoch(self, *args, **kwargs)
        ends.setdefault(id(self), []).append(self.params.copy())
        return loss

    monkeypatch.setattr(Trainer, "epoch", recording)
    return ends


@settings(max_examples=12, deadline=None)
@given(start=st.floats(0.0, 1.5), length=st.floats(0.05, 1.5),
       seed=st.integers(0, 2**16))
def test_the_weights_are_the_mean_of_the_retrainings_epoch_ends(rows, start, length,
                                                                 seed):
    X, y = rows
    with pytest.MonkeyPatch.context() as monkeypatch:
        ends = _epoch_ends(monkeypatch)
        est = quiet_fit(DFNClassifier(weight_averaging=(start, start + length),
                                      random_state=seed, **COMMON), X, y)
    first_phase, retraining = ends.values()  # two trainers, in order
    best = est.best_epoch_
    assert est.refit_n_iter_ == len(retraining) == math.ceil((start + length) * best)
    window = [w for k, w in enumerate(retraining, 1) if k > start * best]
    assert window  # stop > start: the last epoch is always in the window
    np.testing.assert_allclose(_flat(est), np.mean(window, axis=0), rtol=1e-9,
                               atol=1e-12)
    assert len(first_phase) == est.n_iter_


@pytest.mark.parametrize("Estimator", [DFNClassifier, DFNRegressor])
def test_a_window_of_the_best_epoch_alone_is_the_plain_retraining(rows, Estimator):
    X, y = rows
    plain = quiet_fit(Estimator(random_state=3, **COMMON), X, y)
    averaged = quiet_fit(Estimator(weight_averaging=(1 - 1e-9, 1.0), random_state=3,
                                   **COMMON), X, y)
    assert averaged.refit_n_iter_ == plain.refit_n_iter_ == plain.best_epoch_
    np.testing.assert_array_equal(_flat(averaged), _flat(plain))


def test_the_averaged_retraining_passes_through_the_plain_one(rows, monkeypatch):
    # the extra epochs come after best_epoch_: the weights there are the
    # plain algorithm 7.2's final weights
    X, y = rows
    plain = quiet_fit(DFNClassifier(random_state=5, **COMMON), X, y)
    ends = _epoch_ends(monkeypatch)
    averaged = quiet_fit(DFNClassifier(weight_averaging=(0.5, 2.0), random_state=5,
                                       **COMMON), X, y)
    retraining = list(ends.values())[-1]
    np.testing.assert_array_equal(retraining[plain.best_epoch_ - 1], _flat(plain))
    assert averaged.refit_n_iter_ == 2 * plain.best_epoch_
    assert not np.array_equal(_flat(averaged), _flat(plain))


@pytest.mark.parametrize("window", [(1.0, 0.5), (0.5, 0.5), (-0.1, 1.0), (0.5,),
                                    (0.1, 0.5, 1.0), ("a", 1.0), (0.0, np.inf),
                                    (np.nan, 1.0), (True, 2.0)])
def test_a_bad_window_is_refused_before_anything_is_fitted(rows, window):
    X, y = rows
    est = DFNClassifier(weight_averaging=window, **COMMON)
    with pytest.raises(ValueError, match=r"weight_averaging must be None or a pair "
                                         r"\(start, stop\) of numbers with 0 <= start"):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")


def test_a_window_that_is_not_a_sequence_is_refused(rows):
    X, y = rows
    with pytest.raises(InvalidParameterError, match="'weight_averaging' parameter"):
        DFNClassifier(weight_averaging=0.5, **COMMON).fit(X, y)


@pytest.mark.parametrize("changes, why", [
    (dict(early_stopping=False, refit_strategy=None), "early_stopping is off"),
    (dict(refit_strategy=None), "refit_strategy=None"),
    (dict(refit_strategy="continue"), "refit_strategy='continue'"),
    (dict(solver="lbfgs", early_stopping=False, refit_strategy=None),
     "solver='lbfgs' does not stop early"),
])
def test_without_the_retraining_the_window_is_ignored_with_a_warning(rows, changes,
                                                                       why):
    X, y = rows
    params = {**COMMON, **changes, "max_iter": 5}
    plain = quiet_fit(DFNClassifier(random_state=0, **params), X, y)
    est = DFNClassifier(weight_averaging=(0.5, 1.5), random_state=0, **params)
    with pytest.warns(UserWarning, match=rf"weight_averaging=\(0.5, 1.5\) is ignored: "
                                         rf".*, and {why}\. Set both"):
        est.fit(X, y)
    np.testing.assert_array_equal(_flat(est), _flat(plain))


def test_partial_fit_ignores_the_window_with_a_warning(rows):
    X, y = rows
    params = {**COMMON, "early_stopping": False, "refit_strategy": None}
    est = DFNClassifier(weight_averaging=(0.5, 1.5), **params)
    with pytest.warns(UserWarning, match="partial_fit never stops early"):
        est.partial_fit(X, y, classes=[0, 1])
