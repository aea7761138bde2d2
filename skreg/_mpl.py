"""What the Displays of :mod:`skreg.plotting` share: pyplot on a headless
machine, new axes when none are given, fitted-estimator checks.

Each Display holds the data of one plot. ``from_estimator`` computes it from
a fitted estimator (or a Pipeline ending in one) and draws; ``plot``
(re)draws it on any axes, passing keyword arguments on to the matplotlib
call that makes the main artists.
"""

import os
import sys

from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

PLOT_HINT = "matplotlib is not installed; pip install 'skreg[plot]' for the plots"


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


def _final_step(estimator, X=None):
    """``(estimator, X)``, or for a Pipeline its last step and ``X`` through
    the steps before it (as scikit-learn's Displays take pipelines)."""
    check_is_fitted(estimator)
    if isinstance(estimator, Pipeline):
        if X is not None:
            X = estimator[:-1].transform(X)
        estimator = estimator[-1]
        check_is_fitted(estimator)
    return estimator, X


def _refuse(display, accepts, estimator):
    """The TypeError for an estimator a Display cannot draw."""
    return TypeError(f"{display}.from_estimator accepts {accepts}; got "
                     f"{type(estimator).__name__}.")


def _named(estimators):
    """A dict name -> fitted estimator from one estimator or a mapping (a
    single Pipeline is named after its last step)."""
    if hasattr(estimators, "items"):
        named = dict(estimators)
    else:
        named = {type(_final_step(estimators)[0]).__name__: estimators}
    for est in named.values():
        check_is_fitted(est)
    return named


class _Display:
    """Shared by the Displays: the axes and figure of the last drawing."""

    def _start(self, ax, figsize=(6.0, 4.0)):
        self.ax_ = _axes(ax, figsize)
        self.figure_ = self.ax_.figure
        return self.ax_
