"""Displays of a network's inputs: attacked inputs and augmented images."""

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from ._mpl import _Display, _named
from .adversarial import adversarial_score


def _attack_score(estimator, X, y, eps, clip):
    if hasattr(estimator, "estimators_features_"):
        from .adversarial import ensemble_fgsm

        return estimator.score(ensemble_fgsm(estimator, X, y, eps, clip), y)
    return adversarial_score(estimator, X, y, eps, clip=clip)


class AdversarialCurveDisplay(_Display):
    """Accuracy under the fast gradient sign attack against its size eps.

    Parameters
    ----------
    eps : array-like of shape (n_eps,)
        Attack sizes (max-norm of the perturbation).
    scores : dict of str to array-like of shape (n_eps,)
        Accuracy of each named model at each ``eps``.

    Attributes
    ----------
    lines_ : list of matplotlib.lines.Line2D
        One curve per model.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.

    See Also
    --------
    skreg.adversarial.fgsm : The attack.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import AdversarialCurveDisplay
    >>> X, y = load_digits_images()
    >>> clf = DFNClassifier((16,), max_iter=10, random_state=0).fit(X, y)
    >>> disp = AdversarialCurveDisplay.from_estimator(clf, X, y, eps=[0, 0.1, 0.2])
    >>> scores = disp.scores["DFNClassifier"]
    >>> len(disp.ax_.lines), scores[0] > scores[2]
    (1, True)
    """

    def __init__(self, eps, scores):
        self.eps = eps
        self.scores = scores

    @classmethod
    def from_estimator(cls, estimator, X, y, *, eps=None, clip=(0, 1), ax=None,
                       **kwargs):
        """Attack fitted classifiers at each ``eps`` and draw their accuracy.

        Parameters
        ----------
        estimator : estimator instance or dict of str to estimator instance
            Fitted skreg classifiers (or bagging ensembles of them); a dict
            draws one curve per entry.
        X : array-like of shape (n_samples, n_features)
            Test inputs.
        y : array-like of shape (n_samples,)
            Their labels.
        eps : array-like of float, default=None
            Attack sizes; None is ``np.linspace(0, 0.3, 7)``.
        clip : tuple of float or None, default=(0, 1)
            Range of the attacked inputs (pixels in [0, 1]).
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : AdversarialCurveDisplay
            The drawn display.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If an estimator is not fitted.
        """
        eps = np.linspace(0, 0.3, 7) if eps is None else np.asarray(eps, dtype=float)
        scores = {name: [_attack_score(est, X, y, e, clip) for e in eps]
                  for name, est in _named(estimator).items()}
        return cls(eps, scores).plot(ax=ax, **kwargs)

    def plot(self, ax=None, **kwargs):
        """Draw the curves on ``ax``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keyword arguments of each curve's :meth:`~matplotlib.axes.Axes.plot`.

        Returns
        -------
        display : AdversarialCurveDisplay
            ``self``, with the new artists.
        """
        ax = self._start(ax)
        self.lines_ = [ax.plot(self.eps, acc, **{"marker": "o", "label": name,
                                                 **kwargs})[0]
                       for name, acc in self.scores.items()]
        ax.set(xlabel="FGSM eps", ylabel="accuracy", ylim=(0, 1.02),
               title="accuracy under the fast gradient sign attack")
        ax.legend()
        return self


def augmented_images(X, augmenter, n_images, n_copies, image_shape, random_state):
    """Originals and ``n_copies`` augmented copies, (n, 1 + n_copies, h, w).

    ``augmenter`` is cloned and seeded with ``random_state``.
    """
    X = np.asarray(X, dtype=np.float32)[:n_images]
    h, w = image_shape or (int(round(np.sqrt(X.shape[1]))),) * 2
    aug = clone(augmenter).set_params(image_shape=(h, w), random_state=random_state)
    aug.fit(X)
    copies = [X] + [aug.transform(X) for _ in range(n_copies)]
    return np.stack(copies, axis=1).reshape(len(X), n_copies + 1, h, w)


class AugmentationGridDisplay(_Display):
    """Original images (first column) and augmented copies (chapter 7.4).

    Parameters
    ----------
    images : array-like of shape (n_images, 1 + n_copies, height, width)
        Row i holds image i and its copies.

    Attributes
    ----------
    image_ : matplotlib.image.AxesImage
        The mosaic.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.

    See Also
    --------
    skreg.ImageAugmenter : The augmenter.

    Examples
    --------
    >>> from skreg import ImageAugmenter
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import AugmentationGridDisplay
    >>> X, _ = load_digits_images()
    >>> aug = ImageAugmenter(translation=1, rotation=10).fit(X)
    >>> disp = AugmentationGridDisplay.from_estimator(aug, X, n_images=3, n_copies=4)
    >>> disp.images.shape
    (3, 5, 8, 8)
    """

    def __init__(self, images):
        self.images = images

    @classmethod
    def from_estimator(cls, estimator, X, *, n_images=6, n_copies=5, random_state=0,
                       ax=None, **kwargs):
        """Augment the first images of ``X`` and draw them.

        Parameters
        ----------
        estimator : estimator instance
            A fitted :class:`~skreg.ImageAugmenter`, or a fitted network
            whose ``augment`` is one.
        X : array-like of shape (n_samples, height * width)
            Flat single-channel images.
        n_images : int, default=6
            Rows: the first ``n_images`` images of ``X``.
        n_copies : int, default=5
            Augmented copies of each image.
        random_state : int, default=0
            Seed of the copies (the augmenter is cloned).
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : AugmentationGridDisplay
            The drawn display.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If ``estimator`` is not fitted.
        ValueError
            If a network was fitted without an ``augment`` transformer, or
            the images have more than one channel.
        """
        check_is_fitted(estimator)
        augmenter = estimator
        if hasattr(estimator, "coefs_"):
            augmenter = estimator.augment
            if augmenter is None:
                raise ValueError(f"{type(estimator).__name__} has augment=None; "
                                 "there is no augmentation to show.")
        shape = getattr(augmenter, "image_shape_", None) or augmenter.image_shape
        if shape is not None and len(shape) == 3:
            if shape[2] != 1:
                raise ValueError(f"image_shape {tuple(shape)} has {shape[2]} channels; "
                                 "the grid shows single-channel images only.")
            shape = shape[:2]
        images = augmented_images(X, augmenter, n_images, n_copies, shape, random_state)
        return cls(images).plot(ax=ax, **kwargs)

    def plot(self, ax=None, **kwargs):
        """Draw the mosaic on ``ax``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Keyword arguments of :meth:`~matplotlib.axes.Axes.imshow`.

        Returns
        -------
        display : AugmentationGridDisplay
            ``self``, with the new artist.
        """
        images = np.asarray(self.images, dtype=float)
        n, m, h, w = images.shape
        # one mosaic with a blank (NaN, drawn white) line between images
        mosaic = np.full((n, h + 1, m, w + 1), np.nan)
        mosaic[:, :h, :, :w] = images.transpose(0, 2, 1, 3)
        mosaic = mosaic.reshape(n * (h + 1), m * (w + 1))[:-1, :-1]
        ax = self._start(ax, figsize=(m, n))
        from matplotlib import colormaps

        cmap = colormaps["gray_r"].with_extremes(bad="white")
        self.image_ = ax.imshow(mosaic, **{"cmap": cmap, "vmin": 0,
                                           "vmax": max(1.0, float(np.nanmax(images))),
                                           **kwargs})
        ax.set_axis_off()
        ax.set_title("original | augmented copies")
        return self
