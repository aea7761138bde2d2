"""One study as the command line runs it: settings, run, text and files."""

import importlib.util
import shlex
import sys
import time

from .. import __version__, _kernels
from .report import summarize, summary_table, write_results, write_timing
from .runner import Progress, run_study, warm_up

__all__ = ["Study", "format_tables", "numba_state"]

FIXED = "fixed strengths"
TUNED = "strengths tuned on a 20% validation split of the training rows"


def numba_state():
    """``"on"`` when skreg's numba kernels are used, else ``"off"``."""
    on = _kernels.ENABLED and importlib.util.find_spec("numba") is not None
    return "on" if on else "off"


def format_tables(results, baseline="none", eps=0.1, seed=0):
    """The summary table of every training-set size, each with its rule."""
    parts = []
    for size, (comparisons, cells) in summarize(results, baseline, seed).items():
        n = max((len(c) for c in cells.values()), default=0)
        parts.append(f"## {size} training rows, {n} paired repeat"
                     f"{'s' if n != 1 else ''}\n\n"
                     + summary_table(comparisons, cells, baseline, eps))
    return "\n\n".join(parts)


class Study:
    """The ``compare`` command's study: ``run``, then ``text`` and ``write``."""

    def __init__(self, pool, methods, sizes, args, argv):
        self.pool, self.methods, self.sizes = pool, methods, sizes
        self.args, self.argv, self.results = args, argv, []

    def run(self):
        """Warm up the kernels, run every cell; return the start time."""
        a = self.args
        warm_up()
        progress = Progress(len(self.methods) * len(self.sizes) * a.repeats, a.quiet)
        tic = time.perf_counter()
        try:
            self.results = run_study(
                self.pool, self.methods, self.sizes, a.repeats, a.seed,
                tuple(a.hidden), a.epochs, not a.no_tune, a.fgsm_eps, a.n_jobs,
                progress)
        finally:
            progress.close()
        return tic

    def header(self):
        a = self.args
        test = (f"{len(self.pool.y_test)} test rows" if self.pool.X_test is not None
                else "the other rows test")
        return (f"skreg compare: {self.pool.name}, {a.repeats} paired repeats, "
                f"training sets of {', '.join(map(str, self.sizes))} rows "
                f"(stratified; {test}), {self.pool.X.shape[1]} features; "
                f"hidden {tuple(a.hidden)}, {a.epochs} epochs, "
                f"{FIXED if a.no_tune else TUNED}"
                f"; seed {a.seed}; skreg {__version__}, numba {numba_state()}")

    def text(self):
        return self.header() + "\n\n" + format_tables(
            self.results, self.args.baseline, self.args.fgsm_eps, self.args.seed)

    def command(self):
        return "python3 -m skreg " + " ".join(shlex.quote(a) for a in self.argv)

    def write(self, out, plots=True):
        """results.csv, timing.csv, summary.md and (``plots``) the figures."""
        write_results(self.results, out / "results.csv")
        write_timing(self.results, out / "timing.csv")
        (out / "summary.md").write_text(
            f"# skreg compare\n\n    {self.command()}\n\n{self.text()}\n")
        if not plots:
            return
        if importlib.util.find_spec("matplotlib") is None:
            print("skreg: figures skipped: pip install 'skreg[plot]' to draw them",
                  file=sys.stderr)
            return
        from .figures import save_figures

        save_figures(out, summarize(self.results, self.args.baseline, self.args.seed),
                     self.results, self.args.baseline)
