"""Class labels <-> network outputs for DFNClassifier.

``ClassTargets`` turns labels into the target matrix the output layer is
trained on and network outputs back into labels and probabilities, for
every kind of classification target:

* binary: one sigmoid unit;
* multiclass: one softmax over the classes;
* multilabel indicator (0/1 columns): one sigmoid unit per label;
* multiclass-multioutput (each column its own classes, multi-task
  learning, 7.7): one softmax head per column on the shared trunk;
* with ``semi_supervised``, 1-D labels of ``-1`` mark unlabeled rows (7.6):
  the target matrix gets a last column flagging the labeled rows.
"""

import warnings

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import type_of_target

from .losses import make_output
from .noise import smooth_targets
from .semi_supervised import LabelMaskedLoss

KINDS = ("binary", "multiclass", "multilabel-indicator", "multiclass-multioutput")
UNLABELED = -1


def _unknown_type(kind):
    return ValueError(
        f"Unknown label type {kind!r}: DFNClassifier needs class labels, a "
        "multilabel indicator matrix or one column of class labels per task."
    )


class ClassTargets:
    """Fitted encoder of classification targets (see the module docstring)."""

    def __init__(self, semi_supervised=False):
        self.semi_supervised = semi_supervised

    # ---- fitting ----------------------------------------------------------
    def fit(self, y, classes=None):
        y = np.asarray(y)
        self.masked = self.semi_supervised and y.ndim == 1
        if self.masked and y.dtype.kind == "u":
            warnings.warn(
                f"Labels of dtype {y.dtype} cannot hold -1, the mark of "
                "unlabeled rows: every row is treated as labeled (cast the "
                "labels to a signed integer type before marking rows -1).",
                UserWarning,
            )
        if self.masked:
            labeled = y != UNLABELED
            if not labeled.any():
                raise ValueError(
                    "Every label is -1 (unlabeled): semi-supervised training "
                    "needs at least some labeled rows."
                )
            y = y[labeled]
        source = y if classes is None else np.asarray(classes)
        self.kind = type_of_target(source)
        if self.kind not in KINDS:
            raise _unknown_type(self.kind)
        if self.kind == "multiclass-multioutput":
            self.classes_ = [np.unique(column) for column in source.T]
            sizes = [len(c) for c in self.classes_]
        else:
            self._binarizer = LabelBinarizer().fit(source)
            self.classes_ = self._binarizer.classes_
            sizes = [len(self.classes_)]
        if min(sizes) < 2 and self.kind != "multilabel-indicator":
            raise ValueError(
                f"DFNClassifier needs samples of at least 2 classes; y has "
                f"only one class: {self.classes_!r}."
            )
        return self

    @property
    def n_tasks(self):
        if self.kind == "multiclass-multioutput":
            return len(self.classes_)
        return len(self.classes_) if self.kind == "multilabel-indicator" else 1

    @property
    def blocks(self):
        """Column slices of the softmax heads (multi-task), else None."""
        if self.kind != "multiclass-multioutput":
            return None
        stops = np.cumsum([len(c) for c in self.classes_])
        return [slice(a, b) for a, b in zip(np.r_[0, stops[:-1]], stops)]

    # ---- labels -> targets ------------------------------------------------
    def transform(self, y):
        """Target matrix (float), with the labeled flag column if masked."""
        y = np.asarray(y)
        labeled = y != UNLABELED if self.masked else None
        rows = y if labeled is None else y[labeled]
        self._check_known(rows)
        if self.kind == "multiclass-multioutput":
            Y = np.hstack([(col[:, None] == c[None, :]) for col, c in
                           zip(rows.T, self.classes_)]).astype(float)
        else:
            Y = self._binarizer.transform(rows).astype(float)
        if labeled is None:
            return Y
        full = np.zeros((len(y), Y.shape[1] + 1))
        full[labeled, :-1] = Y
        full[:, -1] = labeled
        return full

    def _check_known(self, y):
        if self.kind == "multilabel-indicator":
            return
        if self.kind == "multiclass-multioutput":
            if y.ndim != 2 or y.shape[1] != len(self.classes_):
                raise ValueError(f"y must have {len(self.classes_)} columns, one per task.")
            pairs = zip(y.T, self.classes_)
        else:
            pairs = [(y, self.classes_)]
        for column, classes in pairs:
            unknown = np.setdiff1d(np.unique(column), classes)
            if len(unknown):
                raise ValueError(
                    f"y has classes {unknown!r} that are not in classes_ {classes!r}."
                )

    def smooth(self, Y, epsilon):
        """Label smoothing of a target matrix, head by head."""
        if not epsilon:
            return Y
        Y = Y.copy()
        part = Y[:, :-1] if self.masked else Y
        if self.kind == "multiclass":
            part[...] = smooth_targets(part, epsilon, part.shape[1])
        elif self.kind == "multiclass-multioutput":
            for block in self.blocks:
                k = block.stop - block.start
                part[:, block] = smooth_targets(part[:, block], epsilon, k)
        else:  # independent binary outputs
            part[...] = smooth_targets(part, epsilon, 2)
        if self.masked:
            part[Y[:, -1] == 0] = 0.0
        return Y

    # ---- outputs ----------------------------------------------------------
    def output(self, task_weights=None):
        """The output layer's activation and loss."""
        weights = None
        if task_weights is not None:
            if self.kind == "multiclass-multioutput":
                weights = np.repeat(task_weights, [len(c) for c in self.classes_])
            elif self.kind == "multilabel-indicator":
                weights = np.asarray(task_weights, dtype=float)
        name = "softmax" if self.kind in ("multiclass", "multiclass-multioutput") else "logistic"
        loss = make_output(name, weights, self.blocks)
        return LabelMaskedLoss(loss) if self.masked else loss

    def predict(self, P):
        if self.kind == "multiclass-multioutput":
            return np.column_stack([c[np.argmax(P[:, b], axis=1)]
                                    for c, b in zip(self.classes_, self.blocks)])
        if self.kind == "multilabel-indicator":
            return (P > 0.5).astype(int)
        if P.shape[1] == 1:
            return self.classes_[(P[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(P, axis=1)]

    def predict_proba(self, P):
        if self.kind == "multiclass-multioutput":
            return [P[:, b] for b in self.blocks]
        if P.shape[1] == 1 and self.kind == "binary":
            return np.hstack([1 - P, P])
        return P

    def score_outputs(self, P, Y):
        """Subset accuracy of outputs ``P`` against targets ``Y``."""
        if self.masked:
            labeled = Y[:, -1] > 0
            P, Y = P[labeled], Y[labeled, :-1]
            if not len(P):
                return np.nan
        if self.kind in ("multiclass", "multiclass-multioutput"):
            blocks = self.blocks or [slice(None)]
            hits = [np.argmax(P[:, b], 1) == np.argmax(Y[:, b], 1) for b in blocks]
            return float(np.mean(np.all(hits, axis=0)))
        return float(np.mean(np.all((P > 0.5) == (Y > 0.5), axis=1)))

    def strata(self, Y):
        """Labels to stratify a validation split by, or None."""
        if self.kind in ("multiclass", "binary") and not self.masked:
            return np.argmax(Y, axis=1) if Y.shape[1] > 1 else Y[:, 0]
        return None
