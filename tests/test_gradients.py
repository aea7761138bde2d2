"""Every analytic gradient against central finite differences, in float64."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skreg.activations import ACTIVATIONS
from skreg.losses import OUTPUTS
from skreg.penalties import L1, L2, ElasticNet

from .helpers import (check_gradient, check_objective_gradient, make_trainer, numerical_gradient,
                      random_targets)

seeds = st.integers(0, 2**31 - 1)
SETTINGS = settings(max_examples=25, deadline=None)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
@given(seed=seeds)
@SETTINGS
def test_activation_derivative(name, seed):
    act = ACTIVATIONS[name]
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=20)
    z = z[np.abs(z) > 1e-3]  # ReLU's kink
    upstream = rng.normal(size=z.size)
    a = act.forward(z.copy())
    analytic = act.backward(a, upstream.copy())

    def f(v):
        return float(act.forward(v.copy()) @ upstream)

    numeric = numerical_gradient(f, z)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("output", sorted(OUTPUTS))
@given(seed=seeds, n=st.integers(1, 6), k=st.integers(1, 4), weighted=st.booleans())
@SETTINGS
def test_loss_delta_is_gradient_of_mean_loss(output, seed, n, k, weighted):
    loss = OUTPUTS[output]()
    if output == "softmax" and k == 1:
        k = 2
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, k))
    Y = random_targets(output, n, k, rng)
    sw = rng.uniform(0.1, 2.0, size=n) if weighted else None
    delta = np.empty_like(Z)
    value = loss.loss_and_delta(loss.activate(Z.copy()), Y, sw, delta)

    def f(z):
        return loss.loss(loss.activate(z.reshape(n, k).copy()), Y, sw)

    assert value == pytest.approx(f(Z.ravel()), rel=1e-12)
    numeric = numerical_gradient(f, Z.ravel()).reshape(n, k)
    np.testing.assert_allclose(delta, numeric, rtol=1e-5, atol=1e-8)


def _penalties(rng, shapes):
    reference = [rng.normal(size=s) for s in shapes]
    return [L2(), L2(reference=reference), L1(), ElasticNet(l1_ratio=0.3)]


@given(seed=seeds, n_in=st.integers(1, 5), n_out=st.integers(1, 5))
@SETTINGS
def test_penalty_gradients(seed, n_in, n_out):
    rng = np.random.default_rng(seed)
    shapes = [(n_in, n_out), (n_out, 2)]
    w = rng.normal(size=n_in * n_out + 2 * n_out)
    w[np.abs(w) < 1e-3] = 0.5  # the L1 part is differentiable away from zero
    for penalty in _penalties(rng, shapes):
        bound = penalty.bind(shapes, np.float64)
        numeric = numerical_gradient(bound.value, w)
        np.testing.assert_allclose(bound.gradient(w), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh", "identity"])
@pytest.mark.parametrize("output", sorted(OUTPUTS))
@given(seed=seeds, hidden=st.lists(st.integers(1, 5), max_size=3),
       n=st.integers(1, 7), weighted=st.booleans())
@SETTINGS
def test_network_gradient(activation, output, seed, hidden, n, weighted):
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 2
    sizes = [4, *hidden, k]
    trainer = make_trainer(sizes, activation, output, rng, batch_size=n)
    X = rng.normal(size=(n, 4))
    Y = random_targets(output, n, k, rng)
    sw = rng.uniform(0.1, 2.0, size=n) if weighted else None
    if activation == "relu":
        # keep pre-activations away from ReLU's kink so differences are smooth
        trainer.objective(X, Y, sw)
        if any(np.min(np.abs(a[:n])) < 1e-4 for a in trainer.acts[:-1] if a[:n].any()):
            return
    check_objective_gradient(trainer, X, Y, sw)


@pytest.mark.parametrize("penalty", [L2(), ElasticNet(l1_ratio=0.4), L1()])
@given(seed=seeds, alpha=st.floats(0.01, 5.0))
@SETTINGS
def test_objective_gradient_with_penalty(penalty, seed, alpha):
    rng = np.random.default_rng(seed)
    trainer = make_trainer([3, 4, 3], "tanh", "softmax", rng, penalty=penalty,
                           alpha=alpha, batch_size=5)
    X = rng.normal(size=(5, 3))
    Y = random_targets("softmax", 5, 3, rng)
    w = trainer.weights
    w[np.abs(w) < 1e-3] = 0.1
    # the objective includes ||w||_1 but leaves its gradient to the proximal
    # step: analytic + (alpha/n) l1 sign(w) must match the differences
    l1 = penalty.bind([(3, 4), (4, 3)], np.float64)._l1_weight
    extra = np.zeros_like(trainer.params)
    extra[: w.size] = alpha / 5 * l1 * np.sign(w)
    check_gradient(trainer, lambda: trainer.objective(X, Y, None), extra)


def test_penalty_never_touches_biases():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    Y = random_targets("softmax", 6, 3, rng)
    plain = make_trainer([3, 4, 3], "tanh", "softmax", np.random.default_rng(1))
    heavy = make_trainer([3, 4, 3], "tanh", "softmax", np.random.default_rng(1),
                         penalty=L2(), alpha=100.0)
    plain.objective(X, Y, None)
    heavy.objective(X, Y, None)
    n_w = plain.network.layout.n_weights
    np.testing.assert_array_equal(plain.grad[n_w:], heavy.grad[n_w:])
    assert not np.allclose(plain.grad[:n_w], heavy.grad[:n_w])
