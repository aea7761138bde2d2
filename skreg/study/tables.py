"""The study's Markdown tables, narrow enough for a terminal.

Each ``skreg.study.report.Table`` prints as three aligned Markdown tables,
each under ``WIDTH`` columns for the default study: the verdicts
(``verdict_table``) with the rule they follow, accuracy and robustness
(``robustness_table``), and what tuning chose and the epochs run
(``training_table``).
"""

import math
import textwrap
from collections import Counter

import numpy as np

from .stats import MARGIN, rule

__all__ = ["WIDTH", "format_table", "markdown", "robustness_table", "training_table",
           "verdict_table"]

WIDTH = 100  # the widest line a table should print for the default study


def markdown(header, rows):
    """An aligned Markdown table (valid Markdown, readable as plain text).

    Examples
    --------
    >>> print(markdown(["a", "bb"], [["xyz", "1"]]))
    | a   | bb |
    |-----|----|
    | xyz | 1  |
    """
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "| " + " | ".join(f"{c!s:{w}}" for c, w in zip(cells, widths)) + " |"
    rule_line = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), rule_line, *map(line, rows)])


def _interval(mean, low, high, fmt, scale=100):
    if math.isnan(mean):
        return "n/a"
    if math.isnan(low):
        return format(scale * mean, fmt)
    return f"{scale * mean:{fmt}} [{scale * low:{fmt}}, {scale * high:{fmt}}]"


def _p(p):
    if math.isnan(p):
        return "n/a"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _needed(c):
    if c.verdict != "inconclusive" or math.isnan(c.detectable):
        return ""
    return f"~{c.repeats_for_target}" if c.repeats_for_target else ">100000"


def _verdict_cells(c, baseline):
    acc = "n/a" if math.isnan(c.mean) else f"{100 * c.mean:.1f}"
    if c.method == baseline:
        return [c.method, acc, "baseline", "", "baseline", "", ""]
    diff = _interval(c.diff, c.diff_low, c.diff_high, "+.2f")
    if c.note:
        diff += f" ({c.note.removeprefix('no interval').strip(': ')})"
    mde = "" if math.isnan(c.detectable) else f"{100 * c.detectable:.2f}"
    return [c.method, acc, diff, _p(c.p_adjusted), c.verdict, mde, _needed(c)]


def _level(table):
    levels = {c.level for c in table.comparisons if not math.isnan(c.level)}
    return f"{100 * levels.pop():.4g}% CI" if len(levels) == 1 else "CI"


def _rows(table, cells_of, missing=True):
    """One row per method of ``table``: ``cells_of(comparison, cells)``, or
    (``missing``) the note of a row that was not compared."""
    by_name = {c.method: c for c in table.comparisons}
    rows = []
    for method, cells in table.cells.items():
        c = by_name.get(method)
        if c is not None:
            rows.append(cells_of(c, cells))
        elif missing:
            rows.append([method, cells[0].note
                         or f"not compared: no {table.baseline} row"])
    return rows


def _pad(rows, n):
    return [r + [""] * (n - len(r)) for r in rows]


def verdict_table(table):
    """Mean accuracy, the difference to the baseline with the simultaneous
    interval its verdict is read from, the adjusted p, the verdict, the
    minimum detectable effect and the repeats a 0.5-point effect needs."""
    header = ["method", "acc %", f"vs {table.baseline} [{_level(table)}]",
              "p adj.", "verdict", "MDE", "n(0.5)"]
    rows = _rows(table, lambda c, _: _verdict_cells(c, table.baseline))
    return markdown(header, _pad(rows, len(header)))


def _strength(cells):
    value, n = Counter(c.strength for c in cells).most_common(1)[0]
    name, _, shown = value.partition("=")
    if not shown[:1].isupper():  # keep the name unless the value names itself
        shown = value
    return f"{shown} ({n}/{len(cells)})" if value else "-"


def _mean(cells, attr):
    return float(np.mean([getattr(c, attr) for c in cells]))


def _robustness_cells(c, cells, baseline):
    if c.method == baseline:
        better = "baseline"
    elif c.n > 1 and c.p_better in (0.0, 1.0):
        better = f"{c.p_better:.2f} (all agree)"
    else:
        better = _interval(c.p_better, c.p_better_low, c.p_better_high, ".2f", 1)
    return [c.method, _interval(c.mean, c.mean_low, c.mean_high, ".1f"), better,
            f"{100 * (_mean(cells, 'train_accuracy') - c.mean):+.1f}",
            f"{100 * _mean(cells, 'fgsm_accuracy'):.1f}"]


def robustness_table(table, eps=0.1):
    """Test accuracy with its 95% interval, P(row > baseline), the
    train-test gap and the accuracy under FGSM of each row that ran."""
    header = ["method", "acc % [95% CI]", "P(better) [95% CI]", "train-test",
              f"FGSM % (eps {eps:g})"]
    return markdown(header, _rows(table, lambda c, cells: _robustness_cells(
        c, cells, table.baseline), missing=False))


def training_table(table):
    """The strength tuning chose most often and the epochs run."""
    def cells_of(c, cells):
        stops = sum(x.stopped for x in cells)
        epochs = f"{_mean(cells, 'epochs'):.0f}"
        return [c.method, _strength(cells),
                epochs + (f" ({stops}/{len(cells)})" if stops else "")]
    return markdown(["method", "strength chosen (repeats)", "epochs (stopped)"],
                    _rows(table, cells_of, missing=False))


TITLES = {"supervised": "Supervised rows against {baseline}",
          "semi-supervised": "Semi-supervised rows against {baseline} (80% of the "
                             "labels hidden; the same labelled rows)"}


def format_table(table, eps=0.1, margin=MARGIN):
    """Both tables of ``table`` with a title and the rule of its verdicts.

    Examples
    --------
    >>> from skreg.study.cells import CellResult
    >>> from skreg.study.report import _table
    >>> cells = {m: [CellResult(m, 100, r, 0, 0, train_accuracy=1.0,
    ...          test_accuracy=a, fgsm_accuracy=0.5, epochs=10, best_epoch=10)
    ...          for r, a in enumerate(accs)]
    ...          for m, accs in [("none", [0.90, 0.91, 0.90]),
    ...                          ("l2", [0.93, 0.95, 0.94])]}
    >>> print(format_table(_table("supervised", "none", cells, 0.01, 0)))
    ... # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    ### Supervised rows against none
    <BLANKLINE>
    | method | acc % | vs none [95% CI]     | p adj. | verdict  | MDE  | n(0.5) |
    |---...
    | none   | 90.3  | baseline             |        | baseline |      |        |
    | l2     | 94.0  | +3.67 [+2.23, +5.11] | 0.008  | helps    | 1.88 |        |
    <BLANKLINE>
    Verdicts: paired t intervals of the difference to none ...
    <BLANKLINE>
    | method | acc % [95% CI]    | P(better) [95% CI] | train-test | FGSM % (eps 0.1) |
    |---...
    | l2     | 94.0 [91.5, 96.5] | 1.00 (all agree)   | +6.0       | 50.0             |
    ...
    """
    title = TITLES.get(table.name, "{baseline}").format(baseline=table.baseline)
    note = "\n".join(textwrap.wrap(rule(table.baseline, table.family, margin), 88))
    legend = "\n".join(textwrap.wrap(
        f"P(better): the fraction of repeats in which the row beats "
        f"{table.baseline} (ties count 1/2; percentile bootstrap interval). "
        f"train-test: training minus test accuracy, points. FGSM: test accuracy "
        f"under the fast gradient sign attack of size {eps:g}.", 88))
    return (f"### {title}\n\n{verdict_table(table)}\n\n{note}\n\n"
            f"{robustness_table(table, eps)}\n\n{legend}\n\n"
            f"{training_table(table)}")
