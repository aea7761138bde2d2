"""Full-batch training with scipy's L-BFGS-B on the flat parameter vector."""

import numpy as np
from scipy.optimize import minimize


def fit_lbfgs(network, params, penalty, alpha, X, Y, sample_weight, max_iter,
              max_fun, tol):
    """Minimise ``J(w) = mean loss + alpha / n Omega(W)`` over all rows.

    ``params`` (any float dtype) is updated in place with the solution.
    Only smooth penalties are allowed (the estimator checks this).

    Returns
    -------
    result : scipy.optimize.OptimizeResult
    loss_curve : list of float
        The objective at each iterate.
    """
    layout = network.layout
    dtype = params.dtype
    m = X.shape[0]
    acts, deltas = network.allocate(m, dtype)
    grad = np.empty_like(params)
    coef_grads, intercept_grads = layout.views(grad)
    work = params.copy()
    coefs, intercepts = layout.views(work)
    n = float(m if sample_weight is None else sample_weight.sum())
    scale = alpha / n if penalty is not None else 0.0
    scratch = np.empty(layout.n_weights, dtype=dtype)

    def objective(theta):
        work[...] = theta
        P = network.forward(X, coefs, intercepts, acts)
        loss = network.output.loss_and_delta(P, Y, sample_weight, deltas[-1])
        network.backward(X, coefs, acts, deltas, coef_grads, intercept_grads)
        if scale:
            w = work[: layout.n_weights]
            loss += scale * penalty.penalize(w, grad[: layout.n_weights], scale,
                                             scratch)
        return loss, grad.astype(np.float64)

    curve = []

    def record(intermediate_result):
        curve.append(float(intermediate_result.fun))

    result = minimize(
        objective,
        params.astype(np.float64),
        jac=True,
        method="L-BFGS-B",
        callback=record,
        options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol},
    )
    params[...] = result.x
    return result, curve
