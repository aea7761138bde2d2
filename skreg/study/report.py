"""The study's outputs: results.csv (tidy), timing.csv and the summary table.

``results.csv`` holds one line per method, training-set size and repeat and
nothing that depends on the clock, so the same command with the same seed
writes the same bytes; the seconds of each cell go to ``timing.csv``.
"""

import csv
import math
from collections import Counter

import numpy as np

from .stats import RULE, compare_to_baseline

__all__ = ["COLUMNS", "summarize", "summary_table", "write_results", "write_timing"]

COLUMNS = ("method", "train_size", "repeat", "split_seed", "fit_seed", "strength",
           "train_accuracy", "test_accuracy", "fgsm_accuracy", "zero_weights",
           "epochs", "best_epoch", "stopped", "note")


def write_results(results, path):
    """Write ``results.csv``: one line per cell, floats at full precision."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in results:
            writer.writerow([_csv_value(getattr(r, c)) for c in COLUMNS])


def write_timing(results, path):
    """Write ``timing.csv``: the fit seconds of each cell (wall clock)."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("method", "train_size", "repeat", "seconds"))
        for r in results:
            writer.writerow((r.method, r.train_size, r.repeat, f"{r.seconds:.3f}"))


def _csv_value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    return v


def summarize(results, baseline="none", seed=0):
    """Per training-set size: the statistics of every method that ran.

    Returns
    -------
    dict of size -> (list of Comparison, dict of method -> list of CellResult)
    """
    out = {}
    for size in sorted({r.train_size for r in results}):
        cells = {}
        for r in results:
            if r.train_size == size:
                cells.setdefault(r.method, []).append(r)
        ran = {m: [c.test_accuracy for c in cs] for m, cs in cells.items()
               if not any(c.note for c in cs)}
        comparisons = compare_to_baseline(ran, baseline, seed=seed) \
            if baseline in ran else []
        out[size] = (comparisons, cells)
    return out


def _ci(mean, low, high, scale, fmt):
    if math.isnan(mean):
        return "n/a"
    text = format(scale * mean, fmt)
    if math.isnan(low):
        return text + " (no interval)"
    return f"{text} [{scale * low:{fmt}}, {scale * high:{fmt}}]"


def _strength(cells):
    counts = Counter(c.strength for c in cells)
    value, n = counts.most_common(1)[0]
    return f"{value} ({n}/{len(cells)})" if value else "-"


def _mean(cells, attr):
    return float(np.mean([getattr(c, attr) for c in cells]))


def summary_table(comparisons, cells, baseline="none", eps=0.1):
    """The Markdown table of one training-set size and the rule under it.

    Examples
    --------
    >>> from skreg.study.cells import CellResult
    >>> cells = {m: [CellResult(m, 100, r, 0, 0, train_accuracy=1.0,
    ...          test_accuracy=a, fgsm_accuracy=0.5, epochs=10, best_epoch=10)
    ...          for r, a in enumerate(accs)]
    ...          for m, accs in [("none", [0.90, 0.91]), ("l2", [0.93, 0.95])]}
    >>> from skreg.study.stats import compare_to_baseline
    >>> comps = compare_to_baseline({m: [c.test_accuracy for c in cs]
    ...                              for m, cs in cells.items()})
    >>> print(summary_table(comps, cells))  # doctest: +ELLIPSIS
    | method | strength chosen | test acc % [95% CI] | ...
    |---|---|---|---|---|---|---|---|---|
    | none | - | 90.5 [84.1, 96.9] | baseline | ...
    | l2 | - | 94.0 [81.3, 100.0] | +3.50 [-2.85, +9.85] | 1.00 (all 2 repeats agree) | no detectable difference | ...
    <BLANKLINE>
    verdict: paired t-test ...
    """
    lines = [f"| method | strength chosen | test acc % [95% CI] | vs {baseline}, "
             f"points [95% CI] | P(> {baseline}) [95% CI] | verdict | train-test "
             f"gap | FGSM acc % (eps={eps:g}) | epochs (stopped) |",
             "|---|---|---|---|---|---|---|---|---|"]
    by_name = {c.method: c for c in comparisons}
    for method, cs in cells.items():
        c = by_name.get(method)
        if c is None:
            note = cs[0].note or f"not compared: no {baseline} row"
            lines.append(f"| {method} | {note} |  |  |  |  |  |  |  |")
            continue
        mean = _ci(c.mean, c.mean_low, min(c.mean_high, 1.0), 100, ".1f")
        if method == baseline:
            diff = p_better = "baseline"
        else:
            diff = _ci(c.diff, c.diff_low, c.diff_high, 100, "+.2f")
            p_better = _ci(c.p_better, c.p_better_low, c.p_better_high, 1, ".2f")
            if c.n > 1 and c.p_better in (0.0, 1.0):
                p_better = f"{c.p_better:.2f} (all {c.n} repeats agree)"
        stops = sum(x.stopped for x in cs)
        epochs = f"{_mean(cs, 'epochs'):.0f}"
        epochs += f" ({stops}/{len(cs)})" if stops else ""
        lines.append(
            f"| {method} | {_strength(cs)} | {mean} | {diff} | {p_better} | "
            f"{c.verdict} | {100 * (_mean(cs, 'train_accuracy') - c.mean):+.1f} | "
            f"{100 * _mean(cs, 'fgsm_accuracy'):.1f} | {epochs} |")
    k = sum(c.method != baseline for c in comparisons)
    return "\n".join(lines) + "\n\n" + RULE.format(baseline=baseline, k=k) + "."
