"""Images per second of ``ImageAugmenter.transform`` against a scipy loop.

Both sides do the same work on 28x28 float32 batches of 256: per image a
random shift (+-2 px), rotation (+-10 deg), zoom (0.9-1.1) about the centre
and a left-right flip with probability 1/2 in one bilinear affine resampling
(fill 0 outside), then Gaussian noise of std 0.05. Two scipy baselines:

* "per-image loop": draws each image's parameters and noise and calls
  ``scipy.ndimage.affine_transform`` on it (the loop the augmenter replaces);
* "affine_transform only": parameters, matrices and noise vectorized outside
  the loop, which holds nothing but the ``affine_transform`` calls (a lower
  bound for any per-image scipy loop).

All three alternate within every round, so load changes on the machine hit
each of them; medians over the rounds are printed.

Run: ``python benchmarks/bench_augment.py [--rounds 7] [--batches 20]``.
With numba installed (the ``fast`` extra) the augmenter uses its compiled
resampler; ``SKREG_NUMPY_ONLY=1`` measures the numpy one.

What augmentation adds to an epoch of training is measured by
``bench_epoch.py`` (rows "skreg augment shift+rotate" and "skreg augment
all" against "skreg").
"""

import argparse
import time

import numpy as np
from scipy import ndimage

from skreg.augmentation import ImageAugmenter

SIDE, BATCH = 28, 256
OPTIONS = dict(translation=2, rotation=10, scale=(0.9, 1.1), hflip=True, noise_std=0.05)


def scipy_loop(X, rng):
    """The same augmentation, one image at a time with scipy.ndimage."""
    out = np.empty_like(X)
    centre = np.full(2, (SIDE - 1) / 2.0)
    for i, row in enumerate(X):
        shift = rng.uniform(-2, 2, 2)
        theta = np.deg2rad(rng.uniform(-10, 10))
        factor = rng.uniform(0.9, 1.1)
        flip = -1.0 if rng.random() < 0.5 else 1.0
        cos, sin = np.cos(theta), np.sin(theta)
        M = np.array([[cos, sin], [-flip * sin, flip * cos]]) / factor
        image = ndimage.affine_transform(
            row.reshape(SIDE, SIDE), M, centre - M @ (centre + shift),
            order=1, mode="grid-constant", cval=0.0,
        )
        out[i] = image.ravel() + 0.05 * rng.standard_normal(SIDE * SIDE, dtype=X.dtype)
    return out


def scipy_affine_only(X, rng):
    """Only the affine_transform calls stay in the Python loop."""
    n = len(X)
    shift = rng.uniform(-2, 2, (n, 2))
    theta = np.deg2rad(rng.uniform(-10, 10, n))
    factor = rng.uniform(0.9, 1.1, n)
    flip = np.where(rng.random(n) < 0.5, -1.0, 1.0)
    cos, sin = np.cos(theta) / factor, np.sin(theta) / factor
    rows = np.stack([cos, sin], -1), np.stack([-flip * sin, flip * cos], -1)
    M = np.stack(rows, -2)
    centre = np.full(2, (SIDE - 1) / 2.0)
    offsets = centre - np.einsum("nij,nj->ni", M, centre + shift)
    images = X.reshape(n, SIDE, SIDE)
    out = np.empty_like(images)
    for i in range(n):
        ndimage.affine_transform(
            images[i], M[i], offsets[i], output=out[i],
            order=1, mode="grid-constant", cval=0.0,
        )
    out += 0.05 * rng.standard_normal(out.shape, dtype=X.dtype)
    return out.reshape(n, -1)


def images_per_second(fn, batches):
    start = time.perf_counter()
    for X in batches:
        fn(X)
    return len(batches) * BATCH / (time.perf_counter() - start)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batches", type=int, default=20, help="batches per round")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    shape = (BATCH, SIDE * SIDE)
    batches = [rng.random(shape, dtype=np.float32) for _ in range(args.batches)]
    augmenter = ImageAugmenter(**OPTIONS, random_state=0).fit(batches[0])
    loop_rng = np.random.default_rng(1)
    methods = {
        "ImageAugmenter.transform": augmenter.transform,
        "scipy per-image loop": lambda X: scipy_loop(X, loop_rng),
        "scipy affine_transform only": lambda X: scipy_affine_only(X, loop_rng),
    }
    speeds = {name: [] for name in methods}
    for fn in methods.values():  # warm-up
        fn(batches[0])
    for _ in range(args.rounds):
        for name, fn in methods.items():
            speeds[name].append(images_per_second(fn, batches))
    print(f"options: {OPTIONS}, float32 {SIDE}x{SIDE}, batches of {BATCH}")
    print(f"rounds: {args.rounds} x {args.batches} batches, alternating")
    ours = np.median(speeds["ImageAugmenter.transform"])
    for name, values in speeds.items():
        med = np.median(values)
        ratio = "" if med == ours else f"   ImageAugmenter is {ours / med:5.1f}x faster"
        print(f"{name:28s}: {med:9,.0f} images/s (median){ratio}")


if __name__ == "__main__":
    main()
