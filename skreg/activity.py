"""Sparse representations (chapter 7.10): an L1 penalty on hidden activations.

The objective gains ``(activity_alpha / n) * sum over the batch and over every
hidden unit of every hidden layer of |h|`` (post-activation, before
dropout); its gradient ``(activity_alpha / n) sign(h)`` joins the gradient
flowing back into each hidden layer.
"""

import numpy as np


class ActivityL1:
    """A hidden step of the network (see ``Network.forward``)."""

    def __init__(self, activity_alpha):
        self.activity_alpha = float(activity_alpha)
        self._hidden = {}
        self._scale = 0.0

    def begin(self, X, coefs, intercepts, coef_grads, intercept_grads):
        """Begin a batch (its rows are ``X``); forget the previous batch."""
        self._hidden.clear()
        self._scale = self.activity_alpha / X.shape[0]

    def forward(self, i, h):
        self._hidden[i] = h
        return h

    def backward(self, i, delta):
        h = self._hidden[i]
        # d|h|/dh = sign(h); most activations here are >= 0 (ReLU, sigmoid)
        delta += self._scale * np.sign(h)
        return delta

    def layer_output(self, i):
        return None

    def value(self):
        """The penalty of the current batch."""
        return self._scale * float(sum(np.abs(h).sum() for h in self._hidden.values()))
