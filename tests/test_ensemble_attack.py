"""FGSM against a bagged ensemble (skreg.adversarial.ensemble_fgsm): the
direction is the gradient of the soft vote's own loss."""

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier

from skreg import DFNClassifier
from skreg.adversarial import _ensemble_input_gradient, ensemble_fgsm


@pytest.fixture(scope="module")
def bag(small_digits):
    X, y, _, _ = small_digits
    return BaggingClassifier(DFNClassifier((8,), max_iter=5, dtype=np.float64,
                                           random_state=0),
                             n_estimators=3, random_state=0).fit(X, y)


def test_ensemble_gradient_matches_finite_differences(bag, small_digits):
    """FGSM direction of bagging = gradient of -log(mean_m p_m(y|x))."""
    X, y, _, _ = small_digits
    x, label = X[:3].astype(np.float64), y[:3]
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


@pytest.mark.parametrize("eps", [-0.1, float("nan"), [0.1, 0.2]])
def test_ensemble_fgsm_refuses_a_bad_eps(bag, small_digits, eps):
    X, y, _, _ = small_digits
    with pytest.raises(ValueError, match="eps must be a float >= 0"):
        ensemble_fgsm(bag, X[:2], y[:2], eps)
