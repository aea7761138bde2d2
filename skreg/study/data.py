"""The study's data: a ``Pool`` of rows the repeats draw training sets
from, and its loaders (built-in image sets and the user's CSV or npz file).
"""

import math
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import datasets

__all__ = ["DATASETS", "Pool", "check_features", "load_pool"]

#: name -> (needs a path, default training-set size or None for half the rows)
DATASETS = {"digits": (False, 150), "fashion-mnist": (False, 1000),
            "mnist-npz": (True, 1000), "idx": (True, 1000), "csv": (True, None),
            "npz": (True, None)}


@dataclass
class Pool:
    """Rows to draw training sets from; a fixed test set or None (then each
    repeat tests on the rows it did not train on).

    ``image_side`` is the side of square images in [0, 1], None for other
    features (which the study standardizes inside its pipeline). ``X`` is a
    pandas DataFrame for a CSV file (its text, bool and missing values kept
    for :func:`skreg.make_tabular_pipeline`, which the study fits it in),
    else a float array.
    """

    name: str
    X: object
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


def existing_file(path):
    """``path`` as a Path; FileNotFoundError naming it when it is no file."""
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return path


TABULAR_HINT = ("--dataset csv reads the file with pandas, which is not installed: "
                "pip install 'skreg[tabular]'")


def _read_csv(path):
    """The CSV file as a pandas DataFrame (a UTF-8 byte-order mark dropped)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(TABULAR_HINT) from None
    try:
        return pd.read_csv(path, encoding="utf-8-sig", skipinitialspace=True)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        message = " ".join(str(exc).split())
        raise ValueError(f"{path}: not a readable CSV file ({message})") from None


def _csv_pool(path, target):
    """The ``target`` column of a CSV file as labels and the other columns as
    a DataFrame of features (numeric columns as float32, the others as read,
    for a tabular pipeline)."""
    if target is None:
        raise ValueError("--dataset csv needs --target COLUMN (the label column)")
    path = existing_file(path)
    frame = _read_csv(path)
    if target not in frame.columns:
        raise ValueError(f"{path}: no column {target!r}; the columns are "
                         f"{', '.join(map(str, frame.columns))}")
    if len(frame) < 1 or frame.shape[1] < 2:
        raise ValueError(f"{path}: needs a header line, the target column, at least "
                         "one feature column and at least one data line")
    y = _target(frame.pop(target), target, path)
    numeric = [c for c in frame.columns if frame[c].dtype.kind in "iuf"]
    frame[numeric] = frame[numeric].astype(np.float32)
    pool = Pool(f"csv:{path.name}", frame, y)
    check_features(pool)
    return pool


def _target(column, name, path):
    """Class labels of the target column: numbers when every value parses as
    one (``"1"`` and ``"1.0"`` are one class), else strings."""
    import pandas as pd

    missing = np.flatnonzero(column.isna().to_numpy())
    if missing.size:
        lines = ", ".join(str(i + 2) for i in missing[:10])  # line 1 is the header
        more = f" and {missing.size - 10} more" if missing.size > 10 else ""
        raise ValueError(f"{path}: target column {name!r} is empty on line(s) "
                         f"{lines}{more}; every row needs a label")
    numbers = pd.to_numeric(column, errors="coerce")
    if numbers.isna().any():
        return column.astype(str).str.strip().to_numpy(dtype=str)
    values = numbers.to_numpy(dtype=np.float64)
    integral = np.isfinite(values) & (values == np.round(values))
    if not integral.all():
        raise ValueError(f"{path}: target column {name!r} holds "
                         f"{float(values[~integral][0])!r}, not a class label: the study "
                         "compares classifiers (integer or text labels)")
    return values.astype(np.int64)


def check_features(pool):
    """Raise ValueError when a feature of ``pool`` is infinite.

    A CSV pool keeps its text, bool and missing values: the study's tabular
    pipeline (:func:`skreg.make_tabular_pipeline`) imputes and one-hot codes
    them. An infinite number has no such handling.

    Examples
    --------
    >>> check_features(load_pool("digits"))
    """
    X = pool.X
    if not hasattr(X, "columns"):
        return
    numeric = [c for c in X.columns if X[c].dtype.kind in "iuf"]
    bad = [str(c) for c in numeric if np.any(np.isinf(X[c].to_numpy(float)))]
    if bad:
        raise ValueError(f"{pool.name}: column(s) {', '.join(map(repr, bad))} hold "
                         "infinite values; leave the cell empty for a missing value "
                         "(the study imputes it)")


def _npz_pool(path):
    """Arrays ``X`` (n, features) and ``y`` (n,) of an ``.npz`` file."""
    path = existing_file(path)
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
