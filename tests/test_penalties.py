"""The proximal and projection steps against their definitions."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skreg.penalties import L1, L2, ElasticNet, MaxNorm, resolve_max_norm, resolve_penalty

from .helpers import kernels_enabled

seeds = st.integers(0, 2**31 - 1)


@given(seed=seeds, ratio=st.floats(0.0, 1.0), per_coordinate=st.booleans(),
       dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_prox_is_soft_threshold(engine, seed, ratio, per_coordinate, dtype):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=50).astype(dtype)
    t = rng.uniform(0, 1, size=50).astype(dtype) if per_coordinate else 0.4
    penalty = ElasticNet(l1_ratio=ratio)
    expected = np.sign(w) * np.maximum(np.abs(w) - ratio * t, 0)
    out = w.copy()
    penalty.prox(out, np.array(t, copy=True) if per_coordinate else t, np.empty_like(w))
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-7)
    assert np.all((out == 0) == (np.abs(w) <= ratio * np.asarray(t)))
    # argmin_z 1/2 (z - w)^2 + t * ratio * |z|, checked against a grid
    if not per_coordinate:
        lim = max(4.0, abs(float(w[0])) + 1.0)  # the grid must hold the minimiser
        grid = np.linspace(-lim, lim, 80001)
        i = 0
        obj = 0.5 * (grid - w[i]) ** 2 + 0.4 * ratio * np.abs(grid)
        assert abs(grid[np.argmin(obj)] - out[i]) < 2e-4


@given(seed=seeds, ratio=st.floats(0.0, 1.0),
       dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=30, deadline=None)
def test_compiled_prox_is_bit_identical_to_numpy(seed, ratio, dtype):
    pytest.importorskip("numba", reason="the compiled kernels need numba")
    rng = np.random.default_rng(seed)
    w = (rng.normal(size=301) * rng.uniform(0, 3, size=301)).astype(dtype)
    t = rng.uniform(0, 1, size=301).astype(dtype)
    results = []
    for enabled in (True, False):
        with kernels_enabled(enabled):
            out = w.copy()
            ElasticNet(l1_ratio=ratio).prox(out, t.copy(), np.empty_like(w))
            results.append(out)
    np.testing.assert_array_equal(*results)
    assert results[0].dtype == dtype


def test_smooth_penalties_have_no_prox():
    w = np.array([0.3, -0.1])
    L2().prox(w, 10.0, np.empty(2))
    np.testing.assert_array_equal(w, [0.3, -0.1])


@given(seed=seeds, c=st.floats(0.1, 3.0), dtype=st.sampled_from([np.float32, np.float64]))
@settings(max_examples=50, deadline=None)
def test_max_norm_projects_long_columns_only(seed, c, dtype):
    rng = np.random.default_rng(seed)
    W = (rng.normal(size=(6, 8)) * rng.uniform(0.01, 2, size=8)).astype(dtype)
    before = W.copy()
    MaxNorm(c).project([W])
    norms = np.linalg.norm(before.astype(float), axis=0)
    after = np.linalg.norm(W.astype(float), axis=0)
    assert np.all(after <= c)
    short = norms <= c
    np.testing.assert_array_equal(W[:, short], before[:, short])
    # long columns keep their direction and land on the sphere
    np.testing.assert_allclose(after[~short], c, rtol=1e-5)
    cos = np.sum(W[:, ~short] * before[:, ~short], 0) / (after[~short] * norms[~short])
    np.testing.assert_allclose(cos, 1, rtol=1e-5)


def test_resolvers_are_table_lookups():
    assert isinstance(resolve_penalty("l1", 0.5), L1)
    assert resolve_penalty("elasticnet", 0.3).l1_ratio == 0.3
    assert resolve_penalty(None, 0.5) is None
    assert resolve_max_norm(2.0).max_norm == 2.0
    assert resolve_max_norm(None) is None
