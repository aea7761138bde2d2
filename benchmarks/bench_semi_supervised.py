"""Semi-supervised learning (chapter 7.6) on sklearn's digits.

80% of the training labels are hidden (-1). The same network is trained
(a) on the labeled 20% alone and (b) on all rows with
``reconstruction_weight`` (the unlabeled rows train the decoder head that
shares the first hidden layer). Test accuracy, mean over seeds.

    python benchmarks/bench_semi_supervised.py
"""

import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier


def run(seed, hidden_fraction=0.8, weight=1.0, epochs=100):
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    X, Xt, y, yt = train_test_split(X, y, test_size=0.5, random_state=seed, stratify=y)
    hidden = np.random.default_rng(seed).random(len(y)) < hidden_fraction
    partial = np.where(hidden, -1, y)
    kw = dict(hidden_layer_sizes=(64,), max_iter=epochs, learning_rate_init=0.01,
              random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labeled_only = DFNClassifier(**kw).fit(X[~hidden], y[~hidden])
        semi = DFNClassifier(**kw, reconstruction_weight=weight).fit(X, partial)
    return labeled_only.score(Xt, yt), semi.score(Xt, yt)


def main():
    seeds = range(5)
    results = np.array([run(s) for s in seeds])
    print("| model (digits, 80% of training labels hidden) | test accuracy (mean of 5 seeds) |")
    print("|---|---|")
    print(f"| labeled 20% only | {results[:, 0].mean():.4f} +- {results[:, 0].std():.4f} |")
    print(f"| all rows, reconstruction_weight=1 | {results[:, 1].mean():.4f} "
          f"+- {results[:, 1].std():.4f} |")


if __name__ == "__main__":
    main()
