"""Benchmark data: Fashion-MNIST when Debian's package is installed, else
sklearn's digits upsampled to 28x28 and repeated to the same size."""

import numpy as np


def load_benchmark_data(n_train=60000):
    """(X_train, y_train, X_test, y_test, name) as float32 in [0, 1]."""
    try:
        from skreg.datasets import load_fashion_mnist

        (X, y), (Xt, yt) = load_fashion_mnist()
        name = "Fashion-MNIST"
    except (ImportError, FileNotFoundError):
        X, y, Xt, yt = _digits_784(n_train)
        name = "digits upsampled to 784 (Fashion-MNIST not installed)"
    X = (X[:n_train] / np.float32(255)).astype(np.float32)
    Xt = (Xt / np.float32(255)).astype(np.float32)
    return X, y[:n_train], Xt, yt, name


def _digits_784(n_train):
    from scipy.ndimage import zoom
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    big = zoom(X.reshape(-1, 8, 8), (1, 3.5, 3.5), order=1) * (255 / 16)
    big = np.clip(big, 0, 255).reshape(len(X), 784)
    reps = int(np.ceil((n_train + 10000) / len(X)))
    big, y = np.tile(big, (reps, 1)), np.tile(y, reps)
    return big[:n_train], y[:n_train], big[n_train:n_train + 10000], y[n_train:n_train + 10000]
