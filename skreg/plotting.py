"""Plots of fitted skreg estimators, as scikit-learn style Displays.

Each Display is built with ``from_estimator`` and can redraw itself on other
axes with ``plot(ax=...)``; keyword arguments reach the matplotlib artists.
matplotlib is the optional ``plot`` extra: ``pip install 'skreg[plot]'``.
Without a display (no ``DISPLAY`` or ``WAYLAND_DISPLAY`` on Linux and no
``MPLBACKEND``), pyplot is switched to the Agg backend.

The ``plot_*`` functions of skreg 0.1 still work in this release and warn;
``plot_accuracy_bars`` and ``save_comparison_plots`` draw the comparison plots
of a study (``skreg compare``) from its results: the ``results.csv`` it wrote
or the results of :func:`skreg.study.runner.run_study`.
"""

import functools
import warnings

import numpy as np

from ._display_data import (AdversarialCurveDisplay, AugmentationGridDisplay,
                            augmented_images)
from ._display_fit import LossCurveDisplay, WeightHistogramDisplay
from ._display_study import Display, plot_accuracy_bars, save_comparison_plots
from ._mpl import PLOT_HINT
from .augmentation import ImageAugmenter

# Documented, pickled and cross-referenced under their public module.
for _display in (AdversarialCurveDisplay, AugmentationGridDisplay, Display,
                 LossCurveDisplay, WeightHistogramDisplay, plot_accuracy_bars,
                 save_comparison_plots):
    _display.__module__ = __name__

__all__ = ["AdversarialCurveDisplay", "AugmentationGridDisplay", "Display",
           "LossCurveDisplay", "PLOT_HINT", "WeightHistogramDisplay",
           "plot_accuracy_bars", "plot_adversarial_curve", "plot_augmented_grid",
           "plot_learning_curves", "plot_weight_histograms", "save_comparison_plots"]


def _deprecated(new_name):
    """Mark a 0.1 plotting function: a FutureWarning names its successor."""
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            warnings.warn(f"{fn.__name__} is deprecated since skreg 0.2 and will be "
                          f"removed in 0.3; use {new_name} instead.", FutureWarning,
                          stacklevel=2)
            return fn(*args, **kwargs)
        return wrapper
    return decorate


@_deprecated("LossCurveDisplay.from_estimator")
def plot_learning_curves(estimator, ax=None, log=True):
    """Training objective and validation loss per epoch, best epoch marked.

    .. deprecated:: 0.2
       Use :meth:`LossCurveDisplay.from_estimator`; the name clashed with
       :class:`sklearn.model_selection.LearningCurveDisplay`.

    Parameters
    ----------
    estimator : estimator instance
        A fitted DFNClassifier or DFNRegressor.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    log : bool, default=True
        Logarithmic loss axis.

    Returns
    -------
    display : LossCurveDisplay
        With ``line_train_``, ``line_val_`` and ``best_marker_``.
    """
    return LossCurveDisplay.from_estimator(estimator, log=log, ax=ax)


@_deprecated("WeightHistogramDisplay.from_estimator")
def plot_weight_histograms(estimators, ax=None, bins=60, log=True):
    """Draw histograms of the weights (biases excluded) of networks.

    .. deprecated:: 0.2
       Use :meth:`WeightHistogramDisplay.from_estimator`.

    Parameters
    ----------
    estimators : estimator instance or dict of str to estimator instance
        Fitted skreg networks.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    bins : int, default=60
        Number of bins, shared by all histograms.
    log : bool, default=True
        Logarithmic counts.

    Returns
    -------
    display : WeightHistogramDisplay
        With ``weights`` (dict of name to flat weights) and ``patches_``.
    """
    display = WeightHistogramDisplay.from_estimator(estimators, bins=bins, log=log,
                                                    ax=ax)
    display.weights_ = display.weights
    return display


@_deprecated("AdversarialCurveDisplay.from_estimator")
def plot_adversarial_curve(estimators, X, y, eps=None, clip=(0, 1), ax=None):
    """Accuracy under the fast gradient sign attack as a function of eps.

    .. deprecated:: 0.2
       Use :meth:`AdversarialCurveDisplay.from_estimator`.

    Parameters
    ----------
    estimators : estimator instance or dict of str to estimator instance
        Fitted classifiers.
    X : array-like of shape (n_samples, n_features)
        Test inputs.
    y : array-like of shape (n_samples,)
        Their labels.
    eps : array-like of float, default=None
        Attack sizes; None is ``np.linspace(0, 0.3, 7)``.
    clip : tuple of float or None, default=(0, 1)
        Range of the attacked inputs.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    display : AdversarialCurveDisplay
        With ``eps_``, ``scores_`` and ``lines_``.
    """
    display = AdversarialCurveDisplay.from_estimator(estimators, X, y, eps=eps,
                                                     clip=clip, ax=ax)
    display.eps_, display.scores_ = display.eps, display.scores
    return display


@_deprecated("AugmentationGridDisplay.from_estimator")
def plot_augmented_grid(X, augmenter=None, n_images=6, n_copies=5,
                        image_shape=None, random_state=0, ax=None):
    """Original images (first column) and augmented copies, as one mosaic.

    .. deprecated:: 0.2
       Use :meth:`AugmentationGridDisplay.from_estimator`.

    Parameters
    ----------
    X : array-like of shape (n_samples, height * width)
        Flat single-channel images.
    augmenter : ImageAugmenter, default=None
        Cloned and seeded with ``random_state``; None uses rotations of up to
        10 degrees and shifts of up to 1 pixel per 14 pixels of side.
    n_images : int, default=6
        Rows of the mosaic.
    n_copies : int, default=5
        Augmented copies per image.
    image_shape : tuple of int, default=None
        ``(height, width)``; None for square images.
    random_state : int, default=0
        Seed of the copies.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    display : AugmentationGridDisplay
        With ``images_`` of shape (n_images, 1 + n_copies, height, width)
        and ``image_``.
    """
    display = AugmentationGridDisplay(_grid_images(X, augmenter, n_images, n_copies,
                                                   image_shape, random_state))
    display.images_ = display.images
    return display.plot(ax=ax)


def _grid_images(X, augmenter, n_images, n_copies, image_shape, random_state):
    if augmenter is None:
        side = (image_shape or (int(round(np.sqrt(np.shape(X)[1]))),))[0]
        augmenter = ImageAugmenter(translation=max(1, side // 14), rotation=10)
    return augmented_images(X, augmenter, n_images, n_copies, image_shape,
                            random_state)
