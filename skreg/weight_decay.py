"""Decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
Regularization", ICLR 2019): SGDW and AdamW.

Before each update the weights (never the biases) shrink by
``W <- W - lr * weight_decay * W``, where ``lr`` is the learning rate of
that step after the schedule (``learning_rate_init`` times the schedule's
factor; not Adam's bias-corrected step), as PyTorch's ``AdamW`` computes
it; the paper's ``lambda`` is ``learning_rate_init * weight_decay``. The
shrinkage is outside the optimizer: it enters neither the momentum nor
Adam's moments, so under Adam it differs from an L2 penalty, whose gradient
Adam rescales per coordinate. Under plain SGD (no momentum) it is exactly
``penalty="l2"`` with ``alpha = weight_decay * n`` for batches of n rows.
It is an update rule, not a term of the objective: ``loss_curve_`` does not
include it.
"""


class WeightDecay:
    """The decay step of one fit (``weight_decay > 0``)."""

    def __init__(self, weight_decay):
        self.weight_decay = float(weight_decay)

    def apply(self, weights, learning_rate):
        """Shrink ``weights`` in place by ``1 - learning_rate * weight_decay``."""
        weights *= 1.0 - learning_rate * self.weight_decay
