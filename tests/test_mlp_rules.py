"""skreg's side of the rules it shares with scikit-learn's MLP (issue 24),
in more detail than tests/test_mlp_differential.py compares: the messages,
the semi-supervised split's own rules, every kind of classification target
under warm_start, and best_loss_ across warm-start fits."""

import re
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skreg import DFNClassifier, DFNRegressor

from .test_mlp_differential import FOUR, MULTILABEL, R, STATE_PHRASE, X, Y, small

def test_least_populated_class_is_named():
    est = DFNClassifier((4,), early_stopping=True, validation_fraction=0.5)
    with pytest.raises(ValueError, match=r"least populated class.*validation_fraction="
                                         r"0\.5.*too few rows: \['b'\]"):
        est.fit(FOUR, ["a", "a", "a", "b"])
    assert not hasattr(est, "coefs_")


def test_stratified_split_needs_every_class_on_both_sides():
    est = DFNClassifier((4,), early_stopping=True, validation_fraction=0.2)
    with pytest.raises(ValueError, match=r"cannot hold each of the 3 classes in both "
                                         r"sets: validation_fraction=0\.2 of 6 rows "
                                         r"makes 2 validation and 4 training rows"):
        est.fit(X[:6], [0, 0, 1, 1, 2, 2])


def test_too_small_validation_split_message():
    with pytest.raises(ValueError, match=r"validation set is too small.*of 4 rows "
                                         r"makes 1 validation and 3 training"):
        DFNRegressor((4,), early_stopping=True).fit(X[:4], R[:4])


def test_regressor_validation_data_of_one_row_is_refused():
    est = DFNRegressor((4,), max_iter=2)
    with pytest.raises(ValueError,
                       match="validation set is too small: validation_data has 1 row"):
        est.fit(X, R, validation_data=(X[:1], R[:1]))
    assert not hasattr(est, "coefs_")


def test_semi_supervised_split_keeps_its_own_rules():
    """Unlabeled rows (-1) never validate; a class with one labeled row makes
    the split unstratified instead of an error (few labels are the point)."""
    labels = np.full(len(Y), -1)
    labels[[0, 1, 2, 3, 50, 51, 52, 100]] = Y[[0, 1, 2, 3, 50, 51, 52, 100]]
    est = small(DFNClassifier, reconstruction_weight=0.1, early_stopping=True,
                validation_fraction=0.25)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, labels)
    assert est.best_loss_ is None and len(est.validation_scores_) == est.n_iter_
    assert est.t_ == est.n_iter_ * (len(X) - 2)  # ceil(0.25 * 8) labeled rows held out


@pytest.mark.parametrize("first, second", [
    (MULTILABEL, np.c_[MULTILABEL, Y == 2].astype(int)),  # one more label
    (MULTILABEL, Y),  # another kind of target
    (np.c_[Y, Y % 2], np.c_[Y, Y % 2 + 1]),  # multi-task: a column's classes
])
def test_warm_start_other_targets_of_every_kind(first, second):
    est = small(DFNClassifier, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, first)
        with pytest.raises(ValueError, match=re.escape(STATE_PHRASE)):
            est.fit(X, second)
        assert est.fit(X, first).n_iter_ == 3  # the same targets continue


def test_warm_start_semi_supervised_compares_labeled_classes():
    labels = Y.copy()
    labels[::3] = -1
    est = small(DFNClassifier, reconstruction_weight=0.1, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, labels).fit(X, Y)  # -1 marks rows, it is not a class
        with pytest.raises(ValueError, match=re.escape(STATE_PHRASE)):
            est.fit(X, np.where(Y == 2, -1, Y))


def test_best_loss_follows_each_warm_start_fit():
    """scikit-learn's MLP fails when early_stopping is switched between
    warm-start fits (best_loss_ None meets a number); skreg restarts the
    tracking: None with early stopping, else the lowest loss seen."""
    est = small(DFNClassifier, warm_start=True, early_stopping=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert est.fit(X, Y).best_loss_ is None
        est.set_params(early_stopping=False).fit(X, Y)
        assert est.best_loss_ == min(est.loss_curve_[3:])
        assert est.set_params(early_stopping=True).fit(X, Y).best_loss_ is None
        lbfgs = small(DFNClassifier, solver="lbfgs", early_stopping=True).fit(X, Y)
    assert lbfgs.best_loss_ == lbfgs.loss_  # early stopping is for sgd and adam
