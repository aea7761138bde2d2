"""The legacy single-split API of skreg.compare (kept for skreg.plotting and
scripts): rows, parallel rows, the bagged ensemble's FGSM gradient."""

import math

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier

from skreg import DFNClassifier
from skreg.compare import (METHODS, Dataset, _ensemble_input_gradient, _targets,
                           ensemble_fgsm, load_dataset, method_specs, run_comparison)


# ---- skreg.compare ----------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return load_dataset("digits", train_size=300)


def test_every_method_has_a_spec_with_the_same_budget_and_seed():
    specs = method_specs(epochs=7, hidden=(32, 16), seed=3)
    assert set(specs) == set(METHODS)
    for name, params in specs.items():
        assert params["max_iter"] == 7 and params["random_state"] == 3, name
    assert specs["dropout"]["dropout_keep"] == (0.8, 0.5, 0.5)
    assert specs["chapter"]["hidden_layer_sizes"] == (200,)


def test_parallel_rows_equal_sequential_rows(small):
    methods = ["l1", "input-noise"]
    seq, _ = run_comparison(small, methods, epochs=3, n_jobs=1)
    par, _ = run_comparison(small, methods, epochs=3, n_jobs=2)
    assert [r.method for r in par] == methods
    for a, b in zip(seq, par):
        assert (a.train_accuracy, a.test_accuracy, a.fgsm_accuracy, a.zero_weights) == \
            (b.train_accuracy, b.test_accuracy, b.fgsm_accuracy, b.zero_weights)


def test_owner_rows_run_or_say_what_they_need(small):
    """Semi-supervised and multi-task rows are either measured or n/a with
    a note naming the missing feature; never a failure."""
    results, estimators = run_comparison(small, ["semi-supervised", "multi-task"],
                                         epochs=2)
    for r in results:
        if r.note.startswith("n/a: needs"):
            assert math.isnan(r.test_accuracy) and estimators[r.method] is None
        else:
            assert 0 <= r.test_accuracy <= 1, r
    assert not any(r.note.startswith("failed") for r in results)


def test_early_stopping_and_retrain_rows_report_epochs(small):
    results, est = run_comparison(small, ["early-gl", "early-retrain", "bagging"],
                                  epochs=30)
    gl, retrain, bag = results
    assert gl.epochs == est["early-gl"].n_iter_ and gl.best_epoch <= gl.epochs
    assert retrain.refit_epochs == retrain.best_epoch
    assert len(est["bagging"].estimators_) == 5 and 0 <= bag.fgsm_accuracy <= 1


def test_unknown_method_raises(small):
    with pytest.raises(ValueError, match="unknown methods"):
        run_comparison(small, ["none", "l3"])


def test_ensemble_gradient_matches_finite_differences(small):
    """FGSM direction of bagging = gradient of -log(mean_m p_m(y|x))."""
    X, y = small.X_train.astype(np.float64), small.y_train
    bag = BaggingClassifier(DFNClassifier((8,), max_iter=5, dtype=np.float64,
                                          random_state=0),
                            n_estimators=3, random_state=0).fit(X, y)
    x, label = X[:3], y[:3]
    grad = _ensemble_input_gradient(bag, x, label)

    def loss(rows):
        return -np.log(bag.predict_proba(rows)[np.arange(len(rows)), label])

    h = 1e-6
    numeric = np.empty_like(x)
    for j in range(x.shape[1]):
        e = np.zeros_like(x)
        e[:, j] = h
        numeric[:, j] = (loss(x + e) - loss(x - e)) / (2 * h)
    for g, n in zip(grad, numeric):  # same direction, row by row
        assert g @ n / (np.linalg.norm(g) * np.linalg.norm(n)) > 1 - 1e-6
    X_adv = ensemble_fgsm(bag, x, label, 0.1, clip=(0, 1))
    assert np.all(np.abs(X_adv - x) <= 0.1 + 1e-12) and X_adv.min() >= 0


def test_load_dataset_npz_scales_pixels(tmp_path):
    path = tmp_path / "m.npz"
    x = np.full((20, 4, 4), 255, np.uint8)
    labels = (np.arange(20) % 2).astype(np.uint8)
    np.savez(path, x_train=x, y_train=labels, x_test=x[:4], y_test=labels[:4])
    data = load_dataset("mnist-npz", str(path))
    assert isinstance(data, Dataset) and data.X_train.dtype == np.float32
    assert data.X_train.max() == 1.0 and data.image_side == 4
    assert data.y_train.dtype == np.int64  # so that -1 can mark unlabeled rows


def test_semi_supervised_row_hides_80_percent_as_minus_one(small):
    data = Dataset("u8", small.X_train, small.y_train.astype(np.uint8),
                   small.X_test, small.y_test)
    y, y_test = _targets("semi-supervised", data, seed=0)
    assert np.mean(y == -1) == pytest.approx(0.8, abs=1 / len(y))
    assert np.array_equal(y[y != -1], data.y_train[y != -1])
    Y, _ = _targets("multi-task", data, seed=0)
    assert np.array_equal(Y[:, 1], data.y_train % 2)
