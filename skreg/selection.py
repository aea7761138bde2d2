"""Choosing among searched candidates without chasing holdout noise.

A grid search keeps the candidate with the best validation score, and with
one holdout split of a few hundred rows the best of five candidates is
often best by chance: an accuracy measured on ``n`` rows has a standard
error of ``sqrt(p (1 - p) / n)``, about 1.8 points for ``p = 0.95`` and
``n = 150``. :class:`KeepFirstUnlessBetter` is a ``refit`` rule for
scikit-learn's searches that keeps the first candidate (with
:func:`skreg.cocktail_candidates`, the estimator as given) unless the best
one beats it by more than ``z`` standard errors of the difference, the
"one standard error" rule of Breiman et al. (1984) turned towards a
default.
"""

from numbers import Real

import numpy as np
from sklearn.metrics import make_scorer

__all__ = ["KeepFirstUnlessBetter"]


def _rows_scored(estimator, X, y):
    """A "score" that is the number of rows scored, so that ``cv_results_``
    records how many rows each mean rests on."""
    return len(y)


def _row_squared_errors(y_true, y_pred):
    """Each row's squared error (averaged over the outputs of a 2-D target)."""
    error = np.square(np.asarray(y_true, dtype=float) - y_pred)
    return error.mean(axis=1) if error.ndim == 2 else error


def _mean_squared_error(y_true, y_pred):
    return float(_row_squared_errors(y_true, y_pred).mean())


def _squared_error_variance(y_true, y_pred):
    """The variance of the rows' squared errors (ddof=1)."""
    return float(np.var(_row_squared_errors(y_true, y_pred), ddof=1))


# scikit-learn scorers, so that a search predicts once for both; recorded
# as they are (greater_is_better only flips the sign)
_squared_error = make_scorer(_mean_squared_error)
_squared_error_var = make_scorer(_squared_error_variance)


# metric: (its scoring, a function of cv_results_ giving every candidate's
# mean loss per row and the variance of that loss over the rows)
def _accuracy_loss(cv_results):
    accuracy = np.asarray(cv_results["mean_test_accuracy"], dtype=float)
    return 1 - accuracy, accuracy * (1 - accuracy)


def _squared_error_loss(cv_results):
    return (np.asarray(cv_results["mean_test_squared_error"], dtype=float),
            np.asarray(cv_results["mean_test_squared_error_variance"], dtype=float))


_METRICS = {
    "accuracy": ({"accuracy": "accuracy"}, _accuracy_loss),
    "squared_error": ({"squared_error": _squared_error,
                       "squared_error_variance": _squared_error_var},
                      _squared_error_loss),
}


class KeepFirstUnlessBetter:
    """Refit rule: the first candidate unless another is clearly better.

    Pass ``scoring=rule.scoring`` and ``refit=rule`` to ``GridSearchCV`` over
    a grid whose first candidate is the one to keep (as
    :func:`skreg.cocktail_candidates`'s, the estimator as given); a random
    search has no such candidate, and successive halving scores candidates
    on different numbers of rows. Each candidate has a mean loss per
    validation row, ``a`` for the first and ``b`` for the best (the first
    among ties), with variances ``s_a`` and ``s_b`` over the rows, on ``n``
    validation rows in all (rows per split times the number of splits).
    The rule keeps the first candidate unless
    ``a - b > z * sqrt((s_a + s_b) / n)``, the standard error of the
    difference of two independent means; the two candidates' errors on the
    same rows are positively correlated, so this errs towards keeping the
    first. ``z=0`` is the plain argmin. For accuracies ``p`` the loss is
    the 0-1 error, ``a = 1 - p`` and ``s = p (1 - p)``; for a regressor,
    ``metric="squared_error"``, the rows' squared errors, their mean and
    their variance (averaged over the splits).

    Parameters
    ----------
    z : float, default=1.0
        How many standard errors the best candidate must win by, >= 0.
    metric : {"accuracy", "squared_error"}, default="accuracy"
        The loss the candidates are compared on: "accuracy" for a
        classifier's search, "squared_error" for a regressor's.

    Attributes
    ----------
    scoring : dict
        The search's ``scoring``: the metric's scores (``"accuracy"``; or
        ``"squared_error"`` and ``"squared_error_variance"``) and
        ``"rows"``, the number of rows each split scored.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.model_selection import GridSearchCV, StratifiedShuffleSplit
    >>> from skreg import DFNClassifier, KeepFirstUnlessBetter, cocktail_candidates
    >>> from skreg import make_tabular_pipeline
    >>> X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    >>> pipe = make_tabular_pipeline(DFNClassifier(max_iter=15, random_state=0))
    >>> rule = KeepFirstUnlessBetter()
    >>> holdout = StratifiedShuffleSplit(1, test_size=0.2, random_state=0)
    >>> search = GridSearchCV(pipe, cocktail_candidates(3, random_state=0),
    ...                       cv=holdout, scoring=rule.scoring, refit=rule).fit(X, y)
    >>> search.best_index_ == rule(search.cv_results_)
    True
    """

    def __init__(self, z=1.0, metric="accuracy"):
        if not isinstance(z, Real) or isinstance(z, bool) or not z >= 0:
            raise ValueError(f"z must be a real number >= 0, got {z!r}")
        if not isinstance(metric, str) or metric not in _METRICS:
            raise ValueError(
                f"metric must be one of {sorted(_METRICS)}, got {metric!r}")
        self.z = z
        self.metric = metric
        self.scoring = {**_METRICS[metric][0], "rows": _rows_scored}

    def __call__(self, cv_results):
        """The index of the candidate to refit, from a search's ``cv_results_``."""
        missing = {f"mean_test_{name}" for name in self.scoring} - set(cv_results)
        if missing:
            raise ValueError(
                f"cv_results_ has no {', '.join(sorted(missing))}: give the search "
                "scoring=rule.scoring as well as refit=rule")
        loss, variance = _METRICS[self.metric][1](cv_results)
        if np.all(np.isnan(loss)):
            raise ValueError(
                f"every candidate's {self.metric} is NaN: every fit or score "
                "failed (the search's warnings say why; metric='accuracy' needs "
                "a classifier, metric='squared_error' a regressor)")
        # a failed fit scores NaN (error_score): it never wins, nor is kept
        loss = np.where(np.isnan(loss), np.inf, loss)
        n_splits = sum(key.startswith("split") and key.endswith("_test_rows")
                       for key in cv_results)
        n = float(np.asarray(cv_results["mean_test_rows"])[0]) * n_splits
        best = int(np.argmin(loss))
        if not np.isfinite(loss[0]):
            return best
        error = np.sqrt((variance[0] + variance[best]) / n)
        return best if loss[0] - loss[best] > self.z * error else 0

    def __repr__(self):
        metric = "" if self.metric == "accuracy" else f", metric={self.metric!r}"
        return f"KeepFirstUnlessBetter(z={self.z!r}{metric})"
