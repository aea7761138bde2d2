"""Output layers and their data losses.

Each output pairs an output activation with the loss it is the canonical
link of, so that the gradient of the mean loss with respect to the output
pre-activations is simply ``(prediction - target) * weight / n``.

Several outputs side by side (multi-task heads, chapter 7.7) are one output
layer whose columns carry task weights; the softmax is taken per head.
"""

import numpy as np
from scipy.special import expit


def _normaliser(n_rows, sample_weight):
    return float(n_rows) if sample_weight is None else float(sample_weight.sum())


def _row_sums(entries, column_weights):
    """Each row's entries summed over the outputs, weighted by task."""
    return entries.sum(axis=1) if column_weights is None else entries @ column_weights


def _log_clipped(P):
    return np.log(np.maximum(P, np.finfo(P.dtype).tiny))


class OutputLoss:
    """An output activation with its data loss.

    Parameters
    ----------
    column_weights : ndarray of shape (n_outputs,) or None
        Weight of each output column in the loss (task weights); None is 1.

    ``loss_and_delta(P, Y, sample_weight, delta)`` takes activated outputs
    ``P``, targets ``Y`` of the same shape and optional per-row weights,
    writes d(mean loss)/d(pre-activation) into ``delta`` and returns the
    mean loss.
    """

    def __init__(self, column_weights=None):
        self.column_weights = column_weights

    def activate(self, z):
        """Overwrite output pre-activations ``z`` with predictions."""
        raise NotImplementedError

    def entries(self, P, Y):
        """Loss of each entry (row, output)."""
        raise NotImplementedError

    def scale(self, n_outputs):
        """Constant that divides the summed per-row loss besides ``n``."""
        return 1.0

    def loss_and_delta(self, P, Y, sample_weight, delta):
        n = _normaliser(P.shape[0], sample_weight) * self.scale(P.shape[1])
        if n == 0:  # a batch whose rows all have weight 0 teaches nothing
            delta.fill(0.0)
            return 0.0
        np.subtract(P, Y, out=delta)
        delta /= n
        if self.column_weights is not None:
            delta *= self.column_weights
        if sample_weight is not None:
            delta *= sample_weight[:, None]
        return self.loss(P, Y, sample_weight)

    def loss(self, P, Y, sample_weight=None):
        """Mean data loss of predictions ``P`` against targets ``Y``."""
        n = _normaliser(P.shape[0], sample_weight) * self.scale(P.shape[1])
        if n == 0:
            return 0.0
        per_row = _row_sums(self.entries(P, Y), self.column_weights)
        total = per_row.sum() if sample_weight is None else per_row @ sample_weight
        return float(total) / n


class SoftmaxCrossEntropy(OutputLoss):
    """Softmax outputs with the cross-entropy ``-sum_k y_k log p_k``.

    ``blocks`` (a list of column slices, one per head) gives one softmax per
    head; None is a single head over all columns.
    """

    def __init__(self, column_weights=None, blocks=None):
        super().__init__(column_weights)
        self.blocks = blocks

    def activate(self, z):
        for block in self.blocks or (slice(None),):
            zb = z[:, block]
            zb -= zb.max(axis=1, keepdims=True)
            np.exp(zb, out=zb)
            zb /= zb.sum(axis=1, keepdims=True)
        return z

    def entries(self, P, Y):
        return -(Y * _log_clipped(P))


class SigmoidCrossEntropy(OutputLoss):
    """Independent sigmoid outputs with the binary cross-entropy of each."""

    def activate(self, z):
        return expit(z, out=z)

    def entries(self, P, Y):
        return -(Y * _log_clipped(P) + (1 - Y) * _log_clipped(1 - P))


class SquaredError(OutputLoss):
    """Identity output with ``1/2 (y - yhat)^2``, averaged over all entries."""

    def activate(self, z):
        return z

    def entries(self, P, Y):
        diff = P - Y
        return 0.5 * diff * diff

    def scale(self, n_outputs):
        return float(n_outputs)


def brier_score(P, Y, column_weights=None):
    """Mean over rows of the squared error of probabilities, summed over columns.

    For one sigmoid column (a binary target) or one softmax block of three or
    more classes it is scikit-learn's ``brier_score_loss`` (a two-class
    softmax block counts both classes, twice scikit-learn's binary score);
    several heads or labels add up, each column weighted by its task weight.

    Examples
    --------
    >>> brier_score(np.array([[0.8, 0.2], [0.5, 0.5]]), np.array([[1.0, 0], [0, 1]]))
    0.29
    """
    return float(_row_sums((P - Y) ** 2, column_weights).mean())


OUTPUTS = {
    "softmax": SoftmaxCrossEntropy,
    "logistic": SigmoidCrossEntropy,
    "identity": SquaredError,
}


def make_output(name, column_weights=None, blocks=None):
    """A fresh output of kind ``name`` ("softmax", "logistic", "identity")."""
    if name == "softmax":
        return SoftmaxCrossEntropy(column_weights, blocks)
    return OUTPUTS[name](column_weights)
