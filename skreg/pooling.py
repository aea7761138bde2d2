"""Max-pooling over non-overlapping ``p x p`` windows of NHWC feature maps.

The windows are a reshape of the map, ``(m, h/p, p, w/p, p, c)``, so the
forward pass is ``p * p`` elementwise maxima of strided views and the
backward pass ``p * p`` masked copies: no Python loop over samples or
pixels, no index arrays. Each window sends its gradient to the first
position holding its maximum (ties are common: zero padding and blank image
regions give equal values), so the gradient is that of the function
computed, never counted twice.

Every activation of the package is nondecreasing, so pooling commutes with
it: ``max(f(z)) = f(max(z))``. The network pools the convolution's
pre-activations and applies the activation to the pooled map, which equals
pooling after the activation on ``p * p`` times fewer values.

With numba (the ``fast`` extra) each direction is one compiled pass that
keeps the offset of each window's maximum instead of ``p * p`` masks; the
results are the same bits for finite values.
"""

import numpy as np

from ._kernels import compiled


class MaxPool:
    """Pooling of ``(m * h * w, c)`` maps with buffers for ``m`` rows.

    Parameters
    ----------
    pool : int
        Window side p (divides ``h`` and ``w``).
    conv_shape : (int, int, int)
        ``(h, w, c)`` of the map before pooling.
    batch_size : int
    dtype : numpy dtype
    """

    def __init__(self, pool, conv_shape, batch_size, dtype):
        h, w, c = conv_shape
        p = pool
        self.pool, self.conv_shape = p, conv_shape
        # the convolution's output, later its gradient (same buffer)
        self.z = np.empty((batch_size * h * w, c), dtype)
        self._shape = (batch_size, h // p, w // p, c)
        self.masks = self._taken = self.index = None
        self._fused = False  # which engine the last forward pass used

    def _window(self, a, m, k):
        """The view of offset ``k`` (row-major in the window) of every window."""
        h, w, c = self.conv_shape
        p = self.pool
        windows = a.reshape(m, h // p, p, w // p, p, c)
        return windows[:, :, k // p, :, k % p, :]

    def forward(self, z, m, out):
        """Write the window maxima of ``z`` (``(m * h * w, c)``) into ``out``
        (``m`` rows of ``h/p * w/p * c`` values) and remember where they are."""
        h, w, c = self.conv_shape
        p = self.pool
        pooled = out.reshape(m, h // p, w // p, c)
        kernel = compiled("maxpool_forward")
        self._fused = kernel is not None
        if self._fused:
            if self.index is None:  # offsets up to p * p - 1 (uint8 to p = 16)
                self.index = np.empty(self._shape, np.min_scalar_type(p * p - 1))
            kernel(z.reshape(m, h, w, c), p, pooled, self.index[:m])
            return out
        if self.masks is None:
            self.masks = np.empty((p * p, *self._shape), bool)
            self._taken = np.empty(self._shape, bool)
        np.copyto(pooled, self._window(z, m, 0))
        for k in range(1, p * p):
            np.maximum(pooled, self._window(z, m, k), out=pooled)
        taken = self._taken[:m]
        for k in range(p * p):
            mask = self.masks[k, :m]
            np.equal(self._window(z, m, k), pooled, out=mask)
            if k == 0:
                np.copyto(taken, mask)
                continue
            np.greater(mask, taken, out=mask)  # mask and not taken before
            taken |= mask
        return out

    def backward(self, delta, m):
        """The gradient with respect to ``z`` (in ``self.z``) from the
        gradient ``delta`` with respect to the pooled map."""
        h, w, c = self.conv_shape
        p = self.pool
        dz = self.z[: m * h * w]
        d = delta.reshape(m, h // p, w // p, c)
        if self._fused:
            compiled("maxpool_backward")(d, self.index[:m], p, dz.reshape(m, h, w, c))
            return dz
        for k in range(p * p):
            np.multiply(d, self.masks[k, :m], out=self._window(dz, m, k))
        return dz
