"""Other ways to spend the cocktail search's budget, screened on the split
seed 1 against the average of five default networks (``ensemble``) and not
taken (docs/tabular.md, "Other uses of the budget"):

- ``ensemble_es``: five networks averaged as in ``ensemble``, each
  early-stopped on its own 15% without algorithm 7.2's retraining, so
  about half the cost (``ensemble_es2``, two of them, was screened against
  one default network: level, docs/tabular.md "After the choice");
- ``search_average``: the grid of the defaults and four cocktail draws,
  each scored as one early-stopped network on one 80/20 holdout split,
  then five networks of the winner averaged;
- ``crossfit3``: the defaults and two draws, each cross-fitted on five
  stratified folds (one early-stopped network per fold, with its own
  seed); the best out-of-fold accuracy wins and its five fold networks are
  averaged, without a refit (every row scores every candidate).

And, against one default network (docs/tabular.md, "After the choice"):

- ``median5``: algorithm 7.2 with a steadier epoch count: five
  early-stopped default networks, each on its own 15% validation split and
  seed, and one network trained on every row for the median of their best
  epochs (the defaults retrain for the best epoch of one split).

And against ``ensemble`` again:

- ``shared_stop5``: five networks averaged, as ``ensemble``, but sharing
  one early stop: the default network (early stopping, then algorithm 7.2's
  retraining) and four more trained on every row for its epoch count, each
  from its own seed; about two default fits fewer than five.
"""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.ensemble import BaggingClassifier
from sklearn.model_selection import (GridSearchCV, StratifiedKFold,
                                     StratifiedShuffleSplit)

from skreg import DFNClassifier, cocktail_candidates, make_tabular_pipeline
from skreg.tabular import tabular_defaults

FOLDS = 5


def _previous_defaults():
    """The defaults before weight averaging was taken (docs/tabular.md,
    "Third round"), on which every screen before it was made; written out,
    so that a later change of ``tabular_defaults()`` leaves them as they were."""
    return dict(hidden_layer_sizes=(128, 128), activation="tanh",
                learning_rate_init=1e-3, batch_size=128, max_iter=1000,
                early_stopping=True, n_iter_no_change=20, validation_fraction=0.15,
                refit_strategy="retrain", label_smoothing=0.1)


DEFAULTS = {"current": tabular_defaults, "previous": _previous_defaults}
_defaults_in_use = ["current"]


def use_defaults(name):
    """Build every model made of default networks (``skreg``, ``ensemble``,
    the searches, the screens here) on the ``"current"`` or the
    ``"previous"`` defaults; bench_tabular.py's ``--defaults``."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown defaults {name!r}; known: {', '.join(DEFAULTS)}")
    _defaults_in_use[0] = name


def network_defaults():
    """The default network's parameters in use (see ``use_defaults``)."""
    return DEFAULTS[_defaults_in_use[0]]()


def _without_retraining(**changes):
    """The defaults in use, changed, without the retraining's settings."""
    params = {**network_defaults(), **changes, "refit_strategy": None}
    params.pop("weight_averaging", None)
    return params


def _early_stopped():
    return DFNClassifier(**_without_retraining())


def early_stopped_average(seed, size):
    """``ensemble_es``: ``size`` early-stopped default networks averaged."""
    return make_tabular_pipeline(BaggingClassifier(
        _early_stopped(), n_estimators=size, bootstrap=False, random_state=seed))


class SearchThenAverage:
    """``search_average``: the winner of a holdout grid of ``n_candidates``,
    ``size`` times."""

    def __init__(self, seed, n_candidates, size):
        self.seed, self.n_candidates, self.size = seed, n_candidates, size

    def fit(self, X, y):
        pipe = make_tabular_pipeline(BaggingClassifier(
            _early_stopped(), n_estimators=1, bootstrap=False, random_state=self.seed))
        grid = cocktail_candidates(self.n_candidates, "baggingclassifier__estimator",
                                   random_state=self.seed)
        holdout = StratifiedShuffleSplit(1, test_size=0.2, random_state=self.seed)
        search = GridSearchCV(pipe, grid, cv=holdout, refit=False).fit(X, y)
        self.model_ = clone(pipe).set_params(
            **search.best_params_, baggingclassifier__n_estimators=self.size).fit(X, y)
        return self

    def predict(self, X):
        return self.model_.predict(X)


class CrossFitSearch:
    """``crossfit3``: n_candidates cross-fitted, the best fold networks averaged."""

    def __init__(self, seed, n_candidates):
        self.seed, self.n_candidates = seed, n_candidates

    def _cross_fit(self, pipe, X, y):
        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=self.seed)
        predicted, members = np.empty_like(y), []
        for i, (train, test) in enumerate(folds.split(X, y)):
            seed = FOLDS * self.seed + i
            member = clone(pipe).set_params(dfnclassifier__random_state=seed)
            members.append(member.fit(X.iloc[train], y[train]))
            predicted[test] = member.predict(X.iloc[test])
        return np.mean(predicted == y), members

    def fit(self, X, y):
        pipe = make_tabular_pipeline(_early_stopped())
        best_score = -np.inf
        for grid in cocktail_candidates(self.n_candidates, random_state=self.seed):
            candidate = clone(pipe).set_params(**{k: v[0] for k, v in grid.items()})
            score, members = self._cross_fit(candidate, X, y)
            if score > best_score:  # ties keep the earlier candidate: defaults first
                best_score, self.estimators_ = score, members
        return self

    def predict(self, X):
        return _averaged_prediction(self.estimators_, X)


def _averaged_prediction(estimators, X):
    """The class of the highest mean predicted probability."""
    proba = np.mean([e.predict_proba(X) for e in estimators], axis=0)
    return estimators[0].classes_[proba.argmax(axis=1)]


class MedianEpochNetwork(ClassifierMixin, BaseEstimator):
    """``median5``: one default network trained on every row for the median
    best epoch of ``runs`` early-stopped ones (on the pipeline's features)."""

    def __init__(self, runs=5, random_state=0):
        self.runs, self.random_state = runs, random_state

    def fit(self, X, y):
        seeds = range(self.runs * self.random_state, self.runs * (self.random_state + 1))
        self.best_epochs_ = [_early_stopped().set_params(random_state=s)
                             .fit(X, y).best_epoch_ for s in seeds]
        self.network_ = _fit_planned(_retrained(int(np.median(self.best_epochs_)),
                                                self.random_state), X, y)
        self.classes_ = self.network_.classes_
        return self

    def predict(self, X):
        return self.network_.predict(X)


def _retrained(epochs, seed):
    """A default network trained on every row for exactly ``epochs`` epochs
    (algorithm 7.2's retraining without its first phase)."""
    return DFNClassifier(**_without_retraining(early_stopping=False,
                                               n_iter_no_change=np.inf,
                                               max_iter=epochs), random_state=seed)


def _fit_planned(network, X, y):
    with warnings.catch_warnings():
        # the epoch count is the plan here, not a failure to converge
        warnings.filterwarnings("ignore", "Stochastic optimizer: maximum",
                                ConvergenceWarning)
        return network.fit(X, y)


class SharedStopAverage(ClassifierMixin, BaseEstimator):
    """``shared_stop5``: the default network and ``size - 1`` more retrained
    for its best epoch, their probabilities averaged."""

    def __init__(self, size=5, random_state=0):
        self.size, self.random_state = size, random_state

    def fit(self, X, y):
        seed = self.size * self.random_state
        first = DFNClassifier(**network_defaults(), random_state=seed).fit(X, y)
        self.estimators_ = [first] + [_fit_planned(_retrained(first.best_epoch_, s), X, y)
                                      for s in range(seed + 1, seed + self.size)]
        self.classes_ = first.classes_
        return self

    def predict(self, X):
        return _averaged_prediction(self.estimators_, X)
