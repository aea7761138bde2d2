"""Convolution and max-pooling layers against independent truths: finite
differences (float64), scipy.signal.correlate, dense layers, explicit loops."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.signal import correlate

from skreg import network as network_module
from skreg.conv import Conv2D, resolve_conv_layers
from skreg.layers import Convolution
from skreg.losses import OUTPUTS
from skreg.network import Layout, Network, initialise
from skreg.pooling import MaxPool
from skreg.training import Trainer

from .helpers import (check_gradient, check_objective_gradient, kernels_enabled,
                      numerical_gradient, random_targets)

seeds = st.integers(0, 2**31 - 1)
SETTINGS = settings(max_examples=20, deadline=None)
FIXTURE = [HealthCheck.function_scoped_fixture]  # a constant monkeypatch


def conv_network(conv_layers, image_shape, hidden, n_out, activation, output,
                 rng, dtype=np.float64):
    """A network with convolutions, its flat parameters (random biases)."""
    n_features = int(np.prod(image_shape))
    geometry = resolve_conv_layers(conv_layers, image_shape, n_features)
    sizes = [n_features, *(g.out_size for g in geometry), *hidden, n_out]
    layout = Layout(sizes, conv=geometry)
    net = Network(layout, activation, OUTPUTS[output]())
    params = initialise(layout, activation, "glorot_uniform", dtype, rng)
    params[layout.n_weights:] = rng.normal(scale=0.1, size=params.size - layout.n_weights)
    return net, params


def conv_forward(conv, image_shape, X, W, b):
    """Output maps of one convolution layer (fresh network of one layer)."""
    geometry = resolve_conv_layers([conv], image_shape, X.shape[1])
    layer = Convolution(geometry[0])
    out = np.empty((X.shape[0], geometry[0].out_size))
    return layer.forward(X, W, b, out), geometry[0]


specs = st.tuples(
    st.integers(3, 7), st.integers(3, 7), st.integers(1, 2),  # h, w, c
    st.integers(1, 3), st.integers(1, 3), st.integers(1, 3),  # filters, kh, kw
    st.integers(1, 2), st.sampled_from(["same", "valid"]), st.integers(1, 2),
)


def spec_trainer(spec, more, n_out, activation, output, rng, m):
    """A float64 trainer of a drawn convolution (then ``more`` layers, a
    dense layer of 3 units) and a batch of ``m`` random images."""
    h, w, c, filters, kh, kw, stride, padding, pool = spec
    layers = [Conv2D(filters, (kh, kw), stride=stride, padding=padding, pool=pool)]
    try:
        net, params = conv_network(layers + more, (h, w, c), (3,), n_out,
                                   activation, output, rng)
    except ValueError:  # a kernel or pooling that does not fit the map
        assume(False)
    trainer = Trainer(net, params, None, None, 0.0, None, m)
    return trainer, rng.normal(size=(m, h * w * c))


@given(spec=specs, seed=seeds, two=st.booleans(),
       activation=st.sampled_from(["tanh", "sigmoid", "identity"]))
@SETTINGS
def test_objective_gradient_through_conv_and_pooling(spec, seed, two, activation):
    rng = np.random.default_rng(seed)
    trainer, X = spec_trainer(spec, [(2, 2)] if two else [], 3, activation,
                              "softmax", rng, 4)
    Y = random_targets("softmax", 4, 3, rng)
    check_objective_gradient(trainer, X, Y)


@given(spec=specs, seed=seeds, activation=st.sampled_from(["tanh", "sigmoid"]))
@SETTINGS
def test_input_gradient_through_conv_and_pooling(spec, seed, activation):
    rng = np.random.default_rng(seed)
    trainer, X = spec_trainer(spec, [], 2, activation, "identity", rng, 3)
    Y = rng.normal(size=(3, 2))
    trainer.objective(X, Y, None)
    analytic = trainer.input_gradient(trainer.coefs, 3, np.empty_like(X))

    def f(x):
        return trainer.objective(x.reshape(X.shape), Y, None)

    numeric = numerical_gradient(f, X.ravel()).reshape(X.shape)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("classic", [False, True])
@given(seed=seeds)
@settings(max_examples=10, deadline=None, suppress_health_check=FIXTURE)
def test_prediction_input_gradient_in_chunks(classic, seed, monkeypatch):
    """The prediction network's d(mean loss)/dX over several chunks, with
    classic dropout's scales, against finite differences."""
    monkeypatch.setattr(network_module, "PREDICT_CHUNK", 2)
    rng = np.random.default_rng(seed)
    net, params = conv_network([(2, 3, 2)], (4, 4, 1), (3,), 2, "tanh",
                               "softmax", rng)
    coefs, intercepts = net.layout.views(params)
    scales = (0.8, 0.5, 0.7) if classic else None
    X = rng.normal(size=(5, 16))
    Y = random_targets("softmax", 5, 2, rng)
    analytic = net.input_gradient(X, Y, coefs, intercepts, scales)

    def f(x):
        P = net.predict(x.reshape(X.shape), coefs, intercepts, scales)
        return net.output.loss(P, Y)

    numeric = numerical_gradient(f, X.ravel()).reshape(X.shape)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


@given(seed=seeds)
@settings(max_examples=10, deadline=None, suppress_health_check=FIXTURE)
def test_prediction_scales_equal_scaled_weights(seed, monkeypatch):
    """``scales[i]`` multiplies layer i's product: p (h W) = h (p W)."""
    monkeypatch.setattr(network_module, "PREDICT_CHUNK", 3)
    rng = np.random.default_rng(seed)
    net, params = conv_network([(2, 3, 2), (3, 1)], (6, 6, 1), (4,), 3, "relu",
                               "softmax", rng)
    coefs, intercepts = net.layout.views(params)
    scales = (0.5, 0.9, 0.8, 0.6)
    X = rng.normal(size=(7, 36))
    scaled = [p * W for p, W in zip(scales, coefs)]
    np.testing.assert_allclose(net.predict(X, coefs, intercepts, scales),
                               net.predict(X, scaled, intercepts), rtol=1e-12)


@pytest.mark.parametrize("padding", ["same", "valid"])
@given(seed=seeds, h=st.integers(3, 7), w=st.integers(3, 7), c=st.integers(1, 3),
       k=st.sampled_from([1, 3, 5]))
@SETTINGS
def test_conv_equals_scipy_correlate(padding, seed, h, w, c, k):
    assume(k <= min(h, w))
    rng = np.random.default_rng(seed)
    filters, m = 2, 2
    X = rng.normal(size=(m, h * w * c))
    W = rng.normal(size=(k * k * c, filters))
    b = rng.normal(size=filters)
    out, g = conv_forward(Conv2D(filters, k, padding=padding), (h, w, c), X, W, b)
    images = X.reshape(m, h, w, c)
    kernels = W.reshape(k, k, c, filters)
    oh, ow, _ = g.out_shape
    maps = out.reshape(m, oh, ow, filters)
    for n in range(m):
        for f in range(filters):
            expected = b[f] + sum(correlate(images[n, :, :, ch], kernels[:, :, ch, f],
                                            mode=padding) for ch in range(c))
            np.testing.assert_allclose(maps[n, :, :, f], expected, atol=1e-12)


@given(seed=seeds, stride=st.integers(2, 3), k=st.integers(1, 3))
@settings(max_examples=15, deadline=None)
def test_strided_valid_conv_subsamples_the_unit_stride_conv(seed, stride, k):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, 7 * 8 * 2))
    W = rng.normal(size=(k * k * 2, 3))
    b = rng.normal(size=3)
    full, g1 = conv_forward(Conv2D(3, k, padding="valid"), (7, 8, 2), X, W, b)
    strided, g2 = conv_forward(Conv2D(3, k, stride, padding="valid"), (7, 8, 2),
                               X, W, b)
    full = full.reshape(2, *g1.out_shape)
    assert g2.out_shape[:2] == ((7 - k) // stride + 1, (8 - k) // stride + 1)
    np.testing.assert_allclose(strided.reshape(2, *g2.out_shape),
                               full[:, ::stride, ::stride], atol=1e-12)


def test_one_by_one_conv_is_a_dense_layer_per_pixel():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3, 5 * 4 * 3))
    W = rng.normal(size=(3, 6))
    b = rng.normal(size=6)
    out, _ = conv_forward(Conv2D(6, 1), (5, 4, 3), X, W, b)
    per_pixel = X.reshape(-1, 3) @ W + b
    np.testing.assert_allclose(out, per_pixel.reshape(3, -1), atol=1e-12)


def test_whole_image_valid_conv_is_a_dense_layer():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(4, 5 * 6 * 2))
    W = rng.normal(size=(5 * 6 * 2, 7))
    b = rng.normal(size=7)
    out, g = conv_forward(Conv2D(7, (5, 6), padding="valid"), (5, 6, 2), X, W, b)
    assert g.out_shape == (1, 1, 7)
    np.testing.assert_allclose(out, X @ W + b, atol=1e-12)


def _tied_indicators(conv, image_shape, n_in, coef_shape):
    """A_k: the dense matrix of the convolution whose only weight is w_k = 1
    (rows: input pixels, columns: output units)."""
    basis = np.eye(n_in)
    n_k = coef_shape[0] * coef_shape[1]
    indicators = []
    for k in range(n_k):
        W = np.zeros(n_k)
        W[k] = 1.0
        A, _ = conv_forward(conv, image_shape, basis, W.reshape(coef_shape),
                            np.zeros(coef_shape[1]))
        indicators.append(A)
    return indicators


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("stride", [1, 2])
def test_shared_weight_gradient_is_the_sum_over_positions(padding, stride):
    """Written as a dense layer D = sum_k w_k A_k, the gradient of the tied
    weight w_k is the sum of the untied gradients X^T delta over the
    positions where w_k appears."""
    rng = np.random.default_rng(2)
    conv, image_shape = Conv2D(2, 3, stride, padding), (5, 5, 2)
    g = resolve_conv_layers([conv], image_shape, 50)[0]
    layer = Convolution(g)
    X = rng.normal(size=(3, 50))
    W = rng.normal(size=g.coef_shape)
    delta = rng.normal(size=(3, g.out_size))
    layer.forward(X, W, np.zeros(2), np.empty((3, g.out_size)))
    gW, gb = np.empty_like(W), np.empty(2)
    layer.param_grads(X, layer.local_delta(delta), gW, gb,
                      lambda d: np.ones(d.shape[0]))
    untied = X.T @ delta
    indicators = _tied_indicators(conv, image_shape, 50, g.coef_shape)
    expected = np.array([np.sum(A * untied) for A in indicators])
    np.testing.assert_allclose(gW.ravel(), expected, atol=1e-10)
    np.testing.assert_allclose(gb, delta.reshape(-1, 2).sum(axis=0), atol=1e-12)


def pool_both_ways(z, delta, p, compiled):
    """Pooled maps and the gradient at ``z`` (m, h, w, c) of one engine."""
    m, h, w, c = z.shape
    with kernels_enabled(compiled):
        pool = MaxPool(p, (h, w, c), m, z.dtype)
        out = np.empty((m, h // p * (w // p) * c), z.dtype)
        pool.forward(z.reshape(-1, c).copy(), m, out)
        return out, pool.backward(delta, m).reshape(z.shape).copy()


@given(seed=seeds, p=st.integers(2, 3), ties=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=25, deadline=None)
def test_pooling_engines_give_the_same_bits(seed, p, ties, dtype):
    pytest.importorskip("numba")
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(3, 2 * p, 4 * p, 5)).astype(dtype)
    if ties:
        z = np.round(z)  # equal maxima, +0 and -0 among them
    delta = rng.normal(size=(3, 8 * 5)).astype(dtype)
    (out_a, dz_a), (out_b, dz_b) = (pool_both_ways(z, delta, p, on)
                                    for on in (False, True))
    bits = np.uint32 if dtype == np.float32 else np.uint64
    np.testing.assert_array_equal(out_a.view(bits), out_b.view(bits))
    np.testing.assert_array_equal(dz_a.view(bits), dz_b.view(bits))


@pytest.mark.parametrize("compiled", [False, True])
@given(seed=seeds, p=st.integers(2, 3), ties=st.booleans())
@settings(max_examples=15, deadline=None)
def test_max_pool_against_loops(compiled, seed, p, ties):
    if compiled:
        pytest.importorskip("numba")
    rng = np.random.default_rng(seed)
    m, h, w, c = 2, 2 * p, 3 * p, 2
    z = rng.normal(size=(m, h, w, c))
    if ties:
        z = np.round(z)  # many equal values in a window
    delta = rng.normal(size=(m, h // p * (w // p) * c))
    out, dz = pool_both_ways(z, delta, p, compiled)
    pooled, d = out.reshape(m, h // p, w // p, c), delta.reshape(m, h // p, w // p, c)
    for n in range(m):
        for i in range(h // p):
            for j in range(w // p):
                for ch in range(c):
                    window = z[n, i * p:(i + 1) * p, j * p:(j + 1) * p, ch]
                    assert pooled[n, i, j, ch] == window.max()
                    grad = dz[n, i * p:(i + 1) * p, j * p:(j + 1) * p, ch]
                    first = np.unravel_index(np.argmax(window), window.shape)
                    expected = np.zeros_like(window)
                    expected[first] = d[n, i, j, ch]
                    np.testing.assert_array_equal(grad, expected)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "identity"])
def test_pooling_commutes_with_the_activation(activation):
    """The network pools pre-activations: equal to pooling activations."""
    from skreg.activations import get_activation

    act = get_activation(activation)
    rng = np.random.default_rng(3)
    z = rng.normal(size=(2, 4, 6, 3))
    pool = MaxPool(2, (4, 6, 3), 2, np.float64)
    out = np.empty((2, 2 * 3 * 3))
    pool.forward(z.reshape(-1, 3).copy(), 2, out)
    after = act.forward(z.copy()).reshape(2, 2, 2, 3, 2, 3).max(axis=(2, 4))
    np.testing.assert_allclose(act.forward(out).reshape(after.shape), after, atol=1e-15)


@pytest.mark.parametrize("mode", ["inverted", "classic"])
@given(seed=seeds, pool=st.integers(1, 2))
@settings(max_examples=10, deadline=None)
def test_gradient_with_hidden_steps_on_feature_maps(mode, seed, pool):
    """Dropout masks (fixed), the activity penalty and the reconstruction
    head act per activation of the conv maps; an L2 penalty sees the
    shared weights once: the whole objective against finite differences."""
    from skreg.activity import ActivityL1
    from skreg.dropout import Dropout
    from skreg.penalties import L2
    from skreg.semi_supervised import Reconstruction
    from skreg.training import Regularizers

    rng = np.random.default_rng(seed)
    geometry = resolve_conv_layers([(2, 3, pool), (3, 2)], (4, 4, 1), 16)
    sizes = [16, *(g.out_size for g in geometry), 3, 2]
    layout = Layout(sizes, decoder=True, conv=geometry)
    net = Network(layout, "tanh", OUTPUTS["softmax"]())
    params = initialise(layout, "tanh", "glorot_uniform", np.float64, rng)
    params[layout.n_weights:] = rng.normal(scale=0.1, size=params.size - layout.n_weights)
    dropout = Dropout((0.8, 0.6, 0.7, 0.5), mode, sizes[:-1], 5, np.float64, rng)
    regs = Regularizers(dropout=dropout, activity=ActivityL1(0.05),
                        reconstruction=Reconstruction(0.7, layout, 5, np.float64))
    penalty = L2().bind(layout.coef_shapes, np.float64)
    trainer = Trainer(net, params, None, penalty, 0.3, None, 5, regs)
    X = rng.normal(size=(5, 16))
    Y = random_targets("softmax", 5, 2, rng)
    dropout.draw(5)  # fixed masks for every evaluation below

    def objective():
        loss = trainer.data_objective(X, Y, None, trainer.coefs, trainer.intercepts)
        return loss + 0.3 / 5 * trainer.penalty.penalize(
            trainer.weights, trainer.weight_grad, 0.3 / 5, np.empty(layout.n_weights))

    check_gradient(trainer, objective)
