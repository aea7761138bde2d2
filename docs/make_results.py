"""Write docs/results.md from a run of the current code.

    python3 docs/make_results.py              # run the study, then write the page
    python3 docs/make_results.py --render-only  # write the page from the last run

The study is the default command, ``python3 -m skreg compare --out
docs/_generated/digits`` (about 2-3 minutes on 2 quiet cores); every number
and figure of the page comes from that folder (``summary.md``,
``summary.csv``, ``results.csv``, ``timing.csv`` and the figures; the
paired-difference figures are redrawn from ``results.csv``), and the
power and run-time table re-summarizes the first 5, 10 and 15 repeats of
the same ``results.csv`` (repeat ``r`` is the same whatever ``--repeats``).
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = "docs/_generated/digits"
COMMAND = ["-m", "skreg", "compare", "--quiet", "--out", OUT]
WORKERS = 2

sys.path.insert(0, str(ROOT))  # this checkout's skreg, as the command uses

from skreg.study.report import read_results, summarize  # noqa: E402

INTRO = """\
# Results of `skreg compare`

<!-- Written by docs/make_results.py from {out}: do not edit by hand. -->

This page is written by `python3 docs/make_results.py`, which runs the
default study with the current code,

    python3 -m skreg compare --out {out}

and builds the page from that folder. {environment}

**What is reproducible.** The same command on the same machine with the
same library versions writes the same `results.csv` and `summary.csv`, byte
for byte, whatever `--n-jobs` or `--scheduler` (tested: the same command
twice, `--n-jobs 1` against `2`, a Dask `LocalCluster` against local
processes). On another CPU or with other numpy, scipy, scikit-learn or numba
versions, floating-point sums may round differently, so the last digits of
the accuracies may move; the verdicts should not (they only change when an
interval ends within that rounding of 0 or of the margin).

On a table of your own (`--dataset csv PATH --target COLUMN`, text and
missing values allowed) every row is fitted in
{{func}}`skreg.make_tabular_pipeline`: see {{doc}}`tabular`, "The study on your
own table".

## How the study decides

- **Repeats.** Each of `--repeats R` (default 15) repeats draws a new
  stratified training set of `--train-size` rows (the other rows, or the
  data set's own test set, test) and new seeds for initialization,
  minibatch order and every stochastic regularizer,
  `numpy.random.SeedSequence(--seed, spawn_key=(r,))`. Every method sees the
  same repeats, so methods are compared *paired*.
- **Tuning.** Each method's strength is chosen by scikit-learn's
  `GridSearchCV` on one stratified 20% validation split of the training
  rows only (`skreg compare --list-methods` lists the grids); the network is
  then refitted on all training rows.
- **Two tables per training-set size.** The supervised rows are compared
  with `--baseline` (default `none`). The semi-supervised rows
  (`semi-supervised`, `self-training`, `vat`, `consistency`: 80% of the
  training labels hidden as -1) are compared with `labeled-only`, the same
  network trained on the same labelled rows of each repeat, so their
  difference measures what the unlabelled rows add, not the lost labels.
  Each table is its own family.
- **Intervals and verdicts** (`scipy.stats`, {{mod}}`skreg.study.stats`).
  For a table of m compared rows, each row's paired t interval of the mean
  difference has confidence 1 - 0.05/m (Bonferroni): all m intervals hold
  together with probability at least 95%, whatever the correlations between
  rows. The interval is rounded outwards to 0.01 points and printed, and the
  verdict is read off the printed interval: `helps`/`hurts` when it excludes
  0, `equivalent` when it lies inside +-1 point (`--margin`; the two
  one-sided tests at the same level), `inconclusive` otherwise. The adjusted
  p-value is min(1, m p); it is below 0.05 exactly when the interval
  excludes 0. Rows whose differences have zero variance (or a single
  repeat) have no interval, are `inconclusive` and still count in m.
- **Power.** MDE is the smallest difference this test (level 0.05/m, two
  sided) detects with 80% power at the current repeats, from the noncentral
  t distribution with the observed standard deviation of the row's paired
  differences; n(0.5) is the number of repeats a 0.5-point difference would
  need. Both are estimates (the standard deviation is estimated from the
  same repeats).
- **Outputs.** `--out DIR` writes `results.csv` (one line per cell, full
  precision), `summary.csv` (one line per training-set size and method:
  `train_size, table, method, baseline, repeats, mean, mean_low, mean_high,
  diff, diff_low, diff_high, level, p, p_adjusted, verdict, margin, mde,
  repeats_for_0.5, ...`, accuracies and differences in points, mean
  intervals clipped to [0, 100]), `timing.csv` (wall and CPU seconds per
  cell), `summary.md` (the tables below) and the figures.
"""

POWER = """\
## Power and run time against the number of repeats

The default run's `results.csv` re-summarized on its first R repeats (the
same cells a run with `--repeats R` computes). MDE: median over the {k}
supervised rows compared with `none`; CPU: the sum of the cells' CPU seconds
(`time.process_time` in each worker, `timing.csv`); the last column divides
it by {workers} workers.

{table}

{cpu_note}

Why 15 repeats by default: at 5 repeats the median MDE is {mde5} points,
larger than most regularizers' effects on this problem, so nearly every row
was undecided; the MDE falls roughly as 1/sqrt(R) (and the t quantile at
level 0.05/m falls too), and at 15 repeats it is {mde15} points, within the
1-point target, while the run stays within 3 minutes on 2 cores. To keep
it there, the three costliest rows are cheaper than in 0.1: bagging's
member count is fixed at 5 rather than tuned (a vote of more members is not
a strength to choose), self-training's threshold grid is 0.75 and 0.9, and
the convolution row's filter counts are 4, 8 and 16 (each of these choices
was the most frequent or the default before). More power costs repeats:
20 repeats would take about 4/3 of the time above.
"""

CPU_NOTE = """\
This run: {wall:.0f} s of wall time for {cells} cells on the machine named
above ({cores} cores; load average {load_before:.1f} before the run, {load_after:.1f}
after it, the run's own 2 workers included), {total:.0f} CPU seconds in the
cells, {per_cell:.2f} s each. Wall time is at least the cells' CPU time
divided by the {cores} workers ({loaded:.0f} s), plus start-up (spawning the
workers, imports, the numba kernels' cache); on a loaded machine it is
longer."""


def run_study(command=COMMAND, out=OUT):
    """Run ``python3 <command>`` from the repository root (the default study
    unless told otherwise) and record its wall time and the machine's load
    in ``run.json`` in ``out``, next to its outputs."""
    print("running:", "python3", *command, file=sys.stderr)
    load_before, start = os.getloadavg()[0], time.perf_counter()
    subprocess.run([sys.executable, *command], cwd=ROOT, check=True)
    run = {"wall_seconds": time.perf_counter() - start,
           "load_before": load_before, "load_after": os.getloadavg()[0]}
    (ROOT / out / "run.json").write_text(json.dumps(run, indent=1) + "\n")


def _cpu(out):
    with open(out / "timing.csv") as f:
        return [(r["method"], int(r["repeat"]), float(r["cpu_seconds"]))
                for r in csv.DictReader(f)]


def _power_rows(results, cpu, n_repeats):
    rows = []
    for r in (5, 10, 15, 20):
        if r > n_repeats:
            break
        tables = summarize([c for c in results if c.repeat < r])[results[0].train_size]
        supervised = [c for c in tables[0].comparisons if c.method != tables[0].baseline]
        mde = statistics.median(100 * c.detectable for c in supervised)
        verdicts = Counter(c.verdict for c in supervised)
        seconds = sum(s for _, rep, s in cpu if rep < r)
        cells = sum(1 for _, rep, _ in cpu if rep < r)
        rows.append((r, cells, seconds, mde, verdicts, len(supervised)))
    return rows


def power_section(out):
    results, cpu = read_results(out / "results.csv"), _cpu(out)
    n_repeats = 1 + max(c.repeat for c in results)
    rows = _power_rows(results, cpu, n_repeats)
    words = ("helps", "hurts", "equivalent", "inconclusive")
    lines = ["| repeats | cells | CPU s | median MDE, points | supervised verdicts "
             "(helps / hurts / equivalent / inconclusive) | CPU s / 2 |",
             "|---|---|---|---|---|---|"]
    for r, cells, seconds, mde, verdicts, _ in rows:
        counts = " / ".join(str(verdicts[w]) for w in words)
        lines.append(f"| {r} | {cells} | {seconds:.0f} | {mde:.2f} | {counts} | "
                     f"{seconds / WORKERS:.0f} |")
    run = json.loads((out / "run.json").read_text())
    total, cells = rows[-1][2], rows[-1][1]
    note = CPU_NOTE.format(wall=run["wall_seconds"], cells=cells, cores=WORKERS,
                           load_before=run["load_before"],
                           load_after=run["load_after"], total=total,
                           per_cell=total / cells, loaded=total / WORKERS)
    mde = {r[0]: f"{r[3]:.2f}" for r in rows}
    return POWER.format(k=rows[0][5], workers=WORKERS, table="\n".join(lines),
                        cpu_note=note, mde5=mde.get(5), mde15=mde.get(15))


def digits_section(out):
    text = (out / "summary.md").read_text()
    body = text.split(environment(out), 1)[1]  # after the command and machine
    body = body.replace("\n### ", "\n#### ").replace("\n## ", "\n### ")
    figures = [f"![{name.replace('_', ' ')}]({OUT.removeprefix('docs/')}/{name}.png)"
               for name in ("paired_differences", "paired_differences_semi_supervised",
                            "loss_curves") if (out / f"{name}.png").exists()]
    return ("## Digits (the default study)\n\n" + verdict_summary(out) + "\n\n"
            + body.strip() + "\n\n" + "\n\n".join(figures) + "\n")


def verdict_summary(out):
    """One sentence per table: the rows of each verdict (from summary.csv)."""
    with open(out / "summary.csv") as f:
        rows = list(csv.DictReader(f))
    lines = []
    for table in dict.fromkeys(r["table"] for r in rows):
        these = [r for r in rows if r["table"] == table and r["verdict"] != "baseline"]
        parts = []
        for word in ("helps", "hurts", "equivalent", "inconclusive"):
            names = [r["method"] for r in these if r["verdict"] == word]
            if names:
                parts.append(f"{word}: {', '.join(names)}")
        baseline = rows[[r["table"] for r in rows].index(table)]["baseline"]
        lines.append(f"- {table} rows against `{baseline}`: " + "; ".join(parts) + ".")
    return "In short (verdicts of the tables below):\n\n" + "\n".join(lines)


def redraw_figures(out):
    """Redraw the paired-difference figures from ``results.csv`` with the
    current code (the loss curves need the run itself)."""
    from skreg.study.figures import save_figures

    results = read_results(out / "results.csv")
    save_figures(out, summarize(results), results)


def environment(out):
    lines = (out / "summary.md").read_text().splitlines()
    return next(line for line in lines if line.startswith("Made on "))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render-only", action="store_true",
                        help="write the page from the existing run")
    parser.add_argument("--out", default=OUT, help=argparse.SUPPRESS)
    parser.add_argument("--page", default=str(ROOT / "docs" / "results.md"),
                        help="where to write the page (default docs/results.md)")
    args = parser.parse_args(argv)
    if not args.render_only:
        run_study()
    out = ROOT / args.out
    redraw_figures(out)
    page = "\n".join([INTRO.format(out=OUT, environment=environment(out)),
                      digits_section(out), power_section(out)])
    Path(args.page).write_text(page)
    print(f"wrote {args.page}", file=sys.stderr)


if __name__ == "__main__":
    main()
