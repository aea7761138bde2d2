"""The study's design: paired repeats.

Repeat ``r`` draws its seeds from ``SeedSequence(seed, spawn_key=(r,))``: a
split seed (which rows train, stratified) and a fit seed (initialization,
order, every stochastic regularizer). Every method of repeat ``r`` sees the
same split and seeds, so methods are compared paired by repeat.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

__all__ = ["Repeat", "repeats", "split"]


@dataclass(frozen=True)
class Repeat:
    """Repeat ``index`` of the study with its two seeds (< 2**32)."""

    index: int
    split_seed: int
    fit_seed: int


def repeats(seed, n):
    """The ``n`` repeats of a study seeded with ``seed``.

    Examples
    --------
    >>> a, b = repeats(0, 2)
    >>> a.index, b.index, a.split_seed != b.split_seed
    (0, 1, True)
    >>> repeats(0, 2) == [a, b]  # reproducible
    True
    """
    out = []
    for r in range(n):
        words = np.random.SeedSequence(seed, spawn_key=(r,)).generate_state(2)
        out.append(Repeat(r, int(words[0]), int(words[1])))
    return out


def split(pool, train_size, split_seed):
    """``(X_train, y_train, X_test, y_test)`` of one repeat.

    A stratified sample of ``train_size`` rows of the pool trains; the pool's
    own test set tests, or, without one, every other row of the pool.

    Examples
    --------
    >>> from skreg.study.data import load_pool
    >>> X, y, Xt, yt = split(load_pool("digits"), 150, 0)
    >>> len(y), len(yt), len(set(y))
    (150, 1647, 10)
    """
    check_train_size(pool, train_size)
    X_tr, X_rest, y_tr, y_rest = train_test_split(
        pool.X, pool.y, train_size=train_size, stratify=pool.y,
        random_state=split_seed)
    if pool.X_test is None:
        return X_tr, y_tr, X_rest, y_rest
    return X_tr, y_tr, pool.X_test, pool.y_test


def check_train_size(pool, train_size):
    """Raise ValueError when ``train_size`` cannot be drawn from the pool."""
    n, k = len(pool.y), pool.n_classes
    classes, counts = np.unique(pool.y, return_counts=True)
    if counts.min() < 2:
        single = classes[counts < 2]
        shown = ", ".join(map(repr, single[:5].tolist()))
        shown += ", ..." if single.size > 5 else ""
        raise ValueError(
            f"{pool.name}: every class needs at least 2 rows to stratify; "
            f"{single.size} of the {k} classes have 1 ({shown}). The study compares "
            "classifiers: a target of many distinct numbers is a regression target")
    if not k <= train_size <= n - k:
        top = n - k
        raise ValueError(f"training-set size {train_size} must be between the "
                         f"number of classes, {k}, and {top} for {pool.name} "
                         f"({n} rows)")
