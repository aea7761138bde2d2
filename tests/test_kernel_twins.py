"""Every compiled kernel of skreg._kernels equals its numpy twin, bit for bit,
over random shapes (odd sizes, large pooling windows, both float dtypes), and
max-pooling with a window of more than 255 positions has the gradient of
finite differences on both engines (issue 22, item 1: the compiled path kept
the argmax in uint8)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skreg import _kernels
from skreg._resample import _affine_sample
from skreg.conv import Conv2D
from skreg.optimizers import Adam
from skreg.penalties import ElasticNet
from skreg.pooling import MaxPool
from skreg.training import Trainer

from .helpers import check_objective_gradient, kernels_enabled, random_targets
from .test_conv_layers import conv_network

pytest.importorskip("numba", reason="the compiled kernels need numba")

seeds = st.integers(0, 2**31 - 1)
dtypes = st.sampled_from([np.float32, np.float64])


def both_engines(run):
    """``run()`` with the compiled kernels, then with numpy alone."""
    results = []
    for enabled in (True, False):
        with kernels_enabled(enabled):
            results.append(run())
    return results


def assert_same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))


def pool_run(z, delta, p):
    m, h, w, c = z.shape
    pool = MaxPool(p, (h, w, c), m, z.dtype)
    out = np.empty((m, h // p * (w // p) * c), z.dtype)
    pool.forward(z.reshape(-1, c).copy(), m, out)
    return out, pool.backward(delta, m).reshape(z.shape).copy(), pool._fused


@given(seed=seeds, p=st.integers(1, 20), hp=st.integers(1, 3), wp=st.integers(1, 3),
       c=st.integers(1, 3), m=st.integers(1, 3), ties=st.booleans(), dtype=dtypes)
@settings(max_examples=40, deadline=None)
def test_maxpool_kernels_equal_numpy(seed, p, hp, wp, c, m, ties, dtype):
    """``maxpool_forward`` and ``maxpool_backward`` (windows up to 400
    positions, odd map sides, ties and signed zeros)."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(m, hp * p, wp * p, c)).astype(dtype)
    if ties:
        z = np.round(z)
    delta = rng.normal(size=(m, hp * wp * c)).astype(dtype)
    compiled, numpy_only = both_engines(lambda: pool_run(z, delta, p))
    (out_a, dz_a, fused), (out_b, dz_b, plain) = compiled, numpy_only
    assert fused and not plain  # each engine really ran
    assert_same_bits(out_a, out_b)
    assert_same_bits(dz_a, dz_b)


def test_large_pool_gradient_goes_to_the_maximum():
    """A 17 x 17 window (289 positions): the one nonzero gradient entry sits
    at the window's maximum (uint8 offsets wrapped it to offset 288 - 256)."""
    z = np.zeros((1, 17, 17, 1))
    z[0, 16, 16, 0] = 1.0  # offset 288
    for out, dz, _ in both_engines(lambda: pool_run(z, np.array([[2.0]]), 17)):
        assert out[0, 0] == 1.0
        expected = np.zeros_like(z)
        expected[0, 16, 16, 0] = 2.0
        np.testing.assert_array_equal(dz, expected)


@pytest.mark.parametrize("compiled", [True, False])
def test_large_pool_objective_gradient_is_finite_differences(compiled):
    """The whole objective of a network pooling 18 x 17 maps with pool 17
    (after a 'valid' 2 x 1 convolution) against central differences."""
    rng = np.random.default_rng(0)
    with kernels_enabled(compiled):
        net, params = conv_network([Conv2D(2, (2, 1), padding="valid", pool=17)],
                                   (18, 17, 1), (3,), 2, "tanh", "softmax", rng)
        trainer = Trainer(net, params, None, None, 0.0, None, 3)
        X = rng.normal(size=(3, 18 * 17))
        check_objective_gradient(trainer, X, random_targets("softmax", 3, 2, rng))


@given(seed=seeds, h=st.integers(1, 19), w=st.integers(1, 19), c=st.integers(1, 3),
       n=st.integers(1, 5), order=st.sampled_from([0, 1]), fill=st.floats(-1, 1),
       dtype=dtypes)
@settings(max_examples=40, deadline=None)
def test_warp_kernel_equals_numpy(seed, h, w, c, n, order, fill, dtype):
    """``warp``: random affine maps (sources inside and far outside the image)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, h * w * c)).astype(dtype)
    A = rng.normal(size=(n, 2, 2))
    b = rng.normal(scale=max(h, w), size=(n, 2))
    outs = both_engines(lambda: _affine_sample(X, A, b, (h, w, c), order, fill))
    assert_same_bits(*outs)


@given(seed=seeds, size=st.integers(1, 300), steps=st.integers(1, 5),
       keep_from=st.integers(0, 5), dtype=dtypes)
@settings(max_examples=40, deadline=None)
def test_adam_kernel_equals_numpy(seed, size, steps, keep_from, dtype):
    """``adam``: parameters, moments and the kept denominator."""
    grads = np.random.default_rng(seed).normal(size=(steps, size)).astype(dtype)

    def run():
        params = np.linspace(-1, 1, size, dtype=dtype)
        adam, steps_out = Adam(size, dtype, 0.01, 0.9, 0.999, 1e-8), []
        for t, g in enumerate(grads):
            adam.step(params, g, 0)
            if t >= keep_from:
                steps_out.append(adam.weight_step(np.empty(size, dtype)))
        return params, adam._M, adam._V, np.concatenate([[], *steps_out]).astype(dtype)

    for a, b in zip(*both_engines(run), strict=True):
        assert_same_bits(a, b)


@given(seed=seeds, size=st.integers(1, 300), ratio=st.floats(0, 1), dtype=dtypes)
@settings(max_examples=40, deadline=None)
def test_soft_threshold_kernel_equals_numpy(seed, size, ratio, dtype):
    """``soft_threshold``: the per-coordinate L1 proximal step."""
    rng = np.random.default_rng(seed)
    w = (rng.normal(size=size) * rng.uniform(0, 3, size=size)).astype(dtype)
    t = rng.uniform(0, 1, size=size).astype(dtype)

    def run():
        out = w.copy()
        ElasticNet(l1_ratio=ratio).prox(out, t.copy(), np.empty_like(w))
        return out

    assert_same_bits(*both_engines(run))


def test_every_kernel_has_a_twin_test():
    """A new kernel must get its property test here."""
    tested = {"maxpool_forward", "maxpool_backward", "warp", "adam", "soft_threshold"}
    assert set(_kernels._KERNELS) == tested
