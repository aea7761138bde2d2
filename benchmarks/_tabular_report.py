"""Markdown tables of bench_tabular.py: accuracy with t intervals, paired
differences against the reference, average ranks and fit times."""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Metric:
    """The score a report is about: the rows' field ``key``, shown times
    ``scale`` with ``digits`` decimals."""

    key: str
    title: str  # of the first table
    name: str  # "best mean {name} on a table"
    points: str  # unit of the paired differences
    scale: float
    digits: int
    splits: str  # what kind of splits


ACCURACY = Metric("accuracy", "Accuracy in % on the test rows", "accuracy",
                  "accuracy points", 100, 2, "stratified 80/20")
R2 = Metric("r2", "R² on the test rows", "R²", "R²", 1, 3, "80/20")


def _by(rows):
    """{(model, dataset): rows sorted by split}."""
    table = defaultdict(list)
    for row in rows:
        table[row["model"], row["dataset"]].append(row)
    return {k: sorted(v, key=lambda r: r["split"]) for k, v in table.items()}


def _interval(values):
    """(mean, half-width of the t interval); half-width 0 without spread."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2 or np.ptp(values) == 0:
        return values.mean(), 0.0
    low, high = stats.ttest_1samp(values, 0).confidence_interval(CONFIDENCE)
    return values.mean(), (high - low) / 2


def _header(first, columns):
    return ["| " + " | ".join([first, *columns]) + " |", "|---" * (len(columns) + 1) + "|"]


def _per_split(table, model, reference, dataset, value):
    """``value(model's row, reference's row)`` for each paired split."""
    return [value(a, b) for a, b in zip(table[model, dataset], table[reference, dataset])]


def _mean_score(table, models, datasets, metric):
    return np.array([[np.mean([r[metric.key] for r in table[m, d]])
                      for d in datasets] for m in models])


def _score_table(table, models, datasets, ranks, metric):
    lines = _header("model", [*datasets, "mean", "average rank"])
    means = metric.scale * _mean_score(table, models, datasets, metric)
    f = f".{metric.digits}f"
    for i, model in enumerate(models):
        cells = []
        for dataset in datasets:
            mean, half = _interval([metric.scale * r[metric.key]
                                    for r in table[model, dataset]])
            cells.append(f"{mean:{f}} ± {half:{f}}")
        lines.append(f"| {model} | " + " | ".join(cells)
                     + f" | {means[i].mean():{f}} | {ranks[i]:.2f} |")
    return lines


def _paired_table(table, reference, models, datasets, metric):
    lines = _header("peer", [*datasets, "mean"])
    f = f".{metric.digits}f"
    for peer in models:
        if peer == reference:
            continue
        cells, means = [], []
        for dataset in datasets:
            diff = _per_split(table, reference, peer, dataset, lambda a, b:
                              metric.scale * (a[metric.key] - b[metric.key]))
            mean, half = _interval(diff)
            means.append(mean)
            mark = "" if abs(mean) <= half else (" (+)" if mean > 0 else " (-)")
            cells.append(f"{mean:+{f}} ± {half:{f}}{mark}")
        lines.append(f"| {peer} | " + " | ".join(cells) + f" | {np.mean(means):+{f}} |")
    return lines


def _time_table(table, models, datasets):
    lines = _header("model", [*datasets, "convergence warnings"])
    for model in models:
        cells = [f"{np.median([r['fit_time'] for r in table[model, d]]):.1f} "
                 f"({np.median([r['cpu_time'] for r in table[model, d]]):.1f})"
                 for d in datasets]
        warned = sum(r["convergence_warnings"] > 0 for d in datasets
                     for r in table[model, d])
        lines.append(f"| {model} | " + " | ".join(cells) + f" | {warned} fits |")
    return lines


def _cost_table(table, reference, models, datasets):
    lines = _header("model", datasets)
    for model in models:
        if model == reference:
            continue
        cells = []
        for dataset in datasets:
            ratio = _per_split(table, model, reference, dataset,
                               lambda a, b: a["cpu_time"] / b["cpu_time"])
            cells.append(f"{np.median(ratio):.1f} (max {np.max(ratio):.1f})")
        lines.append(f"| {model} | " + " | ".join(cells) + " |")
    return lines


def report(rows, reference="skreg", order=(), split_seed=0, time_reference=None,
           model_order=(), metric=ACCURACY):
    """The markdown report of the benchmark rows (only complete models/sets),
    tables and models in the given orders first; CPU times relative to
    ``time_reference`` (default: ``reference``); scores are ``metric``'s."""
    time_reference = time_reference or reference
    table = _by(rows)
    present = {r["dataset"] for r in rows}
    datasets = [d for d in order if d in present] + sorted(present - set(order))
    splits = {len(v) for v in table.values()}
    listed = [*model_order, *(r["model"] for r in rows)]
    models = [m for m in dict.fromkeys(listed)
              if all(len(table.get((m, d), ())) == max(splits) for d in datasets)]
    means = _mean_score(table, models, datasets, metric)
    ranks = stats.rankdata(-means, axis=0).mean(axis=1)
    n = max(splits)
    out = [f"{metric.title} (mean ± half-width of the {CONFIDENCE:.0%} "
           f"t interval over {n} paired {metric.splits} splits, drawn with "
           f"random_state={split_seed}; rank 1 = best mean {metric.name} on a table):",
           ""]
    out += _score_table(table, models, datasets, ranks, metric)
    if reference in models:
        out += ["", f"Paired differences {reference} minus peer in {metric.points} "
                f"(mean ± half-width of the {CONFIDENCE:.0%} t interval over the {n} "
                "splits; (+)/(-): the interval excludes 0):", ""]
        out += _paired_table(table, reference, models, datasets, metric)
    out += ["", "Fit time in seconds, median over the splits: wall clock (CPU "
            "time); and the number of fits that raised a ConvergenceWarning:", ""]
    out += _time_table(table, models, datasets)
    if time_reference in models:
        out += ["", f"CPU time of each fit relative to {time_reference}'s on the same "
                "split (median and largest ratio over the splits):", ""]
        out += _cost_table(table, time_reference, models, datasets)
    return "\n".join(out) + "\n"
