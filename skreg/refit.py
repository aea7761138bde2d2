"""Using the validation rows after early stopping (chapter 7.8).

* ``"retrain"`` (algorithm 7.2): re-initialise to the first phase's initial
  weights and train on all rows for exactly ``best_epoch_`` epochs (the
  unsupervised terms' ramp-up starts again).
* ``"continue"`` (algorithm 7.3): keep the best weights and the optimizer and
  train on all rows until the loss on the validation rows falls below the
  training objective recorded at the best epoch, at most ``max_iter`` epochs
  (the ramp-up carries on).

"All rows" are the training rows plus the validation rows (the split-off
fraction or the given ``validation_data``).

``weight_averaging=(start, stop)`` adds stochastic weight averaging
(Izmailov et al. 2018) to "retrain": the retraining runs
``ceil(stop * best_epoch_)`` epochs and ends with the mean of the weights
at the ends of the epochs after ``start * best_epoch_``.
"""

import math
import warnings
from numbers import Real

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from .epochs import EpochStart
from .training import DivergenceError
from .unsupervised import ramp_epochs


def _stack(a, b):
    return sparse.vstack([a, b], format="csr") if sparse.issparse(a) else np.vstack([a, b])


def all_rows(est, X, Y, sample_weight, val, validation_given):
    """``(X, Y, sample_weight)`` of every row, targets as training sees them."""
    if validation_given:
        X_val, Y_val = val
        X, Y = _stack(X, X_val), np.vstack([Y, Y_val])
        if sample_weight is not None:  # validation rows: 1, times class weights
            val_weight = est._row_weights(Y_val).astype(sample_weight.dtype)
            sample_weight = np.concatenate([sample_weight, val_weight])
    return X, est._training_targets(Y), sample_weight, None


def _validation_loss(trainer, val):
    X_val, Y_val = val
    P = trainer.network.predict(X_val, trainer.coefs, trainer.intercepts)
    return trainer.network.output.loss(P, Y_val)


class _BelowTarget:
    """Algorithm 7.3's test after ``k`` refit epochs: done when the validation
    loss falls below the training objective recorded at the best epoch, or
    after ``max_iter`` epochs. Keeps the loss measured before any epoch."""

    def __init__(self, est, trainer, val):
        self.target = est.loss_curve_[est.best_epoch_ - 1]
        self.max_iter, self.trainer, self.val = est.max_iter, trainer, val
        self.first_loss = None

    def __call__(self, k):
        if k >= self.max_iter:
            return True
        loss = _validation_loss(self.trainer, self.val)
        if self.first_loss is None:
            self.first_loss = loss
        return loss < self.target


def averaging_window(weight_averaging):
    """``weight_averaging`` as ``(start, stop)`` floats, or None; a clear
    ``ValueError`` for anything but two numbers with 0 <= start < stop."""
    if weight_averaging is None:
        return None
    pair = tuple(weight_averaging)
    if not (len(pair) == 2 and all(isinstance(v, Real) and not isinstance(v, bool)
                                   and math.isfinite(v) for v in pair)
            and 0 <= pair[0] < pair[1]):
        raise ValueError(
            "weight_averaging must be None or a pair (start, stop) of numbers "
            "with 0 <= start < stop, in units of the best epoch (e.g. (0.75, "
            f"1.5)); got {weight_averaging!r}.")
    return float(pair[0]), float(pair[1])


class _WeightAverage:
    """The running mean of the weights at the ends of the epochs after
    ``first``, in preallocated buffers (no allocation per epoch; no sum that
    could lose precision)."""

    def __init__(self, params, first):
        self.first, self.count = first, 0
        self.mean = np.empty_like(params)
        self._step = np.empty_like(params)  # (params - mean) / count, in place

    def add(self, epoch, params):
        if epoch <= self.first:
            return
        self.count += 1
        if self.count == 1:
            np.copyto(self.mean, params)
        else:
            np.subtract(params, self.mean, out=self._step)
            self._step /= self.count
            self.mean += self._step


def _retraining(est, setup, initial, rows):
    """Algorithm 7.2's trainer, its stopping test and its weight average."""
    # new weights, a new ramp-up of the unsupervised terms
    trainer = setup.trainer(initial.copy(), rows, fresh=True, ramp_epochs=0.0)
    epochs_to_run, average = est.best_epoch_, None
    window = averaging_window(est.weight_averaging)
    if window is not None:
        start, stop = window
        epochs_to_run = math.ceil(stop * est.best_epoch_)
        average = _WeightAverage(trainer.params, start * est.best_epoch_)
    return trainer, (lambda k: k >= epochs_to_run), average


def run(est, setup, first_trainer, initial, rows, val):
    """Run ``est.refit_strategy``; return the final flat parameters."""
    X, Y, sw, _ = rows
    rng, average = setup.rng, None
    if est.refit_strategy == "retrain":
        trainer, done, average = _retraining(est, setup, initial, rows)
    else:
        trainer = setup.trainer(first_trainer.params, rows, fresh=False,
                                ramp_epochs=ramp_epochs(first_trainer))
        done = _BelowTarget(est, trainer, val)
    k = 0
    snapshot = EpochStart(trainer)
    while not done(k):
        snapshot.capture()
        try:
            with np.errstate(over="ignore", invalid="ignore"):
                trainer.epoch(X, Y, sw, rng, est.shuffle)
        except DivergenceError:
            snapshot.restore()  # weights, optimizer and rows seen
            kept = ("the mean of the weights averaged so far was kept"
                    if average is not None and average.count
                    else "the weights of the last complete epoch were kept")
            warnings.warn(f"Refit diverged in epoch {k + 1}; {kept}.",
                          ConvergenceWarning)
            break
        k += 1
        if average is not None:
            average.add(k, trainer.params)
    est.refit_n_iter_ = k
    est.t_ += trainer.samples_seen
    if k == 0 and est.refit_strategy == "continue":
        _warn_if_unused(done.first_loss, done.target)
    if average is not None and average.count:
        return average.mean
    return trainer.params


def _warn_if_unused(val_loss, target):
    # Algorithm 7.3's test held before any epoch (not a diverged first
    # epoch): the validation rows were never trained on, which the user who
    # asked for them should hear about.
    if not val_loss < target:
        return
    warnings.warn(
        f"refit_strategy='continue' trained 0 epochs: the validation loss at "
        f"the best epoch ({val_loss:.4g}) is already below the training "
        f"objective recorded there ({target:.4g}), so the validation rows were "
        "not trained on. The training objective is the epoch's average over "
        "its minibatches, with the penalty, label smoothing, dropout, noise "
        "and mixup included, which can keep it above the plain validation "
        "loss; refit_strategy='retrain' trains on every row for best_epoch_ "
        "epochs instead.", UserWarning)
