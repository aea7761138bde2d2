"""make_tabular_pipeline on polars and pyarrow tables, read as their pandas
conversion (every result equals the one on ``X.to_pandas()``), on pandas'
pyarrow-backed columns, read as their numpy-backed equivalents, and on
decimal numbers, read as floats."""

import io
import warnings
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import GridSearchCV, cross_val_score

from skreg import DFNClassifier, make_tabular_pipeline

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")  # polars' to_pandas needs it


def _polars_table(n, seed):
    """Every kind of column the pipeline reads, with nulls: floats, integers,
    strings, booleans, a categorical and a many-valued (target-encoded) one."""
    rng = np.random.default_rng(seed)
    rows = np.arange(n)
    X = pl.DataFrame({
        "x": rng.normal(size=n),
        "count": rng.integers(0, 5, n),
        "city": rng.choice(["paris", "rome", "oslo"], n),
        "member": rng.random(n) < 0.5,
        "grade": pl.Series(rng.choice(["a", "b"], n), dtype=pl.Categorical),
        "zip": [f"z{k}" for k in rng.integers(0, 60, n)],
    })
    nulls = {"x": 7, "count": 5, "city": 4, "member": 6}
    X = X.with_columns(pl.when(pl.Series(rows % every == 0)).then(None)
                       .otherwise(pl.col(name)).alias(name)
                       for name, every in nulls.items())
    y = np.where(rng.random(n) < 0.5, "yes", "no")
    return X, y


def _fitted(X, y):
    pipe = make_tabular_pipeline(DFNClassifier((8,), max_iter=5, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # max_iter=5: unconverged
        warnings.filterwarnings("ignore", message="Stochastic optimizer")
        return pipe.fit(X, y)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**16), st.sampled_from(["polars", "pyarrow"]))
def test_a_polars_or_pyarrow_table_gives_what_its_pandas_conversion_gives(seed, kind):
    X, y = _polars_table(120, seed)
    table = X if kind == "polars" else X.to_arrow()
    by_pandas, by_table = _fitted(X.to_pandas(), y), _fitted(table, y)
    names = by_table[0].get_feature_names_out()
    assert list(names) == list(by_pandas[0].get_feature_names_out())
    assert {"missingindicator_count", "city_nan", "member_nan", "zip"} <= set(names)
    assert np.array_equal(by_table[0].transform(table), by_pandas[0].transform(X.to_pandas()))
    assert np.array_equal(by_table.predict_proba(table), by_pandas.predict_proba(X.to_pandas()))
    # fitted on the table, it predicts the same for the table and for pandas
    assert np.array_equal(by_table.predict(X.to_pandas()), by_table.predict(table))


def test_cross_validation_and_search_index_polars_rows_as_pandas_rows():
    X, y = _polars_table(90, 1)
    pipe = make_tabular_pipeline(DFNClassifier((8,), max_iter=5, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on_polars = cross_val_score(pipe, X, y, cv=3)
        on_pandas = cross_val_score(pipe, X.to_pandas(), y, cv=3)
        search = GridSearchCV(pipe, {"dfnclassifier__alpha": [1e-4, 1e-2]}, cv=2)
        best = search.fit(X, y).best_estimator_
    assert np.array_equal(on_polars, on_pandas)
    assert np.array_equal(best.predict(X), best.predict(X.to_pandas()))


def test_polars_output_holds_the_same_values():
    X, y = _polars_table(60, 2)
    values = _fitted(X, y)[0].transform(X)
    pipe = make_tabular_pipeline(DFNClassifier((8,), max_iter=5, random_state=0))
    pipe.set_output(transform="polars")  # before fit, as scikit-learn wants it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = pipe.fit(X, y)[0].transform(X)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == list(pipe[0].get_feature_names_out())
    assert np.array_equal(out.to_numpy(), values)


def test_a_polars_date_column_is_refused_by_name():
    X, y = _polars_table(40, 3)
    X = X.with_columns(signup=pl.date_range(pl.date(2020, 1, 1), pl.date(2020, 2, 9),
                                            eager=True))
    with pytest.raises(ValueError, match=r"Column 'signup' has dtype datetime64"):
        _fitted(X, y)


def test_a_polars_infinity_is_refused_by_name_at_fit_and_predict():
    X, y = _polars_table(40, 4)
    pipe = _fitted(X, y)
    infinite = X.with_columns(x=pl.lit(np.inf))
    with pytest.raises(ValueError, match=r"Column\(s\) 'x' hold infinite values"):
        pipe.predict(infinite)
    with pytest.raises(ValueError, match=r"Column\(s\) 'x' hold infinite values"):
        _fitted(infinite, y)


class _OtherFrame:
    """A dataframe that is neither pandas' nor convertible: columns, no
    ``iloc``, no ``to_pandas``."""
    columns = ["a", "b"]
    shape = (3, 2)


class _FrameWithoutPyarrow(_OtherFrame):
    def to_pandas(self):
        raise ModuleNotFoundError("pa.Table requires 'pyarrow' module to be installed")


def test_a_table_that_cannot_become_pandas_raises_saying_what_to_do():
    from skreg._table_input import as_pandas

    with pytest.raises(TypeError, match=r"pandas, polars or pyarrow table or an "
                       r"array; got a \w+\._OtherFrame\. Convert it"):
        as_pandas(_OtherFrame())
    with pytest.raises(ImportError, match=r"reads a \w+\._FrameWithoutPyarrow as "
                       r"X\.to_pandas\(\), which failed: .*pyarrow.*pip install pyarrow"):
        as_pandas(_FrameWithoutPyarrow())
    frame, array = pd.DataFrame({"a": [1]}), np.zeros((2, 2))
    assert as_pandas(frame) is frame and as_pandas(array) is array


@settings(max_examples=10, deadline=None)
@given(st.lists(st.one_of(st.none(), st.decimals(-1e6, 1e6, places=2)),
                min_size=30, max_size=30).filter(
                    lambda v: sum(x is not None for x in v) >= 2))
def test_a_decimal_column_is_encoded_as_its_float_values(values):
    """Decimals (polars' Decimal, SQL NUMERIC) are numbers, not 30 categories:
    the same features as the column of their floats, missing as NaN."""
    y = np.arange(len(values)) % 2
    floats = [np.nan if v is None else float(v) for v in values]
    as_decimals = pd.DataFrame({"price": pd.Series(values, dtype=object)})
    as_floats = pd.DataFrame({"price": floats})
    expected = _fitted(as_floats, y)[0]
    for X in (as_decimals, pl.from_pandas(as_decimals)):
        fitted = _fitted(X, y)[0]
        assert list(fitted.get_feature_names_out()) == list(expected.get_feature_names_out())
        assert np.array_equal(fitted.transform(X), expected.transform(as_floats))


def test_an_object_column_mixing_decimals_and_text_stays_categorical():
    """Not all decimals: a category column, so refused as a mix of types."""
    X = pd.DataFrame({"code": [Decimal("1.5"), "n/a", Decimal("2")] * 10})
    with pytest.raises(ValueError, match="Column 'code' mixes values of types "
                       "Decimal, str"):
        _fitted(X, np.arange(30) % 2)


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**16))
def test_pyarrow_backed_columns_are_read_as_their_numpy_backed_equivalents(seed):
    """``pd.read_csv(..., dtype_backend="pyarrow")`` gives string[pyarrow],
    bool[pyarrow], int64[pyarrow] and double[pyarrow] columns: the same
    features as the default reading (strings and booleans categorical)."""
    X, y = _polars_table(90, seed)
    frame = X.drop("grade").to_pandas()
    frame["rooms"] = np.arange(90) % 7  # integers without missing values
    text = frame.to_csv(index=False)
    default = pd.read_csv(io.StringIO(text))
    arrow = pd.read_csv(io.StringIO(text), dtype_backend="pyarrow")
    assert {str(t) for t in arrow.dtypes} >= {"string[pyarrow]", "bool[pyarrow]",
                                              "int64[pyarrow]", "double[pyarrow]"}
    by_default, by_arrow = _fitted(default, y)[0], _fitted(arrow, y)[0]
    names = list(by_arrow.get_feature_names_out())
    assert names == list(by_default.get_feature_names_out())
    assert {"city_nan", "member_True", "member_nan"} <= set(names)
    assert np.array_equal(by_arrow.transform(arrow), by_default.transform(default))


def test_pyarrow_decimals_are_numbers_and_dictionaries_categories():
    values = [1.25, None, 2.5, 4.0] * 10
    X = pd.DataFrame({
        "price": pd.array(values, dtype=pd.ArrowDtype(pa.decimal128(10, 2))),
        "kind": pd.array(["u", "v", None, "u"] * 10,
                         dtype=pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))),
    })
    y = np.arange(40) % 2
    as_floats = pd.DataFrame({"price": np.array(values, dtype=float),
                              "kind": pd.Categorical(["u", "v", None, "u"] * 10)})
    fitted, expected = _fitted(X, y)[0], _fitted(as_floats, y)[0]
    assert list(fitted.get_feature_names_out()) == list(expected.get_feature_names_out())
    assert {"missingindicator_price", "kind_u", "kind_nan"} <= set(
        fitted.get_feature_names_out())
    assert np.array_equal(fitted.transform(X), expected.transform(as_floats))


def test_a_pyarrow_timestamp_column_is_refused_by_name():
    X, y = _polars_table(40, 5)
    X = X.to_pandas()
    X["signup"] = pd.array(pd.date_range("2020-01-01", periods=40),
                           dtype=pd.ArrowDtype(pa.timestamp("us")))
    with pytest.raises(ValueError, match=r"Column 'signup' has dtype timestamp"):
        _fitted(X, y)
