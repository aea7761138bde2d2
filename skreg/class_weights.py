"""``class_weight``: per-class weights folded into the sample weights.

As scikit-learn's ``LogisticRegression`` (and its forests for multi-output
targets), a class weight multiplies the weight of every row of that class,
so ``fit(X, y, class_weight=cw)`` is ``fit(X, y, sample_weight=w)`` with
``w = compute_sample_weight(cw, y)`` in every respect (the objective, its
``n``, the validation split, refits). "balanced" weighs class c by
``total / (n_classes * total_c)`` where the totals are sums of the sample
weights (row counts without them), as ``LogisticRegression`` counts them
with ``compute_class_weight(..., sample_weight=...)``: a weight of 2 is a
repeated row. scikit-learn computes the weights and checks a dict against
the classes (an unknown class is its ``ValueError``). Rows of a given
``validation_data`` that join a refit get the weights of their classes, as
resolved on the training labels.
"""

import numpy as np
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight

from .targets import _dense


def resolve_class_weight(class_weight, y, sample_weight=None):
    """``class_weight`` as a dict (one per column of a 2-D ``y``): "balanced"
    becomes the weights of the classes of the labels ``y`` (with their
    ``sample_weight``); None, dicts and lists are returned as they are."""
    if class_weight != "balanced":
        return class_weight
    y = _dense(y)
    tables = []
    for column in ([y] if y.ndim == 1 else list(y.T)):
        classes = np.unique(column)
        with np.errstate(divide="ignore"):  # a class of weight 0: row_weights says so
            weights = compute_class_weight("balanced", classes=classes, y=column,
                                           sample_weight=sample_weight)
        tables.append(dict(zip(classes.tolist(), weights.tolist())))
    return tables[0] if y.ndim == 1 else tables


def row_weights(resolved, labels, dtype):
    """The class weight of each row of ``labels`` (ones for None): a dict, or
    the product over columns of one dict per column of a 2-D ``labels``."""
    n = labels.shape[0]
    if resolved is None or not n:
        return np.ones(n, dtype)
    weights = compute_sample_weight(resolved, _dense(labels))
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(
            f"class_weight must give finite weights >= 0 (they multiply the "
            f"sample weights; 'balanced' gives an infinite weight to a class "
            f"whose rows all weigh 0); got {resolved!r}."
        )
    return weights.astype(dtype, copy=False)


def class_sample_weight(class_weight, y, labeled, sample_weight, dtype,
                        incremental=False):
    """``(weights, resolved)``: ``sample_weight`` times the class weight of
    each row's label, and ``class_weight`` resolved (for later rows).

    Parameters
    ----------
    class_weight : None, "balanced", dict or list of dict
        The estimator's parameter (a list: one dict per column of a 2-D y).
    y : array-like or sparse matrix
        The labels given to ``fit`` (1-D, or 2-D for multilabel and
        multi-task targets).
    labeled : ndarray of bool or None
        Rows with a label (semi-supervised targets); unlabeled rows keep
        their sample weight and "balanced" counts labeled rows only.
    sample_weight : ndarray or None
    dtype : numpy dtype
    incremental : bool
        ``partial_fit``: "balanced" is refused, as ``SGDClassifier`` does,
        because one chunk's class frequencies are not the data's.
    """
    if class_weight is None:
        return sample_weight, None
    if incremental and class_weight == "balanced":
        raise ValueError(
            "class_weight='balanced' is not supported for partial_fit: one "
            "call's class frequencies are not the data's. Compute the weights "
            "on all labels with sklearn.utils.class_weight.compute_class_weight"
            "('balanced', classes=classes, y=y) and pass them as a dict."
        )
    y = _dense(y)
    if y.ndim == 2 and y.shape[1] == 1:  # a column vector of labels, as fit reads it
        y = y.ravel()
    if isinstance(class_weight, list) and y.ndim == 1:
        raise ValueError(
            "class_weight as a list (one dict per column) needs a 2-D y; for "
            f"1-D labels pass a dict or 'balanced'. Got {class_weight!r}."
        )
    rows = y if labeled is None else y[labeled]
    row_sw = None
    if sample_weight is not None:
        row_sw = sample_weight if labeled is None else sample_weight[labeled]
    resolved = resolve_class_weight(class_weight, rows, row_sw)
    weights = row_weights(resolved, rows, np.float64)
    if labeled is not None:
        full = np.ones(labeled.shape[0])
        full[labeled] = weights
        weights = full
    if sample_weight is not None:
        weights = sample_weight * weights
    return weights.astype(dtype, copy=False), resolved
