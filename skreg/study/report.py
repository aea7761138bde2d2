"""The study's outputs: results.csv (tidy), timing.csv and the summaries.

``results.csv`` holds one line per method, training-set size and repeat and
nothing that depends on the clock, so the same command with the same seed
writes the same bytes; the seconds of each cell go to ``timing.csv``.
``summarize`` splits each training-set size into its tables (supervised rows
against ``--baseline``; semi-supervised rows against ``labeled-only``), and
``write_summary_csv`` writes one line per (training-set size, method).
"""

import csv
import math
from dataclasses import dataclass

import numpy as np

from .methods import METHODS
from .stats import MARGIN, compare_to_baseline

__all__ = ["COLUMNS", "SEMI_BASELINE", "SUMMARY_COLUMNS", "Table",
           "is_semi_supervised", "read_results", "summarize", "summary_rows",
           "write_results",
           "write_summary_csv", "write_timing"]

COLUMNS = ("method", "train_size", "repeat", "split_seed", "fit_seed", "strength",
           "train_accuracy", "test_accuracy", "fgsm_accuracy", "zero_weights",
           "epochs", "best_epoch", "stopped", "note")
SEMI_BASELINE = "labeled-only"
SUMMARY_COLUMNS = (
    "train_size", "table", "method", "baseline", "repeats", "mean", "mean_low",
    "mean_high", "diff", "diff_low", "diff_high", "level", "p", "p_adjusted",
    "verdict", "margin", "mde", "repeats_for_0.5", "p_better", "p_better_low",
    "p_better_high", "train_test_gap", "fgsm_accuracy", "note")


def write_results(results, path):
    """Write ``results.csv``: one line per cell, floats at full precision."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for r in results:
            writer.writerow([_csv_value(getattr(r, c)) for c in COLUMNS])


def read_results(path):
    """The ``CellResult`` list of a ``results.csv`` (``write_results``'s
    inverse, timing and curves aside).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from skreg.study.cells import CellResult
    >>> cells = [CellResult("l2", 50, 0, 1, 2, "alpha=0.1", 1.0, 0.9, 0.5, 0.0,
    ...                     10, 8, True)]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "results.csv"
    >>> write_results(cells, path)
    >>> read_results(path) == cells
    True
    """
    from .cells import CellResult

    types = {"train_size": int, "repeat": int, "split_seed": int, "fit_seed": int,
             "epochs": int, "best_epoch": int, "stopped": lambda v: v == "1",
             "strength": str, "note": str, "method": str}
    with open(path, newline="") as f:
        return [CellResult(**{k: types.get(k, _float)(v) for k, v in row.items()})
                for row in csv.DictReader(f)]


def _float(text):
    return float(text) if text else math.nan


def write_timing(results, path):
    """Write ``timing.csv``: per cell, the wall seconds of its tuning and fit
    and the CPU seconds of the whole cell (``time.process_time`` of its
    worker, one BLAS thread)."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(("method", "train_size", "repeat", "seconds", "cpu_seconds"))
        for r in results:
            writer.writerow((r.method, r.train_size, r.repeat, f"{r.seconds:.3f}",
                             f"{r.cpu_seconds:.3f}"))


def _csv_value(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    return "" if v is None else v


def is_semi_supervised(method):
    """Whether ``method`` trains with hidden labels (its table's baseline is
    ``labeled-only``); unknown names count as supervised."""
    m = METHODS.get(method)
    return m is not None and m.needs_unlabeled


@dataclass
class Table:
    """One table of a training-set size: its rows against one baseline.

    ``comparisons`` are the rows that ran (``skreg.study.stats.Comparison``);
    ``cells`` maps every method of the table to its ``CellResult`` list.
    """

    name: str
    baseline: str
    comparisons: list
    cells: dict
    margin: float = MARGIN

    @property
    def family(self):
        """The number of rows compared with the baseline."""
        return sum(c.method != self.baseline for c in self.comparisons)


def _table(name, baseline, cells, margin, seed):
    ran = {m: [c.test_accuracy for c in cs] for m, cs in cells.items()
           if not any(c.note for c in cs)}
    comparisons = compare_to_baseline(ran, baseline, margin=margin, seed=seed) \
        if baseline in ran else []
    return Table(name, baseline, comparisons, cells, margin)


def summarize(results, baseline="none", margin=MARGIN, seed=0):
    """Per training-set size, its tables (supervised, then semi-supervised
    when such rows ran; each table is its own family).

    Returns
    -------
    dict of size -> list of Table
    """
    out = {}
    for size in sorted({r.train_size for r in results}):
        blocks = {"supervised": {}, "semi-supervised": {}}
        for r in results:
            if r.train_size == size:
                block = blocks["semi-supervised" if is_semi_supervised(r.method)
                               else "supervised"]
                block.setdefault(r.method, []).append(r)
        out[size] = [_table(name, base, cells, margin, seed)
                     for (name, cells), base in zip(blocks.items(),
                                                    (baseline, SEMI_BASELINE))
                     if cells]
    return out


def _points(x, digits=None):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    return repr(100 * x if digits is None else round(100 * x, digits))


def _mean_of(cells, attr):
    return float(np.mean([getattr(c, attr) for c in cells]))


def summary_rows(size, table, margin=MARGIN):
    """The ``summary.csv`` lines (dicts of ``SUMMARY_COLUMNS``) of a table."""
    by_name = {c.method: c for c in table.comparisons}
    for method, cells in table.cells.items():
        c = by_name.get(method)
        row = dict.fromkeys(SUMMARY_COLUMNS, "")
        row.update(train_size=size, table=table.name, method=method,
                   baseline=table.baseline, repeats=len(cells), margin=100 * margin)
        if c is None:
            row["note"] = cells[0].note or f"not compared: no {table.baseline} row"
            yield row
            continue
        row.update(mean=_points(c.mean), mean_low=_points(c.mean_low),
                   mean_high=_points(c.mean_high), verdict=c.verdict, note=c.note,
                   train_test_gap=_points(_mean_of(cells, "train_accuracy") - c.mean),
                   fgsm_accuracy=_points(_mean_of(cells, "fgsm_accuracy")))
        if method != table.baseline:
            row.update(diff=_points(c.diff), diff_low=_points(c.diff_low, 2),
                       diff_high=_points(c.diff_high, 2), level=repr(c.level),
                       p=_csv_value(c.pvalue), p_adjusted=_csv_value(c.p_adjusted),
                       mde=_points(c.detectable), p_better=_csv_value(c.p_better),
                       p_better_low=_csv_value(c.p_better_low),
                       p_better_high=_csv_value(c.p_better_high))
            row["repeats_for_0.5"] = _csv_value(c.repeats_for_target)
        yield row


def write_summary_csv(summaries, path, margin=MARGIN):
    """Write ``summary.csv``: one line per (training-set size, method),
    accuracies and differences in percentage points."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, SUMMARY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for size, tables in summaries.items():
            for table in tables:
                writer.writerows(summary_rows(size, table, margin))
