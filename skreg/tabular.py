"""A scikit-learn pipeline for real tables: mixed column types and missing values.

:func:`~skreg.make_tabular_pipeline` composes scikit-learn's own transformers:

- numeric columns: ``SimpleImputer(strategy="median", add_indicator=True)``,
  ``RobustScaler(unit_variance=True)`` and the smooth clip
  ``x / sqrt(1 + (x / 3)^2)`` of RealMLP (Holzmüller et al. 2024), which
  leaves inliers almost unchanged and bounds outliers by 3; next to it, the
  piecewise-linear encoding of Gorishniy et al. (2022) over quantile bins
  (:class:`~skreg.piecewise_linear.PiecewiseLinearEncoder`), which gives
  the network thresholds at the quantiles;
- categorical columns (object, string, category and bool dtypes, in numpy,
  pandas or pyarrow storage; ``skreg._table_input`` says how) with at
  most 40 distinct values: ``OneHotEncoder(handle_unknown="ignore")``, which
  treats a missing value as a category of its own (the same features as a
  constant imputation followed by one-hot coding; ``SimpleImputer`` rejects
  bool columns). A category first seen at predict time is coded as all zeros;
- categorical columns with more distinct values (a state, a zip code):
  ``TargetEncoder``, cross-fitted during ``fit``; a category first seen at
  predict time gets the target's mean. One-hot coding such a column gives
  the network many rare, noisy inputs.

A numeric column without any observed value in the training data is dropped
by the imputer with its ``UserWarning`` ("Skipping features without any
observed values"); an empty categorical column becomes one constant column.
A date, duration, period, interval or complex column among the numeric ones
raises a ``ValueError`` naming it at ``fit``; so do, at ``fit`` and
``predict``, a numeric column holding +inf or -inf and a categorical column
mixing strings with numbers (values that cannot be sorted together).
A polars DataFrame or pyarrow Table is read as its ``X.to_pandas()``: the
same column types, so the same encoding and errors. An object column of
``decimal.Decimal`` values (polars' ``Decimal``, SQL ``NUMERIC``) is numeric.
"""

from numbers import Integral

import numpy as np
from sklearn.base import (BaseEstimator, OneToOneFeatureMixin, TransformerMixin,
                          is_classifier)
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    OneHotEncoder,
    RobustScaler,
    StandardScaler,
    TargetEncoder,
)
from sklearn.utils._encode import _unique
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import validate_data

from ._table_input import as_pandas, categorical_positions, decimals_as_floats
from ._tabular_checks import (check_numeric_dtypes, check_uniform_categories,
                              refuse_infinite)
from .classifier import DFNClassifier
from .regressor import DFNRegressor
from .piecewise_linear import PiecewiseLinearEncoder

__all__ = ["make_tabular_pipeline", "smooth_clip", "tabular_defaults"]

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
    """Replace pandas' ``pd.NA`` by ``np.nan`` (object dtype) for the encoder,
    refusing a column whose values cannot be sorted together.

    Parameters
    ----------
    X : DataFrame or ndarray
        Categorical columns (a polars or pyarrow table is read as pandas).

    Returns
    -------
    DataFrame or ndarray
        A DataFrame of object dtype with ``np.nan`` for every missing value;
        arrays are returned unchanged.
    """
    X = as_pandas(X)
    if not hasattr(X, "isna"):
        return X
    X = X.astype(object).where(X.notna(), np.nan)
    check_uniform_categories(X)
    return X


def _is_categorical_array(X):
    return np.asarray(X).dtype.kind in "OUSb"


def _cardinality(X, position):
    if hasattr(X, "iloc"):
        return X.iloc[:, position].nunique(dropna=False)
    return len(_unique(np.asarray(X)[:, position]))


class _ColumnKind:
    """Column selector for one branch of the pipeline: "numeric", "onehot" or "target".

    Categorical columns are the listed ones (``categorical`` a list) or those
    of a categorical dtype (``"auto"``: object, string, category and bool
    columns of a DataFrame, as ``_table_input.categorical_positions`` reads
    them; every column of an object, string or bool array).
    Of these, the ones with more than ``threshold`` distinct values (missing
    counted as one) go to "target", the others to "onehot"; all other
    columns are "numeric". Called by ``ColumnTransformer`` on the training
    data; returns column positions, which work whatever the column names
    (``ColumnTransformer`` reads integer names as positions).
    """

    def __init__(self, kind, categorical, threshold):
        self.kind, self.categorical, self.threshold = kind, categorical, threshold

    def __repr__(self):
        return f"{self.kind} columns"

    def _categorical_positions(self, X):
        if isinstance(self.categorical, str):
            if hasattr(X, "dtypes"):
                return categorical_positions(X)
            return list(range(X.shape[1])) if _is_categorical_array(X) else []
        listed = list(self.categorical)
        if not listed or not isinstance(listed[0], str):
            outside = [j for j in listed if not -X.shape[1] <= j < X.shape[1]]
            if outside:
                raise ValueError(f"categorical lists column indices {outside}, but X "
                                 f"has {X.shape[1]} columns.")
            return [j % X.shape[1] for j in listed]
        if not hasattr(X, "columns"):
            raise ValueError("categorical lists column names, which needs a "
                             "DataFrame; give column indices for an array.")
        missing = [c for c in listed if c not in X.columns]
        if missing:
            raise ValueError(f"categorical lists names that are not columns of "
                             f"the dataframe: {missing}.")
        return [X.columns.get_loc(c) for c in listed]

    def __call__(self, X):
        X = as_pandas(X)
        categorical = self._categorical_positions(X)
        if self.kind == "numeric":
            categorical = set(categorical)
            numeric = [j for j in range(X.shape[1]) if j not in categorical]
            check_numeric_dtypes(X, numeric)
            return numeric
        wanted = self.kind == "target"
        return [j for j in categorical
                if (self.threshold is not None
                    and _cardinality(X, j) > self.threshold) == wanted]


@validate_params({"task": [StrOptions({"classification", "regression"})]},
                 prefer_skip_nested_validation=True)
def tabular_defaults(task="classification"):
    """Return the parameters of the default network of :func:`~skreg.make_tabular_pipeline`.

    Two hidden layers of 128 tanh units trained by Adam at a learning rate
    of 1e-3 on minibatches of 128 rows; early stopping on a 15% validation
    split with a patience of 20 epochs, then the chapter's algorithm 7.2
    (``refit_strategy="retrain"``): the network is trained again from its
    initial weights on every training row, validation rows included, for
    the number of epochs early stopping chose, E, and on to 1.5 E, keeping
    the mean of its weights at the ends of the epochs after 0.75 E
    (stochastic weight averaging, ``weight_averaging=(0.75, 1.5)``).
    Label smoothing 0.1; the estimator's small L2 penalty (``alpha=1e-4``);
    at most 1000 epochs, a cap early stopping comes before on most tables
    (small tables with many classes, a few minibatches per epoch, can take
    several hundred epochs). Chosen by measurement on the development tables of
    ``benchmarks/bench_tabular.py`` and on small subsamples of them; the
    weight averaging also on the regression tables of
    ``benchmarks/bench_tabular_regression.py`` (see the "Real tables" page).

    Parameters
    ----------
    task : {"classification", "regression"}, default="classification"
        "regression": the same without label smoothing, which a
        :class:`~skreg.DFNRegressor` does not have.

    Returns
    -------
    dict
        Keyword arguments for :class:`~skreg.DFNClassifier`, or for
        :class:`~skreg.DFNRegressor` with ``task="regression"``.

    Examples
    --------
    >>> from skreg import DFNClassifier
    >>> DFNClassifier(**tabular_defaults()).hidden_layer_sizes
    (128, 128)
    >>> "label_smoothing" in tabular_defaults("regression")
    False
    >>> tabular_defaults()["weight_averaging"]
    (0.75, 1.5)
    """
    defaults = dict(hidden_layer_sizes=(128, 128), activation="tanh",
                    learning_rate_init=1e-3, batch_size=128, max_iter=1000,
                    early_stopping=True, n_iter_no_change=20,
                    validation_fraction=0.15, refit_strategy="retrain",
                    weight_averaging=(0.75, 1.5))
    if task == "classification":
        defaults["label_smoothing"] = 0.1
    return defaults


# The default network's parameters in make_tabular_pipeline(task=...) are
# f"{NETWORK_STEP[task]}__NAME" (make_pipeline names steps by class).
NETWORK_STEP = {"classification": "dfnclassifier",
                "regression": "transformedtargetregressor__regressor"}


def _default_network(task):
    if task == "regression":
        # The network fits the target in its own units; standardized, a target
        # far from 0 or with a large spread needs no extra epochs to reach.
        network = DFNRegressor(**tabular_defaults("regression"))
        return TransformedTargetRegressor(network, transformer=StandardScaler())
    return DFNClassifier(**tabular_defaults())


def _numbers(X):
    """The numeric branch's input as pandas, decimals as floats, refusing
    infinite values by column name."""
    return decimals_as_floats(refuse_infinite(as_pandas(X)))


def _numeric_branch(n_bins):
    scaled = [RobustScaler(unit_variance=True),
              FunctionTransformer(smooth_clip, feature_names_out="one-to-one")]
    if n_bins is not None:
        scaled = [FeatureUnion([("scaled", make_pipeline(*scaled)),
                                ("bins", PiecewiseLinearEncoder(n_bins))],
                               verbose_feature_names_out=False)]
    return make_pipeline(
        FunctionTransformer(_numbers, feature_names_out="one-to-one"),
        SimpleImputer(strategy="median", add_indicator=True), *scaled)


def _missing_as_category():
    return FunctionTransformer(_missing_as_nan, feature_names_out="one-to-one")


def _onehot_branch():
    return make_pipeline(_missing_as_category(),
                         OneHotEncoder(handle_unknown="ignore", sparse_output=False))


class _OneTargetColumn(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Passes the columns to be target-encoded through unchanged; at ``fit``
    refuses a target of several columns, which scikit-learn's
    ``TargetEncoder`` rejects without naming the columns or the way out."""

    def fit(self, X, y=None):
        validate_data(self, X, skip_check_array=True)  # n_features_in_, names
        if y is not None and np.ndim(y) == 2 and np.shape(y)[1] > 1:
            names = (", ".join(map(repr, X.columns)) if hasattr(X, "columns")
                     else f"{self.n_features_in_} column(s)")
            raise ValueError(
                f"{names}: more distinct values than max_onehot_categories, so "
                "target-encoded, which needs a single target, and y has "
                f"{np.shape(y)[1]} columns. Pass max_onehot_categories=None to "
                "one-hot code them, or a larger threshold.")
        return self

    def transform(self, X):
        return X


def _target_branch(classifier):
    # Shuffled folds (rows sorted by a category would otherwise never meet
    # their own category's mean), with a fixed seed so refits are identical.
    folds = (StratifiedKFold if classifier else KFold)(5, shuffle=True, random_state=0)
    return make_pipeline(_OneTargetColumn(), _missing_as_category(),
                         TargetEncoder(cv=folds))


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
     "task": [None, StrOptions({"classification", "regression"})],
     "categorical": [StrOptions({"auto"}), list, tuple],
     "n_bins": [None, Interval(Integral, 2, None, closed="left")],
     "max_onehot_categories": [None, Interval(Integral, 1, None, closed="left")]},
    prefer_skip_nested_validation=True,
)
def make_tabular_pipeline(estimator=None, *, task=None, categorical="auto", n_bins=16,
                          max_onehot_categories=40):
    """A pipeline for tables: impute, scale, encode, then a network.

    Parameters
    ----------
    estimator : estimator or None, default=None
        The final step, used as given (any scikit-learn estimator); None
        means the default network of ``task``.
    task : {"classification", "regression"} or None, default=None
        Which default network ends the pipeline when ``estimator`` is None.
        None or "classification": ``DFNClassifier(**tabular_defaults())``.
        "regression": ``TransformedTargetRegressor(DFNRegressor(
        **tabular_defaults("regression")), transformer=StandardScaler())``,
        which fits the network to the standardized target and predicts in
        the target's units; its step is ``"transformedtargetregressor"`` and
        the network's parameters are
        ``transformedtargetregressor__regressor__NAME``. Only with
        ``estimator=None``.
    categorical : "auto" or list of str or list of int, default="auto"
        Which columns are categorical. "auto": by dtype (object, string,
        category and bool columns of a DataFrame, except object columns of
        ``decimal.Decimal`` numbers; an object, string or bool array). A
        polars DataFrame or pyarrow Table is read as its ``X.to_pandas()``
        (polars needs pyarrow for it), at ``fit`` and ``predict``. A list
        names the columns (DataFrame) or gives their indices; all other
        columns are numeric.
    n_bins : int or None, default=16
        Numeric columns get, next to their scaled value, a piecewise-linear
        encoding over this many quantile bins
        (:class:`~skreg.piecewise_linear.PiecewiseLinearEncoder`). None: the
        scaled value only.
    max_onehot_categories : int or None, default=40
        Categorical columns with at most this many distinct values (missing
        counted as one) are one-hot coded; those with more are target-encoded
        by scikit-learn's ``TargetEncoder`` (cross-fitted during ``fit``).
        None: one-hot code every categorical column.

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
    >>> pipe = make_tabular_pipeline(n_bins=None)
    >>> pipe.named_steps["columntransformer"].fit_transform(X).shape
    (4, 5)
    """
    _validate_columns(categorical)
    if estimator is None:
        estimator = _default_network(task)
    elif task is not None:
        raise ValueError(
            f"task={task!r} chooses the default network, and an estimator was "
            "given: pass one or the other.")
    branches = [("numeric", _numeric_branch(n_bins)), ("onehot", _onehot_branch()),
                ("target", _target_branch(is_classifier(estimator)))]
    transformer = ColumnTransformer(
        [(kind, branch, _ColumnKind(kind, categorical, max_onehot_categories))
         for kind, branch in branches],
        sparse_threshold=0.0, verbose_feature_names_out=False)
    return make_pipeline(transformer, estimator)
