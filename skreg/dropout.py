"""Dropout (chapter 7.12), with keep probabilities, never drop probabilities.

``Dropout`` is a training step of the network: it draws one mask per layer
input for each minibatch from the fit's generator, multiplies the layer's
input by it on the way forward and the gradient by the same mask on the way
back. In ``"inverted"`` mode the kept units are scaled by ``1/p`` in training
and prediction is the plain network; in ``"classic"`` mode training keeps the
raw mask and prediction multiplies each layer's input by ``p`` (done on the
product, ``p (h W)``, never folded into ``coefs_``).
"""

from numbers import Real

import numpy as np

from .noise import fill_uniform

MODES = ("inverted", "classic")


def keep_probabilities(dropout_keep, n_hidden, n_conv=0):
    """Per-input keep probabilities ``(input, hidden_1, ..., hidden_n)``.

    A float applies to every hidden layer (the input is kept whole); a
    tuple must give the input's and every hidden layer's probability.
    With ``n_conv`` convolution blocks first, the output map of each block
    (after its activation and pooling) is a hidden layer too: the tuple is
    ``(input, conv_1, ..., conv_k, hidden_1, ..., hidden_n)``, ``n_hidden``
    counting the dense hidden layers only.
    Raises ``ValueError`` naming ``dropout_keep`` otherwise.
    """
    if isinstance(dropout_keep, Real) and not isinstance(dropout_keep, bool):
        keep = (1.0,) + (float(dropout_keep),) * (n_conv + n_hidden)
    else:
        try:
            keep = tuple(float(p) for p in dropout_keep)
        except (TypeError, ValueError):
            raise ValueError(
                f"dropout_keep must be a float in (0, 1] or a tuple of them, "
                f"got {dropout_keep!r}."
            ) from None
        if n_conv and len(keep) != n_conv + n_hidden + 1:
            raise ValueError(
                f"dropout_keep={dropout_keep!r} has {len(keep)} entries; it "
                f"needs n_conv + n_hidden + 1 = {n_conv + n_hidden + 1} (the "
                "input, then each convolution block's output map, then each "
                "dense hidden layer)."
            )
        if not n_conv and len(keep) != n_hidden + 1:
            raise ValueError(
                f"dropout_keep={dropout_keep!r} has {len(keep)} entries; it "
                f"needs n_hidden + 1 = {n_hidden + 1} (the input, then each "
                "hidden layer)."
            )
    if not all(0.0 < p <= 1.0 for p in keep):
        raise ValueError(
            f"dropout_keep values are keep probabilities in (0, 1], got "
            f"{dropout_keep!r}."
        )
    return keep


def prediction_scales(keep, mode):
    """Factors multiplying each layer's product at prediction time."""
    if mode == "classic":
        return keep
    return (1.0,) * len(keep)


class Dropout:
    """Masks for one fit, with buffers for ``batch_size`` rows.

    Parameters
    ----------
    keep : tuple of float
        Keep probability of each layer's input (``keep_probabilities``).
    mode : {"inverted", "classic"}
    widths : list of int
        Width of each layer's input (features, then hidden units).
    batch_size : int
    dtype : numpy dtype
    rng : numpy.random.Generator
    """

    def __init__(self, keep, mode, widths, batch_size, dtype, rng):
        self.keep = keep
        self.rng = rng
        self.scale = [1.0 / p if mode == "inverted" else 1.0 for p in keep]
        active = [p < 1.0 for p in keep]
        self.masks = [np.empty((batch_size, w), dtype) if on else None
                      for w, on in zip(widths, active)]
        self.outputs = [np.empty((batch_size, w), dtype) if on else None
                        for w, on in zip(widths, active)]
        self._m = 0

    @property
    def drops_input(self):
        return self.masks[0] is not None

    def draw(self, m):
        """New masks for a batch of ``m`` rows."""
        self._m = m
        for p, scale, mask in zip(self.keep, self.scale, self.masks):
            if mask is None:
                continue
            u = mask[:m]
            fill_uniform(self.rng, u.reshape(-1))
            np.less(u, p, out=u)
            if scale != 1.0:
                u *= scale

    def _apply(self, layer, h):
        mask = self.masks[layer]
        if mask is None:
            return h
        m = h.shape[0]
        return np.multiply(h, mask[:m], out=self.outputs[layer][:m])

    def apply_input(self, X):
        """The batch input with its mask applied (dense)."""
        return self._apply(0, X)

    # the hidden-step protocol of Network.forward / Network.backward
    def begin(self, X, coefs, intercepts, coef_grads, intercept_grads):
        """Masks are drawn per batch by ``draw``, shared by all its passes."""

    def value(self):
        return 0.0

    def forward(self, i, h):
        return self._apply(i + 1, h)

    def backward(self, i, delta):
        mask = self.masks[i + 1]
        if mask is not None:
            delta *= mask[: delta.shape[0]]
        return delta

    def layer_output(self, i):
        out = self.outputs[i + 1]
        return None if out is None else out[: self._m]
