"""PiecewiseLinearEncoder against its closed form (Gorishniy et al. 2022)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skreg.piecewise_linear import PiecewiseLinearEncoder

columns = arrays(np.float64, st.integers(5, 60),
                 elements=st.floats(-1e3, 1e3, allow_subnormal=False))


@settings(deadline=None, max_examples=60)
@given(columns, st.integers(2, 12))
def test_encoding_sums_back_to_the_value_inside_the_range(x, n_bins):
    enc = PiecewiseLinearEncoder(n_bins).fit(x[:, None])
    edges = enc.bin_edges_[0]
    Z = enc.transform(x[:, None])
    if len(edges) < 3:  # constant or two-valued column: nothing to encode
        assert Z.shape == (len(x), 0)
        return
    assert Z.min() >= 0 and Z.max() <= 1
    assert Z.shape == (len(x), len(edges) - 1)
    # x = b_0 + sum_t e_t (b_t - b_{t-1}) for every x in [b_0, b_T]
    assert np.allclose(edges[0] + Z @ np.diff(edges), x, rtol=1e-9, atol=1e-9)
    # the bins below x read 1, those above 0: each row is non-increasing
    assert np.all(np.diff(Z, axis=1) <= 0)


@given(st.floats(-1e4, 1e4), st.floats(-1e4, 1e4))
def test_encoding_is_monotone_in_the_value(a, b):
    enc = PiecewiseLinearEncoder(4).fit(np.arange(20.0)[:, None])
    low, high = sorted([a, b])
    Z = enc.transform([[low], [high]])
    assert np.all(Z[0] <= Z[1])


def test_a_value_far_beyond_a_narrow_bin_reads_one_without_overflow_warning():
    """Hypothesis found bins [-2.2e-308, 0] next to the value 4: the ratio
    overflows to inf; the component is exactly 1 (0 below), and no
    RuntimeWarning escapes (setup.cfg turns skreg's into errors)."""
    x = np.array([4.0, -2.2250738585072014e-308, 0.0, 0.0, 0.0])
    enc = PiecewiseLinearEncoder(2).fit(x[:, None])
    Z = enc.transform(np.array([[4.0], [-4.0], [0.0]]))
    assert np.isfinite(Z).all() and Z.tolist()[0] == [1.0] * Z.shape[1]
    assert Z[1].tolist() == [0.0] * Z.shape[1]
    assert np.allclose(enc.bin_edges_[0][0] + Z @ np.diff(enc.bin_edges_[0]),
                       [4.0, enc.bin_edges_[0][0], 0.0])


def test_edges_are_the_distinct_quantiles():
    x = np.r_[np.zeros(50), np.arange(1.0, 51.0)]  # half the values are 0
    enc = PiecewiseLinearEncoder(4).fit(x[:, None])
    assert enc.bin_edges_[0].tolist() == [0.0, 25.0, 50.0]  # three edges at 0 merged


@given(st.integers(1, 99), st.integers(2, 32))
def test_a_two_valued_column_gets_no_components(ones, n_bins):
    x = (np.arange(100) < ones).astype(float)[:, None]
    enc = PiecewiseLinearEncoder(n_bins).fit(x)
    assert set(enc.bin_edges_[0]) <= {0.0, 1.0}
    assert enc.transform(x).shape == (100, 0)


def test_values_beyond_the_training_range_saturate():
    enc = PiecewiseLinearEncoder(2).fit(np.arange(9.0)[:, None])
    assert enc.transform([[-100.0], [100.0]]).tolist() == [[0.0, 0.0], [1.0, 1.0]]


def test_feature_names_skip_columns_without_two_bins():
    X = np.c_[np.arange(9.0), np.ones(9), np.arange(9) % 2, np.arange(9.0) ** 2]
    enc = PiecewiseLinearEncoder(2).fit(X)
    assert enc.get_feature_names_out(["a", "b", "c", "d"]).tolist() == [
        "a_bin0", "a_bin1", "d_bin0", "d_bin1"]
    assert enc.transform(X).shape == (9, 4)


def test_bad_n_bins_raises():
    with pytest.raises(ValueError, match="'n_bins' parameter of PiecewiseLinearEncoder"):
        PiecewiseLinearEncoder(1).fit(np.arange(4.0)[:, None])


def test_missing_values_raise():
    with pytest.raises(ValueError, match="Input X contains NaN"):
        PiecewiseLinearEncoder().fit([[1.0], [np.nan]])


def test_other_column_count_at_transform_raises():
    enc = PiecewiseLinearEncoder().fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="has 3 features"):
        enc.transform(np.ones((5, 3)))
