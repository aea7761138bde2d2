"""DFNs wherever a scikit-learn user puts an estimator: pipelines, column
transformers, searches (incl. nested parameters and n_jobs without BLAS
oversubscription), ensembles, calibration, self-training, model-selection
helpers, persistence, feature names, memory-mapped input and threads.

All on sklearn's digits (X / 16 as float32) with small, short networks.
"""

import os
import pickle
import tracemalloc
import warnings
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy.stats import loguniform
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import BaggingClassifier, StackingClassifier, VotingClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    cross_validate,
    learning_curve,
)
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier
from threadpoolctl import threadpool_info

from skreg import DFNClassifier, EarlyStopping, ImageAugmenter
from skreg.penalties import ElasticNet

# short fits on purpose: max_iter is reached and sklearn-style estimators warn
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CV = StratifiedKFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def frame(data):
    """The same data as pandas DataFrames with named pixel columns."""
    X, y, Xt, yt = data
    cols = [f"px{r}{c}" for r in range(8) for c in range(8)]
    return pd.DataFrame(X, columns=cols), y, pd.DataFrame(Xt, columns=cols), yt


def dfn(**params):
    """A small, fast network (~20 ms per fit on 1,200 digits)."""
    kw = dict(hidden_layer_sizes=(32,), max_iter=20, learning_rate_init=0.01,
              random_state=0)
    kw.update(params)
    return DFNClassifier(**kw)


# ---- pipelines --------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: make_pipeline(StandardScaler(), dfn()),
    lambda: Pipeline([("scale", MinMaxScaler()), ("net", dfn())]),
], ids=["make_pipeline+StandardScaler", "Pipeline+MinMaxScaler"])
def test_pipeline_with_scaler(data, make):
    X, y, Xt, yt = data
    pipe = make().fit(X, y)
    assert pipe.score(Xt, yt) > 0.85
    proba = pipe.predict_proba(Xt)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    # a pipeline's parameters reach the network
    step = pipe.steps[-1][0]
    pipe.set_params(**{f"{step}__alpha": 0.5})
    assert pipe.steps[-1][1].alpha == 0.5


def test_column_transformer_on_dataframe(frame):
    X, y, Xt, yt = frame
    X, Xt = X.copy(), Xt.copy()
    # a categorical column next to the pixels: ink in the top half or not
    top = [c for c in X.columns if c[2] in "0123"]
    for df in (X, Xt):
        df["top_ink"] = np.where(df[top].sum(axis=1) > 8, "heavy", "light")
    pixels = [c for c in X.columns if c.startswith("px")]
    onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    pre = ColumnTransformer([("px", StandardScaler(), pixels),
                             ("cat", onehot, ["top_ink"])])
    pipe = make_pipeline(pre, dfn()).fit(X, y)
    assert list(pipe.feature_names_in_) == list(X.columns)
    net = pipe[-1]
    assert net.n_features_in_ == 64 + 2
    assert pipe.score(Xt, yt) > 0.85

    # with pandas output the network itself sees (and records) the names
    pre_pd = clone(pre).set_output(transform="pandas")
    pipe_pd = make_pipeline(pre_pd, dfn()).fit(X, y)
    np.testing.assert_array_equal(pipe_pd[-1].feature_names_in_,
                                  pipe_pd[0].get_feature_names_out())
    np.testing.assert_array_equal(pipe_pd.predict(Xt), pipe.predict(Xt))


# ---- searches ---------------------------------------------------------------
def _check_search(search, n_candidates):
    res = search.cv_results_
    assert len(res["params"]) == n_candidates
    scores = res["mean_test_score"]
    assert np.all(np.isfinite(scores)) and scores.max() > 0.85
    best = search.best_estimator_.get_params()
    for name, value in search.best_params_.items():
        if hasattr(value, "get_params"):  # the search clones parameter objects
            assert type(best[name]) is type(value)
        else:
            assert best[name] == value
    return res


def test_grid_search_plain_parameters(data):
    X, y, Xt, yt = data
    grid = [
        {"penalty": [None, "l2", "l1"], "alpha": [1e-4, 1e-2]},
        {"hidden_layer_sizes": [(16,), (32, 16)],
         "early_stopping": [False, True, "gl"]},
    ]
    search = GridSearchCV(dfn(), grid, cv=CV).fit(X, y)
    _check_search(search, 6 + 6)
    assert search.score(Xt, yt) > 0.85


def test_grid_search_nested_parameters(data):
    X, y, _, _ = data
    grid = [
        {"penalty": [ElasticNet()], "alpha": [1e-3],
         "penalty__l1_ratio": [0.0, 0.5, 1.0]},
        {"early_stopping": [EarlyStopping(criterion="gl")],
         "early_stopping__threshold": [0.1, 50.0], "max_iter": [60]},
    ]
    search = GridSearchCV(dfn(), grid, cv=CV).fit(X, y)
    res = _check_search(search, 3 + 2)
    # the search worked on clones: the grid's own objects are left untouched
    assert grid[0]["penalty"][0].l1_ratio == 0.5
    assert grid[1]["early_stopping"][0].threshold is None
    # each candidate gets its nested value the way the search sets it
    for params in res["params"]:
        est = clone(dfn()).set_params(**clone(params, safe=False))
        if "penalty__l1_ratio" in params:
            assert isinstance(est.penalty, ElasticNet)
            assert est.penalty.l1_ratio == params["penalty__l1_ratio"]
        else:
            assert est.early_stopping.criterion == "gl"
            assert est.early_stopping.threshold == params["early_stopping__threshold"]
    assert grid[0]["penalty"][0].l1_ratio == 0.5


def test_nested_parameters_change_the_fit(data):
    """What a search sets through ``penalty__l1_ratio`` and
    ``early_stopping__threshold`` changes the trained network."""
    X, y, _, _ = data
    base = dfn(penalty=ElasticNet(), alpha=5.0)
    lasso = clone(base).set_params(penalty__l1_ratio=1.0).fit(X, y)
    ridge = clone(base).set_params(penalty__l1_ratio=0.0).fit(X, y)
    zeros = lambda m: sum(int((c == 0).sum()) for c in m.coefs_)  # noqa: E731
    assert zeros(lasso) > 100 and zeros(ridge) == 0

    base = dfn(early_stopping=EarlyStopping(criterion="gl"), max_iter=200)
    eager = clone(base).set_params(early_stopping__threshold=0.01).fit(X, y)
    patient = clone(base).set_params(early_stopping__threshold=1e6).fit(X, y)
    assert eager.stopped_epoch_ is not None
    assert eager.n_iter_ < patient.n_iter_


def test_randomized_search(data):
    X, y, Xt, yt = data
    dist = {"penalty": [None, "l2", "l1", ElasticNet(0.3)],
            "alpha": loguniform(1e-5, 1e-1),
            "hidden_layer_sizes": [(16,), (32,), (24, 12)],
            "early_stopping": [False, "patience", EarlyStopping("gl", threshold=10.0)]}
    search = RandomizedSearchCV(dfn(), dist, n_iter=8, cv=CV, random_state=0).fit(X, y)
    _check_search(search, 8)
    assert search.score(Xt, yt) > 0.85


def test_grid_search_dropout_keep(data):
    if "dropout_keep" not in DFNClassifier().get_params():
        pytest.skip("dropout_keep is not a DFNClassifier parameter yet (being added)")
    X, y, Xt, yt = data
    grid = {"dropout_keep": [1.0, 0.8, (0.9, 0.5)], "hidden_layer_sizes": [(32,)]}
    search = GridSearchCV(dfn(max_iter=30), grid, cv=CV).fit(X, y)
    _check_search(search, 3)
    assert search.score(Xt, yt) > 0.85


def _blas_threads():
    """Threads of every BLAS thread pool loaded in this process."""
    import numpy  # noqa: F401  (make sure the BLAS is loaded)

    return sorted({pool["num_threads"] for pool in threadpool_info()
                   if pool["user_api"] == "blas"})


def _blas_scorer(estimator, X, y):
    """A scorer (runs where the candidate was fitted) reporting BLAS threads."""
    return float(max(_blas_threads()))


_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                "BLIS_NUM_THREADS")


@pytest.mark.skipif(any(v in os.environ for v in _THREAD_VARS),
                    reason="a *_NUM_THREADS variable is set; joblib then passes it "
                           "to its workers instead of cores // n_jobs")
def test_n_jobs_no_blas_oversubscription(data):
    X, y, _, _ = data
    expected = max(joblib.cpu_count() // 2, 1)
    parent = _blas_threads()
    # loky (joblib's default backend) limits BLAS in each of 2 workers to
    # cores // 2 threads
    workers = joblib.Parallel(n_jobs=2)(
        joblib.delayed(_blas_threads)() for _ in range(4))
    assert workers == [[expected]] * 4
    # the same inside a real search with n_jobs=2: the scorer runs in the
    # worker that fitted the candidate
    search = GridSearchCV(dfn(), {"alpha": [1e-4, 1e-2]}, cv=CV, n_jobs=2,
                          scoring={"accuracy": "accuracy", "blas": _blas_scorer},
                          refit="accuracy").fit(X, y)
    assert search.cv_results_["mean_test_accuracy"].min() > 0.85
    np.testing.assert_array_equal(search.cv_results_["mean_test_blas"], expected)
    assert _blas_threads() == parent  # the parent's own pool is untouched


# ---- ensembles and meta-estimators -----------------------------------------
@pytest.mark.filterwarnings("ignore:Some inputs do not have OOB scores")
@pytest.mark.filterwarnings("ignore:invalid value encountered in divide")
def test_bagging(data):
    X, y, Xt, yt = data
    bag = BaggingClassifier(dfn(random_state=None), n_estimators=5, n_jobs=2,
                            oob_score=True, random_state=0).fit(X, y)
    members = bag.estimators_
    seeds = [m.random_state for m in members]
    assert len(set(seeds)) == 5  # drawn by the bagging from its random_state
    for a, b in zip(members, members[1:]):
        assert not np.array_equal(a.coefs_[0], b.coefs_[0])
    # soft voting: the mean of the members' predict_proba
    mean = np.mean([m.predict_proba(Xt[:, f]) for m, f in
                    zip(members, bag.estimators_features_)], axis=0)
    np.testing.assert_allclose(bag.predict_proba(Xt), mean, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(bag.predict(Xt), bag.classes_[mean.argmax(axis=1)])
    assert 0.8 < bag.oob_score_ <= 1.0
    # with 5 members some rows are in every bag: sklearn gives them NaN rows
    oob = bag.oob_decision_function_
    assert oob.shape == (len(X), 10)
    seen = ~np.isnan(oob).any(axis=1)
    assert seen.mean() > 0.8
    np.testing.assert_allclose(oob[seen].sum(axis=1), 1.0, rtol=1e-5)
    assert bag.score(Xt, yt) > 0.85
    # the same seeds give the same ensemble
    again = BaggingClassifier(dfn(random_state=None), n_estimators=5, n_jobs=2,
                              oob_score=True, random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(Xt), bag.predict_proba(Xt))


def test_voting_soft(data):
    X, y, Xt, yt = data
    vote = VotingClassifier([("relu", dfn()), ("tanh", dfn(activation="tanh")),
                             ("l1", dfn(penalty="l1", alpha=1e-3))],
                            voting="soft").fit(X, y)
    mean = np.mean([e.predict_proba(Xt) for e in vote.estimators_], axis=0)
    np.testing.assert_allclose(vote.predict_proba(Xt), mean, rtol=1e-6)
    assert vote.score(Xt, yt) > 0.85


def test_stacking(data):
    X, y, Xt, yt = data
    stack = StackingClassifier([("a", dfn()), ("b", dfn(hidden_layer_sizes=(16,)))],
                               final_estimator=LogisticRegression(max_iter=500),
                               cv=CV).fit(X, y)
    assert stack.transform(Xt).shape == (len(Xt), 2 * 10)  # predict_proba of each
    assert stack.score(Xt, yt) > 0.85


@pytest.mark.parametrize("method", ["sigmoid", "isotonic"])
def test_calibrated(data, method):
    X, y, Xt, yt = data
    cal = CalibratedClassifierCV(dfn(), method=method, cv=CV).fit(X, y)
    proba = cal.predict_proba(Xt)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert len(cal.calibrated_classifiers_) == 3
    assert cal.score(Xt, yt) > 0.85


def test_self_training(data):
    X, y, Xt, yt = data
    rng = np.random.default_rng(0)
    y_partial = y.copy()
    y_partial[rng.random(len(y)) < 0.7] = -1  # sklearn's "unlabeled"
    st = SelfTrainingClassifier(dfn(), threshold=0.9, max_iter=3).fit(X, y_partial)
    np.testing.assert_array_equal(st.classes_, np.arange(10))  # -1 is no class
    assert (st.labeled_iter_ > 0).sum() > 0  # pseudo-labels were added
    assert (st.transduction_ != -1).sum() > (y_partial != -1).sum()
    assert st.score(Xt, yt) > 0.8


def test_cross_validate(data):
    X, y, _, _ = data
    res = cross_validate(dfn(), X, y, cv=CV, scoring=["accuracy", "neg_log_loss"],
                         return_estimator=True, return_train_score=True)
    assert res["test_accuracy"].min() > 0.85
    assert np.all(res["test_neg_log_loss"] < 0)
    assert len({id(e) for e in res["estimator"]}) == 3
    assert all(hasattr(e, "coefs_") for e in res["estimator"])


def test_learning_curve(data):
    X, y, _, _ = data
    sizes, train, test = learning_curve(dfn(), X, y, train_sizes=[0.25, 1.0], cv=CV)
    assert list(sizes) == [200, 800]
    assert test.shape == (2, 3) and np.all(np.isfinite(test))
    assert test[1].mean() > test[0].mean() and test[1].mean() > 0.85


def test_permutation_importance(data):
    X, y, Xt, yt = data
    clf = dfn().fit(X, y)
    result = permutation_importance(clf, Xt, yt, n_repeats=3, random_state=0)
    imp = result.importances_mean
    assert imp.shape == (64,)
    blank = np.ptp(Xt, axis=0) == 0  # e.g. the corner pixel: always 0
    assert blank.any()
    np.testing.assert_array_equal(imp[blank], 0.0)
    assert imp.max() > 0.01


# ---- persistence -----------------------------------------------------------
def _weights_nbytes(clf):
    return sum(a.nbytes for a in [*clf.coefs_, *clf.intercepts_])


@pytest.mark.parametrize("via", ["pickle", "joblib"])
def test_round_trip(data, tmp_path, via):
    X, y, Xt, _ = data
    clf = dfn(early_stopping=True).fit(X, y)
    if via == "pickle":
        back = pickle.loads(pickle.dumps(clf))
    else:
        joblib.dump(clf, tmp_path / "model.joblib")
        back = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(back.predict_proba(Xt), clf.predict_proba(Xt))
    np.testing.assert_array_equal(back.predict(Xt), clf.predict(Xt))
    assert back.get_params() == clf.get_params()
    # the optimizer and random state travel too: training continues identically
    # (partial_fit refuses early_stopping, as MLPClassifier: switched off)
    for est in (clf, back):
        est.set_params(early_stopping=False).partial_fit(X, y)
    for a, b in zip(clf.coefs_ + clf.intercepts_, back.coefs_ + back.intercepts_):
        np.testing.assert_array_equal(a, b)


def test_pickled_size_is_weights_plus_optimizer(data):
    X, y, _, _ = data
    clf = dfn(hidden_layer_sizes=(128,), max_iter=5).fit(X, y)  # 64-128-10
    size = len(pickle.dumps(clf))
    weights = _weights_nbytes(clf)
    assert weights == (64 * 128 + 128 * 10 + 128 + 10) * 4
    assert size < 4 * weights  # weights + Adam's two moments + small change
    # no training data inside: the size does not grow with the rows
    small = dfn(hidden_layer_sizes=(128,), max_iter=5).fit(X[:300], y[:300])
    assert abs(len(pickle.dumps(small)) - size) < 2048



@pytest.mark.parametrize("refit_strategy", [
    None, "continue", "retrain",
])
def test_pickled_size_after_early_stopping_and_refit(data, refit_strategy):
    X, y, _, _ = data
    clf = dfn(hidden_layer_sizes=(128,), early_stopping="gl",
              refit_strategy=refit_strategy).fit(X, y)
    assert len(pickle.dumps(clf)) < 4 * _weights_nbytes(clf)


# ---- feature names --------------------------------------------------------------
def _outcome(call, name):
    """``call()``'s exception or feature-name warnings, with the class name
    ``name`` replaced by "Estimator" (the rest must match word for word)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except Exception as exc:  # noqa: BLE001
            return ("raise", type(exc), str(exc).replace(name, "Estimator"))
    return ("warn", [(w.category, str(w.message).replace(name, "Estimator"))
                     for w in caught if "feature names" in str(w.message)])


def test_feature_names_like_mlp(frame):
    """sklearn 1.9's MLPClassifier raises ValueError for renamed, reordered
    or missing columns and warns for an ndarray; DFNClassifier does the same,
    message for message."""
    X, y, Xt, _ = frame
    ours = dfn(max_iter=3).fit(X, y)
    theirs = MLPClassifier((8,), max_iter=3, random_state=0).fit(X, y)
    np.testing.assert_array_equal(ours.feature_names_in_, X.columns)
    np.testing.assert_array_equal(theirs.feature_names_in_, X.columns)
    variants = {
        "renamed": Xt.rename(columns=lambda c: c.upper()),
        "reordered": Xt[Xt.columns[::-1]],
        "missing": Xt.iloc[:, :-1],
        "ndarray": Xt.to_numpy(),
        "same": Xt,
    }
    for key, Xv in variants.items():
        got = _outcome(lambda: ours.predict(Xv), "DFNClassifier")
        want = _outcome(lambda: theirs.predict(Xv), "MLPClassifier")
        assert got == want, key
    # what sklearn 1.9 does, spelled out
    with pytest.raises(ValueError, match="Feature names unseen at fit time"):
        ours.predict(variants["renamed"])
    with pytest.raises(ValueError, match="must be in the same order"):
        ours.predict(variants["reordered"])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        ours.predict(variants["ndarray"])
    # fitted without names, predicted with: a warning, as sklearn
    plain = dfn(max_iter=3).fit(X.to_numpy(), y)
    assert not hasattr(plain, "feature_names_in_")
    with pytest.warns(UserWarning, match="X has feature names, but DFNClassifier"):
        plain.predict(Xt)


# ---- memory-mapped input --------------------------------------------------------
def _traced_peak(call):
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_fit_on_memmap(data, tmp_path):
    X, y, Xt, yt = data
    np.save(tmp_path / "X.npy", X)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    assert isinstance(Xm, np.memmap) and not Xm.flags.writeable
    on_map = dfn().fit(Xm, y)
    in_memory = dfn().fit(X, y)
    for a, b in zip(on_map.coefs_, in_memory.coefs_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(on_map.predict(Xt), in_memory.predict(Xt))
    again = np.load(tmp_path / "X.npy", mmap_mode="r")
    np.testing.assert_array_equal(on_map.predict(again), in_memory.predict(X))
    # and the memmap is not pickled into the model
    assert len(pickle.dumps(on_map)) < X.nbytes


def test_fit_does_not_copy_float32_input(tmp_path):
    """A float32 C-ordered (memory-mapped) X is used in place; float64 is
    converted once (one float32 copy). Allocations traced by tracemalloc,
    which sees numpy's buffers."""
    rng = np.random.default_rng(0)
    X = rng.random((20000, 128), dtype=np.float32)
    y = rng.integers(0, 10, size=len(X))
    np.save(tmp_path / "X.npy", X)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    make = lambda: DFNClassifier((16,), max_iter=1, random_state=0)  # noqa: E731
    assert _traced_peak(lambda: make().fit(Xm, y)) < 0.5 * X.nbytes
    assert _traced_peak(lambda: make().fit(X, y)) < 0.5 * X.nbytes
    X64 = X.astype(np.float64)
    assert _traced_peak(lambda: make().fit(X64, y)) < 1.5 * X.nbytes


def test_training_time_regularizers_leave_readonly_memmap_alone(data, tmp_path):
    """With shuffle=False the minibatches are views of X: noise, dropout on
    the input, augmentation and adversarial examples must not write to it."""
    X, y, _, _ = data
    np.save(tmp_path / "X.npy", X)
    Xm = np.load(tmp_path / "X.npy", mmap_mode="r")
    params = dict(hidden_layer_sizes=(16, 16), max_iter=3, shuffle=False,
                  input_noise=0.1, dropout_keep=(0.8, 0.5, 0.5), weight_noise=0.01,
                  adversarial_eps=0.05, activity_alpha=1e-4, label_smoothing=0.1,
                  augment=ImageAugmenter(translation=1, rotation=10.0))
    on_map = dfn(**params).fit(Xm, y)
    np.testing.assert_array_equal(np.load(tmp_path / "X.npy"), X)
    in_memory = dfn(**params).fit(X.copy(), y)
    np.testing.assert_array_equal(on_map.coefs_[0], in_memory.coefs_[0])


# ---- threads ------------------------------------------------------------------
def test_concurrent_predict_matches_serial(data):
    X, y, Xt, _ = data
    clf = dfn(hidden_layer_sizes=(64, 32), dropout_keep=0.8,
              dropout_mode="classic").fit(X, y)
    chunks = np.array_split(np.vstack([Xt] * 4), 24)
    serial_proba = [clf.predict_proba(c) for c in chunks]
    serial_pred = [clf.predict(c) for c in chunks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            proba = list(pool.map(clf.predict_proba, chunks))
            pred = list(pool.map(clf.predict, chunks))
            for a, b in zip(proba, serial_proba):
                np.testing.assert_array_equal(a, b)
            for a, b in zip(pred, serial_pred):
                np.testing.assert_array_equal(a, b)
