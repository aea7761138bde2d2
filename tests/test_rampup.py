"""The unsupervised terms' ramp-up counts training epochs (DESIGN,
"Semi-supervised training beyond the reconstruction head"): validation rows
never count, the "retrain" refit starts it again, L-BFGS refuses it."""

import warnings

import pytest

from skreg import DFNClassifier, unsupervised

RAMP = 4
REAL_RAMPUP = unsupervised.rampup


def ramp_progress(monkeypatch, est, X, y, **fit_params):
    """The ramp's argument (epochs / unsupervised_rampup) at every batch."""
    seen = []
    monkeypatch.setattr(unsupervised, "rampup",
                        lambda progress: seen.append(progress) or REAL_RAMPUP(progress))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached
        est.fit(X, y, **fit_params)
    return seen


def ramped(**params):
    """One batch per epoch (batch_size above the rows), so batch e of a
    trainer sees the ramp at (e - 1) / RAMP."""
    defaults = dict(entropy_weight=0.5, unsupervised_rampup=RAMP, batch_size=1000,
                    max_iter=6, n_iter_no_change=100, random_state=0)
    return DFNClassifier((8,), **{**defaults, **params})


def epochs_over_ramp(n):
    return [k / RAMP for k in range(n)]


def test_internal_split_ramps_over_the_training_rows(monkeypatch, small_digits):
    """300 rows, 60 split off: an epoch is 240 rows, as with the same rows
    given as validation_data (before: 240 / 300 of an epoch)."""
    X, y, _, _ = small_digits
    split = ramp_progress(monkeypatch, ramped(early_stopping=True,
                                              validation_fraction=0.2), X, y)
    given = ramp_progress(monkeypatch, ramped(), X[60:], y[60:],
                          validation_data=(X[:60], y[:60]))
    assert split == given == epochs_over_ramp(6)


@pytest.mark.parametrize("strategy", ["retrain", "continue"])
def test_refit_ramp(monkeypatch, small_digits, strategy):
    """"retrain" re-initialises the weights and starts the ramp again;
    "continue" keeps the weights and carries the ramp on (in epochs of all
    rows)."""
    X, y, _, _ = small_digits
    est = ramped(early_stopping=True, refit_strategy=strategy, validation_fraction=0.2)
    if strategy == "continue":
        est.set_params(max_iter=3)  # at most 3 refit epochs
    seen = ramp_progress(monkeypatch, est, X, y)
    first, refit = seen[: est.n_iter_], seen[est.n_iter_:]
    assert first == epochs_over_ramp(est.n_iter_)
    assert len(refit) == est.refit_n_iter_
    start = 0 if strategy == "retrain" else est.n_iter_
    assert refit == [(start + k) / RAMP for k in range(est.refit_n_iter_)]
    if strategy == "retrain":
        assert est.refit_n_iter_ == est.best_epoch_ > 0


def test_warm_start_carries_the_ramp_on(monkeypatch, small_digits):
    X, y, _, _ = small_digits
    est = ramped(warm_start=True, max_iter=2)
    ramp_progress(monkeypatch, est, X, y)
    assert ramp_progress(monkeypatch, est, X, y) == [2 / RAMP, 3 / RAMP]


def test_lbfgs_refuses_a_ramp(small_digits):
    X, y, _, _ = small_digits
    est = DFNClassifier((8,), solver="lbfgs", entropy_weight=0.5,
                        unsupervised_rampup=2, max_iter=5)
    with pytest.raises(ValueError, match="unsupervised_rampup counts training "
                                         "epochs, but solver='lbfgs' has none"):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")
    est.set_params(unsupervised_rampup=0).fit(X, y)  # no ramp: fine
