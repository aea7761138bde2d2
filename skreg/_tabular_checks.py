"""What the tabular pipeline refuses, with the column named.

scikit-learn's transformers reject these inputs too, but with messages that
name neither the column nor the way out ("Input X contains infinity",
"Encoders require their input argument must be uniformly strings or
numbers", numpy's type-promotion error). Each check runs where the
pipeline would otherwise fail: the dtype checks when the columns are
selected at ``fit``; the infinity and mixed-category checks at the head of
their branch, at ``fit`` and at ``predict``. Once per call, never per
minibatch. A polars or pyarrow table reaches them as pandas, and another
kind of table is refused, in ``_table_input.as_pandas``.
"""

import numpy as np

_NOT_NUMBERS = "Mmc"  # numpy kinds: datetime, timedelta, complex


def _names(X, positions):
    return ", ".join(repr(X.columns[j]) for j in positions)


def check_numeric_dtypes(X, positions):
    """Refuse dates, durations, periods, intervals and complex numbers among
    the numeric columns (the median imputer fails on them with a numpy
    type-promotion error that does not name the column)."""
    if hasattr(X, "dtypes"):
        dtypes = [(f"Column {X.columns[j]!r}", X.dtypes.iloc[j]) for j in positions]
    else:
        dtypes = [("The array", np.asarray(X).dtype)] if positions else []
    for name, dtype in dtypes:
        if getattr(dtype, "kind", "O") in _NOT_NUMBERS or str(dtype).startswith(
                ("period", "interval")):
            raise ValueError(
                f"{name} has dtype {dtype}, which the tabular pipeline "
                "can neither scale as a number nor encode as a category. "
                "Convert dates and durations to numbers first (e.g. days since "
                "a reference date, or year, month and weekday columns), or "
                "drop the column.")


def refuse_infinite(X):
    """Return the numeric columns unchanged, or raise ``ValueError`` naming
    those that hold +inf or -inf (no imputer or scaler takes them; a missing
    value is imputed)."""
    try:
        values = (X.to_numpy(dtype=float, na_value=np.nan) if hasattr(X, "to_numpy")
                  else np.asarray(X, dtype=float))
    except (TypeError, ValueError):  # not numbers: the imputer says which
        return X
    infinite = np.flatnonzero(np.isinf(values).any(axis=0))
    if infinite.size:
        where = (f"Column(s) {_names(X, infinite)}" if hasattr(X, "columns")
                 else f"{infinite.size} numeric column(s)")
        raise ValueError(
            f"{where} hold infinite values, which the tabular pipeline can "
            "neither impute nor scale. Replace them first: as missing values "
            "to be imputed (X.replace([np.inf, -np.inf], np.nan)) or by a "
            "large finite number.")
    return X


def check_uniform_categories(X):
    """Raise ``ValueError`` naming the categorical columns (object dtype, of
    a DataFrame) whose values cannot be ordered together, such as strings
    mixed with numbers: scikit-learn's encoders sort the categories."""
    for position in range(X.shape[1]):
        values = X.iloc[:, position].dropna().unique()
        try:
            sorted(values)
        except TypeError:
            types = sorted({type(v).__name__ for v in values})
            column = X.columns[position]
            raise ValueError(
                f"Column {column!r} mixes values of types {', '.join(types)}, "
                "which cannot be ordered as categories. If it holds numbers, "
                f"pd.to_numeric(X[{column!r}], errors='coerce') makes the rest "
                f"missing values; if it holds categories, X[{column!r}]"
                ".astype(str) makes every value a string.") from None
