"""The labels a study's rows train on: hidden labels and the multi-task target.

Hidden labels follow DESIGN.md and sklearn's ``SelfTrainingClassifier``: the
marker is the integer -1. Integer labels stay integers (-1 in place of a
hidden label); string labels become an object array holding their strings
and the integer -1 (never the string ``"-1"`` or ``"-"``). When -1 is itself
a class, the rows that hide labels train on class codes 0..K-1 instead
(``encode``), so a real class -1 is never taken for "unlabeled".
"""

import numpy as np
from sklearn.model_selection import train_test_split

__all__ = ["HIDDEN", "HIDDEN_LABEL_FRACTION", "encode", "hidden_mask", "hide_labels",
           "multitask_targets", "strata"]

HIDDEN = -1
HIDDEN_LABEL_FRACTION = 0.8


def hidden_mask(y):
    """True where a label of ``y`` (1-D, or the first column of 2-D) is the
    integer marker -1 of a hidden label; never for strings such as ``"-1"``.

    Examples
    --------
    >>> hidden_mask(np.array(["cat", -1, "-1"], dtype=object)).tolist()
    [False, True, False]
    >>> hidden_mask(np.array(["cat", "-1"])).tolist()
    [False, False]
    """
    y = np.asarray(y)
    y = y[:, 0] if y.ndim == 2 else y
    if y.dtype.kind in "iuf" or y.dtype == object:
        return np.asarray(y == HIDDEN, dtype=bool)
    return np.zeros(len(y), bool)


def encode(y, y_test):
    """``(y, y_test)`` as class codes 0..K-1 when -1 is a class, else as given.

    Examples
    --------
    >>> encode(np.array([-1, 1, 1]), np.array([1, -1]))
    (array([0, 1, 1]), array([1, 0]))
    """
    y, y_test = np.asarray(y), np.asarray(y_test)
    if y.dtype.kind not in "iuf" or not np.any(y == HIDDEN):
        return y, y_test
    classes = np.union1d(y, y_test)
    return np.searchsorted(classes, y), np.searchsorted(classes, y_test)


def hide_labels(y, seed):
    """``y`` with HIDDEN_LABEL_FRACTION of its labels replaced by -1.

    Stratified, so that every class keeps at least one labeled row (a class
    without labels could not be predicted at all). ``y`` must not hold the
    class -1 (see ``encode``).

    Examples
    --------
    >>> y = hide_labels(np.array(["a", "b"] * 5), seed=0)
    >>> y.dtype, int(np.sum(hidden_mask(y))), sorted(set(y[~hidden_mask(y)]))
    (dtype('O'), 8, ['a', 'b'])
    """
    y = np.asarray(y)
    if y.dtype.kind in "iuf" and np.any(y == HIDDEN):
        raise ValueError("-1 is a class of y; encode the labels before hiding them")
    n_classes = len(np.unique(y))
    n_labeled = max(n_classes, round((1 - HIDDEN_LABEL_FRACTION) * len(y)))
    if n_labeled >= len(y):
        return y
    labeled = _labeled_rows(y, n_labeled, seed)
    kind = np.int64 if y.dtype.kind in "iub" else \
        y.dtype if y.dtype.kind == "f" else object
    partial = np.full(len(y), HIDDEN, dtype=kind)
    partial[labeled] = y[labeled]
    return partial


def _labeled_rows(y, n_labeled, seed):
    """A stratified sample of ``n_labeled`` rows; when a class has a single
    row (too few to stratify), the first row of every class and a random
    sample of the others."""
    rows = np.arange(len(y))
    _, first, counts = np.unique(y, return_index=True, return_counts=True)
    if counts.min() >= 2:
        return train_test_split(rows, train_size=n_labeled, stratify=y,
                                random_state=seed)[0]
    rest = np.setdiff1d(rows, first)
    rng = np.random.default_rng(seed)
    return np.concatenate([first, rng.choice(rest, n_labeled - len(first),
                                             replace=False)])


def multitask_targets(y, classes):
    """The 2-D target ``(class, parity of the class's index in classes)``.

    The first column keeps the labels (strings stay strings, in an object
    array); the second is 0 or 1.

    Examples
    --------
    >>> multitask_targets(np.array(["b", "c"]), np.array(["a", "b", "c"])).tolist()
    [['b', 1], ['c', 0]]
    >>> multitask_targets(np.array([3, 4]), np.arange(10)).tolist()
    [[3, 1], [4, 0]]
    """
    y = np.asarray(y)
    parity = np.searchsorted(classes, y) % 2
    if y.dtype.kind in "iub":
        return np.column_stack([y.astype(np.int64), parity])
    Y = np.empty((len(y), 2), dtype=object)
    Y[:, 0], Y[:, 1] = y, parity
    return Y


def strata(y):
    """Integer strata of a target for a stratified split: the class index of
    each labeled row (first column of a 2-D target) and -1 for hidden labels.

    Examples
    --------
    >>> strata(np.array(["b", -1, "a"], dtype=object)).tolist()
    [1, -1, 0]
    """
    y = np.asarray(y)
    y = y[:, 0] if y.ndim == 2 else y
    hidden = hidden_mask(y)
    codes = np.full(len(y), -1, dtype=np.int64)
    values = y[~hidden]
    if y.dtype == object:
        values = np.array(values.tolist())
    codes[~hidden] = np.unique(values, return_inverse=True)[1]
    return codes
