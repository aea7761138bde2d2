"""Running the study's cells in parallel with a progress report.

Cells (method x repeat x training-set size) run with joblib, each with one
BLAS thread (see ``skreg.study.cells.run_cell``); ``n_jobs`` is capped at
the number of cells. The numba kernels are compiled (and cached on disk)
once before the clock starts, so the first cell is not charged for it.
"""

import math
import os
import sys
import time
import warnings

import numpy as np

from .cells import Cell, CellResult, run_cell
from .design import check_train_size, repeats

__all__ = ["Progress", "effective_n_jobs", "plan", "run_study", "time_left",
           "warm_up"]


def effective_n_jobs(n_jobs, n_cells):
    """Workers to use: ``n_jobs`` (negative: cores + 1 + n_jobs) capped at
    the number of cells.

    Examples
    --------
    >>> effective_n_jobs(8, 3), effective_n_jobs(1, 10)
    (3, 1)
    """
    cores = os.cpu_count() or 1
    wanted = n_jobs if n_jobs > 0 else max(1, cores + 1 + n_jobs)
    return max(1, min(wanted, n_cells))


def warm_up():
    """Compile skreg's numba kernels (Adam, soft threshold, resampler) once."""
    from ..augmentation import ImageAugmenter
    from ..classifier import DFNClassifier

    rng = np.random.default_rng(0)
    X, y = rng.random((8, 16), dtype=np.float32), np.arange(8) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        DFNClassifier((4,), penalty="l1", max_iter=1, random_state=0,
                      augment=ImageAugmenter(translation=1, rotation=5)).fit(X, y)


def time_left(elapsed, done, total):
    """Seconds left: the mean time per finished cell times the cells left.

    ``elapsed`` and ``done`` count from the first finished cell, so the
    start-up (spawning the workers, importing skreg and loading the numba
    kernels in each: 3 s on a quiet machine, 20 s under load) is not spread
    over the cells. Unbiased when the finished cells are a fair sample of
    all cells, which ``plan`` arranges.

    Examples
    --------
    >>> time_left(10.0, 5, 50)
    90.0
    """
    return elapsed / done * (total - done) if done > 0 else math.nan


class Progress:
    """Progress on stderr with the time left: tqdm on a terminal when
    installed, else one plain line per cell. ``clock`` returns seconds
    (``time.perf_counter``; a fake one in tests)."""

    def __init__(self, total, quiet=False, clock=time.perf_counter):
        self.total, self.done, self.quiet, self.bar = total, 0, quiet, None
        self.clock, self.first = clock, None
        if not quiet and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                return
            self.bar = tqdm(total=total, file=sys.stderr, unit="cell", desc="study")

    def left(self):
        """The estimated seconds left (NaN before the second cell)."""
        if self.first is None:
            return math.nan
        return time_left(self.clock() - self.first, self.done - 1, self.total - 1)

    def __call__(self, result):
        self.done += 1
        if self.first is None:
            self.first = self.clock()
        what = f"{result.method} n={result.train_size} repeat {result.repeat}"
        if self.bar is not None:
            self.bar.set_postfix_str(what)
            self.bar.update(1)
        elif not self.quiet:
            acc = result.note or f"test acc {result.test_accuracy:.4f}"
            left = self.left()
            left = "time left unknown yet" if math.isnan(left) else \
                f"about {left:.0f} s left"
            print(f"[{self.done}/{self.total}] {what}: {acc}; {left}",
                  file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _safe_cell(cell, pool):
    try:
        return run_cell(cell, pool)
    except Exception as exc:  # one broken cell must not lose the whole study
        message = str(exc).splitlines()[0] if str(exc) else ""
        r = cell.repeat
        return CellResult(cell.method, cell.train_size, r.index, r.split_seed,
                          r.fit_seed, note=f"failed: {type(exc).__name__}: {message}")


def plan(methods, train_sizes, seed, n_repeats, **settings):
    """Every cell, in a shuffled order: any prefix of the plan is a random
    sample of the cells, so the progress estimate's mean cost per cell is
    fair early on (method by method, the first tenth would be the cheap
    rows that come first: ``chapter`` costs 0.2 s, ``convolution`` 2.8 s).
    The order changes no result (``--seed`` seeds the shuffle).

    Examples
    --------
    >>> cells = plan(["none", "l2"], [50], 0, 2)
    >>> sorted((c.repeat.index, c.method) for c in cells)
    [(0, 'l2'), (0, 'none'), (1, 'l2'), (1, 'none')]
    """
    cells = [Cell(m, r, size, **settings) for r in repeats(seed, n_repeats)
             for size in train_sizes for m in methods]
    order = np.random.default_rng(seed).permutation(len(cells))
    return [cells[i] for i in order]


def run_study(pool, methods, train_sizes, n_repeats=5, seed=0, hidden=(128,),
              epochs=200, tune=True, eps=0.1, n_jobs=1, progress=None,
              scheduler=None):
    """Run every (method, repeat, training-set size) cell.

    The cells run in ``n_jobs`` local processes (joblib), or on the Dask
    distributed scheduler at the address ``scheduler``; the results do not
    depend on where or in which order the cells ran.

    Returns
    -------
    results : list of CellResult, sorted by size, method (in the order of
        ``methods``) and repeat, whatever order the cells finished in.

    Examples
    --------
    >>> from skreg.study.data import load_pool
    >>> res = run_study(load_pool("digits"), ["none", "l2"], [60], n_repeats=2,
    ...                 hidden=(8,), epochs=3)
    >>> [(r.method, r.repeat) for r in res]
    [('none', 0), ('none', 1), ('l2', 0), ('l2', 1)]
    """
    for size in train_sizes:
        check_train_size(pool, size)
    cells = plan(methods, train_sizes, seed, n_repeats, hidden=tuple(hidden),
                 epochs=epochs, tune=tune, eps=eps)
    if scheduler is not None:
        from .cluster import run_on_dask

        finished = run_on_dask(_safe_cell, cells, pool, scheduler)
    else:
        finished = _run_local(cells, pool, n_jobs)
    done = []
    for result in finished:
        done.append(result)
        if progress is not None:
            progress(result)
    order = {m: i for i, m in enumerate(methods)}
    return sorted(done, key=lambda r: (r.train_size, order[r.method], r.repeat))


def _run_local(cells, pool, n_jobs):
    """The cells' results as they finish, from joblib's local processes."""
    from joblib import Parallel, delayed

    workers = effective_n_jobs(n_jobs, len(cells))
    try:  # cells as they finish, for the progress report
        parallel = Parallel(n_jobs=workers, return_as="generator_unordered")
    except (TypeError, ValueError):  # joblib < 1.4
        parallel = Parallel(n_jobs=workers)
    return parallel(delayed(_safe_cell)(c, pool) for c in cells)
