"""Tuning a method's strength on the training part of a repeat only.

``tune`` is scikit-learn's ``GridSearchCV`` over the method's grid with
one stratified validation split (``VALIDATION_FRACTION`` of the training
rows, ``StratifiedShuffleSplit``), ``n_jobs=1`` (the study parallelizes over
cells), then a refit on all training rows with the chosen strength. The test
rows are never passed in.
"""

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, ShuffleSplit, StratifiedShuffleSplit

from .labels import hidden_mask, strata

__all__ = ["VALIDATION_FRACTION", "first_column_accuracy", "format_strength",
           "labeled_accuracy", "tune"]

VALIDATION_FRACTION = 0.2


def first_column_accuracy(estimator, X, y):
    """Accuracy on the first target column (multi-task rows carry a second
    column, the parity, that is not the class): the scorer of supervised rows.

    Examples
    --------
    >>> import numpy as np
    >>> class Echo:
    ...     def predict(self, X):
    ...         return X[:, 0]
    >>> first_column_accuracy(Echo(), np.array([[1], [-1]]), np.array([1, -1]))
    1.0
    """
    y = np.asarray(y)
    y = y[:, 0] if y.ndim == 2 else y
    predicted = np.asarray(estimator.predict(X))
    predicted = predicted[:, 0] if predicted.ndim == 2 else predicted
    return float(np.mean(predicted == y))


def labeled_accuracy(estimator, X, y):
    """Accuracy on the rows whose label is not hidden (the integer -1, see
    :mod:`skreg.study.labels`): the scorer of rows that hide labels.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> ones = DummyClassifier(strategy="constant", constant=1).fit([[0], [0]], [0, 1])
    >>> labeled_accuracy(ones, np.zeros((3, 1)), np.array([1, -1, 0]))
    0.5
    """
    keep = ~hidden_mask(y)
    return first_column_accuracy(estimator, X[keep], np.asarray(y)[keep])


def tune(estimator, grid, X, y, seed, hides_labels=False):
    """Fit ``estimator`` with the strength chosen on a validation split of (X, y).

    Parameters
    ----------
    estimator : estimator
    grid : dict
        Parameter -> candidate values; with no or a single candidate each,
        the estimator is fitted with them and no search is run.
    X, y : the training part of the repeat
    seed : int
        Seed of the validation split.
    hides_labels : bool, default=False
        ``y`` hides labels as -1: score on the labeled validation rows only
        (otherwise every row is scored, a class -1 included).

    Returns
    -------
    fitted : estimator, refitted on all of (X, y)
    chosen : dict, the parameters chosen (empty without a grid)

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.study.data import load_pool
    >>> pool = load_pool("digits")
    >>> est, chosen = tune(DFNClassifier((16,), penalty="l2", max_iter=5),
    ...                    {"alpha": [0.01, 1.0]}, pool.X[:200], pool.y[:200], 0)
    >>> chosen["alpha"] in (0.01, 1.0), est.alpha == chosen["alpha"]
    (True, True)
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if all(len(values) == 1 for values in grid.values()):
            fixed = {k: v[0] for k, v in grid.items()}
            return estimator.set_params(**fixed).fit(X, y), fixed
        cv = [validation_rows(y, seed)]  # stratified on strata(y): any label type
        scoring = labeled_accuracy if hides_labels else first_column_accuracy
        search = GridSearchCV(estimator, grid, scoring=scoring, cv=cv,
                              n_jobs=1, refit=True, error_score="raise")
        search.fit(X, y)
        return search.best_estimator_, search.best_params_


def _split_strata(y):
    """What the split is stratified on: the classes (hidden labels one more
    stratum); when a class has a single row or the validation part has fewer
    rows than there are strata, only labeled against hidden (so both parts
    keep labeled rows), or nothing (None: a plain shuffle)."""
    codes = strata(y)
    n_val = int(np.ceil(VALIDATION_FRACTION * len(codes)))
    for candidate in (codes, np.minimum(codes, 0)):
        counts = np.bincount(candidate + 1)
        counts = counts[counts > 0]
        if len(counts) > 1 and counts.min() >= 2 and n_val >= len(counts):
            return candidate
    return None


def validation_rows(y, seed):
    """``(train, validation)`` row indices of the split ``tune`` uses: one
    stratified shuffle split (see ``_split_strata``)."""
    codes = _split_strata(y)
    splitter = ShuffleSplit if codes is None else StratifiedShuffleSplit
    split = splitter(n_splits=1, test_size=VALIDATION_FRACTION, random_state=seed)
    return next(split.split(np.zeros((len(y), 1)), codes))


def format_strength(params):
    """``"name=value; ..."`` of chosen parameters, pipeline prefixes dropped.

    Examples
    --------
    >>> format_strength({"net__alpha": 0.1, "dropout_keep": (0.8, 0.5)})
    'dropout_keep=(0.8, 0.5); alpha=0.1'
    >>> format_strength({})
    ''
    """
    return "; ".join(f"{k.rsplit('__', 1)[-1]}={_value(v)}"
                     for k, v in sorted(params.items()))


def _value(v):
    if isinstance(v, float):
        return format(v, "g")
    if isinstance(v, tuple):
        return "(" + ", ".join(_value(x) for x in v) + ")"
    return repr(v)
