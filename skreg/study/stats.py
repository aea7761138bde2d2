"""Statistics of a paired study, from ``scipy.stats`` only.

For a table of ``m`` methods compared with one baseline over ``R`` paired
repeats (accuracies are fractions here; the report prints points):

- mean test accuracy with its 95% t interval, clipped to [0, 1];
- the mean paired difference ``A - B`` with its *simultaneous* paired t
  interval: each row's interval has confidence ``1 - alpha / m``
  (Bonferroni), so all ``m`` intervals of the table hold together with
  probability at least ``1 - alpha``; the p-value of the paired t-test
  (``ttest_rel``) and its Bonferroni adjustment ``min(1, m p)``;
- the verdict (``verdict``), read off that interval and nothing else, after
  rounding it outwards to the printed precision: ``helps``/``hurts`` when it
  excludes 0 (equivalently, the adjusted p is below ``alpha``),
  ``equivalent`` when it lies inside +-margin (two one-sided tests at the
  adjusted level), else ``inconclusive``;
- the minimum detectable effect (``detectable_effect``): the difference the
  same test detects with 80% power, from the observed standard deviation of
  the paired differences (noncentral t), and the repeats a 0.5-point effect
  needs (``repeats_needed``);
- ``P(A > B)``: the fraction of repeats where ``A`` scores higher (ties count
  one half) with a paired percentile bootstrap interval (Bouthillier et al.
  2021).

With one repeat, or differences of zero variance, no interval can be given:
the interval is NaN, the verdict ``inconclusive`` and ``note`` says why; such
a row still counts in the family ``m``.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

__all__ = ["Comparison", "PRECISION", "compare_to_baseline", "detectable_effect",
           "mean_interval", "paired_difference", "prob_better", "repeats_needed",
           "rule", "verdict"]

LEVEL = 0.95
ALPHA = 0.05
POWER = 0.8
MARGIN = 0.01  # one point of accuracy
TARGET_EFFECT = 0.005  # half a point: the effect whose repeats are reported
PRECISION = 1e-4  # intervals are rounded outwards to 0.01 points
MAX_REPEATS = 100_000
N_RESAMPLES = 9999
NAN2 = (math.nan, math.nan)


def _no_interval(x):
    """Why no interval can be given for the sample ``x``, or None."""
    x = np.asarray(x, float)
    if len(x) < 2:
        return f"no interval with {len(x)} repeat"
    if np.ptp(x) == 0:
        return "no interval: zero variance"
    return None


def mean_interval(x, level=LEVEL):
    """``(mean, low, high)``: the mean of ``x`` and its t interval.

    Examples
    --------
    >>> m, lo, hi = mean_interval([0.90, 0.92, 0.94])
    >>> round(m, 2), lo < m < hi
    (0.92, True)
    >>> mean_interval([0.9])[1:]  # one value: no interval
    (nan, nan)
    """
    x = np.asarray(x, float)
    if _no_interval(x):
        return (float(np.mean(x)) if len(x) else math.nan), *NAN2
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(level)
    return float(np.mean(x)), float(ci.low), float(ci.high)


def paired_difference(a, b, level=LEVEL):
    """``(mean difference, low, high, p-value)`` of the paired t-test a - b.

    Examples
    --------
    >>> d, lo, hi, p = paired_difference([0.93, 0.95, 0.94], [0.90, 0.91, 0.92])
    >>> round(d, 3), lo > 0, p < 0.05
    (0.03, True, True)
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    diff = float(np.mean(a - b)) if len(a) else math.nan
    if _no_interval(a - b):
        return diff, *NAN2, math.nan
    res = stats.ttest_rel(a, b)
    ci = res.confidence_interval(level)
    return diff, float(ci.low), float(ci.high), float(res.pvalue)


def _outwards(low, high):
    """``(low, high)`` rounded outwards to ``PRECISION`` (never narrower)."""
    if math.isnan(low):
        return NAN2
    # the 1e-9 guards values already on the grid against float noise
    lo = math.floor(round(low / PRECISION, 9)) * PRECISION
    hi = math.ceil(round(high / PRECISION, 9)) * PRECISION
    return lo + 0.0, hi + 0.0  # no negative zero


def verdict(low, high, margin=MARGIN):
    """The verdict that the difference interval ``[low, high]`` supports.

    Examples
    --------
    >>> verdict(0.002, 0.02), verdict(-0.03, -0.001), verdict(-0.004, 0.006)
    ('helps', 'hurts', 'equivalent')
    >>> verdict(-0.004, 0.02), verdict(math.nan, math.nan)
    ('inconclusive', 'inconclusive')
    """
    if math.isnan(low) or math.isnan(high):
        return "inconclusive"
    if low > 0:
        return "helps"
    if high < 0:
        return "hurts"
    if -margin < low and high < margin:
        return "equivalent"
    return "inconclusive"


def _power(effect, sd, n, alpha):
    """Power of the two-sided paired t-test at level ``alpha``."""
    df, nc = n - 1, effect * math.sqrt(n) / sd
    crit = stats.t.ppf(1 - alpha / 2, df)
    # the far tail is negligible for effect > 0 (and scipy may return NaN there)
    far = np.nan_to_num(stats.nct.cdf(-crit, df, nc), nan=0.0)
    return float(stats.nct.sf(crit, df, nc) + far)


def detectable_effect(sd, n, alpha=ALPHA, power=POWER):
    """The mean difference the paired t-test at level ``alpha`` (two-sided)
    detects with probability ``power`` over ``n`` repeats whose differences
    have standard deviation ``sd`` (noncentral t); NaN when undefined.

    Examples
    --------
    >>> round(detectable_effect(1.0, 10, 0.05), 2)  # about (2.26 + 0.88) / sqrt(10)
    1.0
    """
    if n < 2 or not sd > 0:
        return math.nan
    crit = stats.t.ppf(1 - alpha / 2, n - 1)
    top = 2 * (crit + 10) * sd / math.sqrt(n)
    return optimize.brentq(lambda e: _power(e, sd, n, alpha) - power, 0.0, top,
                           xtol=1e-12 * sd)


def repeats_needed(effect, sd, alpha=ALPHA, power=POWER):
    """The fewest repeats (>= 2) that detect ``effect`` with ``power``; None
    beyond ``MAX_REPEATS`` or when undefined.

    Examples
    --------
    >>> repeats_needed(1.0, 1.0, 0.05)
    10
    """
    if not sd > 0 or not effect > 0:
        return None
    if _power(effect, sd, MAX_REPEATS, alpha) < power:
        return None
    lo, hi = 1, 2  # power(lo) < power <= power(hi); power grows with n
    while _power(effect, sd, hi, alpha) < power:
        lo, hi = hi, min(2 * hi, MAX_REPEATS)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _power(effect, sd, mid, alpha) >= power else (mid, hi)
    return hi


def _bootstrap(data, statistic, level, seed, paired, n_resamples):
    if n_resamples == 0:  # intervals not wanted (e.g. simulations of verdicts)
        return NAN2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(data, statistic, paired=paired, vectorized=True,
                              confidence_level=level, n_resamples=n_resamples,
                              method="percentile", random_state=seed)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def _wins(a, b, axis=-1):
    return np.mean(0.5 * (np.sign(a - b) + 1), axis=axis)


def prob_better(a, b, level=LEVEL, seed=0, n_resamples=N_RESAMPLES):
    """``(P(A > B), low, high)`` over paired repeats, ties counted 1/2.

    Examples
    --------
    >>> p, lo, hi = prob_better([0.95, 0.96, 0.94, 0.90], [0.93, 0.93, 0.94, 0.91])
    >>> p  # 2 wins, 1 tie, 1 loss
    0.625
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    p = float(_wins(a, b)) if len(a) else math.nan
    if len(a) < 2 or np.ptp(np.sign(a - b)) == 0:
        return p, *NAN2
    return p, *_bootstrap((a, b), _wins, level, seed, True, n_resamples)


@dataclass
class Comparison:
    """One method against the baseline: every number of the summary row
    (accuracies as fractions; ``level`` is the confidence of the difference
    interval, ``1 - alpha / m``)."""

    method: str
    n: int
    mean: float
    mean_low: float
    mean_high: float
    diff: float = math.nan
    diff_low: float = math.nan
    diff_high: float = math.nan
    level: float = math.nan
    pvalue: float = math.nan
    p_adjusted: float = math.nan
    p_better: float = math.nan
    p_better_low: float = math.nan
    p_better_high: float = math.nan
    detectable: float = math.nan
    repeats_for_target: int = None
    verdict: str = "baseline"
    note: str = ""


def _mean_row(name, x):
    m, lo, hi = mean_interval(x)
    return Comparison(name, len(x), m, max(lo, 0.0), min(hi, 1.0))


def compare_to_baseline(scores, baseline="none", alpha=ALPHA, margin=MARGIN,
                        seed=0, n_resamples=N_RESAMPLES, power=True):
    """A ``Comparison`` per method of ``scores`` (name -> paired array).

    Every method but ``baseline`` is in the family ``m``; its difference
    interval has confidence ``1 - alpha / m`` and decides its verdict.
    ``power=False`` skips the detectable effects (simulations of verdicts,
    which do not depend on them, or on the bootstrap's ``n_resamples``).

    Examples
    --------
    >>> rows = compare_to_baseline({"none": [0.90, 0.91, 0.92, 0.90, 0.91],
    ...                             "l2": [0.94, 0.95, 0.95, 0.94, 0.96]})
    >>> [(r.method, r.verdict) for r in rows]
    [('none', 'baseline'), ('l2', 'helps')]
    """
    base = np.asarray(scores[baseline], float)
    m = max(1, len(scores) - 1)
    level = 1 - alpha / m
    rows = []
    for name, values in scores.items():
        x = np.asarray(values, float)
        if len(x) != len(base):
            raise ValueError(f"{name} has {len(x)} repeats, {baseline} {len(base)}: "
                             "a paired comparison needs the same repeats")
        row = _mean_row(name, x)
        if name != baseline:
            _compare(row, x, base, m, alpha, margin, power)
            row.level = level
            row.p_better, row.p_better_low, row.p_better_high = prob_better(
                x, base, seed=seed, n_resamples=n_resamples)
        rows.append(row)
    return rows


def _compare(row, x, base, m, alpha, margin, power):
    """Fill the difference, interval, p-values, verdict and power of ``row``."""
    d, alpha_each = x - base, alpha / m
    row.diff, low, high, row.pvalue = paired_difference(x, base, 1 - alpha_each)
    row.diff_low, row.diff_high = _outwards(low, high)
    row.p_adjusted = row.pvalue if math.isnan(row.pvalue) else min(1.0, m * row.pvalue)
    row.verdict = verdict(row.diff_low, row.diff_high, margin)
    row.note = _no_interval(d) or ""
    if not power:
        return
    sd = float(np.std(d, ddof=1)) if len(d) > 1 else math.nan
    row.detectable = detectable_effect(sd, len(d), alpha_each)
    row.repeats_for_target = repeats_needed(TARGET_EFFECT, sd, alpha_each)


def rule(baseline, m, margin=MARGIN, alpha=ALPHA):
    """The sentence under a table: procedure, family, level and margin."""
    level = 100 * (1 - alpha / max(m, 1))
    return (f"Verdicts: paired t intervals of the difference to {baseline} (in "
            f"points of test accuracy), "
            f"simultaneous over the {m} compared row{'s' if m != 1 else ''} "
            f"(Bonferroni: each at {level:.4g}% confidence, all together at "
            f">= {100 * (1 - alpha):g}%), rounded outwards to 0.01 points; "
            f"'helps'/'hurts' when the interval excludes 0, 'equivalent' when it "
            f"lies inside +-{100 * margin:g} points (the margin; two one-sided "
            f"tests), else 'inconclusive'. p adj. = min(1, {m} p). MDE: the "
            f"difference this test detects with {POWER:.0%} power at these "
            f"repeats (noncentral t, observed SD of the paired differences); "
            f"n(0.5): repeats a {100 * TARGET_EFFECT:g}-point effect needs.")
