"""DFNRegressor: a regularized feed-forward network regressor."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils.validation import column_or_1d

from ._base import BaseDFN
from ._docs import COMMON_ATTRIBUTES, COMMON_PARAMETERS
from .losses import make_output


class DFNRegressor(RegressorMixin, BaseDFN):
    _y_numeric = True

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, *, validation_data=None):
        """Fit the network to ``X`` and targets ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
        validation_data : tuple (X_val, y_val), default=None
            Rows to monitor (and to early-stop on) instead of a split.

        Returns
        -------
        self : DFNRegressor
        """
        return self._fit(X, y, sample_weight, validation_data)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X, y``, continuing from the current weights.

        Returns
        -------
        self : DFNRegressor
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def predict(self, X):
        """Predicted targets, shaped like the ``y`` given to ``fit``.

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
        Y = np.asarray(y, dtype=self.dtype)
        Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y
        if reset:
            self._n_targets = Y.shape[1]
        return Y

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


DFNRegressor.__doc__ = f"""Deep feed-forward network regressor with the
regularizers of Goodfellow et al., chapter 7, as parameters.

Parameter names follow :class:`sklearn.neural_network.MLPRegressor`. The
output is linear and the loss ``1/2 (y - yhat)^2`` averaged over all
entries.

Parameters
----------
{COMMON_PARAMETERS}

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
