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

__all__ = ["KeepFirstUnlessBetter"]


def _rows_scored(estimator, X, y):
    """A "score" that is the number of rows scored, so that ``cv_results_``
    records how many rows each accuracy rests on."""
    return len(y)


class KeepFirstUnlessBetter:
    """Refit rule: the first candidate unless another is clearly more accurate.

    Pass ``scoring=rule.scoring`` and ``refit=rule`` to ``GridSearchCV`` over
    a grid whose first candidate is the one to keep (as
    :func:`skreg.cocktail_candidates`'s, the estimator as given); a random
    search has no such candidate, and successive halving scores candidates
    on different numbers of rows. With accuracies
    ``a`` (first candidate) and ``b`` (the most accurate one, the first
    among ties) on ``n`` validation rows in all (rows per split times the
    number of splits), the rule keeps the first candidate unless
    ``b - a > z * sqrt((a (1 - a) + b (1 - b)) / n)``, the standard error
    of the difference of two independent accuracies; the two candidates'
    errors on the same rows are positively correlated, so this errs
    towards keeping the first. ``z=0`` is the plain argmax.

    Parameters
    ----------
    z : float, default=1.0
        How many standard errors the best candidate must win by, >= 0.

    Attributes
    ----------
    scoring : dict
        The search's ``scoring``: ``"accuracy"`` and ``"rows"``, the number of
        rows each split scored.

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

    def __init__(self, z=1.0):
        if not isinstance(z, Real) or isinstance(z, bool) or not z >= 0:
            raise ValueError(f"z must be a real number >= 0, got {z!r}")
        self.z = z
        self.scoring = {"accuracy": "accuracy", "rows": _rows_scored}

    def __call__(self, cv_results):
        """The index of the candidate to refit, from a search's ``cv_results_``."""
        missing = {"mean_test_accuracy", "mean_test_rows"} - set(cv_results)
        if missing:
            raise ValueError(
                f"cv_results_ has no {', '.join(sorted(missing))}: give the search "
                "scoring=rule.scoring as well as refit=rule")
        # a failed fit scores NaN (error_score): it never wins, nor is kept
        accuracy = np.asarray(cv_results["mean_test_accuracy"], dtype=float)
        accuracy = np.where(np.isnan(accuracy), -np.inf, accuracy)
        n_splits = sum(key.startswith("split") and key.endswith("_test_rows")
                       for key in cv_results)
        n = float(np.asarray(cv_results["mean_test_rows"])[0]) * n_splits
        best = int(np.argmax(accuracy))
        a, b = accuracy[0], accuracy[best]
        if not np.isfinite(a):
            return best
        error = np.sqrt((a * (1 - a) + b * (1 - b)) / n)
        return best if b - a > self.z * error else 0

    def __repr__(self):
        return f"KeepFirstUnlessBetter(z={self.z!r})"
