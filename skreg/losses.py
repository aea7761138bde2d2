"""Output layers and their data losses.

Each output pairs an output activation with the loss it is the canonical
link of, so that the gradient of the mean loss with respect to the output
pre-activations is simply ``(prediction - target) * weight / n``.
"""

import numpy as np
from scipy.special import expit


def _normaliser(n_rows, sample_weight):
    return float(n_rows) if sample_weight is None else float(sample_weight.sum())


def _weighted_mean(per_row, sample_weight, n):
    if sample_weight is None:
        return float(per_row.sum()) / n
    return float(per_row @ sample_weight) / n


class OutputLoss:
    """An output activation with its data loss.

    ``loss_and_delta(P, Y, sample_weight, delta)`` takes activated outputs ``P``,
    targets ``Y`` of the same shape and optional per-row weights, writes
    d(mean loss)/d(pre-activation) into ``delta`` and returns the mean loss.
    """

    name = None

    def activate(self, z):
        """Overwrite output pre-activations ``z`` with predictions."""
        raise NotImplementedError

    def per_row(self, P, Y):
        """Loss of each row (summed over its outputs)."""
        raise NotImplementedError

    def scale(self, n_outputs):
        """Constant that divides the summed per-row loss besides ``n``."""
        return 1.0

    def loss_and_delta(self, P, Y, sample_weight, delta):
        n = _normaliser(P.shape[0], sample_weight) * self.scale(P.shape[1])
        np.subtract(P, Y, out=delta)
        delta /= n
        if sample_weight is not None:
            delta *= sample_weight[:, None]
        return self.loss(P, Y, sample_weight)

    def loss(self, P, Y, sample_weight=None):
        """Mean data loss of predictions ``P`` against targets ``Y``."""
        n = _normaliser(P.shape[0], sample_weight) * self.scale(P.shape[1])
        return _weighted_mean(self.per_row(P, Y), sample_weight, n)


def _log_clipped(P):
    tiny = np.finfo(P.dtype).tiny
    return np.log(np.maximum(P, tiny))


class SoftmaxCrossEntropy(OutputLoss):
    """Softmax output with the multiclass cross-entropy ``-sum_k y_k log p_k``."""

    name = "softmax"

    def activate(self, z):
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def per_row(self, P, Y):
        return -np.einsum("ij,ij->i", Y, _log_clipped(P))


class SigmoidCrossEntropy(OutputLoss):
    """Independent sigmoid outputs with the binary cross-entropy of each."""

    name = "logistic"

    def activate(self, z):
        return expit(z, out=z)

    def per_row(self, P, Y):
        log_p = _log_clipped(P)
        log_q = _log_clipped(1 - P)
        return -(np.einsum("ij,ij->i", Y, log_p) + np.einsum("ij,ij->i", 1 - Y, log_q))


class SquaredError(OutputLoss):
    """Identity output with ``1/2 (y - yhat)^2``, averaged over all entries."""

    name = "identity"

    def activate(self, z):
        return z

    def per_row(self, P, Y):
        diff = P - Y
        return 0.5 * np.einsum("ij,ij->i", diff, diff)

    def scale(self, n_outputs):
        return float(n_outputs)


OUTPUTS = {
    "softmax": SoftmaxCrossEntropy(),
    "logistic": SigmoidCrossEntropy(),
    "identity": SquaredError(),
}
