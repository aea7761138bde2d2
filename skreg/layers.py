"""The layers of a network: dense and convolution (with its pooling).

A layer computes the pre-activations of its outputs from its input ``h``
and its weight matrix ``W`` and bias ``b`` (views of the flat parameter
vector); the network applies the activation and the hidden steps. Each
layer has the same four methods:

* ``forward(h, W, b, out, scale)``  pre-activations into the buffer ``out``
  (``scale`` multiplies the product: classic dropout at prediction),
* ``local_delta(delta)``  the gradient at the layer's own product from the
  gradient at its output (the identity for a dense layer, un-pooling for a
  convolution),
* ``param_grads(h, d, gW, gb, ones)``  weight and bias gradients,
* ``backward_input(d, W, out)``  the gradient with respect to ``h``.

``local_delta`` must precede the other two within a backward pass; a
convolution keeps its patch matrix from ``forward`` for ``param_grads``
and reuses that buffer in ``backward_input``.
"""

import numpy as np
from numpy.lib.stride_tricks import as_strided
from scipy import sparse

from .pooling import MaxPool


def _matmul(A, B, out):
    if sparse.issparse(A):
        out[...] = A @ B
        return out
    return np.matmul(A, B, out=out)


class Dense:
    """A fully connected layer ``h W + b``."""

    def __init__(self, n_in, n_out):
        self.n_in, self.n_out = n_in, n_out

    def reserve(self, batch_size, dtype):
        """Dense layers keep no buffers of their own."""

    def forward(self, h, W, b, out, scale=1.0):
        _matmul(h, W, out=out)
        if scale != 1.0:
            out *= scale
        out += b
        return out

    def predict(self, h, W, b, scale=1.0):
        """Pre-activations in a fresh array (any number of rows)."""
        z = np.asarray(h @ W)
        if scale != 1.0:
            z *= scale
        z += b
        return z

    def local_delta(self, delta):
        return delta

    def param_grads(self, h, d, gW, gb, ones):
        if sparse.issparse(h):
            gW[...] = h.T @ d
        else:
            np.matmul(h.T, d, out=gW)
        # a ones-vector product (BLAS gemv) sums the rows 3x faster
        np.matmul(ones(d), d, out=gb)

    def backward_input(self, d, W, out):
        return np.matmul(d, W.T, out=out)


class Convolution:
    """A 2-D cross-correlation of NHWC maps, then max-pooling (``pool > 1``).

    The forward pass copies every ``kh x kw x c_in`` window into one
    contiguous patch matrix (``m * oh * ow`` rows: one strided-view copy)
    and multiplies it by ``W`` (one BLAS product); the weight gradient is
    ``patches^T d`` and the input gradient ``d W^T`` scattered back by
    ``kh * kw`` shifted slice-adds (col2im by slices).

    Parameters
    ----------
    geometry : skreg.conv.ConvGeometry
    """

    def __init__(self, geometry):
        self.g = geometry
        self.n_in, self.n_out = geometry.in_size, geometry.out_size
        self._capacity, self._dtype = 0, None

    def __getstate__(self):
        return {"g": self.g, "n_in": self.n_in, "n_out": self.n_out,
                "_capacity": 0, "_dtype": None}

    def reserve(self, batch_size, dtype):
        """Allocate the buffers for ``batch_size`` rows (grown on demand)."""
        dtype = np.dtype(dtype)
        if batch_size <= self._capacity and dtype == self._dtype:
            return
        g = self.g
        h, w, c = g.in_shape
        oh, ow = g.conv_shape
        top, bottom, left, right = g.pads
        rows = batch_size * oh * ow
        self._patch = np.empty((rows, g.coef_shape[0]), dtype)
        self._ones = np.ones(rows, dtype)
        padded = (batch_size, h + top + bottom, w + left + right, c)
        self._padded = np.zeros(padded, dtype) if any(g.pads) else None
        self._grad_padded = np.empty(padded, dtype) if any(g.pads) else None
        self._pool = (MaxPool(g.pool, (oh, ow, g.filters), batch_size, dtype)
                      if g.pool > 1 else None)
        self._capacity, self._dtype = batch_size, dtype

    def _windows(self, x):
        """``(m, oh, ow, kh, kw, c)`` strided view of the padded input ``x``."""
        g = self.g
        s = g.stride
        sm, sh, sw, sc = x.strides
        shape = (x.shape[0], *g.conv_shape, *g.kernel, g.in_shape[2])
        return as_strided(x, shape, (sm, s * sh, s * sw, sh, sw, sc), writeable=False)

    def _patches(self, h, m):
        g = self.g
        x = h.reshape(m, *g.in_shape)
        if self._padded is not None:
            top, _, left, _ = g.pads
            H, W, _ = g.in_shape
            xp = self._padded[:m]
            xp[:, top : top + H, left : left + W, :] = x  # the border stays 0
            x = xp
        oh, ow = g.conv_shape
        patch = self._patch[: m * oh * ow]
        np.copyto(patch.reshape(m, oh, ow, *g.kernel, g.in_shape[2]), self._windows(x))
        return patch

    def forward(self, h, W, b, out, scale=1.0):
        m = h.shape[0]
        self.reserve(m, h.dtype)
        patch = self._patches(h, m)
        z = out.reshape(-1, self.g.filters) if self._pool is None else (
            self._pool.z[: patch.shape[0]])
        np.matmul(patch, W, out=z)
        if scale != 1.0:
            z *= scale
        z += b
        if self._pool is not None:
            self._pool.forward(z, m, out)
        return out

    def local_delta(self, delta):
        if self._pool is None:
            return delta.reshape(-1, self.g.filters)
        return self._pool.backward(delta, delta.shape[0])

    def param_grads(self, h, d, gW, gb, ones):
        np.matmul(self._patch[: d.shape[0]].T, d, out=gW)
        np.matmul(self._ones[: d.shape[0]], d, out=gb)

    def backward_input(self, d, W, out):
        """``out`` (m rows of the input map) = the gradient with respect to
        the layer's input; overwrites the patch matrix.

        For each kernel offset (i, j), ``d W[i, j]^T`` is one product into
        a contiguous ``(m, oh, ow, c_in)`` block, added to the input map
        shifted by (i, j): ``kh * kw`` products and slice-adds, never the
        whole ``d W^T`` patch gradient (col2im by slices).
        """
        g = self.g
        m, rows = out.shape[0], d.shape[0]
        (kh, kw), c, s = g.kernel, g.in_shape[2], g.stride
        oh, ow = g.conv_shape
        block = self._patch.reshape(-1)[: rows * c].reshape(rows, c)
        shifted = block.reshape(m, oh, ow, c)
        kernels = W.reshape(kh, kw, c, g.filters)
        x = out.reshape(m, *g.in_shape)
        grad = x if self._grad_padded is None else self._grad_padded[:m]
        grad.fill(0)
        for i in range(kh):
            for j in range(kw):
                np.matmul(d, kernels[i, j].T, out=block)
                grad[:, i : i + s * (oh - 1) + 1 : s, j : j + s * (ow - 1) + 1 : s] += shifted
        if self._grad_padded is not None:
            top, _, left, _ = g.pads
            h, w, _ = g.in_shape
            x[...] = grad[:, top : top + h, left : left + w]
        return out


def build_layers(layout):
    """The layer objects of a ``Layout``: its convolutions, then dense layers."""
    layers = [Convolution(g) for g in layout.conv]
    sizes = layout.sizes
    layers += [Dense(sizes[i], sizes[i + 1])
               for i in range(len(layers), layout.n_layers)]
    return layers
