"""Each defect of the chapter's numpy listing has a test that would catch it.

(The image-transform defects, a per-pixel loop and rotation/scaling about the
corner, are caught in test_augmentation.py: results must equal np.rot90 and
scipy.ndimage about the centre, on whole batches.)
"""

import pathlib
import re

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier

from skreg import DFNClassifier
from skreg.penalties import L1, L2

from .helpers import make_trainer, random_targets


def test_l2_gradient_uses_each_weight_matrix_not_the_last_parameter():
    """Listing: the L2 gradient was computed from the last entry of the
    parameter dict (the output bias) and added to every weight."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    Y = random_targets("softmax", 6, 3, rng)
    plain = make_trainer([3, 5, 4, 3], "tanh", "softmax", np.random.default_rng(1))
    l2 = make_trainer([3, 5, 4, 3], "tanh", "softmax", np.random.default_rng(1),
                      penalty=L2(), alpha=3.0)
    plain.objective(X, Y, None)
    l2.objective(X, Y, None)
    for W, g_plain, g_l2 in zip(l2.coefs, plain.coef_grads, l2.coef_grads):
        np.testing.assert_allclose(g_l2 - g_plain, 3.0 / 6 * W, rtol=1e-12)


def test_l1_value_and_gradient_share_one_scale():
    """Listing: L1 loss scaled by 1/2 but its gradient not."""
    w = np.array([2.0, -3.0, 0.5])
    penalty = L1().bind([(3, 1)], np.float64)
    assert penalty.value(w) == 5.5  # ||w||_1, not half of it
    h = 1e-6
    for i in range(3):
        e = np.zeros(3)
        e[i] = h
        slope = (penalty.value(w + e) - penalty.value(w - e)) / (2 * h)
        assert slope == pytest.approx(penalty.gradient(w)[i])


def test_l2_loss_excludes_biases():
    """Listing: the L2 loss summed over the biases too."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 3))
    Y = random_targets("softmax", 8, 3, rng)
    trainer = make_trainer([3, 4, 3], "tanh", "softmax", rng, penalty=L2(), alpha=2.0)
    base = trainer.objective(X, Y, None)
    n_w = trainer.network.layout.n_weights
    trainer.params[n_w:] = 0.0
    data_only = make_trainer([3, 4, 3], "tanh", "softmax", rng)
    data_only.params[...] = trainer.params
    expected = data_only.objective(X, Y, None) + 2.0 / 8 * 0.5 * np.sum(trainer.weights**2)
    assert trainer.objective(X, Y, None) == pytest.approx(expected, rel=1e-12)
    trainer.params[n_w:] = 100.0  # huge biases change the data term only
    data_only.params[...] = trainer.params
    expected = data_only.objective(X, Y, None) + 2.0 / 8 * 0.5 * np.sum(trainer.weights**2)
    assert trainer.objective(X, Y, None) == pytest.approx(expected, rel=1e-12)
    assert base != expected


def test_no_eval_or_exec_and_spec_strings_are_table_lookups():
    """Listing: spec strings were parsed with eval."""
    source = pathlib.Path(__file__).parents[1] / "skreg"
    for path in source.rglob("*.py"):
        text = path.read_text()
        assert not re.search(r"(?<![\w.])(eval|exec)\(", text), path
    with pytest.raises(ValueError, match="penalty"):
        DFNClassifier(penalty="L2()").fit(np.eye(4), [0, 1, 0, 1])


def test_bagging_predicts_whole_batches(small_digits):
    """Listing: bagging predicted one sample at a time. sklearn's
    BaggingClassifier calls predict_proba once per member on the whole batch;
    the soft vote equals the mean of the members' batch predictions."""
    X, y, Xt, yt = small_digits
    bag = BaggingClassifier(DFNClassifier((16,), max_iter=50, learning_rate_init=0.01),
                            n_estimators=3, random_state=0).fit(X, y)
    members = [m.predict_proba(Xt[:, f]) for m, f in
               zip(bag.estimators_, bag.estimators_features_)]
    np.testing.assert_allclose(bag.predict_proba(Xt), np.mean(members, axis=0), rtol=1e-6)
    assert bag.score(Xt, yt) > 0.8
