"""KeepFirstUnlessBetter: the first candidate unless the best beats it by
more than z standard errors of the difference of two accuracies."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.model_selection import (GridSearchCV, StratifiedKFold,
                                     StratifiedShuffleSplit)

from skreg import (DFNClassifier, KeepFirstUnlessBetter, cocktail_candidates,
                   make_tabular_pipeline)

pd = pytest.importorskip("pandas")


def _results(accuracy, rows, n_splits=1):
    results = {"mean_test_accuracy": np.asarray(accuracy, dtype=float),
               "mean_test_rows": np.full(len(accuracy), float(rows))}
    for i in range(n_splits):
        results[f"split{i}_test_rows"] = np.full(len(accuracy), float(rows))
        results[f"split{i}_test_accuracy"] = np.asarray(accuracy, dtype=float)
    return results


def test_closed_form_threshold():
    # a = 0.90, b = 0.93: the standard error of the difference on n rows is
    # sqrt((0.9 * 0.1 + 0.93 * 0.07) / n): 0.0394 for n = 100, 0.0125 for 1000
    rule = KeepFirstUnlessBetter()
    assert rule(_results([0.90, 0.93, 0.92], rows=100)) == 0
    assert rule(_results([0.90, 0.93, 0.92], rows=1000)) == 1
    assert rule(_results([0.90, 0.93, 0.92], rows=500, n_splits=2)) == 1  # 1000 rows
    assert KeepFirstUnlessBetter(z=3)(_results([0.90, 0.93, 0.92], rows=1000)) == 0


@given(accuracy=st.lists(st.integers(0, 200), min_size=1, max_size=6),
       rows=st.integers(200, 5000), z=st.floats(0, 4))
def test_first_or_best_and_only_beyond_z_standard_errors(accuracy, rows, z):
    accuracy = np.asarray(accuracy) / 200
    chosen = KeepFirstUnlessBetter(z)(_results(accuracy, rows))
    best = int(np.argmax(accuracy))
    assert chosen in (0, best)
    a, b = accuracy[0], accuracy[best]
    margin = z * np.sqrt((a * (1 - a) + b * (1 - b)) / rows)
    assert (chosen == best != 0) == (b - a > margin)


def test_z_zero_is_the_argmax_and_ties_keep_the_first():
    assert KeepFirstUnlessBetter(0)(_results([0.8, 0.81, 0.79], rows=10)) == 1
    assert KeepFirstUnlessBetter(0)(_results([0.8, 0.8, 0.79], rows=10)) == 0


def test_a_failed_candidate_never_wins_and_a_failed_first_is_replaced():
    rule = KeepFirstUnlessBetter()
    assert rule(_results([0.9, np.nan, 0.91], rows=100)) == 0
    assert rule(_results([np.nan, 0.7, 0.9], rows=100)) == 2


def _table(n=160, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n),
                      "c": rng.choice(["a", "b"], n).astype(object)})
    y = np.where(X["x"] + 0.5 * rng.normal(size=n) > 0, "up", "down")
    return X, y


@pytest.mark.parametrize("cv", [
    StratifiedShuffleSplit(1, test_size=0.25, random_state=0), StratifiedKFold(2)])
@pytest.mark.parametrize("z", [0.0, 1.0, 50.0])
def test_grid_search_refits_the_candidate_the_rule_chooses(cv, z):
    X, y = _table()
    pipe = make_tabular_pipeline(DFNClassifier((8,), max_iter=10, random_state=0))
    grid = cocktail_candidates(4, random_state=1)
    rule = KeepFirstUnlessBetter(z)
    search = GridSearchCV(pipe, grid, cv=cv, scoring=rule.scoring, refit=rule).fit(X, y)
    results = search.cv_results_
    n_scored = sum(results[f"split{i}_test_rows"][0] for i in range(cv.get_n_splits()))
    assert n_scored == (40 if cv.get_n_splits() == 1 else len(X))
    chosen = search.best_index_
    if z == 0.0:
        assert chosen == int(np.argmax(results["mean_test_accuracy"]))
    if z == 50.0:
        assert chosen == 0  # no accuracy wins by 50 standard errors
    refit = clone(pipe).set_params(**results["params"][chosen]).fit(X, y)
    np.testing.assert_array_equal(search.predict_proba(X), refit.predict_proba(X))


def test_a_search_without_the_rules_scoring_raises():
    X, y = _table()
    pipe = make_tabular_pipeline(DFNClassifier((8,), max_iter=2, random_state=0))
    with pytest.raises(ValueError, match="cv_results_ has no mean_test_accuracy, "
                       "mean_test_rows: give the search scoring=rule.scoring"):
        GridSearchCV(pipe, [{}], cv=2, refit=KeepFirstUnlessBetter()).fit(X, y)


@pytest.mark.parametrize("z", [-1, float("nan"), "1", True])
def test_bad_z_raises(z):
    with pytest.raises(ValueError, match="z must be a real number >= 0"):
        KeepFirstUnlessBetter(z)


def test_pickles_and_repr():
    import pickle

    rule = pickle.loads(pickle.dumps(KeepFirstUnlessBetter(2.0)))
    assert repr(rule) == "KeepFirstUnlessBetter(z=2.0)"
    assert rule(_results([0.5, 0.6], rows=10)) == 0
