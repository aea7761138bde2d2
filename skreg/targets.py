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
from scipy import sparse
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import type_of_target

from .losses import make_output
from .noise import smooth_targets
from .semi_supervised import LabelMaskedLoss

KINDS = ("binary", "multiclass", "multilabel-indicator", "multiclass-multioutput")
UNLABELED = -1


def _dense(y):
    """Labels as an array (a sparse indicator matrix becomes dense)."""
    return y.toarray() if sparse.issparse(y) else np.asarray(y)


def _type_of(y):
    """``type_of_target``, also for 2-D ``y`` whose columns hold labels of
    different types (e.g. numbers in one task, strings in another)."""
    try:
        return type_of_target(y)
    except TypeError:  # np.unique cannot order strings and numbers together
        pass
    if y.ndim == 2:
        for j, column in enumerate(y.T):
            if _type_of_column(column, f"column {j} of y") not in ("binary", "multiclass"):
                raise _unknown_type(f"column {j}: {type_of_target(column)}")
        return "multiclass-multioutput"
    return _type_of_column(y, "y")


def _type_of_column(column, name):
    if column.dtype == object:  # one task's labels: all strings or all numbers
        strings = [isinstance(v, str) for v in column]
        if not all(strings):
            _refuse_missing(column, name)
        if any(strings) and not all(strings):
            kinds = sorted({type(v).__name__ for v in column})
            raise ValueError(
                f"{name} mixes label types {kinds}: the labels of one task "
                "must be all strings or all numbers."
            )
        column = np.array(column.tolist())
    return type_of_target(column)


def _refuse_missing(column, name):
    missing = sum(v is None for v in column)  # NaN: scikit-learn's check of y
    if missing:
        raise ValueError(
            f"{name} has {missing} missing label(s) (None) among "
            f"{len(column)}: drop those rows first (with pandas, "
            "df.dropna(subset=[target])); to use them as unlabeled rows "
            f"with a semi-supervised term, label them {UNLABELED}.")


def _unknown_type(kind):
    return ValueError(
        f"Unknown label type {kind!r} of y: DFNClassifier needs class labels, a "
        "multilabel indicator matrix or one column of class labels per task."
    )


class ClassTargets:
    """Fitted encoder of classification targets (see the module docstring)."""

    def __init__(self, semi_supervised=False):
        self.semi_supervised = semi_supervised

    # ---- fitting ----------------------------------------------------------
    def fit(self, y, classes=None):
        y = _dense(y)
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
            if not labeled.any() and classes is None:
                raise ValueError(
                    "Every label is -1 (unlabeled): semi-supervised training "
                    "needs at least some labeled rows."
                )
            y = y[labeled]
        if classes is None:
            self.kind, source = _type_of(y), y
            if self.kind == "multiclass-multioutput":
                source = list(source.T)
        else:
            self.kind, source = self._kind_from_classes(y, classes)
        if self.kind not in KINDS:
            raise _unknown_type(self.kind)
        if self.kind == "multiclass-multioutput":
            self.classes_ = [np.unique(column) for column in source]
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

    def _kind_from_classes(self, y, classes):
        """``(kind, source)`` of ``partial_fit``'s first call: the kind from
        ``y``'s shape and ``classes`` (``source`` fits the encoder; for
        multi-task targets it lists the classes of each column)."""
        if y.ndim == 2 and y.shape[1] > 1:
            if all(np.ndim(c) == 1 for c in classes) and len(classes) == y.shape[1]:
                return "multiclass-multioutput", [_dense(c) for c in classes]
            if _type_of(y) == "multilabel-indicator" and self._indicator_classes(
                    classes, y.shape[1]):
                return "multilabel-indicator", y
            raise ValueError(
                f"classes={classes!r} does not fit y of {y.shape[1]} columns: "
                "pass [0, 1] for a multilabel indicator matrix, or one array "
                "of classes per column for multi-task labels."
            )
        classes = _dense(classes)
        if self.masked:  # -1 marks unlabeled rows, as in fit: not a class
            classes = classes[classes != UNLABELED]
        if classes.ndim != 1:
            raise ValueError(f"classes must be a 1-D array of labels for 1-D y; "
                             f"got shape {classes.shape}.")
        return _type_of(classes), classes

    @staticmethod
    def _indicator_classes(classes, n_labels):
        """Whether ``classes`` suits an indicator matrix of ``n_labels``
        columns: its values [0, 1] or its label indices 0..n_labels-1."""
        values = np.unique(_dense(classes))
        return values.ndim == 1 and (np.isin(values, [0, 1]).all() or np.array_equal(
            values, np.arange(n_labels)))

    def same_classes(self, classes):
        """Whether a later ``partial_fit`` call's ``classes`` are the first's."""
        if self.kind == "multiclass-multioutput":
            return len(classes) == len(self.classes_) and all(
                np.ndim(c) == 1 and np.array_equal(np.unique(_dense(c)), known)
                for c, known in zip(classes, self.classes_))
        if self.kind == "multilabel-indicator":
            return self._indicator_classes(classes, len(self.classes_))
        classes = _dense(classes)
        if self.masked:
            classes = classes[classes != UNLABELED]
        return classes.ndim == 1 and np.array_equal(np.unique(classes), self.classes_)

    def classes_of(self, y):
        """``(kind, classes)`` that a fit on ``y`` would find; kind None when
        no fit would accept ``y`` (then classes is what there is, for a
        message)."""
        y = _dense(y)
        if self.masked and y.ndim == 1:
            y = y[y != UNLABELED]
        try:
            probe = ClassTargets().fit(y)
        except (TypeError, ValueError):
            return None, (np.unique(y) if y.ndim == 1 and y.dtype != object else None)
        return probe.kind, probe.classes_

    def same_classes_as(self, kind, classes):
        """Whether ``(kind, classes)`` of ``classes_of`` are the fitted ones."""
        if kind != self.kind:
            return False
        if kind == "multiclass-multioutput":
            return len(classes) == len(self.classes_) and all(
                np.array_equal(a, b) for a, b in zip(classes, self.classes_))
        return np.array_equal(classes, self.classes_)

    @property
    def n_outputs(self):
        """Output units (without the labeled-row flag)."""
        if self.kind == "multiclass-multioutput":
            return sum(len(c) for c in self.classes_)
        return 1 if self.kind == "binary" else len(self.classes_)

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
        y = _dense(y)
        self._check_shape(y)
        labeled = y != UNLABELED if self.masked else None
        rows = y if labeled is None else y[labeled]
        self._check_known(rows)
        if not len(rows):  # e.g. a partial_fit chunk of unlabeled rows only
            Y = np.zeros((0, self.n_outputs))
        elif self.kind == "multiclass-multioutput":
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

    def _check_shape(self, y):
        """y must have the fitted target's shape: labels or an indicator."""
        k = len(self.classes_)
        if self.kind == "multilabel-indicator":
            if y.ndim != 2 or y.shape[1] != k:
                raise ValueError(
                    f"y must be a multilabel indicator matrix with {k} columns "
                    f"(as in fit); got shape {y.shape}."
                )
            if not np.isin(y, [0, 1]).all():
                raise ValueError("y must be a multilabel indicator matrix of 0 and 1 "
                                 "(as in fit); it has other values.")
        elif self.kind == "multiclass-multioutput":
            if y.ndim != 2 or y.shape[1] != k:
                raise ValueError(f"y must have {k} columns, one per task (as "
                                 f"in fit); got shape {y.shape}.")
        elif y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels (as in fit); got "
                             f"shape {y.shape}.")

    def _check_known(self, y):
        if self.kind == "multilabel-indicator":
            return
        if self.kind == "multiclass-multioutput":
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
            columns = [c[np.argmax(P[:, b], axis=1)]
                       for c, b in zip(self.classes_, self.blocks)]
            if len({c.dtype for c in columns}) > 1:  # e.g. numbers and strings
                return np.array(columns, dtype=object).T
            return np.column_stack(columns)
        if self.kind == "multilabel-indicator":
            if getattr(self, "sparse_output", False):
                return sparse.csr_matrix((P > 0.5).astype(int))
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
        """Labels to stratify a validation split of labeled rows by, or None."""
        if self.masked:
            Y = Y[:, :-1]
        if self.kind in ("multiclass", "binary"):
            return np.argmax(Y, axis=1) if Y.shape[1] > 1 else Y[:, 0]
        return None

    def labeled(self, Y):
        """Boolean mask of the labeled rows of a target matrix (None: all)."""
        return Y[:, -1] > 0 if self.masked else None
