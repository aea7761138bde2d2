"""Our in-place optimizers against scikit-learn's reference implementations."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from skreg.optimizers import SGD, Adam

from .helpers import kernels_enabled


@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(1, 8),
       lr=st.floats(1e-4, 0.5), b1=st.floats(0.0, 0.99), b2=st.floats(0.5, 0.9999))
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_adam_matches_sklearn(engine, seed, steps, lr, b1, b2):
    rng = np.random.default_rng(seed)
    ours = rng.normal(size=7)
    theirs = [ours.copy()]
    adam = Adam(7, np.float64, lr, b1, b2, 1e-8)
    ref = AdamOptimizer(theirs, lr, b1, b2, 1e-8)
    for _ in range(steps):
        g = rng.normal(size=7)
        adam.step(ours, g, 0)
        ref.update_params(theirs, [g])
        # the per-coordinate step the L1 prox scales by (first 5 = "weights")
        step = adam.weight_step(np.empty(5), scale=2.0)
        expected = 2.0 * ref.learning_rate / (np.sqrt(ref.vs[0][:5]) + 1e-8)
        np.testing.assert_allclose(step, expected, rtol=1e-10)
    np.testing.assert_allclose(ours, theirs[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(adam.m, ref.ms[0], rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(adam.v, ref.vs[0], rtol=1e-10, atol=1e-14)


def _adam_run(enabled, dtype, seed, steps, keep_from):
    """Parameters, moments and weight steps after ``steps`` Adam updates, with
    ``weight_step`` called from step ``keep_from`` on (so the denominator is kept)."""
    with kernels_enabled(enabled):
        rng = np.random.default_rng(seed)
        params = rng.normal(size=301).astype(dtype)
        adam, out = Adam(301, dtype, 1e-3), []
        for t in range(steps):
            adam.step(params, rng.normal(size=301).astype(dtype), 0)
            if t >= keep_from:
                out.append(adam.weight_step(np.empty(300, dtype), scale=0.5))
        return [params, adam.m, adam.v, *out]


@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(1, 6),
       keep_from=st.integers(0, 6), dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=30, deadline=None)
def test_compiled_adam_is_bit_identical_to_numpy(seed, steps, keep_from, dtype):
    pytest.importorskip("numba", reason="the compiled kernels need numba")
    compiled = _adam_run(True, dtype, seed, steps, keep_from)
    numpy_only = _adam_run(False, dtype, seed, steps, keep_from)
    for ours, theirs in zip(compiled, numpy_only, strict=True):
        assert ours.dtype == dtype
        np.testing.assert_array_equal(ours, theirs)


@given(seed=st.integers(0, 2**31 - 1), steps=st.integers(1, 8), lr=st.floats(1e-4, 0.5),
       momentum=st.floats(0.0, 0.95), nesterov=st.booleans())
@settings(max_examples=40, deadline=None)
def test_sgd_matches_sklearn(seed, steps, lr, momentum, nesterov):
    rng = np.random.default_rng(seed)
    ours = rng.normal(size=5)
    theirs = [ours.copy()]
    sgd = SGD(5, np.float64, lr, momentum, nesterov)
    ref = SGDOptimizer(theirs, lr, momentum=momentum, nesterov=nesterov)
    for _ in range(steps):
        g = rng.normal(size=5)
        sgd.step(ours, g, 0)
        ref.update_params(theirs, [g])
    np.testing.assert_allclose(ours, theirs[0], rtol=1e-10, atol=1e-12)
    assert sgd.weight_step(None, 3.0) == pytest.approx(3.0 * lr / (1 - momentum))
