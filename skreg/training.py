"""One training step, written once, in the chapter's order.

``Trainer.step`` is the whole algorithm for a minibatch:

1. forward pass (with the training-time steps: dropout, noise, ...),
2. data loss and its output delta,
3. backward pass,
4. penalty gradient (the smooth part of Omega),
5. optimizer step,
6. proximal step (the L1 part of Omega),
7. constraint (max-norm projection).

Every buffer it touches is allocated once, when the trainer is built.
"""

import numpy as np
from scipy import sparse


class DivergenceError(ArithmeticError):
    """The loss or the gradient of a step became NaN or infinite."""


class Trainer:
    """The training state of one fit.

    Parameters
    ----------
    network : skreg.network.Network
    params : ndarray
        The flat parameter vector, updated in place.
    optimizer : skreg.optimizers.SGD or skreg.optimizers.Adam
    penalty : skreg.penalties.Penalty or None
        Already bound to the network (``Penalty.bind``).
    alpha : float
        Penalty strength.
    constraint : skreg.penalties.MaxNorm or None
    batch_size : int
    n_features : int
    """

    def __init__(self, network, params, optimizer, penalty, alpha, constraint,
                 batch_size, n_features):
        layout = network.layout
        dtype = params.dtype
        self.network = network
        self.params = params
        self.coefs, self.intercepts = layout.views(params)
        self.weights = params[: layout.n_weights]
        self.grad = np.empty_like(params)
        self.coef_grads, self.intercept_grads = layout.views(self.grad)
        self.weight_grad = self.grad[: layout.n_weights]
        self.optimizer = optimizer
        self.penalty = penalty if alpha > 0 else None
        self.alpha = float(alpha)
        self.constraint = constraint
        self.batch_size = batch_size
        self.acts, self.deltas = network.allocate(batch_size, dtype)
        self._gather = None  # minibatch buffers, made by the first shuffled epoch
        self.n_features = n_features
        needs_prox = self.penalty is not None and not self.penalty.smooth
        self._scratch = np.empty(layout.n_weights, dtype) if self.penalty else None
        self._step = np.empty(layout.n_weights, dtype) if needs_prox else None
        self.steps = ()
        self.samples_seen = 0

    def objective(self, X, Y, sample_weight):
        """Steps 1-4: fill ``self.grad``; return the batch objective J~."""
        m = X.shape[0]
        acts = [a[:m] for a in self.acts]
        deltas = [d[:m] for d in self.deltas]
        net = self.network
        P = net.forward(X, self.coefs, self.intercepts, acts, self.steps)
        loss = net.output.loss_and_delta(P, Y, sample_weight, deltas[-1])
        net.backward(X, self.coefs, acts, deltas, self.coef_grads,
                     self.intercept_grads, self.steps)
        if self.penalty is not None:
            scale = self.alpha / self._n(m, sample_weight)
            loss += scale * self.penalty.penalize(
                self.weights, self.weight_grad, scale, self._scratch)
        return loss

    @staticmethod
    def _n(m, sample_weight):
        return m if sample_weight is None else float(sample_weight.sum())

    def step(self, X, Y, sample_weight):
        """Train on one minibatch (steps 1-7); return its objective."""
        loss = self.objective(X, Y, sample_weight)
        if not (np.isfinite(loss) and np.isfinite(np.dot(self.grad, self.grad))):
            raise DivergenceError(loss)
        self.samples_seen += X.shape[0]
        self.optimizer.step(self.params, self.grad, self.samples_seen)
        if self._step is not None:
            self._proximal_step(self.alpha / self._n(X.shape[0], sample_weight))
        if self.constraint is not None:
            self.constraint.project(self.coefs)
        return loss

    def _proximal_step(self, scale):
        threshold = self.optimizer.weight_step(self._step)
        if np.isscalar(threshold):
            threshold = threshold * scale
        else:
            threshold *= scale
        self.penalty.prox(self.weights, threshold, self._scratch)

    def epoch(self, X, Y, sample_weight, rng, shuffle):
        """One pass over the data in minibatches; the mean objective per row."""
        n = X.shape[0]
        order = rng.permutation(n) if shuffle else None
        total = 0.0
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            Xb, Yb, wb = self._batch(X, Y, sample_weight, order, start, stop)
            total += self.step(Xb, Yb, wb) * (stop - start)
        return total / n

    def _batch(self, X, Y, sample_weight, order, start, stop):
        if order is None:
            wb = None if sample_weight is None else sample_weight[start:stop]
            return X[start:stop], Y[start:stop], wb
        if self._gather is None:
            b, dtype = self.batch_size, self.params.dtype
            self._gather = (np.empty((b, self.n_features), dtype),
                            np.empty((b, Y.shape[1]), dtype), np.empty(b, dtype))
        x_buf, y_buf, w_buf = self._gather
        idx = order[start:stop]
        m = stop - start
        Xb = X[idx] if sparse.issparse(X) else np.take(X, idx, axis=0, out=x_buf[:m])
        Yb = np.take(Y, idx, axis=0, out=y_buf[:m])
        wb = None
        if sample_weight is not None:
            wb = np.take(sample_weight, idx, out=w_buf[:m])
        return Xb, Yb, wb
