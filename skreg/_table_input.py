"""How the tabular pipeline reads a table: as pandas, decimals as numbers.

A polars DataFrame or pyarrow Table is read as its ``X.to_pandas()``, so the
column types are those pandas gives, which scikit-learn's
``make_column_selector`` reads. A column of ``decimal.Decimal`` values (what
polars' ``Decimal`` dtype and database drivers give for SQL ``NUMERIC``)
has pandas' object dtype, which would make it a category; it is a number.
"""

from decimal import Decimal


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


def holds_decimals(column):
    """Whether a pandas column has object dtype and its values, at least
    one, are all ``decimal.Decimal`` (missing values aside)."""
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
