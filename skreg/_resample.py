"""Vectorized affine resampling of batches of flattened images: the engine
behind ``skreg.augmentation`` (no Python loop over images or pixels)."""

import math
import threading

import numpy as np

from ._kernels import compiled
from .noise import fill_gaussian

_BLOCK_PIXELS = 1 << 16  # padded pixels per block of rows: scratch stays in cache
_LOCAL = threading.local()
_CACHE_BYTES = 1 << 24
_F32_MAX_PIXELS = 1 << 22  # larger float32 images: float64 coordinates, indices
_INT32_PIXELS = 1 << 31  # larger planes: the numpy sampler (intp indices)


def _scratch(name, shape, dtype):
    """Thread-local scratch reused across calls (a fresh large array costs a
    page fault per 4 KiB, more than the arithmetic done in it)."""
    size = math.prod(shape)
    buffer = getattr(_LOCAL, name, None)
    if buffer is None or buffer.dtype != dtype or buffer.size < size:
        buffer = np.empty(size, dtype=dtype)
        if buffer.nbytes <= _CACHE_BYTES:  # never hold on to huge buffers
            setattr(_LOCAL, name, buffer)
    return buffer[:size].reshape(shape)


def _about_centre(M, shift, shape):
    """``(A, b)`` mapping output to input coordinates for the forward map
    ``p -> M^-1 (p - c) + c + shift``: ``M`` (n, 2, 2) is the inverse linear
    part about the centre ``c``, ``shift`` (n, 2) the (row, col) translation."""
    centre = np.array([(shape[0] - 1) / 2.0, (shape[1] - 1) / 2.0])
    return M, centre - np.einsum("nij,nj->ni", M, centre + shift)


def _inverse_rotation(degrees):
    """(n, 2, 2) inverse maps of rotations counter-clockwise as displayed."""
    theta = np.deg2rad(degrees)
    cos, sin = np.cos(theta), np.sin(theta)
    M = np.empty((len(theta), 2, 2))  # filled in place: np.stack costs 3x more
    M[:, 0, 0], M[:, 0, 1], M[:, 1, 0], M[:, 1, 1] = cos, sin, -sin, cos
    return M


class _Noise:
    """Adds N(0, std^2) noise to blocks of rows (``noise.fill_gaussian``)."""

    def __init__(self, std, rng):
        self.std, self.rng = std, rng

    def add(self, block):
        flat, dtype = block.reshape(-1), block.dtype  # blocks are C-contiguous
        z = _scratch("noise", (flat.size,), dtype)
        fill_gaussian(self.rng, z, self.std, _scratch("sin", (flat.size // 2,), dtype))
        flat += z


def _block_rows(n, row_size):
    """Rows per block: many enough to amortize the numpy calls, few enough to
    keep the scratch in cache (and float32 flat indices exact)."""
    return max(1, min(n, _BLOCK_PIXELS // row_size, _F32_MAX_PIXELS // row_size))


class _Sampler:
    """Scratch for resampling blocks of up to ``m`` images. Each image sits in
    a plane padded with ``fill`` (1 line before, 2 after), so every clipped
    coordinate has four valid neighbours and no masking is needed."""

    def __init__(self, m, shape, dtype, fill):
        h, w, c = shape
        self.shape, self.W, size = shape, w + 3, (h + 3) * (w + 3)
        self.pad = _scratch("pad", (c, m, h + 3, w + 3), dtype)
        self.pad.fill(fill)
        self.coords = _scratch("coords", (2, m, h * w), dtype)
        self.v = _scratch("corners", (4, m, h * w), dtype)  # also the floors
        self.idx = _scratch("index", (m, h * w), np.intp)
        self.offsets = np.arange(0, m * size, size, dtype=dtype)[:, None]
        grid = np.indices((h, w), dtype=dtype).reshape(2, -1)  # (row, col, 1)
        self.grid = np.vstack([grid, np.ones((1, h * w), dtype=dtype)])

    def index(self, maps, limits):
        """Flat index of every output pixel's top-left source pixel; leaves the
        fractional (row, col) offsets in ``self.coords``."""
        k = maps.shape[1]
        coords, floors = self.coords[:, :k], self.v[2:, :k]
        # a * row + b * col + c in the kernel's order (not a matmul, whose
        # BLAS order and fused multiply-adds would change the last bits)
        np.multiply(maps[:, :, 0:1], self.grid[0], out=coords)
        np.multiply(maps[:, :, 1:2], self.grid[1], out=floors)
        coords += floors
        coords += maps[:, :, 2:3]
        np.clip(coords, *limits, out=coords)
        np.floor(coords, out=floors)
        coords -= floors
        rows, cols = floors
        rows *= self.W
        rows += cols
        rows += self.offsets[:k]
        small = self.v[0, :k].view(np.int32)[:, : rows.shape[1]]
        np.copyto(small, rows, casting="unsafe")  # via int32: faster
        np.copyto(self.idx[:k], small)
        return self.idx[:k]

    def run(self, block, maps, limits, dst, nearest):
        """Resample ``block`` (k, h, w, c) into ``dst`` (k, h, w, c); the padded
        source of output pixel (r, c) of image i is ``maps[:, i] @ (r, c, 1)``
        clipped to ``limits`` (nearest: that point + 0.5, floored)."""
        h, w, c = self.shape
        k = len(block)
        for ch in range(c):
            self.pad[ch, :k, 1 : h + 1, 1 : w + 1] = block[..., ch]
        dst = dst.reshape(k, h * w, c)
        idx = self.index(maps, limits)
        v00, v01, v10, v11 = self.v[:, :k]
        R, Q = self.coords[:, :k]
        for ch in range(c):
            plane = self.pad[ch].reshape(-1)
            if nearest:
                np.take(plane, idx, out=dst[:, :, ch], mode="wrap")
                continue
            for corner, step in zip(self.v[:, :k], (0, 1, self.W, self.W + 1)):
                np.take(plane[step:], idx, out=corner, mode="wrap")
            v01 -= v00
            v01 *= Q
            v00 += v01  # top edge
            v11 -= v10
            v11 *= Q
            v10 += v11  # bottom edge
            v10 -= v00
            v10 *= R
            np.add(v00, v10, out=dst[:, :, ch])


def _affine_sample(X, A, b, shape, order=1, fill=0.0, noise=None, out=None):
    """Resample row ``i`` of ``X`` (n, h*w*c): output pixel ``o = (row, col)``
    takes the input value at ``A[i] @ o + b[i]`` (``scipy.ndimage`` convention,
    ``mode="grid-constant", cval=fill``), bilinear (``order=1``) or nearest
    (``order=0``, ties rounded up); then adds ``noise`` (a ``_Noise``). Writes
    into ``out`` (C-contiguous, X's shape and dtype) when given."""
    (n, _), (h, w, c), dtype = X.shape, shape, X.dtype
    # C order whatever X's: the noise is added through flat views of blocks
    out = np.empty(X.shape, dtype) if out is None else out
    if dtype == np.float32 and (h + 3) * (w + 3) * c > _F32_MAX_PIXELS:
        out[...] = _affine_sample(X.astype(np.float64), A, b, shape, order, fill, noise)
        return out
    low = 0.5 - 0.5 * order  # nearest rounds by flooring x + 0.5
    maps = np.concatenate([A, b[:, :, None] + (1 + low)], axis=2)  # +1: the pad
    maps = np.ascontiguousarray(maps.transpose(1, 0, 2), dtype=dtype)
    high = (np.array([h, w]) + 1 + low).astype(dtype).reshape(2, 1, 1)
    limits = (np.full((2, 1, 1), low, dtype), high)
    m = _block_rows(n, (h + 3) * (w + 3) * c)
    kernel = compiled("warp") if (h + 3) * (w + 3) < _INT32_PIXELS else None
    if kernel is not None:
        grids = np.indices((h, w), dtype=dtype).reshape(2, h * w)
        bounds = limits[0].flat[0], *high.flat  # low, high_y, high_x
        # (n, h*w) views of each channel: splitting an axis never copies
        src, dst = X.reshape(n, h * w, c), out.reshape(n, h * w, c)
        for ch in range(c):
            kernel(src[:, :, ch], h, w, maps, *grids, *bounds, dtype.type(fill),
                   order == 0, dst[:, :, ch])  # fmt: skip
    else:
        sampler = _Sampler(m, shape, dtype, fill)
        src, dst = X.reshape(n, h, w, c), out.reshape(n, h, w, c)
        for start in range(0, n, m):
            rows = slice(start, start + m)
            sampler.run(src[rows], maps[:, rows], limits, dst[rows], order == 0)
    if noise is not None:
        for start in range(0, n, m):
            noise.add(out[start : start + m])
    return out
