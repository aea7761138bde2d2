"""Displays of what a fit learned: the loss per epoch and the weights."""

from numbers import Integral

import numpy as np

from ._mpl import _Display, _final_step, _named, _refuse
from .early_stopping import METRICS

LOSS_ACCEPTS = ("a fitted DFNClassifier or DFNRegressor, a Pipeline ending in one, "
                "or another estimator with a loss_curve_ (such as MLPClassifier)")
WEIGHT_ACCEPTS = ("fitted networks with coefs_ (DFNClassifier, DFNRegressor, "
                  "MLPClassifier), Pipelines ending in one, or bagging ensembles "
                  "of them")


class LossCurveDisplay(_Display):
    """Training objective and validation loss per epoch (chapter 7.8).

    The loss per epoch of one fit, not scikit-learn's
    :class:`~sklearn.model_selection.LearningCurveDisplay` (a score against
    the training-set size). Build it with :meth:`from_estimator`.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training objective (data loss + penalty) per epoch.
    validation_loss_curve : array-like of shape (n_val_epochs,), default=None
        Validation loss per epoch, if one was recorded: of the last
        ``n_val_epochs`` epochs of ``loss_curve`` (all of them when the
        lengths are equal).
    best_epoch : int, default=None
        The 1-based epoch (counted along ``loss_curve``) whose weights were
        kept, marked on the validation curve.
    stopping_reason : str, default=None
        Why training stopped, shown as the title.
    validation_label : str, default="validation loss"
        Legend of the validation curve; :meth:`from_estimator` says
        "validation Brier score" when early stopping monitored it
        (``EarlyStopping(metric="brier")``).

    Attributes
    ----------
    line_train_ : matplotlib.lines.Line2D
        The training curve.
    line_val_ : matplotlib.lines.Line2D or None
        The validation curve.
    best_marker_ : matplotlib.collections.PathCollection or None
        The marker at ``best_epoch``.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.

    See Also
    --------
    WeightHistogramDisplay : Histograms of the fitted weights.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import LossCurveDisplay
    >>> X, y = load_digits_images()
    >>> clf = DFNClassifier((32,), early_stopping="patience", max_iter=40,
    ...                     random_state=0).fit(X, y)
    >>> disp = LossCurveDisplay.from_estimator(clf, color="tab:green")
    >>> (x, _), = disp.best_marker_.get_offsets()
    >>> len(disp.ax_.lines), int(x) == clf.best_epoch_
    (2, True)
    """

    def __init__(self, loss_curve, *, validation_loss_curve=None, best_epoch=None,
                 stopping_reason=None, validation_label="validation loss"):
        self.loss_curve = loss_curve
        self.validation_loss_curve = validation_loss_curve
        self.best_epoch = best_epoch
        self.stopping_reason = stopping_reason
        self.validation_label = validation_label

    @classmethod
    def from_estimator(cls, estimator, *, log=True, ax=None, **kwargs):
        """Draw the loss curves of a fitted network.

        Parameters
        ----------
        estimator : estimator instance
            A fitted :class:`~skreg.DFNClassifier` or
            :class:`~skreg.DFNRegressor`, a Pipeline ending in one, or any
            fitted estimator with a ``loss_curve_``, such as
            :class:`~sklearn.neural_network.MLPClassifier`. After
            ``warm_start`` fits the curves hold every fit's epochs and the
            marker sits at the last fit's best epoch.
        log : bool, default=True
            Logarithmic loss axis, where a rising validation loss shows.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : LossCurveDisplay
            The drawn display.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If ``estimator`` is not fitted.
        TypeError
            If ``estimator`` is not a network (no ``loss_curve_`` and no
            ``coefs_``).
        ValueError
            If a fitted network recorded no ``loss_curve_``
            (scikit-learn's MLP with ``solver="lbfgs"``).
        """
        estimator, _ = _final_step(estimator)
        curve = getattr(estimator, "loss_curve_", None)
        if curve is None and not hasattr(estimator, "coefs_"):
            raise _refuse("LossCurveDisplay", LOSS_ACCEPTS, estimator)
        if curve is None:
            raise ValueError(f"{type(estimator).__name__} recorded no loss_curve_ "
                             "(scikit-learn's MLP keeps none with solver='lbfgs').")
        val = getattr(estimator, "validation_loss_curve_", None)
        best = getattr(estimator, "best_epoch_", None) if val else None
        if best is not None:  # best_epoch_ counts the last fit's epochs only
            best += len(curve) - getattr(estimator, "n_iter_", len(curve))
        # what the fit recorded, not the parameter as it may have been set since
        metric = getattr(estimator, "_validation_metric", None) or "loss"
        display = cls(curve, validation_loss_curve=val, best_epoch=best,
                      stopping_reason=getattr(estimator, "stopping_reason_", None),
                      validation_label=METRICS[metric])
        return display.plot(ax=ax, log=log, **kwargs)

    def plot(self, ax=None, *, log=True, validation_kw=None, best_marker_kw=None,
             **kwargs):
        """Draw the curves on ``ax``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        log : bool, default=True
            Logarithmic loss axis.
        validation_kw : dict, default=None
            Keyword arguments of the validation curve's
            :meth:`~matplotlib.axes.Axes.plot`.
        best_marker_kw : dict, default=None
            Keyword arguments of the best-epoch marker's
            :meth:`~matplotlib.axes.Axes.scatter`.
        **kwargs : dict
            Keyword arguments of the training curve's
            :meth:`~matplotlib.axes.Axes.plot`.

        Returns
        -------
        display : LossCurveDisplay
            ``self``, with the new artists.
        """
        ax = self._start(ax)
        curve = np.asarray(self.loss_curve, dtype=float)
        self.line_train_, = ax.plot(np.arange(1, len(curve) + 1), curve, **{
            "label": "training objective (data + penalty)", **kwargs})
        self.line_val_ = self.best_marker_ = None
        if self.validation_loss_curve is not None:
            val = np.asarray(self.validation_loss_curve, dtype=float)
            skip = max(len(curve) - len(val), 0)  # epochs before validation began
            self.line_val_, = ax.plot(np.arange(skip + 1, skip + len(val) + 1), val, **{
                "label": self.validation_label, "linestyle": "--",
                **(validation_kw or {})})
            best = self.best_epoch
            if best is not None and skip < best <= skip + len(val):
                self.best_marker_ = ax.scatter([best], [val[best - skip - 1]], **{
                    "s": 50, "color": "black", "zorder": 3,
                    "label": f"best epoch {best} (weights kept)", **(best_marker_kw or {})})
        reason = self.stopping_reason
        ax.set(xlabel="epoch", ylabel="loss", yscale="log" if log else "linear",
               title=f"stopped: {reason}" if reason else "loss per epoch")
        ax.legend(fontsize="small")
        return self


def _weights(estimator):
    """Every weight of a network, a Pipeline ending in one, or an ensemble."""
    estimator, _ = _final_step(estimator)
    members = getattr(estimator, "estimators_", None) or [estimator]
    members = [_final_step(m)[0] for m in members]
    if not all(isinstance(getattr(m, "coefs_", None), list) for m in members):
        raise _refuse("WeightHistogramDisplay", WEIGHT_ACCEPTS, estimator)
    return np.concatenate([W.ravel() for m in members for W in m.coefs_])


def _check_bins(bins):
    if isinstance(bins, bool) or not isinstance(bins, Integral) or bins < 1:
        raise ValueError(f"bins must be an int >= 1, got {bins!r}.")
    return int(bins)


class WeightHistogramDisplay(_Display):
    """Histograms of the weights (biases excluded) of fitted networks.

    With a logarithmic count axis the spike of exact zeros that an L1
    penalty makes (chapter 7.1.2) shows; the legend gives its share.

    Parameters
    ----------
    weights : dict of str to array-like
        Name of each network and its weights, flattened.

    Attributes
    ----------
    patches_ : list of matplotlib.patches.Polygon
        One histogram outline per network.
    ax_ : matplotlib.axes.Axes
        The axes drawn on.
    figure_ : matplotlib.figure.Figure
        The figure of ``ax_``.

    See Also
    --------
    LossCurveDisplay : The loss per epoch of one fit.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> from skreg.datasets import load_digits_images
    >>> from skreg.plotting import WeightHistogramDisplay
    >>> X, y = load_digits_images()
    >>> fits = {p: DFNClassifier((16,), penalty=p, alpha=0.1, max_iter=10,
    ...                          random_state=0).fit(X, y) for p in ("l1", "l2")}
    >>> disp = WeightHistogramDisplay.from_estimator(fits, linewidth=2)
    >>> sorted(disp.weights), len(disp.patches_)
    (['l1', 'l2'], 2)
    """

    def __init__(self, weights):
        self.weights = weights

    @classmethod
    def from_estimator(cls, estimator, *, bins=60, log=True, ax=None, **kwargs):
        """Draw the weight histograms of one or several fitted networks.

        Parameters
        ----------
        estimator : estimator instance or dict of str to estimator instance
            Fitted networks (skreg's, or scikit-learn's MLP) or Pipelines
            ending in one; a :class:`~sklearn.ensemble.BaggingClassifier` of
            them pools its members' weights. A dict draws one histogram per
            entry.
        bins : int >= 1, default=60
            Number of bins, shared by all histograms.
        log : bool, default=True
            Logarithmic counts.
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        **kwargs : dict
            Passed to :meth:`plot`.

        Returns
        -------
        display : WeightHistogramDisplay
            The drawn display.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If an estimator is not fitted.
        TypeError
            If an estimator is not a network (no ``coefs_``).
        ValueError
            If ``bins`` is not an int >= 1.
        """
        _check_bins(bins)
        weights = {name: _weights(est) for name, est in _named(estimator).items()}
        return cls(weights).plot(ax=ax, bins=bins, log=log, **kwargs)

    def plot(self, ax=None, *, bins=60, log=True, **kwargs):
        """Draw the histograms on ``ax``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Axes to draw on; a new figure when None.
        bins : int >= 1, default=60
            Number of bins, shared by all histograms.
        log : bool, default=True
            Logarithmic counts.
        **kwargs : dict
            Keyword arguments of each :meth:`~matplotlib.axes.Axes.hist`.

        Returns
        -------
        display : WeightHistogramDisplay
            ``self``, with the new artists.

        Raises
        ------
        ValueError
            If ``bins`` is not an int >= 1.
        """
        bins = _check_bins(bins)
        ax = self._start(ax)
        weights = {k: np.asarray(w, dtype=float).ravel() for k, w in self.weights.items()}
        every = np.concatenate(list(weights.values()))
        edges = np.linspace(every.min(), every.max(), bins + 1)
        self.patches_ = []
        for name, w in weights.items():
            style = {"histtype": "step", "linewidth": 1.5,
                     "label": f"{name} ({np.mean(w == 0):.0%} exactly 0)", **kwargs}
            self.patches_.append(ax.hist(w, bins=edges, log=log, **style)[2][0])
        ax.set(xlabel="weight value", ylabel="count", title="weights")
        ax.legend()
        return self
