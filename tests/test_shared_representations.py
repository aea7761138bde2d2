"""Multi-task heads (7.7), semi-supervised reconstruction (7.6) and
parameter tying (7.9)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skreg import DFNClassifier, DFNRegressor
from skreg.losses import SoftmaxCrossEntropy, SquaredError
from skreg.network import Layout, Network, initialise
from skreg.penalties import L2
from skreg.semi_supervised import LabelMaskedLoss, Reconstruction
from skreg.training import Regularizers, Trainer

from .helpers import check_objective_gradient, numerical_gradient

seeds = st.integers(0, 2**31 - 1)


@given(seed=seeds, n=st.integers(1, 6))
@settings(max_examples=25, deadline=None)
def test_multi_head_loss_gradient_with_task_weights(seed, n):
    rng = np.random.default_rng(seed)
    blocks = [slice(0, 3), slice(3, 5), slice(5, 9)]
    weights = np.repeat(rng.uniform(0, 2, size=3), [3, 2, 4])
    loss = SoftmaxCrossEntropy(weights, blocks)
    Z = rng.normal(size=(n, 9))
    Y = np.hstack([rng.dirichlet(np.ones(b.stop - b.start), size=n) for b in blocks])
    delta = np.empty_like(Z)
    loss.loss_and_delta(loss.activate(Z.copy()), Y, None, delta)
    P = loss.activate(Z.copy())
    for b in blocks:
        np.testing.assert_allclose(P[:, b].sum(1), 1.0)

    def f(z):
        return loss.loss(loss.activate(z.reshape(n, 9).copy()), Y)

    expected = sum(w * -(Y[:, b] * np.log(P[:, b])).sum() / n
                   for w, b in zip(weights[[0, 3, 5]], blocks))
    assert f(Z.ravel()) == pytest.approx(expected)
    np.testing.assert_allclose(delta, numerical_gradient(f, Z.ravel()).reshape(n, 9),
                               rtol=1e-5, atol=1e-8)


def _reconstruction_trainer(rng, weight, masked, output):
    sizes = [5, 4, 3, 3]
    layout = Layout(sizes, decoder=True)
    inner = (SoftmaxCrossEntropy() if output == "softmax" else SquaredError())
    net = Network(layout, "tanh", LabelMaskedLoss(inner) if masked else inner)
    params = initialise(layout, "tanh", "glorot_uniform", np.float64, rng)
    params[layout.n_weights:] = rng.normal(scale=0.1, size=params.size - layout.n_weights)
    regs = Regularizers(reconstruction=Reconstruction(weight, layout, 6, np.float64))
    return Trainer(net, params, None, L2().bind(layout.coef_shapes, np.float64), 0.5,
                   None, 6, regs)


@pytest.mark.parametrize("masked", [False, True])
@given(seed=seeds, weight=st.floats(0.1, 3.0))
@settings(max_examples=20, deadline=None)
def test_reconstruction_head_gradient(masked, seed, weight):
    rng = np.random.default_rng(seed)
    trainer = _reconstruction_trainer(rng, weight, masked, "softmax")
    X = rng.normal(size=(6, 5))
    Y = rng.dirichlet(np.ones(3), size=6)
    if masked:
        flags = (rng.random(6) < 0.5).astype(float)
        Y = np.hstack([Y * flags[:, None], flags[:, None]])
    check_objective_gradient(trainer, X, Y)
    # the decoder's weights are penalized too: the gradient has their share
    W_dec = trainer.coefs[-1]
    assert trainer.coef_grads[-1].shape == W_dec.shape == (4, 5)


def test_reconstruction_loss_value_is_weight_times_half_mse():
    rng = np.random.default_rng(0)
    trainer = _reconstruction_trainer(rng, 2.0, True, "softmax")
    trainer.penalty = None
    X = rng.normal(size=(6, 5))
    Y = np.hstack([np.zeros((6, 3)), np.zeros((6, 1))])  # no labeled row at all
    loss = trainer.objective(X, Y, None)
    W1, W2, W3, W_dec = trainer.coefs
    h = np.tanh(X @ W1 + trainer.intercepts[0])
    x_hat = h @ W_dec + trainer.intercepts[-1]
    assert loss == pytest.approx(2.0 * 0.5 * np.mean((x_hat - X) ** 2), rel=1e-12)
    assert not trainer.coef_grads[2].any()  # the supervised head learns nothing


def test_two_tasks_from_one_model(digits):
    X, y, Xt, yt = digits
    Y, Yt = np.column_stack([y, y % 2]), np.column_stack([yt, yt % 2])
    est = DFNClassifier((64,), max_iter=60, learning_rate_init=0.01,
                        random_state=0).fit(X, Y)
    assert [list(c) for c in est.classes_] == [list(range(10)), [0, 1]]
    pred = est.predict(Xt)
    assert pred.shape == (len(Xt), 2)
    assert np.mean(pred[:, 0] == yt) >= 0.9 and np.mean(pred[:, 1] == yt % 2) >= 0.9
    proba = est.predict_proba(Xt)
    assert [p.shape for p in proba] == [(len(Xt), 10), (len(Xt), 2)]
    assert est.score(Xt, Yt) == pytest.approx(np.mean(np.all(pred == Yt, axis=1)))


def test_task_weights_steer_the_heads(small_digits):
    X, y, Xt, yt = small_digits
    Y = np.column_stack([y, y % 2])
    kw = dict(hidden_layer_sizes=(32,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
    only_digit = DFNClassifier(**kw, task_weights=[1.0, 0.0]).fit(X, Y)
    pred = only_digit.predict(Xt)
    assert np.mean(pred[:, 0] == yt) > 0.85
    # an untrained head keeps its initial (near chance) parity accuracy
    assert np.mean(pred[:, 1] == yt % 2) < 0.75
    with pytest.raises(ValueError, match="task_weights"):
        DFNClassifier(**kw, task_weights=[1.0, 2.0, 3.0]).fit(X, Y)
    with pytest.raises(ValueError, match="task_weights"):
        DFNClassifier(**kw, task_weights=[1.0]).fit(X, y)


def test_regressor_two_outputs_with_task_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3))
    Y = np.column_stack([X @ [1.0, -1.0, 0.5], np.sin(X[:, 0])])
    est = DFNRegressor((16,), max_iter=200, learning_rate_init=0.01, random_state=0,
                       task_weights=[1.0, 0.0]).fit(X, Y)
    P = est.predict(X)
    assert np.corrcoef(P[:, 0], Y[:, 0])[0, 1] > 0.95
    assert np.corrcoef(P[:, 1], Y[:, 1])[0, 1] < 0.9


def test_semi_supervised_fits_and_predicts_only_real_classes(digits):
    X, y, Xt, yt = digits
    rng = np.random.default_rng(0)
    hidden = y.copy()
    hidden[rng.random(len(y)) < 0.8] = -1
    est = DFNClassifier((64,), reconstruction_weight=1.0, max_iter=40,
                        learning_rate_init=0.01, random_state=0).fit(X, hidden)
    assert -1 not in est.classes_ and len(est.classes_) == 10
    assert set(np.unique(est.predict(Xt))) <= set(range(10))
    assert est.score(Xt, yt) > 0.8
    assert est.decoder_coef_.shape == (64, 64) and est.decoder_intercept_.shape == (64,)
    # the decoder reconstructs better than predicting the mean image
    h = np.maximum(Xt @ est.coefs_[0] + est.intercepts_[0], 0)
    x_hat = h @ est.decoder_coef_ + est.decoder_intercept_
    assert np.mean((x_hat - Xt) ** 2) < np.mean((Xt - X.mean(0)) ** 2)


def test_minus_one_is_an_ordinary_class_without_reconstruction(small_digits):
    X, y, _, _ = small_digits
    est = DFNClassifier((8,), max_iter=3).fit(X, np.where(y % 2, 1, -1))
    assert list(est.classes_) == [-1, 1]


def test_all_unlabeled_is_an_error(small_digits):
    X, y, _, _ = small_digits
    with pytest.raises(ValueError, match="Every label is -1"):
        DFNClassifier((8,), reconstruction_weight=1.0).fit(X, -np.ones(len(y), int))


def test_l2_reference_ties_parameters(small_digits):
    X, y, _, _ = small_digits
    kw = dict(hidden_layer_sizes=(16,), max_iter=30, random_state=0)
    source = DFNClassifier(**kw).fit(X, y)
    parity = y % 2  # a related task: shares the input layer, has its own head
    reference = [np.zeros_like(W) for W in source.coefs_]
    reference[0] = source.coefs_[0]  # tie the shared first layer ...
    reference[1] = np.zeros((16, 1))  # ... the binary head has its own shape
    distances = []
    for alpha in [0.0, 1.0, 10.0, 100.0, 1000.0]:
        tied = DFNClassifier(**kw, penalty=L2(reference=reference), alpha=alpha)
        tied.fit(X, parity)
        distances.append(np.linalg.norm(tied.coefs_[0] - source.coefs_[0]))
    assert all(a > b for a, b in zip(distances, distances[1:]))
    untied = DFNClassifier(**kw, penalty=None).fit(X, parity)
    zero_alpha = DFNClassifier(**kw, penalty=L2(reference=reference), alpha=0.0).fit(X, parity)
    np.testing.assert_array_equal(untied.coefs_[0], zero_alpha.coefs_[0])
