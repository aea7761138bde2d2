"""Loaders for local image data sets; nothing is ever downloaded.

MNIST-layout folders (MNIST, Fashion-MNIST) hold four IDX files; Debian's
``dataset-fashion-mnist`` package installs Fashion-MNIST in
``/usr/share/datasets/fashion-mnist``.
"""

import gzip
import math
import os
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

__all__ = ["load_digits_images", "load_fashion_mnist", "load_idx", "load_mnist_npz"]

FASHION_MNIST_HOME = Path("/usr/share/datasets/fashion-mnist")
MNIST_FILES = (
    ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
)
_IDX_TYPES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "short",
              0x0C: "int", 0x0D: "float", 0x0E: "double"}  # fmt: skip
_NO_DOWNLOAD = (
    "skreg never downloads data. For Fashion-MNIST run `apt-get install "
    f"dataset-fashion-mnist` (it installs the IDX files in {FASHION_MNIST_HOME}); "
    "for other data sets, copy their files to a local folder and pass its path."
)


def _read(path):
    """The bytes of ``path``, gunzipped when they start with 1f 8b."""
    data = path.read_bytes()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"{path}: corrupt gzip data ({exc}).") from exc


def _parse_idx(data, path):
    """Array of one IDX file's bytes: 2 zero bytes, type 0x08, ndim, dims."""
    if len(data) < 4:
        raise ValueError(f"{path}: {len(data)} bytes is too short for an IDX header.")
    if data[:2] != b"\x00\x00":
        raise ValueError(
            f"{path}: not an IDX file (magic number 0x{data[:4].hex()} does not "
            "start with two zero bytes)."
        )
    code, ndim = data[2], data[3]
    if code != 0x08:
        kind = _IDX_TYPES.get(code, "unknown")
        raise ValueError(
            f"{path}: IDX data type 0x{code:02x} ({kind}) is not supported; only "
            "0x08 (unsigned byte) is."
        )
    header = 4 + 4 * ndim
    if ndim == 0 or len(data) < header:
        raise ValueError(f"{path}: truncated IDX header ({ndim} dimensions).")
    dims = struct.unpack(f">{ndim}I", data[4:header])
    if 0 in dims:
        raise ValueError(f"{path}: the IDX header declares dimensions {dims}, which "
                         "hold 0 items (an empty file of 0 images or labels).")
    expected, found = math.prod(dims), len(data) - header  # Python ints: no overflow
    if found != expected:
        what = "truncated" if found < expected else "extra bytes after the data"
        raise ValueError(
            f"{path}: dimensions {dims} need {expected} data bytes but the file "
            f"holds {found} ({what})."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims).copy()


def _find(folder, stem, hint):
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{folder} has no {stem} (or {stem}.gz). {hint}")


def _load_folder(folder, hint):
    """((X_train, y_train), (X_test, y_test)) from an MNIST-layout folder."""
    splits = []
    for image_stem, label_stem in MNIST_FILES:
        image_path = _find(folder, image_stem, hint)
        label_path = _find(folder, label_stem, hint)
        X, y = load_idx(image_path), load_idx(label_path)
        if X.ndim != 3 or y.ndim != 1:
            raise ValueError(
                f"{folder}: expected 3-D images and 1-D labels, got {X.ndim}-D "
                f"{image_path.name} and {y.ndim}-D {label_path.name}."
            )
        if len(X) != len(y):
            raise ValueError(
                f"{folder}: {image_path.name} holds {len(X)} images but "
                f"{label_path.name} holds {len(y)} labels."
            )
        splits.append((X.reshape(len(X), -1), y))
    return tuple(splits)


def load_idx(path):
    """Load one IDX file, or the four files of an MNIST-layout folder.

    Parameters
    ----------
    path : str or path-like
        An IDX file (gzipped or not: detected by its first bytes), or a folder
        holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
        ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (each
        possibly with ``.gz``).

    Returns
    -------
    data : ndarray of uint8, or tuple
        For a file, its array with the dimensions of its header. For a folder,
        ``((X_train, y_train), (X_test, y_test))`` with X of shape
        ``(n, height * width)``.

    Raises
    ------
    FileNotFoundError
        When the path or one of the four files does not exist.
    ValueError
        When a file is corrupt, truncated, has extra bytes, is not IDX, or
        holds another type than unsigned bytes; or image and label counts
        differ.

    Examples
    --------
    >>> import gzip, os, tempfile
    >>> from skreg.datasets import load_idx
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.gz")
    >>> with gzip.open(path, "wb") as f:
    ...     _ = f.write(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]))
    >>> load_idx(path)
    array([7, 2, 1], dtype=uint8)
    """
    path = Path(os.fspath(path))
    if path.is_dir():
        return _load_folder(path, _NO_DOWNLOAD)
    if not path.is_file():
        raise FileNotFoundError(f"No IDX file or folder at {path}. {_NO_DOWNLOAD}")
    return _parse_idx(_read(path), path)


def load_fashion_mnist(data_home=None):
    """Load Fashion-MNIST from local IDX files.

    Parameters
    ----------
    data_home : str or path-like, default=None
        Folder holding the four IDX files (or a ``fashion-mnist`` folder that
        does). None uses the ``SKREG_DATA`` environment variable if set, else
        ``/usr/share/datasets/fashion-mnist`` (Debian's
        ``dataset-fashion-mnist`` package).

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of ndarray of uint8
        X_train (60000, 784), y_train (60000,), X_test (10000, 784),
        y_test (10000,); labels 0-9, pixels 0-255.

    Raises
    ------
    FileNotFoundError
        When the files are absent; the message says how to install them.

    Examples
    --------
    >>> from skreg.datasets import load_fashion_mnist
    >>> (X, y), (X_test, y_test) = load_fashion_mnist()  # doctest: +SKIP
    >>> X.shape, X_test.shape  # doctest: +SKIP
    ((60000, 784), (10000, 784))
    """
    folder = data_home or os.environ.get("SKREG_DATA") or FASHION_MNIST_HOME
    folder = Path(os.fspath(folder))
    if (folder / "fashion-mnist").is_dir():
        folder = folder / "fashion-mnist"
    hint = (
        "Install Fashion-MNIST with `apt-get install dataset-fashion-mnist` "
        f"(files in {FASHION_MNIST_HOME}), or pass data_home= or set SKREG_DATA "
        "to a folder holding its four IDX files; skreg never downloads data."
    )
    if not folder.is_dir():
        raise FileNotFoundError(f"Fashion-MNIST not found: no folder {folder}. {hint}")
    return _load_folder(folder, hint)


def load_mnist_npz(path):
    """Load a Keras-layout ``mnist.npz`` (x_train, y_train, x_test, y_test).

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of ndarray
        X flattened to ``(n, height * width)`` uint8, y as stored.

    Raises
    ------
    FileNotFoundError
        When the file does not exist.
    ValueError
        When it is not a readable npz, misses one of the four arrays, or
        their shapes or values do not fit (images must be 0-255 integers).

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from skreg.datasets import load_mnist_npz
    >>> path = os.path.join(tempfile.mkdtemp(), "mnist.npz")
    >>> x, y = np.zeros((5, 28, 28), np.uint8), np.arange(5, dtype=np.uint8)
    >>> np.savez(path, x_train=x, y_train=y, x_test=x[:2], y_test=y[:2])
    >>> (X, y), (X_test, y_test) = load_mnist_npz(path)
    >>> X.shape, X_test.shape
    ((5, 784), (2, 784))
    """
    path = Path(os.fspath(path))
    if not path.is_file():
        raise FileNotFoundError(f"No npz file at {path}. {_NO_DOWNLOAD}")
    arrays = _read_npz(path)
    return tuple(_npz_split(arrays, split, path) for split in ("train", "test"))


def _read_npz(path):
    keys = ("x_train", "y_train", "x_test", "y_test")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ValueError("a single array, not an npz archive")
        with archive:
            missing = [key for key in keys if key not in archive.files]
            arrays = {key: archive[key] for key in keys if key in archive.files}
    except (OSError, ValueError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        raise ValueError(f"{path}: not a readable npz file ({exc}).") from exc
    if missing:
        raise ValueError(
            f"{path}: missing arrays {missing}; a Keras mnist.npz holds x_train, "
            "y_train, x_test and y_test."
        )
    return arrays


def _npz_split(arrays, split, path):
    X, y = arrays[f"x_{split}"], arrays[f"y_{split}"]
    if X.ndim < 2 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(
            f"{path}: x_{split} {X.shape} and y_{split} {y.shape} must be n images "
            "and n labels."
        )
    if X.dtype != np.uint8:
        integral = np.issubdtype(X.dtype, np.integer)
        if not integral or (X.size and (X.min() < 0 or X.max() > 255)):
            raise ValueError(f"{path}: x_{split} must hold integers in 0-255.")
        X = X.astype(np.uint8)
    return X.reshape(len(X), -1), y


def load_digits_images():
    """Load scikit-learn's 8x8 digits as flat images scaled to [0, 1].

    Returns
    -------
    X : ndarray of shape (1797, 64), float32
        Pixels divided by 16 (float32, skreg's default dtype).
    y : ndarray of shape (1797,), int
        Labels 0-9.

    Examples
    --------
    >>> from skreg.datasets import load_digits_images
    >>> X, y = load_digits_images()
    >>> X.shape, X.dtype, float(X.max()), y[:5]
    ((1797, 64), dtype('float32'), 1.0, array([0, 1, 2, 3, 4]))
    """
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    return (X / 16.0).astype(np.float32), y.astype(np.int64)
