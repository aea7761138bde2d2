"""Early stopping criteria of Prechelt (1998), "Early Stopping -- but when?".

The training loop calls ``monitor.update(train_loss, val_loss)`` once per epoch,
snapshots the weights when ``monitor.improved``, stops when ``update`` returns
True and restores the weights of ``monitor.best_epoch`` (lowest validation loss).

Patience with ``tol > 0`` (as sklearn's ``_update_no_improvement_count``): any
strictly lower validation loss becomes the best, but only one below the best of
its time minus ``tol`` resets the counter, so ``stopped_epoch`` = (last epoch
improving by more than ``tol``) + ``patience``; with ``tol=0`` that epoch is
``best_epoch``. A non-finite validation loss never becomes the best and counts
as no improvement, as GL = +inf and as a rise (UP); a non-finite training loss
in a strip makes PQ = +inf.
"""

import math
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = ["CRITERIA", "METRICS", "EarlyStopping", "StopMonitor",
           "resolve_early_stopping"]

CRITERIA = ("patience", "gl", "pq", "up")
# the monitored validation loss, and its name in the verbose line and plots
METRICS = {"loss": "validation loss", "brier": "validation Brier score"}
DEFAULT_THRESHOLDS = {"gl": 5.0, "pq": 0.75}
_COUNT = Interval(Integral, 1, None, closed="left")
_USED_BY = {"threshold": ("gl", "pq"), "patience": ("patience",), "tol": ("patience",)}


class EarlyStopping(BaseEstimator):
    """Early stopping rule, an sklearn-style parameter object.

    Parameters
    ----------
    criterion : {"patience", "gl", "pq", "up"}, default="patience"
        "patience": stop after ``patience`` epochs without an improvement of the
        validation loss larger than ``tol``. "gl": stop when the generalization
        loss GL(t) = 100 (E_va(t) / min E_va - 1) exceeds ``threshold``.
        "pq": stop when GL(t) / P_k(t) exceeds ``threshold`` at the end of a
        strip of k = ``strip`` epochs, with the training progress
        P_k(t) = 1000 (mean of the strip's E_tr / min of the strip's E_tr - 1).
        "up": stop when E_va rose at the end of ``successive`` successive strips.
    threshold : float > 0 or None, default=None
        For "gl" (None means 5.0) and "pq" (None means 0.75) only.
    strip : int >= 1, default=5
        Strip length k for "pq" and "up".
    successive : int >= 1, default=3
        Number s of successive rising strips for "up".
    patience : int >= 1 or None, default=None
        For "patience" only; None means the estimator's ``n_iter_no_change``.
    tol : float >= 0 or None, default=None
        For "patience" only; None means the estimator's ``tol``.
    metric : {"loss", "brier"}, default="loss"
        The validation loss that is monitored (and recorded in
        ``validation_loss_curve_``). "loss": the network's data loss
        (cross-entropy for a classifier, half the squared error for a
        regressor). "brier" (classifiers only): the Brier score, the mean
        squared error of the predicted probabilities against the 0/1
        targets, summed over the classes (scikit-learn's
        ``brier_score_loss``), a proper scoring rule that, unlike the
        cross-entropy, is bounded for each row, so one confidently wrong
        validation row cannot decide the stop. Not with
        ``refit_strategy="continue"``, which compares the validation loss
        with the training loss. Beyond the chapter.

    Examples
    --------
    >>> monitor = EarlyStopping("gl", threshold=10.0).start()
    >>> [monitor.update(1.0, v) for v in [1.0, 0.8, 0.85, 0.9]]
    [False, False, False, True]
    >>> monitor.stopped_epoch, monitor.best_epoch, monitor.reason
    (4, 2, 'GL(4) = 12.5 > 10')
    """

    _parameter_constraints = {
        "criterion": [StrOptions(set(CRITERIA))],
        "threshold": [Interval(Real, 0, None, closed="neither"), None],
        "strip": [_COUNT], "successive": [_COUNT], "patience": [_COUNT, None],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "metric": [StrOptions(set(METRICS))],
    }

    def __init__(self, criterion="patience", threshold=None, strip=5, successive=3,
                 patience=None, tol=None, metric="loss"):
        self.criterion = criterion
        self.threshold = threshold
        self.strip = strip
        self.successive = successive
        self.patience = patience
        self.tol = tol
        self.metric = metric

    def _validate(self):
        """Raise ValueError naming the first invalid parameter; return self."""
        for name in ("threshold", "strip", "successive", "patience", "tol"):
            if isinstance(getattr(self, name), (bool, np.bool_)):
                raise ValueError(f"{name} must be a number, not {getattr(self, name)}")
        self._validate_params()
        for name, users in _USED_BY.items():
            if getattr(self, name) is not None and self.criterion not in users:
                raise ValueError(f"{name} is not used by criterion={self.criterion!r}"
                                 f" (only by {users}); leave {name}=None")
        return self

    def start(self, n_iter_no_change=10, tol=1e-4):
        """Validate the parameters and return a fresh monitor for one fit.

        Parameters
        ----------
        n_iter_no_change : int >= 1, default=10
            The estimator's value, used when ``patience`` is None.
        tol : float >= 0, default=1e-4
            The estimator's value, used when ``self.tol`` is None.

        Returns
        -------
        monitor : StopMonitor
            Fed the losses of each epoch; says when to stop.

        Examples
        --------
        >>> m = EarlyStopping().start(n_iter_no_change=2, tol=0.0)
        >>> [m.update(1.0, v) for v in [3.0, 2.0, 2.5, 2.0]], m.best_epoch
        ([False, False, False, True], 2)
        """
        self._validate()
        patience = n_iter_no_change if self.patience is None else self.patience
        tol = tol if self.tol is None else self.tol
        if self.criterion == "patience":
            if isinstance(patience, bool) or not (
                    isinstance(patience, Integral) or patience == math.inf) or (
                    patience < 1):
                raise ValueError(f"n_iter_no_change must be an int >= 1 or "
                                 f"np.inf (never stop), got {patience!r}")
            if isinstance(tol, bool) or not isinstance(tol, Real) or not (
                    0 <= tol < math.inf):
                raise ValueError(f"tol must be a finite float >= 0, got {tol!r}")
        return StopMonitor(self.criterion, threshold=self.threshold, strip=self.strip,
                           successive=self.successive, patience=patience, tol=tol)

    def check_usable(self, classifier, refit_strategy):
        """Raise ValueError if ``metric`` cannot be monitored for this fit.

        Parameters
        ----------
        classifier : bool
            Whether the estimator predicts probabilities.
        refit_strategy : {None, "retrain", "continue"}
            The estimator's refit after early stopping.

        Examples
        --------
        >>> EarlyStopping(metric="brier").check_usable(True, "retrain")
        """
        if self.metric != "brier":
            return
        if not classifier:
            raise ValueError("EarlyStopping(metric='brier') scores predicted "
                             "probabilities: it needs a classifier; use metric='loss'")
        if refit_strategy == "continue":
            raise ValueError(
                "EarlyStopping(metric='brier') cannot be used with "
                "refit_strategy='continue', which compares the validation loss "
                "with the training loss; use refit_strategy='retrain' or metric='loss'")


def resolve_early_stopping(value):
    """Turn an estimator's ``early_stopping`` parameter into an EarlyStopping.

    Parameters
    ----------
    value : bool, None, {"patience", "gl", "pq", "up"} or EarlyStopping
        False or None: no early stopping. True: "patience". A string: that
        criterion with default settings. An EarlyStopping: a validated clone.

    Returns
    -------
    EarlyStopping or None

    Examples
    --------
    >>> resolve_early_stopping("up"), resolve_early_stopping(False)
    (EarlyStopping(criterion='up'), None)
    """
    if isinstance(value, (bool, np.bool_)):
        return EarlyStopping() if value else None
    if value is None:
        return None
    if isinstance(value, str) and value in CRITERIA:
        return EarlyStopping(criterion=value)
    if isinstance(value, EarlyStopping):
        return clone(value)._validate()
    raise ValueError(
        "early_stopping must be False, None, True, one of "
        f"{', '.join(repr(c) for c in CRITERIA)} or an EarlyStopping; got {value!r}")


class StopMonitor:
    """Per-fit state of an early stopping rule; made by ``EarlyStopping.start``.

    Parameters are the resolved ones of :class:`EarlyStopping` (no validation).

    Attributes
    ----------
    epoch : int
        Epochs seen so far.
    best_epoch : int or None
        1-based epoch of the lowest finite validation loss (first one on ties).
    best_loss : float
        That loss (inf before any finite one).
    improved : bool
        Whether the last update set a new best (snapshot the weights).
    stopped_epoch : int or None
        Epoch after which the rule said stop.
    reason : str or None
        Why it stopped, e.g. ``"GL(12) = 6.3 > 5"``.

    Examples
    --------
    >>> m = StopMonitor("up", strip=2, successive=1)
    >>> [m.update(0.5, v) for v in [4.0, 3.0, 2.0, 2.5, 2.4, 2.6]]
    [False, False, False, False, False, True]
    >>> print(m.best_epoch, m.stopped_epoch, m.reason)
    3 6 UP_1: E_va rose at the end of 1 successive strip(s) of 2 epochs (2.6 > 2.5)
    """

    def __init__(self, criterion="patience", *, threshold=None, strip=5,
                 successive=3, patience=10, tol=0.0):
        if criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
        self.criterion, self._rule = criterion, getattr(self, f"_{criterion}_rule")
        self.threshold = (DEFAULT_THRESHOLDS.get(criterion) if threshold is None
                          else threshold)
        self.strip, self.successive = strip, successive
        self.patience, self.tol = patience, tol
        self._tr, self._va, self._count = [], [], 0
        self.epoch, self.best_epoch, self.best_loss = 0, None, math.inf
        self.improved, self.stopped_epoch, self.reason = False, None, None

    def update(self, train_loss, val_loss):
        """Record one epoch's losses; return True if training must stop now.

        Parameters
        ----------
        train_loss, val_loss : float
            E_tr (``loss_curve_``) and E_va (``validation_loss_curve_``) of the
            epoch. Calling again after a stop raises ``RuntimeError``.

        Returns
        -------
        bool

        Examples
        --------
        >>> m = StopMonitor("gl")
        >>> m.update(2.0, 1.0), m.update(1.5, 1.2), m.improved
        (False, True, False)
        """
        if self.stopped_epoch is not None:
            raise RuntimeError(f"monitor already stopped at epoch {self.stopped_epoch}")
        va, prev_best = float(val_loss), self.best_loss
        self._tr.append(float(train_loss))
        self._va.append(va)
        self.epoch += 1
        self.improved = math.isfinite(va) and va < prev_best
        if self.improved:
            self.best_loss, self.best_epoch = va, self.epoch
        self.reason = self._rule(prev_best)
        if self.reason is not None:
            self.stopped_epoch = self.epoch
        return self.reason is not None

    def _patience_rule(self, prev_best):
        self._count = 0 if self._va[-1] < prev_best - self.tol else self._count + 1
        if self._count >= self.patience:
            return (f"no validation loss improvement > {self.tol:g} in {self.patience}"
                    f" epochs (best {self.best_loss:.4g} at epoch {self.best_epoch})")

    def _gl(self):
        va, best = self._va[-1], self.best_loss
        if not math.isfinite(va):
            return math.inf
        if va == best:
            return 0.0
        return math.inf if best == 0 else 100.0 * (va / best - 1.0)

    def _gl_rule(self, prev_best):
        gl = self._gl()
        if gl > self.threshold:
            return f"GL({self.epoch}) = {gl:.4g} > {self.threshold:g}"

    def _pq_rule(self, prev_best):
        k = self.strip
        if self.epoch % k:
            return None
        strip, gl = self._tr[-k:], self._gl()
        if not all(math.isfinite(e) for e in strip):
            p, pq = math.nan, math.inf
        else:
            lo = min(strip)
            p = 0.0 if max(strip) == lo else (
                math.inf if lo == 0 else 1000.0 * (math.fsum(strip) / (k * lo) - 1.0))
            pq = 0.0 if gl == 0 else (math.inf if p == 0 or gl == math.inf else gl / p)
        if pq > self.threshold:
            return (f"PQ({self.epoch}) = GL/P_{k} = {gl:.4g}/{p:.4g} = {pq:.4g}"
                    f" > {self.threshold:g}")

    def _up_rule(self, prev_best):
        k, s, t = self.strip, self.successive, self.epoch
        if t % k or t < 2 * k:
            return None
        va, before = self._va[-1], self._va[-1 - k]
        rose = not math.isfinite(va) or va > before
        self._count = self._count + 1 if rose else 0
        if self._count >= s:
            return (f"UP_{s}: E_va rose at the end of {s} successive strip(s) of {k}"
                    f" epochs ({va:.4g} > {before:.4g})")
