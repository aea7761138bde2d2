"""skreg.study.stats against scipy.stats and statistical properties (numbers
only, no training)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from skreg.study.stats import (N_RESAMPLES, bootstrap_difference, compare_to_baseline,
                               holm, mean_interval, paired_difference, prob_better)

RNG = np.random.default_rng(12345)
A = 0.93 + 0.01 * RNG.standard_normal(8)
B = 0.92 + 0.01 * RNG.standard_normal(8)


def test_mean_interval_is_the_t_interval():
    m, lo, hi = mean_interval(A)
    expected = stats.t.interval(0.95, len(A) - 1, loc=A.mean(), scale=stats.sem(A))
    assert m == pytest.approx(A.mean()) and (lo, hi) == pytest.approx(expected)


def test_paired_interval_equals_ttest_rel_and_bootstrap():
    d, lo, hi, p = paired_difference(A, B)
    res = stats.ttest_rel(A, B)
    ci = res.confidence_interval(0.95)
    assert d == pytest.approx(np.mean(A - B))
    assert (lo, hi, p) == pytest.approx((ci.low, ci.high, res.pvalue))
    # the same interval from the one-sample t interval of the differences
    assert (lo, hi) == pytest.approx(mean_interval(A - B)[1:])
    boot = stats.bootstrap((A - B,), np.mean, n_resamples=N_RESAMPLES,
                           method="percentile", random_state=7)
    assert bootstrap_difference(A, B, seed=7) == pytest.approx(
        (boot.confidence_interval.low, boot.confidence_interval.high))


def test_prob_better_counts_ties_half_and_matches_a_known_effect():
    assert prob_better([1, 2, 3, 4], [0, 2, 5, 1])[0] == pytest.approx(2.5 / 4)
    # A - B ~ N(delta, 2 sigma^2): P(A > B) = Phi(delta / (sqrt(2) sigma))
    rng = np.random.default_rng(0)
    delta, sigma, n = 0.01, 0.01, 1000
    a = 0.9 + delta + sigma * rng.standard_normal(n)
    b = 0.9 + sigma * rng.standard_normal(n)
    p, lo, hi = prob_better(a, b, seed=0, n_resamples=999)
    truth = stats.norm.cdf(delta / (math.sqrt(2) * sigma))
    assert lo <= truth <= hi and p == pytest.approx(truth, abs=0.05)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(1e-6, 1.0), min_size=1, max_size=12))
def test_holm_matches_its_step_down_definition(pvalues):
    """Reject H_(i) iff p_(j) <= alpha / (m - j) for every j <= i (0-based)."""
    p = np.array(pvalues)
    m, alpha = len(p), 0.05
    order = np.argsort(p, kind="stable")
    rejected = np.zeros(m, bool)
    for j, idx in enumerate(order):
        if p[idx] > alpha / (m - j):
            break
        rejected[idx] = True
    assert np.array_equal(holm(p) <= alpha, rejected)


def test_null_simulation_says_no_detectable_difference():
    """Five methods drawn from the baseline's distribution, with the paired
    noise a real study has (a split effect shared by all methods): each
    comparison says "no detectable difference" in >= 95% of simulated
    studies, and the family-wise error of Holm's correction stays near its
    nominal 5% (Monte Carlo error of 300 simulations: about 1.3 points)."""
    rng = np.random.default_rng(2021)
    n_sims, verdicts, clean = 300, [], 0
    for _ in range(n_sims):
        split = 0.01 * rng.standard_normal(10)  # shared by all methods
        scores = {"none": 0.92 + split + 0.005 * rng.standard_normal(10)}
        for k in range(5):
            scores[f"m{k}"] = 0.92 + split + 0.005 * rng.standard_normal(10)
        rows = compare_to_baseline(scores, n_resamples=0)[1:]
        verdicts += [r.verdict for r in rows]
        clean += all(r.verdict == "no detectable difference" for r in rows)
    assert np.mean([v == "no detectable difference" for v in verdicts]) >= 0.95
    assert clean / n_sims >= 0.92


def test_a_clear_three_point_effect_is_detected():
    rng = np.random.default_rng(3)
    for _ in range(50):
        split = 0.01 * rng.standard_normal(5)
        scores = {"none": 0.90 + split + 0.003 * rng.standard_normal(5),
                  "better": 0.93 + split + 0.003 * rng.standard_normal(5),
                  "same": 0.90 + split + 0.003 * rng.standard_normal(5),
                  "worse": 0.87 + split + 0.003 * rng.standard_normal(5)}
        verdicts = {r.method: r.verdict
                    for r in compare_to_baseline(scores, n_resamples=0)}
        assert verdicts["better"] == "helps" and verdicts["worse"] == "hurts"


@pytest.mark.parametrize("scores, why", [
    ({"none": [0.9], "l2": [0.95]}, "no interval with 1 repeat"),
    ({"none": [0.9, 0.9, 0.9], "l2": [0.9, 0.9, 0.9]}, "no interval: zero variance"),
    ({"none": [0.9, 0.91], "l2": [0.92, 0.93]}, "no interval: zero variance"),
])
def test_degenerate_inputs_say_no_interval_can_be_given(scores, why):
    rows = compare_to_baseline(scores)
    l2 = rows[1]
    assert l2.verdict == f"n/a: {why}"
    assert math.isnan(l2.diff_low) and math.isnan(l2.diff_high)
    assert not math.isnan(l2.diff)


def test_unpaired_lengths_are_refused():
    with pytest.raises(ValueError, match="a paired comparison needs the same repeats"):
        compare_to_baseline({"none": [0.9, 0.91], "l2": [0.9]})
