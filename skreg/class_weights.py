"""``class_weight``: per-class weights folded into the sample weights.

As scikit-learn's ``LogisticRegression`` (and its forests for multi-output
targets), a class weight multiplies the weight of every row of that class,
so ``fit(X, y, class_weight=cw)`` is ``fit(X, y, sample_weight=w)`` with
``w = compute_sample_weight(cw, y)`` in every respect (the objective, its
``n``, the validation split, refits). scikit-learn computes the weights and
checks a dict against the classes (an unknown class is its ``ValueError``).
Rows of a given ``validation_data`` that join a refit get the weights of
their classes, "balanced" as counted on the training labels
(``resolve_class_weight``).
"""

import numpy as np
from scipy import sparse
from sklearn.utils.class_weight import compute_class_weight, compute_sample_weight


def class_sample_weight(class_weight, y, labeled, sample_weight, dtype,
                        incremental=False):
    """``sample_weight`` times the class weight of each row's label.

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

    Returns
    -------
    ndarray or None
        None when ``class_weight`` is None and no sample weights are given.
    """
    if class_weight is None:
        return sample_weight
    if incremental and class_weight == "balanced":
        raise ValueError(
            "class_weight='balanced' is not supported for partial_fit: one "
            "call's class frequencies are not the data's. Compute the weights "
            "on all labels with sklearn.utils.class_weight.compute_class_weight"
            "('balanced', classes=classes, y=y) and pass them as a dict."
        )
    rows = y if labeled is None else y[labeled]
    if sparse.issparse(rows):
        rows = rows.toarray()
    weights = (compute_sample_weight(class_weight, rows) if rows.shape[0]
               else np.ones(0))
    if labeled is not None:
        full = np.ones(labeled.shape[0])
        full[labeled] = weights
        weights = full
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(
            f"class_weight must give finite weights >= 0 (they multiply the "
            f"sample weights); got {class_weight!r}."
        )
    if sample_weight is not None:
        weights = sample_weight * weights
    return weights.astype(dtype, copy=False)


def resolve_class_weight(class_weight, y, labeled=None):
    """``class_weight`` as a dict (or one dict per column of a 2-D ``y``):
    "balanced" becomes the weights counted on the labels ``y`` given to
    ``fit`` (of the labeled rows), so that other rows can be weighed alike."""
    if class_weight != "balanced":
        return class_weight
    rows = y if labeled is None else y[labeled]
    rows = rows.toarray() if sparse.issparse(rows) else np.asarray(rows)
    columns = [rows] if rows.ndim == 1 else list(rows.T)
    tables = []
    for column in columns:
        classes = np.unique(column)
        weights = compute_class_weight("balanced", classes=classes, y=column)
        tables.append(dict(zip(classes.tolist(), weights.tolist())))
    return tables[0] if rows.ndim == 1 else tables


def row_weights(resolved, labels, dtype):
    """The class weight of each row of ``labels`` under a resolved
    ``class_weight`` (None: ones)."""
    if resolved is None or not labels.shape[0]:
        return np.ones(labels.shape[0], dtype)
    return compute_sample_weight(resolved, labels).astype(dtype, copy=False)
