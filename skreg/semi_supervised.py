"""Semi-supervised learning (chapter 7.6): a reconstruction head shares the
first hidden layer with the classifier.

Rows labelled ``-1`` (scikit-learn's convention) are unlabeled: they train
only the reconstruction term. The supervised term averages over the
labeled rows of a batch (0 when there are none); the reconstruction term is
``reconstruction_weight * 1/2 * mean over all entries of (x_hat - x)^2``,
with ``x_hat = h_1 W_dec + b_dec`` a linear decoder of the first hidden
layer whose weights are penalized like the others.
"""

import numpy as np


class LabelMaskedLoss:
    """Wraps an output loss for targets whose last column flags labeled rows.

    The data term is the inner loss over the labeled rows only (their
    sample weights times the flag).
    """

    def __init__(self, inner):
        self.inner = inner

    def activate(self, z):
        return self.inner.activate(z)

    def _weights(self, Y, sample_weight):
        flag = Y[:, -1]
        return flag if sample_weight is None else flag * sample_weight

    def loss_and_delta(self, P, Y, sample_weight, delta):
        w = self._weights(Y, sample_weight)
        if not w.any():
            delta.fill(0.0)
            return 0.0
        return self.inner.loss_and_delta(P, Y[:, :-1], w, delta)

    def loss(self, P, Y, sample_weight=None):
        w = self._weights(Y, sample_weight)
        return self.inner.loss(P, Y[:, :-1], w) if w.any() else 0.0


class Reconstruction:
    """A hidden step on the first hidden layer: decode it back to the input.

    It computes the decoder's output, loss and gradients on the way forward
    and adds the decoder's gradient to the first hidden layer's on the way
    back (the hidden-step protocol of ``Network.forward``/``backward``).
    """

    def __init__(self, weight, layout, batch_size, dtype):
        self.weight = float(weight)
        self.decoder = layout.n_layers  # index of the decoder's matrix
        self.x_hat = np.empty((batch_size, layout.sizes[0]), dtype)
        self._loss = 0.0

    def begin(self, X, coefs, intercepts, coef_grads, intercept_grads):
        k = self.decoder
        self._X, self._W, self._b = X, coefs[k], intercepts[k]
        self._gW, self._gb = coef_grads[k], intercept_grads[k]

    def forward(self, i, h):
        if i != 0:
            return h
        X = self._X
        x_hat = np.matmul(h, self._W, out=self.x_hat[: X.shape[0]])
        x_hat += self._b
        x_hat -= X  # from here on: the residual
        scale = self.weight / x_hat.size
        self._loss = 0.5 * scale * float(np.dot(x_hat.ravel(), x_hat.ravel()))
        x_hat *= scale  # d(loss)/d(x_hat)
        np.matmul(h.T, x_hat, out=self._gW)
        np.sum(x_hat, axis=0, out=self._gb)
        return h

    def backward(self, i, delta):
        if i == 0:
            delta += self.x_hat[: delta.shape[0]] @ self._W.T
        return delta

    def layer_output(self, i):
        return None

    def value(self):
        return self._loss
