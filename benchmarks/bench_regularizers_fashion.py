"""Test accuracy of each regularizer on full Fashion-MNIST (chapter 7).

One 784-512-256-10 ReLU network (Adam, lr 1e-3, batch 128), the same split,
seed and epoch budget for every row; scikit-learn's MLPClassifier with the
same network as the reference row. Target: a dropout network reaches
>= 0.895 test accuracy within 30 epochs.

    python benchmarks/bench_regularizers_fashion.py [--epochs 30] [--rows "none|dropout 0.5"]
"""

import argparse
import time
import warnings

import numpy as np

from skreg import DFNClassifier
from skreg.datasets import load_fashion_mnist

HIDDEN = (512, 256)
ROWS = {
    "none": {},
    "l2 (alpha=1)": {"penalty": "l2", "alpha": 1.0},
    "l1 (alpha=0.05)": {"penalty": "l1", "alpha": 0.05},
    "max-norm 3": {"max_norm": 3.0},
    "input noise 0.1": {"input_noise": 0.1},
    "label smoothing 0.1": {"label_smoothing": 0.1},
    "dropout 0.5": {"dropout_keep": 0.5},
    "dropout 0.8": {"dropout_keep": 0.8},
    "dropout (0.8, 0.5, 0.5) + max-norm 3": {"dropout_keep": (0.8, 0.5, 0.5),
                                            "max_norm": 3.0},
    "dropout 0.5 + label smoothing 0.1": {"dropout_keep": 0.5, "label_smoothing": 0.1},
}


def _data():
    (X, y), (Xt, yt) = load_fashion_mnist()
    return (X / np.float32(255)).astype(np.float32), y, (Xt / np.float32(255)).astype(np.float32), yt


def _row(make, X, y, Xt, yt):
    est = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tic = time.perf_counter()
        est.fit(X, y)
        seconds = time.perf_counter() - tic
    return est.score(Xt, yt), seconds / est.n_iter_


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--rows", default="|".join(["sklearn", *ROWS]),
                        help="row names separated by |")
    args = parser.parse_args()
    X, y, Xt, yt = _data()
    base = dict(hidden_layer_sizes=HIDDEN, batch_size=128, max_iter=args.epochs,
                penalty=None, random_state=0, n_iter_no_change=10**6)
    print(f"Fashion-MNIST 60,000 / 10,000, 784-512-256-10 ReLU, Adam 1e-3, batch 128, "
          f"{args.epochs} epochs\n")
    print("| model | test accuracy | s/epoch |\n|---|---|---|")
    for name in args.rows.split("|"):
        if name == "sklearn":
            from sklearn.neural_network import MLPClassifier

            make = lambda: MLPClassifier(HIDDEN, alpha=0.0, batch_size=128,  # noqa: E731
                                         max_iter=args.epochs, random_state=0,
                                         n_iter_no_change=10**6)
            name = "sklearn MLPClassifier (reference)"
        else:
            make = lambda: DFNClassifier(**{**base, **ROWS[name]})  # noqa: E731
        acc, sec = _row(make, X, y, Xt, yt)
        print(f"| {name} | {acc:.4f} | {sec:.2f} |", flush=True)


if __name__ == "__main__":
    main()
