"""Tests of skreg.early_stopping against an independent reference of Prechelt's
criteria (whole curves at once, with numpy) and hand-worked examples."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GridSearchCV

from skreg.early_stopping import (
    CRITERIA,
    EarlyStopping,
    StopMonitor,
    resolve_early_stopping,
)


# ----------------------------------------------------------------- reference
def _first(hits, to_epoch):
    hits = np.flatnonzero(hits)
    return None if hits.size == 0 else int(to_epoch(hits[0]))


def reference_stop(criterion, tr, va, threshold=None, k=5, s=3, patience=10, tol=0.0):
    """1-based epoch at which Prechelt's criterion stops, None if it never does."""
    tr, va = np.asarray(tr, float), np.asarray(va, float)
    n = len(va)
    gl = 100.0 * (va / np.minimum.accumulate(va) - 1.0)
    if criterion == "gl":
        return _first(gl > threshold, lambda i: i + 1)
    if criterion == "pq":
        m = n // k * k
        strips = tr[:m].reshape(-1, k)
        p = 1000.0 * (strips.sum(axis=1) / (k * strips.min(axis=1)) - 1.0)
        g = gl[k - 1:m:k]
        with np.errstate(divide="ignore", invalid="ignore"):
            pq = np.where(g == 0, 0.0, np.where(p <= 0, np.inf, g / p))
        return _first(pq > threshold, lambda i: (i + 1) * k)
    if criterion == "up":
        ends = va[k - 1::k]
        rises = (ends[1:] > ends[:-1]).astype(int)
        if rises.size < s:
            return None
        runs = np.convolve(rises, np.ones(s, int), mode="valid")
        return _first(runs == s, lambda j: (j + s + 1) * k)
    if tol == 0:  # epochs since the (first) argmin so far
        best = np.array([np.argmin(va[:t + 1]) + 1 for t in range(n)])
        return _first(np.arange(1, n + 1) - best >= patience, lambda i: i + 1)
    last_big, best_loss = 0, np.inf  # sklearn's no-improvement count
    for t in range(1, n + 1):
        if va[t - 1] < best_loss - tol:
            last_big = t
        best_loss = min(best_loss, va[t - 1])
        if t - last_big >= patience:
            return t
    return None


def run(monitor, tr, va):
    """Feed the curves until the monitor stops; return the improved flags."""
    improved = []
    for e_tr, e_va in zip(tr, va):
        stop = monitor.update(e_tr, e_va)
        improved.append(monitor.improved)
        if stop:
            break
    return improved


losses = st.floats(0.01, 100.0, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(
    criterion=st.sampled_from(CRITERIA),
    curves=st.integers(1, 60).flatmap(
        lambda n: st.tuples(st.lists(losses, min_size=n, max_size=n),
                            st.lists(losses, min_size=n, max_size=n))),
    threshold=st.floats(0.01, 50.0),
    k=st.integers(1, 6),
    s=st.integers(1, 4),
    patience=st.integers(1, 6),
    tol=st.one_of(st.just(0.0), st.floats(0.0, 5.0)),
)
def test_matches_reference_on_random_curves(criterion, curves, threshold, k, s,
                                            patience, tol):
    tr, va = curves
    kw = dict(threshold=threshold) if criterion in ("gl", "pq") else {}
    if criterion == "patience":
        kw = dict(patience=patience, tol=tol)
    monitor = EarlyStopping(criterion, strip=k, successive=s, **kw).start()
    improved = run(monitor, tr, va)
    expected = reference_stop(criterion, tr, va, threshold, k, s, patience, tol)
    assert monitor.stopped_epoch == expected
    seen = np.asarray(va[:monitor.epoch])
    assert monitor.epoch == (len(va) if expected is None else expected)
    assert monitor.best_epoch == np.argmin(seen) + 1
    assert monitor.best_loss == seen.min()
    assert improved == [bool(v < seen[:i].min(initial=np.inf))
                        for i, v in enumerate(seen)]
    assert (monitor.reason is None) == (expected is None)
    if criterion == "patience" and tol == 0 and expected is not None:
        assert monitor.stopped_epoch == monitor.best_epoch + patience


# ------------------------------------------------------------- hand-worked
def test_gl_hand_worked():
    # min E_va: 1.0, 0.8, 0.8, 0.8 -> GL = 0, 0, 100*(0.85/0.8 - 1) = 6.25,
    # 100*(0.9/0.8 - 1) = 12.5: threshold 10 stops at epoch 4.
    m = EarlyStopping("gl", threshold=10.0).start()
    assert run(m, [1.0] * 5, [1.0, 0.8, 0.85, 0.9, 0.7]) == [True, True, False, False]
    assert (m.stopped_epoch, m.best_epoch, m.best_loss) == (4, 2, 0.8)
    assert m.reason == "GL(4) = 12.5 > 10"
    # Default threshold 5.0: 6.25 > 5 stops at epoch 3.
    m = EarlyStopping("gl").start()
    run(m, [1.0] * 5, [1.0, 0.8, 0.85, 0.9, 0.7])
    assert m.stopped_epoch == 3 and m.threshold == 5.0


def test_pq_hand_worked():
    # k = 2, default threshold 0.75. Epoch 2: GL = 0 -> PQ = 0.
    # Epoch 3: GL = 100*(0.95/0.9 - 1) = 5.6 but PQ is only tested at strip ends.
    # Epoch 4: GL = 100*(0.99/0.9 - 1) = 10, P_2 = 1000*((1.02 + 1.0)/(2*1.0) - 1)
    # = 10, PQ = 1.0 > 0.75 -> stop at 4.
    m = EarlyStopping("pq", strip=2).start()
    run(m, [2.0, 1.0, 1.02, 1.0, 1.0, 1.0], [1.0, 0.9, 0.95, 0.99, 0.5, 0.4])
    assert (m.stopped_epoch, m.best_epoch, m.threshold) == (4, 2, 0.75)
    assert m.reason.startswith("PQ(4) = GL/P_2 = 10/10 = 1 > 0.75")
    # Threshold 1.5: 1.0 is not enough; epoch 6: GL = 100*(1.08/0.9 - 1) = 20,
    # P_2 = 1000*(2.2/2.0 - 1) = 100 -> PQ = 0.2, no stop.
    m = EarlyStopping("pq", strip=2, threshold=1.5).start()
    run(m, [2.0, 1.0, 1.02, 1.0, 1.2, 1.0], [1.0, 0.9, 0.95, 0.99, 1.0, 1.08])
    assert m.stopped_epoch is None and m.epoch == 6


def test_pq_progress_zero_guard():
    # Constant training loss in the strip: P_2 = 0; GL > 0 -> PQ = inf -> stop.
    m = StopMonitor("pq", strip=2)
    assert not m.update(1.0, 1.0)
    assert m.update(1.0, 1.1)
    assert "inf" in m.reason
    # GL = 0 and P = 0 -> PQ = 0, no stop.
    m = StopMonitor("pq", strip=2)
    assert not any(m.update(1.0, v) for v in [1.0, 0.9, 0.8, 0.7])


def test_up_hand_worked():
    # k = 2, s = 2. Strip ends (epochs 2, 4, 6, 8): 4.0, 3.5, 3.6, 3.7.
    # Epoch 4: 3.5 < 4.0 (no rise); 6: 3.6 > 3.5 (rise 1); 8: 3.7 > 3.6 (rise 2)
    # -> stop at 8. The rises at epochs 5 and 7 (between strip ends) do not count.
    m = EarlyStopping("up", strip=2, successive=2).start()
    run(m, [1.0] * 10, [5.0, 4.0, 3.0, 3.5, 3.8, 3.6, 3.9, 3.7, 1.0, 1.0])
    assert (m.stopped_epoch, m.best_epoch, m.best_loss) == (8, 3, 3.0)
    assert m.reason.startswith("UP_2")
    # A non-rise in between resets the count: ends 4, 5, 4.5, 5, 5.5 -> stop at 10.
    m = StopMonitor("up", strip=1, successive=2)
    assert [m.update(1.0, v) for v in [4.0, 5.0, 4.5, 5.0, 5.5]] == [
        False, False, False, False, True]


def test_up_first_comparison_at_2k():
    # Defaults strip=5, successive=1: nothing is compared before epoch 10.
    m = EarlyStopping("up", successive=1).start()
    stops = [m.update(1.0, v) for v in [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]]
    assert stops == [False] * 9 + [True] and m.strip == 5


def test_patience_hand_worked():
    # tol = 0, patience 3: strict improvements at epochs 1, 2, 5; epochs 3 and 4
    # (a tie with 2.0) count 1, 2; epoch 5 resets; 6, 7, 8 count 1, 2, 3 -> stop
    # at 5 + 3 = 8.
    m = EarlyStopping().start(n_iter_no_change=3, tol=0.0)
    run(m, [1.0] * 9, [3.0, 2.0, 2.5, 2.0, 1.9, 2.0, 2.0, 2.0, 0.1])
    assert (m.best_epoch, m.stopped_epoch) == (5, 8)
    # tol = 0.15: epoch 2 improves by 1 > tol (count 0); 1.9 at epoch 3 and 1.8
    # at epoch 5 become the best but improve by only 0.1 over the best of their
    # time (2.0 and 1.9): counts 1, 2, 3 -> stop at 2 + 3 = 5 with best_epoch 5.
    m = EarlyStopping(patience=3, tol=0.15).start()
    run(m, [1.0] * 7, [3.0, 2.0, 1.9, 1.95, 1.8, 1.85, 1.9])
    assert (m.best_epoch, m.stopped_epoch, m.best_loss) == (5, 5, 1.8)
    assert "0.15" in m.reason and "3 epochs" in m.reason


def test_patience_and_tol_default_to_estimator_values():
    m = EarlyStopping().start(n_iter_no_change=4, tol=0.5)
    assert (m.patience, m.tol) == (4, 0.5)
    m = EarlyStopping(patience=2, tol=0.0).start(n_iter_no_change=4, tol=0.5)
    assert (m.patience, m.tol) == (2, 0.0)
    m = EarlyStopping().start()
    assert (m.patience, m.tol) == (10, 1e-4)


def test_string_defaults():
    for crit, thr in [("gl", 5.0), ("pq", 0.75), ("up", None), ("patience", None)]:
        m = resolve_early_stopping(crit).start()
        assert (m.criterion, m.threshold, m.strip, m.successive) == (crit, thr, 5, 3)


# --------------------------------------------------------------- non-finite
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_validation_loss_never_best(bad):
    m = StopMonitor("patience", patience=2)
    assert not m.update(1.0, bad)
    assert (m.best_epoch, m.best_loss, m.improved) == (None, math.inf, False)
    assert not m.update(1.0, 2.0) and m.improved and m.best_epoch == 2
    assert not m.update(1.0, bad)
    assert m.update(1.0, bad) and m.best_epoch == 2 and m.stopped_epoch == 4


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_losses_stop_gl_up_pq(bad):
    m = StopMonitor("gl")
    assert not m.update(1.0, 1.0) and m.update(1.0, bad)
    assert StopMonitor("gl").update(1.0, bad)  # also at epoch 1 (no finite best)
    m = StopMonitor("up", strip=1, successive=1)
    assert not m.update(1.0, 1.0) and m.update(1.0, bad)
    m = StopMonitor("pq", strip=2)  # non-finite E_tr in the strip
    assert not m.update(1.0, 1.0) and m.update(bad, 0.5)
    assert m.best_epoch == 2
    m = StopMonitor("pq", strip=2)  # non-finite E_va: GL = inf, even if P = inf
    assert not m.update(1.0, 1.0) and m.update(0.0, bad)
    assert "= inf > 0.75" in m.reason


def test_zero_best_loss():
    m = StopMonitor("gl")
    assert not m.update(1.0, 0.0) and not m.update(1.0, 0.0)
    assert m.update(1.0, 1e-9) and "inf" in m.reason


def test_update_after_stop_raises():
    m = StopMonitor("gl")
    m.update(1.0, 1.0)
    m.update(1.0, 2.0)
    with pytest.raises(RuntimeError, match="monitor already stopped at epoch 2"):
        m.update(1.0, 1.0)


def test_numpy_scalars_accepted():
    m = StopMonitor("gl")
    m.update(np.float32(1.0), np.array(0.5))
    assert m.best_loss == 0.5 and type(m.best_loss) is float


# ------------------------------------------------------- sklearn parameters
def test_get_set_params_clone():
    es = EarlyStopping("gl", threshold=3.0)
    assert es.get_params() == dict(criterion="gl", threshold=3.0, strip=5,
                                   successive=3, patience=None, tol=None,
                                   metric="loss")
    assert es.set_params(threshold=7.0, strip=2) is es and es.threshold == 7.0
    c = clone(es)
    assert c is not es and c.get_params() == es.get_params()
    assert repr(EarlyStopping("pq")) == "EarlyStopping(criterion='pq')"


def test_no_validation_in_init():
    es = EarlyStopping(criterion="bogus", strip=-1)
    assert es.criterion == "bogus"
    with pytest.raises(ValueError, match="criterion"):
        es.start()


class _Model(BaseEstimator):
    def __init__(self, early_stopping=True):
        self.early_stopping = early_stopping

    def fit(self, X, y=None):
        self.es_ = resolve_early_stopping(self.early_stopping)
        self.es_.start()
        return self

    def score(self, X, y=None):
        return self.es_.threshold


def test_nested_params_and_grid_search():
    model = _Model(EarlyStopping("gl"))
    assert model.get_params()["early_stopping__threshold"] is None
    model.set_params(early_stopping__threshold=4.0)
    assert model.early_stopping.threshold == 4.0
    X = np.zeros((6, 1))
    gs = GridSearchCV(_Model(EarlyStopping("gl")), cv=2,
                      param_grid={"early_stopping__threshold": [1.0, 3.0, 2.0]})
    assert gs.fit(X).best_params_ == {"early_stopping__threshold": 3.0}


# ------------------------------------------------------ resolve_early_stopping
@pytest.mark.parametrize("value", [False, None, np.False_])
def test_resolve_off(value):
    assert resolve_early_stopping(value) is None


@pytest.mark.parametrize("value", [True, np.True_])
def test_resolve_true_is_patience(value):
    es = resolve_early_stopping(value)
    assert isinstance(es, EarlyStopping)
    assert es.get_params() == EarlyStopping().get_params()


@pytest.mark.parametrize("crit", CRITERIA)
def test_resolve_strings(crit):
    es = resolve_early_stopping(crit)
    assert es.get_params() == EarlyStopping(criterion=crit).get_params()


def test_resolve_instance_is_validated_clone():
    es = EarlyStopping("up", strip=2, successive=4)
    out = resolve_early_stopping(es)
    assert out is not es and out.get_params() == es.get_params()
    with pytest.raises(ValueError, match="strip"):
        resolve_early_stopping(EarlyStopping(strip=0))


@pytest.mark.parametrize("value", ["GL", "none", "", "auto", 1, 0, 1.0, [], {},
                                   "eval(1)", EarlyStopping])
def test_resolve_rejects(value):
    with pytest.raises(ValueError, match="early_stopping must be .*'patience', 'gl', "
                                         "'pq', 'up'"):
        resolve_early_stopping(value)


# ------------------------------------------------------------- bad parameters
@pytest.mark.parametrize("kwargs, match", [
    (dict(criterion="GL"), r"criterion(?=.*'gl')(?=.*'pq')(?=.*'up')(?=.*'patience')"),
    (dict(criterion=None), "criterion"),
    (dict(criterion="gl", threshold=0.0), r"threshold.*\(0.0, inf\)"),
    (dict(criterion="gl", threshold=-1.0), "threshold"),
    (dict(criterion="pq", threshold=math.nan), "threshold"),
    (dict(criterion="pq", threshold="5"), "threshold"),
    (dict(criterion="patience", threshold=5.0),
     "threshold is not used by criterion='patience'"),
    (dict(criterion="up", threshold=5.0), "threshold is not used by criterion='up'"),
    (dict(criterion="gl", patience=3), "patience is not used by criterion='gl'"),
    (dict(criterion="up", tol=0.1), "tol is not used by criterion='up'"),
    (dict(strip=0), r"strip.*\[1, inf\)"),
    (dict(strip=2.5), "strip"),
    (dict(strip=True), "strip must be a number, not True"),
    (dict(criterion="gl", threshold=True), "threshold must be a number, not True"),
    (dict(tol=np.True_), "tol must be a number"),
    (dict(successive=0), "successive"),
    (dict(successive=False), "successive"),
    (dict(patience=0), "patience"),
    (dict(patience=True), "patience must be a number"),
    (dict(tol=-0.1), r"tol.*\[0.0, inf\)"),
])
def test_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs)._validate()
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs).start()


@pytest.mark.parametrize("kwargs, match", [
    (dict(n_iter_no_change=0), "n_iter_no_change must be an int >= 1"),
    (dict(n_iter_no_change=True), "n_iter_no_change"),
    (dict(n_iter_no_change=2.0), "n_iter_no_change"),
    (dict(tol=-1.0), "tol must be a finite float >= 0"),
    (dict(tol=math.nan), "tol must be"),
    (dict(tol=math.inf), "tol must be"),
    (dict(tol="0"), "tol must be"),
])
def test_invalid_estimator_values_at_start(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping().start(**kwargs)
    EarlyStopping("gl").start(**kwargs)  # unused by the other criteria


def test_monitor_rejects_unknown_criterion():
    with pytest.raises(ValueError, match=r"criterion must be one of .*'gl'"):
        StopMonitor("bogus")
