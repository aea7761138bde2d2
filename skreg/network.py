"""The feed-forward network: parameter layout, initialisation, forward and
backward passes over preallocated buffers.

All parameters live in one flat vector laid out as ``[W_1, ..., W_L, b_1,
..., b_L]``: the weights are one contiguous block (so penalties, optimizers
and the L-BFGS solver each act on it in a single call) and ``coefs_`` /
``intercepts_`` are views into it.
"""

import numpy as np
from scipy import sparse

from .activations import get_activation


class Layout:
    """Shapes and offsets of the parameters of a network of ``sizes``.

    With ``decoder`` the vector also holds a linear decoder from the first
    hidden layer back to the input (semi-supervised training, 7.6), as the
    last weight matrix and bias; ``n_layers`` counts the main layers only.
    """

    def __init__(self, sizes, decoder=False):
        self.sizes = [int(s) for s in sizes]
        self.n_layers = len(self.sizes) - 1
        self.coef_shapes = list(zip(self.sizes[:-1], self.sizes[1:]))
        if decoder:
            self.coef_shapes.append((self.sizes[1], self.sizes[0]))
        self.decoder = bool(decoder)
        self.n_weights = sum(a * b for a, b in self.coef_shapes)
        self.n_params = self.n_weights + sum(b for _, b in self.coef_shapes)

    def views(self, flat):
        """``(coefs, intercepts)``: lists of views into ``flat``."""
        coefs, intercepts = [], []
        start = 0
        for fan_in, fan_out in self.coef_shapes:
            stop = start + fan_in * fan_out
            coefs.append(flat[start:stop].reshape(fan_in, fan_out))
            start = stop
        for _, fan_out in self.coef_shapes:
            intercepts.append(flat[start : start + fan_out])
            start += fan_out
        return coefs, intercepts

    def pack(self, coefs, intercepts, dtype):
        """A new flat vector holding copies of ``coefs`` and ``intercepts``."""
        parts = [np.ravel(c) for c in coefs] + [np.ravel(b) for b in intercepts]
        return np.concatenate(parts).astype(dtype, copy=False)


def _init_scale(scheme, fan_in, fan_out):
    if scheme == "glorot_uniform":
        return "uniform", np.sqrt(6.0 / (fan_in + fan_out))
    if scheme == "he_normal":
        return "normal", np.sqrt(2.0 / fan_in)
    return "normal", 1.0  # std_normal: the chapter's N(0, 1)


def initialise(layout, activation, weight_init, dtype, rng):
    """Draw a fresh flat parameter vector; biases start at zero.

    ``weight_init="auto"`` uses He initialisation for the weights feeding a
    ReLU and Glorot's uniform scheme otherwise (the output layer included).
    Draws are made in float64 so that a float32 and a float64 fit with the
    same seed start from the same weights.
    """
    flat = np.zeros(layout.n_params, dtype=dtype)
    coefs, _ = layout.views(flat)
    for i, (fan_in, fan_out) in enumerate(layout.coef_shapes):
        scheme = weight_init
        if weight_init == "auto":
            feeds_relu = activation == "relu" and i < layout.n_layers - 1
            scheme = "he_normal" if feeds_relu else "glorot_uniform"
        kind, scale = _init_scale(scheme, fan_in, fan_out)
        if kind == "uniform":
            draw = rng.uniform(-scale, scale, size=(fan_in, fan_out))
        else:
            draw = scale * rng.standard_normal(size=(fan_in, fan_out))
        coefs[i][...] = draw
    return flat


def _matmul(A, B, out):
    if sparse.issparse(A):
        out[...] = A @ B
        return out
    return np.matmul(A, B, out=out)


class Network:
    """Forward and backward passes of a network with fixed layer sizes.

    Parameters
    ----------
    layout : Layout
    activation : str
        Hidden activation name.
    output : skreg.losses.OutputLoss
        Output activation and loss.
    """

    def __init__(self, layout, activation, output):
        self.layout = layout
        self.activation = get_activation(activation)
        self.output = output

    @property
    def n_layers(self):
        return self.layout.n_layers

    def allocate(self, batch_size, dtype):
        """Per-layer activation and delta buffers for ``batch_size`` rows."""
        sizes = self.layout.sizes[1:]
        acts = [np.empty((batch_size, s), dtype=dtype) for s in sizes]
        deltas = [np.empty((batch_size, s), dtype=dtype) for s in sizes]
        return acts, deltas

    def forward(self, X, coefs, intercepts, acts, steps=()):
        """Fill ``acts`` (views of ``len(X)`` rows) and return the output.

        ``steps`` are training-time transforms of hidden activations (e.g.
        dropout): each has ``forward(layer, a)`` returning the array the
        next layer reads.
        """
        h = X
        last = self.n_layers - 1
        for i, (W, b, a) in enumerate(zip(coefs, intercepts, acts)):
            _matmul(h, W, out=a)
            a += b
            if i == last:
                return self.output.activate(a)
            h = self.activation.forward(a)
            for step in steps:
                h = step.forward(i, h)
        return h

    def backward(self, X, coefs, acts, deltas, coef_grads, intercept_grads, steps=()):
        """Backpropagate ``deltas[-1]`` (output delta, already set).

        Writes the weight and bias gradients; ``X`` is the batch input (or
        its noisy/dropped version the forward pass used).
        """
        for i in range(self.n_layers - 1, -1, -1):
            delta = deltas[i]
            h_prev = X if i == 0 else self._layer_input(i - 1, acts, steps)
            if sparse.issparse(h_prev):
                coef_grads[i][...] = h_prev.T @ delta
            else:
                np.matmul(h_prev.T, delta, out=coef_grads[i])
            # a ones-vector product (BLAS gemv) sums the rows 3x faster
            np.matmul(self._ones(delta), delta, out=intercept_grads[i])
            if i > 0:
                prev = deltas[i - 1]
                np.matmul(delta, coefs[i].T, out=prev)
                for step in reversed(steps):
                    prev = step.backward(i - 1, prev)
                self.activation.backward(acts[i - 1], prev)

    def _ones(self, delta):
        m, dtype = delta.shape[0], delta.dtype
        ones = getattr(self, "_ones_buffer", None)
        if ones is None or ones.shape[0] < m or ones.dtype != dtype:
            ones = self._ones_buffer = np.ones(m, dtype)
        return ones[:m]

    def _layer_input(self, i, acts, steps):
        for step in steps:
            h = step.layer_output(i)
            if h is not None:
                return h
        return acts[i]

    def predict(self, X, coefs, intercepts, scales=None, keep=False):
        """Forward pass at prediction time, in fresh arrays.

        ``scales[i]`` multiplies layer ``i``'s product (classic dropout's
        ``p``). With ``keep`` the list of every layer's activations is
        returned instead of the output alone.
        """
        h = X
        last = self.n_layers - 1
        kept = []
        layers = zip(coefs[: self.n_layers], intercepts[: self.n_layers])
        for i, (W, b) in enumerate(layers):
            z = np.asarray(h @ W)
            if scales is not None and scales[i] != 1.0:
                z *= scales[i]
            z += b
            h = self.output.activate(z) if i == last else self.activation.forward(z)
            kept.append(h)
        return kept if keep else h

    def input_gradient(self, X, Y, coefs, intercepts, scales=None):
        """d(mean data loss)/dX of the prediction-time network."""
        acts = self.predict(X, coefs, intercepts, scales, keep=True)
        delta = np.empty_like(acts[-1])
        self.output.loss_and_delta(acts[-1], Y, None, delta)
        for i in range(self.n_layers - 1, -1, -1):
            delta = delta @ coefs[i].T
            if scales is not None and scales[i] != 1.0:
                delta *= scales[i]
            if i > 0:
                self.activation.backward(acts[i - 1], delta)
        return delta
