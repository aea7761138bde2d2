"""Noise robustness (chapter 7.5): Gaussian noise on the inputs, on the
weights, and at the output targets (label smoothing, 7.5.1).

All noise is drawn in the computation's dtype from the fit's generator into
buffers allocated once per fit.
"""

import numpy as np


def fill_uniform(rng, out):
    """Fill the 1-D contiguous ``out`` with uniform draws in [0, 1) from ``rng``.

    float32 draws are numpy's own construction, the top 24 bits of a 32-bit
    word times 2^-24, but taken from the bit generator's raw 64-bit output
    (two words a draw): 1.5x faster than ``rng.random(dtype=float32)``.
    """
    if out.dtype != np.float32:
        return rng.random(out=out, dtype=out.dtype)
    raw = rng.bit_generator.random_raw((out.size + 1) // 2)
    bits = raw.view(np.uint32)[: out.size]
    np.right_shift(bits, 8, out=bits)
    out[...] = bits  # exact: < 2^24
    out *= np.float32(2.0**-24)
    return out


def fill_gaussian(rng, out, std, scratch):
    """Fill the 1-D contiguous ``out`` with ``N(0, std^2)`` draws from ``rng``.

    float32 draws come from the generator's uniforms through Box-Muller,
    ``sqrt(-2 ln u1) (sin, cos)(2 pi u2)``: three times faster than
    ``standard_normal`` and exactly Gaussian but for the tail beyond
    ``sqrt(-2 ln 2^-24) = 5.8`` standard deviations, which 24-bit uniforms
    cannot reach. Other dtypes use ``standard_normal``. ``scratch`` needs
    ``len(out) // 2`` entries of ``out``'s dtype.
    """
    if out.dtype != np.float32:  # numpy's float64 sin/cos are slow
        rng.standard_normal(out=out, dtype=out.dtype)
        out *= std
        return out
    half = out.size // 2
    radius, angle, sin = out[:half], out[half:2 * half], scratch[:half]
    fill_uniform(rng, out[:2 * half])
    np.subtract(1, radius, out=radius)  # in (0, 1]
    np.log(radius, out=radius)
    radius *= -2 * std**2
    np.sqrt(radius, out=radius)
    angle *= 2 * np.pi
    np.sin(angle, out=sin)
    np.cos(angle, out=angle)
    angle *= radius
    radius *= sin
    if out.size % 2:
        out[-1] = std * rng.standard_normal(dtype=out.dtype)
    return out


class InputNoise:
    """Adds ``N(0, std^2)`` to each training batch's inputs."""

    def __init__(self, std, batch_size, n_features, dtype, rng):
        self.std = float(std)
        self.rng = rng
        self.buffer = np.empty((batch_size, n_features), dtype)
        self.scratch = np.empty(batch_size * n_features // 2, dtype)

    def apply(self, X):
        """``X + noise`` in the buffer (``X`` is left untouched)."""
        out = self.buffer[: X.shape[0]]
        fill_gaussian(self.rng, out.reshape(-1), self.std, self.scratch)
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
        self.scratch = np.empty(layout.n_weights // 2, dtype)
        self.coefs, self.intercepts = layout.views(self.noisy)

    def perturb(self, params):
        """Views ``(coefs, intercepts)`` of ``params`` plus fresh noise."""
        n_w = self.layout.n_weights
        noise = fill_gaussian(self.rng, self.noisy[:n_w], self.std, self.scratch)
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
