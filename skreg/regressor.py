"""DFNRegressor: a regularized feed-forward network regressor."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._available_if import available_if
from sklearn.utils.validation import column_or_1d

from ._base import BaseDFN
from ._docs import COMMON_ATTRIBUTES, parameters
from ._params import REGRESSOR_CONSTRAINTS
from .losses import make_output


class DFNRegressor(RegressorMixin, BaseDFN):
    _y_numeric = True
    _parameter_constraints = dict(REGRESSOR_CONSTRAINTS)

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 conv_layers=(), image_shape=None,
                 solver="adam", loss="squared_error", penalty="l2", alpha=1e-4,
                 l1_ratio=0.5, max_norm=None, weight_decay=0.0, dropout_keep=1.0,
                 dropout_mode="inverted", input_noise=0.0, weight_noise=0.0,
                 activity_alpha=0.0, task_weights=None, augment=None,
                 adversarial_eps=0.0, adversarial_weight=0.5, mixup_alpha=0.0,
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
            augment=augment, adversarial_eps=adversarial_eps,
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
        self.loss = loss

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, validation_data=None):
        """Fit the network to ``X`` and targets ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets; 2-D for several (multi-task).
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the loss; None weights them equally.
        validation_data : tuple of (X_val, y_val), default=None
            Rows to monitor (and to early-stop on) instead of a split.

        Returns
        -------
        self : DFNRegressor
            The fitted regressor.
        """
        return self._fit(X, y, sample_weight, validation_data)

    @available_if(BaseDFN._stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X, y``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training rows.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each row in the loss; None weights them equally.

        Returns
        -------
        self : DFNRegressor
            The updated regressor.
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predicted targets, shaped like the ``y`` given to ``fit``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input rows.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_targets)
            In float64 whatever ``dtype`` the network computes in.
        """
        P = self._forward(X).astype(np.float64, copy=False)
        return P.ravel() if P.shape[1] == 1 else P

    def _encode_targets(self, y, reset, classes=None):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        try:
            Y = np.asarray(y, dtype=self.dtype)
        except (TypeError, ValueError) as error:
            raise ValueError(f"y must hold numeric targets: {error}") from None
        Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y
        if reset:
            self._n_targets = Y.shape[1]
        elif Y.shape[1] != self._n_targets:
            raise ValueError(
                f"y has {Y.shape[1]} target column(s) but the fit had "
                f"{self._n_targets}."
            )
        return Y

    def _check_validation_targets(self, Y_val):
        if Y_val.shape[0] < 2:  # R^2 is undefined on one row
            raise ValueError(
                f"The validation set is too small: validation_data has "
                f"{Y_val.shape[0]} row; the R^2 score needs at least 2."
            )

    def _output_name(self, n_outputs):
        return "identity"

    def _n_tasks(self):
        return self._n_targets

    def _output_loss(self):
        return make_output("identity", self._task_weights())

    def _strata(self, Y):
        return None

    def _score_outputs(self, P, Y, sample_weight=None):
        return float(r2_score(Y, P))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


_LOSS = """\
loss : {"squared_error"}, default="squared_error"
    The only loss, as scikit-learn's MLPRegressor."""

DFNRegressor.__doc__ = f"""Deep feed-forward network regressor with chapter 7's regularizers.

The regularizers of Goodfellow et al., *Deep Learning*, chapter 7, are
parameters. Parameter names follow :class:`sklearn.neural_network.MLPRegressor`. The
output is linear and the loss ``1/2 (y - yhat)^2`` averaged over all
entries.

Parameters
----------
{parameters(after={"solver": _LOSS})}

Attributes
----------
{COMMON_ATTRIBUTES}

Examples
--------
>>> import numpy as np
>>> from skreg import DFNRegressor
>>> X = np.random.default_rng(0).normal(size=(200, 3))
>>> y = X @ [1.0, -2.0, 0.5]
>>> reg = DFNRegressor(hidden_layer_sizes=(), solver="lbfgs", alpha=0.0)
>>> bool(np.allclose(reg.fit(X, y).coefs_[0].ravel(), [1, -2, 0.5], atol=1e-3))
True
"""
