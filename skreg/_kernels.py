"""Optional compiled kernels for the loops numpy cannot fuse.

With numba installed (the ``fast`` extra) the kernels below are compiled on
first use (and cached on disk); without it ``compiled`` returns None and
every caller keeps its numpy path, which gives the same results bit for
bit (the same float operations in the same order, no fused multiply-adds;
tests/test_reliability.py fits with augmentation on both). Setting the
environment variable ``SKREG_NUMPY_ONLY=1``, or ``ENABLED = False`` here,
forces the numpy paths (the tests run both).

Each kernel is plain Python over scalars and is compiled serial and
``nogil``: numba's thread pool would compete with the BLAS threads, and
joblib/dask workers already use the cores.
"""

import os
import threading

import numpy as np

ENABLED = os.environ.get("SKREG_NUMPY_ONLY", "") in ("", "0")
_COMPILED = {}
_LOCK = threading.Lock()


def compiled(name):
    """The compiled kernel ``name``, or None without numba (or when disabled)."""
    if not ENABLED:
        return None
    kernel = _COMPILED.get(name)
    if kernel is None:
        with _LOCK:
            kernel = _COMPILED.get(name) or _compile(name)
    return kernel or None


def _compile(name):
    try:
        import numba
    except ImportError:
        _COMPILED[name] = False
        return None
    function, fastmath = _KERNELS[name]
    options = dict(nogil=True, boundscheck=False, error_model="numpy",
                   fastmath=fastmath)
    try:
        kernel = numba.njit(cache=True, **options)(function)
    except RuntimeError:  # no writable cache location: compile in memory
        kernel = numba.njit(cache=False, **options)(function)
    _COMPILED[name] = kernel
    return kernel


def _warp(images, h, w, maps, grid_r, grid_c, low, high_y, high_x, fill, nearest,
          out):
    """Affine resampling of ``images`` (n, h*w) into ``out`` (n, h*w), any
    strides; the recipe of ``_resample._Sampler``, one image at a time.

    Each image is copied one line and column in from the top-left of a
    plane of ``fill`` (h + 3, w + 3). ``maps`` (2, n, 3) gives the plane's
    (row, col) source of output pixel p of image i as ``maps[:, i] @
    (grid_r[p], grid_c[p], 1)``, clipped to ``[low, high_y] x [low, high_x]``:
    bilinear from the four neighbours of that point, or (``nearest``) the
    value at its floor. The grids carry the dtype, so float32 stays float32;
    the plane must have fewer than 2**31 pixels (float32: 2**24).
    """
    n = images.shape[0]
    plane = np.full((h + 3, w + 3), fill, dtype=grid_c.dtype)
    # unsigned flat indices (the clipped coordinates are >= 0): numba then
    # skips the negative-index wraparound on each of the four loads (-20%)
    flat, cols, one = plane.ravel(), np.uintp(w + 3), np.uintp(1)
    cols_f = grid_c.dtype.type(w + 3)
    index = np.empty(h * w, np.int32)
    frac_y, frac_x = np.empty_like(grid_c), np.empty_like(grid_c)
    for i in range(n):
        for r in range(h):
            for c in range(w):
                plane[r + 1, c + 1] = images[i, r * w + c]
        ay, by, cy = maps[0, i, 0], maps[0, i, 1], maps[0, i, 2]
        ax, bx, cx = maps[1, i, 0], maps[1, i, 1], maps[1, i, 2]
        # coordinates of the whole image in one loop without loads: it
        # vectorizes (one loop per row left a scalar tail: 18% slower)
        for p in range(h * w):
            y = min(max(ay * grid_r[p] + by * grid_c[p] + cy, low), high_y)
            x = min(max(ax * grid_r[p] + bx * grid_c[p] + cx, low), high_x)
            y0, x0 = np.floor(y), np.floor(x)
            index[p] = np.int32(y0 * cols_f + x0)  # exact: see the docstring
            frac_y[p], frac_x[p] = y - y0, x - x0
        if nearest:
            for p in range(h * w):
                out[i, p] = flat[np.uintp(index[p])]
            continue
        for p in range(h * w):
            j, fx = np.uintp(index[p]), frac_x[p]
            below = j + cols
            top = flat[j] + fx * (flat[j + one] - flat[j])
            bottom = flat[below] + fx * (flat[below + one] - flat[below])
            out[i, p] = top + frac_y[p] * (bottom - top)


def _adam(params, grad, M, V, beta_1, beta_2, epsilon, step, denominator):
    """``optimizers.Adam.step`` in one pass: the same float operations in the
    same order as its numpy passes (so the same bits). ``denominator``, when
    not empty, keeps ``sqrt(V) + epsilon`` for ``Adam.weight_step``."""
    keep = denominator.size > 0
    for k in range(params.size):
        g = grad[k]
        m = M[k] * beta_1 + g
        v = V[k] * beta_2 + g * g
        d = np.sqrt(v) + epsilon
        M[k], V[k] = m, v
        if keep:
            denominator[k] = d
        params[k] -= m / d * step


def _soft_threshold(w, threshold, scale):
    """``Penalty.prox`` with one threshold per coordinate, in one pass:
    ``w -= clip(w, -t, t)`` with ``t = threshold * scale``, the numpy
    passes' operations (same bits); ``threshold`` is left as it was."""
    for k in range(w.size):
        t = threshold[k] * scale
        w[k] -= max(min(w[k], t), -t)


def _maxpool_forward(z, p, out, index):
    """``pooling.MaxPool.forward`` in one pass over ``z`` (m, h, w, c):
    window maxima into ``out`` (m, h/p, w/p, c) and the offset ``a * p + b``
    of each window's first maximum into ``index`` (same shape, an unsigned
    integer type that holds ``p * p - 1``)."""
    m, hp, wp, c = out.shape
    for n in range(m):
        for i in range(hp):
            for j in range(wp):
                for ch in range(c):
                    out[n, i, j, ch] = z[n, i * p, j * p, ch]
                    index[n, i, j, ch] = 0
                for a in range(p):
                    for b in range(p):
                        if a == 0 and b == 0:
                            continue
                        for ch in range(c):
                            v = z[n, i * p + a, j * p + b, ch]
                            if v > out[n, i, j, ch]:
                                index[n, i, j, ch] = a * p + b
                            if v >= out[n, i, j, ch]:  # np.maximum keeps the
                                out[n, i, j, ch] = v  # later of equal zeros


def _maxpool_backward(d, index, p, dz):
    """``pooling.MaxPool.backward``: ``dz`` (m, h, w, c) is ``d`` (m, h/p,
    w/p, c) at each window's first maximum and ``d * 0`` elsewhere (the
    numpy path's mask product, signed zeros included)."""
    m, hp, wp, c = d.shape
    for n in range(m):
        for i in range(hp):
            for a in range(p):
                for j in range(wp):
                    for b in range(p):
                        k = a * p + b
                        for ch in range(c):
                            g = d[n, i, j, ch]
                            dz[n, i * p + a, j * p + b, ch] = (
                                g if index[n, i, j, ch] == k else g * 0.0)


# name -> (function, fastmath): no fused multiply-adds ("contract") or
# reordering anywhere, so every kernel is bit-identical to its numpy passes.
_KERNELS = {
    "warp": (_warp, False),
    "adam": (_adam, False),
    "soft_threshold": (_soft_threshold, False),
    "maxpool_forward": (_maxpool_forward, False),
    "maxpool_backward": (_maxpool_backward, False),
}
