"""Dataset augmentation for images stored as flat rows (chapter 7.4).

Every geometric transform here is one affine map per image, resampled for a
whole batch at once by :func:`_affine_sample` (vectorized gathers, no loop
over images or pixels). Maps follow ``scipy.ndimage.affine_transform``: the
output pixel at ``o = (row, col)`` takes the input value at ``A @ o + b``.
Outside the image the input is ``fill`` and interpolation is continuous
across the border, exactly as ``scipy.ndimage`` with
``mode="grid-constant", cval=fill`` (scipy's ``mode="constant"`` instead
drops a whole border line to ``fill`` for a shift of 1e-9 pixels).
"""

import math
import threading
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    OneToOneFeatureMixin,
    TransformerMixin,
    _fit_context,
    clone,
)
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = [
    "ImageAugmenter",
    "augment_dataset",
    "mirror",
    "rescale",
    "rotate",
    "translate",
]

_FLOATS = (np.float32, np.float64)  # kept as is; anything else -> float32
_BLOCK_PIXELS = 1 << 15  # per block of rows: the scratch stays in cache
_LOCAL = threading.local()  # per-thread scratch, reused across calls


def _scratch(name, shape, dtype):
    """A thread-local scratch array, reused by later calls: fresh large
    allocations cost a page fault per 4 KiB, more than the work here."""
    size = math.prod(shape)
    buffer = getattr(_LOCAL, name, None)
    if buffer is None or buffer.dtype != dtype or buffer.size < size:
        buffer = np.empty(size, dtype=dtype)
        setattr(_LOCAL, name, buffer)
    return buffer[:size].reshape(shape)


def _resolve_shape(n_features, image_shape):
    """Return ``(height, width, channels)`` for rows of ``n_features`` values."""
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"Cannot infer image_shape: {n_features} features is not a "
                "perfect square (only square single-channel images are "
                "inferred); pass image_shape=(height, width) or "
                "(height, width, channels)."
            )
        return side, side, 1
    try:
        shape = tuple(image_shape)
    except TypeError:
        shape = ()
    ok = all(isinstance(s, Integral) and not isinstance(s, bool) for s in shape)
    if (
        len(shape) not in (2, 3)
        or not ok
        or any(s == 0 or s < -1 for s in shape)
        or shape.count(-1) > 1
    ):
        raise ValueError(
            "image_shape must be (height, width) or (height, width, channels) "
            f"of positive ints (at most one -1, inferred); got {image_shape!r}."
        )
    shape = tuple(int(s) for s in shape) + (1,) * (3 - len(shape))
    known = -math.prod(shape) if -1 in shape else math.prod(shape)
    if -1 in shape and n_features % known == 0:
        shape = tuple(n_features // known if s == -1 else s for s in shape)
    if math.prod(shape) != n_features:
        raise ValueError(
            f"image_shape {image_shape!r} does not fit rows of {n_features} "
            "features (height * width * channels must equal n_features)."
        )
    return shape


def _check_order_fill(order, fill):
    if isinstance(order, bool) or order not in (0, 1):
        raise ValueError(f"order must be 0 (nearest) or 1 (bilinear); got {order!r}.")
    if not isinstance(fill, Real) or not np.isfinite(fill):
        raise ValueError(f"fill must be a finite real number; got {fill!r}.")


def _as_images(X, image_shape):
    """Validate flat image rows; float dtypes are kept, others become float32."""
    X = check_array(X, dtype=list(_FLOATS))
    return X, _resolve_shape(X.shape[1], image_shape)


def _per_image(value, n, name):
    """Broadcast a scalar or a per-image array of finite reals to shape (n,)."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != n):
        raise ValueError(f"{name} must be a scalar or have one value per row ({n}).")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite.")
    return np.broadcast_to(arr, (n,))


def _inverse_rotation(degrees):
    """(n, 2, 2) maps from output to input (row, col) offsets for a rotation
    that is counter-clockwise as displayed (the ``scipy.ndimage.rotate`` sign)."""
    theta = np.deg2rad(degrees)
    cos, sin = np.cos(theta), np.sin(theta)
    return np.stack([np.stack([cos, sin], -1), np.stack([-sin, cos], -1)], -2)


def _about_centre(M, shift, shape):
    """Affine ``(A, b)`` taking output to input coordinates for the forward map
    ``p -> M^-1 (p - c) + c + shift`` (``M``: inverse linear part about the
    centre ``c``; ``shift``: forward (row, col) translation)."""
    centre = np.array([(shape[0] - 1) / 2.0, (shape[1] - 1) / 2.0])
    b = centre - np.einsum("nij,nj->ni", M, centre + shift)
    return M, b


class _Noise:
    """Adds N(0, std^2) noise to blocks of rows, drawn from ``rng``'s uniforms
    by the Box-Muller transform ``sqrt(-2 ln u1) (sin, cos)(2 pi u2)`` in the
    block's dtype (3x faster than ``Generator.standard_normal`` in float32)."""

    def __init__(self, std, rng):
        self.std, self.rng = std, rng

    def add(self, block):
        flat = block.reshape(-1)  # blocks are C-contiguous
        half = (flat.size + 1) // 2
        z, sin = _scratch("normal", (2 * half,), flat.dtype), _scratch("sin", (half,), flat.dtype)
        radius, angle = z[:half], z[half:]
        self.rng.random(out=z, dtype=z.dtype)
        np.subtract(1, radius, out=radius)  # in (0, 1]
        np.log(radius, out=radius)
        radius *= -2 * self.std**2
        np.sqrt(radius, out=radius)
        angle *= 2 * np.pi
        np.sin(angle, out=sin)
        np.cos(angle, out=angle)
        angle *= radius
        radius *= sin
        flat += z[: flat.size]


def _block_rows(n, row_size):
    """Rows per block: enough pixels to amortize the calls, few enough to
    keep the scratch buffers in cache (and float32 indices exact)."""
    return max(1, min(n, _BLOCK_PIXELS // row_size, (1 << 22) // row_size))


class _Sampler:
    """Scratch buffers that resample blocks of up to ``m`` images.

    Each image sits in a plane padded with ``fill`` (1 line before, 2 after),
    so every clipped coordinate has four valid neighbours and points outside
    the image blend into ``fill`` without any masking.
    """

    def __init__(self, m, shape, dtype, fill):
        h, w, c = shape
        self.shape, self.W = shape, w + 3
        self.pad = _scratch("pad", (c, m, h + 3, w + 3), dtype)
        self.pad.fill(fill)
        self.coords = _scratch("coords", (2, m, h * w), dtype)
        self.v = _scratch("corners", (4, m, h * w), dtype)  # floors first
        self.idx = _scratch("index", (m, h * w), np.intp)
        size = (h + 3) * (w + 3)
        self.offsets = np.arange(0, m * size, size, dtype=dtype)[:, None]
        grid = np.indices((h, w), dtype=dtype).reshape(2, -1)
        self.grid = np.vstack([grid, np.ones((1, h * w), dtype=dtype)])

    def index(self, maps, limits):
        """Flat index of each output pixel's top-left source pixel; leaves
        the fractional offsets in ``self.coords``."""
        k = maps.shape[1]
        coords, floors = self.coords[:, :k], self.v[2:, :k]
        np.matmul(maps, self.grid, out=coords)
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

    def run(self, block, maps, limits, dst):
        """Resample ``block`` (k, h, w, c) into ``dst`` (k, h*w, c).

        The padded source (row, col) of output pixel (r, c) of image i is
        ``maps[:, i] @ (r, c, 1)``, clipped to ``limits`` = (low, high).
        """
        h, w, c = self.shape
        k = len(block)
        for ch in range(c):
            self.pad[ch, :k, 1 : h + 1, 1 : w + 1] = block[..., ch]
        idx = self.index(maps, limits)
        v00, v01, v10, v11 = self.v[:, :k]
        for ch in range(c):
            plane = self.pad[ch].reshape(-1)
            if limits[0][0] > 0:  # nearest neighbour
                np.take(plane, idx, out=dst[:, :, ch], mode="wrap")
                continue
            for corner, step in zip((v00, v01, v10, v11), (0, 1, self.W, self.W + 1)):
                np.take(plane[step:], idx, out=corner, mode="wrap")
            v01 -= v00
            v01 *= self.coords[1, :k]
            v00 += v01  # top edge
            v11 -= v10
            v11 *= self.coords[1, :k]
            v10 += v11  # bottom edge
            v10 -= v00
            v10 *= self.coords[0, :k]
            np.add(v00, v10, out=dst[:, :, ch])


def _affine_sample(X, A, b, shape, order=1, fill=0.0, noise=None):
    """Resample each row of ``X`` (n, h*w*c) with its own affine map.

    The output pixel ``o = (row, col)`` of image ``i`` takes the input value at
    ``A[i] @ o + b[i]`` (``scipy.ndimage.affine_transform`` convention,
    ``mode="grid-constant", cval=fill``), bilinear (``order=1``) or nearest
    (``order=0``, ties rounded up); then ``noise`` (a ``_Noise``) is added.
    Returns a new array of X's dtype.
    """
    (n, d), (h, w, c), dtype = X.shape, shape, X.dtype
    out = np.empty_like(X)
    m = _block_rows(n, (h + 3) * (w + 3) * c)
    sampler = _Sampler(m, shape, dtype, fill)
    low = 0.5 - 0.5 * order  # nearest rounds by flooring x + 0.5
    maps = np.concatenate([A, b[:, :, None] + (1 + low)], axis=2)  # +1: the pad
    maps = np.ascontiguousarray(maps.transpose(1, 0, 2), dtype=dtype)
    high = (np.array([h, w]) + 1 + low).astype(dtype).reshape(2, 1, 1)
    limits = (np.full((2, 1, 1), low, dtype), high)
    src, dst = X.reshape(n, h, w, c), out.reshape(n, h * w, c)
    for start in range(0, n, m):
        rows = slice(start, start + m)
        sampler.run(src[rows], maps[:, rows], limits, dst[rows])
        if noise is not None:
            noise.add(dst[rows])
    return out


def _warp(X, shape, M, shift, order, fill):
    """Shared body of the deterministic helpers (M, shift: one per row)."""
    _check_order_fill(order, fill)
    return _affine_sample(X, *_about_centre(M, shift, shape), shape, order, fill)


_SHARED_PARAMS = """image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` (channels last,
        at most one ``-1`` inferred). None infers square single-channel
        images and raises ``ValueError`` when ``n_features`` is not a square.
    order : {0, 1}, default=1
        1 for bilinear, 0 for nearest-neighbour sampling.
    fill : float, default=0.0
        Value of the points outside the image."""

_RETURNS = """Returns
    -------
    X_new : ndarray of shape (n_samples, n_features)
        New array (float input keeps its dtype; anything else is float32)."""


def translate(X, dx, dy, *, image_shape=None, order=1, fill=0.0):
    """Shift every image by ``(dx, dy)`` pixels (sub-pixel shifts allowed).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images, one per row.
    dx, dy : float or array-like of shape (n_samples,)
        Shift in pixels: positive ``dx`` moves the content right, positive
        ``dy`` moves it down.
    {params}

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import translate
    >>> X = np.zeros((1, 9)); X[0, 4] = 1.0  # 3x3 image, centre pixel lit
    >>> translate(X, dx=1, dy=0).reshape(3, 3)
    array([[0., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]])
    """
    X, shape = _as_images(X, image_shape)
    n = X.shape[0]
    shift = np.stack([_per_image(dy, n, "dy"), _per_image(dx, n, "dx")], axis=1)
    return _warp(X, shape, np.tile(np.eye(2), (n, 1, 1)), shift, order, fill)


def rotate(X, degrees, *, image_shape=None, order=1, fill=0.0):
    """Rotate every image about its centre ``((h - 1) / 2, (w - 1) / 2)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images, one per row.
    degrees : float or array-like of shape (n_samples,)
        Angle; positive is counter-clockwise as displayed (row 0 at the top),
        the convention of ``scipy.ndimage.rotate`` and ``np.rot90``.
    {params}

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import rotate
    >>> X = np.array([[0.0, 1.0, 2.0, 3.0]])  # the 2x2 image [[0, 1], [2, 3]]
    >>> rotate(X, 90).reshape(2, 2).round(6)
    array([[1., 3.],
           [0., 2.]])
    """
    X, shape = _as_images(X, image_shape)
    M = _inverse_rotation(_per_image(degrees, X.shape[0], "degrees"))
    return _warp(X, shape, M, np.zeros((X.shape[0], 2)), order, fill)


def rescale(X, factor, *, image_shape=None, order=1, fill=0.0):
    """Zoom every image about its centre (the output keeps its size).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images, one per row.
    factor : float or array-like of shape (n_samples,)
        Scale factor > 0: above 1 enlarges the content (cropping the border),
        below 1 shrinks it (the border fills with ``fill``).
    {params}

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import rescale
    >>> X = np.zeros((1, 25)); X[0, 12] = 1.0  # 5x5 image, centre pixel lit
    >>> rescale(X, 2.0).reshape(5, 5)
    array([[0.  , 0.  , 0.  , 0.  , 0.  ],
           [0.  , 0.25, 0.5 , 0.25, 0.  ],
           [0.  , 0.5 , 1.  , 0.5 , 0.  ],
           [0.  , 0.25, 0.5 , 0.25, 0.  ],
           [0.  , 0.  , 0.  , 0.  , 0.  ]])
    """
    X, shape = _as_images(X, image_shape)
    factor = _per_image(factor, X.shape[0], "factor")
    if np.any(factor <= 0):
        raise ValueError("factor must be > 0.")
    M = np.eye(2) / factor[:, None, None]
    return _warp(X, shape, M, np.zeros((X.shape[0], 2)), order, fill)


def mirror(X, axis, *, image_shape=None):
    """Flip every image (exact: no interpolation happens).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Flattened images, one per row.
    axis : {0, 1}
        0 flips the rows (upside down), 1 flips the columns (left-right, the
        ``hflip`` of :class:`ImageAugmenter`).
    image_shape : tuple of int, default=None
        As in :func:`translate`.

    {returns}

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import mirror
    >>> X = np.arange(6.0).reshape(1, 6)
    >>> mirror(X, axis=1, image_shape=(2, 3)).reshape(2, 3)
    array([[2., 1., 0.],
           [5., 4., 3.]])
    """
    if isinstance(axis, bool) or axis not in (0, 1):
        raise ValueError(f"axis must be 0 (rows) or 1 (columns); got {axis!r}.")
    X, shape = _as_images(X, image_shape)
    M = np.diag([-1.0, 1.0] if axis == 0 else [1.0, -1.0])
    return _warp(X, shape, np.tile(M, (X.shape[0], 1, 1)), np.zeros((X.shape[0], 2)), 0, 0.0)


for _f in (translate, rotate, rescale, mirror):
    _f.__doc__ = _f.__doc__.replace("{params}", _SHARED_PARAMS).replace(
        "{returns}", _RETURNS
    )


def _check_scale(scale):
    try:
        low, high = (float(s) for s in scale)
    except (TypeError, ValueError):
        low = high = np.nan
    if not 0 < low <= high < np.inf:
        raise ValueError(
            f"scale must be a pair (low, high) with 0 < low <= high; got {scale!r}."
        )
    return low, high


def _generator(random_state):
    """A numpy Generator from None, an int, a RandomState or a Generator
    (a Generator is used as is, so draws advance the caller's stream)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**32, dtype=np.uint64))
    return np.random.default_rng(random_state)


class ImageAugmenter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Random geometric transforms and noise for flattened images.

    Every call to ``transform`` draws, independently for each row: a shift
    uniform in ``[-translation, translation]`` pixels along each axis
    (sub-pixel), an angle uniform in ``[-rotation, rotation]`` degrees
    (positive = counter-clockwise as displayed), a scale factor uniform in
    ``scale``, and each enabled flip with probability 1/2. They form one
    affine map about the image centre (flip, then scale and rotation, then
    shift), applied to the whole batch at once; Gaussian noise of standard
    deviation ``noise_std`` is added last. Options left at their defaults
    draw no random numbers.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` (channels last,
        at most one ``-1`` inferred; ``(1, -1)`` treats rows as 1-D signals).
        None infers square single-channel images; ``fit`` raises
        ``ValueError`` when ``n_features`` is not a perfect square.
    translation : float, default=0
        Largest shift in pixels along each axis.
    rotation : float, default=0.0
        Largest rotation in degrees, in [0, 180].
    scale : tuple of two floats, default=(1.0, 1.0)
        Range ``(low, high)``, ``0 < low <= high``, of the zoom factor.
    hflip, vflip : bool, default=False
        Flip left-right (columns) / upside down (rows) with probability 1/2.
    noise_std : float, default=0.0
        Standard deviation of the additive Gaussian noise.
    order : {0, 1}, default=1
        1 for bilinear, 0 for nearest-neighbour sampling.
    fill : float, default=0.0
        Value of the points that come from outside the image.
    random_state : int, RandomState, Generator or None, default=None
        Seeds the generator made by ``fit``; successive ``transform`` calls
        continue its stream, so they draw fresh transforms. A ``Generator``
        is used as is (draws advance it), an int makes ``fit`` reproducible.

    Attributes
    ----------
    image_shape_ : tuple of int
        ``(height, width, channels)`` used by ``transform``.
    scale_ : tuple of float
        The validated ``scale`` range.
    rng_ : numpy.random.Generator
        The generator ``transform`` draws from.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when X had string column names.

    Notes
    -----
    Output keeps a float32 or float64 input dtype; other dtypes (e.g. uint8
    images) become float32. Outside the image the input is ``fill`` with
    continuous interpolation, as ``scipy.ndimage.affine_transform`` with
    ``mode="grid-constant", cval=fill``. ``_transform_with(X, rng)`` applies
    the fitted augmenter with an explicit generator (used by the skreg
    estimators on each minibatch).

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import ImageAugmenter
    >>> X = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    >>> aug = ImageAugmenter(translation=2, rotation=10, hflip=True,
    ...                      noise_std=0.05, random_state=0)
    >>> Xt = aug.fit_transform(X)
    >>> Xt.shape, Xt.dtype
    ((4, 784), dtype('float32'))
    """

    _parameter_constraints = {
        "image_shape": [None, "array-like"],
        "translation": [Interval(Real, 0, None, closed="left")],
        "rotation": [Interval(Real, 0, 180, closed="both")],
        "scale": ["array-like"],
        "hflip": ["boolean"],
        "vflip": ["boolean"],
        "noise_std": [Interval(Real, 0, None, closed="left")],
        "order": [Interval(Integral, 0, 1, closed="both")],
        "fill": [Interval(Real, None, None, closed="neither")],
        "random_state": ["random_state", np.random.Generator],
    }

    def __init__(
        self,
        image_shape=None,
        translation=0,
        rotation=0.0,
        scale=(1.0, 1.0),
        hflip=False,
        vflip=False,
        noise_std=0.0,
        order=1,
        fill=0.0,
        random_state=None,
    ):
        self.image_shape = image_shape
        self.translation = translation
        self.rotation = rotation
        self.scale = scale
        self.hflip = hflip
        self.vflip = vflip
        self.noise_std = noise_std
        self.order = order
        self.fill = fill
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Validate the parameters and X, resolve the image shape, seed.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flattened images, one per row.
        y : None
            Ignored.

        Returns
        -------
        self : ImageAugmenter
            The fitted augmenter.
        """
        scale = _check_scale(self.scale)
        if np.ndim(X) == 2 and np.shape(X)[1] > 0:  # before any state changes
            _resolve_shape(np.shape(X)[1], self.image_shape)
        X = validate_data(self, X, dtype=list(_FLOATS))
        self.image_shape_ = _resolve_shape(X.shape[1], self.image_shape)
        self.scale_ = scale
        self.rng_ = _generator(self.random_state)
        return self

    def transform(self, X):
        """Return a randomly transformed copy of every row of X.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Flattened images, one per row.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            Transformed images (float32 unless X is float64).
        """
        check_is_fitted(self)
        return self._transform_with(X, self.rng_)

    def _transform_with(self, X, rng):
        """``transform`` drawing from ``rng`` (Generator, int, None or
        RandomState) instead of ``rng_``; the augmenter must be fitted."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=list(_FLOATS))
        rng = _generator(rng)
        maps = self._random_maps(X.shape[0], rng)
        noise = _Noise(self.noise_std, rng) if self.noise_std > 0 else None
        if maps is not None:
            return _affine_sample(X, *maps, self.image_shape_, self.order, self.fill, noise)
        out = X.copy()
        if noise is not None:
            m = _block_rows(*out.shape)
            for start in range(0, len(out), m):
                noise.add(out[start : start + m])
        return out

    def _random_maps(self, n, rng):
        """Draw one affine map ``(A, b)`` per image; None when all are identity."""
        low, high = self.scale_
        flips = (self.vflip, self.hflip)
        if not (self.translation > 0 or self.rotation > 0 or any(flips)) and (
            low == high == 1.0
        ):
            return None
        shift, angle, factor = np.zeros((n, 2)), np.zeros(n), np.ones(n)
        if self.translation > 0:
            shift = rng.uniform(-self.translation, self.translation, (n, 2))
        if self.rotation > 0:
            angle = rng.uniform(-self.rotation, self.rotation, n)
        if (low, high) != (1.0, 1.0):
            factor = rng.uniform(low, high, n)
        signs = np.ones((n, 2))
        for axis, flip in enumerate(flips):
            if flip:
                signs[:, axis] = np.where(rng.random(n) < 0.5, -1.0, 1.0)
        M = _inverse_rotation(angle) * (signs / factor[:, None])[:, :, None]
        return _about_centre(M, shift, self.image_shape_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def augment_dataset(X, y, augmenter, n_copies):
    """Enlarge a data set with ``n_copies`` augmented copies of every row.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Training rows.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs), or None
        Targets, repeated for every copy.
    augmenter : transformer
        E.g. :class:`ImageAugmenter`; it is cloned and fitted on X (so an int
        ``random_state`` makes the result reproducible) and its ``transform``
        is called once per copy.
    n_copies : int
        Number of augmented copies, >= 0.

    Returns
    -------
    X_big : ndarray of shape (n_samples * (n_copies + 1), n_features)
        The original rows first, then each augmented copy in turn.
    y_big : ndarray or None
        ``y`` repeated ``n_copies + 1`` times (None when y is None).

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.augmentation import ImageAugmenter, augment_dataset
    >>> X, y = np.random.default_rng(0).random((10, 64)), np.arange(10)
    >>> aug = ImageAugmenter(translation=1, random_state=0)
    >>> X_big, y_big = augment_dataset(X, y, aug, n_copies=2)
    >>> X_big.shape, y_big[:12]
    ((30, 64), array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]))
    """
    if isinstance(n_copies, bool) or not isinstance(n_copies, Integral) or n_copies < 0:
        raise ValueError(f"n_copies must be an int >= 0; got {n_copies!r}.")
    if not (hasattr(augmenter, "fit") and hasattr(augmenter, "transform")):
        raise TypeError(f"augmenter must have fit and transform; got {augmenter!r}.")
    X = check_array(X, dtype=list(_FLOATS))
    if y is not None:
        check_consistent_length(X, y)
        y = np.asarray(y)
    fitted = clone(augmenter).fit(X)
    copies = [np.asarray(fitted.transform(X)) for _ in range(n_copies)]
    dtype = copies[0].dtype if copies else X.dtype
    X_big = np.concatenate([X.astype(dtype, copy=False), *copies], axis=0)
    y_big = None if y is None else np.concatenate([y] * (n_copies + 1), axis=0)
    return X_big, y_big
