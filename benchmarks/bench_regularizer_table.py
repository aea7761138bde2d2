"""The chapter's own comparison, done as its source did it.

Srivastava et al. (2014, JMLR, Table 9) compared regularizers on one ReLU
network (MNIST, 784-1024-1024-2048-10) with each strength tuned on a
validation set; test errors: L2 1.62%, L2+L1 1.60%, max-norm 1.35%,
dropout+L2 1.25%, dropout+max-norm 1.05%.

This script runs the same five rows (plus none) on Fashion-MNIST with a
network and budget this 2-core machine can afford: 784-1024-1024-10 ReLU,
Adam lr 1e-3, batch 128, a stratified training subset (``--train-size``) and
a fixed epoch budget. Each strength is chosen by ``GridSearchCV`` with one
stratified validation split (20%) of the training subset (never the test
set), the chosen network is refitted on the whole subset and scored on the
10,000 test images. Each seed draws a new training subset and new network
seeds. Dropout keeps the paper's probabilities (0.8 input, 0.5 hidden).

    OMP_NUM_THREADS=1 python benchmarks/bench_regularizer_table.py \\
        --train-size 8000 --epochs 25 --seeds 0 1 --out table.csv
"""

import argparse
import csv
import sys
import time
import warnings

import numpy as np
from scipy import stats
from sklearn.model_selection import (GridSearchCV, StratifiedShuffleSplit,
                                     train_test_split)

import skreg
from skreg import DFNClassifier
from skreg.datasets import load_fashion_mnist

HIDDEN = (1024, 1024)
KEEP = (0.8, 0.5, 0.5)
#: row -> (fixed parameters, grid of the tuned strength); Table 9's rows
ROWS = {
    "none": ({}, {}),
    "L2": ({"penalty": "l2"}, {"alpha": [0.1, 1.0, 10.0]}),
    "L2+L1": ({"penalty": "elasticnet", "l1_ratio": 0.1}, {"alpha": [0.1, 1.0, 10.0]}),
    "max-norm": ({}, {"max_norm": [1.0, 2.0, 4.0]}),
    "dropout+L2": ({"penalty": "l2", "dropout_keep": KEEP},
                   {"alpha": [0.01, 0.1, 1.0]}),
    "dropout+max-norm": ({"dropout_keep": KEEP}, {"max_norm": [1.0, 2.0, 4.0]}),
}
PAPER = {"L2": 1.62, "L2+L1": 1.60, "max-norm": 1.35, "dropout+L2": 1.25,
         "dropout+max-norm": 1.05}


def _data(train_size, seed):
    (X, y), (Xt, yt) = load_fashion_mnist()
    X, _, y, _ = train_test_split(X, y, train_size=train_size, stratify=y,
                                  random_state=seed)
    scale = np.float32(255)
    return (X / scale).astype(np.float32), y, (Xt / scale).astype(np.float32), yt


def _fit_row(name, X, y, epochs, seed):
    """Tune the row's strength on a validation split of (X, y), refit on all."""
    fixed, grid = ROWS[name]
    est = DFNClassifier(HIDDEN, penalty=None, batch_size=128, max_iter=epochs,
                        learning_rate_init=1e-3, n_iter_no_change=10**6,
                        random_state=seed)
    est.set_params(**fixed)
    if not grid:
        return est.fit(X, y), {}
    search = GridSearchCV(est, grid, n_jobs=1, refit=True, cv=StratifiedShuffleSplit(
        n_splits=1, test_size=0.2, random_state=seed))
    search.fit(X, y)
    return search.best_estimator_, search.best_params_


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-size", type=int, default=8000)
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--rows", default=",".join(ROWS))
    parser.add_argument("--out", help="CSV file of the per-seed rows")
    args = parser.parse_args()
    rows = args.rows.split(",")
    print(f"skreg {skreg.__version__}; Fashion-MNIST, {args.train_size} training "
          f"rows (stratified subset per seed), 10,000 test; 784-1024-1024-10 ReLU, "
          f"Adam 1e-3, batch 128, {args.epochs} epochs; seeds {args.seeds}",
          flush=True)
    records = []
    for seed in args.seeds:
        X, y, Xt, yt = _data(args.train_size, seed)
        for name in rows:
            tic = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                est, chosen = _fit_row(name, X, y, args.epochs, seed)
            error = 100 * (1 - est.score(Xt, yt))
            rec = dict(row=name, seed=seed, chosen=repr(chosen),
                       train_error=100 * (1 - est.score(X, y)), test_error=error,
                       seconds=round(time.perf_counter() - tic, 1))
            records.append(rec)
            print(rec, flush=True)
    if args.out:
        with open(args.out, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(records)
    _print_table(records, rows)


def _print_table(records, rows):
    print("\n| row | test error % (mean) | per seed | spread (sd) | chosen | "
          "paper (MNIST) |\n|---|---|---|---|---|---|")
    for name in rows:
        errs = np.array([r["test_error"] for r in records if r["row"] == name])
        chosen = "; ".join(r["chosen"] for r in records if r["row"] == name)
        sd = np.std(errs, ddof=1) if len(errs) > 1 else float("nan")
        print(f"| {name} | {errs.mean():.2f} | "
              f"{', '.join(f'{e:.2f}' for e in errs)} | {sd:.2f} | {chosen} | "
              f"{PAPER.get(name, '-')} |")
    means = {n: np.mean([r["test_error"] for r in records if r["row"] == n])
             for n in rows}
    paper_order = [n for n in PAPER if n in means]
    tau = stats.kendalltau([PAPER[n] for n in paper_order],
                           [means[n] for n in paper_order])
    print(f"\nordering here (best first): {sorted(means, key=means.get)}; "
          f"Kendall tau with the paper's order: {tau.statistic:.2f}", file=sys.stdout)


if __name__ == "__main__":
    main()
