"""DFNClassifier: a regularized feed-forward network classifier."""

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import type_of_target, unique_labels
from sklearn.utils.validation import column_or_1d

from ._base import BaseDFN
from ._params import CLASSIFIER_CONSTRAINTS
from ._docs import COMMON_ATTRIBUTES, COMMON_PARAMETERS
from .losses import OUTPUTS
from .noise import smooth_targets


class DFNClassifier(ClassifierMixin, BaseDFN):
    _y_numeric = False

    _parameter_constraints = dict(CLASSIFIER_CONSTRAINTS)

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", penalty="l2", alpha=1e-4, l1_ratio=0.5,
                 max_norm=None, dropout_keep=1.0, dropout_mode="inverted",
                 input_noise=0.0, weight_noise=0.0, activity_alpha=0.0,
                 label_smoothing=0.0, augment=None, adversarial_eps=0.0,
                 adversarial_weight=0.5, batch_size="auto",
                 learning_rate="constant", learning_rate_init=1e-3,
                 power_t=0.5, max_iter=200, shuffle=True, random_state=None,
                 tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, refit_strategy=None, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, n_iter_no_change=10,
                 max_fun=15000, weight_init="auto", dtype=np.float32):
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, penalty=penalty,
            alpha=alpha, l1_ratio=l1_ratio, max_norm=max_norm,
            dropout_keep=dropout_keep, dropout_mode=dropout_mode,
            input_noise=input_noise, weight_noise=weight_noise,
            activity_alpha=activity_alpha, augment=augment,
            adversarial_eps=adversarial_eps,
            adversarial_weight=adversarial_weight, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle,
            random_state=random_state, tol=tol, verbose=verbose,
            warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            refit_strategy=refit_strategy, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change,
            max_fun=max_fun, weight_init=weight_init, dtype=dtype,
        )
        self.label_smoothing = label_smoothing

    # ---- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, validation_data=None):
        """Fit the network to ``X`` and class labels ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
        validation_data : tuple (X_val, y_val), default=None
            Rows to monitor (and to early-stop on) instead of a split.

        Returns
        -------
        self : DFNClassifier
        """
        return self._fit(X, y, sample_weight, validation_data)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``X, y``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array-like of shape (n_samples,), default=None
        classes : array-like, default=None
            All classes; required on the first call.

        Returns
        -------
        self : DFNClassifier
        """
        if not hasattr(self, "classes_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
        elif classes is not None and not np.array_equal(unique_labels(classes), self.classes_):
            raise ValueError(
                f"classes={classes!r} differs from the classes of the first "
                f"partial_fit call, {self.classes_!r}."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def predict(self, X):
        """Predicted class labels (or label indicator rows) of ``X``."""
        P = self._forward(X)
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return (P > 0.5).astype(int)
        if P.shape[1] == 1:
            return self.classes_[(P[:, 0] > 0.5).astype(int)]
        return self.classes_[np.argmax(P, axis=1)]

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        P = self._forward(X)
        if P.shape[1] == 1 and self._label_binarizer.y_type_ != "multilabel-indicator":
            return np.hstack([1 - P, P])
        return P

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    # ---- hooks of BaseDFN -------------------------------------------------
    def _encode_targets(self, y, reset, classes=None):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if reset:
            self._fit_label_binarizer(y, classes)
        else:
            self._check_known_classes(y)
        return self._label_binarizer.transform(y).astype(self.dtype)

    def _fit_label_binarizer(self, y, classes):
        target = type_of_target(y if classes is None else classes)
        if target not in ("binary", "multiclass", "multilabel-indicator"):
            raise ValueError(
                f"Unknown label type {target!r}: DFNClassifier needs class "
                "labels or a multilabel indicator matrix."
            )
        lb = LabelBinarizer().fit(y if classes is None else classes)
        if len(lb.classes_) < 2:
            raise ValueError(
                f"DFNClassifier needs samples of at least 2 classes; y has "
                f"only one class: {lb.classes_!r}."
            )
        self._label_binarizer = lb
        self.classes_ = lb.classes_

    def _check_known_classes(self, y):
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return
        unknown = np.setdiff1d(unique_labels(y), self.classes_)
        if len(unknown):
            raise ValueError(
                f"y has classes {unknown!r} that are not in classes_ "
                f"{self.classes_!r}."
            )

    def _training_targets(self, Y):
        if not self.label_smoothing:
            return Y
        multiclass = self._label_binarizer.y_type_ == "multiclass"
        k = Y.shape[1] if multiclass else 2
        return smooth_targets(Y, self.label_smoothing, k).astype(Y.dtype)

    def _output_name(self, n_outputs):
        return "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"

    def _output_loss(self):
        return OUTPUTS[self._output_name(None)]

    def _strata(self, Y):
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return None
        return np.argmax(Y, axis=1) if Y.shape[1] > 1 else Y[:, 0]

    def _score_outputs(self, P, Y, sample_weight=None):
        if P.shape[1] > 1 and self._label_binarizer.y_type_ == "multiclass":
            return float(np.mean(np.argmax(P, axis=1) == np.argmax(Y, axis=1)))
        return float(np.mean(np.all((P > 0.5) == (Y > 0.5), axis=1)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


DFNClassifier.__doc__ = f"""Deep feed-forward network classifier with the
regularizers of Goodfellow et al., chapter 7, as parameters.

Parameter names follow :class:`sklearn.neural_network.MLPClassifier`. The
output is a softmax for more than two classes and sigmoid units for binary
and multilabel targets, trained with cross-entropy.

Parameters
----------
{COMMON_PARAMETERS}

Attributes
----------
classes_ : ndarray
    Class labels.
{COMMON_ATTRIBUTES}

Examples
--------
>>> from sklearn.datasets import load_digits
>>> from skreg import DFNClassifier
>>> X, y = load_digits(return_X_y=True)
>>> clf = DFNClassifier(hidden_layer_sizes=(32,), max_iter=30, random_state=0)
>>> clf.fit(X / 16, y).score(X / 16, y) > 0.95
True
"""
