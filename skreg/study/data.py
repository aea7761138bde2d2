"""The study's data: a ``Pool`` of rows the repeats draw training sets
from, and its loaders (built-in image sets and the user's CSV or npz file).
"""

import csv
import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import datasets

__all__ = ["DATASETS", "Pool", "load_pool"]

#: name -> (needs a path, default training-set size or None for half the rows)
DATASETS = {"digits": (False, 150), "fashion-mnist": (False, 1000),
            "mnist-npz": (True, 1000), "idx": (True, 1000), "csv": (True, None),
            "npz": (True, None)}


@dataclass
class Pool:
    """Rows to draw training sets from; a fixed test set or None (then each
    repeat tests on the rows it did not train on).

    ``image_side`` is the side of square images in [0, 1], None for other
    features (which the study standardizes inside its pipeline).
    """

    name: str
    X: np.ndarray
    y: np.ndarray
    X_test: np.ndarray = None
    y_test: np.ndarray = None
    image_side: int = None

    @property
    def n_classes(self):
        return len(np.unique(self.y))

    def default_train_size(self):
        """The dataset's default training-set size (see ``DATASETS``)."""
        size = DATASETS.get(self.name, (False, None))[1]
        return size if size is not None else len(self.y) // 2


def load_pool(name="digits", path=None, target=None, data_home=None):
    """Load a data set as a ``Pool``.

    Parameters
    ----------
    name : {"digits", "fashion-mnist", "mnist-npz", "idx", "csv", "npz"}
    path : str, default=None
        The file (mnist-npz, csv, npz) or folder (idx).
    target : str, default=None
        The label column of a CSV file.
    data_home : str, default=None
        Folder of the Fashion-MNIST files.

    Examples
    --------
    >>> pool = load_pool("digits")
    >>> pool.X.shape, pool.image_side, pool.X_test is None
    ((1797, 64), 8, True)
    """
    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; choose from {', '.join(DATASETS)}")
    if DATASETS[name][0] and path is None:
        raise ValueError(f"--dataset {name} needs a path: --dataset {name} PATH")
    if name == "csv":
        return _csv_pool(path, target)
    if target is not None:
        raise ValueError("--target is only for --dataset csv")
    if name == "digits":
        X, y = datasets.load_digits_images()
        return Pool(name, X, y, image_side=8)
    if name == "npz":
        return _npz_pool(path)
    if name == "idx" and Path(path).is_file():
        raise ValueError(f"--dataset idx expects a folder holding the four MNIST "
                         f"IDX files, but {path} is a file")
    loader = {"fashion-mnist": lambda: datasets.load_fashion_mnist(data_home),
              "mnist-npz": lambda: datasets.load_mnist_npz(path),
              "idx": lambda: datasets.load_idx(path)}[name]
    (X, y), (X_test, y_test) = loader()
    scale = np.float32(255)
    side = math.isqrt(X.shape[1])
    X, X_test = ((A / scale).astype(np.float32, copy=False) for A in (X, X_test))
    return Pool(name, X, _labels(y), X_test, _labels(y_test),
                side if side * side == X.shape[1] else None)


def _labels(y):
    """Integer labels as int64 (IDX files hold uint8, where -1 wraps)."""
    y = np.asarray(y)
    return y.astype(np.int64) if y.dtype.kind in "iub" else y


def _existing_file(path):
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return path


def _csv_pool(path, target):
    """Numeric feature columns and the ``target`` column of a CSV file."""
    if target is None:
        raise ValueError("--dataset csv needs --target COLUMN (the label column)")
    path = _existing_file(path)
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ValueError(f"{path}: not a readable CSV file ({exc})") from None
    if len(rows) < 2:
        raise ValueError(f"{path}: needs a header line and at least one data line")
    header, body = rows[0], [r for r in rows[1:] if r]
    if target not in header:
        raise ValueError(f"{path}: no column {target!r}; the columns are "
                         f"{', '.join(header)}")
    if any(len(r) != len(header) for r in body):
        raise ValueError(f"{path}: every line needs {len(header)} fields")
    t = header.index(target)
    features = [c for c in range(len(header)) if c != t]
    X = np.empty((len(body), len(features)), np.float32)
    for j, c in enumerate(features):
        X[:, j] = _numeric_column([r[c] for r in body], header[c], path)
    return Pool(f"csv:{path.name}", X, _labels(np.array([r[t] for r in body])))


def _numeric_column(values, name, path):
    try:
        column = np.array([float(v) for v in values], dtype=np.float64)
    except ValueError:
        bad = next(v for v in values if not _is_float(v))
        raise ValueError(f"{path}: column {name!r} is not numeric (value {bad!r}); "
                         "features must be numbers") from None
    if not np.all(np.isfinite(column)):
        raise ValueError(f"{path}: column {name!r} holds missing or infinite values")
    return column


def _is_float(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _npz_pool(path):
    """Arrays ``X`` (n, features) and ``y`` (n,) of an ``.npz`` file."""
    path = _existing_file(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in ("X", "y") if k not in archive.files]
            arrays = {k: archive[k] for k in ("X", "y") if k in archive.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, AttributeError,
            TypeError) as exc:
        raise ValueError(f"{path}: not a readable npz file ({exc})") from None
    if missing:
        raise ValueError(f"{path}: missing arrays {missing}; --dataset npz needs "
                         "arrays X and y")
    X, y = arrays["X"], arrays["y"]
    if X.ndim != 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"{path}: X {X.shape} and y {y.shape} must be (n, features) "
                         "and (n,)")
    if X.dtype.kind not in "biuf" or not np.all(np.isfinite(X)):
        raise ValueError(f"{path}: X must hold finite numbers")
    return Pool(f"npz:{path.name}", X.astype(np.float32), _labels(y))
