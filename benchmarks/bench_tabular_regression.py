"""The tabular pipeline for regression against scikit-learn's MLPRegressor,
HistGradientBoostingRegressor, RidgeCV and RealMLP.

``skreg`` is ``make_tabular_pipeline(task="regression")``: a ``DFNRegressor``
with ``tabular_defaults("regression")`` fitted to the standardized target
(scikit-learn's ``TransformedTargetRegressor``); ``skreg_raw`` the same
network on the target as it comes; ``mlp`` scikit-learn's ``MLPRegressor``
(``max_iter=500``) and ``ridge`` ``RidgeCV`` in skreg's pipeline, the target
as it comes; ``mlp_std`` the MLP in skreg's recipe, the target
standardized; ``hgb`` with its native categories; ``realmlp`` pytabkit's
``RealMLP_TD_Regressor`` when importable (never a dependency);
``ensemble`` five default networks averaged (``BaggingRegressor`` without
bootstrap, in skreg's recipe); ``cocktail_1se`` the cocktail search,
``GridSearchCV`` over ``cocktail_candidates(5, task="regression")`` on one
80/20 split of the training rows with
``KeepFirstUnlessBetter(metric="squared_error")`` as its refit rule;
``screen:base`` and ``screen:swa`` the regression defaults before and with
weight averaging (the screen of docs/tabular.md, "Regression tables").

Held-out R² over paired 80/20 ``ShuffleSplit`` splits (``--split-seed 1``:
the screen's), on the six development tables of ``_tabular_regression``
(``--datasets check``: its five check tables). Every fit is appended to a
JSON-lines cache; ``--no-fit`` rebuilds the report from it::

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/bench_tabular_regression.py \\
        --markdown benchmarks/results/tabular_regression.md

docs/tabular.md lists the commands of each of its tables. Needs the
``bench`` extra and ``apt-get install r-cran-mlbench``.
"""

from pathlib import Path

from sklearn.metrics import r2_score
from sklearn.model_selection import ShuffleSplit

import _tabular_regression as regression
from _tabular_report import R2
from bench_tabular import Task, main

REGRESSION = Task(
    regression.load, ShuffleSplit, regression.make_model, regression.model_config,
    r2_score, R2,
    cache=Path(__file__).parent / "results" / "tabular_regression_fits.jsonl",
    models=["skreg", "skreg_raw", "mlp", "mlp_std", "hgb", "ridge", "realmlp"],
    tables=list(regression.TABLES),
    table_groups={"check": list(regression.CHECK_TABLES)},
    model_groups={"screen": [f"screen:{name}" for name in regression.SCREEN]})


if __name__ == "__main__":
    main(task=REGRESSION, description=__doc__)
