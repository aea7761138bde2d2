"""Displays of a network's inputs: attacked inputs and augmented images."""

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.utils.validation import check_is_fitted

from ._base import BaseDFN
from ._mpl import _Display, _final_step, _named, _refuse
from ._warps import _resolve_shape
from .adversarial import adversarial_score
from .augmentation import ImageAugmenter
from .regularizers import estimator_augmenter

ATTACK_ACCEPTS = ("fitted DFNClassifier or DFNRegressor networks, Pipelines ending "
                  "in one, or bagging ensembles of DFNClassifier")
GRID_ACCEPTS = ("a fitted ImageAugmenter, a DFNClassifier or DFNRegressor fitted "
                "with an ImageAugmenter as augment, or a Pipeline ending in one")


def _attack_score(estimator, X, y, eps, clip):
    if hasattr(estimator, "estimators_features_"):
        from .adversarial import ensemble_fgsm

        return estimator.score(ensemble_fgsm(estimator, X, y, eps, clip), y)
    return adversarial_score(estimator, X, y, eps, clip=clip)


def _attackable(estimator):
    """A skreg network, or a bagging ensemble of skreg classifiers."""
    if hasattr(estimator, "estimators_features_"):
        return all(isinstance(m, BaseDFN) for m in estimator.estimators_)
    return isinstance(estimator, BaseDFN)


def _eps_grid(eps):
    """``eps`` as a 1-D array of finite sizes >= 0 (a scalar is one size)."""
    if eps is None:
        return np.linspace(0, 0.3, 7)
    try:
        grid = np.atleast_1d(np.asarray(eps, dtype=float))
    except (TypeError, ValueError):
        grid = np.array([np.nan])
    finite = grid.ndim == 1 and grid.size > 0 and np.all(np.isfinite(grid))
    if not finite or grid.min() < 0:
        raise ValueError(f"eps must be a float or a 1-D sequence of finite floats "
                         f">= 0, got {eps!r}.")
    return grid


def _check_clip(X, clip, name):
    """The attack clips to ``clip``: inputs outside it would change unattacked."""
    if clip is None:
        return
    low, high = clip
    X = np.asarray(X.toarray() if hasattr(X, "toarray") else X, dtype=float)
    if X.size and (X.min() < low or X.max() > high):
        raise ValueError(
            f"{name}: X (after a Pipeline's transform steps) has values in "
            f"[{X.min():.3g}, {X.max():.3g}], outside clip={tuple(clip)!r}; pass "
            "clip=None or the range of the inputs.")


def _attack_scores(estimators, X, y, eps, clip):
    """``(scores, score_name)``: each named estimator's score at each eps."""
    scores, classifier = {}, set()
    for name, est in estimators.items():
        final, X_final = _final_step(est, X)
        if not _attackable(final):
            raise _refuse("AdversarialCurveDisplay", ATTACK_ACCEPTS, final)
        _check_clip(X_final, clip, name)
        classifier.add(is_classifier(final))
        scores[name] = [_attack_score(final, X_final, y, e, clip) for e in eps]
    if len(classifier) > 1:
        raise ValueError("AdversarialCurveDisplay draws classifiers (accuracy) or "
                         "regressors (R^2) on one axis, not both.")
    return scores, "accuracy" if classifier == {True} else "R^2"


class AdversarialCurveDisplay(_Display):
    """Accuracy (or R^2) under the fast gradient sign attack against its size eps.

    Parameters
    ----------
    eps : array-like of shape (n_eps,)
        Attack sizes (max-norm of the perturbation).
    scores : dict of str to array-like of shape (n_eps,)
        Score of each named model at each ``eps``.
    score_name : {"accuracy", "R^2"}, default="accuracy"
        What the scores are: accuracy is drawn on a 0-1 axis, the R^2 of
        regressors (unbounded below) on an axis that fits the scores.

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

    def __init__(self, eps, scores, *, score_name="accuracy"):
        self.eps = eps
        self.scores = scores
        self.score_name = score_name

    @classmethod
    def from_estimator(cls, estimator, X, y, *, eps=None, clip=(0, 1), ax=None,
                       **kwargs):
        """Attack fitted networks at each ``eps`` and draw their score.

        Parameters
        ----------
        estimator : estimator instance or dict of str to estimator instance
            Fitted skreg networks, Pipelines ending in one (the attack
            perturbs the network's input: ``X`` after the transform steps),
            or bagging ensembles of skreg classifiers; a dict draws one
            curve per entry. Classifiers are scored by accuracy, regressors
            by R^2 (not both in one display).
        X : array-like of shape (n_samples, n_features)
            Test inputs.
        y : array-like of shape (n_samples,)
            Their labels or targets.
        eps : float or array-like of float, default=None
            Attack sizes (finite, >= 0); None is ``np.linspace(0, 0.3, 7)``.
        clip : tuple of float or None, default=(0, 1)
            Range of the attacked inputs (pixels in [0, 1]); the network's
            inputs must lie in it.
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
        TypeError
            If an estimator is not a skreg network (e.g. scikit-learn's
            MLPClassifier).
        ValueError
            If ``eps`` is not finite and >= 0, the inputs lie outside
            ``clip``, or classifiers and regressors are mixed.
        """
        eps = _eps_grid(eps)
        scores, score_name = _attack_scores(_named(estimator), X, y, eps, clip)
        return cls(eps, scores, score_name=score_name).plot(ax=ax, **kwargs)

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
        name = self.score_name
        ax.set(xlabel="FGSM eps", ylabel=name,
               title=f"{name} under the fast gradient sign attack")
        if name == "accuracy":
            ax.set_ylim(0, 1.02)
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


def _grid_augmenter(estimator):
    """The ImageAugmenter an AugmentationGridDisplay shows for ``estimator``."""
    if isinstance(estimator, ImageAugmenter):
        check_is_fitted(estimator)
        return estimator
    if not isinstance(estimator, BaseDFN):
        raise _refuse("AugmentationGridDisplay", GRID_ACCEPTS, estimator)
    if estimator.augment is None:
        raise ValueError(f"{type(estimator).__name__} has augment=None; "
                         "there is no augmentation to show.")
    if not isinstance(estimator.augment, ImageAugmenter):
        raise _refuse("AugmentationGridDisplay", GRID_ACCEPTS, estimator.augment)
    return estimator_augmenter(estimator, estimator.n_features_in_)


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
            A fitted :class:`~skreg.ImageAugmenter`, a fitted network whose
            ``augment`` is one (it sees the network's ``image_shape``), or
            a Pipeline ending in either (``X`` goes through the steps
            before).
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
        TypeError
            If ``estimator`` is none of the above (e.g. scikit-learn's
            MLPClassifier), or a network's ``augment`` is no ImageAugmenter.
        ValueError
            If a network was fitted without an ``augment`` transformer, or
            the images have more than one channel.
        """
        final, X = _final_step(estimator, X)
        augmenter = _grid_augmenter(final)
        shape = getattr(augmenter, "image_shape_", None) or _resolve_shape(
            np.shape(X)[1], augmenter.image_shape)
        if len(shape) == 3:
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
