"""skreg.study.stats against scipy.stats, simulations and statistical
properties (numbers only, no training)."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from skreg.study.cells import CellResult
from skreg.study.report import _table
from skreg.study.stats import (compare_to_baseline, detectable_effect, mean_interval,
                               paired_difference, prob_better, repeats_needed,
                               verdict)
from skreg.study.tables import verdict_table

RNG = np.random.default_rng(12345)
A = 0.93 + 0.01 * RNG.standard_normal(8)
B = 0.92 + 0.01 * RNG.standard_normal(8)


def test_mean_interval_is_the_t_interval():
    m, lo, hi = mean_interval(A)
    expected = stats.t.interval(0.95, len(A) - 1, loc=A.mean(), scale=stats.sem(A))
    assert m == pytest.approx(A.mean()) and (lo, hi) == pytest.approx(expected)


def test_paired_interval_equals_ttest_rel():
    d, lo, hi, p = paired_difference(A, B, 0.99)
    res = stats.ttest_rel(A, B)
    ci = res.confidence_interval(0.99)
    assert d == pytest.approx(np.mean(A - B))
    assert (lo, hi, p) == pytest.approx((ci.low, ci.high, res.pvalue))
    # the same interval from the one-sample t interval of the differences
    assert (lo, hi) == pytest.approx(mean_interval(A - B, 0.99)[1:])


def test_mean_intervals_are_clipped_to_the_accuracy_range():
    rows = compare_to_baseline({"none": [0.001, 0.0, 0.02], "l2": [1.0, 0.99, 1.0]})
    assert rows[0].mean_low == 0.0 < rows[0].mean_high
    assert rows[1].mean_high == 1.0 > rows[1].mean_low
    assert mean_interval([0.001, 0.0, 0.02])[1] < 0  # the clip did something


def test_difference_intervals_are_simultaneous_over_every_compared_row():
    """Bonferroni over m = 3 rows (the zero-variance row counts): each
    interval is ttest_rel's at 1 - 0.05 / 3, rounded outwards to 0.01 points,
    and the adjusted p is min(1, 3 p)."""
    scores = {"none": B, "a": A, "b": B + 0.004 * RNG.standard_normal(8),
              "same": B + 0.01}
    rows = {r.method: r for r in compare_to_baseline(scores)}
    assert rows["same"].note == "no interval: zero variance"
    for name in ("a", "b"):
        r = rows[name]
        res = stats.ttest_rel(scores[name], B)
        ci = res.confidence_interval(1 - 0.05 / 3)
        assert r.level == pytest.approx(1 - 0.05 / 3)
        assert ci.low - 1e-4 < r.diff_low <= ci.low
        assert ci.high <= r.diff_high < ci.high + 1e-4
        assert r.p_adjusted == pytest.approx(min(1, 3 * res.pvalue))


@pytest.mark.parametrize("low, high, expected", [
    (0.0001, 0.02, "helps"), (-0.02, -0.0001, "hurts"), (0.0, 0.02, "inconclusive"),
    (-0.0099, 0.0099, "equivalent"), (-0.01, 0.005, "inconclusive"),
    (0.002, 0.005, "helps"), (math.nan, math.nan, "inconclusive")])
def test_verdict_reads_the_interval(low, high, expected):
    assert verdict(low, high, margin=0.01) == expected


NUMBER = r"([+-]\d+\.\d+)"
PRINTED = re.compile(rf"\| {NUMBER} \[{NUMBER}, {NUMBER}\]")


def _study(draw_scores):
    cells = {m: [CellResult(m, 100, r, 0, 0, train_accuracy=1.0, test_accuracy=a,
                            fgsm_accuracy=0.5) for r, a in enumerate(accs)]
             for m, accs in draw_scores.items()}
    return _table("supervised", "none", cells, 0.01, 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 12), st.integers(1, 6), st.integers(0, 2**32 - 1),
       st.floats(0.0, 0.03), st.floats(0.0005, 0.02))
def test_a_verdict_never_contradicts_the_interval_printed_beside_it(
        n, k, seed, effect, sd):
    """Parse the printed table: helps iff its low end > 0, hurts iff its high
    end < 0, equivalent iff it lies inside +-1 point, and helps/hurts imply
    an adjusted p below 0.05."""
    rng = np.random.default_rng(seed)
    base = 0.9 + 0.01 * rng.standard_normal(n)
    scores = {"none": np.round(base, 3)}
    for j in range(k):
        shift = rng.choice([-1, 0, 1]) * effect
        scores[f"m{j}"] = np.round(base + shift + sd * rng.standard_normal(n), 3)
    table = _study(scores)  # with the power columns: they must not matter
    rows = {c.method: c for c in table.comparisons}
    for line in verdict_table(table).splitlines()[3:]:
        method = line.split("|")[1].strip()
        c = rows[method]
        match = PRINTED.search(line)
        if match is None:  # no interval: zero variance
            assert c.note and c.verdict == "inconclusive"
            continue
        low, high = float(match[2]), float(match[3])
        assert (c.verdict == "helps") == (low > 0)
        assert (c.verdict == "hurts") == (high < 0)
        assert (c.verdict == "equivalent") == (-1 < low <= 0 <= high < 1)
        assert f"| {c.verdict} " in line
        if c.verdict in ("helps", "hurts"):
            assert c.p_adjusted < 0.05


def _simulated_power(effect, sd, n, alpha, n_sims=20000, seed=0):
    d = effect + sd * np.random.default_rng(seed).standard_normal((n_sims, n))
    p = stats.ttest_1samp(d, 0.0, axis=1).pvalue
    return float(np.mean(p < alpha))


@pytest.mark.parametrize("n, alpha", [(5, 0.05), (15, 0.05 / 21), (40, 0.01)])
def test_detectable_effect_has_80_percent_power_by_simulation(n, alpha):
    sd = 0.006
    mde = detectable_effect(sd, n, alpha)
    assert _simulated_power(mde, sd, n, alpha) == pytest.approx(0.8, abs=0.015)
    assert _simulated_power(0.8 * mde, sd, n, alpha) < 0.75


def test_repeats_needed_is_the_fewest_with_80_percent_power():
    sd, effect, alpha = 0.006, 0.005, 0.05 / 21
    n = repeats_needed(effect, sd, alpha)
    assert detectable_effect(sd, n, alpha) <= effect < detectable_effect(sd, n - 1, alpha)
    assert _simulated_power(effect, sd, n, alpha) >= 0.785
    assert repeats_needed(effect, 0.0, alpha) is None
    assert repeats_needed(1e-9, sd, alpha) is None  # beyond MAX_REPEATS


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


def test_null_simulation_keeps_the_family_wise_error():
    """Five methods drawn from the baseline's distribution, with the paired
    noise a real study has (a split effect shared by all methods): a 'helps'
    or 'hurts' in any of them happens in at most ~5% of simulated studies
    (Bonferroni; Monte Carlo error of 400 simulations: about 1.1 points)."""
    rng = np.random.default_rng(2021)
    n_sims, wrong = 400, 0
    for _ in range(n_sims):
        split = 0.01 * rng.standard_normal(10)  # shared by all methods
        scores = {"none": 0.92 + split + 0.005 * rng.standard_normal(10)}
        for k in range(5):
            scores[f"m{k}"] = 0.92 + split + 0.005 * rng.standard_normal(10)
        rows = compare_to_baseline(scores, n_resamples=0, power=False)[1:]
        wrong += any(r.verdict in ("helps", "hurts") for r in rows)
    assert wrong / n_sims <= 0.06


def test_equivalence_is_rarely_claimed_at_the_margin_and_found_inside_it():
    """A true difference of exactly one margin is called 'equivalent' in at
    most alpha of the studies (the two one-sided tests' guarantee); a zero
    difference measured precisely is called 'equivalent' almost always."""
    rng = np.random.default_rng(7)
    at_margin = inside = 0
    for _ in range(300):
        base = 0.9 + 0.01 * rng.standard_normal(10)
        scores = {"none": base, "edge": base + 0.01 + 0.006 * rng.standard_normal(10),
                  "zero": base + 0.002 * rng.standard_normal(10)}
        rows = {r.method: r for r in compare_to_baseline(scores, n_resamples=0, power=False)}
        at_margin += rows["edge"].verdict == "equivalent"
        inside += rows["zero"].verdict == "equivalent"
    assert at_margin / 300 <= 0.05 and inside / 300 >= 0.95


def test_a_clear_three_point_effect_is_detected():
    rng = np.random.default_rng(3)
    for _ in range(50):
        split = 0.01 * rng.standard_normal(5)
        scores = {"none": 0.90 + split + 0.003 * rng.standard_normal(5),
                  "better": 0.93 + split + 0.003 * rng.standard_normal(5),
                  "same": 0.90 + split + 0.003 * rng.standard_normal(5),
                  "worse": 0.87 + split + 0.003 * rng.standard_normal(5)}
        verdicts = {r.method: r.verdict
                    for r in compare_to_baseline(scores, n_resamples=0, power=False)}
        assert verdicts["better"] == "helps" and verdicts["worse"] == "hurts"


@pytest.mark.parametrize("scores, why", [
    ({"none": [0.9], "l2": [0.95]}, "no interval with 1 repeat"),
    ({"none": [0.9, 0.9, 0.9], "l2": [0.9, 0.9, 0.9]}, "no interval: zero variance"),
    ({"none": [0.9, 0.91], "l2": [0.92, 0.93]}, "no interval: zero variance"),
])
def test_degenerate_inputs_say_no_interval_can_be_given(scores, why):
    scores = {**scores, "other": np.linspace(0.8, 0.9, len(scores["none"]))}
    rows = compare_to_baseline(scores)
    l2 = rows[1]
    assert l2.verdict == "inconclusive" and l2.note == why
    assert math.isnan(l2.diff_low) and math.isnan(l2.diff_high)
    assert not math.isnan(l2.diff)
    assert rows[2].level == pytest.approx(1 - 0.05 / 2)  # l2 is in the family


def test_unpaired_lengths_are_refused():
    with pytest.raises(ValueError, match="a paired comparison needs the same repeats"):
        compare_to_baseline({"none": [0.9, 0.91], "l2": [0.9]})
