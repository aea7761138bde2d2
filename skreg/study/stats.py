"""Statistics of a paired study, from ``scipy.stats`` only.

For a method ``A`` against a baseline ``B`` over ``R`` paired repeats:

- mean test accuracy with a t interval (``ttest_1samp(...).confidence_interval``);
- the mean paired difference ``A - B`` with the paired t interval
  (``ttest_rel(...).confidence_interval``) and a percentile bootstrap
  interval of the mean difference (``scipy.stats.bootstrap``);
- ``P(A > B)``: the fraction of repeats where ``A`` scores higher (ties count
  one half) with a paired percentile bootstrap interval (Bouthillier et al.
  2021);
- the verdict (``RULE``): paired t-test p-values of the methods compared
  with the baseline, Holm-Bonferroni adjusted over those methods; an
  adjusted p below 0.05 is "helps" or "hurts" by the sign of the mean
  difference, anything else "no detectable difference".

With one repeat, or differences of zero variance, no interval can be given:
the intervals are NaN and the verdict says why.
"""

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["RULE", "Comparison", "compare_to_baseline", "holm", "mean_interval",
           "paired_difference", "prob_better"]

LEVEL = 0.95
ALPHA = 0.05
N_RESAMPLES = 9999
RULE = ("verdict: paired t-test of test accuracy against {baseline} over the "
        "repeats; p-values Holm-Bonferroni adjusted over the {k} methods "
        "compared; 'helps'/'hurts' when the adjusted p < 0.05 (by the sign of "
        "the mean difference), otherwise 'no detectable difference' "
        "(family-wise error <= 5%)")
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


def _bootstrap(data, statistic, level, seed, paired, n_resamples):
    if n_resamples == 0:  # intervals not wanted (e.g. simulations of verdicts)
        return NAN2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap(data, statistic, paired=paired, vectorized=True,
                              confidence_level=level, n_resamples=n_resamples,
                              method="percentile", random_state=seed)
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def bootstrap_difference(a, b, level=LEVEL, seed=0, n_resamples=N_RESAMPLES):
    """Percentile bootstrap interval ``(low, high)`` of the mean of ``a - b``."""
    d = np.asarray(a, float) - np.asarray(b, float)
    if _no_interval(d):
        return NAN2
    return _bootstrap((d,), lambda x, axis: np.mean(x, axis=axis), level, seed,
                      False, n_resamples)


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


def holm(pvalues):
    """Holm-Bonferroni adjusted p-values (NaN stays NaN and is not counted).

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03])
    array([0.03, 0.06, 0.06])
    """
    p = np.asarray(pvalues, float)
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = len(order)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


@dataclass
class Comparison:
    """One method against the baseline: every number of the summary row."""

    method: str
    n: int
    mean: float
    mean_low: float
    mean_high: float
    diff: float
    diff_low: float
    diff_high: float
    boot_low: float
    boot_high: float
    p_better: float
    p_better_low: float
    p_better_high: float
    pvalue: float
    p_adjusted: float = math.nan
    verdict: str = ""


def compare_to_baseline(scores, baseline="none", alpha=ALPHA, seed=0,
                        n_resamples=N_RESAMPLES):
    """A ``Comparison`` per method of ``scores`` (name -> paired array).

    The baseline's own row has no difference; the verdicts follow
    ``RULE`` (they do not depend on the bootstrap's ``n_resamples``).

    Examples
    --------
    >>> rows = compare_to_baseline({"none": [0.90, 0.91, 0.92, 0.90, 0.91],
    ...                             "l2": [0.94, 0.95, 0.95, 0.94, 0.96]})
    >>> [(r.method, r.verdict) for r in rows]
    [('none', 'baseline'), ('l2', 'helps')]
    """
    base = np.asarray(scores[baseline], float)
    rows = []
    for name, values in scores.items():
        x = np.asarray(values, float)
        if len(x) != len(base):
            raise ValueError(f"{name} has {len(x)} repeats, {baseline} {len(base)}: "
                             "a paired comparison needs the same repeats")
        diff = paired_difference(x, base)
        rows.append(Comparison(name, len(x), *mean_interval(x), *diff[:3],
                               *bootstrap_difference(x, base, seed=seed,
                                                     n_resamples=n_resamples),
                               *prob_better(x, base, seed=seed,
                                            n_resamples=n_resamples),
                               diff[3]))
    others = [r for r in rows if r.method != baseline]
    for r, p in zip(others, holm([r.pvalue for r in others])):
        r.p_adjusted = float(p)
        r.verdict = _verdict(r, alpha)
    for r in rows:
        if r.method == baseline:
            r.verdict = "baseline"
    return rows


def _verdict(row, alpha):
    if math.isnan(row.p_adjusted):
        return "n/a: " + ("no interval with 1 repeat" if row.n < 2
                          else "no interval: zero variance")
    if row.p_adjusted < alpha:
        return "helps" if row.diff > 0 else "hurts"
    return "no detectable difference"
