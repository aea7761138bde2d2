"""Plots of fitted skreg estimators, as scikit-learn style Displays.

Each Display is built with ``from_estimator`` and can redraw itself on other
axes with ``plot(ax=...)``; keyword arguments reach the matplotlib artists.
matplotlib is the optional ``plot`` extra: ``pip install 'skreg[plot]'``.
Without a display (no ``DISPLAY`` or ``WAYLAND_DISPLAY`` on Linux and no
``MPLBACKEND``), pyplot is switched to the Agg backend.

The ``plot_*`` functions of skreg 0.1 still work in this release and warn;
``plot_accuracy_bars`` and ``save_comparison_plots`` draw the plots of
``skreg compare``.
"""

import functools
import warnings
from pathlib import Path

import numpy as np

from ._display_data import (AdversarialCurveDisplay, AugmentationGridDisplay,
                            augmented_images)
from ._display_fit import LossCurveDisplay, WeightHistogramDisplay
from ._mpl import PLOT_HINT, _axes
from .augmentation import ImageAugmenter

# Documented, pickled and cross-referenced under their public module.
for _display in (AdversarialCurveDisplay, AugmentationGridDisplay, LossCurveDisplay,
                 WeightHistogramDisplay):
    _display.__module__ = __name__

__all__ = ["AdversarialCurveDisplay", "AugmentationGridDisplay", "Display",
           "LossCurveDisplay", "PLOT_HINT", "WeightHistogramDisplay",
           "plot_accuracy_bars", "plot_adversarial_curve", "plot_augmented_grid",
           "plot_learning_curves", "plot_weight_histograms", "save_comparison_plots"]


class Display:
    """What :func:`plot_accuracy_bars` drew.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes drawn on.
    **artists : dict
        Further attributes (names ending in ``_``), set as given.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    """

    def __init__(self, ax, **artists):
        self.ax_ = ax
        self.figure_ = ax.figure
        for name, value in artists.items():
            setattr(self, name, value)

    def savefig(self, path, **kwargs):
        """Save the figure with :meth:`matplotlib.figure.Figure.savefig`.

        Parameters
        ----------
        path : str or path-like
            File to write.
        **kwargs : dict
            Passed to :meth:`~matplotlib.figure.Figure.savefig`.

        Returns
        -------
        path : str or path-like
            ``path``.
        """
        self.figure_.savefig(path, **kwargs)
        return path


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


def _accuracies(results):
    if hasattr(results, "items"):
        return dict(results)
    return {r.method: r.test_accuracy for r in results}


def plot_accuracy_bars(results, ax=None, baseline=None):
    """Test accuracy per method as horizontal bars (n/a rows left out).

    Parameters
    ----------
    results : dict of str to float, or list of skreg.compare.Result
        Test accuracy per method; NaN and None entries are left out.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; a new figure when None.
    baseline : str, default=None
        A method whose accuracy is drawn as a dashed vertical line.

    Returns
    -------
    display : Display
        With ``bars_`` (a BarContainer) and ``accuracies_``.

    Examples
    --------
    >>> from skreg.plotting import plot_accuracy_bars
    >>> disp = plot_accuracy_bars({"none": 0.96, "l2": 0.97, "bagging": float("nan")})
    >>> len(disp.bars_), list(disp.accuracies_)
    (2, ['none', 'l2'])
    """
    accs = {k: float(v) for k, v in _accuracies(results).items()
            if v is not None and np.isfinite(v)}
    ax = _axes(ax, figsize=(6.0, 0.3 * len(accs) + 1.2))
    bars = ax.barh(list(accs), list(accs.values()), color="tab:blue")
    ax.invert_yaxis()
    ax.bar_label(bars, fmt="%.4f", padding=2, fontsize=8)
    low = min(accs.values(), default=0.0)
    ax.set_xlim(max(0.0, low - 0.1), 1.06)
    if baseline in accs:
        ax.axvline(accs[baseline], color="gray", linestyle="--", linewidth=1)
    ax.set(xlabel="test accuracy", title="test accuracy per method")
    return Display(ax, bars_=bars, accuracies_=accs)


def _figure(n_axes=1, width=6.0, height=4.0, ncols=3):
    """A pyplot-free figure (no global state, nothing to close) with
    ``n_axes`` axes of ``width`` x ``height`` inches, ``ncols`` a row."""
    from matplotlib.figure import Figure

    ncols = min(n_axes, ncols)
    nrows = -(-n_axes // ncols)
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[n_axes:]:
        ax.set_axis_off()
    return fig, axes[:n_axes]


LEARNING_CURVE_ROWS = ("early-patience", "early-gl", "early-pq", "early-up",
                       "early-retrain")


def save_comparison_plots(out, results, estimators, data, eps=None):
    """Write the five comparison plots of ``skreg compare`` as PNG files.

    Parameters
    ----------
    out : str or path-like
        Existing folder.
    results : list of skreg.compare.Result
        The rows of the comparison.
    estimators : dict of str to estimator instance or None
        The fitted estimator of each method (None when not fitted).
    data : skreg.compare.Dataset
        The data set compared on.
    eps : array-like of float, default=None
        FGSM sizes of the adversarial curve (default 0 to 0.3).

    Returns
    -------
    paths : list of pathlib.Path
        The files written.
    """
    out, fitted = Path(out), {k: v for k, v in estimators.items() if v is not None}
    paths = []

    def save(fig, name):
        fig.savefig(out / name, dpi=80)
        paths.append(out / name)

    curves = [m for m in LEARNING_CURVE_ROWS if m in fitted] or \
        [m for m in fitted if hasattr(fitted[m], "loss_curve_")][:1]
    if curves:
        fig, axes = _figure(len(curves), width=4.5, height=3.5)
        for ax, name in zip(axes, curves):
            LossCurveDisplay.from_estimator(fitted[name], ax=ax)
            ax.set_title(f"{name}: {ax.get_title()}", fontsize=8)
        save(fig, "learning_curves.png")
    hist = {m: fitted[m] for m in ("none", "l2", "l1") if m in fitted}
    if hist:
        fig, (ax,) = _figure()
        WeightHistogramDisplay.from_estimator(hist, ax=ax)
        save(fig, "weight_histograms.png")
    attack = {m: fitted[m] for m in ("none", "adversarial") if m in fitted}
    if attack:
        fig, (ax,) = _figure()
        AdversarialCurveDisplay.from_estimator(attack, data.X_test[:2000],
                                               data.y_test[:2000], eps=eps, ax=ax)
        save(fig, "adversarial_curve.png")
    augmenter = getattr(fitted.get("augmentation"), "augment", None)
    fig, (ax,) = _figure(width=6.0, height=6.0)
    images = _grid_images(data.X_train, augmenter, 6, 5, None, 0)
    AugmentationGridDisplay(images).plot(ax=ax)
    save(fig, "augmented_grid.png")
    fig, (ax,) = _figure(height=0.28 * len(results) + 1.2)
    plot_accuracy_bars(results, ax=ax, baseline="none")
    save(fig, "accuracy_bars.png")
    return paths
