"""Geometric transforms of images stored as flat rows: one affine map per
image (chapter 7.4's dataset augmentation, deterministic).

Every transform is resampled for the whole batch by
``skreg._resample._affine_sample`` (vectorized gathers, no Python loop over
images or pixels). Maps follow ``scipy.ndimage.affine_transform``: output
pixel ``o = (row, col)`` takes the input value at ``A @ o + b``. Outside the
image the input is ``fill``, interpolated continuously across the border as
``scipy.ndimage`` does with ``mode="grid-constant", cval=fill`` (its
``mode="constant"`` turns a whole border line to ``fill`` for a 1e-9 px shift).
The public names live in :mod:`skreg.augmentation`.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_array

from ._resample import _about_centre, _affine_sample, _inverse_rotation

_FLOATS = [np.float32, np.float64]  # kept as they are; anything else -> float32



def _resolve_shape(n_features, image_shape):
    """``(height, width, channels)`` of rows of ``n_features`` values."""
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"Cannot infer image_shape: {n_features} features is not a perfect "
                "square (only square single-channel images are inferred); pass "
                "image_shape=(height, width) or (height, width, channels)."
            )
        return side, side, 1
    shape = tuple(image_shape) if np.iterable(image_shape) else ()
    ints = all(isinstance(s, Integral) and not isinstance(s, bool) for s in shape)
    if not (len(shape) in (2, 3) and ints and shape.count(-1) <= 1) or any(
        s == 0 or s < -1 for s in shape
    ):
        raise ValueError(
            "image_shape must be (height, width) or (height, width, channels) of "
            f"positive ints (at most one -1, inferred); got {image_shape!r}."
        )
    shape = tuple(int(s) for s in shape) + (1,) * (3 - len(shape))
    known = abs(math.prod(shape))  # of the other entries when one is -1
    if -1 in shape and n_features % known == 0:
        shape = tuple(n_features // known if s == -1 else s for s in shape)
    if math.prod(shape) != n_features:
        raise ValueError(
            f"image_shape {image_shape!r} does not fit rows of {n_features} "
            "features (height * width * channels must equal n_features)."
        )
    return shape


def _warp(X, image_shape, order, fill, make_map, *per_image):
    """Shared body of the deterministic helpers: validate, build the maps
    ``make_map(n, *values)`` from per-row ``(name, value)`` pairs, resample."""
    X = check_array(X, dtype=_FLOATS)
    shape = _resolve_shape(X.shape[1], image_shape)
    if isinstance(order, bool) or order not in (0, 1):
        raise ValueError(f"order must be 0 (nearest) or 1 (bilinear); got {order!r}.")
    if not isinstance(fill, Real) or not np.isfinite(fill):
        raise ValueError(f"fill must be a finite real number; got {fill!r}.")
    values = []
    for name, value in per_image:
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim > 1 or (arr.ndim == 1 and len(arr) != len(X)):
            raise ValueError(f"{name} must be a scalar or one value per row.")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite; got {value!r}.")
        values.append(np.broadcast_to(arr, len(X)))
    M, shift = make_map(len(X), *values)
    return _affine_sample(X, *_about_centre(M, shift, shape), shape, order, fill)


_DOC = """

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images, one per row.
    {own}
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` (channels last, at
        most one ``-1``, inferred). None infers square single-channel images
        (``ValueError`` when ``n_features`` is not a perfect square).{sampling}

    Returns
    -------
    X_new : ndarray of shape (n_samples, n_features)
        A new array; float32/float64 input keeps its dtype, other input
        becomes float32.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import {name}"""

_SAMPLING = """
    order : {0, 1}, default=1
        1 for bilinear, 0 for nearest-neighbour sampling.
    fill : float, default=0.0
        Value of the points outside the image."""


def _document(own, sampling=True):
    """Complete a helper's docstring (summary + example) with the shared
    numpydoc sections and its own parameter ``own``."""

    def decorate(fn):
        fn.__module__ = "skreg.augmentation"  # where users import it from
        extra = _SAMPLING if sampling else ""
        sections = _DOC.format(own=own.strip(), name=fn.__name__, sampling=extra)
        fn.__doc__ = fn.__doc__.replace("\n    >>>", sections + "\n    >>>", 1)
        return fn

    return decorate


@_document("""dx, dy : float or array-like of shape (n_samples,)
        Shift in pixels: positive ``dx`` moves the content right, positive
        ``dy`` moves it down.""")
def translate(X, dx, dy, *, image_shape=None, order=1, fill=0.0):
    """Shift every image by ``(dx, dy)`` pixels (sub-pixel shifts allowed).
    >>> X = np.zeros((1, 9)); X[0, 4] = 1.0  # 3x3 image, centre pixel lit
    >>> translate(X, dx=1, dy=0).reshape(3, 3)
    array([[0., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]])
    """
    return _warp(X, image_shape, order, fill,
                 lambda n, dx, dy: (np.tile(np.eye(2), (n, 1, 1)), np.c_[dy, dx]),
                 ("dx", dx), ("dy", dy))  # fmt: skip


@_document("""degrees : float or array-like of shape (n_samples,)
        Angle about the centre ``((h - 1) / 2, (w - 1) / 2)``; positive is
        counter-clockwise as displayed (row 0 on top), the convention of
        ``scipy.ndimage.rotate`` and ``np.rot90``.""")
def rotate(X, degrees, *, image_shape=None, order=1, fill=0.0):
    """Rotate every image about its centre.
    >>> X = np.array([[0.0, 1.0, 2.0, 3.0]])  # the 2x2 image [[0, 1], [2, 3]]
    >>> rotate(X, 90).reshape(2, 2).round(6)
    array([[1., 3.],
           [0., 2.]])
    """
    return _warp(X, image_shape, order, fill,
                 lambda n, deg: (_inverse_rotation(deg), np.zeros((n, 2))),
                 ("degrees", degrees))  # fmt: skip


@_document("""factor : float or array-like of shape (n_samples,)
        Zoom factor > 0 about the centre: above 1 enlarges the content (the
        border is cropped), below 1 shrinks it (the border becomes ``fill``).""")
def rescale(X, factor, *, image_shape=None, order=1, fill=0.0):
    """Zoom every image about its centre; the output keeps its size.
    >>> X = np.zeros((1, 25)); X[0, 12] = 1.0  # 5x5 image, centre pixel lit
    >>> rescale(X, 2.0).reshape(5, 5)
    array([[0.  , 0.  , 0.  , 0.  , 0.  ],
           [0.  , 0.25, 0.5 , 0.25, 0.  ],
           [0.  , 0.5 , 1.  , 0.5 , 0.  ],
           [0.  , 0.25, 0.5 , 0.25, 0.  ],
           [0.  , 0.  , 0.  , 0.  , 0.  ]])
    """
    if np.any(np.asarray(factor) <= 0):
        raise ValueError(f"factor must be > 0; got {factor!r}.")
    return _warp(X, image_shape, order, fill,
                 lambda n, f: (np.eye(2) / f[:, None, None], np.zeros((n, 2))),
                 ("factor", factor))  # fmt: skip


@_document("""axis : {0, 1}
        0 flips the rows (upside down), 1 flips the columns (left-right, the
        ``hflip`` of :class:`ImageAugmenter`).""", sampling=False)
def mirror(X, axis, *, image_shape=None):
    """Flip every image; exact (no interpolation happens).
    >>> X = np.arange(6.0).reshape(1, 6)
    >>> mirror(X, axis=1, image_shape=(2, 3)).reshape(2, 3)
    array([[2., 1., 0.],
           [5., 4., 3.]])
    """
    if isinstance(axis, bool) or axis not in (0, 1):
        raise ValueError(f"axis must be 0 (rows) or 1 (columns); got {axis!r}.")
    flip = np.diag([-1.0, 1.0] if axis == 0 else [1.0, -1.0])
    return _warp(X, image_shape, 0, 0.0,
                 lambda n: (np.tile(flip, (n, 1, 1)), np.zeros((n, 2))))  # fmt: skip
