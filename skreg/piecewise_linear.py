"""Piecewise-linear encoding of numeric columns (Gorishniy et al. 2022).

"On embeddings for numerical features in tabular deep learning" encodes a
number ``x`` by its position within quantile bins ``b_0 < b_1 < ... < b_T``
of the training values: component ``t`` is

    e_t(x) = clip((x - b_{t-1}) / (b_t - b_{t-1}), 0, 1),

so the bins below ``x`` read 1, the bins above read 0 and the bin holding
``x`` its fraction. A network's first layer then sees thresholds at the
quantiles without having to learn them, which is what trees do well and a
plain MLP poorly. Here both ends are clipped too; the scaled value itself is
kept next to the encoding by :func:`skreg.make_tabular_pipeline`, so values
beyond the training range are not lost.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

__all__ = ["PiecewiseLinearEncoder"]


class PiecewiseLinearEncoder(TransformerMixin, BaseEstimator):
    """Encode numeric columns by their position in quantile bins.

    Parameters
    ----------
    n_bins : int, default=16
        Number of quantile bins per column before duplicate edges are merged.
        A column with fewer than two distinct bins (a constant or a 0/1
        column) gets no components: its scaled value says everything.

    Attributes
    ----------
    bin_edges_ : list of ndarray
        The distinct quantile edges of each input column (observed values:
        numpy's ``method="inverted_cdf"``).
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of str
        Input column names, when fitted on a DataFrame with string names.

    See Also
    --------
    sklearn.preprocessing.KBinsDiscretizer : One-hot or ordinal quantile bins.
    sklearn.preprocessing.SplineTransformer : B-splines with quantile knots.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.piecewise_linear import PiecewiseLinearEncoder
    >>> X = np.arange(9.0).reshape(-1, 1)
    >>> enc = PiecewiseLinearEncoder(n_bins=2).fit(X)
    >>> enc.bin_edges_[0].tolist()
    [0.0, 4.0, 8.0]
    >>> enc.transform([[2.0], [6.0], [20.0]]).tolist()
    [[0.5, 0.0], [1.0, 0.5], [1.0, 1.0]]
    """

    _parameter_constraints = {"n_bins": [Interval(Integral, 2, None, closed="left")]}

    def __init__(self, n_bins=16):
        self.n_bins = n_bins

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Find the quantile edges of every column.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric training data without missing values (impute first).
        y : None
            Ignored.

        Returns
        -------
        self : PiecewiseLinearEncoder
            The fitted encoder.
        """
        X = validate_data(self, X, dtype=np.float64)
        quantiles = np.linspace(0.0, 1.0, self.n_bins + 1)
        # inverted_cdf: the edges are observed values (no interpolation), so a
        # column of k distinct values has at most k edges and a 0/1 column none
        edges = np.quantile(X, quantiles, axis=0, method="inverted_cdf")
        self.bin_edges_ = [np.unique(column) for column in edges.T]
        return self

    def transform(self, X):
        """Encode ``X``: one component per bin of every encoded column.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Numeric data without missing values.

        Returns
        -------
        ndarray of shape (n_samples, n_components)
            Components in ``[0, 1]``, column by column, bins in order.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        column, lower, upper = self._bins()
        # One array of n_samples x n_components, worked in place (take is
        # several times faster than X[:, column] on a C-ordered X). A value
        # far outside a very narrow bin overflows to +-inf, which the clip
        # turns into the exact component (1 or 0).
        encoded = np.take(X, column, axis=1)
        encoded -= lower
        with np.errstate(over="ignore"):
            encoded /= upper - lower
        return np.clip(encoded, 0.0, 1.0, out=encoded)

    def get_feature_names_out(self, input_features=None):
        """Get the names ``"{column}_bin{k}"`` of the components.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input column names; default ``feature_names_in_`` or ``x0, x1, ...``.

        Returns
        -------
        ndarray of str
            One name per component, in the order of ``transform``'s columns.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        column, _, _ = self._bins()
        counts = np.bincount(column, minlength=self.n_features_in_)
        return np.asarray([f"{names[j]}_bin{k}" for j in range(self.n_features_in_)
                           for k in range(counts[j])], dtype=object)

    def _bins(self):
        """(input column, lower edge, upper edge) of every component; a column
        with fewer than two bins contributes none."""
        edges = [e if len(e) >= 3 else e[:1] for e in self.bin_edges_]
        column = np.repeat(np.arange(len(edges)), [len(e) - 1 for e in edges])
        return (column, np.concatenate([e[:-1] for e in edges]),
                np.concatenate([e[1:] for e in edges]))
