"""cocktail_space: every sampled configuration is a valid, fittable estimator;
cocktail_candidates: the estimator as given, then draws of the space."""

import math

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (GridSearchCV, HalvingGridSearchCV,
                                     HalvingRandomSearchCV, ParameterGrid,
                                     ParameterSampler, RandomizedSearchCV)

from skreg import (DFNClassifier, DFNRegressor, cocktail_candidates, cocktail_space,
                   make_tabular_pipeline)

pd = pytest.importorskip("pandas")


def _tiny(n=48, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"x": rng.normal(size=n), "z": rng.normal(size=n),
                      "c": rng.choice(["a", "b"], n).astype(object)})
    X.loc[::6, "x"] = np.nan
    y = np.where(X["z"] > 0, "up", "down")
    return X, y


def _in_space(name, value, space):
    values = space[name]
    return value in values if isinstance(values, list) else values.pdf(value) > 0


def test_fifty_sampled_configurations_validate_and_fit():
    X, y = _tiny()
    base = make_tabular_pipeline(DFNClassifier(max_iter=2, random_state=0))
    for params in ParameterSampler(cocktail_space(), 50, random_state=0):
        pipe = clone(base).set_params(**params).fit(X, y)
        assert pipe.predict(X).shape == (len(X),)


def test_sampled_configurations_retrain_like_the_defaults():
    """Draws on top of the tabular defaults keep their retraining on every
    row (algorithm 7.2) and its weight averaging (to 1.5 times the best
    epoch) with whatever the draw adds: cosine schedules, mixup, noise,
    dropout, max-norm, weight decay."""
    from skreg.tabular import tabular_defaults

    X, y = _tiny(80)
    base = make_tabular_pipeline(DFNClassifier(
        **{**tabular_defaults(), "max_iter": 6}, random_state=0))
    for params in ParameterSampler(cocktail_space(), 20, random_state=1):
        net = clone(base).set_params(**params).fit(X, y)[-1]
        assert net.refit_n_iter_ == math.ceil(1.5 * net.best_epoch_) >= 2


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_by_default_keys_are_parameters_of_the_pipelines_network(task):
    """step=None names the network of make_tabular_pipeline(task=task)."""
    network = make_tabular_pipeline(task=task)[-1]
    network = network.regressor if task == "regression" else network
    known = make_tabular_pipeline(task=task).get_params()
    for space in (cocktail_space(task=task),
                  cocktail_candidates(3, task=task, random_state=0)[1]):
        assert set(space) <= set(known)
        assert {k.rsplit("__", 1)[1] for k in space} <= set(network.get_params())
    assert ("dfnclassifier__label_smoothing" in cocktail_space(task=task)) == (
        task == "classification")


def test_every_key_is_a_parameter_of_the_estimator_step():
    known = make_tabular_pipeline().get_params()
    assert set(cocktail_space()) <= set(known)
    bare = cocktail_space("")
    assert set(bare) <= set(DFNClassifier().get_params())
    assert "label_smoothing" in bare


def test_distributions_and_lists():
    space = cocktail_space("")
    assert hasattr(space["alpha"], "rvs") and isinstance(space["penalty"], list)
    draws = space["alpha"].rvs(size=2000, random_state=np.random.default_rng(0))
    assert 1e-7 <= draws.min() and draws.max() <= 1e-2
    # log-uniform: the median of log10 is the middle of [-7, -2]
    assert abs(np.median(np.log10(draws)) + 4.5) < 0.2


def test_space_is_centred_on_the_tabular_defaults():
    """Every default the space sets can be drawn: a listed value, or inside
    the support of a distribution; the rest (the epoch cap and what
    follows early stopping) the candidates inherit from the estimator."""
    from skreg.tabular import tabular_defaults

    space = cocktail_space("")
    for name, default in tabular_defaults().items():
        if name not in space:
            assert name in ("max_iter", "refit_strategy", "weight_averaging")
        else:
            assert _in_space(name, default, space), name


def test_regression_space_fits_a_regressor():
    space = cocktail_space("dfnregressor", task="regression")
    assert not any(k.endswith("label_smoothing") for k in space)
    X, _ = _tiny()
    y = np.nan_to_num(X["x"].to_numpy())
    base = make_tabular_pipeline(DFNRegressor(max_iter=2, random_state=0))
    for params in ParameterSampler(space, 5, random_state=1):
        clone(base).set_params(**params).fit(X, y)


def test_bad_task_raises():
    with pytest.raises(ValueError, match="'task' parameter of cocktail_space"):
        cocktail_space(task="ranking")


@pytest.mark.parametrize("search", [RandomizedSearchCV, HalvingRandomSearchCV])
def test_random_searches_run_on_a_tiny_table(search):
    X, y = _tiny(80)
    pipe = make_tabular_pipeline(DFNClassifier(max_iter=3, random_state=0))
    kwargs = dict(n_iter=3) if search is RandomizedSearchCV else dict(
        n_candidates=4, min_resources=30)
    result = search(pipe, cocktail_space(), cv=2, random_state=0, **kwargs).fit(X, y)
    assert set(result.best_params_) == set(cocktail_space())
    assert 0 <= result.score(X, y) <= 1


@pytest.mark.parametrize("n", [1, 2, 7])
def test_candidates_are_the_estimator_then_draws_of_the_space(n):
    grid = cocktail_candidates(n, random_state=3)
    settings = list(ParameterGrid(grid))  # what a grid search will try
    assert len(settings) == n and settings[0] == {}
    space = cocktail_space()
    for draw in settings[1:]:
        assert set(draw) == set(space)
        assert all(_in_space(name, value, space) for name, value in draw.items())
    assert len({repr(sorted(d.items())) for d in settings}) == n  # no repeats


def test_candidates_follow_their_seed():
    assert repr(cocktail_candidates(4, random_state=0)) == repr(
        cocktail_candidates(4, random_state=0))
    assert repr(cocktail_candidates(4, random_state=0)) != repr(
        cocktail_candidates(4, random_state=1))


def test_regression_candidates_have_no_label_smoothing():
    grid = cocktail_candidates(3, "dfnregressor", task="regression", random_state=0)
    assert grid[0] == {} and all(k.startswith("dfnregressor__") for k in grid[1])
    assert not any(k.endswith("label_smoothing") for d in grid for k in d)


def test_bad_number_of_candidates_raises():
    with pytest.raises(ValueError, match="'n_candidates' parameter of cocktail_candidates"):
        cocktail_candidates(0)


@pytest.mark.parametrize("search", [GridSearchCV, HalvingGridSearchCV])
def test_grid_searches_try_the_estimator_as_given(search):
    """The first candidate is the pipeline's own network: its cross-validated
    score equals that of the pipeline scored without any search."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    X, y = _tiny(80)
    pipe = make_tabular_pipeline(DFNClassifier(max_iter=3, random_state=0))
    cv = StratifiedKFold(2)
    kwargs = {} if search is GridSearchCV else dict(min_resources=40, factor=2)
    result = search(pipe, cocktail_candidates(3, random_state=0), cv=cv,
                    **kwargs).fit(X, y)
    assert result.cv_results_["params"][0] == {}
    own = cross_val_score(pipe, X, y, cv=cv).mean()
    if search is GridSearchCV:
        assert result.cv_results_["mean_test_score"][0] == own
    assert result.best_params_ in result.cv_results_["params"]
