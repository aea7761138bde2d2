"""The feed-forward network: parameter layout, initialisation, forward and
backward passes over preallocated buffers.

All parameters live in one flat vector laid out as ``[W_1, ..., W_L, b_1,
..., b_L]``: the weights are one contiguous block (so penalties, optimizers
and the L-BFGS solver each act on it in a single call) and ``coefs_`` /
``intercepts_`` are views into it.

The network is a sequence of layer objects (``skreg.layers``): convolutions
(7.9), then dense layers. Each computes its pre-activations into a
preallocated buffer and its gradients; the network applies the activation
and the hidden steps (dropout, activity penalty, reconstruction) between
them, the same way after a convolution block as after a dense layer.
"""

import numpy as np

from .activations import get_activation
from .layers import build_layers


class Layout:
    """Shapes and offsets of the parameters of a network of ``sizes``.

    With ``decoder`` the vector also holds a linear decoder from the first
    hidden layer back to the input (semi-supervised training, 7.6), as the
    last weight matrix and bias; ``n_layers`` counts the main layers only.
    ``conv`` holds the ``ConvGeometry`` of the first ``len(conv)`` layers:
    their weights are ``(kh * kw * c_in, filters)`` matrices and ``sizes``
    holds their flattened input and output maps.
    """

    def __init__(self, sizes, decoder=False, conv=()):
        self.sizes = [int(s) for s in sizes]
        self.n_layers = len(self.sizes) - 1
        self.conv = tuple(conv)
        self.coef_shapes = list(zip(self.sizes[:-1], self.sizes[1:]))
        for i, g in enumerate(self.conv):
            if (g.in_size, g.out_size) != tuple(self.sizes[i : i + 2]):
                raise ValueError(f"sizes {sizes} do not match convolution {i}.")
            self.coef_shapes[i] = g.coef_shape
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


PREDICT_CHUNK = 256  # rows per pass when a convolution's maps are large


class Network:
    """Forward and backward passes of a sequence of layers.

    Parameters
    ----------
    layout : Layout
    activation : str
        Hidden activation name.
    output : skreg.losses.OutputLoss
        Output activation and loss.

    Attributes
    ----------
    layers : list
        ``skreg.layers.Convolution`` then ``skreg.layers.Dense`` objects, one
        per weight matrix of ``layout`` (the decoder excluded).
    """

    def __init__(self, layout, activation, output):
        self.layout = layout
        self.activation = get_activation(activation)
        self.output = output
        self.layers = build_layers(layout)
        self.has_conv = bool(layout.conv)

    @property
    def n_layers(self):
        return self.layout.n_layers

    def allocate(self, batch_size, dtype):
        """Per-layer activation and delta buffers for ``batch_size`` rows
        (and each convolution's own buffers)."""
        sizes = self.layout.sizes[1:]
        acts = [np.empty((batch_size, s), dtype=dtype) for s in sizes]
        deltas = [np.empty((batch_size, s), dtype=dtype) for s in sizes]
        for layer in self.layers:
            layer.reserve(batch_size, dtype)
        return acts, deltas

    def forward(self, X, coefs, intercepts, acts, steps=(), scales=None):
        """Fill ``acts`` (views of ``len(X)`` rows) and return the output.

        ``steps`` are training-time transforms of hidden activations (e.g.
        dropout): each has ``forward(layer, a)`` returning the array the
        next layer reads. ``scales[i]`` multiplies layer ``i``'s product
        (classic dropout at prediction).
        """
        h = X
        last = self.n_layers - 1
        for i, (layer, W, b, a) in enumerate(zip(self.layers, coefs, intercepts, acts)):
            layer.forward(h, W, b, a, 1.0 if scales is None else scales[i])
            if i == last:
                return self.output.activate(a)
            h = self.activation.forward(a)
            for step in steps:
                h = step.forward(i, h)
        return h

    def backward(self, X, coefs, acts, deltas, coef_grads, intercept_grads, steps=(),
                 param_grads=True):
        """Backpropagate ``deltas[-1]`` (output delta, already set).

        Writes the weight and bias gradients; ``X`` is the batch input (or
        its noisy/dropped version the forward pass used). With
        ``param_grads=False`` only the deltas are computed (for an input
        gradient, ``input_delta``).
        """
        for i in range(self.n_layers - 1, -1, -1):
            layer = self.layers[i]
            d = layer.local_delta(deltas[i])
            if param_grads:
                h_prev = X if i == 0 else self._layer_input(i - 1, acts, steps)
                layer.param_grads(h_prev, d, coef_grads[i], intercept_grads[i],
                                  self._ones)
            if i > 0:
                prev = layer.backward_input(d, coefs[i], out=deltas[i - 1])
                for step in reversed(steps):
                    prev = step.backward(i - 1, prev)
                self.activation.backward(acts[i - 1], prev)

    def input_delta(self, delta, W, out):
        """Gradient with respect to the network's input from ``delta`` at
        the first layer's output, after ``backward`` (into ``out``)."""
        first = self.layers[0]
        return first.backward_input(first.local_delta(delta), W, out=out)

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
        returned instead of the output alone. A network with convolutions
        runs over chunks of ``PREDICT_CHUNK`` rows in reused buffers.
        """
        if self.has_conv:
            return self._predict_chunks(X, coefs, intercepts, scales, keep)
        h = X
        last = self.n_layers - 1
        kept = []
        layers = zip(self.layers, coefs[: self.n_layers], intercepts[: self.n_layers])
        for i, (layer, W, b) in enumerate(layers):
            z = layer.predict(h, W, b, 1.0 if scales is None else scales[i])
            h = self.output.activate(z) if i == last else self.activation.forward(z)
            kept.append(h)
        return kept if keep else h

    def _chunks(self, X, dtype):
        n = X.shape[0]
        size = min(PREDICT_CHUNK, max(n, 1))
        acts, deltas = self.allocate(size, dtype)
        for start in range(0, n, size):
            stop = min(start + size, n)
            m = stop - start
            yield start, stop, [a[:m] for a in acts], [d[:m] for d in deltas]

    def _predict_chunks(self, X, coefs, intercepts, scales, keep):
        dtype = coefs[0].dtype
        outs = [np.empty((X.shape[0], s), dtype) for s in self.layout.sizes[1:]]
        for start, stop, acts, _ in self._chunks(X, dtype):
            P = self.forward(X[start:stop], coefs, intercepts, acts, scales=scales)
            outs[-1][start:stop] = P
            for a, out in zip(acts[:-1], outs[:-1]):
                out[start:stop] = a
        return outs if keep else outs[-1]

    def input_gradient(self, X, Y, coefs, intercepts, scales=None):
        """d(mean data loss)/dX of the prediction-time network."""
        if self.has_conv:
            return self._input_gradient_chunks(X, Y, coefs, intercepts, scales)
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

    def _input_gradient_chunks(self, X, Y, coefs, intercepts, scales):
        n = X.shape[0]
        grad = np.empty(X.shape, coefs[0].dtype)
        for start, stop, acts, deltas in self._chunks(X, coefs[0].dtype):
            P = self.forward(X[start:stop], coefs, intercepts, acts, scales=scales)
            self.output.loss_and_delta(P, Y[start:stop], None, deltas[-1])
            deltas[-1] *= (stop - start) / n  # the chunk's share of the mean
            for i in range(self.n_layers - 1, -1, -1):
                layer = self.layers[i]
                out = grad[start:stop] if i == 0 else deltas[i - 1]
                layer.backward_input(layer.local_delta(deltas[i]), coefs[i], out=out)
                if scales is not None and scales[i] != 1.0:
                    out *= scales[i]
                if i > 0:
                    self.activation.backward(acts[i - 1], out)
        return grad
