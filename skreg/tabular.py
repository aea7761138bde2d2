"""A scikit-learn pipeline for real tables: mixed column types and missing values.

:func:`make_tabular_pipeline` composes scikit-learn's own transformers:

- numeric columns: ``SimpleImputer(strategy="median", add_indicator=True)``,
  ``RobustScaler(unit_variance=True)`` and the smooth clip
  ``x / sqrt(1 + (x / 3)^2)`` of RealMLP (Holzmüller et al. 2024), which
  leaves inliers almost unchanged and bounds outliers by 3;
- categorical columns (object, string, category and bool dtypes):
  ``OneHotEncoder(handle_unknown="ignore")``, which treats a missing value as
  a category of its own (the same features as a constant imputation followed
  by one-hot coding; ``SimpleImputer`` rejects bool columns). A category
  first seen at predict time is coded as all zeros.

A numeric column without any observed value in the training data is dropped
by the imputer with its ``UserWarning`` ("Skipping features without any
observed values"); an empty categorical column becomes one constant column.
"""

from numbers import Integral

import numpy as np
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, RobustScaler
from sklearn.utils._param_validation import HasMethods, StrOptions, validate_params

from .classifier import DFNClassifier

__all__ = ["make_tabular_pipeline", "smooth_clip", "tabular_defaults"]

CATEGORICAL_DTYPES = ["object", "string", "category", "bool"]
CLIP_SCALE = 3.0


def smooth_clip(X):
    """Smoothly clip values to (-3, 3): ``x / sqrt(1 + (x / 3)^2)``.

    Parameters
    ----------
    X : array-like
        Scaled numeric features.

    Returns
    -------
    ndarray
        Same shape; odd, increasing, about ``x`` for ``|x| << 3``, bounded by 3.

    Examples
    --------
    >>> smooth_clip([0.0, 3.0, 1e6]).round(3).tolist()
    [0.0, 2.121, 3.0]
    """
    X = np.asarray(X, dtype=float)
    return X / np.sqrt(1.0 + (X / CLIP_SCALE) ** 2)


def _missing_as_nan(X):
    """Replace pandas' ``pd.NA`` by ``np.nan`` (object dtype) for the encoder.

    Parameters
    ----------
    X : DataFrame or ndarray
        Categorical columns.

    Returns
    -------
    DataFrame or ndarray
        A DataFrame of object dtype with ``np.nan`` for every missing value;
        arrays are returned unchanged.
    """
    if not hasattr(X, "isna"):
        return X
    return X.astype(object).where(X.notna(), np.nan)


class _DtypeSelector:
    """Column selector by dtype that also accepts numpy arrays.

    DataFrames: sklearn's ``make_column_selector`` on the categorical dtypes.
    Arrays have one dtype: an object, string or bool array is all
    categorical, any other all numeric.
    """

    def __init__(self, categorical):
        self.categorical = categorical

    def __call__(self, X):
        if hasattr(X, "dtypes"):
            key = "dtype_include" if self.categorical else "dtype_exclude"
            return make_column_selector(**{key: CATEGORICAL_DTYPES})(X)
        is_categorical = np.asarray(X).dtype.kind in "OUSb"
        return list(range(X.shape[1])) if is_categorical == self.categorical else []


def tabular_defaults():
    """Return the parameters of the default network of :func:`make_tabular_pipeline`.

    Two hidden layers of 128 ReLU units trained by Adam at a learning rate
    of 1e-3 on minibatches of 128 rows; early stopping on a 15% validation
    split with a patience of 20 epochs, the weights of the best epoch
    restored; label smoothing 0.1; the estimator's small L2 penalty
    (``alpha=1e-4``). Chosen by measurement on the development tables of
    ``benchmarks/bench_tabular.py`` (see the "Real tables" page).

    Returns
    -------
    dict
        Keyword arguments for :class:`DFNClassifier` (or
        :class:`DFNRegressor`, without ``label_smoothing``).

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> DFNClassifier(**tabular_defaults()).hidden_layer_sizes
    (128, 128)
    """
    return dict(hidden_layer_sizes=(128, 128), learning_rate_init=1e-3,
                batch_size=128, max_iter=300, early_stopping=True,
                n_iter_no_change=20, validation_fraction=0.15,
                label_smoothing=0.1)


def _numeric_branch():
    return make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True),
        RobustScaler(unit_variance=True),
        FunctionTransformer(smooth_clip, feature_names_out="one-to-one"),
    )


def _categorical_branch():
    return make_pipeline(
        FunctionTransformer(_missing_as_nan, feature_names_out="one-to-one"),
        OneHotEncoder(handle_unknown="ignore", sparse_output=False),
    )


def _validate_columns(categorical):
    if isinstance(categorical, str):
        return
    kinds = {isinstance(c, str) for c in categorical}
    if any(not isinstance(c, (str, Integral)) or isinstance(c, bool)
           for c in categorical) or len(kinds) > 1:
        raise ValueError(
            "categorical must be 'auto' or a list of column names (str) or of "
            f"column indices (int), not a mix or other types; got {categorical!r}.")


@validate_params(
    {"estimator": [None, HasMethods(["fit", "predict"])],
     "categorical": [StrOptions({"auto"}), list, tuple]},
    prefer_skip_nested_validation=True,
)
def make_tabular_pipeline(estimator=None, *, categorical="auto"):
    """A pipeline for tables: impute, scale, clip and one-hot, then a network.

    Parameters
    ----------
    estimator : estimator or None, default=None
        The final step; None means ``DFNClassifier(**tabular_defaults())``.
        A :class:`DFNRegressor` (or any sklearn estimator) works the same way.
    categorical : "auto" or list of str or list of int, default="auto"
        Which columns are one-hot coded. "auto": by dtype (object, string,
        category and bool columns of a DataFrame; an object, string or bool
        array). A list names the columns (DataFrame) or gives their indices;
        all other columns are numeric.

    Returns
    -------
    Pipeline
        Steps ``"columntransformer"`` and the estimator's lower-case class
        name (e.g. ``"dfnclassifier"``), so ``dfnclassifier__alpha`` is a
        search parameter.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [30, None, 50, 41], "city": ["a", "b", None, "a"]})
    >>> pipe = make_tabular_pipeline()
    >>> pipe.named_steps["columntransformer"].fit_transform(X).shape
    (4, 5)
    """
    _validate_columns(categorical)
    if estimator is None:
        estimator = DFNClassifier(**tabular_defaults())
    if categorical == "auto":
        transformer = ColumnTransformer(
            [("numeric", _numeric_branch(), _DtypeSelector(False)),
             ("categorical", _categorical_branch(), _DtypeSelector(True))],
            sparse_threshold=0.0, verbose_feature_names_out=False)
    else:
        transformer = ColumnTransformer(
            [("categorical", _categorical_branch(), list(categorical))],
            remainder=_numeric_branch(), sparse_threshold=0.0,
            verbose_feature_names_out=False)
    return make_pipeline(transformer, estimator)

