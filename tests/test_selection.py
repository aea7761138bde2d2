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


def _regression_results(squared_error, variance, rows, n_splits=1):
    results = {"mean_test_squared_error": np.asarray(squared_error, dtype=float),
               "mean_test_squared_error_variance": np.asarray(variance, dtype=float),
               "mean_test_rows": np.full(len(squared_error), float(rows))}
    for i in range(n_splits):
        results[f"split{i}_test_rows"] = np.full(len(squared_error), float(rows))
    return results


def test_squared_error_closed_form_threshold():
    # mean squared errors 1.0 and 0.9 with variances 2.0 and 1.6: the standard
    # error of the difference on n rows is sqrt(3.6 / n): 0.19 for n = 100,
    # 0.06 for n = 1000
    rule = KeepFirstUnlessBetter(metric="squared_error")
    assert rule(_regression_results([1.0, 0.9, 0.95], [2.0, 1.6, 1.0], rows=100)) == 0
    assert rule(_regression_results([1.0, 0.9, 0.95], [2.0, 1.6, 1.0], rows=1000)) == 1
    assert rule(_regression_results([1.0, 0.9, 0.95], [2.0, 1.6, 1.0], rows=500,
                                    n_splits=2)) == 1


@given(loss=st.lists(st.floats(0.01, 10), min_size=1, max_size=6),
       spread=st.floats(0.1, 5), rows=st.integers(20, 5000), z=st.floats(0, 4))
def test_squared_error_first_or_best_and_only_beyond_z_standard_errors(
        loss, spread, rows, z):
    loss = np.asarray(loss)
    variance = spread * loss ** 2
    chosen = KeepFirstUnlessBetter(z, "squared_error")(
        _regression_results(loss, variance, rows))
    best = int(np.argmin(loss))
    assert chosen in (0, best)
    margin = z * np.sqrt((variance[0] + variance[best]) / rows)
    assert (chosen == best != 0) == (loss[0] - loss[best] > margin)


def _regression_table(n=160, seed=0):
    X, _ = _table(n, seed)
    rng = np.random.default_rng(seed + 1)
    return X, 100 + 20 * X["x"].to_numpy() + rng.normal(size=n)


@pytest.mark.parametrize("z", [0.0, 1.0, 1e6])
def test_regression_grid_search_refits_the_candidate_the_rule_chooses(z):
    from sklearn.model_selection import ShuffleSplit

    X, y = _regression_table()
    pipe = make_tabular_pipeline(task="regression").set_params(
        transformedtargetregressor__regressor__max_iter=10,
        transformedtargetregressor__regressor__hidden_layer_sizes=(8,),
        transformedtargetregressor__regressor__random_state=0)
    grid = cocktail_candidates(4, random_state=1, task="regression")
    rule = KeepFirstUnlessBetter(z, metric="squared_error")
    cv = ShuffleSplit(1, test_size=0.25, random_state=0)
    search = GridSearchCV(pipe, grid, cv=cv, scoring=rule.scoring, refit=rule).fit(X, y)
    results = search.cv_results_
    chosen = search.best_index_
    if z == 0.0:
        assert chosen == int(np.argmin(results["mean_test_squared_error"]))
    if z == 1e6:
        assert chosen == 0
    # the recorded scores are the candidate's squared errors on the held-out rows
    train, test = next(cv.split(X))
    fitted = clone(pipe).set_params(**results["params"][chosen]).fit(
        X.iloc[train], y[train])
    errors = (y[test] - fitted.predict(X.iloc[test])) ** 2
    np.testing.assert_allclose(results["mean_test_squared_error"][chosen],
                               errors.mean())
    np.testing.assert_allclose(results["mean_test_squared_error_variance"][chosen],
                               errors.var(ddof=1))
    refit = clone(pipe).set_params(**results["params"][chosen]).fit(X, y)
    np.testing.assert_array_equal(search.predict(X), refit.predict(X))


def test_squared_error_of_a_two_column_target_averages_the_outputs():
    from sklearn.linear_model import LinearRegression

    from skreg.selection import _squared_error, _squared_error_var

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(50, 3)), rng.normal(size=(50, 2))
    model = LinearRegression().fit(X[:30], Y[:30])
    rows = ((Y[30:] - model.predict(X[30:])) ** 2).mean(axis=1)
    assert _squared_error(model, X[30:], Y[30:]) == pytest.approx(rows.mean())
    assert _squared_error_var(model, X[30:], Y[30:]) == pytest.approx(
        rows.var(ddof=1))


def test_accuracy_rule_on_a_regression_search_raises():
    """A classifier's rule on a regressor's search: every accuracy is NaN
    (scikit-learn warns per split); the rule says so instead of keeping
    the first candidate as if it had been compared."""
    import warnings

    X, y = _regression_table()
    pipe = make_tabular_pipeline(task="regression").set_params(
        transformedtargetregressor__regressor__max_iter=2)
    rule = KeepFirstUnlessBetter()
    with warnings.catch_warnings(), pytest.raises(
            ValueError, match="every candidate's accuracy is NaN: every fit or score "
                              "failed"):
        warnings.simplefilter("ignore")
        GridSearchCV(pipe, [{}, {}], cv=2, scoring=rule.scoring, refit=rule).fit(X, y)


def test_squared_error_rule_without_its_scoring_raises():
    with pytest.raises(ValueError, match="cv_results_ has no "
                       "mean_test_squared_error, mean_test_squared_error_variance"):
        KeepFirstUnlessBetter(metric="squared_error")(_results([0.9], rows=10))


@pytest.mark.parametrize("metric", ["mse", None, 1])
def test_bad_metric_raises(metric):
    with pytest.raises(ValueError, match=r"metric must be one of \['accuracy', "
                       r"'squared_error'\]"):
        KeepFirstUnlessBetter(metric=metric)


def test_squared_error_rule_pickles_and_repr():
    import pickle

    rule = pickle.loads(pickle.dumps(KeepFirstUnlessBetter(0.5, "squared_error")))
    assert repr(rule) == "KeepFirstUnlessBetter(z=0.5, metric='squared_error')"
    assert set(rule.scoring) == {"squared_error", "squared_error_variance", "rows"}
