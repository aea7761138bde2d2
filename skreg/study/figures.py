"""The study's figures (matplotlib, imported only here: the ``plot`` extra).

- ``paired_differences.png`` (the key figure; ``..._semi_supervised.png``
  for the semi-supervised table): each method's mean paired difference in
  test accuracy against the baseline with the simultaneous interval its
  verdict is read from, coloured by verdict, the margin shaded;
- ``differences_vs_size.png`` (several training-set sizes): a grid of
  methods by sizes, each cell the difference to the baseline coloured by its
  verdict;
- ``loss_curves.png``: training and validation loss per epoch in repeat 0
  for ``none`` and tuned regularizers, and the early-stopping rows with each
  criterion's best and stop epochs marked.
"""

import numpy as np

__all__ = ["DPI", "save_figures"]

DPI = 150


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


COLORS = {"helps": "tab:green", "hurts": "tab:red", "equivalent": "tab:blue",
          "inconclusive": "0.45"}


def save_figures(out, summaries, results):
    """Write the figures into the folder ``out``; return their paths.

    ``summaries`` is ``skreg.study.report.summarize``'s output: per size, its
    tables (supervised, semi-supervised)."""
    plt = _pyplot()
    paths = []
    names = [t.name for t in next(iter(summaries.values()))]
    for name in names:
        suffix = "" if name == "supervised" else "_semi_supervised"
        paths.append(_paired_differences(plt, out / f"paired_differences{suffix}.png",
                                         summaries, name))
    if len(summaries) > 1:
        paths.append(_differences_vs_size(plt, out, summaries))
    curves = [r for r in results if r.curves and r.train_size == min(summaries)]
    if curves:
        paths.append(_loss_curves(plt, out, curves))
    return paths


def _table_of(summaries, size, name):
    return next((t for t in summaries[size] if t.name == name), None)


def _paired_differences(plt, path, summaries, name):
    sizes = [s for s in sorted(summaries) if _table_of(summaries, s, name)]
    tables = [_table_of(summaries, s, name) for s in sizes]
    n_rows = max(len(t.comparisons) for t in tables)
    height = max(4.0, 2.2 + 0.2 * n_rows)
    fig, axes = plt.subplots(1, len(sizes), figsize=(4.2 * len(sizes) + 2.5, height),
                             sharey=True, squeeze=False)
    for ax, size, table in zip(axes[0], sizes, tables):
        _difference_panel(ax, table, size)
    margin = _margin(tables)
    fig.suptitle(f"Paired difference in test accuracy against {tables[0].baseline}"
                 f"\nsimultaneous (Bonferroni) intervals; +-{margin:g} point margin "
                 "shaded\ngreen helps, red hurts, blue equivalent, grey "
                 "inconclusive", fontsize=9)
    return _save(plt, fig, path)


def _margin(tables):
    return 100 * next((t.margin for t in tables), 0.01)


def _difference_panel(ax, table, size):
    baseline = table.baseline
    rows = [c for c in table.comparisons if c.method != baseline][::-1]
    y = np.arange(len(rows))
    diff = np.array([100 * c.diff for c in rows])
    low = np.array([100 * c.diff_low for c in rows])
    high = np.array([100 * c.diff_high for c in rows])
    colors = [COLORS.get(c.verdict, "0.45") for c in rows]
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
    margin = 100 * table.margin
    ax.axvspan(-margin, margin, color="tab:blue", alpha=0.08, lw=0)
    ax.set_xlim(-limit * 1.05, limit * 1.05)
    ax.axvline(0, color="k", lw=1)
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.text(0, 1, f" {baseline} (baseline)", fontsize=8, va="top",
            transform=ax.get_xaxis_transform())
    ax.set_yticks(y, [c.method for c in rows])
    level = rows[0].level if rows else 0.95
    ax.set_xlabel(f"test accuracy minus {baseline}, points\n"
                  f"({100 * level:.4g}% paired t interval each)")
    n = rows[0].n if rows else 0
    ax.set_title(f"{size} training rows, {n} paired repeats", fontsize=10)
    ax.grid(axis="x", alpha=0.3)


def _axis_limit(diff, low, high):
    """Half-width of the x axis: the intervals of the rows within 6 points of
    0 (rows further off are drawn at the edge with their numbers)."""
    near = np.abs(diff) <= 6
    bounds = np.abs(np.concatenate([low[near], high[near], diff[near]]))
    bounds = bounds[np.isfinite(bounds)]
    return max(1.0, 1.15 * bounds.max()) if bounds.size else 1.0


def _differences_vs_size(plt, out, summaries):
    """One panel per table: a row per method, a column per training-set
    size, the mean difference to the baseline written in each cell and the
    verdict as its colour (readable with any number of methods)."""
    sizes = sorted(summaries)
    names = [t.name for t in summaries[sizes[0]]]
    heights = [len(_table_of(summaries, sizes[0], n).cells) for n in names]
    fig, axes = plt.subplots(len(names), 1, squeeze=False,
                             figsize=(max(8.0, 1.1 * len(sizes) + 3.2),
                                      0.28 * sum(heights) + 2.2),
                             gridspec_kw={"height_ratios": heights})
    for ax, name in zip(axes[:, 0], names):
        tables = [_table_of(summaries, s, name) for s in sizes]
        methods = list(tables[0].cells)
        for j, table in enumerate(tables):
            by_name = {c.method: c for c in (table.comparisons if table else [])}
            for i, method in enumerate(methods):
                c = by_name.get(method)
                text, color = _size_cell(c, table)
                ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, color=color,
                                           alpha=0.25, lw=0))
                ax.text(j, i, text, ha="center", va="center", fontsize=7)
        ax.set_xlim(-0.5, len(sizes) - 0.5)
        ax.set_ylim(len(methods) - 0.5, -0.5)
        ax.set_xticks(range(len(sizes)), [str(s) for s in sizes])
        ax.set_yticks(range(len(methods)), methods, fontsize=8)
        ax.set_title(f"{name} rows: difference to {tables[0].baseline}, points "
                     f"({tables[0].baseline}: its test accuracy)", fontsize=9)
    axes[-1, 0].set_xlabel("training-set size (rows)")
    fig.suptitle("green helps, red hurts, blue equivalent, grey inconclusive\n"
                 "(simultaneous intervals per table and size)", fontsize=9)
    return _save(plt, fig, out / "differences_vs_size.png")


def _size_cell(c, table):
    if c is None:
        return "n/a", "white"
    if c.method == table.baseline:
        return f"{100 * c.mean:.1f}%", "0.8"
    return f"{100 * c.diff:+.2f}", COLORS.get(c.verdict, "0.45")


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
