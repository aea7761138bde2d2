"""skreg.datasets: IDX files, MNIST-layout folders, Keras npz, digits; no
downloads, clear errors for missing or damaged files."""

import doctest
import gzip
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_array_equal

import skreg.datasets as datasets
from skreg.datasets import (
    FASHION_MNIST_HOME,
    MNIST_FILES,
    load_digits_images,
    load_fashion_mnist,
    load_idx,
    load_mnist_npz,
)


def idx_bytes(array, code=0x08):
    dims = struct.pack(f">{array.ndim}I", *array.shape)
    return bytes([0, 0, code, array.ndim]) + dims + array.tobytes()


def write(path, data, compress=False):
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def mnist_folder(folder, n_train=7, n_test=3, compress=False, side=4):
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    parts = {}
    for (images, labels), n in zip(MNIST_FILES, (n_train, n_test)):
        X = rng.integers(0, 256, (n, side, side), dtype=np.uint8)
        y = rng.integers(0, 10, n, dtype=np.uint8)
        suffix = ".gz" if compress else ""
        write(folder / (images + suffix), idx_bytes(X), compress)
        write(folder / (labels + suffix), idx_bytes(y), compress)
        parts[images] = (X, y)
    return parts


def test_doctests():
    assert doctest.testmod(datasets).failed == 0


@settings(max_examples=25, deadline=None)
@given(
    arrays(np.uint8, st.lists(st.integers(1, 5), min_size=1, max_size=4).map(tuple)),
    st.booleans(),
)
def test_idx_round_trip(tmp_path_factory, array, compress):
    path = tmp_path_factory.mktemp("idx") / "data.idx"
    write(path, idx_bytes(array), compress)
    loaded = load_idx(path)
    assert loaded.dtype == np.uint8
    assert_array_equal(loaded, array)
    loaded[...] = 0  # a writable copy


@pytest.mark.parametrize("compress", [False, True])
def test_mnist_folder(tmp_path, compress):
    parts = mnist_folder(tmp_path, compress=compress)
    (X, y), (X_test, y_test) = load_idx(tmp_path)
    X_ref, y_ref = parts["train-images-idx3-ubyte"]
    assert X.shape == (7, 16) and X.dtype == np.uint8
    assert_array_equal(X, X_ref.reshape(7, 16))
    assert_array_equal(y, y_ref)
    assert X_test.shape == (3, 16) and y_test.shape == (3,)


def test_mnist_folder_mixed_compression(tmp_path):
    mnist_folder(tmp_path, compress=True)
    packed = tmp_path / "t10k-labels-idx1-ubyte.gz"
    plain = tmp_path / "t10k-labels-idx1-ubyte"
    plain.write_bytes(gzip.decompress(packed.read_bytes()))
    packed.unlink()
    assert load_idx(tmp_path)[1][1].shape == (3,)


def test_load_fashion_mnist_from_data_home_and_env(tmp_path, monkeypatch):
    mnist_folder(tmp_path / "fashion-mnist", compress=True)
    (X, _), _ = load_fashion_mnist(tmp_path)  # a folder holding fashion-mnist/
    assert X.shape == (7, 16)
    monkeypatch.setenv("SKREG_DATA", str(tmp_path / "fashion-mnist"))
    (X, _), _ = load_fashion_mnist()
    assert X.shape == (7, 16)


@pytest.mark.skipif(
    not (FASHION_MNIST_HOME / "train-images-idx3-ubyte.gz").exists(),
    reason="Debian's dataset-fashion-mnist is not installed "
    "(apt-get install dataset-fashion-mnist)",
)
def test_debian_fashion_mnist(monkeypatch):
    monkeypatch.delenv("SKREG_DATA", raising=False)
    (X, y), (X_test, y_test) = load_fashion_mnist()
    assert X.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert X.dtype == np.uint8 and y.shape == (60000,) and y_test.shape == (10000,)
    assert set(np.unique(y)) == set(range(10)) == set(np.unique(y_test))
    assert_array_equal(np.bincount(y), 6000)  # balanced classes
    assert X.max() == 255 and X.min() == 0


def test_mnist_npz(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, 6, dtype=np.uint8)
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=x, y_train=y, x_test=x[:2], y_test=y[:2])
    (X, y_loaded), (X_test, y_test) = load_mnist_npz(path)
    assert X.shape == (6, 784) and X.dtype == np.uint8
    assert_array_equal(X, x.reshape(6, -1))
    assert_array_equal(y_loaded, y)
    assert X_test.shape == (2, 784) and y_test.shape == (2,)
    np.savez(path, x_train=x.astype(np.int64), y_train=y, x_test=x, y_test=y)
    assert load_mnist_npz(path)[0][0].dtype == np.uint8  # 0-255 ints accepted


def test_digits_images():
    X, y = load_digits_images()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.shape == (1797,) and set(np.unique(y)) == set(range(10))


# ---------------------------------------------------------------- bad files
GOOD = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))


@pytest.mark.parametrize(
    "data, match",
    [
        (GOOD[:-1], r"need 12 data bytes but the file holds 11 \(truncated\)"),
        (GOOD + b"\x00", r"holds 13 \(extra bytes after the data\)"),
        (GOOD[:6], "truncated IDX header"),
        (b"\x00\x00", "too short for an IDX header"),
        (b"", "too short for an IDX header"),
        (b"\x01\x02" + GOOD[2:], "not an IDX file .magic number 0x01020802"),
        (b"\x00\x00\x0d" + GOOD[3:], r"IDX data type 0x0d \(float\) is not supported"),
        (b"\x00\x00\x0c" + GOOD[3:], r"0x0c \(int\) is not supported"),
        (b"\x00\x00\x08\x00", "truncated IDX header .0 dimensions"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", 0, 28, 28),
         r"dimensions \(0, 28, 28\), which hold 0 items"),
        (b"\x00\x00\x08\x03" + struct.pack(">3I", *[2**32 - 1] * 3) + b"\x00" * 8,
         r"need 79228162458924105385300197375 data bytes but the file holds 8"),
    ],
)
@pytest.mark.parametrize("compress", [False, True])
def test_bad_idx_files(tmp_path, data, match, compress):
    path = write(tmp_path / "bad-idx", data, compress)
    with pytest.raises(ValueError, match=match) as info:
        load_idx(path)
    assert "bad-idx" in str(info.value)  # names the file


def test_corrupt_gzip(tmp_path):
    packed = gzip.compress(GOOD)
    for name, data in [("cut.gz", packed[:-6]), ("junk.gz", packed[:12] + b"junk" * 9)]:
        with pytest.raises(ValueError, match=f"{name}: corrupt gzip data"):
            load_idx(write(tmp_path / name, data))


def test_folder_errors(tmp_path):
    mnist_folder(tmp_path)
    labels = tmp_path / "t10k-labels-idx1-ubyte"
    labels.write_bytes(idx_bytes(np.zeros(4, np.uint8)))
    with pytest.raises(ValueError, match="holds 3 images but t10k-labels-idx1-ubyte h"):
        load_idx(tmp_path)
    labels.write_bytes(idx_bytes(np.zeros((3, 1), np.uint8)))
    with pytest.raises(ValueError, match="expected 3-D images and 1-D labels"):
        load_idx(tmp_path)
    labels.unlink()
    with pytest.raises(FileNotFoundError, match="has no t10k-labels-idx1-ubyte .or"):
        load_idx(tmp_path)


def test_missing_files_say_how_to_get_the_data(tmp_path, monkeypatch):
    hint = "apt-get install dataset-fashion-mnist"
    with pytest.raises(FileNotFoundError, match=hint):
        load_idx(tmp_path / "nothing-here")
    with pytest.raises(FileNotFoundError, match="No npz file at .*never downloads"):
        load_mnist_npz(tmp_path / "mnist.npz")
    monkeypatch.delenv("SKREG_DATA", raising=False)
    with pytest.raises(FileNotFoundError, match="no folder .*absent.*" + hint):
        load_fashion_mnist(tmp_path / "absent")
    monkeypatch.setenv("SKREG_DATA", str(tmp_path))  # exists, but empty
    with pytest.raises(FileNotFoundError, match="has no train-images.*apt-get install"):
        load_fashion_mnist()


def test_bad_npz_files(tmp_path):
    x, y = np.zeros((4, 28, 28), np.uint8), np.zeros(4, np.uint8)
    path = tmp_path / "mnist.npz"
    np.savez(path, x_train=x, y_train=y, x_test=x)
    with pytest.raises(ValueError, match=r"missing arrays \['y_test'\]"):
        load_mnist_npz(path)
    np.savez(path, x_train=x, y_train=y[:3], x_test=x, y_test=y)
    with pytest.raises(ValueError, match="must be n images and n labels"):
        load_mnist_npz(path)
    np.savez(path, x_train=x + 0.5, y_train=y, x_test=x, y_test=y)
    with pytest.raises(ValueError, match="x_train must hold integers in 0-255"):
        load_mnist_npz(path)
    np.savez(path, x_train=x.astype(int) - 1, y_train=y, x_test=x, y_test=y)
    with pytest.raises(ValueError, match="x_train must hold integers in 0-255"):
        load_mnist_npz(path)
    path.write_bytes(b"not a zip archive")
    with pytest.raises(ValueError, match="mnist.npz: not a readable npz file"):
        load_mnist_npz(path)
    np.save(tmp_path / "array.npy", x)
    with pytest.raises(ValueError, match="not an npz archive"):
        load_mnist_npz(tmp_path / "array.npy")
    data = tmp_path / "good.npz"
    np.savez(data, x_train=x, y_train=y, x_test=x, y_test=y)
    path.write_bytes(data.read_bytes()[:-40])  # truncated zip
    with pytest.raises(ValueError, match="not a readable npz file"):
        load_mnist_npz(path)
