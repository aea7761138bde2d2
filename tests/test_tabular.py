"""make_tabular_pipeline: sklearn's transformers composed for real tables."""

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import OneHotEncoder, RobustScaler

from skreg import DFNClassifier, DFNRegressor, make_tabular_pipeline
from skreg.tabular import smooth_clip, tabular_defaults

pd = pytest.importorskip("pandas")


def _table(n=60, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({
        "age": rng.normal(40, 10, n),
        "income": np.exp(rng.normal(10, 2, n)),  # heavy tail for the clip
        "city": rng.choice(["paris", "rome", "oslo"], n).astype(object),
        "member": rng.random(n) < 0.5,
        "grade": pd.Categorical(rng.choice([1, 2, 3], n)),
    })
    X.loc[::7, "age"] = np.nan
    X.loc[::5, "city"] = np.nan
    X.loc[::9, "grade"] = np.nan
    y = np.where(X["member"] ^ (rng.random(n) < 0.2), "yes", "no")
    return X, y


def _small(**params):
    return DFNClassifier((8,), max_iter=5, random_state=0, **params)


@given(st.floats(-1e6, 1e6))
def test_smooth_clip_is_bounded_odd_and_inverts(x):
    f = smooth_clip(np.array([x]))[0]
    assert abs(f) < 3 or np.isclose(abs(f), 3)
    assert smooth_clip(np.array([-x]))[0] == -f
    # closed-form inverse x = f / sqrt(1 - (f/3)^2) recovers moderate inputs
    if abs(x) < 100:
        assert np.isclose(f / np.sqrt(1 - (f / 3) ** 2), x, rtol=1e-9, atol=1e-9)


def test_smooth_clip_values():
    assert np.allclose(smooth_clip([0.0, 3.0, -4.0]), [0.0, 3 / np.sqrt(2), -2.4])
    small = np.linspace(-0.1, 0.1, 11)
    assert np.allclose(smooth_clip(small), small, atol=1e-4)


def test_transform_equals_sklearn_pieces_composed_by_hand():
    X, _ = _table()
    numeric, categorical = ["age", "income"], ["city", "member", "grade"]
    imputed = SimpleImputer(strategy="median", add_indicator=True).fit_transform(
        X[numeric])
    scaled = RobustScaler(unit_variance=True).fit_transform(imputed)
    clipped = scaled / np.sqrt(1 + (scaled / 3) ** 2)
    onehot = OneHotEncoder(sparse_output=False).fit_transform(X[categorical])
    expected = np.hstack([clipped, onehot])
    pipe = make_tabular_pipeline(_small())
    got = pipe.named_steps["columntransformer"].fit_transform(X)
    assert np.allclose(got, expected)
    assert np.abs(got).max() < 3
    names = pipe.named_steps["columntransformer"].get_feature_names_out()
    assert list(names[:3]) == ["age", "income", "missingindicator_age"]
    assert "city_nan" in names and "member_True" in names and "grade_2" in names


def test_default_estimator_and_steps():
    pipe = make_tabular_pipeline()
    assert list(pipe.named_steps) == ["columntransformer", "dfnclassifier"]
    assert pipe.named_steps["dfnclassifier"].get_params()["label_smoothing"] == \
        tabular_defaults()["label_smoothing"]


def test_fits_mixed_dataframe_with_missing_values_and_pickles():
    X, y = _table()
    pipe = make_tabular_pipeline(_small()).fit(X, y)
    assert set(pipe.predict(X)) <= {"yes", "no"}
    clone = pickle.loads(pickle.dumps(pipe))
    assert np.array_equal(clone.predict_proba(X), pipe.predict_proba(X))


def test_string_dtype_with_pd_na():
    X, y = _table()
    X["city"] = X["city"].astype("string")
    assert X["city"].isna().any()
    Xt = make_tabular_pipeline(_small()).fit(X, y)[0].transform(X)
    assert np.isfinite(Xt).all()


def test_unknown_category_at_predict_is_all_zeros():
    X, y = _table()
    pipe = make_tabular_pipeline(_small()).fit(X, y)
    new = X.iloc[:1].copy()
    new["city"] = "lima"
    names = list(pipe[0].get_feature_names_out())
    row = pipe[0].transform(new)[0]
    city = [i for i, n in enumerate(names) if n.startswith("city_")]
    assert np.all(row[city] == 0)
    assert pipe.predict(new).shape == (1,)


def test_all_missing_numeric_column_is_dropped_with_a_warning():
    X, y = _table()
    X["empty"] = np.nan
    with pytest.warns(UserWarning, match="Skipping features without any observed"):
        pipe = make_tabular_pipeline(_small()).fit(X, y)
    assert "empty" not in pipe[0].get_feature_names_out()


def test_one_class_target_raises_the_estimators_error():
    X, _ = _table()
    with pytest.raises(ValueError, match="at least 2 classes"):
        make_tabular_pipeline(_small()).fit(X, np.zeros(len(X)))


@pytest.mark.parametrize("columns", [["city", "member", "grade"], [2, 3, 4]])
def test_explicit_categorical_columns(columns):
    X, y = _table()
    auto = make_tabular_pipeline(_small()).fit(X, y)[0].transform(X)
    listed = make_tabular_pipeline(_small(), categorical=columns).fit(X, y)[0]
    listed = listed.transform(X)
    # the listed columns come first, the numeric remainder after them
    assert np.allclose(np.sort(auto, axis=1), np.sort(listed, axis=1))
    assert listed.shape == auto.shape


def test_listed_numeric_column_is_one_hot_coded():
    X, y = _table()
    Xt = make_tabular_pipeline(_small(), categorical=["city", "member", "grade", "age"]
                               ).fit(X, y)[0].transform(X)
    assert Xt.shape[1] > 60  # age's distinct values become columns


@pytest.mark.parametrize("bad", [["city", 1], [1.5], [True]])
def test_bad_categorical_raises(bad):
    with pytest.raises(ValueError, match="categorical must be 'auto' or a list"):
        make_tabular_pipeline(categorical=bad)


def test_bad_estimator_raises():
    with pytest.raises(ValueError, match="'estimator' parameter of make_tabular"):
        make_tabular_pipeline(estimator="mlp")


def test_unknown_column_name_raises_at_fit():
    X, y = _table()
    with pytest.raises(ValueError, match="not columns of the dataframe"):
        make_tabular_pipeline(_small(), categorical=["nope"]).fit(X, y)


def test_numpy_arrays_numeric_and_object():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    X[0, 1] = np.nan
    y = (X[:, 0] > 0).astype(int)
    pipe = make_tabular_pipeline(LogisticRegression()).fit(X, y)
    assert pipe[0].transform(X).shape == (40, 4)  # 3 scaled + 1 missing indicator
    words = rng.choice(["a", "b"], size=(40, 2)).astype(object)
    assert make_tabular_pipeline(LogisticRegression()).fit(words, y)[0].transform(
        words).shape == (40, 4)


def test_regressor_works_the_same_way():
    X, _ = _table()
    y = np.nan_to_num(X["age"].to_numpy()) / 10
    regressor = DFNRegressor((8,), max_iter=5, random_state=0)
    pipe = make_tabular_pipeline(regressor).fit(X, y)
    assert pipe.predict(X).shape == (len(X),)


def test_grid_search_over_pipeline_parameters():
    X, y = _table()
    search = GridSearchCV(make_tabular_pipeline(_small()),
                          {"dfnclassifier__alpha": [1e-4, 1e-1]}, cv=2).fit(X, y)
    assert sorted(search.best_params_) == ["dfnclassifier__alpha"]


def test_defaults_fit_without_convergence_warning():
    X, y = _table(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_tabular_pipeline().fit(X, y)


def test_all_missing_categorical_column_is_one_constant_column():
    X, y = _table()
    X["note"] = pd.Series([None] * len(X), dtype=object)
    pipe = make_tabular_pipeline(_small()).fit(X, y)
    names = list(pipe[0].get_feature_names_out())
    note = [i for i, n in enumerate(names) if n.startswith("note_")]
    assert len(note) == 1
    assert np.all(pipe[0].transform(X)[:, note] == 1)
