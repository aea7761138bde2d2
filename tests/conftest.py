import numpy as np
import pytest
from sklearn.datasets import load_digits

from skreg import _kernels


@pytest.fixture(scope="session")
def digits():
    """sklearn's digits scaled to [0, 1], float32, split 1,200 / 597."""
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return X[:1200], y[:1200], X[1200:], y[1200:]


@pytest.fixture(scope="session")
def small_digits(digits):
    X, y, Xt, yt = digits
    return X[:300], y[:300], Xt[:200], yt[:200]


@pytest.fixture(scope="session")
def data(digits):
    """The name the integration tests use for ``digits``."""
    return digits


@pytest.fixture(params=["compiled", "numpy"])
def engine(request, monkeypatch):
    """Runs a test with skreg's compiled kernels (numba, the ``fast`` extra)
    and again with the numpy paths alone."""
    if request.param == "compiled":
        pytest.importorskip("numba", reason="the compiled kernels need numba")
    monkeypatch.setattr(_kernels, "ENABLED", request.param == "compiled")
    return request.param
