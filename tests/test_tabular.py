"""make_tabular_pipeline: sklearn's transformers composed for real tables."""

import math
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import OneHotEncoder, RobustScaler, StandardScaler

from skreg import (DFNClassifier, DFNRegressor, cocktail_candidates,
                   make_tabular_pipeline)
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


def _by_hand(X, numeric, categorical, n_bins):
    imputed = SimpleImputer(strategy="median", add_indicator=True).fit_transform(
        X[numeric])
    scaled = RobustScaler(unit_variance=True).fit_transform(imputed)
    blocks = [scaled / np.sqrt(1 + (scaled / 3) ** 2)]
    for column in imputed.T:  # the piecewise-linear encoding, bin by bin
        edges = np.unique(np.quantile(column, np.linspace(0, 1, n_bins + 1),
                                      method="inverted_cdf"))
        if len(edges) >= 3:
            blocks += [np.clip((column - lo) / (hi - lo), 0, 1)[:, None]
                       for lo, hi in zip(edges[:-1], edges[1:])]
    blocks.append(OneHotEncoder(sparse_output=False).fit_transform(X[categorical]))
    return np.hstack(blocks)


@pytest.mark.parametrize("n_bins", [None, 4])
def test_transform_equals_sklearn_pieces_composed_by_hand(n_bins):
    X, _ = _table()
    expected = _by_hand(X, ["age", "income"], ["city", "member", "grade"],
                        n_bins or 1)
    pipe = make_tabular_pipeline(_small(), n_bins=n_bins)
    got = pipe.named_steps["columntransformer"].fit_transform(X)
    assert np.allclose(got, expected)
    assert np.abs(got).max() < 3
    names = pipe.named_steps["columntransformer"].get_feature_names_out()
    assert list(names[:3]) == ["age", "income", "missingindicator_age"]
    assert ("age_bin3" in names) == (n_bins == 4)
    assert "missingindicator_age_bin0" not in names  # a 0/1 column is not binned
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
    assert np.allclose(np.sort(auto, axis=1), np.sort(listed, axis=1))
    assert listed.shape == auto.shape


def test_listed_numeric_column_is_categorical():
    X, y = _table()
    listed = ["city", "member", "grade", "age"]
    onehot = make_tabular_pipeline(_small(), categorical=listed,
                                   max_onehot_categories=None).fit(X, y)[0]
    assert onehot.transform(X).shape[1] > 50  # age's distinct values become columns
    # 52 distinct ages (with missing) are more than 40: one target-encoded column
    target = make_tabular_pipeline(_small(), categorical=listed).fit(X, y)[0]
    assert "age" in target.get_feature_names_out()
    assert not any(n.startswith("age_") for n in target.get_feature_names_out())


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


_NOT_NUMBERS = {
    "datetime64": lambda n: pd.date_range("2020-01-01", periods=n),
    "datetime64[ns, UTC]": lambda n: pd.date_range("2020-01-01", periods=n, tz="UTC"),
    "timedelta64": lambda n: pd.to_timedelta(np.arange(n), unit="D"),
    "period[M]": lambda n: pd.period_range("2020-01", periods=n, freq="M"),
    "interval": lambda n: pd.interval_range(0, n),
    "complex128": lambda n: np.arange(n) + 1j,
}


@pytest.mark.parametrize("dtype", list(_NOT_NUMBERS))
def test_dates_and_other_non_numbers_raise_naming_the_column(dtype):
    """The median imputer would fail with numpy's type-promotion error; the
    pipeline names the column and says what to do, before fitting anything."""
    X, y = _table()
    X["signup"] = _NOT_NUMBERS[dtype](len(X))
    pipe = make_tabular_pipeline(_small())
    with pytest.raises(ValueError, match=r"Column 'signup' has dtype "
                       rf"{dtype.split('[')[0]}.*Convert dates and durations"):
        pipe.fit(X, y)
    assert not hasattr(pipe[-1], "coefs_")
    make_tabular_pipeline(_small()).fit(X.drop(columns="signup"), y)  # the rest is fine


def test_a_date_array_raises():
    dates = np.arange("2020-01-01", "2020-03-01", dtype="datetime64[D]").reshape(-1, 2)
    with pytest.raises(ValueError, match="The array has dtype datetime64"):
        make_tabular_pipeline(_small()).fit(dates, np.arange(len(dates)) % 2)


@pytest.mark.parametrize("value", [np.inf, -np.inf])
def test_infinite_numbers_raise_naming_the_column_at_fit_and_predict(value):
    """The imputer would say "Input X contains infinity" without naming the
    column; a missing value, unlike an infinite one, is imputed."""
    X, y = _table()
    X.loc[3, "income"] = value
    pipe = make_tabular_pipeline(_small())
    with pytest.raises(ValueError, match=r"Column\(s\) 'income' hold infinite values"):
        pipe.fit(X, y)
    X.loc[3, "income"] = np.nan
    pipe.fit(X, y)
    X.loc[5, "age"] = value
    with pytest.raises(ValueError, match=r"Column\(s\) 'age' hold infinite"):
        pipe.predict(X)


def test_infinite_numbers_in_an_array_raise():
    X = np.random.default_rng(0).normal(size=(20, 3))
    X[4, 1] = np.inf
    with pytest.raises(ValueError, match=r"1 numeric column\(s\) hold infinite"):
        make_tabular_pipeline(_small()).fit(X, np.arange(20) % 2)


def test_strings_mixed_with_numbers_raise_naming_the_column():
    """scikit-learn's encoders sort the categories and fail on str < int
    without naming the column; numbers of both kinds, and a missing value
    among strings, are fine."""
    X, y = _table()
    X["code"] = pd.Series(["a", 1, 2.5] * (len(X) // 3), dtype=object)
    with pytest.raises(ValueError, match=r"Column 'code' mixes values of types "
                       r"float, int, str.*pd.to_numeric\(X\['code'\]"):
        make_tabular_pipeline(_small()).fit(X, y)
    pipe = make_tabular_pipeline(_small()).fit(X.assign(code=X["code"].astype(str)), y)
    with pytest.raises(ValueError, match="Column 'code' mixes"):
        pipe.predict(X)
    ints_and_floats = pd.Series([1, 2.5, None] * (len(X) // 3), dtype=object)
    make_tabular_pipeline(_small()).fit(X.assign(code=ints_and_floats), y)


def test_strings_in_a_numeric_column_keep_the_imputers_error():
    X, y = _table()
    with pytest.raises(ValueError, match="Cannot use median strategy with non-numeric"):
        make_tabular_pipeline(_small(), categorical=["member"]).fit(X, y)


def test_nullable_extension_dtypes_are_accepted():
    """pandas' nullable integer, float and boolean columns are numbers or
    categories, not refused like dates."""
    X, y = _table()
    X["count"] = pd.array(np.arange(len(X)) % 4, dtype="Int64")
    X.loc[::4, "count"] = pd.NA
    X["share"] = pd.array(np.linspace(0, 1, len(X)), dtype="Float64")
    X["flag"] = pd.array(np.arange(len(X)) % 3 == 0, dtype="boolean")
    names = make_tabular_pipeline(_small()).fit(X, y)[0].get_feature_names_out()
    assert {"count", "share", "flag_True"} <= set(names)


def test_numpy_arrays_numeric_and_object():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    X[0, 1] = np.nan
    y = (X[:, 0] > 0).astype(int)
    pipe = make_tabular_pipeline(LogisticRegression(), n_bins=None).fit(X, y)
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


def _recipe(network):
    return make_tabular_pipeline(TransformedTargetRegressor(
        network, transformer=StandardScaler()))


def _task(network):
    return make_tabular_pipeline(task="regression").set_params(
        **{f"transformedtargetregressor__regressor__{k}": v
           for k, v in network.get_params().items()})


@settings(max_examples=10, deadline=None)
@given(scale=st.floats(1e-2, 1e3), shift=st.floats(-1e4, 1e4),
       build=st.sampled_from([_recipe, _task]))
def test_standardized_target_is_equivariant_to_the_targets_units(scale, shift, build):
    """The docs' regression recipe and ``task="regression"``: the network
    inside TransformedTargetRegressor sees the standardized target whatever
    its units, so fitting ``scale * y + shift`` predicts
    ``scale * prediction + shift``."""
    X, _ = _table()
    y = np.nan_to_num(X["age"].to_numpy()) / 10

    def fitted(target):
        network = DFNRegressor((8,), max_iter=5, random_state=0, dtype=np.float64)
        return build(network).fit(X, target).predict(X)

    np.testing.assert_allclose(fitted(scale * y + shift), scale * fitted(y) + shift,
                               rtol=1e-6, atol=1e-6 * (scale + abs(shift)))


def test_regression_task_is_the_standardized_target_recipe_with_the_defaults():
    from sklearn.base import is_regressor

    pipe = make_tabular_pipeline(task="regression")
    assert list(pipe.named_steps) == ["columntransformer", "transformedtargetregressor"]
    assert is_regressor(pipe)
    step = pipe.named_steps["transformedtargetregressor"]
    assert isinstance(step.transformer, StandardScaler)
    assert isinstance(step.regressor, DFNRegressor)
    network = step.regressor.get_params()
    assert {k: network[k] for k in tabular_defaults("regression")} == \
        tabular_defaults("regression")
    # the network is fitted to the standardized target
    X, _ = _table()
    y = 1000 + 50 * np.nan_to_num(X["age"].to_numpy())
    pipe.set_params(transformedtargetregressor__regressor__max_iter=5,
                    transformedtargetregressor__regressor__random_state=0).fit(X, y)
    scaler = pipe[-1].transformer_
    np.testing.assert_allclose([scaler.mean_[0], scaler.scale_[0]], [y.mean(), y.std()])


def test_regression_defaults_are_the_classifiers_without_smoothing():
    classification = tabular_defaults()
    regression = tabular_defaults("regression")
    assert "label_smoothing" not in regression
    assert regression["weight_averaging"] == (0.75, 1.5)
    assert regression == {k: v for k, v in classification.items()
                          if k != "label_smoothing"}
    assert tabular_defaults("classification") == classification
    DFNRegressor(**regression)._validate_params()


def test_regression_task_searches_the_cocktail():
    X, _ = _table()
    y = np.nan_to_num(X["age"].to_numpy()) / 10
    pipe = make_tabular_pipeline(task="regression").set_params(
        transformedtargetregressor__regressor__max_iter=5,
        transformedtargetregressor__regressor__random_state=0)
    grid = cocktail_candidates(2, task="regression", random_state=0)
    search = GridSearchCV(pipe, grid, cv=2).fit(X, y)
    assert search.predict(X).shape == (len(X),)


def test_task_and_an_estimator_together_raise():
    with pytest.raises(ValueError,
                       match="task='regression' chooses the default network"):
        make_tabular_pipeline(DFNRegressor(), task="regression")


@pytest.mark.parametrize("call, match", [
    (lambda: make_tabular_pipeline(task="ranking"),
     "'task' parameter of make_tabular_pipeline"),
    (lambda: tabular_defaults("ranking"), "'task' parameter of tabular_defaults"),
])
def test_bad_task_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_grid_search_over_pipeline_parameters():
    X, y = _table()
    search = GridSearchCV(make_tabular_pipeline(_small()),
                          {"dfnclassifier__alpha": [1e-4, 1e-1]}, cv=2).fit(X, y)
    assert sorted(search.best_params_) == ["dfnclassifier__alpha"]


def test_average_of_default_networks_is_a_proba_mean_no_worse_than_its_members():
    """The docs' use of a larger budget: BaggingClassifier(bootstrap=False)
    of the default network, each member on every row with its own seed
    (chapter 7.11). Cross-entropy is convex in the probabilities, so the
    average's log-loss is at most its members' mean log-loss (Jensen)."""
    from sklearn.ensemble import BaggingClassifier

    X, y = _table(120)
    member = DFNClassifier(**{**tabular_defaults(), "max_iter": 20})
    pipe = make_tabular_pipeline(BaggingClassifier(
        member, n_estimators=3, bootstrap=False, random_state=0)).fit(X, y)
    bag, Xt = pipe[-1], pipe[0].transform(X)
    seeds = [m.random_state for m in bag.estimators_]
    assert len(set(seeds)) == 3
    assert all(len(rows) == len(X) for rows in bag.estimators_samples_)
    probas = np.stack([m.predict_proba(Xt) for m in bag.estimators_])
    assert not np.allclose(probas[0], probas[1])  # the seeds give other nets
    np.testing.assert_allclose(pipe.predict_proba(X), probas.mean(0), rtol=1e-6)
    rows, truth = np.arange(len(y)), np.searchsorted(bag.classes_, y)
    members = -np.log(probas[:, rows, truth]).mean()
    assert -np.log(pipe.predict_proba(X)[rows, truth]).mean() <= members + 1e-6


def test_defaults_fit_without_convergence_warning():
    X, y = _table(200)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        make_tabular_pipeline().fit(X, y)


def test_default_network_retrains_on_every_row_for_the_epochs_chosen():
    """The defaults' algorithm 7.2: after early stopping on 85% of the rows,
    the network is trained again from its initial weights on all of them,
    validation rows included, for 1.5 times ``best_epoch_`` epochs (its
    weights averaged after 0.75 times it); so its weights are not the
    early-stopped ones."""
    X, y = _table(200)
    net = make_tabular_pipeline(DFNClassifier(**tabular_defaults(), random_state=0)
                                ).fit(X, y)[-1]
    stopped_params = {**tabular_defaults(), "refit_strategy": None,
                      "weight_averaging": None}
    stopped = make_tabular_pipeline(DFNClassifier(**stopped_params, random_state=0)
                                    ).fit(X, y)[-1]
    n_val = int(np.ceil(0.15 * len(X)))
    assert net.best_epoch_ == stopped.best_epoch_
    assert net.refit_n_iter_ == math.ceil(1.5 * net.best_epoch_)
    assert net.t_ == net.n_iter_ * (len(X) - n_val) + net.refit_n_iter_ * len(X)
    assert not np.allclose(net.coefs_[0], stopped.coefs_[0])


def test_default_regressor_averages_its_retraining_without_warning():
    """The regression defaults take the same retraining and weight averaging:
    1.5 times ``best_epoch_`` epochs on every row, with no setting ignored."""
    X, _ = _table(200)
    y = np.nan_to_num(X["age"].to_numpy()) / 10
    pipe = make_tabular_pipeline(task="regression").set_params(
        transformedtargetregressor__regressor__random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = pipe.fit(X, y)[-1].regressor_
    assert net.refit_n_iter_ == math.ceil(1.5 * net.best_epoch_)


def test_all_missing_categorical_column_is_one_constant_column():
    X, y = _table()
    X["note"] = pd.Series([None] * len(X), dtype=object)
    pipe = make_tabular_pipeline(_small()).fit(X, y)
    names = list(pipe[0].get_feature_names_out())
    note = [i for i, n in enumerate(names) if n.startswith("note_")]
    assert len(note) == 1
    assert np.all(pipe[0].transform(X)[:, note] == 1)


def _zip_table(n_zips, n=400, seed=0):
    """A table whose target follows a high-cardinality category."""
    rng = np.random.default_rng(seed)
    zips = np.array([f"z{k:03d}" for k in range(n_zips)], dtype=object)
    rate = rng.random(n_zips)
    X = pd.DataFrame({"zip": rng.choice(zips, n), "x": rng.normal(size=n)})
    y = np.where(rng.random(n) < rate[X["zip"].str[1:].astype(int)], "yes", "no")
    return X, y


@pytest.mark.parametrize("n_zips, encoded", [(40, "onehot"), (41, "target")])
def test_categories_above_the_threshold_are_target_encoded(n_zips, encoded):
    X, y = _zip_table(n_zips)
    assert X["zip"].nunique() == n_zips
    transformer = make_tabular_pipeline(_small()).fit(X, y)[0]
    columns = {name: list(cols) for name, _, cols in transformer.transformers_}
    assert columns[encoded] == [0] and columns["numeric"] == [1]  # zip, x
    names = list(transformer.get_feature_names_out())
    assert ("zip" in names) == (encoded == "target")
    assert sum(n.startswith("zip_") for n in names) == (n_zips if encoded == "onehot" else 0)


def test_target_encoding_is_sklearns_with_shuffled_stratified_folds():
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import TargetEncoder

    X, y = _zip_table(60)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    expected = TargetEncoder(cv=folds).fit_transform(X[["zip"]], y)  # cross-fitted
    pipe = make_tabular_pipeline(_small(), n_bins=None)
    got = pipe[0].fit_transform(X, y)
    assert np.allclose(got[:, -1], expected[:, 0])
    assert np.array_equal(pipe[0].fit_transform(X, y), got)  # the same every fit
    # at predict time: the encoder fitted on all rows, no cross-fitting
    refit = TargetEncoder(cv=folds).fit(X[["zip"]], y)
    assert np.allclose(pipe[0].transform(X)[:, -1], refit.transform(X[["zip"]])[:, 0])


def test_regressor_target_encoding_uses_plain_folds():
    from sklearn.model_selection import KFold

    X, _ = _zip_table(60)
    y = np.random.default_rng(1).normal(size=len(X))
    encoder = make_tabular_pipeline(DFNRegressor((4,), max_iter=2)).fit(X, y)[0]
    assert isinstance(encoder.named_transformers_["target"][-1].cv, KFold)


def test_a_target_of_several_columns_cannot_be_target_encoded():
    X, _ = _zip_table(60)
    Y = np.random.default_rng(1).normal(size=(len(X), 2))
    regressor = DFNRegressor((4,), max_iter=2, random_state=0)
    with pytest.raises(ValueError, match="'zip': more distinct values than "
                       "max_onehot_categories, so target-encoded, which needs a "
                       "single target, and y has 2 columns"):
        make_tabular_pipeline(regressor).fit(X, Y)
    onehot = make_tabular_pipeline(regressor, max_onehot_categories=None).fit(X, Y)
    assert onehot.predict(X).shape == (len(X), 2)


def test_the_target_branch_passes_its_columns_through_to_sklearns_encoder():
    from sklearn.preprocessing import TargetEncoder

    X, y = _zip_table(60)
    branch = make_tabular_pipeline(_small()).fit(X, y)[0].named_transformers_["target"]
    np.testing.assert_array_equal(branch[0].transform(X[["zip"]]), X[["zip"]])
    assert list(branch[0].get_feature_names_out()) == ["zip"]
    assert isinstance(branch[-1], TargetEncoder)


def test_unseen_high_cardinality_category_gets_the_target_mean():
    X, y = _zip_table(60)
    pipe = make_tabular_pipeline(_small()).fit(X, y)
    new = X.iloc[:1].copy()
    new["zip"] = "never-seen"
    encoder = pipe[0].named_transformers_["target"][-1]
    names = list(pipe[0].get_feature_names_out())
    assert pipe[0].transform(new)[0, names.index("zip")] == pytest.approx(
        encoder.target_mean_)
    assert pipe.predict(new).shape == (1,)


def test_multiclass_target_encoding_has_a_column_per_class():
    X, _ = _zip_table(60)
    y = np.random.default_rng(2).choice(["a", "b", "c"], len(X))
    names = make_tabular_pipeline(_small()).fit(X, y)[0].get_feature_names_out()
    assert [n for n in names if n.startswith("zip")] == ["zip_a", "zip_b", "zip_c"]


def test_threshold_none_one_hot_codes_every_category():
    X, y = _zip_table(60)
    names = make_tabular_pipeline(_small(), max_onehot_categories=None).fit(
        X, y)[0].get_feature_names_out()
    assert sum(n.startswith("zip_") for n in names) == 60


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_bins=1), "'n_bins' parameter of make_tabular_pipeline"),
    (dict(n_bins=2.5), "'n_bins' parameter of make_tabular_pipeline"),
    (dict(max_onehot_categories=0),
     "'max_onehot_categories' parameter of make_tabular_pipeline"),
])
def test_bad_encoding_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_tabular_pipeline(**kwargs)


def test_integer_column_names_are_not_read_as_positions():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({5: rng.normal(size=60), 7: rng.choice(["a", "b"], 60),
                      9: rng.normal(size=60)})
    y = X[5] > 0
    auto = make_tabular_pipeline(LogisticRegression(), n_bins=None).fit(X, y)[0]
    listed = make_tabular_pipeline(LogisticRegression(), n_bins=None,
                                   categorical=[1]).fit(X, y)[0]  # a position
    expected = np.c_[RobustScaler(unit_variance=True).fit_transform(X[[5, 9]]),
                     X[7] == "a", X[7] == "b"]
    expected[:, :2] = smooth_clip(expected[:, :2])
    for transformer in (auto, listed):
        assert np.allclose(transformer.transform(X), expected)


@pytest.mark.parametrize("categorical", [[3], [-4], [0, 5]])
def test_column_index_outside_the_table_raises(categorical):
    X = np.random.default_rng(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="categorical lists column indices .* but X "
                                         "has 3 columns"):
        make_tabular_pipeline(_small(), categorical=categorical).fit(X, X[:, 0] > 0)


def test_column_names_for_an_array_raise():
    X = np.random.default_rng(0).normal(size=(20, 2))
    with pytest.raises(ValueError, match="lists column names, which needs a DataFrame"):
        make_tabular_pipeline(_small(), categorical=["a"]).fit(X, X[:, 0] > 0)
