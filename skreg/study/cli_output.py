"""One study as the command line runs it: settings, run, text and files."""

import importlib.util
import platform
import shlex
import sys
import textwrap
import time

from .. import __version__, _kernels
from .report import summarize, write_results, write_summary_csv, write_timing
from .runner import Progress, run_study, warm_up
from .stats import MARGIN
from .tables import format_table

__all__ = ["Study", "environment", "format_tables", "numba_state"]

FIXED = "fixed strengths"
TUNED = "strengths tuned on a 20% validation split of the training rows"


def numba_state():
    """``"on"`` when skreg's numba kernels are used, else ``"off"``."""
    on = _kernels.ENABLED and importlib.util.find_spec("numba") is not None
    return "on" if on else "off"


def cpu_model():
    """The CPU's model name (``/proc/cpuinfo``), else ``platform.processor()``."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown CPU"


def environment():
    """One line: the machine and the library versions the results depend on."""
    import joblib
    import numpy
    import scipy
    import sklearn

    return (f"Made on {cpu_model()} ({platform.system()} {platform.machine()}), "
            f"Python {platform.python_version()}, numpy {numpy.__version__}, "
            f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, "
            f"joblib {joblib.__version__}, skreg {__version__}, numba "
            f"{numba_state()}.")


def format_tables(results, baseline="none", eps=0.1, seed=0, margin=MARGIN):
    """The tables of every training-set size, each with its rule."""
    parts = []
    for size, tables in summarize(results, baseline, margin, seed).items():
        n = max((len(c) for t in tables for c in t.cells.values()), default=0)
        parts.append(f"## {size} training rows, {n} paired repeat"
                     f"{'s' if n != 1 else ''}\n\n"
                     + "\n\n".join(format_table(t, eps, margin) for t in tables))
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
                progress, a.scheduler)
        finally:
            progress.close()
        return tic

    def header(self):
        a = self.args
        test = (f"{len(self.pool.y_test)} test rows" if self.pool.X_test is not None
                else "the other rows test")
        text = (f"skreg compare: {self.pool.name}, {a.repeats} paired repeats, "
                f"training sets of {', '.join(map(str, self.sizes))} rows "
                f"(stratified; {test}), {self.pool.X.shape[1]} features; "
                f"hidden {tuple(a.hidden)}, {a.epochs} epochs, "
                f"{FIXED if a.no_tune else TUNED}; equivalence margin "
                f"+-{a.margin:g} points; seed {a.seed}; skreg {__version__}, "
                f"numba {numba_state()}")
        return "\n".join(textwrap.wrap(text, 88))

    def summaries(self):
        """``summarize`` of the results with the command's settings."""
        a = self.args
        return summarize(self.results, a.baseline, a.margin / 100, a.seed)

    def text(self):
        a = self.args
        return self.header() + "\n\n" + format_tables(
            self.results, a.baseline, a.fgsm_eps, a.seed, a.margin / 100)

    def command(self):
        return "python3 -m skreg " + " ".join(shlex.quote(a) for a in self.argv)

    def write(self, out, plots=True):
        """results.csv, timing.csv, summary.md and (``plots``) the figures."""
        write_results(self.results, out / "results.csv")
        write_timing(self.results, out / "timing.csv")
        write_summary_csv(self.summaries(), out / "summary.csv", self.args.margin / 100)
        (out / "summary.md").write_text(
            f"# skreg compare\n\n    {self.command()}\n\n{environment()}\n\n"
            f"{self.text()}\n")
        if not plots:
            return
        if importlib.util.find_spec("matplotlib") is None:
            print("skreg: figures skipped: pip install 'skreg[plot]' to draw them",
                  file=sys.stderr)
            return
        from .figures import save_figures

        save_figures(out, self.summaries(), self.results)
