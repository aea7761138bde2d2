"""Deep comparison of estimator state, for the failed-call tests."""

import numpy as np
from scipy import sparse


def assert_same_state(a, b, path="est"):
    """Assert two objects hold the same state, recursively: arrays and sparse
    matrices bit for bit, generators by their bit generator's state, other
    objects by their ``vars``. Raises AssertionError naming the first path
    that differs."""
    if isinstance(a, np.random.Generator) or isinstance(a, np.random.RandomState):
        assert type(a) is type(b), path
        sa = a.bit_generator.state if isinstance(a, np.random.Generator) else a.get_state()
        sb = b.bit_generator.state if isinstance(b, np.random.Generator) else b.get_state()
        assert_same_state(sa, sb, path + ".state")
    elif sparse.issparse(a):
        assert sparse.issparse(b) and a.shape == b.shape, path
        assert (a != b).nnz == 0, path
    elif isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray), path
        assert a.dtype == b.dtype and a.shape == b.shape, path
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"), path
    elif isinstance(a, dict):
        assert isinstance(b, dict) and sorted(map(str, a)) == sorted(map(str, b)), (
            f"{path}: keys {sorted(map(str, a))} != {sorted(map(str, b))}")
        for key in a:
            assert_same_state(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert type(a) is type(b) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same_state(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), path
    elif isinstance(a, (int, float, str, bool, bytes, type(None), np.generic, type)):
        assert a == b and type(a) is type(b), f"{path}: {a!r} != {b!r}"
    elif callable(a) and not hasattr(a, "__dict__"):
        assert a is b or a == b, path
    else:
        assert type(a) is type(b), f"{path}: {type(a)} != {type(b)}"
        assert_same_state(vars(a), vars(b), path)


def fitted_state(est):
    """The estimator's attributes other than its constructor parameters."""
    names = set(est.get_params(deep=False))
    return {k: v for k, v in vars(est).items() if k not in names}
