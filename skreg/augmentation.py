"""Dataset augmentation for images stored as flat rows (chapter 7.4).

:class:`ImageAugmenter` draws random geometric transforms (and Gaussian
noise) per image; :func:`augment_dataset` adds augmented copies of a data
set. The deterministic transforms (:func:`translate`, :func:`rotate`,
:func:`rescale`, :func:`mirror`) are written in ``skreg._warps``, which
also says how the images are resampled.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.base import _fit_context, clone
from sklearn.utils import check_array, check_consistent_length
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from ._resample import (_about_centre, _affine_sample, _block_rows, _inverse_rotation,
                        _Noise)
from ._warps import _FLOATS, _resolve_shape, mirror, rescale, rotate, translate

__all__ = [
    "ImageAugmenter", "augment_dataset", "mirror", "rescale", "rotate", "translate",
]  # fmt: skip


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
    """A numpy Generator from None, an int, a RandomState or a Generator (used
    as is, so the draws advance the caller's stream)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(2**32, dtype=np.uint64))
    return np.random.default_rng(random_state)


class ImageAugmenter(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Random geometric transforms and Gaussian noise for flattened images.

    Each call to ``transform`` draws, independently for every row, a shift
    uniform in ``[-translation, translation]`` pixels along each axis
    (sub-pixel), an angle uniform in ``[-rotation, rotation]`` degrees
    (positive = counter-clockwise as displayed), a zoom factor uniform in
    ``scale`` and each enabled flip with probability 1/2. They make one affine
    map about the image centre (flip, then zoom and rotation, then shift),
    applied to the whole batch at once; noise is added last. Options left at
    their defaults draw no random numbers.

    Parameters
    ----------
    image_shape : tuple of int, default=None
        ``(height, width)`` or ``(height, width, channels)`` (channels last, at
        most one ``-1``, inferred: ``(1, -1)`` treats rows as 1-D signals).
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
        continue its stream (fresh draws each call). A ``Generator`` is used
        as is (draws advance it); an int makes fit + transform reproducible.

    Attributes
    ----------
    image_shape_ : tuple of int
        ``(height, width, channels)`` used by ``transform``.
    scale_ : tuple of float
        The validated ``scale`` range.
    rng_ : numpy.random.Generator
        The generator ``transform`` draws from.
    n_features_in_ : int
        Number of features seen in ``fit`` (``feature_names_in_`` too, when X
        had string column names).

    Notes
    -----
    float32 and float64 input keep their dtype; other input (e.g. uint8
    images) becomes float32. Points outside the image are ``fill``, as in
    ``scipy.ndimage.affine_transform(..., mode="grid-constant", cval=fill)``.
    ``_transform_with(X, rng)`` applies the fitted augmenter with another
    generator; the skreg estimators call ``_augment_batch(X, rng)``, the same
    without validating X again, on each training minibatch.

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

    def __init__(self, image_shape=None, translation=0, rotation=0.0,
                 scale=(1.0, 1.0), hflip=False, vflip=False, noise_std=0.0,
                 order=1, fill=0.0, random_state=None):  # fmt: skip
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
        scale, state = _check_scale(self.scale), dict(vars(self))
        try:
            X = validate_data(self, X, dtype=_FLOATS)
            self.image_shape_ = _resolve_shape(X.shape[1], self.image_shape)
        except Exception:  # leave no half-updated fitted state
            vars(self).clear()
            vars(self).update(state)
            raise
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
            Transformed images (float64 input stays float64, else float32).
        """
        check_is_fitted(self)
        return self._transform_with(X, self.rng_)

    def _transform_with(self, X, rng):
        """``transform`` drawing from ``rng`` (a Generator, used as is, or
        anything ``random_state`` accepts) instead of ``rng_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=_FLOATS)
        return self._augment_batch(X, _generator(rng))

    def _augment_batch(self, X, rng, out=None):
        """The estimators' per-minibatch hook: ``transform`` of an ``X`` they
        have validated (a float array with ``n_features_in_`` columns),
        drawing from the Generator ``rng``, into ``out`` (X's shape and dtype)
        when given."""
        maps = self._random_maps(X.shape[0], rng)
        noise = _Noise(self.noise_std, rng) if self.noise_std > 0 else None
        if maps is not None:
            shape, order, fill = self.image_shape_, self.order, self.fill
            return _affine_sample(X, *maps, shape, order, fill, noise, out)
        if out is None:
            out = X.copy()
        else:
            out[...] = X
        if noise is not None:
            m = _block_rows(*out.shape)
            for start in range(0, len(out), m):
                noise.add(out[start : start + m])
        return out

    def _random_maps(self, n, rng):
        """One affine map ``(A, b)`` per image; None when all are the identity."""
        low, high = self.scale_
        flips, zoom = (self.vflip, self.hflip), (low, high) != (1.0, 1.0)
        if not (self.translation > 0 or self.rotation > 0 or zoom or any(flips)):
            return None
        shift, angle, factor = np.zeros((n, 2)), np.zeros(n), np.ones(n)
        if self.translation > 0:
            shift = rng.uniform(-self.translation, self.translation, (n, 2))
        if self.rotation > 0:
            angle = rng.uniform(-self.rotation, self.rotation, n)
        if zoom:
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
        E.g. :class:`ImageAugmenter`. It is cloned and fitted on X (so an int
        ``random_state`` makes the result reproducible); its ``transform`` is
        called once per copy.
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
    X = check_array(X, dtype=_FLOATS)
    if y is not None:
        check_consistent_length(X, y)
        y = np.asarray(y)
    fitted = clone(augmenter).fit(X)
    copies = [np.asarray(fitted.transform(X)) for _ in range(n_copies)]
    dtype = copies[0].dtype if copies else X.dtype
    X_big = np.concatenate([X.astype(dtype, copy=False), *copies], axis=0)
    y_big = None if y is None else np.concatenate([y] * (n_copies + 1), axis=0)
    return X_big, y_big
