"""The single-split comparison: one row per technique, with the same data,
split, seed and epoch budget for every row.

This is the library API that :mod:`skreg.plotting`'s comparison plots use.
``python -m skreg compare`` runs the repeated, tuned study of
:mod:`skreg.study` instead (paired repeats, intervals, verdicts); the study
reuses :func:`ensemble_fgsm` from here.
"""

import math
import time
import warnings
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.ensemble import BaggingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from . import datasets
from .adversarial import _input_gradient, adversarial_score, fgsm
from .augmentation import ImageAugmenter
from .classifier import DFNClassifier

__all__ = ["METHODS", "Dataset", "Result", "ensemble_fgsm", "load_dataset",
           "method_specs", "run_comparison"]

#: Method name -> what its row changes with respect to ``none``.
METHODS = {
    "chapter": "the chapter's listing: sigmoid 200 units, N(0, 1) init, SGD "
               "lr 0.01 without momentum, batch 64, no penalty",
    "none": "ReLU network, Adam lr 3e-3, batch 64, no regularization",
    "l2": "penalty='l2', alpha=0.1 (weight decay, 7.1.1)",
    "l1": "penalty='l1', alpha=0.01 (proximal soft threshold, 7.1.2)",
    "elasticnet": "penalty='elasticnet', alpha=0.03, l1_ratio=0.5",
    "max-norm": "max_norm=2.0 (projection of each unit's incoming weights, 7.2)",
    "dropout": "dropout_keep=(0.8, 0.5, ...) inverted (7.12)",
    "dropout-classic": "same keep probabilities, dropout_mode='classic'",
    "input-noise": "input_noise=0.1 (7.5)",
    "weight-noise": "weight_noise=0.05 (7.5)",
    "label-smoothing": "label_smoothing=0.1 (7.5.1)",
    "augmentation": "augment=ImageAugmenter(translation=1 (2 from 16 px), "
                    "rotation=10) (7.4)",
    "early-patience": "early_stopping='patience', n_iter_no_change=5 (7.8)",
    "early-gl": "early_stopping='gl' (Prechelt GL, threshold 5)",
    "early-pq": "early_stopping='pq' (Prechelt PQ, threshold 0.75, strips of 5)",
    "early-up": "early_stopping='up' (Prechelt UP, 3 strips of 5)",
    "early-retrain": "early_stopping='patience' + refit_strategy='retrain' "
                     "(algorithm 7.2)",
    "sparse-activations": "activity_alpha=0.01 (L1 on hidden activations, 7.10)",
    "bagging": "BaggingClassifier of 5 networks like 'none', each fitted on its "
               "bootstrap rows (7.11)",
    "adversarial": "adversarial_eps=0.1, adversarial_weight=0.5 (FGSM, 7.13)",
    "semi-supervised": "reconstruction_weight=1.0, 80% of training labels "
                       "hidden as -1 (7.6)",
    "multi-task": "2-D y: class + parity of the class, shared trunk (7.7)",
}
METHOD_NAMES = tuple(METHODS)
HIDDEN_LABEL_FRACTION = 0.8


@dataclass
class Dataset:
    """Train and test arrays (float32 pixels in [0, 1]) and a name."""

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray

    @property
    def image_side(self):
        """Side of the square images (8 for digits, 28 for MNIST)."""
        return int(round(math.sqrt(self.X_train.shape[1])))


@dataclass
class Result:
    """One row of the comparison table; NaN marks a value that is n/a."""

    method: str
    train_accuracy: float = math.nan
    test_accuracy: float = math.nan
    fgsm_accuracy: float = math.nan
    zero_weights: float = math.nan
    epochs: int = 0
    best_epoch: int = 0
    refit_epochs: int = 0
    seconds: float = 0.0
    note: str = field(default="")

    @property
    def gap(self):
        """Generalization gap: train minus test accuracy."""
        return self.train_accuracy - self.test_accuracy

    def as_dict(self):
        """The row as a flat dict, ``gap`` included (for CSV files)."""
        row = asdict(self)
        row["gap"] = self.gap
        return row


def load_dataset(name="digits", path=None, data_home=None, train_size=None,
                 seed=0):
    """Load a data set by name as a :class:`Dataset` scaled to [0, 1].

    Parameters
    ----------
    name : {"digits", "fashion-mnist", "mnist-npz", "idx"}, default="digits"
        "digits" is sklearn's 8x8 digits split 50/50 (stratified, ``seed``);
        the others have their own test set.
    path : str, default=None
        The ``.npz`` file ("mnist-npz") or the IDX folder ("idx").
    data_home : str, default=None
        Folder of the Fashion-MNIST files (default: Debian's package).
    train_size : int, default=None
        Keep a stratified subset of this many training rows.
    seed : int, default=0

    Returns
    -------
    Dataset

    Examples
    --------
    >>> from skreg.compare import load_dataset
    >>> data = load_dataset("digits", train_size=500)
    >>> data.X_train.shape, data.X_test.shape, data.image_side
    ((500, 64), (899, 64), 8)
    """
    if name == "digits":
        X, y = datasets.load_digits_images()
        X_tr, X_te, y_tr, y_te = train_test_split(
            X, y, test_size=0.5, stratify=y, random_state=seed)
    elif name in ("fashion-mnist", "mnist-npz", "idx"):
        if name != "fashion-mnist" and path is None:
            raise ValueError(f"--dataset {name} needs a path: --dataset {name} PATH")
        loader = {"fashion-mnist": lambda: datasets.load_fashion_mnist(data_home),
                  "mnist-npz": lambda: datasets.load_mnist_npz(path),
                  "idx": lambda: datasets.load_idx(path)}[name]
        (X_tr, y_tr), (X_te, y_te) = loader()
        X_tr, X_te = (np.asarray(X, np.float32) / np.float32(255) for X in (X_tr, X_te))
    else:
        raise ValueError(f"unknown dataset {name!r}; choose from digits, "
                         "fashion-mnist, mnist-npz PATH, idx DIR")
    n_classes = len(np.unique(y_tr))
    if train_size is not None and train_size < n_classes:
        raise ValueError(f"--train-size {train_size} is smaller than the number "
                         f"of classes, {n_classes}")
    if train_size is not None and train_size < len(y_tr):
        X_tr, _, y_tr, _ = train_test_split(X_tr, y_tr, train_size=train_size,
                                            stratify=y_tr, random_state=seed)
    return Dataset(name, X_tr, _labels(y_tr), X_te, _labels(y_te))


def _labels(y):
    """Integer labels as int64 (IDX files hold uint8, where -1 wraps)."""
    y = np.asarray(y)
    return y.astype(np.int64) if y.dtype.kind in "iub" else y


def method_specs(epochs, hidden, seed, image_side=8):
    """Estimator parameters of every row (``"bagging"``: of each member).

    Examples
    --------
    >>> from skreg.compare import method_specs
    >>> specs = method_specs(epochs=20, hidden=(64,), seed=0)
    >>> specs["l1"]["penalty"], specs["l1"]["max_iter"], specs["chapter"]["activation"]
    ('l1', 20, 'sigmoid')
    """
    hidden = tuple(hidden)
    base = dict(hidden_layer_sizes=hidden, max_iter=epochs, random_state=seed,
                penalty=None, batch_size=64, learning_rate_init=3e-3,
                n_iter_no_change=epochs)
    keep = (0.8,) + (0.5,) * len(hidden)
    early = dict(base, n_iter_no_change=5, validation_fraction=0.1)
    augmenter = ImageAugmenter(translation=1 if image_side < 16 else 2, rotation=10)
    return {
        "chapter": dict(base, hidden_layer_sizes=(200,), activation="sigmoid",
                        weight_init="std_normal", solver="sgd", momentum=0.0,
                        learning_rate_init=0.01),
        "none": base,
        "l2": dict(base, penalty="l2", alpha=0.1),
        "l1": dict(base, penalty="l1", alpha=0.01),
        "elasticnet": dict(base, penalty="elasticnet", alpha=0.03, l1_ratio=0.5),
        "max-norm": dict(base, max_norm=2.0),
        "dropout": dict(base, dropout_keep=keep),
        "dropout-classic": dict(base, dropout_keep=keep, dropout_mode="classic"),
        "input-noise": dict(base, input_noise=0.1),
        "weight-noise": dict(base, weight_noise=0.05),
        "label-smoothing": dict(base, label_smoothing=0.1),
        "augmentation": dict(base, augment=augmenter),
        "early-patience": dict(early, early_stopping="patience"),
        "early-gl": dict(early, early_stopping="gl"),
        "early-pq": dict(early, early_stopping="pq"),
        "early-up": dict(early, early_stopping="up"),
        "early-retrain": dict(early, early_stopping="patience",
                              refit_strategy="retrain"),
        "sparse-activations": dict(base, activity_alpha=0.01),
        "bagging": base,
        "adversarial": dict(base, adversarial_eps=0.1, adversarial_weight=0.5),
        "semi-supervised": dict(base, reconstruction_weight=1.0),
        "multi-task": base,
    }


def _supports_multitask():
    """True when a DFNClassifier fits a 2-D multiclass y and predicts 2-D."""
    rng = np.random.default_rng(0)
    X, y = rng.random((20, 4)), np.arange(20) % 3
    Y = np.column_stack([y, y % 2])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est = DFNClassifier((2,), max_iter=1, random_state=0).fit(X, Y)
            return np.shape(est.predict(X)) == Y.shape
    except (ValueError, TypeError, NotImplementedError):
        return False


def _unavailable(name):
    """The n/a note of a row the installed skreg cannot run, else None."""
    if name == "semi-supervised" and \
            "reconstruction_weight" not in DFNClassifier().get_params():
        return "n/a: needs reconstruction_weight"
    if name == "multi-task" and not _supports_multitask():
        return "n/a: needs multi-task (2-D multiclass) y"
    return None


def _zero_fraction(estimators):
    weights = np.concatenate([W.ravel() for est in estimators for W in est.coefs_])
    return float(np.mean(weights == 0))


def ensemble_fgsm(bag, X, y, eps, clip=None):
    """FGSM against a soft-voting ``BaggingClassifier`` of skreg networks.

    The direction is the sign of the gradient of the ensemble's own loss,
    ``-log(mean_m p_m(y | x))``: each member's cross-entropy gradient
    weighted by its probability of the true class (a white-box attack on
    the whole ensemble, not on one member).

    Examples
    --------
    >>> from sklearn.ensemble import BaggingClassifier
    >>> from skreg import DFNClassifier
    >>> from skreg.compare import ensemble_fgsm, load_dataset
    >>> d = load_dataset("digits")
    >>> bag = BaggingClassifier(DFNClassifier((16,), max_iter=30),
    ...                         n_estimators=3, random_state=0)
    >>> bag = bag.fit(d.X_train, d.y_train)
    >>> X_adv = ensemble_fgsm(bag, d.X_test, d.y_test, 0.2, clip=(0, 1))
    >>> bag.score(X_adv, d.y_test) < bag.score(d.X_test, d.y_test)
    True
    """
    X = np.asarray(X)
    X = X if X.dtype.kind == "f" else X.astype(np.float32)
    X_adv = X + np.sign(_ensemble_input_gradient(bag, X, y)).astype(X.dtype) * eps
    return X_adv if clip is None else np.clip(X_adv, *clip)


def _ensemble_input_gradient(bag, X, y):
    """``sum_m p_m(y|x) grad_x CE_m``: a positive multiple, row by row, of
    the gradient of ``-log(mean_m p_m(y|x))``."""
    codes = np.searchsorted(bag.classes_, y)
    grad = np.zeros(X.shape, dtype=np.float64)
    for member, features in zip(bag.estimators_, bag.estimators_features_):
        rows = np.flatnonzero(np.isin(codes, member.classes_))  # p = 0 elsewhere
        Xm, labels = X[np.ix_(rows, features)], codes[rows]
        column = np.searchsorted(member.classes_, labels)
        p_true = member.predict_proba(Xm)[np.arange(len(rows)), column]
        _, g = _input_gradient(member, Xm, labels)
        np.add.at(grad, np.ix_(rows, features), p_true[:, None] * g)
    return grad


def _bagging(params, seed):
    """5 networks, each fitted on a bootstrap (passed by sklearn as
    sample_weight counts)."""
    return BaggingClassifier(DFNClassifier(**params), n_estimators=5, random_state=seed)


def _fit(est, X, y):
    """Fit quietly; return the seconds taken."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        tic = time.perf_counter()
        est.fit(X, y)
        return time.perf_counter() - tic


def _zero_activations(est, X):
    """Share of exactly-zero first-layer activations (ReLU) on ``X``."""
    H = X @ est.coefs_[0] + est.intercepts_[0]
    return float(np.mean(H <= 0))


def _targets(name, data, seed):
    """Training and test targets of a row: labels hidden as -1 for
    "semi-supervised", (class, parity) columns for "multi-task"."""
    y, y_test = data.y_train, data.y_test
    if name == "semi-supervised":
        order = np.random.default_rng(seed).permutation(len(y))
        hidden = np.zeros(len(y), bool)
        hidden[order[:round(HIDDEN_LABEL_FRACTION * len(y))]] = True
        return np.where(hidden, -1, y.astype(np.int64)), y_test  # uint8 wraps
    if name == "multi-task":
        return np.column_stack([y, y % 2]), np.column_stack([y_test, y_test % 2])
    return y, y_test


def _note(name, est, params, data, y):
    """The note column: what the numbers alone do not say."""
    if name == "semi-supervised":
        labeled = y != -1
        plain = {k: v for k, v in params.items() if k != "reconstruction_weight"}
        plain = DFNClassifier(**plain)
        _fit(plain, data.X_train[labeled], y[labeled])
        return (f"{1 - labeled.mean():.0%} of training labels hidden; the same "
                f"network on the labeled rows only: test acc "
                f"{plain.score(data.X_test, data.y_test):.4f}")
    if name == "bagging":
        return "FGSM on the ensemble's soft vote"
    if name in ("none", "sparse-activations") and est.activation == "relu":
        return (f"{_zero_activations(est, data.X_test):.0%} of first-layer "
                "activations exactly 0 on the test set")
    return ""


def _fit_row(name, params, data, eps, seed):
    """Fit one row; return ``(Result, fitted estimator)``."""
    est = _bagging(params, seed) if name == "bagging" else DFNClassifier(**params)
    y, y_test = _targets(name, data, seed)
    seconds = _fit(est, data.X_train, y)
    if name == "multi-task":
        return _multitask_result(est, data, y_test, eps, seconds), est
    if name == "bagging":
        members = est.estimators_
        X_adv = ensemble_fgsm(est, data.X_test, y_test, eps, clip=(0, 1))
        fgsm_accuracy = est.score(X_adv, y_test)
    else:
        members = [est]
        fgsm_accuracy = adversarial_score(est, data.X_test, y_test, eps, clip=(0, 1))
    first = members[0]
    return Result(name, est.score(data.X_train, data.y_train),
                  est.score(data.X_test, y_test), fgsm_accuracy,
                  _zero_fraction(members), first.n_iter_, first.best_epoch_,
                  getattr(first, "refit_n_iter_", None) or 0, seconds,
                  _note(name, est, params, data, y)), est


def _multitask_result(est, data, Y_test, eps, seconds):
    """Accuracies of the first task (the class); the second in the note."""
    Y_train = np.column_stack([data.y_train, data.y_train % 2])
    P_train, P_test = est.predict(data.X_train), est.predict(data.X_test)
    X_adv = fgsm(est, data.X_test, Y_test, eps, clip=(0, 1))
    P_adv = est.predict(X_adv)
    parity = np.mean(P_test[:, 1] == Y_test[:, 1])
    note = f"class task shown; parity task test acc {parity:.4f}"
    return Result("multi-task", float(np.mean(P_train[:, 0] == Y_train[:, 0])),
                  float(np.mean(P_test[:, 0] == Y_test[:, 0])),
                  float(np.mean(P_adv[:, 0] == Y_test[:, 0])),
                  _zero_fraction([est]), est.n_iter_, est.best_epoch_, 0,
                  seconds, note)


def _safe_row(name, params, data, eps, seed):
    """``_fit_row`` that reports an unavailable or failing row as n/a."""
    note = _unavailable(name)
    if note is not None:
        return Result(name, note=note), None
    try:
        with threadpool_limits(limits=1):  # small matmuls: threads only contend
            return _fit_row(name, params, data, eps, seed)
    except Exception as exc:  # a broken row must not lose the whole table
        message = str(exc).splitlines()[0] if str(exc) else ""
        return Result(name, note=f"failed: {type(exc).__name__}: {message}"), None


def run_comparison(data, methods=METHOD_NAMES, epochs=50, hidden=(128,), seed=0,
                   eps=0.1, n_jobs=1, progress=None):
    """Fit one estimator per method on ``data`` and measure it.

    Parameters
    ----------
    data : Dataset
    methods : sequence of str, default=all of ``METHODS``
    epochs : int, default=50
        The epoch budget of every row (``max_iter``).
    hidden : tuple of int, default=(128,)
        Hidden layers of every row but "chapter" (200 sigmoid units).
    seed : int, default=0
        ``random_state`` of every row.
    eps : float, default=0.1
        Size of the FGSM attack of the "FGSM acc" column.
    n_jobs : int, default=1
        Rows fitted in parallel (joblib); each row uses one BLAS thread.
    progress : callable, default=None
        Called with each :class:`Result` as it completes.

    Returns
    -------
    results : list of Result, in the order of ``methods``
    estimators : dict of method -> fitted estimator (None when n/a)

    Examples
    --------
    >>> from skreg.compare import load_dataset, run_comparison
    >>> data = load_dataset("digits")
    >>> results, _ = run_comparison(data, ["none", "l1"], epochs=5)
    >>> [r.method for r in results], results[1].zero_weights > 0
    (['none', 'l1'], True)
    """
    from joblib import Parallel, delayed

    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown methods {unknown}; choose from {list(METHODS)}")
    specs = method_specs(epochs, hidden, seed, data.image_side)
    jobs = (delayed(_safe_row)(m, specs[m], data, eps, seed) for m in methods)
    try:  # rows as they finish, for the progress report
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
    except (TypeError, ValueError):  # joblib < 1.4
        parallel = Parallel(n_jobs=n_jobs)
    done = {}
    for result, est in parallel(jobs):
        done[result.method] = (result, est)
        if progress is not None:
            progress(result)
    return ([done[m][0] for m in methods], {m: done[m][1] for m in methods})
