"""The comparison plots of a study (``skreg compare``), drawn from its
results: the ``results.csv`` it wrote or the ``CellResult`` list of
:func:`skreg.study.runner.run_study`. No fitted estimator is needed.
"""

import csv
import math
import os
from pathlib import Path

import numpy as np

from ._mpl import _axes

#: what each plotted column of a study's results is called on the axis
METRICS = {"test_accuracy": "test accuracy", "train_accuracy": "training accuracy",
           "fgsm_accuracy": "accuracy under FGSM", "gap": "train-test gap"}


class Display:
    """What :func:`plot_accuracy_bars` drew.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    **artists : dict
        Further attributes (names ending in ``_``), set as given.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    """

    def __init__(self, ax, **artists):
        self.ax_ = ax
        self.figure_ = ax.figure
        for name, value in artists.items():
            setattr(self, name, value)

    def savefig(self, path, **kwargs):
        """Save the figure with :meth:`matplotlib.figure.Figure.savefig`.

        Parameters
        ----------
        path : str or path-like
            File to write.
        **kwargs : dict
            Passed to :meth:`~matplotlib.figure.Figure.savefig`.

        Returns
        -------
        path : str or path-like
            ``path``.
        """
        self.figure_.savefig(path, **kwargs)
        return path


def _read_results(path):
    """The ``CellResult`` list of a study's ``results.csv``, after checking
    the file is one (``skreg.study.report.read_results`` parses it)."""
    from .study.data import existing_file
    from .study.report import read_results

    path = existing_file(path)
    with open(path, newline="") as f:
        header = next(csv.reader(f), [])
    missing = {"method", "train_size", "test_accuracy"} - set(header)
    if missing:
        raise ValueError(f"{path}: not a study's results.csv (no column "
                         f"{', '.join(sorted(missing))})")
    return read_results(path)


def _value(cell, metric):
    if metric == "gap":
        return cell.gap
    return getattr(cell, metric)


def _as_cells(results):
    """The ``CellResult`` list of a path or of ``run_study``'s results."""
    if isinstance(results, (str, os.PathLike)):
        return _read_results(results)
    return list(results)


def _study_values(results, metric="test_accuracy", train_size=None):
    """Per method, the values of ``metric`` over the repeats of one size.

    Cells with a note (skipped or failed) are left out.

    Parameters
    ----------
    results : str, path-like or list of CellResult
        A study's ``results.csv`` or the results of ``run_study``.
    metric : {"test_accuracy", "train_accuracy", "fgsm_accuracy", "gap"}
        The column (``gap``: training minus test accuracy).
    train_size : int, default=None
        The training-set size; None when the study ran a single one.

    Returns
    -------
    values : dict of str to ndarray
        In the order the methods first appear.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    cells = _as_cells(results)
    sizes = sorted({c.train_size for c in cells})
    if train_size is None and len(sizes) > 1:
        raise ValueError(f"the study ran training-set sizes {sizes}; pass "
                         "train_size= to choose one")
    size = sizes[0] if train_size is None and sizes else train_size
    if size not in sizes:
        raise ValueError(f"no results for train_size={train_size}; the study ran "
                         f"{sizes}")
    values = {}
    for c in cells:
        if c.train_size == size and not c.note:
            values.setdefault(c.method, []).append(_value(c, metric))
    return {m: np.asarray(v, float) for m, v in values.items()}


def _bar_data(results, metric, train_size):
    """``{method: (mean, low, high)}``; no interval for a plain dict."""
    from .study.stats import mean_interval

    if hasattr(results, "items"):
        return {k: (float(v), math.nan, math.nan) for k, v in results.items()
                if v is not None and np.isfinite(v)}
    out = {m: mean_interval(v) for m, v in
           _study_values(results, metric, train_size).items()}
    return {m: s for m, s in out.items() if np.isfinite(s[0])}


def plot_accuracy_bars(results, ax=None, baseline=None, *, metric="test_accuracy",
                       train_size=None):
    """Mean accuracy per method of a study as horizontal bars with 95% intervals.

    Parameters
    ----------
    results : str, path-like, list of CellResult or dict of str to float
        A study's ``results.csv`` (``skreg compare --out DIR``), the results
        of :func:`skreg.study.runner.run_study`, or one value per method
        (drawn without interval). Skipped, failed and NaN entries are left out.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    baseline : str, default=None
        A method whose mean is drawn as a dashed vertical line.
    metric : {"test_accuracy", "train_accuracy", "fgsm_accuracy", "gap"}, \
default="test_accuracy"
        The column of the study's results drawn.
    train_size : int, default=None
        The training-set size shown; needed when the study ran several.

    Returns
    -------
    display : Display
        With ``bars_`` (a BarContainer), ``accuracies_`` (method to mean)
        and ``intervals_`` (method to its 95% t interval over the repeats,
        clipped to [0, 1] for accuracies; NaN without one).

    Examples
    --------
    >>> from skreg.plotting import plot_accuracy_bars
    >>> disp = plot_accuracy_bars({"none": 0.96, "l2": 0.97, "bagging": float("nan")})
    >>> len(disp.bars_), list(disp.accuracies_)
    (2, ['none', 'l2'])
    """
    data = _bar_data(results, metric, train_size)
    means = {m: s[0] for m, s in data.items()}
    low, high = (np.array([s[i] for s in data.values()]) for i in (1, 2))
    if metric != "gap":
        low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
    mean = np.array(list(means.values()))
    ax = _axes(ax, figsize=(6.0, 0.3 * len(means) + 1.2))
    has_ci = bool(np.isfinite(low).any())
    err = np.nan_to_num(np.array([mean - low, high - mean])) if has_ci else None
    bars = ax.barh(list(means), mean, xerr=err, color="tab:blue",
                   error_kw=dict(ecolor="k", capsize=2, lw=1))
    ax.invert_yaxis()
    ax.bar_label(bars, fmt="%.3f", padding=2, fontsize=8)
    if metric != "gap":
        ax.set_xlim(max(0.0, min(np.nanmin(low, initial=1.0), mean.min(initial=1.0))
                        - 0.1), 1.08)
    if baseline in means:
        ax.axvline(means[baseline], color="gray", linestyle="--", linewidth=1)
    ax.set(xlabel=METRICS[metric] + (" (mean, 95% t interval)" if has_ci else ""),
           title=f"{METRICS[metric]} per method")
    return Display(ax, bars_=bars, accuracies_=means,
                   intervals_={m: (lo, hi) for m, lo, hi in zip(means, low, high)})


def save_comparison_plots(out, results, baseline="none"):
    """Write the comparison plots of a study as PNG files, one per size.

    ``comparison_<size>.png`` holds three panels with the methods side by
    side: test accuracy, accuracy under the FGSM attack and the train-test
    gap, each the mean over the repeats with its 95% t interval.

    Parameters
    ----------
    out : str or path-like
        Existing folder.
    results : str, path-like or list of CellResult
        A study's ``results.csv`` or the results of ``run_study``.
    baseline : str, default="none"
        The method marked with a dashed line in each panel.

    Returns
    -------
    paths : list of pathlib.Path
        The files written.
    """
    from matplotlib.figure import Figure

    cells = _as_cells(results)
    paths = []
    for size in sorted({c.train_size for c in cells}):
        n = len({c.method for c in cells if c.train_size == size})
        fig = Figure(figsize=(15.0, 0.3 * n + 1.6), layout="constrained")
        for ax, metric in zip(fig.subplots(1, 3),
                              ("test_accuracy", "fgsm_accuracy", "gap")):
            plot_accuracy_bars(cells, ax=ax, baseline=baseline, metric=metric,
                               train_size=size)
        fig.suptitle(f"{size} training rows")
        paths.append(Path(out) / f"comparison_{size}.png")
        fig.savefig(paths[-1], dpi=80)
    return paths
