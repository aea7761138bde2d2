"""Scaling out with Dask: searches and ensembles of DFNs under joblib's
"dask" backend on a local 2-worker cluster (loopback only), and
``dask_ml.wrappers.Incremental`` training one DFN with ``partial_fit`` over
the blocks of a dask array.

Needs the ``distributed`` extra: ``pip install "dask[distributed]" dask-ml``.
"""

import pytest

pytest.importorskip("dask.distributed")
pytest.importorskip("dask_ml")

import dask.array as da  # noqa: E402
import joblib  # noqa: E402
import numpy as np  # noqa: E402
from dask.distributed import Client, LocalCluster, get_task_stream  # noqa: E402
from dask_ml.wrappers import Incremental  # noqa: E402
from sklearn.ensemble import BaggingClassifier  # noqa: E402
from sklearn.model_selection import GridSearchCV, StratifiedKFold  # noqa: E402

from skreg import DFNClassifier, EarlyStopping  # noqa: E402
from skreg.penalties import ElasticNet  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CV = StratifiedKFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def client():
    """Two single-threaded worker processes on 127.0.0.1, no dashboard."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client
    assert client.status == "closed"


def dfn(**params):
    kw = dict(hidden_layer_sizes=(32,), max_iter=20, learning_rate_init=0.01,
              random_state=0)
    kw.update(params)
    return DFNClassifier(**kw)


def _grid_search(X, y):
    grid = [{"alpha": [1e-4, 1e-2], "hidden_layer_sizes": [(16,), (32,)]},
            {"penalty": [ElasticNet()], "penalty__l1_ratio": [0.2, 0.8]},
            {"early_stopping": [EarlyStopping("gl")],
             "early_stopping__threshold": [1.0, 10.0]}]
    return GridSearchCV(dfn(), grid, cv=CV, n_jobs=2).fit(X, y)


def _bagging(X, y):
    return BaggingClassifier(dfn(random_state=None), n_estimators=4, n_jobs=2,
                             random_state=0).fit(X, y)


def test_workers_are_remote_processes(client):
    info = client.scheduler_info(n_workers=-1)["workers"]
    assert len(info) == 2
    assert all(addr.startswith("tcp://127.0.0.1:") for addr in info)
    # the nanny starts each worker with one BLAS thread (OPENBLAS_NUM_THREADS=1)
    from threadpoolctl import threadpool_info

    def blas_threads():
        import numpy  # noqa: F401

        return [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    assert all(t == [1] for t in client.run(blas_threads).values())


def test_grid_search_on_dask_equals_local(client, data):
    X, y, Xt, yt = data
    local = _grid_search(X, y)
    with get_task_stream(client) as tasks, joblib.parallel_backend("dask"):
        remote = _grid_search(X, y)
    assert len({t["worker"] for t in tasks.data}) == 2  # both workers fitted
    np.testing.assert_array_equal(remote.cv_results_["mean_test_score"],
                                  local.cv_results_["mean_test_score"])
    assert remote.best_params_.keys() == local.best_params_.keys()
    np.testing.assert_array_equal(remote.predict_proba(Xt), local.predict_proba(Xt))
    assert remote.score(Xt, yt) > 0.85


def _cocktail_search(X, y):
    from sklearn.model_selection import RandomizedSearchCV

    from skreg import cocktail_space, make_tabular_pipeline

    pipe = make_tabular_pipeline(dfn(max_iter=5))
    return RandomizedSearchCV(pipe, cocktail_space(), n_iter=4, cv=CV, n_jobs=2,
                              random_state=0).fit(X, y)


def test_cocktail_search_on_dask_equals_local(client, data):
    X, y, Xt, yt = data
    local = _cocktail_search(X, y)
    with joblib.parallel_backend("dask"):
        remote = _cocktail_search(X, y)
    np.testing.assert_array_equal(remote.cv_results_["mean_test_score"],
                                  local.cv_results_["mean_test_score"])
    np.testing.assert_array_equal(remote.predict_proba(Xt), local.predict_proba(Xt))


def test_bagging_on_dask_equals_local(client, data):
    X, y, Xt, yt = data
    local = _bagging(X, y)
    with joblib.parallel_backend("dask"):
        remote = _bagging(X, y)
    assert [m.random_state for m in remote.estimators_] == \
        [m.random_state for m in local.estimators_]
    np.testing.assert_array_equal(remote.predict_proba(Xt), local.predict_proba(Xt))
    assert remote.score(Xt, yt) > 0.85


def test_incremental_partial_fit_over_blocks(client, data):
    X, y, Xt, yt = data
    Xd = da.from_array(X, chunks=(150, X.shape[1]))
    yd = da.from_array(y, chunks=150)
    classes = np.unique(y)
    inc = Incremental(dfn(), scoring="accuracy", shuffle_blocks=True, random_state=0)
    with get_task_stream(client) as tasks:
        inc.fit(Xd, yd, classes=classes)  # one pass over the 8 blocks
        for _ in range(9):  # 9 more passes, continuing from inc.estimator_
            inc.partial_fit(Xd, yd, classes=classes)
    # the partial_fit calls ran as tasks ("fit-..." keys, one per block) on the cluster
    names = [t["key"][0] if isinstance(t["key"], tuple) else t["key"]
             for t in tasks.data]
    assert sum(name.startswith("fit-") for name in names) >= 10 * Xd.numblocks[0]
    net = inc.estimator_
    assert isinstance(net, DFNClassifier)
    assert len(net.loss_curve_) == 10 * Xd.numblocks[0]  # one partial_fit per block
    assert net.n_iter_ == 1  # epochs of the last call, as MLPClassifier
    assert net.t_ == 10 * len(X)
    np.testing.assert_array_equal(net.classes_, classes)
    plain = dfn(max_iter=10).fit(X, y).score(Xt, yt)
    score = inc.score(da.from_array(Xt, chunks=200), da.from_array(yt, chunks=200))
    assert score > 0.85
    assert abs(score - plain) < 0.1


@pytest.mark.parametrize("backend", ["loky", "dask"])
def test_member_error_reaches_caller(client, data, backend):
    X, y, _, _ = data
    search = GridSearchCV(dfn(), {"alpha": [1e-4, -1.0]}, cv=CV, n_jobs=2,
                          error_score="raise")
    with joblib.parallel_backend(backend):
        with pytest.raises(ValueError, match="'alpha' parameter of DFNClassifier"):
            search.fit(X, y)
