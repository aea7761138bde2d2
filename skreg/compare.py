"""The chapter's regularization comparison: one row per technique, same data,
split, seed and epoch budget for every row."""

import time
import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from .classifier import DFNClassifier


@dataclass
class Result:
    """One row of the comparison table."""

    method: str
    train_accuracy: float
    test_accuracy: float
    zero_weights: float
    epochs: int
    seconds: float

    @property
    def gap(self):
        """Generalization gap: train minus test accuracy."""
        return self.train_accuracy - self.test_accuracy


def _methods(epochs, hidden, seed):
    base = dict(hidden_layer_sizes=hidden, max_iter=epochs, random_state=seed,
                penalty=None, learning_rate_init=3e-3, n_iter_no_change=epochs)
    chapter = dict(hidden_layer_sizes=(200,), activation="sigmoid",
                   weight_init="std_normal", solver="sgd", momentum=0.0,
                   learning_rate_init=0.01, batch_size=64, penalty=None,
                   max_iter=epochs, n_iter_no_change=epochs, random_state=seed)
    return {
        "chapter baseline": chapter,
        "none": base,
        "l2": {**base, "penalty": "l2", "alpha": 1.0},
        "l1": {**base, "penalty": "l1", "alpha": 0.1},
        "elasticnet": {**base, "penalty": "elasticnet", "alpha": 0.2, "l1_ratio": 0.5},
        "max-norm": {**base, "max_norm": 2.0},
        "early stopping": {**base, "early_stopping": True, "n_iter_no_change": 5},
    }


METHOD_NAMES = tuple(_methods(1, (1,), 0))


def run_comparison(X_train, y_train, X_test, y_test, methods=METHOD_NAMES,
                   epochs=30, hidden=(128,), seed=0, progress=None):
    """Fit one DFNClassifier per method and measure it.

    Returns
    -------
    results : list of Result
    """
    unknown = [m for m in methods if m not in METHOD_NAMES]
    if unknown:
        raise ValueError(f"unknown methods {unknown}; choose from {list(METHOD_NAMES)}")
    specs = _methods(epochs, tuple(hidden), seed)
    results = []
    for name in methods:
        est = DFNClassifier(**specs[name])
        tic = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X_train, y_train)
        seconds = time.perf_counter() - tic
        weights = np.concatenate([W.ravel() for W in est.coefs_])
        results.append(Result(name, est.score(X_train, y_train),
                              est.score(X_test, y_test),
                              float(np.mean(weights == 0)), est.n_iter_, seconds))
        if progress is not None:
            progress(results[-1])
    return results


def digits_split(seed=0):
    """sklearn's digits in [0, 1], float32, a stratified 50/50 split."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=seed)


def format_table(results):
    """A Markdown table of the results."""
    lines = ["| method | train acc | test acc | gap | zero weights | epochs | fit s |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.method} | {r.train_accuracy:.4f} | {r.test_accuracy:.4f} | "
                     f"{r.gap:+.4f} | {r.zero_weights:.3f} | {r.epochs} | {r.seconds:.2f} |")
    return "\n".join(lines)
