"""Training-time regularizers: gradients, statistics and effects."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from skreg.activity import ActivityL1
from skreg.adversarial import FGSMTraining
from skreg.dropout import Dropout
from skreg.network import Layout
from skreg.noise import WeightNoise
from skreg.training import Regularizers

from .helpers import (check_gradient, check_objective_gradient, make_trainer,
                      numerical_gradient, random_targets)

seeds = st.integers(0, 2**31 - 1)


@pytest.mark.parametrize("mode", ["inverted", "classic"])
@given(seed=seeds)
@settings(max_examples=15, deadline=None)
def test_gradient_with_fixed_dropout_masks(mode, seed):
    rng = np.random.default_rng(seed)
    sizes = [4, 5, 3, 3]
    dropout = Dropout((0.7, 0.5, 0.6), mode, sizes[:-1], 6, np.float64, rng)
    trainer = make_trainer(sizes, "tanh", "softmax", rng, batch_size=6,
                           regularizers=Regularizers(dropout=dropout))
    X = rng.normal(size=(6, 4))
    Y = random_targets("softmax", 6, 3, rng)
    dropout.draw(6)  # fixed masks for every evaluation below
    check_gradient(trainer, lambda: trainer.data_objective(
        X, Y, None, trainer.coefs, trainer.intercepts))


@given(seed=seeds)
@settings(max_examples=15, deadline=None)
def test_gradient_with_fixed_weight_noise_is_taken_at_the_noisy_weights(seed):
    rng = np.random.default_rng(seed)
    sizes = [3, 4, 2]
    noise = WeightNoise(0.3, Layout(sizes), np.float64, np.random.default_rng(seed))
    noisy = make_trainer(sizes, "sigmoid", "identity", rng, batch_size=5,
                         regularizers=Regularizers(weight_noise=noise))
    X = rng.normal(size=(5, 3))
    Y = random_targets("identity", 5, 2, rng)
    noisy.objective(X, Y, None)
    perturbed = noise.noisy.copy()
    assert not np.allclose(perturbed, noisy.params)
    n_w = noisy.network.layout.n_weights
    np.testing.assert_array_equal(perturbed[n_w:], noisy.params[n_w:])  # biases clean
    reference = make_trainer(sizes, "sigmoid", "identity", rng, batch_size=5)
    reference.params[...] = perturbed
    check_objective_gradient(reference, X, Y)
    reference.params[...] = perturbed
    reference.objective(X, Y, None)
    np.testing.assert_allclose(noisy.grad, reference.grad, rtol=1e-12)


@given(seed=seeds, alpha=st.floats(0.01, 2.0))
@settings(max_examples=15, deadline=None)
def test_gradient_with_activity_penalty(seed, alpha):
    rng = np.random.default_rng(seed)
    trainer = make_trainer([4, 6, 5, 3], "tanh", "softmax", rng, batch_size=7,
                           regularizers=Regularizers(activity=ActivityL1(alpha)))
    X = rng.normal(size=(7, 4))
    Y = random_targets("softmax", 7, 3, rng)
    loss = trainer.objective(X, Y, None)
    plain = make_trainer([4, 6, 5, 3], "tanh", "softmax", rng, batch_size=7)
    plain.params[...] = trainer.params
    hidden = plain.network.predict(X, plain.coefs, plain.intercepts, keep=True)[:-1]
    expected = plain.objective(X, Y, None) + alpha / 7 * sum(np.abs(h).sum() for h in hidden)
    assert loss == pytest.approx(expected, rel=1e-12)
    # |h| has no derivative at 0: finite differences that straddle the kink
    # are no truth, so the gradient is checked away from it
    assume(min(np.abs(h).min() for h in hidden) > 1e-3)
    check_objective_gradient(trainer, X, Y)


@pytest.mark.parametrize("output", ["softmax", "identity", "logistic"])
@given(seed=seeds)
@settings(max_examples=15, deadline=None)
def test_input_gradient(output, seed):
    rng = np.random.default_rng(seed)
    trainer = make_trainer([4, 5, 3], "tanh", output, rng, batch_size=6)
    X = rng.normal(size=(6, 4))
    Y = random_targets(output, 6, 3, rng)
    trainer.objective(X, Y, None)
    analytic = trainer.input_gradient(trainer.coefs, 6, np.empty((6, 4)))

    def f(x):
        return trainer.objective(x.reshape(6, 4), Y, None)

    numeric = numerical_gradient(f, X.ravel()).reshape(6, 4)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)
    net = trainer.network
    public = net.input_gradient(X, Y, trainer.coefs, trainer.intercepts, (1.0, 0.5))

    def g(x):
        P = net.predict(x.reshape(6, 4), trainer.coefs, trainer.intercepts, (1.0, 0.5))
        return net.output.loss(P, Y)

    numeric = numerical_gradient(g, X.ravel()).reshape(6, 4)
    np.testing.assert_allclose(public, numeric, rtol=1e-5, atol=1e-8)


@given(seed=seeds, w=st.floats(0.0, 1.0))
@settings(max_examples=15, deadline=None)
def test_adversarial_objective_gradient(seed, w):
    """With the sign direction held fixed (it is piecewise constant), the
    mixed gradient is the gradient of (1-w) J(x) + w J(x_adv)."""
    rng = np.random.default_rng(seed)
    sizes = [4, 5, 3]
    adversary = FGSMTraining(0.1, w, 6, 4, Layout(sizes).n_params, np.float64)
    trainer = make_trainer(sizes, "tanh", "softmax", rng, batch_size=6,
                           regularizers=Regularizers(adversary=adversary))
    X = rng.normal(size=(6, 4))
    Y = random_targets("softmax", 6, 3, rng)
    trainer.objective(X, Y, None)
    x_adv = adversary.x_adv.copy()
    analytic = trainer.grad.copy()
    plain = make_trainer(sizes, "tanh", "softmax", rng, batch_size=6)
    base = trainer.params.copy()

    def f(theta):
        plain.params[...] = theta
        return (1 - w) * plain.objective(X, Y, None) + w * plain.objective(x_adv, Y, None)

    np.testing.assert_allclose(analytic, numerical_gradient(f, base), rtol=1e-5, atol=1e-7)


def _mean_training_output(sizes, keep, mode, n_masks, seed):
    rng = np.random.default_rng(seed)
    dropout = Dropout(keep, mode, sizes[:-1], 3, np.float64, rng)
    trainer = make_trainer(sizes, "relu", "identity", rng, batch_size=3,
                           regularizers=Regularizers(dropout=dropout))
    X = rng.normal(size=(3, sizes[0]))
    acts = [a[:3] for a in trainer.acts]
    outputs = np.empty((n_masks, 3, sizes[-1]))
    for k in range(n_masks):
        dropout.draw(3)
        outputs[k] = trainer.network.forward(dropout.apply_input(X), trainer.coefs,
                                             trainer.intercepts, acts, trainer.steps)
    scales = keep if mode == "classic" else None
    expected = trainer.network.predict(X, trainer.coefs, trainer.intercepts, scales)
    return outputs, expected


@pytest.mark.parametrize("mode", ["inverted", "classic"])
@pytest.mark.parametrize("sizes,keep", [([5, 40, 2], (1.0, 0.5)), ([6, 3], (0.6,))])
def test_dropout_mean_training_output_matches_prediction(mode, sizes, keep):
    """E[(m h / p) W] = h W (inverted) and E[m h] W = p h W (classic): the
    layer after the dropped one sees, on average, the prediction-time input.
    The tolerance is 5 standard errors of the mean over the masks."""
    outputs, expected = _mean_training_output(sizes, keep, mode, 20000, seed=0)
    mean = outputs.mean(0)
    sem = outputs.std(0) / np.sqrt(len(outputs))
    assert np.all(np.abs(mean - expected) < 5 * sem)
    assert np.all(outputs.std(0) > 0)  # the masks really vary


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("n", [20001, 20000])
def test_fill_gaussian_is_standard_normal_times_std(dtype, n):
    from scipy import stats

    from skreg.noise import fill_gaussian

    rng = np.random.default_rng(0)
    out = np.empty(n, dtype)
    fill_gaussian(rng, out, 0.5, np.empty(n // 2, dtype))
    assert out.dtype == dtype
    # Kolmogorov-Smirnov against N(0, 0.25): a wrong scale, mean or shape fails
    assert stats.kstest(out, stats.norm(scale=0.5).cdf).pvalue > 1e-3
    assert abs(out.mean()) < 5 * 0.5 / np.sqrt(n)
    again = np.empty(n, dtype)
    fill_gaussian(rng, again, 0.5, np.empty(n // 2, dtype))
    assert not np.array_equal(out, again)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fill_uniform_is_uniform_on_unit_interval(dtype):
    from scipy import stats

    from skreg.noise import fill_uniform

    out = np.empty(30001, dtype)
    fill_uniform(np.random.default_rng(0), out)
    assert out.dtype == dtype and out.min() >= 0.0 and out.max() < 1.0
    assert stats.kstest(out, "uniform").pvalue > 1e-3
    again = fill_uniform(np.random.default_rng(0), np.empty(30001, dtype))
    np.testing.assert_array_equal(out, again)  # one seed, one stream
