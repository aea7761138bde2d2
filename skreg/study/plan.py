"""Checks of a study's plan before any cell runs.

A plan is refused when it has more cells than can ever run
(``MAX_CELLS``), or when a training-set size cannot be split the way every
cell will split it: the stratified draw of the training rows
(``skreg.study.design.check_train_size``) and, per repeat, the tuning
split of ``skreg.study.tuning.validation_rows``, whose training part must
hold at least 2 classes, and whose validation part must hold a labeled row
(each of which would fail every cell), and, for the early-stopping rows, the
stratified validation split each of their fits makes (every class in both
parts, as scikit-learn's MLP requires). Only the splits are computed,
nothing is fitted, so the check takes milliseconds.
"""

import math

import numpy as np

from ..epochs import stratifiable
from . import design, labels
from .methods import METHODS
from .tuning import validation_rows

__all__ = ["CHECKED_REPEATS", "MAX_CELLS", "check_cell_count", "check_plan"]

#: more cells than this (days of computing at about a second each) is refused
MAX_CELLS = 100_000
#: the tuning splits of this many repeats are checked
CHECKED_REPEATS = 20


def check_plan(pool, methods, sizes, n_repeats, seed=0):
    """Raise ValueError naming the problem when the plan cannot run.

    Examples
    --------
    >>> from skreg.study.data import load_pool
    >>> check_plan(load_pool("digits"), ["none", "vat"], [150], 5)
    >>> check_plan(load_pool("digits"), ["none"], [5], 5)
    Traceback (most recent call last):
    ...
    ValueError: training-set size 5 must be between the number of classes, 10, ...
    """
    check_cell_count(len(methods), len(sizes), n_repeats)
    kinds = {METHODS[m].needs_unlabeled for m in methods}
    fractions = _early_stopping_fractions(methods)
    reps = design.repeats(seed, min(n_repeats, CHECKED_REPEATS))
    for size in sizes:
        design.check_train_size(pool, size)
        problem = (_problem(pool, size, reps, kinds)
                   or _early_stopping_problem(pool, size, reps, fractions))
        if problem is not None:
            raise ValueError(f"training-set size {size} is too small: {problem}"
                             f"{_suggestion(pool, size, reps, kinds, fractions)}")


def check_cell_count(n_methods, n_sizes, n_repeats):
    """Raise ValueError when the plan has more than ``MAX_CELLS`` cells.

    Examples
    --------
    >>> check_cell_count(27, 1, 5)
    >>> check_cell_count(27, 1, 10**12)
    Traceback (most recent call last):
    ...
    ValueError: the plan has 27,000,000,000,000 cells ...
    """
    n_cells = n_methods * n_sizes * n_repeats
    if n_cells > MAX_CELLS:
        raise ValueError(
            f"the plan has {n_cells:,} cells ({n_methods} method(s) x {n_sizes} "
            f"training-set size(s) x {n_repeats:,} repeats); at most {MAX_CELLS:,} "
            "can run (each takes about a second): lower --repeats")


def _problem(pool, size, reps, kinds):
    """What goes wrong with the tuning split of ``size`` rows, or None."""
    for r in reps:
        _, y, _, y_test = design.split(pool, size, r.split_seed)
        for hides in sorted(kinds):
            y_fit = labels.hide_labels(labels.encode(y, y_test)[0], r.fit_seed) \
                if hides else y
            problem = _tuning_split_problem(y_fit, r.split_seed)
            if problem is not None:
                rows = "the rows that hide 80% of the labels" if hides else "every row"
                return (f"in repeat {r.index}, the tuning split of {rows} ({problem})")
    return None


def _early_stopping_fractions(methods):
    """``{method: (validation_fraction, tuned)}`` of the methods that stop
    early; ``tuned``: the method also fits on the tuning split."""
    found = {}
    for name in methods:
        method = METHODS[name]
        if isinstance(method.params, dict) and method.params.get("early_stopping"):
            found[name] = (method.params.get("validation_fraction", 0.1),
                           callable(method.grid) or bool(method.grid))
    return found


def _early_stopping_problem(pool, size, reps, fractions):
    """The first early-stopping fit (the tuning fit on the tuning split's
    training part, or the final fit on every training row) whose stratified
    validation split cannot hold every class on both sides, or None."""
    for r in reps:
        y = design.split(pool, size, r.split_seed)[1]
        tuning_train = y[validation_rows(y, r.split_seed)[0]]
        for name, (fraction, tuned) in sorted(fractions.items()):
            for y_fit in (y, tuning_train) if tuned else (y,):
                n_val = math.ceil(fraction * len(y_fit))
                counts = np.unique(y_fit, return_counts=True)[1]
                if not stratifiable(counts, n_val):
                    return (f"in repeat {r.index}, {name}'s early stopping splits off "
                            f"validation_fraction={fraction} of {len(y_fit)} rows, "
                            f"too few to hold each of the {len(counts)} classes in "
                            "both the training and the validation part")
    return None


def _tuning_split_problem(y, seed):
    train, val = validation_rows(y, seed)
    codes, hidden = labels.strata(y), labels.hidden_mask(y)
    seen = set(codes[train][~hidden[train]].tolist())
    checked = set(codes[val][~hidden[val]].tolist())
    if len(seen) < 2:
        return "its training part holds fewer than 2 classes"
    if not checked:
        return "its validation part holds no labeled row"
    return None


def _suggestion(pool, size, reps, kinds, fractions):
    """``"; use N or more"`` with the next size that passes, if one does."""
    top = len(pool.y) - pool.n_classes
    candidate = size
    while candidate < top:
        candidate = min(top, max(candidate + 1, int(candidate * 1.1)))
        if _problem(pool, candidate, reps[:5], kinds) is None \
                and _early_stopping_problem(pool, candidate, reps[:5], fractions) is None:
            return f"; the smallest size that works here is about {candidate}"
    return ""
