"""The labels a study's rows train on (skreg.study.labels): string labels,
a real class -1, uint8 labels and the tuning scorer."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from skreg.study import cells as cells_module
from skreg.study.cells import Cell, run_cell
from skreg.study.data import Pool
from skreg.study.design import repeats
from skreg.study.labels import (HIDDEN_LABEL_FRACTION, encode, hidden_mask, hide_labels,
                                multitask_targets, strata)
from skreg.study.tuning import tune

SEMI = ["labeled-only", "self-training", "semi-supervised", "vat", "consistency"]


def _pool(labels):
    """60 rows, two learnable classes named ``labels``."""
    rng = np.random.default_rng(0)
    k = np.arange(60) % 2
    X = rng.standard_normal((60, 3)).astype(np.float32)
    X[:, 0] += 3 * k
    return Pool("two", X, np.asarray(labels)[k])


def _run(monkeypatch, method, pool):
    """Run one tiny cell; return its result and the target it trained on."""
    seen = []
    tune_ = cells_module.tune

    def spy(est, grid, X, y, seed, **kwargs):
        seen.append(y)
        return tune_(est, grid, X, y, seed, **kwargs)

    monkeypatch.setattr(cells_module, "tune", spy)
    res = run_cell(Cell(method, repeats(0, 1)[0], 30, hidden=(8,), epochs=2), pool)
    return res, seen[0]


@pytest.mark.parametrize("method", SEMI + ["multi-task", "none"])
def test_string_labels_run_every_row(monkeypatch, method):
    """Hidden string labels are an object array holding the integer -1 (as
    sklearn's SelfTrainingClassifier), never a class '-' or '-1'."""
    res, y = _run(monkeypatch, method, _pool(["cat", "dog"]))
    assert res.note == "" and 0 <= res.test_accuracy <= 1, res.note
    if method in SEMI:
        assert y.dtype == object
        hidden = hidden_mask(y)
        assert hidden.sum() == round(HIDDEN_LABEL_FRACTION * 30)
        assert all(v == -1 and isinstance(v, (int, np.integer)) for v in y[hidden])
        assert set(y[~hidden]) == {"cat", "dog"}
    if method == "multi-task":
        assert y.shape == (30, 2) and set(y[:, 0]) == {"cat", "dog"}


@pytest.mark.parametrize("method", SEMI)
def test_a_real_class_minus_one_is_never_taken_for_unlabeled(monkeypatch, method):
    """Labels in {-1, +1}: the rows that hide labels train on class codes, so
    exactly the hidden 80% read as unlabeled and both classes keep labels."""
    res, y = _run(monkeypatch, method, _pool([-1, 1]))
    assert res.note == "" and 0 <= res.test_accuracy <= 1, res.note
    hidden = hidden_mask(y)
    assert hidden.sum() == round(HIDDEN_LABEL_FRACTION * 30)
    assert sorted(set(y[~hidden])) == [0, 1]


def test_supervised_tuning_scores_every_validation_row():
    """A class -1 is scored like any other class: with 70% of the rows in
    class -1, always predicting -1 must win (scoring only the +1 rows chose +1)."""
    y = np.where(np.arange(50) % 10 < 7, -1, 1)
    X = np.zeros((50, 1))
    est, chosen = tune(DummyClassifier(strategy="constant", constant=1),
                       {"constant": [-1, 1]}, X, y, seed=0)
    assert chosen == {"constant": -1}
    hidden = np.where(np.arange(50) % 10 < 7, -1, np.arange(50) % 2)  # -1: hidden
    _, chosen = tune(DummyClassifier(strategy="constant", constant=1),
                     {"constant": [0, 1]}, X, hidden, seed=0, hides_labels=True)
    assert chosen == {"constant": 1} or chosen == {"constant": 0}


def test_hide_labels_of_every_label_type():
    y = np.repeat(np.arange(5, dtype=np.uint8), 4)
    hidden = hide_labels(y, seed=0)
    assert hidden.dtype == np.int64 and hidden_mask(hidden).sum() == 15  # uint8 wraps; 5 classes keep 1
    assert np.array_equal(hidden[~hidden_mask(hidden)], np.arange(5))
    assert hide_labels(np.array([0.0, 1.0] * 10), 0).dtype.kind == "f"
    strings = hide_labels(np.array(["-1", "a"] * 10), seed=0)
    assert set(strings[~hidden_mask(strings)]) == {"-1", "a"}  # "-1" is a class
    with pytest.raises(ValueError, match="-1 is a class of y; encode the labels"):
        hide_labels(np.array([-1, 1] * 5), 0)


def test_encode_and_strata():
    y, y_test = encode(np.array([-1, 3, 1]), np.array([3, 5]))
    assert y.tolist() == [0, 2, 1] and y_test.tolist() == [2, 3]
    same = np.array(["a", "b"])
    assert encode(same, same)[0] is not None and encode(same, same)[0].tolist() == \
        ["a", "b"]
    assert strata(np.array([["b", 1], [-1, 0], ["a", 0]], dtype=object)).tolist() == \
        [1, -1, 0]
    Y = multitask_targets(np.array([-1, 1]), np.array([-1, 1]))
    assert Y.tolist() == [[-1, 0], [1, 1]]
