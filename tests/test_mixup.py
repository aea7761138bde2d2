"""Mixup: the batch the network trains on is the formula's for the drawn
lam and permutation; with weights its gradient is that of the weighted mix
of the two rows' losses (finite differences of that mix written out); off
draws nothing; lam follows Beta(alpha, alpha); bad settings raise."""

import numpy as np
import pytest
from scipy import sparse, stats

from skreg import DFNClassifier, DFNRegressor
from skreg.mixup import Mixup
from skreg.training import Regularizers, Trainer

from .helpers import make_trainer, numerical_gradient, quiet_fit, random_targets



@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 5))
    return X, np.repeat([0, 1, 2], 16)[rng.permutation(48)]


@pytest.fixture
def spy(monkeypatch):
    """The draws of Mixup and the batches data_objective receives."""
    seen = {"draws": [], "batches": []}
    draw, objective = Mixup.draw, Trainer.data_objective

    def recording_draw(self, m):
        seen["draws"].append(draw(self, m))
        return seen["draws"][-1]

    def recording_objective(self, X, Y, sample_weight, *rest):
        weights = None if sample_weight is None else sample_weight.copy()
        seen["batches"].append((X.copy(), Y.copy(), weights))
        return objective(self, X, Y, sample_weight, *rest)

    monkeypatch.setattr(Mixup, "draw", recording_draw)
    monkeypatch.setattr(Trainer, "data_objective", recording_objective)
    return seen


@pytest.mark.parametrize("weighted", [False, True])
def test_trained_batch_is_the_formula(spy, data, weighted):
    X, y = data
    sw = np.random.default_rng(1).uniform(0.2, 3.0, len(y)) if weighted else None
    smoothing = 0.1
    quiet_fit(DFNClassifier((4,), mixup_alpha=0.4, label_smoothing=smoothing,
                         batch_size=16, shuffle=False, max_iter=1, dtype=np.float64,
                         random_state=0), X, y, sample_weight=sw)
    assert len(spy["draws"]) == len(spy["batches"]) == 3
    targets = (1 - smoothing) * np.eye(3)[y] + smoothing / 3
    for k, ((lam, perm), (Xb, Yb, wb)) in enumerate(zip(spy["draws"], spy["batches"])):
        rows = slice(16 * k, 16 * (k + 1))
        x, t = X[rows], targets[rows]
        np.testing.assert_allclose(Xb, lam * x + (1 - lam) * x[perm], rtol=1e-14)
        if not weighted:
            assert wb is None
            np.testing.assert_allclose(Yb, lam * t + (1 - lam) * t[perm], rtol=1e-14)
            continue
        a, b = lam * sw[rows], (1 - lam) * sw[rows][perm]
        np.testing.assert_allclose(wb, a + b, rtol=1e-14)
        np.testing.assert_allclose(Yb, (a[:, None] * t + b[:, None] * t[perm])
                                   / (a + b)[:, None], rtol=1e-13)
        assert wb.sum() == pytest.approx(sw[rows].sum(), rel=1e-14)


def _explicit_mix_loss(trainer, X, Y, w, lam, perm):
    """lam * sum_i w_i L(f(x~_i), y_i) + (1 - lam) * sum_i w_p(i) L(f(x~_i), y_p(i)),
    over sum_i w_i, with L the output's loss written out."""
    x_mix = lam * X + (1 - lam) * X[perm]
    P = trainer.network.predict(x_mix, trainer.coefs, trainer.intercepts)
    if trainer.network.output.__class__.__name__.startswith("Softmax"):
        loss = lambda T: -np.sum(T * np.log(P), axis=1)  # noqa: E731
    else:
        # 1/2 the mean over the outputs of a 2-D y (DESIGN)
        loss = lambda T: 0.5 * np.mean((P - T) ** 2, axis=1)  # noqa: E731
    total = lam * w @ loss(Y) + (1 - lam) * w[perm] @ loss(Y[perm])
    return total / w.sum()


@pytest.mark.parametrize("output", ["softmax", "identity"])
def test_gradient_is_that_of_the_weighted_mix_of_losses(output):
    rng = np.random.default_rng(2)
    lam, perm = 0.3, rng.permutation(6)
    mixup = Mixup(0.5, rng)
    mixup.draw = lambda m: (lam, perm)  # the draw held fixed
    trainer = make_trainer([4, 5, 3], "tanh", output, rng, batch_size=6,
                           regularizers=Regularizers(mixup=mixup))
    X, Y = rng.normal(size=(6, 4)), random_targets(output, 6, 3, rng)
    w = rng.uniform(0.1, 2.0, 6)
    value = trainer.objective(X, Y, w)
    grad = trainer.grad.copy()

    def explicit(theta):
        trainer.params[...] = theta
        return _explicit_mix_loss(trainer, X, Y, w, lam, perm)

    theta = trainer.params.copy()
    np.testing.assert_allclose(grad, numerical_gradient(explicit, theta), atol=1e-8)
    if output == "softmax":  # cross-entropy is linear in the target: same value
        assert value == pytest.approx(explicit(theta), rel=1e-12)


def test_off_is_bit_identical_and_draws_nothing(spy, data):
    X, y = data
    fits = [quiet_fit(DFNClassifier((6,), max_iter=3, random_state=0, **params), X, y)
            for params in ({}, {"mixup_alpha": 0.0})]
    assert spy["draws"] == []
    for a, b in zip(fits[0].coefs_, fits[1].coefs_, strict=True):
        np.testing.assert_array_equal(a, b)


def test_same_seed_same_fit_and_lam_is_beta(spy, data):
    X, y = data
    fits = [quiet_fit(DFNClassifier((6,), mixup_alpha=0.3, batch_size=4, max_iter=20,
                                 random_state=0), X, y) for _ in range(2)]
    for a, b in zip(fits[0].coefs_, fits[1].coefs_, strict=True):
        np.testing.assert_array_equal(a, b)
    lams = [lam for lam, _ in spy["draws"][: len(spy["draws"]) // 2]]  # first fit's
    assert len(lams) >= 100
    assert stats.kstest(lams, stats.beta(0.3, 0.3).cdf).pvalue > 1e-3


def test_regressor_and_sparse_input():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 6))
    y = X[:, 0] - 2 * X[:, 1]
    params = dict(mixup_alpha=0.2, learning_rate_init=0.01, batch_size=16,
                  max_iter=40, random_state=0)
    dense = quiet_fit(DFNRegressor((8,), **params), X, y)
    csr = quiet_fit(DFNRegressor((8,), **params), sparse.csr_matrix(X), y)
    for a, b in zip(dense.coefs_, csr.coefs_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert dense.score(X, y) > 0.8


@pytest.mark.parametrize("params, match", [
    (dict(solver="lbfgs", mixup_alpha=0.2),
     r"solver='lbfgs' needs a deterministic objective, but \['mixup_alpha'\]"),
    (dict(mixup_alpha=0.2, reconstruction_weight=0.1),
     r"mixup_alpha cannot be combined with \['reconstruction_weight'\]"),
    (dict(mixup_alpha=0.2, vat_weight=1.0),
     r"mixup_alpha cannot be combined with \['vat_weight'\]"),
    (dict(mixup_alpha=-0.1), "The 'mixup_alpha' parameter of DFNClassifier"),
])
def test_bad_mixup(data, params, match):
    X, y = data
    with pytest.raises(ValueError, match=match):
        DFNClassifier((4,), **params).fit(X, y)
