"""The epoch loop: train, evaluate, decide whether to stop, keep the best.

One epoch is ``Trainer.epoch``; around it this module measures the
validation loss, asks the stopping rule, snapshots the best weights and
restores them at the end, and turns a diverging run into a warning.
"""

import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .early_stopping import METRICS
from .losses import brier_score
from .training import DivergenceError


def split(est, X, Y, sample_weight, val, stopper, rng):
    """``(train, val)``: the rows to train on and the rows to monitor.

    ``train`` is ``(X, Y, sample_weight, rows)`` where ``rows`` indexes the
    training rows (None: all of them), so a split never copies ``X`` (which
    may be a memory map); ``val`` is ``(X_val, Y_val)``. A given validation
    set is used as is; otherwise early stopping splits off
    ``validation_fraction`` of the rows, stratified for classifiers, and
    refuses a split that is too small or cannot be stratified, as
    scikit-learn's MLP (``_check_split``). With unlabeled rows
    (semi-supervised targets) only labeled rows can measure the validation
    loss: the fraction is of the labeled rows, every unlabeled row stays in
    training, and the split is stratified when the labeled rows allow it.
    """
    if val is not None or stopper is None:
        return (X, Y, sample_weight, None), val
    n = X.shape[0]
    labeled = est._labeled_rows(Y)
    pool = np.arange(n) if labeled is None else np.flatnonzero(labeled)
    n_val = int(np.ceil(est.validation_fraction * len(pool)))
    strata = est._strata(Y if labeled is None else Y[pool])
    if labeled is None:
        _check_split(est, n, n_val, strata)
    else:
        strata = _labeled_strata(est, len(pool), n_val, strata)
    seed = int(rng.integers(np.iinfo(np.int32).max))
    tr, va = train_test_split(pool, test_size=n_val, stratify=strata,
                              random_state=seed)
    if labeled is not None:
        tr = np.setdiff1d(np.arange(n), va)  # the unlabeled rows train too
    tr.sort()
    va.sort()
    return (X, Y, sample_weight, tr), (X[va], Y[va])


def _check_split(est, n, n_val, strata):
    """Refuse an early-stopping split of ``n`` rows into ``n_val``
    validation rows that scikit-learn's MLP refuses: fewer than 2 validation
    rows (too few to score), no training row, or, stratified by ``strata``
    (class indices, None for no stratification), a class with fewer than 2
    rows or fewer rows in a set than classes (checked in sklearn's order)."""
    fraction = (f"validation_fraction={est.validation_fraction} of {n} rows makes "
                f"{n_val} validation and {n - n_val} training rows")
    if n - n_val < 1:
        raise ValueError(f"The resulting train set will be empty: {fraction}. "
                         "Decrease 'validation_fraction' or use more data.")
    if strata is not None:
        _check_strata(est, n, n_val, strata, fraction)
    if n_val < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' or "
            f"the size of your dataset: {fraction}; early stopping needs at "
            "least 2 validation rows (or pass validation_data).")


def _check_strata(est, n, n_val, strata, fraction):
    values, counts = np.unique(strata, return_counts=True)
    if counts.min() < 2:
        few = est.classes_[values[counts < 2].astype(int)]
        raise ValueError(
            f"The least populated class in y has only {counts.min()} member, "
            "which is too few: early stopping splits off validation_fraction="
            f"{est.validation_fraction} of the rows stratified by class, which "
            f"needs at least 2 rows of every class. Classes with too few rows: "
            f"{few.tolist()}. Use more data, early_stopping=False or "
            "validation_data.")
    if min(n_val, n - n_val) < len(values):
        raise ValueError(
            f"The stratified validation split cannot hold each of the "
            f"{len(values)} classes in both sets: {fraction}. Adjust "
            "'validation_fraction' or use more data.")


def _labeled_strata(est, n_labeled, n_val, strata):
    """Semi-supervised split of the labeled rows: at least one row on each
    side; stratified when every class has 2 labeled rows and each side can
    hold every class, else not."""
    if n_val < 1 or n_labeled - n_val < 1:
        raise ValueError(
            f"early_stopping needs at least one training and one validation "
            f"row; validation_fraction={est.validation_fraction} of "
            f"{n_labeled} labeled rows leaves none. Use more data or pass "
            "validation_data with labeled rows (the validation loss is "
            "measured on labeled rows only).")
    if strata is None or not stratifiable(np.unique(strata, return_counts=True)[1],
                                          n_val):
        return None
    return strata


def stratifiable(counts, n_val):
    """Whether rows of classes with ``counts`` rows each can be split into
    ``n_val`` validation rows and the rest with every class on both sides."""
    return counts.min() >= 2 and min(n_val, counts.sum() - n_val) >= len(counts)


def lowest(best_loss, losses):
    """``best_loss_`` after ``losses``: a None ``best_loss`` (an early-stopped
    fit before) counts as no loss seen."""
    return min([np.inf if best_loss is None else best_loss, *losses])


def n_rows(train):
    """Number of training rows of a ``train`` tuple."""
    X, _, _, rows = train
    return X.shape[0] if rows is None else len(rows)


class _LossPlateau:
    """scikit-learn's rule without early stopping: stop (or, with the
    "adaptive" schedule, divide the learning rate by 5) once the training loss
    has not improved by ``tol`` for more than ``n_iter_no_change`` epochs.
    A cosine schedule runs its ``max_iter`` epochs: the rule is off."""

    def __init__(self, est, optimizer):
        self.n_iter_no_change = np.inf if est.learning_rate == "cosine" else (
            est.n_iter_no_change)
        self.tol = est.tol
        self.adaptive = est.solver == "sgd" and est.learning_rate == "adaptive"
        self.optimizer = optimizer
        self.best = lowest(est.best_loss_, [])
        self.count = 0
        self.reason = None

    def update(self, loss):
        self.count = self.count + 1 if loss > self.best - self.tol else 0
        self.best = min(self.best, loss)
        if self.count <= self.n_iter_no_change:
            return False
        if self.adaptive and self.optimizer.learning_rate > 1e-6:
            self.optimizer.reduce_learning_rate()
            self.count = 0
            return False
        self.reason = (
            f"Training loss did not improve more than tol={self.tol} for "
            f"{self.n_iter_no_change} consecutive epochs."
        )
        return True


def _evaluate(est, network, params_views, val, metric):
    """The validation loss ``metric`` ("loss" or "brier") and the score."""
    X_val, Y_val = val
    P = network.predict(X_val, *params_views)
    loss = (brier_score(P, Y_val, network.output.column_weights) if metric == "brier"
            else network.output.loss(P, Y_val))
    return loss, est._score_outputs(P, Y_val)


def run(est, trainer, train, val, stopper, rng, incremental):
    """Train for up to ``max_iter`` epochs (one for ``partial_fit``)."""
    X, Y, sw, rows = train
    max_epochs = 1 if incremental else est.max_iter
    rule = _StoppingRule(est, stopper, trainer, incremental)
    metric = "loss" if stopper is None else stopper.metric
    history = _History(est, val is not None, metric)
    snapshot = EpochStart(trainer)
    stopped = None
    for epoch in range(1, max_epochs + 1):
        tic = time.perf_counter()
        snapshot.capture()
        try:
            # overflow is detected (DivergenceError) and reported, not warned
            with np.errstate(over="ignore", invalid="ignore"):
                loss = trainer.epoch(X, Y, sw, rng, est.shuffle, rows)
        except DivergenceError:
            if incremental:  # partial_fit: the estimator undoes the whole call
                raise
            _diverged(trainer, snapshot, epoch)
            stopped = (epoch, "diverged: the loss became non-finite")
            break
        val_loss, val_score = (
            _evaluate(est, trainer.network, (trainer.coefs, trainer.intercepts), val,
                      metric) if val is not None else (None, None)
        )
        history.record(loss, val_loss, val_score)
        _report(est, epoch, loss, val_loss, val_score, time.perf_counter() - tic,
                metric)
        if rule.update(loss, val_loss):
            stopped = (epoch, rule.reason)
            break
    else:
        # a cosine schedule's length is max_iter: reaching it is its end
        if not incremental and est.learning_rate != "cosine":
            warnings.warn(
                f"Stochastic optimizer: maximum iterations ({est.max_iter}) "
                "reached and the optimization hasn't converged yet; increase "
                "max_iter or learning_rate_init.", ConvergenceWarning,
            )
    rule.restore_best()
    history.finish(trainer, rule.best_epoch, stopped, rule.monitor is not None)


class _StoppingRule:
    """Early stopping on the validation loss (with a snapshot of the best
    weights), or else scikit-learn's training-loss plateau rule."""

    def __init__(self, est, stopper, trainer, incremental):
        self.monitor = stopper.start(est.n_iter_no_change, est.tol) if stopper else None
        self.plateau = None if incremental else _LossPlateau(est, trainer.optimizer)
        self.trainer = trainer
        self.best = None

    def update(self, loss, val_loss):
        """True when training must stop after this epoch."""
        if self.monitor is None:
            return self.plateau is not None and self.plateau.update(loss)
        stop = self.monitor.update(loss, val_loss)
        if self.monitor.improved:
            self.best = self.trainer.params.copy()
        return stop

    @property
    def reason(self):
        return (self.monitor or self.plateau).reason

    @property
    def best_epoch(self):
        return None if self.monitor is None else self.monitor.best_epoch

    def restore_best(self):
        if self.best is not None:
            self.trainer.params[...] = self.best


class EpochStart:
    """The training state at the start of an epoch, in buffers allocated
    once: the weights, the optimizer's state (moments, step count, learning
    rate) and the samples seen, so that a diverged epoch is undone whole
    (the optimizer carries on into a later ``partial_fit``)."""

    def __init__(self, trainer):
        self.trainer = trainer
        self.params = np.empty_like(trainer.params)
        self.arrays, self.values, self.samples_seen = {}, {}, 0

    def capture(self):
        trainer = self.trainer
        np.copyto(self.params, trainer.params)
        self.samples_seen = trainer.samples_seen
        self.values = {}
        for name, value in vars(trainer.optimizer).items():
            if name == "_tmp":  # scratch, no state
                continue
            if not isinstance(value, np.ndarray):
                self.values[name] = value
                continue
            kept = self.arrays.get(name)
            if kept is None or kept.shape != value.shape:
                kept = self.arrays[name] = np.empty_like(value)
            np.copyto(kept, value)
            self.values[name] = kept

    def restore(self):
        trainer = self.trainer
        trainer.params[...] = self.params
        trainer.samples_seen = self.samples_seen
        state = vars(trainer.optimizer)
        for name, value in self.values.items():
            if isinstance(value, np.ndarray) and isinstance(state.get(name), np.ndarray):
                np.copyto(state[name], value)
            else:
                state[name] = value.copy() if isinstance(value, np.ndarray) else value


def _diverged(trainer, snapshot, epoch):
    # The weights just before the failing step are finite but have usually
    # already exploded (predictions overflow); the start of the epoch is the
    # last state known to give a finite loss over a whole epoch.
    snapshot.restore()
    warnings.warn(
        f"Training diverged in epoch {epoch}: the loss or its gradient became "
        "NaN or infinite. The weights from the end of the last complete "
        f"epoch ({epoch - 1}) were kept. Lower "
        "learning_rate_init, or scale the inputs (e.g. StandardScaler).",
        ConvergenceWarning,
    )


def _report(est, epoch, loss, val_loss, val_score, seconds, metric):
    if not est.verbose:
        return
    # scikit-learn's MLP line first, so code that parses it keeps working
    line = f"Iteration {epoch}, loss = {loss:.8f}"
    if val_loss is not None:
        line += f", {METRICS[metric]} = {val_loss:.6f}, score = {val_score:.4f}"
    print(f"{line} ({seconds:.2f} s)", flush=True)


class _History:
    """Collects the curves of this fit and writes the fitted attributes.

    A fit continues the curves of the fit before it (``warm_start``,
    ``partial_fit``), except the validation curves when the monitored
    ``metric`` changed: a curve holds one metric, so they start afresh."""

    def __init__(self, est, has_val, metric):
        self.est = est
        self.metric = metric
        self.losses = []
        self.val_losses = [] if has_val else None
        self.val_scores = [] if has_val else None

    def record(self, loss, val_loss, val_score):
        self.losses.append(float(loss))
        if self.val_losses is not None:
            self.val_losses.append(float(val_loss))
            self.val_scores.append(float(val_score))

    def finish(self, trainer, best_epoch, stopped, monitored):
        """Write the fitted attributes; ``best_epoch`` is the early-stopping
        monitor's (None without one: the last epoch's weights are kept).
        ``monitored``: early stopping ran, so ``best_loss_`` is None (the
        validation loss is what is tracked), as scikit-learn's MLP."""
        est, n = self.est, len(self.losses)
        est.t_ += trainer.samples_seen
        est.n_iter_ = n  # epochs of this call (1 for partial_fit), as sklearn
        est.loss_curve_ = list(est.loss_curve_) + self.losses
        if self.losses or not hasattr(est, "loss_"):
            est.loss_ = self.losses[-1] if self.losses else np.nan
        est.best_loss_ = None if monitored else lowest(est.best_loss_, self.losses)
        est.best_epoch_ = best_epoch if best_epoch is not None else est.n_iter_
        est.stopped_epoch_, est.stopping_reason_ = stopped or (None, None)
        if self.val_losses is None:
            return
        if getattr(est, "_validation_metric", None) not in (None, self.metric):
            est.validation_loss_curve_ = est.validation_scores_ = None
        est._validation_metric = self.metric
        est.validation_loss_curve_ = list(est.validation_loss_curve_ or []) + self.val_losses
        est.validation_scores_ = list(est.validation_scores_ or []) + self.val_scores
        losses = np.array(self.val_losses)
        if np.isfinite(losses).any():
            k = best_epoch - 1 if best_epoch is not None else int(np.nanargmin(losses))
            est.best_validation_score_ = self.val_scores[k]
