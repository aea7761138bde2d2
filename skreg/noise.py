"""Noise robustness (chapter 7.5): Gaussian noise on the inputs, on the
weights, and at the output targets (label smoothing, 7.5.1).

All noise is drawn in the computation's dtype from the fit's generator into
buffers allocated once per fit.
"""

import numpy as np


class InputNoise:
    """Adds ``N(0, std^2)`` to each training batch's inputs."""

    def __init__(self, std, batch_size, n_features, dtype, rng):
        self.std = float(std)
        self.rng = rng
        self.buffer = np.empty((batch_size, n_features), dtype)

    def apply(self, X):
        """``X + noise`` in the buffer (``X`` is left untouched)."""
        out = self.buffer[: X.shape[0]]
        self.rng.standard_normal(dtype=out.dtype, out=out)
        out *= self.std
        out += X
        return out


class WeightNoise:
    """Gaussian noise on the weights for each training forward pass.

    ``perturb`` returns a noisy copy of the parameters (biases unchanged);
    the forward and backward passes run on it, and the gradient they give is
    applied to the clean weights.
    """

    def __init__(self, std, layout, dtype, rng):
        self.std = float(std)
        self.rng = rng
        self.layout = layout
        self.noisy = np.empty(layout.n_params, dtype)
        self.coefs, self.intercepts = layout.views(self.noisy)

    def perturb(self, params):
        """Views ``(coefs, intercepts)`` of ``params`` plus fresh noise."""
        n_w = self.layout.n_weights
        noise = self.noisy[:n_w]
        self.rng.standard_normal(dtype=noise.dtype, out=noise)
        noise *= self.std
        noise += params[:n_w]
        self.noisy[n_w:] = params[n_w:]
        return self.coefs, self.intercepts


def smooth_targets(Y, epsilon, n_classes):
    """Label smoothing: ``(1 - epsilon) y + epsilon / K``.

    ``Y`` is a one-hot matrix (K = its number of columns) or a 0/1 matrix of
    independent binary outputs (K = 2 for each). Returns a new array.
    """
    if epsilon == 0:
        return Y
    return (1.0 - epsilon) * Y + epsilon / n_classes
