"""Full-batch training with scipy's L-BFGS-B on the flat parameter vector."""

import copy
import warnings

import numpy as np
from scipy.optimize import minimize
from sklearn.exceptions import ConvergenceWarning

from . import epochs
from .regularizers import build_regularizers
from .training import Trainer


def fit_lbfgs(network, params, penalty, alpha, X, Y, sample_weight, max_iter,
              max_fun, tol, regularizers=None):
    """Minimise ``J(w) = mean loss + alpha / n Omega(W)`` over all rows.

    The objective and gradient are ``Trainer.objective`` on one batch of all
    rows. ``params`` is updated in place with the solution. Only smooth,
    deterministic objectives are allowed (the estimator checks this).

    Returns
    -------
    result : scipy.optimize.OptimizeResult
    loss_curve : list of float
        The objective at each iterate.
    """
    trainer = Trainer(network, params.copy(), None, penalty, alpha, None,
                      X.shape[0], regularizers)

    def objective(theta):
        trainer.params[...] = theta
        loss = trainer.objective(X, Y, sample_weight)
        return loss, trainer.grad.astype(np.float64)

    curve = []

    def record(intermediate_result):
        curve.append(float(intermediate_result.fun))

    result = minimize(
        objective,
        params.astype(np.float64),
        jac=True,
        method="L-BFGS-B",
        callback=record,
        # scipy's default relative-decrease test (ftol ~2.2e-9) would end a
        # run asked to converge tighter than that.
        options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol,
                 "ftol": min(tol**2, 2.220446049250313e-09)},
    )
    params[...] = result.x
    return result, curve


def warn_if_not_converged(result, n_iter, max_iter, max_fun):
    """A ConvergenceWarning naming the cause when L-BFGS-B did not converge
    (scipy status != 0), as scikit-learn's ``_check_optimize_result``."""
    if result.status == 0:
        return
    head = (f"lbfgs failed to converge after {n_iter} iteration(s) "
            f"(status={result.status}: {result.message}).")
    if result.status == 1:
        advice = (f"It reached max_iter={max_iter} or max_fun={max_fun}: increase "
                  "them, or scale the inputs (e.g. StandardScaler).")
    elif result.status == 2:
        advice = ("The line search found no step that decreases the objective "
                  "(ABNORMAL termination): the model is barely trained. Scale "
                  "the inputs (e.g. StandardScaler; large or unscaled features "
                  "are the usual cause), or lower tol, or use solver='adam'.")
    else:
        advice = "Scale the inputs (e.g. StandardScaler) or use solver='adam'."
    warnings.warn(f"{head} {advice}", ConvergenceWarning)


def fit_estimator(est, setup, params, train):
    """Fit ``est`` with L-BFGS-B, its fitted state updated, the objective
    computed in float64 whatever ``dtype`` (the weights are stored in
    ``dtype``): scipy's line search compares objective values to ~1e-4 of a
    step's predicted decrease, which float32 rounding (and its early
    overflow of the clipped loss) breaks after a few iterations. Costs a
    float64 copy of X."""
    X, Y, sample_weight, _ = train  # lbfgs never splits: all rows
    X, Y = X.astype(np.float64), Y.astype(np.float64)
    if sample_weight is not None:
        sample_weight = sample_weight.astype(np.float64)
    wide = copy.copy(est)  # the regularizers' buffers in float64 too
    wide.dtype = np.float64
    regs = build_regularizers(wide, setup.keep, setup.network.layout,
                              X.shape[0], X, setup.rng)
    theta = params.astype(np.float64)
    result, curve = fit_lbfgs(setup.network, theta, setup.penalty, est.alpha,
                              X, Y, sample_weight,
                              est.max_iter, est.max_fun, est.tol, regs)
    params[...] = theta
    est.n_iter_ = int(result.nit)
    est.t_ += X.shape[0] * est.n_iter_
    est.loss_ = float(result.fun)
    est.loss_curve_ = list(est.loss_curve_) + curve
    est.best_loss_ = epochs.lowest(est.best_loss_, [est.loss_])
    est.best_epoch_, est.stopped_epoch_ = est.n_iter_, None
    est.stopping_reason_ = None if result.success else str(result.message)
    warn_if_not_converged(result, est.n_iter_, est.max_iter, est.max_fun)
