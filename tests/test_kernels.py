"""skreg._kernels: the optional compiled kernels and their switches (what each
kernel computes is tested against the numpy path and independent truths in
the tests of its caller, run with the ``engine`` fixture)."""

import os
import subprocess
import sys

import numpy as np
import pytest

from skreg import _kernels

from .helpers import kernels_enabled


@pytest.fixture
def fresh_kernels(monkeypatch):
    monkeypatch.setattr(_kernels, "_COMPILED", {})
    monkeypatch.setattr(_kernels, "ENABLED", True)


def test_without_numba_every_kernel_is_none(fresh_kernels, monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba -> ImportError
    assert _kernels.compiled("warp") is None
    assert _kernels.compiled("warp") is None  # and the miss is remembered
    assert _kernels._COMPILED == {"warp": False}


def test_disabled_gives_none_even_with_numba(monkeypatch):
    pytest.importorskip("numba")
    monkeypatch.setattr(_kernels, "ENABLED", False)
    assert _kernels.compiled("warp") is None


def test_compiled_once_per_name(fresh_kernels):
    numba = pytest.importorskip("numba")
    kernel = _kernels.compiled("warp")
    assert isinstance(kernel, numba.core.registry.CPUDispatcher)
    assert _kernels.compiled("warp") is kernel


@pytest.mark.parametrize("value, enabled", [("1", False), ("0", True), ("", True)])
def test_environment_switch(value, enabled):
    env = dict(os.environ, SKREG_NUMPY_ONLY=value)
    code = "import skreg._kernels as k; print(k.ENABLED)"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == str(enabled)


def test_unknown_kernel_is_a_key_error(fresh_kernels):
    pytest.importorskip("numba")
    with pytest.raises(KeyError, match="nonexistent"):
        _kernels.compiled("nonexistent")


def test_without_a_cache_location_compiles_in_memory(fresh_kernels, monkeypatch):
    numba = pytest.importorskip("numba")
    real_njit, calls = numba.njit, []

    def njit(*args, **options):
        if args or "cache" not in options:  # numba's own internal uses
            return real_njit(*args, **options)
        calls.append(options["cache"])
        if options["cache"]:
            raise RuntimeError("cannot cache function: no locator available")
        return real_njit(**options)

    monkeypatch.setattr(numba, "njit", njit)
    kernel = _kernels.compiled("soft_threshold")
    assert calls == [True, False]
    w, t = np.array([0.5, -0.05, -2.0]), np.array([0.1, 0.1, 0.1])
    kernel(w, t, 1.0)
    np.testing.assert_allclose(w, [0.4, 0.0, -1.9])


@pytest.mark.parametrize("penalty", [None, "l1", "elasticnet"])
def test_compiled_kernels_do_not_change_a_fit(small_digits, penalty):
    """Adam and the L1 prox are bit-identical to their numpy passes, so a
    whole fit (shuffling, dropout, early stopping included) is too."""
    pytest.importorskip("numba", reason="the compiled kernels need numba")
    from skreg import DFNClassifier

    X, y, Xt, _ = small_digits
    fits = []
    for enabled in (True, False):
        with kernels_enabled(enabled):
            est = DFNClassifier((32,), penalty=penalty, alpha=1e-3, max_iter=15,
                                dropout_keep=(1.0, 0.8), early_stopping=True,
                                random_state=0)
            fits.append(est.fit(X, y))
    compiled, numpy_only = fits
    assert compiled.n_iter_ == numpy_only.n_iter_
    for a, b in zip(compiled.coefs_ + compiled.intercepts_,
                    numpy_only.coefs_ + numpy_only.intercepts_, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(compiled.predict_proba(Xt),
                                  numpy_only.predict_proba(Xt))
