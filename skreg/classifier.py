"""DFNClassifier: a regularized feed-forward network classifier."""

import numpy as np
from scipy import sparse
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils import check_consistent_length
from sklearn.utils._available_if import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ._base import BaseDFN
from ._params import CLASSIFIER_CONSTRAINTS
from ._docs import COMMON_ATTRIBUTES, UNSUPERVISED_PARAMETERS, parameters
from .class_weights import class_sample_weight, row_weights
from .targets import ClassTargets
from .unsupervised import unsupervised_weights


class DFNClassifier(ClassifierMixin, BaseDFN):
    _y_numeric = False

    _parameter_constraints = dict(CLASSIFIER_CONSTRAINTS)

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 conv_layers=(), image_shape=None,
                 solver="adam", penalty="l2", alpha=1e-4, l1_ratio=0.5,
                 max_norm=None, weight_decay=0.0, dropout_keep=1.0,
                 dropout_mode="inverted",
                 input_noise=0.0, weight_noise=0.0, activity_alpha=0.0,
                 label_smoothing=0.0, reconstruction_weight=0.0,
                 vat_weight=0.0, vat_eps=1.0, vat_xi=1e-2, vat_power_iterations=1,
                 consistency_weight=0.0, entropy_weight=0.0, unsupervised_rampup=0,
                 class_weight=None, task_weights=None,
                 augment=None, adversarial_eps=0.0,
                 adversarial_weight=0.5, mixup_alpha=0.0,
                 batch_size="auto",
                 learning_rate="constant", learning_rate_init=1e-3,
                 power_t=0.5, warmup_epochs=0.0, max_iter=200, shuffle=True,
                 random_state=None,
                 tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False,
                 validation_fraction=0.1, refit_strategy=None,
                 weight_averaging=None, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 n_iter_no_change=10, max_fun=15000, weight_init="auto",
                 dtype=np.float32):
        super().__init__(
            hidden_layer_sizes, activation, conv_layers=conv_layers,
            image_shape=image_shape, solver=solver, penalty=penalty,
            alpha=alpha, l1_ratio=l1_ratio, max_norm=max_norm,
            weight_decay=weight_decay,
            dropout_keep=dropout_keep, dropout_mode=dropout_mode,
            input_noise=input_noise, weight_noise=weight_noise,
            activity_alpha=activity_alpha, task_weights=task_weights,
            augment=augment,
            adversarial_eps=adversarial_eps,
            adversarial_weight=adversarial_weight, mixup_alpha=mixup_alpha,
            batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, warmup_epochs=warmup_epochs, max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state, tol=tol, verbose=verbose,
            warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            refit_strategy=refit_strategy,
            weight_averaging=weight_averaging, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change,
            max_fun=max_fun, weight_init=weight_init, dtype=dtype,
        )
        self.label_smoothing = label_smoothing
        self.reconstruction_weight = reconstruction_weight
        self.vat_weight = vat_weight
        self.vat_eps = vat_eps
        self.vat_xi = vat_xi
        self.vat_power_iterations = vat_power_iterations
        self.consistency_weight = consistency_weight
        self.entropy_weight = entropy_weight
        self.unsupervised_rampup = unsupervised_rampup
        self.class_weight = class_weight

    # ---- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, validation_data=None):
        """Fit the network to ``X`` and class labels ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels; a multilabel indicator matrix, or one column of
            labels per task (multi-task).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the loss; None weights them equally.
        validation_data : tuple of (X_val, y_val), default=None
            Rows to monitor (and to early-stop on) instead of a split.

        Returns
        -------
        self : DFNClassifier
            The fitted classifier.
        """
        return self._fit(X, y, sample_weight, validation_data)

    @available_if(BaseDFN._stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``X, y``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Class labels, as in :meth:`fit`.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the loss; None weights them equally.
        classes : array-like of shape (n_classes,) or list of array-like, default=None
            All classes; required on the first call. ``[0, 1]`` for a
            multilabel indicator ``y``, one array per column for multi-task
            labels; a ``-1`` in it marks unlabeled rows when
            ``reconstruction_weight``, ``vat_weight``, ``consistency_weight``
            or ``entropy_weight`` is > 0 (as in ``fit``), not a class.

        Returns
        -------
        self : DFNClassifier
            The updated classifier.
        """
        if not hasattr(self, "classes_"):
            if classes is None:
                raise ValueError("classes must be passed on the first call to partial_fit.")
        elif classes is not None and not self._targets.same_classes(classes):
            raise ValueError(
                f"classes={classes!r} differs from the classes of the first "
                f"partial_fit call, {self.classes_!r}."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def predict(self, X):
        """Predicted class labels of ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input rows.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Labels; a label indicator matrix for multilabel targets and one
            column of labels per task for multi-task targets.
        """
        P = self._forward(X)
        return self._targets.predict(P)

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input rows.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes), or list of them
            One array per task for multi-task (multiclass-multioutput)
            targets, as scikit-learn's multi-output classifiers.
        """
        P = self._forward(X)
        return self._targets.predict_proba(P)

    def predict_log_proba(self, X):
        """Logarithm of the class probabilities of ``predict_proba``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input rows.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes), or list of them
            ``log(predict_proba(X))``; -inf where a probability is 0.
        """
        proba = self.predict_proba(X)
        with np.errstate(divide="ignore"):
            if isinstance(proba, list):
                return [np.log(p) for p in proba]
            return np.log(proba)

    def score(self, X, y, sample_weight=None):
        """Accuracy (subset accuracy for multilabel and multi-task targets).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Test rows.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row; None weights them equally.

        Returns
        -------
        score : float
            Share of rows whose labels (all of them, for multilabel and
            multi-task targets) are predicted right.
        """
        check_is_fitted(self)
        if self._targets.kind != "multiclass-multioutput":
            return super().score(X, y, sample_weight)
        y = np.asarray(y)
        check_consistent_length(X, y, sample_weight)
        predicted = self.predict(X)
        if y.shape != predicted.shape:
            raise ValueError(f"y must have shape {predicted.shape} (one column "
                             f"per task); got {y.shape}.")
        hits = np.all(predicted == y, axis=1)
        return float(np.average(hits, weights=sample_weight))

    # ---- hooks of BaseDFN -------------------------------------------------
    def _encode_targets(self, y, reset, classes=None):
        is_sparse = sparse.issparse(y)
        if is_sparse:  # a multilabel indicator matrix: dense targets
            y = y.toarray()
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if reset:
            targets = ClassTargets(semi_supervised=self._semi_supervised())
            self._targets = targets.fit(y, classes)
            targets.sparse_output = is_sparse  # predict as MLPClassifier does
            self.classes_ = targets.classes_
        return self._targets.transform(y).astype(self.dtype)

    def _semi_supervised(self):
        """Labels of -1 mark unlabeled rows when any unsupervised term is on."""
        return self.reconstruction_weight > 0 or any(
            w > 0 for w in unsupervised_weights(self))

    def _n_tasks(self):
        return self._targets.n_tasks

    def _class_weighted(self, y, Y, sample_weight, incremental):
        weighted, self._class_weight = class_sample_weight(
            self.class_weight, y, self._targets.labeled(Y), sample_weight,
            self.dtype, incremental)
        return weighted

    def _row_weights(self, Y):
        """Class weights of encoded target rows (validation rows joining a
        refit); unlabeled rows weigh 1."""
        labeled = self._targets.labeled(Y)
        if labeled is None:
            return row_weights(self._class_weight, self._targets.predict(Y), self.dtype)
        weights = np.ones(Y.shape[0], self.dtype)
        weights[labeled] = row_weights(
            self._class_weight, self._targets.predict(Y[labeled, :-1]), self.dtype)
        return weights

    def _uses_decoder(self):
        return self.reconstruction_weight > 0

    def _labeled_rows(self, Y):
        return self._targets.labeled(Y)

    def _check_warm_start_targets(self, y):
        kind, classes = self._targets.classes_of(y)
        if not self._targets.same_classes_as(kind, classes):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as "
                f"in the previous call to fit. Previously got {self.classes_}, "
                f"`y` has {classes}. Set warm_start=False to fit the new classes."
            )

    def _check_validation_targets(self, Y_val):
        labeled = self._targets.labeled(Y_val)
        if labeled is not None and not labeled.any():
            raise ValueError(
                "validation_data: every label of y_val is -1 (unlabeled); the "
                "validation loss and score need labeled rows."
            )

    def _n_outputs(self, Y):
        return Y.shape[1] - int(self._targets.masked)  # the labeled-row flag

    def _training_targets(self, Y):
        return self._targets.smooth(Y, self.label_smoothing).astype(Y.dtype)

    def _output_name(self, n_outputs):
        multi = self._targets.kind in ("multiclass", "multiclass-multioutput")
        return "softmax" if multi else "logistic"

    def _output_loss(self):
        return self._targets.output(self._task_weights())

    def _strata(self, Y):
        return self._targets.strata(Y)

    def _score_outputs(self, P, Y, sample_weight=None):
        return self._targets.score_outputs(P, Y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        tags.target_tags.multi_output = True
        return tags


_OWN_PARAMETERS = """\
label_smoothing : float in [0, 1), default=0.0
    Targets become ``(1 - e) one_hot + e / K`` (chapter 7.5.1).
reconstruction_weight : float >= 0, default=0.0
    Weight of a linear decoder head reconstructing the input from the first
    hidden layer (chapter 7.6); with it, labels of -1 mark unlabeled rows
    that train only the reconstruction. With early stopping the validation
    split takes ``validation_fraction`` of the labeled rows (stratified) and
    every unlabeled row trains: the validation loss and score are measured
    on labeled rows only (too few of them is a ``ValueError``).
""" + UNSUPERVISED_PARAMETERS + """
class_weight : dict, list of dict, "balanced" or None, default=None
    Weight of each class, as :class:`sklearn.linear_model.LogisticRegression`
    (beyond the chapter): a row's sample weight is multiplied by its class's
    weight, so fitting with ``class_weight`` is fitting with
    ``sample_weight=compute_sample_weight(class_weight, y)``
    (:func:`sklearn.utils.class_weight.compute_sample_weight`). "balanced"
    weights class c by ``n_samples / (n_classes * n_c)``, counted on the
    labels given to ``fit`` (with ``sample_weight``, n are sums of the
    weights, as ``LogisticRegression`` counts them); a dict must name every
    class present or raise scikit-learn's ``ValueError``; weights must be
    >= 0. 2-D y (multilabel
    or multi-task) takes "balanced" or one dict per column, and a row's
    weight is the product over columns (as scikit-learn's forests). With
    unlabeled rows (labels -1), classes are counted on the labeled rows and
    unlabeled rows weigh 1. ``partial_fit`` accepts a dict, not
    "balanced". The weights weigh the training objective only: the
    validation loss and score that early stopping monitors are unweighted,
    as for ``sample_weight``; rows of ``validation_data`` that join a
    ``refit_strategy`` refit get their classes' weights (not counted
    anew)."""

DFNClassifier.__doc__ = f"""Deep feed-forward network classifier with chapter 7's regularizers.

The regularizers of Goodfellow et al., *Deep Learning*, chapter 7, are
parameters. Parameter names follow :class:`sklearn.neural_network.MLPClassifier`. The
output is a softmax for more than two classes and sigmoid units for binary
and multilabel targets, trained with cross-entropy.

Parameters
----------
{parameters(after={"activity_alpha": _OWN_PARAMETERS})}

Attributes
----------
classes_ : ndarray or list of ndarray
    Class labels (one array per task for multi-task targets).
decoder_coef_, decoder_intercept_ : ndarray
    The reconstruction decoder, when ``reconstruction_weight > 0``.
{COMMON_ATTRIBUTES}

Examples
--------
>>> from sklearn.datasets import load_digits
>>> from skreg import DFNClassifier
>>> X, y = load_digits(return_X_y=True)
>>> clf = DFNClassifier(hidden_layer_sizes=(32,), learning_rate_init=0.01,
...                     max_iter=50, random_state=0)
>>> clf.fit(X / 16, y).score(X / 16, y) > 0.95
True
"""
