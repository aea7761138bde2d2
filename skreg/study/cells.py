"""One cell of the study: one method on one repeat at one training-set size.

``run_cell`` splits the pool (the repeat's split seed), builds the
method's estimator (the repeat's fit seed), tunes its strength on the
training part (:func:`skreg.study.tuning.tune`), refits and measures it on
the test part. Everything it returns but ``seconds`` is a deterministic
function of its arguments.
"""

import math
import time
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from threadpoolctl import threadpool_limits

from ..adversarial import ensemble_fgsm, fgsm
from ..tabular import make_tabular_pipeline
from . import design, labels
from .methods import METHODS, Context
from .tuning import format_strength, tune, validation_rows

__all__ = ["Cell", "CellResult", "is_table", "run_cell"]

HIDDEN_LABEL_FRACTION = labels.HIDDEN_LABEL_FRACTION
#: rows whose repeat-0 training and validation loss curves are recorded
CURVE_METHODS = ("none", "l2", "max-norm", "dropout", "label-smoothing",
                 "augmentation")


@dataclass(frozen=True)
class Cell:
    """What to run: a method, a repeat, a training-set size and settings."""

    method: str
    repeat: design.Repeat
    train_size: int
    hidden: tuple = (128,)
    epochs: int = 200
    tune: bool = True
    eps: float = 0.1


@dataclass
class CellResult:
    """The measurements of one cell (a line of results.csv)."""

    method: str
    train_size: int
    repeat: int
    split_seed: int
    fit_seed: int
    strength: str = ""
    train_accuracy: float = math.nan
    test_accuracy: float = math.nan
    fgsm_accuracy: float = math.nan
    zero_weights: float = math.nan
    epochs: int = 0
    best_epoch: int = 0
    stopped: bool = False
    note: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    curves: dict = field(default_factory=dict, repr=False)

    @property
    def gap(self):
        """Train minus test accuracy."""
        return self.train_accuracy - self.test_accuracy


def _context(cell, pool):
    return Context(tuple(cell.hidden), cell.epochs, cell.repeat.fit_seed,
                   pool.image_side)


def _targets(method, y, seed, classes):
    """Training targets: labels hidden as -1, or (class, parity) columns."""
    if method.needs_unlabeled:
        return labels.hide_labels(y, seed)
    if method.multitask:
        return labels.multitask_targets(y, classes)
    return y


def _accuracy(est, X, y):
    predicted = np.asarray(est.predict(X))
    predicted = predicted[:, 0] if predicted.ndim == 2 else predicted
    return float(np.mean(predicted == y))


def is_table(pool):
    """True when the pool's features are a table (a CSV file's DataFrame,
    possibly with text and missing values), not an array of numbers."""
    return hasattr(pool.X, "columns")


def _build(method, ctx, tune_it, data_kind):
    """The estimator and its grid (keys addressing the estimator's step).

    ``data_kind`` decides the preprocessing: none for "image" (pixels in
    [0, 1]), a ``StandardScaler`` for "numeric" arrays and
    :func:`skreg.make_tabular_pipeline`'s ``ColumnTransformer`` for a
    "table", with every category one-hot coded: target encoding would need
    the labels the semi-supervised rows hide, and every row sees the same
    features.
    """
    params, grid, default = method.resolve(ctx)
    est = method.estimator(ctx)
    if not tune_it:
        grid = {k: [v] for k, v in default.items()}
    if data_kind == "image":
        return est, grid
    if data_kind == "table":
        pipe = make_tabular_pipeline(est, max_onehot_categories=None)
    else:
        pipe = Pipeline([("scale", StandardScaler()), ("net", est)])
    step = pipe.steps[-1][0]
    return pipe, {f"{step}__{k}": v for k, v in grid.items()}


def _data_kind(pool):
    if pool.image_side is not None:
        return "image"
    return "table" if is_table(pool) else "numeric"


def run_cell(cell, pool):
    """Run ``cell`` on ``pool``; return its ``CellResult``.

    Examples
    --------
    >>> from skreg.study.data import load_pool
    >>> from skreg.study.design import repeats
    >>> cell = Cell("l1", repeats(0, 1)[0], 100, hidden=(16,), epochs=5)
    >>> res = run_cell(cell, load_pool("digits"))
    >>> res.strength in ("alpha=0.001", "alpha=0.01", "alpha=0.1"), res.epochs
    (True, 5)
    """
    cpu = time.process_time()
    r = cell.repeat
    result = CellResult(cell.method, cell.train_size, r.index, r.split_seed, r.fit_seed)
    method = METHODS[cell.method]
    if method.image_only and pool.image_side is None:
        return replace(result, note="skipped: needs square images")
    X, y, X_test, y_test = design.split(pool, cell.train_size, r.split_seed)
    if method.needs_unlabeled:  # a class -1 would read as "unlabeled": codes
        y, y_test = labels.encode(y, y_test)
    ctx = _context(cell, pool)
    est, grid = _build(method, ctx, cell.tune, _data_kind(pool))
    classes = np.union1d(y, y_test)
    y_fit = _targets(method, y, r.fit_seed, classes)
    tic = time.perf_counter()
    with threadpool_limits(limits=1):  # small matmuls: threads only contend
        est, chosen = tune(est, grid, X, y_fit, r.split_seed,
                           hides_labels=method.needs_unlabeled)
        result.seconds = time.perf_counter() - tic
        _measure(result, est, (X, y, X_test, y_test),
                 labels.multitask_targets(y_test, classes) if method.multitask
                 else y_test, cell.eps, pool.image_side is not None)
        result.strength = format_strength(chosen)
        if r.index == 0:
            result.curves = _curves(cell.method, est, X, y_fit, r.split_seed)
    result.cpu_seconds = time.process_time() - cpu
    return result


def _net_and_inputs(est, X):
    """The network and the inputs it sees (after the pipeline's preprocessing); the
    fitted network inside a self-training wrapper stands for the wrapper."""
    if isinstance(est, Pipeline):
        est, X = est[-1], est[:-1].transform(X)
    if isinstance(est, SelfTrainingClassifier):
        est = est.estimator_
    return est, X


def _measure(result, est, data, attack_target, eps, image):
    """Accuracies, FGSM accuracy (``attack_target``: the test rows' target
    as the row trained on it), zero weights and epochs of the fitted row."""
    X, y, X_test, y_test = data
    net, Xs_test = _net_and_inputs(est, X_test)
    clip = (0, 1) if image else None
    result.train_accuracy = _accuracy(est, X, y)
    result.test_accuracy = _accuracy(est, X_test, y_test)
    if isinstance(net, BaggingClassifier):
        members = net.estimators_
        X_adv = ensemble_fgsm(net, Xs_test, y_test, eps, clip=clip)
    else:
        members = [net]
        X_adv = fgsm(net, Xs_test, attack_target, eps, clip=clip)
    result.fgsm_accuracy = _accuracy(net, X_adv, y_test)
    weights = np.concatenate([W.ravel() for m in members for W in m.coefs_])
    result.zero_weights = float(np.mean(weights == 0))
    first = members[0]
    result.epochs, result.best_epoch = int(first.n_iter_), int(first.best_epoch_)
    result.stopped = getattr(first, "stopped_epoch_", None) is not None


def _curves(name, est, X, y, seed):
    """Training and validation loss per epoch for the loss-curve figure."""
    net, _ = _net_and_inputs(est, X)
    if name.startswith("early-"):
        return dict(train=list(net.loss_curve_),
                    validation=list(net.validation_loss_curve_ or []),
                    best=int(net.best_epoch_), stop=net.stopped_epoch_)
    if name not in CURVE_METHODS:
        return {}
    tr, va = validation_rows(y, seed)
    va = va[np.isin(y[va], y[tr])]  # a class the probe never saw cannot be scored
    if not len(va):
        return {}
    take = X.iloc.__getitem__ if hasattr(X, "iloc") else X.__getitem__  # DataFrames
    X_tr, X_va, y_tr, y_va = take(tr), take(va), y[tr], y[va]
    if isinstance(est, Pipeline):  # preprocess with the probe's own training rows
        prep = clone(est[:-1]).fit(X_tr, y_tr)  # a TargetEncoder needs the labels
        X_tr, X_va, net = prep.transform(X_tr), prep.transform(X_va), est[-1]
    net = clone(net)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net.fit(X_tr, y_tr, validation_data=(X_va, y_va))
    return dict(train=list(net.loss_curve_),
                validation=list(net.validation_loss_curve_ or []))
