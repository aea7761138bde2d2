"""Markdown tables of bench_tabular.py: accuracy with t intervals, paired
differences against the reference, average ranks and fit times."""

from collections import defaultdict

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


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


def _mean_accuracy(table, models, datasets):
    return np.array([[np.mean([r["accuracy"] for r in table[m, d]])
                      for d in datasets] for m in models])


def _accuracy_table(table, models, datasets, ranks):
    lines = _header("model", [*datasets, "mean", "average rank"])
    means = _mean_accuracy(table, models, datasets)
    for i, model in enumerate(models):
        cells = []
        for dataset in datasets:
            mean, half = _interval([100 * r["accuracy"] for r in table[model, dataset]])
            cells.append(f"{mean:.2f} ± {half:.2f}")
        lines.append(f"| {model} | " + " | ".join(cells)
                     + f" | {100 * means[i].mean():.2f} | {ranks[i]:.2f} |")
    return lines


def _paired_table(table, reference, models, datasets):
    lines = _header("peer", [*datasets, "mean"])
    for peer in models:
        if peer == reference:
            continue
        cells, means = [], []
        for dataset in datasets:
            diff = _per_split(table, reference, peer, dataset,
                              lambda a, b: 100 * (a["accuracy"] - b["accuracy"]))
            mean, half = _interval(diff)
            means.append(mean)
            mark = "" if abs(mean) <= half else (" (+)" if mean > 0 else " (-)")
            cells.append(f"{mean:+.2f} ± {half:.2f}{mark}")
        lines.append(f"| {peer} | " + " | ".join(cells) + f" | {np.mean(means):+.2f} |")
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
           model_order=()):
    """The markdown report of the benchmark rows (only complete models/sets),
    tables and models in the given orders first; CPU times relative to
    ``time_reference`` (default: ``reference``)."""
    time_reference = time_reference or reference
    table = _by(rows)
    present = {r["dataset"] for r in rows}
    datasets = [d for d in order if d in present] + sorted(present - set(order))
    splits = {len(v) for v in table.values()}
    listed = [*model_order, *(r["model"] for r in rows)]
    models = [m for m in dict.fromkeys(listed)
              if all(len(table.get((m, d), ())) == max(splits) for d in datasets)]
    means = _mean_accuracy(table, models, datasets)
    ranks = stats.rankdata(-means, axis=0).mean(axis=1)
    n = max(splits)
    out = [f"Accuracy in % on the test rows (mean ± half-width of the "
           f"{CONFIDENCE:.0%} "
           f"t interval over {n} paired stratified 80/20 splits, drawn with "
           f"random_state={split_seed}; rank 1 = best mean accuracy on a table):", ""]
    out += _accuracy_table(table, models, datasets, ranks)
    if reference in models:
        out += ["", f"Paired differences {reference} minus peer in accuracy points "
                f"(mean ± half-width of the {CONFIDENCE:.0%} t interval over the {n} "
                "splits; (+)/(-): the interval excludes 0):", ""]
        out += _paired_table(table, reference, models, datasets)
    out += ["", "Fit time in seconds, median over the splits: wall clock (CPU "
            "time); and the number of fits that raised a ConvergenceWarning:", ""]
    out += _time_table(table, models, datasets)
    if time_reference in models:
        out += ["", f"CPU time of each fit relative to {time_reference}'s on the same "
                "split (median and largest ratio over the splits):", ""]
        out += _cost_table(table, time_reference, models, datasets)
    return "\n".join(out) + "\n"
