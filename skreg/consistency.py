"""Consistency regularization and entropy minimization on unlabeled rows
(chapter 7.6).

* Consistency (the Pi-model of Laine & Aila, 2017): the batch's rows go
  through a second stochastic pass (fresh augmentation, input noise, weight
  noise and dropout masks, the estimator's own); the term is
  ``weight * 1/(n K) sum_i ||q_i - p_i||^2`` over the n rows (sample
  weighted) and K output units, with ``p`` the first pass's outputs held
  fixed as the target: the gradient flows through the second pass only.
* Entropy minimization (Grandvalet & Bengio, 2005; "VAT+EntMin" in Miyato et
  al., 2018): ``weight * mean over the unlabeled rows of H(p(y | x))`` (the
  entropy of each softmax head, or of each sigmoid unit's Bernoulli), 0 in
  a batch without unlabeled rows; its gradient is a backward pass of the
  batch's clean input with the batch's dropout masks.
"""

import numpy as np

from .losses import SoftmaxCrossEntropy
from .virtual_adversarial import extra_pass, inner_output


def _blocks(output):
    if isinstance(output, SoftmaxCrossEntropy):
        return output.blocks or (slice(None),)
    return None  # independent sigmoid units


def output_backward(output, Q, G, delta):
    """``delta = (dQ/dZ)^T G``: the chain rule through the output activation
    (softmax per head, else sigmoid), for a term with gradient ``G`` w.r.t.
    the outputs ``Q``."""
    blocks = _blocks(output)
    np.multiply(Q, G, out=delta)
    if blocks is None:
        delta -= delta * Q  # q (1 - q) g
        return delta
    for block in blocks:
        d = delta[:, block]
        d -= Q[:, block] * d.sum(axis=1, keepdims=True)  # q (g - <q, g>)
    return delta


def entropy_rows(output, Q):
    """Entropy of each row's predictive distribution(s), and
    ``dH/dQ`` (a new array)."""
    logq = np.log(np.maximum(Q, np.finfo(Q.dtype).tiny))
    if _blocks(output) is None:
        log1mq = np.log(np.maximum(1 - Q, np.finfo(Q.dtype).tiny))
        H = -(Q * logq + (1 - Q) * log1mq).sum(axis=1)
        return H, log1mq - logq
    return -(Q * logq).sum(axis=1), -(logq + 1)


class Consistency:
    """The Pi-model term (module docstring), with a buffer for the gradient
    with respect to the second pass's outputs."""

    def __init__(self, batch_size, n_outputs, dtype):
        self.gradient = np.empty((batch_size, n_outputs), dtype)

    def value_and_gradient(self, trainer, X_raw, P, sample_weight, weight):
        """Second pass of the batch ``X_raw`` (before augmentation and noise,
        which the trainer draws afresh) against the fixed outputs ``P``;
        returns the value, the gradient left in ``trainer.grad``."""
        reg, m = trainer.reg, P.shape[0]
        X = trainer._batch_input(X_raw)
        coefs, intercepts = trainer.coefs, trainer.intercepts
        if reg.weight_noise is not None:
            coefs, intercepts = reg.weight_noise.perturb(trainer.params)
        if reg.dropout is not None:
            reg.dropout.draw(m)
        output = inner_output(trainer.network)
        grad = self.gradient[:m]

        def set_delta(Q, delta):
            np.subtract(Q, P, out=grad)
            rows = np.einsum("ij,ij->i", grad, grad)
            n = float(m if sample_weight is None else sample_weight.sum())
            scale = weight / (n * Q.shape[1])
            np.multiply(grad, 2.0 * scale, out=grad)
            if sample_weight is not None:
                np.multiply(grad, sample_weight[:, None], out=grad)
                rows = rows * sample_weight
            output_backward(output, Q, grad, delta)
            return scale * float(rows.sum())

        return extra_pass(trainer, X, coefs, intercepts, set_delta)


class EntropyMinimization:
    """The entropy term on the unlabeled rows (module docstring)."""

    def value_and_gradient(self, trainer, X, unlabeled, coefs, intercepts, weight):
        """``unlabeled`` holds each row's weight (0 for labeled rows)."""
        n = float(unlabeled.sum())
        output = inner_output(trainer.network)

        def set_delta(Q, delta):
            H, G = entropy_rows(output, Q)
            G *= (weight / n) * unlabeled[:, None]
            output_backward(output, Q, G.astype(Q.dtype, copy=False), delta)
            return weight * float(H @ unlabeled) / n

        return extra_pass(trainer, X, coefs, intercepts, set_delta)
