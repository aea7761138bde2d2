"""The tabular pipeline for regression: a ``DFNRegressor`` with the tabular
defaults (without label smoothing), the target as it comes and standardized
(``make_tabular_pipeline(task="regression")``: scikit-learn's
``TransformedTargetRegressor`` with a ``StandardScaler``), against
scikit-learn's ``MLPRegressor`` (``max_iter=500``) in the same pipeline.

Tables: scikit-learn's ``load_diabetes`` (unscaled) and mlbench's
``BostonHousing`` and ``Ozone`` (rows with a missing target dropped); held-out
R² over paired 80/20 ``ShuffleSplit`` splits (``random_state=0``), mean and
half-width of the 95% t interval::

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        python benchmarks/bench_tabular_regression.py \
        --markdown benchmarks/results/tabular_regression.md

Needs the ``bench`` extra and ``apt-get install r-cran-mlbench``.
"""

import argparse
import warnings
from pathlib import Path

import numpy as np
from sklearn.model_selection import ShuffleSplit
from sklearn.neural_network import MLPRegressor

from _tabular_data import _mlbench
from _tabular_report import _interval
from skreg import DFNRegressor, make_tabular_pipeline
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


TABLES = {
    "diabetes": _diabetes,
    "boston": lambda: _mlbench_regression("BostonHousing", "medv"),
    "ozone": lambda: _mlbench_regression("Ozone", "V4"),
}


def models(seed):
    """The three contenders, each a fresh pipeline."""
    network = DFNRegressor(**tabular_defaults("regression"), random_state=seed)
    return {
        "skreg": make_tabular_pipeline(network),
        "skreg, target standardized": make_tabular_pipeline(
            task="regression").set_params(
                transformedtargetregressor__regressor__random_state=seed),
        "mlp": make_tabular_pipeline(MLPRegressor(max_iter=500, random_state=seed)),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args(argv)
    names = list(models(0))
    scores = {name: {} for name in names}
    for table, load in TABLES.items():
        X, y = load()
        for split, (train, test) in enumerate(
                ShuffleSplit(args.splits, test_size=0.2, random_state=0).split(X)):
            for name, model in models(split).items():
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # MLP's ConvergenceWarning
                    model.fit(X.iloc[train], y[train])
                scores[name].setdefault(table, []).append(
                    model.score(X.iloc[test], y[test]))
    lines = [f"Held-out R² (mean ± half-width of the 95% t interval over {args.splits} "
             "paired 80/20 splits, random_state=0):", "",
             "| model | " + " | ".join(TABLES) + " |", "|---" * (len(TABLES) + 1) + "|"]
    cells = {name: ["{:.3f} ± {:.3f}".format(*_interval(scores[name][t])) for t in TABLES]
             for name in names}
    lines += [f"| {name} | " + " | ".join(cells[name]) + " |" for name in names]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text)


if __name__ == "__main__":
    main()
