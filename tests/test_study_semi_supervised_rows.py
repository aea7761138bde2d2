"""The study's semi-supervised reference rows and the convolution row."""

import numpy as np
import pytest
from sklearn.semi_supervised import SelfTrainingClassifier

from skreg.study import cells as cells_module
from skreg.study.cells import HIDDEN_LABEL_FRACTION, Cell, run_cell
from skreg.study.data import load_pool
from skreg.study.design import repeats
from skreg.study.methods import METHODS, Context


@pytest.fixture(scope="module")
def digits():
    return load_pool("digits")


def _spy_fits(monkeypatch):
    """Record the estimator ``tune`` returns (the fitted row)."""
    fitted = []
    tune = cells_module.tune

    def spy(est, grid, X, y, seed, **kwargs):
        est, chosen = tune(est, grid, X, y, seed, **kwargs)
        fitted.append((est, y))
        return est, chosen

    monkeypatch.setattr(cells_module, "tune", spy)
    return fitted


def test_labeled_only_trains_on_the_labeled_rows_alone(monkeypatch, digits):
    fitted = _spy_fits(monkeypatch)
    res = run_cell(Cell("labeled-only", repeats(0, 1)[0], 100, hidden=(8,),
                        epochs=2), digits)
    (est, y), = fitted
    assert isinstance(est, SelfTrainingClassifier) and est.max_iter == 0
    n_labeled = int(np.sum(y != -1))
    assert n_labeled == 100 - round(HIDDEN_LABEL_FRACTION * 100)
    net = est.estimator_
    assert -1 not in net.classes_
    assert net.t_ == 2 * n_labeled  # two epochs over the labeled rows only
    assert 0 <= res.test_accuracy <= 1 and 0 <= res.fgsm_accuracy <= 1


@pytest.mark.parametrize("name", ["self-training", "vat", "consistency"])
def test_semi_supervised_rows_hide_labels_and_record_their_strength(
        monkeypatch, digits, name):
    fitted = _spy_fits(monkeypatch)
    res = run_cell(Cell(name, repeats(0, 1)[0], 100, hidden=(8,), epochs=2),
                   digits)
    (_, y), = fitted
    assert np.mean(y == -1) == pytest.approx(HIDDEN_LABEL_FRACTION)
    assert set(y[y != -1]) == set(range(10))  # stratified: every class labeled
    _, grid, _ = METHODS[name].resolve(Context(hidden=(8,), image_side=8))
    (key, values), = grid.items()
    assert res.strength in {f"{key}={v:g}" for v in values}


def test_convolution_row_builds_a_conv_network(monkeypatch, digits):
    fitted = _spy_fits(monkeypatch)
    res = run_cell(Cell("convolution", repeats(0, 1)[0], 60, hidden=(8,),
                        epochs=2, tune=False), digits)
    (est, _), = fitted
    assert est.conv_layers == ((8, 3, 2),)
    assert est.coefs_[0].shape == (3 * 3 * 1, 8)  # one 3x3 filter per column
    assert res.note == "" and 0 <= res.test_accuracy <= 1
