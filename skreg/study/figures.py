"""The study's figures (matplotlib, imported only here: the ``plot`` extra).

- ``paired_differences.png`` (the key figure): each method's mean paired
  difference in test accuracy against the baseline with its 95% t interval;
- ``accuracy_vs_size.png`` (several training-set sizes): mean test accuracy
  against the training-set size with 95% t bands;
- ``loss_curves.png``: training and validation loss per epoch in repeat 0
  for ``none`` and tuned regularizers, and the early-stopping rows with each
  criterion's best and stop epochs marked.
"""

import math

import numpy as np

from .stats import mean_interval

__all__ = ["DPI", "save_figures"]

DPI = 150


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figures(out, summaries, results, baseline="none"):
    """Write the figures into the folder ``out``; return their paths."""
    plt = _pyplot()
    paths = [_paired_differences(plt, out, summaries, baseline)]
    if len(summaries) > 1:
        paths.append(_accuracy_vs_size(plt, out, summaries))
    curves = [r for r in results if r.curves and r.train_size == min(summaries)]
    if curves:
        paths.append(_loss_curves(plt, out, curves))
    return paths


def _paired_differences(plt, out, summaries, baseline):
    sizes = sorted(summaries)
    n_rows = max(len(summaries[s][0]) for s in sizes)
    height = max(4.0, 2.2 + 0.17 * n_rows)  # 6.8 in for the default 27 methods
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes) + 2.5, height),
                             sharey=True, squeeze=False)
    for ax, size in zip(axes[0], sizes):
        rows = [c for c in summaries[size][0] if c.method != baseline][::-1]
        y = np.arange(len(rows))
        diff = np.array([100 * c.diff for c in rows])
        low = np.array([100 * c.diff_low for c in rows])
        high = np.array([100 * c.diff_high for c in rows])
        colors = [{"helps": "tab:green", "hurts": "tab:red"}.get(c.verdict, "0.35")
                  for c in rows]
        limit = _axis_limit(diff, low, high)
        for yi, d, lo, hi, color in zip(y, diff, low, high, colors):
            if abs(d) > limit:  # far off: a labelled marker at the edge
                edge = np.sign(d) * limit
                ax.plot(edge, yi, "<" if d < 0 else ">", color=color, ms=7)
                ax.annotate(f"{d:+.1f} [{lo:+.1f}, {hi:+.1f}]", (edge, yi),
                            xytext=(8 if d < 0 else -8, 0), textcoords="offset points",
                            ha="left" if d < 0 else "right", va="center",
                            fontsize=7, color=color)
                continue
            err = np.nan_to_num([[d - lo], [hi - d]])
            ax.errorbar(d, yi, xerr=err, fmt="o", ms=4, color=color, capsize=3)
        ax.set_xlim(-limit * 1.05, limit * 1.05)
        ax.axvline(0, color="k", lw=1)
        ax.set_ylim(-0.6, len(rows) - 0.2)
        ax.text(0, 1, f" {baseline} (baseline)", fontsize=8, va="top",
                transform=ax.get_xaxis_transform())
        ax.set_yticks(y, [c.method for c in rows])
        ax.set_xlabel(f"test accuracy minus {baseline}, points\n(95% paired t "
                      "interval, unadjusted)")
        n = rows[0].n if rows else 0
        ax.set_title(f"{size} training rows, {n} paired repeats", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Paired difference in test accuracy against the baseline\n"
                 "green: helps, red: hurts, grey: no detectable difference "
                 "(Holm-corrected paired t-tests)", fontsize=9)
    return _save(plt, fig, out / "paired_differences.png")


def _axis_limit(diff, low, high):
    """Half-width of the x axis: the intervals of the rows within 6 points of
    0 (rows further off are drawn at the edge with their numbers)."""
    near = np.abs(diff) <= 6
    bounds = np.abs(np.concatenate([low[near], high[near], diff[near]]))
    bounds = bounds[np.isfinite(bounds)]
    return max(1.0, 1.15 * bounds.max()) if bounds.size else 1.0


def _accuracy_vs_size(plt, out, summaries):
    sizes = sorted(summaries)
    fig, ax = plt.subplots(figsize=(7.5, 5))
    methods = [c.method for c in summaries[sizes[0]][0]]
    for method in methods:
        stats = [_method_interval(summaries[s][1].get(method)) for s in sizes]
        mean, low, high = (np.array(v) for v in zip(*stats))
        line, = ax.plot(sizes, 100 * mean, marker="o", ms=3, label=method,
                        lw=2 if method == "none" else 1)
        ax.fill_between(sizes, 100 * low, 100 * np.minimum(high, 1), alpha=0.12,
                        color=line.get_color())
    ax.set_xscale("log")
    ax.minorticks_off()
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.set_ylim(top=100)
    ax.set_xlabel("training-set size (rows)")
    ax.set_ylabel("test accuracy % (mean, 95% t band)")
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    return _save(plt, fig, out / "accuracy_vs_size.png")


def _method_interval(cells):
    if not cells or any(c.note for c in cells):
        return math.nan, math.nan, math.nan
    m, lo, hi = mean_interval([c.test_accuracy for c in cells])
    return (m, m, m) if math.isnan(lo) else (m, lo, hi)


def _loss_curves(plt, out, curves):
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for r in curves:
        if r.method.startswith("early-"):
            continue
        label = f"{r.method} ({r.strength})" if r.strength else r.method
        line, = left.plot(np.arange(1, len(r.curves["validation"]) + 1),
                          r.curves["validation"], label=label,
                          lw=2 if r.method == "none" else 1)
        left.plot(np.arange(1, len(r.curves["train"]) + 1), r.curves["train"],
                  ls="--", lw=0.8, color=line.get_color())
    left.set_title("repeat 0: validation loss (solid) and training objective "
                   "(dashed)",
                   fontsize=9)
    for r in curves:
        if not r.method.startswith("early-"):
            continue
        v = np.asarray(r.curves["validation"])
        line, = right.plot(np.arange(1, len(v) + 1), v, lw=1, label=r.method)
        best, stop = r.curves["best"], r.curves["stop"]
        right.plot(best, v[best - 1], "o", color=line.get_color(), ms=5)
        if stop is not None:
            right.plot(stop, v[min(stop, len(v)) - 1], "x", color=line.get_color(),
                       ms=9, mew=2)
    right.set_title("early stopping, repeat 0: validation loss;\n"
                    "o best epoch, x stop (no x: ran the whole budget)", fontsize=9)
    for ax in (left, right):
        ax.set_xlabel("epoch")
        ax.set_ylabel("cross-entropy")
        ax.set_yscale("log")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
        ax.grid(alpha=0.3)
    return _save(plt, fig, out / "loss_curves.png")


def _save(plt, fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
