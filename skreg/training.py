"""One training step, written once, in the chapter's order.

``Trainer.step`` is the whole algorithm for a minibatch:

1. the batch: mixup (rows, targets and weights), then the input's
   augmentation and input noise (7.4, 7.5),
2. forward pass on the (noisy, 7.5) weights with dropout masks (7.12) and
   the activity penalty (7.10) as hidden steps,
3. data loss and its output delta, backward pass,
4. adversarial pass on ``x + eps sign(grad_x J)`` (7.13), then the
   unsupervised terms' passes (virtual adversarial, consistency, entropy),
5. penalty value and the gradient of its smooth part (7.1),
6. decoupled weight decay at the step's scheduled learning rate, then the
   optimizer step,
7. proximal step for the L1 part (7.1.2),
8. constraint: max-norm projection (7.2).

Every buffer it touches is allocated once, when the trainer is built.
"""

import numpy as np
from scipy import sparse


class DivergenceError(ArithmeticError):
    """The loss or the gradient of a step became NaN or infinite."""


def _augmented(augment, X):
    """``augment(X)``, checked: a user's transformer must return an array of
    X's shape (it is cast to X's dtype)."""
    out = augment(X)
    if isinstance(out, np.ndarray) and out.shape == X.shape and out.dtype == X.dtype:
        return out  # the common case, checked without a copy
    name = type(getattr(augment, "__self__", augment)).__name__
    if not hasattr(out, "__array__") or sparse.issparse(out):
        raise TypeError(
            f"augment: {name}.transform returned {type(out).__name__} "
            f"({_short(out)}), not an array of shape {X.shape}."
        )
    if out.shape != X.shape:
        raise ValueError(
            f"augment: {name}.transform returned shape {out.shape} for a batch "
            f"of shape {X.shape}; it must keep the rows and the features."
        )
    try:
        return np.asarray(out, dtype=X.dtype)
    except (TypeError, ValueError):
        raise TypeError(f"augment: {name}.transform returned values of dtype "
                        f"{np.asarray(out).dtype}, not numbers.") from None


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Regularizers:
    """The training-time steps of one fit (each ``None`` when off).

    Attributes
    ----------
    augment : callable or None
        ``augment(X) -> X'``, a fitted transformer's ``transform``.
    input_noise : skreg.noise.InputNoise or None
    weight_noise : skreg.noise.WeightNoise or None
    dropout : skreg.dropout.Dropout or None
    activity : skreg.activity.ActivityL1 or None
    reconstruction : skreg.semi_supervised.Reconstruction or None
    adversary : skreg.adversarial.FGSMTraining or None
    unsupervised : skreg.unsupervised.UnsupervisedTerms or None
        Virtual adversarial, consistency and entropy terms (extra passes
        after the adversarial one).
    weight_decay : skreg.weight_decay.WeightDecay or None
        Decoupled weight decay, applied before each optimizer step.
    mixup : skreg.mixup.Mixup or None
        Replaces each batch by its mixup, before everything else.

    The hidden steps (activity, reconstruction, dropout, in that order) share
    one protocol: ``begin(X, coefs, intercepts, coef_grads, intercept_grads)``
    per pass, ``forward(i, h)``, ``backward(i, delta)``, ``layer_output(i)``
    and ``value()``, their term of the objective.
    """

    def __init__(self, augment=None, input_noise=None, weight_noise=None,
                 dropout=None, activity=None, reconstruction=None, adversary=None,
                 unsupervised=None, weight_decay=None, mixup=None):
        self.augment = augment
        self.input_noise = input_noise
        self.weight_noise = weight_noise
        self.dropout = dropout
        self.activity = activity
        self.reconstruction = reconstruction
        self.adversary = adversary
        self.unsupervised = unsupervised
        self.weight_decay = weight_decay
        self.mixup = mixup

    @property
    def hidden_steps(self):
        """Steps acting on hidden activations, in forward order."""
        steps = (self.activity, self.reconstruction, self.dropout)
        return tuple(s for s in steps if s is not None)

    @property
    def needs_dense_input(self):
        return any(s is not None for s in (self.augment, self.input_noise,
                                           self.adversary, self.reconstruction,
                                           self.unsupervised, self.mixup)) or (
            self.dropout is not None and self.dropout.drops_input)


class Trainer:
    """The training state of one fit.

    Parameters
    ----------
    network : skreg.network.Network
    params : ndarray
        The flat parameter vector, updated in place.
    optimizer : skreg.optimizers.SGD or skreg.optimizers.Adam or None
    penalty : skreg.penalties.Penalty or None
        Already bound to the network (``Penalty.bind``).
    alpha : float
        Penalty strength.
    constraint : skreg.penalties.MaxNorm or None
    batch_size : int
    regularizers : Regularizers or None
    """

    def __init__(self, network, params, optimizer, penalty, alpha, constraint,
                 batch_size, regularizers=None):
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
        needs_prox = self.penalty is not None and not self.penalty.smooth
        self._scratch = np.empty(layout.n_weights, dtype) if self.penalty else None
        self._weight_step = np.empty(layout.n_weights, dtype) if needs_prox else None
        self.reg = regularizers if regularizers is not None else Regularizers()
        self.steps = self.reg.hidden_steps
        self.samples_seen = 0

    # ---- steps 1-5: the objective and its gradient --------------------------
    def objective(self, X, Y, sample_weight):
        """Fill ``self.grad``; return the batch objective J~."""
        reg = self.reg
        if reg.mixup is not None:
            X, Y, sample_weight = reg.mixup.mix(X, Y, sample_weight)
        X_raw, X = X, self._batch_input(X)
        coefs, intercepts = self.coefs, self.intercepts
        if reg.weight_noise is not None:
            coefs, intercepts = reg.weight_noise.perturb(self.params)
        if reg.dropout is not None:
            reg.dropout.draw(X.shape[0])
        loss = self.data_objective(X, Y, sample_weight, coefs, intercepts)
        if reg.unsupervised is not None:
            reg.unsupervised.keep_outputs(self.acts[-1][: X.shape[0]])
        if reg.adversary is not None:
            loss = reg.adversary.combine(self, X, Y, sample_weight, coefs,
                                         intercepts, loss)
        if reg.unsupervised is not None:
            loss += reg.unsupervised.add(self, X_raw, X, Y, sample_weight, coefs,
                                         intercepts)
        if self.penalty is not None:
            scale = self.alpha / self._n(X.shape[0], sample_weight)
            loss += scale * self.penalty.penalize(
                self.weights, self.weight_grad, scale, self._scratch)
        return loss

    def _batch_input(self, X):
        reg = self.reg
        if sparse.issparse(X) and reg.needs_dense_input:
            X = X.toarray()
        if reg.augment is not None:
            X = _augmented(reg.augment, X)
        if reg.input_noise is not None:
            X = reg.input_noise.apply(X)
        return X

    def data_objective(self, X, Y, sample_weight, coefs, intercepts):
        """Forward, data loss (+ activity penalty), backward into ``grad``.

        ``X`` is the batch before input dropout; the current dropout masks
        are used (``Dropout.draw`` is the caller's).
        """
        acts, deltas = self._views(X.shape[0])
        reg, net = self.reg, self.network
        for step in self.steps:
            step.begin(X, coefs, intercepts, self.coef_grads, self.intercept_grads)
        if reg.dropout is not None and reg.dropout.drops_input:
            X = reg.dropout.apply_input(X)
        P = net.forward(X, coefs, intercepts, acts, self.steps)
        loss = net.output.loss_and_delta(P, Y, sample_weight, deltas[-1])
        loss += sum(step.value() for step in self.steps)
        net.backward(X, coefs, acts, deltas, self.coef_grads,
                     self.intercept_grads, self.steps)
        return loss

    def _views(self, m):
        """Activation and delta buffers for a batch of ``m`` rows (cached:
        every batch but the last has the same size)."""
        cached = getattr(self, "_view_cache", None)
        if cached is None or cached[0] != m:
            cached = self._view_cache = (m, [a[:m] for a in self.acts],
                                         [d[:m] for d in self.deltas])
        return cached[1], cached[2]

    def input_gradient(self, coefs, m, out):
        """d(batch objective)/d(batch input before input dropout), after
        ``data_objective``, written to ``out``."""
        self.network.input_delta(self.deltas[0][:m], coefs[0], out)
        dropout = self.reg.dropout
        if dropout is not None and dropout.drops_input:
            out *= dropout.masks[0][:m]
        return out

    @staticmethod
    def _n(m, sample_weight):
        return m if sample_weight is None else float(sample_weight.sum())

    # ---- steps 6-8: the update ---------------------------------------------
    def step(self, X, Y, sample_weight, batch=0, n_batches=1):
        """Train on one minibatch, number ``batch`` of the epoch's
        ``n_batches`` (the learning-rate schedule's clock); return its
        objective.

        A batch whose sample weights sum to 0 (e.g. only out-of-bag rows of
        a bootstrap) carries no data: it is skipped and counts as 0.
        """
        if sample_weight is not None and not sample_weight.any():
            return 0.0
        loss = self.objective(X, Y, sample_weight)
        if not (np.isfinite(loss) and np.isfinite(np.dot(self.grad, self.grad))):
            raise DivergenceError(loss)
        self.samples_seen += X.shape[0]
        rate = self.optimizer.set_learning_rate(self.samples_seen, batch, n_batches)
        if self.reg.weight_decay is not None:
            self.reg.weight_decay.apply(self.weights, rate)
        self.optimizer.step(self.params, self.grad, self.samples_seen)
        if self._weight_step is not None:
            self._proximal_step(self.alpha / self._n(X.shape[0], sample_weight))
        if self.constraint is not None:
            self.constraint.project(self.coefs)
        return loss

    def _proximal_step(self, scale):
        threshold = self.optimizer.weight_step(self._weight_step, scale)
        self.penalty.prox(self.weights, threshold, self._scratch)

    # ---- an epoch ----------------------------------------------------------
    def epoch(self, X, Y, sample_weight, rng, shuffle, rows=None):
        """One pass over the data in minibatches; the mean objective per row.

        ``rows`` (an index array, None for all) selects the training rows;
        minibatches are gathered from ``X`` without copying it whole.
        """
        n = X.shape[0] if rows is None else len(rows)
        if shuffle:
            order = rng.permutation(n) if rows is None else rows[rng.permutation(n)]
        else:
            order = rows
        total = 0.0
        n_batches = -(-n // self.batch_size)
        for batch, start in enumerate(range(0, n, self.batch_size)):
            stop = min(start + self.batch_size, n)
            Xb, Yb, wb = self._batch(X, Y, sample_weight, order, start, stop)
            total += self.step(Xb, Yb, wb, batch, n_batches) * (stop - start)
        self.optimizer.epochs_done += 1
        return total / n

    def _batch(self, X, Y, sample_weight, order, start, stop):
        if order is None:
            wb = None if sample_weight is None else sample_weight[start:stop]
            return X[start:stop], Y[start:stop], wb
        if self._gather is None:
            b, dtype = self.batch_size, self.params.dtype
            self._gather = (np.empty((b, X.shape[1]), dtype),
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
