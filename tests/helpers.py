"""Shared test helpers: central finite differences and a float64 trainer."""

import warnings
from contextlib import contextmanager

import numpy as np

from skreg import _kernels
from skreg.losses import OUTPUTS
from skreg.network import Layout, Network, initialise
from skreg.training import Trainer


@contextmanager
def kernels_enabled(enabled):
    """Run the block with skreg's compiled kernels switched on or off (for
    tests that compare both engines inside one hypothesis example)."""
    before, _kernels.ENABLED = _kernels.ENABLED, enabled
    try:
        yield
    finally:
        _kernels.ENABLED = before


def numerical_gradient(f, x, h=1e-6):
    """Central differences of scalar ``f`` at flat float64 ``x``."""
    x = np.array(x, dtype=np.float64)
    g = np.empty_like(x)
    for i in range(x.size):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * h)
    return g


def make_trainer(sizes, activation, output, rng, penalty=None, alpha=0.0,
                 batch_size=8, regularizers=None):
    """A float64 trainer of a fresh network, for gradient checks."""
    layout = Layout(sizes)
    network = Network(layout, activation, OUTPUTS[output]())
    params = initialise(layout, activation, "glorot_uniform", np.float64, rng)
    params[layout.n_weights:] = rng.normal(scale=0.1, size=params.size - layout.n_weights)
    if penalty is not None:
        penalty = penalty.bind(layout.coef_shapes, np.float64)
    return Trainer(network, params, None, penalty, alpha, None, batch_size,
                   regularizers)


def random_targets(output, n, k, rng):
    """Targets valid for ``output``: one-hot/smoothed rows, 0/1, or reals."""
    if output == "softmax":
        Y = rng.dirichlet(np.ones(k), size=n)
    elif output == "logistic":
        Y = (rng.random((n, k)) < 0.5).astype(float)
    else:
        Y = rng.normal(size=(n, k))
    return Y


def check_gradient(trainer, objective, extra=None, rtol=1e-5, atol=1e-7):
    """Assert the gradient ``objective()`` leaves in ``trainer.grad`` (plus
    ``extra``, for a term the analytic path leaves to a proximal step) equals
    central differences of ``objective`` over ``trainer.params``."""
    objective()
    analytic = trainer.grad.copy()
    if extra is not None:
        analytic += extra
    base = trainer.params.copy()

    def f(theta):
        trainer.params[...] = theta
        return objective()

    numeric = numerical_gradient(f, base)
    trainer.params[...] = base
    np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol)


def check_objective_gradient(trainer, X, Y, sample_weight=None, rtol=1e-5, atol=1e-7):
    """Assert ``Trainer.objective``'s gradient equals finite differences."""
    check_gradient(trainer, lambda: trainer.objective(X, Y, sample_weight),
                   rtol=rtol, atol=atol)


def quiet_fit(est, X, y, **fit_params):
    """``est.fit(X, y, **fit_params)`` with warnings silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y, **fit_params)
