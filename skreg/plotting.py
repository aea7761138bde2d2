"""Plots of fitted skreg estimators and of ``skreg compare`` results.

Every function draws on ``ax`` (a new figure when ``ax`` is None) and returns
a :class:`Display` holding the figure (``figure_``), the axes (``ax_``) and
the artists and data drawn, like scikit-learn's ``*Display`` objects.
matplotlib is the optional ``plot`` extra: ``pip install 'skreg[plot]'``.
Without a display (no ``DISPLAY`` or ``WAYLAND_DISPLAY`` on Linux and no
``MPLBACKEND``), pyplot is switched to the Agg backend.
"""

import os
import sys
from pathlib import Path

import numpy as np
from sklearn.base import clone

from .adversarial import adversarial_score
from .augmentation import ImageAugmenter

__all__ = ["Display", "PLOT_HINT", "plot_accuracy_bars", "plot_adversarial_curve",
           "plot_augmented_grid", "plot_learning_curves", "plot_weight_histograms",
           "save_comparison_plots"]

PLOT_HINT = "matplotlib is not installed; pip install 'skreg[plot]' for the plots"


class Display:
    """What a plotting function drew.

    Attributes
    ----------
    figure_ : matplotlib.figure.Figure
    ax_ : matplotlib.axes.Axes
    Further attributes (ending in ``_``) are named by each function.
    """

    def __init__(self, ax, **artists):
        self.ax_ = ax
        self.figure_ = ax.figure
        for name, value in artists.items():
            setattr(self, name, value)

    def savefig(self, path, **kwargs):
        """Save the figure (``Figure.savefig``); return ``path``."""
        self.figure_.savefig(path, **kwargs)
        return path


def _no_display():
    return (sys.platform.startswith("linux") and not os.environ.get("MPLBACKEND")
            and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")))


def _pyplot():
    """pyplot, on the Agg backend when there is no display."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(PLOT_HINT) from exc
    if "matplotlib.pyplot" not in sys.modules and _no_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, figsize=(6.0, 4.0)):
    if ax is not None:
        return ax
    return _pyplot().subplots(figsize=figsize, layout="constrained")[1]


def _named(estimators):
    """A dict name -> estimator from one estimator or a mapping."""
    if hasattr(estimators, "items"):
        return dict(estimators)
    return {type(estimators).__name__: estimators}


def plot_learning_curves(estimator, ax=None, log=True):
    """Training objective and validation loss per epoch, best epoch marked.

    Parameters
    ----------
    estimator : fitted DFNClassifier or DFNRegressor
        The validation curve is drawn when it was recorded (early stopping
        or ``validation_data``); the marker is at ``best_epoch_``, the epoch
        whose weights were kept.
    ax : matplotlib Axes, default=None
    log : bool, default=True
        Logarithmic loss axis, where a rising validation loss shows.

    Returns
    -------
    Display
        With ``line_train_``, ``line_val_`` and ``best_marker_`` (None when
        there is no validation curve).

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import plot_learning_curves
    >>> X, y = load_digits_images()
    >>> clf = DFNClassifier((32,), early_stopping="gl", max_iter=40,
    ...                     random_state=0).fit(X, y)
    >>> disp = plot_learning_curves(clf)
    >>> (x, y), = disp.best_marker_.get_offsets()
    >>> len(disp.ax_.lines), int(x) == clf.best_epoch_
    (2, True)
    """
    curve = getattr(estimator, "loss_curve_", None)
    if curve is None:
        raise ValueError(f"{type(estimator).__name__} has no loss_curve_; pass a "
                         "fitted DFNClassifier or DFNRegressor.")
    ax = _axes(ax)
    train, = ax.plot(np.arange(1, len(curve) + 1), curve,
                     label="training objective (data + penalty)")
    val, marker = getattr(estimator, "validation_loss_curve_", None), None
    line_val = None
    if val is not None:
        line_val, = ax.plot(np.arange(1, len(val) + 1), val, label="validation loss")
        best = estimator.best_epoch_
        if 1 <= best <= len(val):
            marker = ax.scatter([best], [val[best - 1]], s=50, color="black",
                                zorder=3, label=f"best epoch {best} (weights kept)")
    reason = getattr(estimator, "stopping_reason_", None)
    ax.set(xlabel="epoch", ylabel="loss", yscale="log" if log else "linear",
           title=f"stopped: {reason}" if reason else "learning curves")
    ax.legend(fontsize="small")
    return Display(ax, line_train_=train, line_val_=line_val, best_marker_=marker)


def _weights(estimator):
    members = getattr(estimator, "estimators_", None) or [estimator]
    return np.concatenate([W.ravel() for m in members for W in m.coefs_])


def plot_weight_histograms(estimators, ax=None, bins=60, log=True):
    """Histograms of the weights (biases excluded) of one or more networks.

    Parameters
    ----------
    estimators : fitted estimator or dict of name -> fitted estimator
        skreg networks (a ``BaggingClassifier`` of them pools its members).
    ax : matplotlib Axes, default=None
    bins : int, default=60
        Number of bins, shared by all histograms.
    log : bool, default=True
        Logarithmic counts, so the spike of exact zeros of L1 shows.

    Returns
    -------
    Display
        With ``weights_`` (dict of name -> flat weights) and ``patches_``.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import plot_weight_histograms
    >>> X, y = load_digits_images()
    >>> fits = {p: DFNClassifier((16,), penalty=p, alpha=0.1, max_iter=10,
    ...                          random_state=0).fit(X, y) for p in ("l1", "l2")}
    >>> disp = plot_weight_histograms(fits)
    >>> sorted(disp.weights_), len(disp.patches_)
    (['l1', 'l2'], 2)
    """
    ax = _axes(ax)
    weights = {name: _weights(est) for name, est in _named(estimators).items()}
    everything = np.concatenate(list(weights.values()))
    edges = np.linspace(everything.min(), everything.max(), bins + 1)
    patches = []
    for name, w in weights.items():
        label = f"{name} ({np.mean(w == 0):.0%} exactly 0)"
        patches.append(ax.hist(w, bins=edges, histtype="step", log=log,
                               label=label, linewidth=1.5)[2][0])
    ax.set(xlabel="weight value", ylabel="count", title="weights")
    ax.legend()
    return Display(ax, weights_=weights, patches_=patches)


def _attack_score(estimator, X, y, eps, clip):
    if hasattr(estimator, "estimators_features_"):
        from .compare import ensemble_fgsm

        return estimator.score(ensemble_fgsm(estimator, X, y, eps, clip), y)
    return adversarial_score(estimator, X, y, eps, clip=clip)


def plot_adversarial_curve(estimators, X, y, eps=None, clip=(0, 1), ax=None):
    """Accuracy under the fast gradient sign attack as a function of eps.

    Parameters
    ----------
    estimators : fitted estimator or dict of name -> fitted estimator
    X, y : test inputs and labels
    eps : sequence of float, default=``np.linspace(0, 0.3, 7)``
    clip : tuple (low, high) or None, default=(0, 1)
        Range of the attacked inputs (pixels in [0, 1]).
    ax : matplotlib Axes, default=None

    Returns
    -------
    Display
        With ``eps_``, ``scores_`` (dict of name -> accuracies) and ``lines_``.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import plot_adversarial_curve
    >>> X, y = load_digits_images()
    >>> clf = DFNClassifier((16,), max_iter=10, random_state=0).fit(X, y)
    >>> disp = plot_adversarial_curve({"plain": clf}, X, y, eps=[0, 0.1, 0.2])
    >>> len(disp.ax_.lines), disp.scores_["plain"][0] > disp.scores_["plain"][2]
    (1, True)
    """
    eps = np.linspace(0, 0.3, 7) if eps is None else np.asarray(eps, dtype=float)
    ax = _axes(ax)
    scores, lines = {}, []
    for name, est in _named(estimators).items():
        scores[name] = [_attack_score(est, X, y, e, clip) for e in eps]
        lines.append(ax.plot(eps, scores[name], marker="o", label=name)[0])
    ax.set(xlabel="FGSM eps", ylabel="accuracy", ylim=(0, 1.02),
           title="accuracy under the fast gradient sign attack")
    ax.legend()
    return Display(ax, eps_=eps, scores_=scores, lines_=lines)


def plot_augmented_grid(X, augmenter=None, n_images=6, n_copies=5,
                        image_shape=None, random_state=0, ax=None):
    """Original images (first column) and augmented copies, as one mosaic.

    Parameters
    ----------
    X : array-like of shape (n_samples, height * width)
        Flat single-channel images.
    augmenter : ImageAugmenter, default=None
        Cloned and seeded with ``random_state``; None uses rotations of up to
        10 degrees and shifts of up to 1 pixel per 14 pixels of side.
    n_images, n_copies : int, default=6, 5
    image_shape : tuple (height, width), default=None
        None for square images.
    random_state : int, default=0
    ax : matplotlib Axes, default=None

    Returns
    -------
    Display
        With ``images_`` of shape (n_images, 1 + n_copies, height, width)
        and ``image_`` (the AxesImage).

    Examples
    --------
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import plot_augmented_grid
    >>> X, _ = load_digits_images()
    >>> plot_augmented_grid(X, n_images=3, n_copies=4).images_.shape
    (3, 5, 8, 8)
    """
    X = np.asarray(X, dtype=np.float32)[:n_images]
    h, w = image_shape or (int(round(np.sqrt(X.shape[1]))),) * 2
    if augmenter is None:
        augmenter = ImageAugmenter(translation=max(1, h // 14), rotation=10)
    aug = clone(augmenter).set_params(image_shape=(h, w), random_state=random_state)
    aug.fit(X)
    copies = [X] + [aug.transform(X) for _ in range(n_copies)]
    images = np.stack(copies, axis=1).reshape(len(X), n_copies + 1, h, w)
    mosaic = np.full((len(X) * (h + 1) - 1, (n_copies + 1) * (w + 1) - 1), np.nan)
    for i, row in enumerate(images):
        for j, img in enumerate(row):
            mosaic[i * (h + 1):i * (h + 1) + h, j * (w + 1):j * (w + 1) + w] = img
    ax = _axes(ax, figsize=(1 + n_copies, len(X)))
    from matplotlib import colormaps

    cmap = colormaps["gray_r"].with_extremes(bad="white")
    image = ax.imshow(mosaic, cmap=cmap, vmin=0, vmax=max(1.0, float(X.max())))
    ax.set_axis_off()
    ax.set_title("original | augmented copies")
    return Display(ax, images_=images, image_=image)


def _accuracies(results):
    if hasattr(results, "items"):
        return dict(results)
    return {r.method: r.test_accuracy for r in results}


def plot_accuracy_bars(results, ax=None, baseline=None):
    """Test accuracy per method as horizontal bars (n/a rows left out).

    Parameters
    ----------
    results : dict of name -> accuracy, or sequence of ``compare.Result``
    ax : matplotlib Axes, default=None
    baseline : str, default=None
        A method whose accuracy is drawn as a dashed vertical line.

    Returns
    -------
    Display
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
    out : path-like
        Existing folder.
    results : list of compare.Result
    estimators : dict of method -> fitted estimator or None
    data : compare.Dataset
    eps : sequence of float, default=None
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
            plot_learning_curves(fitted[name], ax=ax)
            ax.set_title(f"{name}: {ax.get_title()}", fontsize=8)
        save(fig, "learning_curves.png")
    hist = {m: fitted[m] for m in ("none", "l2", "l1") if m in fitted}
    if hist:
        fig, (ax,) = _figure()
        plot_weight_histograms(hist, ax=ax)
        save(fig, "weight_histograms.png")
    attack = {m: fitted[m] for m in ("none", "adversarial") if m in fitted}
    if attack:
        fig, (ax,) = _figure()
        plot_adversarial_curve(attack, data.X_test[:2000], data.y_test[:2000],
                               eps=eps, ax=ax)
        save(fig, "adversarial_curve.png")
    augmenter = getattr(fitted.get("augmentation"), "augment", None)
    fig, (ax,) = _figure(width=6.0, height=6.0)
    plot_augmented_grid(data.X_train, augmenter, ax=ax)
    save(fig, "augmented_grid.png")
    fig, (ax,) = _figure(height=0.28 * len(results) + 1.2)
    plot_accuracy_bars(results, ax=ax, baseline="none")
    save(fig, "accuracy_bars.png")
    return paths
