"""Virtual adversarial training, consistency and entropy minimization
(chapter 7.6, 7.13): the terms against finite differences and their
properties in the estimator."""

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from skreg import DFNClassifier, DFNRegressor, ImageAugmenter
from skreg.consistency import Consistency, EntropyMinimization, output_backward
from skreg.losses import SigmoidCrossEntropy, SoftmaxCrossEntropy
from skreg.network import Layout, Network, initialise
from skreg.noise import InputNoise
from skreg.semi_supervised import LabelMaskedLoss
from skreg.training import Regularizers, Trainer
from skreg.unsupervised import UnsupervisedTerms, rampup
from skreg.virtual_adversarial import VirtualAdversarial

from .helpers import check_objective_gradient, numerical_gradient

seeds = st.integers(0, 2**31 - 1)


def _trainer(rng, sizes, output="softmax", masked=False, vat=None, consistency=None,
             entropy=None, weights=(1.0, 1.0, 1.0), batch_size=6, input_noise=None):
    """A float64 tanh trainer with the given unsupervised terms."""
    layout = Layout(sizes)
    inner = SoftmaxCrossEntropy() if output == "softmax" else SigmoidCrossEntropy()
    net = Network(layout, "tanh", LabelMaskedLoss(inner) if masked else inner)
    params = initialise(layout, "tanh", "glorot_uniform", np.float64, rng)
    params[layout.n_weights:] = rng.normal(scale=0.3, size=params.size - layout.n_weights)
    terms = UnsupervisedTerms(vat, consistency, entropy, weights, 0, 0, batch_size,
                              batch_size, sizes[-1], layout.n_params, np.float64)
    regs = Regularizers(unsupervised=terms, input_noise=input_noise)
    return Trainer(net, params, None, None, 0.0, None, batch_size, regs)


def _vat(eps, rng, n_features, n_power=1, xi=1e-6, batch_size=6):
    return VirtualAdversarial(eps, xi, n_power, batch_size, n_features, np.float64, rng)


def _predict(trainer, X, params=None):
    coefs, intercepts = trainer.network.layout.views(
        trainer.params if params is None else params)
    return trainer.network.predict(X, coefs, intercepts)


def _kl(P, Q, output):
    """Row-wise KL divergence written out (categorical or Bernoulli)."""
    if output == "softmax":
        return (P * (np.log(P) - np.log(Q))).sum(1)
    return (P * np.log(P / Q) + (1 - P) * np.log((1 - P) / (1 - Q))).sum(1)


def _targets(rng, m, k, flags):
    Y = rng.dirichlet(np.ones(k), size=m) * flags[:, None]
    return np.hstack([Y, flags[:, None]])


def _angle(u, v):
    cos = abs(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
    return np.degrees(np.arccos(min(cos, 1.0)))


def _kl_hessian(trainer, x, output, h=1e-4):
    """Hessian of r -> KL(p(x) || p(x + r)) at r = 0 by central differences
    of the KL values."""
    p = _predict(trainer, x[None])
    n = x.size
    eye = np.eye(n) * h

    def f(r):
        return _kl(p, _predict(trainer, (x + r)[None]), output)[0]

    H = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            H[i, j] = (f(eye[i] + eye[j]) - f(eye[i] - eye[j]) - f(eye[j] - eye[i])
                       + f(-eye[i] - eye[j])) / (4 * h * h)
    return (H + H.T) / 2


# ---- the virtual adversarial direction -----------------------------------
@given(seed=seeds)
@settings(max_examples=10, deadline=None)
def test_one_power_step_finds_the_top_eigenvector_of_a_rank_one_hessian(seed):
    """With two classes the Hessian of the KL divergence at r = 0 (the Fisher
    information J^T (diag p - p p^T) J) has rank 1: one power-iteration step
    from any start gives its top eigenvector, within 0.5 degrees."""
    rng = np.random.default_rng(seed)
    trainer = _trainer(rng, [5, 7, 2])
    X = rng.normal(size=(3, 5))
    P = _predict(trainer, X)
    vat = _vat(0.7, np.random.default_rng(seed + 1), 5)
    r_adv = vat.perturbation(trainer, X, P, trainer.coefs, trainer.intercepts).copy()
    np.testing.assert_allclose(np.linalg.norm(r_adv, axis=1), 0.7)
    for x, r in zip(X, r_adv):
        values, vectors = np.linalg.eigh(_kl_hessian(trainer, x, "softmax"))
        assume(values[-1] > 1e-3)
        assert values[-2] < 1e-6 * values[-1] + 1e-7  # rank one
        assert _angle(r, vectors[:, -1]) < 0.5


@given(seed=seeds, n_power=st.integers(1, 3))
@settings(max_examples=10, deadline=None)
def test_power_steps_are_power_iteration_on_the_finite_difference_hessian(seed, n_power):
    """With 4 classes (rank-3 Hessian): ``n_power`` steps from the start
    ``d ~ N(0, I)`` give ``H^k d`` within 0.5 degrees, and 60 steps the top
    eigenvector within 1 degree when the eigengap allows it."""
    rng = np.random.default_rng(seed)
    trainer = _trainer(rng, [5, 8, 4], output="softmax")
    X = rng.normal(size=(2, 5))
    P = _predict(trainer, X)
    start = np.random.default_rng(seed + 1).standard_normal(size=X.shape)
    vat = _vat(1.0, np.random.default_rng(seed + 1), 5, n_power=n_power)
    r_adv = vat.perturbation(trainer, X, P, trainer.coefs, trainer.intercepts).copy()
    converged = _vat(1.0, np.random.default_rng(seed + 1), 5, n_power=60)
    r_top = converged.perturbation(trainer, X, P, trainer.coefs, trainer.intercepts)
    for x, d, r, top in zip(X, start, r_adv, r_top):
        H = _kl_hessian(trainer, x, "softmax")
        values, vectors = np.linalg.eigh(H)
        assume(values[-1] > 1e-3)
        assert _angle(r, np.linalg.matrix_power(H, n_power) @ d) < 0.5
        if values[-2] < 0.7 * values[-1]:  # 0.7^60: converged
            assert _angle(top, vectors[:, -1]) < 1.0


@pytest.mark.parametrize("output", ["softmax", "logistic"])
@given(seed=seeds)
@settings(max_examples=15, deadline=None)
def test_kl_input_gradient_matches_finite_differences(output, seed):
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 2
    trainer = _trainer(rng, [4, 6, k], output=output)
    X = rng.normal(size=(5, 4))
    P = _predict(trainer, rng.normal(size=(5, 4)))  # any fixed distribution
    out = np.empty_like(X)
    value, grad = VirtualAdversarial.kl_gradient(trainer, X, P, trainer.coefs,
                                                 trainer.intercepts, out)

    def f(x):
        return _kl(P, _predict(trainer, x.reshape(X.shape)), output).mean()

    assert value == pytest.approx(f(X.ravel()), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(grad.ravel(), numerical_gradient(f, X.ravel()),
                               rtol=1e-5, atol=1e-8)


# ---- the objective and its parameter gradient ---------------------------
@pytest.mark.parametrize("output", ["softmax", "logistic"])
@given(seed=seeds, weight=st.floats(0.1, 3.0), eps=st.floats(0.1, 2.0))
@settings(max_examples=15, deadline=None)
def test_objective_is_labeled_mean_plus_weighted_kl_with_fd_gradient(output, seed,
                                                                      weight, eps):
    """J = mean over the labeled rows of the cross-entropy + weight * mean
    over every row of KL(p || p(x + r_adv)), with p and r_adv held fixed; its
    parameter gradient against finite differences."""
    rng = np.random.default_rng(seed)
    k = 3 if output == "softmax" else 1
    vat = _vat(eps, np.random.default_rng(seed + 1), 4)
    trainer = _trainer(rng, [4, 5, k], output=output, masked=True, vat=vat,
                       weights=(weight, 0.0, 0.0))
    m = 6
    X = rng.normal(size=(m, 4))
    flags = (rng.random(m) < 0.5).astype(float)
    flags[0] = 1.0
    Y = (_targets(rng, m, k, flags) if output == "softmax" else
         np.column_stack([(rng.random(m) < 0.5) * flags, flags]))
    loss = trainer.objective(X, Y, None)
    analytic = trainer.grad.copy()
    P = trainer.reg.unsupervised.outputs[:m].copy()
    np.testing.assert_allclose(P, _predict(trainer, X), rtol=1e-12)
    X_adv = vat.x_perturbed[:m].copy()
    np.testing.assert_allclose(np.linalg.norm(X_adv - X, axis=1), eps)
    labeled = flags > 0
    inner = trainer.network.output.inner

    def f(theta):
        sup = inner.loss(_predict(trainer, X[labeled], theta), Y[labeled, :-1])
        return sup + weight * _kl(P, _predict(trainer, X_adv, theta), output).mean()

    assert loss == pytest.approx(f(trainer.params), rel=1e-9)
    np.testing.assert_allclose(analytic, numerical_gradient(f, trainer.params),
                               rtol=1e-5, atol=1e-8)


@given(seed=seeds)
@settings(max_examples=10, deadline=None)
def test_kl_gradients_through_a_convolution(seed):
    """The same checks on a network whose first layer is a convolution:
    the objective's parameter gradient and the divergence's input gradient
    against finite differences."""
    from skreg.conv import Conv2D, resolve_conv_layers

    rng = np.random.default_rng(seed)
    geometry = resolve_conv_layers([Conv2D(2, (3, 3))], (5, 5), 25)
    layout = Layout([25, geometry[0].out_size, 4, 3], conv=geometry)
    net = Network(layout, "tanh", LabelMaskedLoss(SoftmaxCrossEntropy()))
    params = initialise(layout, "tanh", "glorot_uniform", np.float64, rng)
    params[layout.n_weights:] = rng.normal(scale=0.3, size=params.size - layout.n_weights)
    vat = _vat(0.8, np.random.default_rng(seed + 1), 25, batch_size=4)
    terms = UnsupervisedTerms(vat, None, None, (1.5, 0.0, 0.0), 0, 0, 4, 4, 3,
                              layout.n_params, np.float64)
    trainer = Trainer(net, params, None, None, 0.0, None, 4,
                      Regularizers(unsupervised=terms))
    X = rng.normal(size=(4, 25))
    Y = _targets(rng, 4, 3, np.array([1.0, 0, 0, 1]))
    trainer.objective(X, Y, None)
    analytic = trainer.grad.copy()
    P, X_adv = terms.outputs[:4].copy(), vat.x_perturbed[:4].copy()
    inner = net.output.inner

    def f(theta):
        sup = inner.loss(_predict(trainer, X[[0, 3]], theta), Y[[0, 3], :-1])
        return sup + 1.5 * _kl(P, _predict(trainer, X_adv, theta), "softmax").mean()

    np.testing.assert_allclose(analytic, numerical_gradient(f, trainer.params),
                               rtol=1e-5, atol=1e-8)
    _, grad = VirtualAdversarial.kl_gradient(trainer, X_adv, P, trainer.coefs,
                                             trainer.intercepts, np.empty_like(X))

    def g(x):
        return _kl(P, _predict(trainer, x.reshape(X.shape)), "softmax").mean()

    np.testing.assert_allclose(grad.ravel(), numerical_gradient(g, X_adv.ravel()),
                               rtol=1e-5, atol=1e-8)


def test_backward_without_parameter_gradients_gives_the_same_deltas():
    """The power step's delta-only backward pass: same deltas as the full
    one, the gradient buffers untouched."""
    rng = np.random.default_rng(0)
    trainer = _trainer(rng, [4, 6, 5, 3])
    net, m = trainer.network, 6
    X = rng.normal(size=(m, 4))
    P = net.forward(X, trainer.coefs, trainer.intercepts, trainer.acts)
    trainer.deltas[-1][...] = P - rng.dirichlet(np.ones(3), size=m)
    runs = []
    for param_grads in (True, False):
        trainer.grad.fill(7.0)
        net.backward(X, trainer.coefs, trainer.acts, trainer.deltas, trainer.coef_grads,
                     trainer.intercept_grads, param_grads=param_grads)
        runs.append(([d.copy() for d in trainer.deltas], trainer.grad.copy()))
    for full, light in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(full, light)
    assert (runs[1][1] == 7.0).all() and not (runs[0][1] == 7.0).all()


def test_targets_of_unlabeled_rows_are_ignored():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    flags = np.array([1.0, 0, 1, 0, 0, 1])
    Y = _targets(rng, 6, 3, flags)
    results = []
    for garbage in (0.0, 5.0):
        trainer = _trainer(np.random.default_rng(1), [4, 5, 3], masked=True,
                           vat=_vat(1.0, np.random.default_rng(2), 4),
                           entropy=EntropyMinimization(), weights=(1.0, 0.0, 0.5))
        Yg = Y.copy()
        Yg[flags == 0, :-1] = garbage
        results.append((trainer.objective(X, Yg, None), trainer.grad.copy()))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])


def test_a_batch_without_labeled_rows_trains_the_shared_trunk():
    rng = np.random.default_rng(0)
    trainer = _trainer(rng, [4, 5, 3], masked=True,
                       vat=_vat(1.0, np.random.default_rng(1), 4),
                       weights=(1.0, 0.0, 0.0))
    X = rng.normal(size=(6, 4))
    loss = trainer.objective(X, _targets(rng, 6, 3, np.zeros(6)), None)
    assert loss > 0
    assert np.abs(trainer.coef_grads[0]).min() > 0  # every first-layer weight


@given(seed=seeds)
@settings(max_examples=10, deadline=None)
def test_unsupervised_terms_vanish_for_a_constant_model(seed):
    """A network whose weights are all 0 predicts the same p for every input:
    the virtual adversarial and consistency terms are exactly 0, value and
    gradient."""
    rng = np.random.default_rng(seed)
    noise = InputNoise(0.5, 6, 4, np.float64, np.random.default_rng(seed + 2))
    trainer = _trainer(rng, [4, 5, 3], masked=True,
                       vat=_vat(1.0, np.random.default_rng(seed + 1), 4),
                       consistency=Consistency(6, 3, np.float64), input_noise=noise)
    trainer.params[: trainer.network.layout.n_weights] = 0.0
    X = rng.normal(size=(6, 4))
    assert trainer.objective(X, _targets(rng, 6, 3, np.zeros(6)), None) == 0.0
    assert not trainer.grad.any()


@given(seed=seeds, weight=st.floats(0.1, 3.0))
@settings(max_examples=15, deadline=None)
def test_entropy_term_value_and_gradient(seed, weight):
    """weight * mean over the unlabeled rows of H(p(y|x)), against the
    entropy written out and finite differences."""
    rng = np.random.default_rng(seed)
    trainer = _trainer(rng, [4, 5, 3], masked=True, entropy=EntropyMinimization(),
                       weights=(0.0, 0.0, weight))
    X = rng.normal(size=(6, 4))
    flags = np.array([1.0, 0, 0, 1, 0, 1])
    Y = _targets(rng, 6, 3, flags)
    sup = trainer.network.output.inner.loss(_predict(trainer, X[flags > 0]),
                                            Y[flags > 0, :-1])
    P = _predict(trainer, X[flags == 0])
    expected = sup + weight * -(P * np.log(P)).sum(1).mean()
    assert trainer.objective(X, Y, None) == pytest.approx(expected, rel=1e-10)
    check_objective_gradient(trainer, X, Y)


@pytest.mark.parametrize("blocks", [None, [slice(0, 2), slice(2, 5)], "sigmoid"])
def test_output_backward_is_the_chain_rule(blocks):
    rng = np.random.default_rng(0)
    output = (SigmoidCrossEntropy() if blocks == "sigmoid"
              else SoftmaxCrossEntropy(blocks=blocks))
    Z, G = rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    Q = output.activate(Z.copy())
    delta = output_backward(output, Q, G, np.empty_like(Z))

    def f(z):
        return float((G * output.activate(z.reshape(Z.shape).copy())).sum())

    np.testing.assert_allclose(delta.ravel(), numerical_gradient(f, Z.ravel()),
                               rtol=1e-6, atol=1e-9)


def test_consistency_is_exactly_zero_without_noise():
    """dropout keep 1, no noise, no augmentation: the second pass repeats the
    first bit for bit, so the term and its gradient are exactly 0."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    Y = _targets(rng, 6, 3, np.array([1.0, 0, 1, 0, 0, 1]))
    plain = _trainer(np.random.default_rng(1), [4, 5, 3], masked=True,
                     weights=(0.0, 0.0, 0.0))
    cons = _trainer(np.random.default_rng(1), [4, 5, 3], masked=True,
                    consistency=Consistency(6, 3, np.float64), weights=(0.0, 7.0, 0.0))
    assert cons.objective(X, Y, None) == plain.objective(X, Y, None)
    np.testing.assert_array_equal(cons.grad, plain.grad)


def test_consistency_value_with_input_noise():
    """weight/(n K) sum ||q - p||^2, q the outputs of a second noisy pass."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    Y = _targets(rng, 6, 3, np.zeros(6))
    noise = InputNoise(0.5, 6, 4, np.float64, np.random.default_rng(5))
    trainer = _trainer(np.random.default_rng(1), [4, 5, 3], masked=True,
                       consistency=Consistency(6, 3, np.float64),
                       weights=(0.0, 2.0, 0.0), input_noise=noise)
    value = trainer.objective(X, Y, None)
    draws = np.random.default_rng(5).standard_normal(size=(2, 6, 4)) * 0.5
    P, Q = _predict(trainer, X + draws[0]), _predict(trainer, X + draws[1])
    assert value == pytest.approx(2.0 * np.mean((Q - P) ** 2), rel=1e-10)


def test_rampup():
    assert rampup(0) == pytest.approx(np.exp(-5))
    assert rampup(1) == rampup(7) == 1.0
    ramp = [rampup(t) for t in np.linspace(0, 1, 11)]
    assert all(a < b for a, b in zip(ramp, ramp[1:]))


def test_rampup_scales_the_unsupervised_terms():
    """Half-way through the ramp (epochs before this trainer count), the
    virtual adversarial term is exp(-5/4) of its full value."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 4))
    Y = _targets(rng, 6, 3, np.zeros(6))  # no labels: the term alone
    values = []
    for ramp, epochs_before in ((0, 0), (4, 2.0)):
        trainer = _trainer(np.random.default_rng(1), [4, 5, 3], masked=True,
                           vat=_vat(1.0, np.random.default_rng(2), 4),
                           weights=(2.0, 0.0, 0.0))
        trainer.reg.unsupervised.rampup = ramp
        trainer.reg.unsupervised.epochs_before = epochs_before
        values.append(trainer.objective(X, Y, None))
    assert values[1] == pytest.approx(np.exp(-5 / 4) * values[0], rel=1e-10)


# ---- the estimator -------------------------------------------------------
@pytest.fixture(scope="module")
def partly_labeled(small_digits):
    X, y, Xt, yt = small_digits
    hidden = np.random.default_rng(0).random(len(y)) < 0.7
    return X, np.where(hidden, -1, y), Xt, yt


FAST = dict(hidden_layer_sizes=(16,), max_iter=5, learning_rate_init=0.01,
            random_state=0)


def _fit(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DFNClassifier(**{**FAST, **params}).fit(X, y)


def test_same_seed_same_bits(partly_labeled):
    X, y, _, _ = partly_labeled
    kw = dict(vat_weight=1.0, entropy_weight=0.5, consistency_weight=2.0,
              dropout_keep=0.8, input_noise=0.1, unsupervised_rampup=2)
    a, b = _fit(X, y, **kw), _fit(X, y, **kw)
    for Wa, Wb in zip(a.coefs_, b.coefs_):
        np.testing.assert_array_equal(Wa, Wb)
    c = _fit(X, y, **kw, random_state=1)
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_minus_one_is_unlabeled_with_any_unsupervised_weight(partly_labeled):
    X, y, _, _ = partly_labeled
    for kw in (dict(vat_weight=1.0), dict(entropy_weight=1.0),
               dict(consistency_weight=1.0, dropout_keep=0.5)):
        assert -1 not in _fit(X, y, **kw).classes_
    assert -1 in _fit(X, y).classes_  # an ordinary class otherwise
    with pytest.raises(ValueError, match="Every label is -1"):
        _fit(X, -np.ones(len(y), int), vat_weight=1.0)


def test_vat_works_with_every_other_regularizer(partly_labeled):
    X, y, Xt, yt = partly_labeled
    est = _fit(X, y, vat_weight=1.0, entropy_weight=0.3, consistency_weight=1.0,
               reconstruction_weight=0.5, dropout_keep=(0.9, 0.8),
               input_noise=0.05, weight_noise=0.01, activity_alpha=1e-4,
               penalty="elasticnet", alpha=1e-3, max_norm=3.0,
               adversarial_eps=0.05, label_smoothing=0.1,
               augment=ImageAugmenter(translation=1), early_stopping=True,
               unsupervised_rampup=1, max_iter=30)
    assert np.isfinite(est.loss_curve_).all() and est.validation_scores_ is not None
    assert est.score(Xt, yt) > 0.3
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(again.predict_proba(Xt), est.predict_proba(Xt))
    assert clone(est).get_params()["vat_weight"] == 1.0


def test_partial_fit_and_sparse_input(partly_labeled):
    from scipy import sparse

    X, y, _, _ = partly_labeled
    est = DFNClassifier(**FAST, vat_weight=1.0, unsupervised_rampup=3)
    for _ in range(3):
        est.partial_fit(X, y, classes=np.arange(10))
    # n_iter_ counts the last call's epochs, as MLPClassifier's partial_fit
    assert est.n_iter_ == 1 and est.t_ == 3 * len(X) and -1 not in est.classes_
    before = est.coefs_[0].copy()
    est.partial_fit(X[y == -1], y[y == -1])  # a chunk without labels
    assert not np.array_equal(est.coefs_[0], before)
    sparse_fit = _fit(sparse.csr_matrix(X), y, vat_weight=1.0)
    np.testing.assert_allclose(sparse_fit.coefs_[0], _fit(X, y, vat_weight=1.0).coefs_[0],
                               rtol=1e-4, atol=1e-6)


def test_vat_beats_the_labeled_rows_alone(digits):
    """On digits with 60 labels of 1,200 rows (the benchmark's smaller
    setting), VAT on all rows beats the labeled rows alone."""
    X, y, Xt, yt = digits
    rng = np.random.default_rng(0)
    labeled = np.concatenate([rng.choice(np.flatnonzero(y == k), 6, replace=False)
                              for k in range(10)])
    partial = np.full(len(y), -1)
    partial[labeled] = y[labeled]
    kw = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
    alone = _fit(X[labeled], y[labeled], **kw).score(Xt, yt)
    vat = _fit(X, partial, **kw, vat_weight=1.0, vat_eps=0.5).score(Xt, yt)
    assert vat > alone + 0.02


@pytest.mark.parametrize("params, match", [
    (dict(vat_weight=-1.0), "vat_weight"),
    (dict(vat_eps=0.0), "vat_eps"),
    (dict(vat_xi=-1e-6), "vat_xi"),
    (dict(vat_power_iterations=0), "vat_power_iterations"),
    (dict(consistency_weight=-1.0), "consistency_weight"),
    (dict(entropy_weight=-0.1), "entropy_weight"),
    (dict(unsupervised_rampup=-1), "unsupervised_rampup"),
    (dict(vat_weight=1.0, solver="lbfgs"), "lbfgs"),
    (dict(consistency_weight=1.0, solver="lbfgs", dropout_keep=0.5), "lbfgs"),
    (dict(consistency_weight=1.0), "nothing is stochastic"),
])
def test_parameter_errors(small_digits, params, match):
    X, y, _, _ = small_digits
    with pytest.raises(ValueError, match=match):
        DFNClassifier(**{**FAST, **params}).fit(X, y)


def test_entropy_alone_works_with_lbfgs(partly_labeled):
    X, y, _, _ = partly_labeled
    est = _fit(X, y, entropy_weight=0.5, solver="lbfgs", max_iter=20)
    assert np.isfinite(est.loss_)


def test_regressor_has_no_unsupervised_parameters():
    params = DFNRegressor().get_params()
    assert not any(name in params for name in ("vat_weight", "consistency_weight",
                                               "entropy_weight"))
