"""How the tabular pipeline reads a table: as pandas, each column a number
or a category by its dtype, decimals as numbers.

A polars DataFrame or pyarrow Table is read as its ``X.to_pandas()``. A
column is categorical when its dtype is object, string, category or bool,
in numpy's, pandas' own or pyarrow's storage (``string[pyarrow]``,
``bool[pyarrow]`` and pyarrow dictionaries, which ``pd.read_csv(...,
dtype_backend="pyarrow")`` gives and scikit-learn's ``make_column_selector``
does not select). Decimal numbers are numbers: an object column of
``decimal.Decimal`` values (polars' ``Decimal`` dtype and database drivers
give them for SQL ``NUMERIC``) and pyarrow's ``decimal128``, which pandas
would file under object.
"""

from decimal import Decimal

from sklearn.compose import make_column_selector

CATEGORICAL_DTYPES = ["object", "string", "category", "bool"]


def as_pandas(X):
    """Return a pandas DataFrame or an array unchanged, and another table
    (a polars DataFrame, a pyarrow Table) as its ``X.to_pandas()``.

    A table without ``to_pandas`` raises a ``TypeError``; a polars
    DataFrame without pyarrow installed (which polars' conversion needs) an
    ``ImportError`` saying so.
    """
    if not hasattr(X, "columns") or hasattr(X, "iloc"):
        return X
    kind = f"{type(X).__module__.split('.')[0]}.{type(X).__name__}"
    if not hasattr(X, "to_pandas"):
        raise TypeError(
            f"make_tabular_pipeline takes a pandas, polars or pyarrow table or "
            f"an array; got a {kind}. Convert it to a pandas DataFrame first.")
    try:
        return X.to_pandas()
    except ImportError as error:
        raise ImportError(
            f"make_tabular_pipeline reads a {kind} as X.to_pandas(), which "
            f"failed: {error} (pip install pyarrow; or pass X.to_pandas() "
            "yourself).") from error


def categorical_positions(X):
    """Positions of the categorical columns of a pandas DataFrame (the
    module's rule)."""
    selected = set(make_column_selector(dtype_include=CATEGORICAL_DTYPES)(X))
    return [j for j, name in enumerate(X.columns)
            if _is_category(X.iloc[:, j], name in selected)]


def _is_category(column, selected):
    arrow = _arrow_type(column.dtype)
    if arrow is None:
        return selected and not holds_decimals(column)
    return column.dtype.kind in "USb" or arrow.startswith("dictionary")


def _arrow_type(dtype):
    """The pyarrow type's name of a ``pd.ArrowDtype``, else None."""
    arrow = getattr(dtype, "pyarrow_dtype", None)
    return None if arrow is None else str(arrow)


def holds_decimals(column):
    """Whether a pandas column holds decimal numbers: pyarrow's ``decimal``
    types, or object dtype with values, at least one, all ``decimal.Decimal``
    (missing values aside)."""
    arrow = _arrow_type(column.dtype)
    if arrow is not None:
        return arrow.startswith("decimal")
    if column.dtype != object:
        return False
    values = column.dropna()
    return len(values) > 0 and all(isinstance(v, Decimal) for v in values)


def decimals_as_floats(X):
    """Return ``X`` with its decimal columns as float64 (missing as NaN);
    ``X`` itself when it has none."""
    if not hasattr(X, "iloc"):
        return X
    decimal = [name for name, column in X.items() if holds_decimals(column)]
    if not decimal:
        return X
    return X.astype({name: float for name in decimal})  # None becomes NaN
