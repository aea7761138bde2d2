"""Adversarial training (chapter 7.13) with the fast gradient sign method of
Goodfellow, Shlens & Szegedy (2014), and attacks on fitted estimators.

In training, each minibatch's objective becomes
``(1 - w) J(x) + w J(x + eps sign(grad_x J(x)))``, the direction taken from
the batch's own first pass (same dropout masks, same smoothed targets); no
clipping. ``fgsm`` and ``adversarial_score`` attack a fitted estimator at
prediction time.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["fgsm", "adversarial_score"]


class FGSMTraining:
    """The adversarial step of ``Trainer.objective``.

    Parameters
    ----------
    eps : float
        Size of the perturbation of each input.
    weight : float in [0, 1]
        Share ``w`` of the adversarial term.
    batch_size, n_features, n_params : int
    dtype : numpy dtype
    """

    def __init__(self, eps, weight, batch_size, n_features, n_params, dtype):
        self.eps = float(eps)
        self.weight = float(weight)
        self.x_adv = np.empty((batch_size, n_features), dtype)
        self.saved_grad = np.empty(n_params, dtype)

    def combine(self, trainer, X, Y, sample_weight, coefs, intercepts, loss):
        """After the clean pass: run the adversarial pass, mix the two
        gradients in ``trainer.grad`` and return the mixed objective."""
        m = X.shape[0]
        x_adv = trainer.input_gradient(coefs, m, self.x_adv[:m])
        np.sign(x_adv, out=x_adv)
        x_adv *= self.eps
        x_adv += X
        w = self.weight
        np.multiply(trainer.grad, 1.0 - w, out=self.saved_grad)
        adv_loss = trainer.data_objective(x_adv, Y, sample_weight, coefs, intercepts)
        trainer.grad *= w
        trainer.grad += self.saved_grad
        return (1.0 - w) * loss + w * adv_loss


def _input_gradient(estimator, X, y):
    """Gradient of the prediction-time data loss w.r.t. the inputs."""
    check_is_fitted(estimator)
    X, Y = estimator._attack_data(X, y)
    network, scales = estimator._prediction_network()
    return X, network.input_gradient(X, Y, estimator.coefs_,
                                     estimator.intercepts_, scales)


def fgsm(estimator, X, y, eps, clip=None):
    """Fast-gradient-sign adversarial examples for a fitted skreg estimator.

    ``X + eps * sign(grad_X J(X, y))`` where J is the estimator's data loss
    at prediction time (cross-entropy for classifiers, squared error for
    regressors) on the given labels.

    Parameters
    ----------
    estimator : estimator instance
        A fitted DFNClassifier or DFNRegressor.
    X : array-like of shape (n_samples, n_features)
        Inputs to perturb.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True labels or targets.
    eps : float >= 0
        Size of the perturbation (its max-norm).
    clip : tuple of (low, high) or None, default=None
        Clip the adversarial inputs to this range (e.g. ``(0, 1)`` pixels).

    Returns
    -------
    X_adv : ndarray of shape (n_samples, n_features)
        The perturbed inputs.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skreg import DFNClassifier
    >>> from skreg.adversarial import fgsm
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = DFNClassifier((32,), max_iter=20, random_state=0).fit(X / 16, y)
    >>> X_adv = fgsm(clf, X / 16, y, eps=0.1, clip=(0, 1))
    >>> X_adv.shape, float(abs(X_adv - X / 16).max()) <= 0.1 + 1e-6
    ((1797, 64), True)
    """
    if not np.isscalar(eps) or not eps >= 0:
        raise ValueError(f"eps must be a float >= 0, got {eps!r}.")
    X, grad = _input_gradient(estimator, X, y)
    X_adv = X + eps * np.sign(grad)
    if clip is not None:
        low, high = clip
        np.clip(X_adv, low, high, out=X_adv)
    return X_adv


def adversarial_score(estimator, X, y, eps, clip=None):
    """Score the estimator on inputs attacked with :func:`fgsm`.

    Parameters
    ----------
    estimator : estimator instance
        A fitted DFNClassifier or DFNRegressor.
    X : array-like of shape (n_samples, n_features)
        Inputs to attack.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True labels or targets.
    eps : float >= 0
        Size of the attack (max-norm of the perturbation).
    clip : tuple of (low, high) or None, default=None
        Clip the adversarial inputs to this range.

    Returns
    -------
    score : float
        ``estimator.score(fgsm(estimator, X, y, eps, clip), y)``: accuracy
        for classifiers, R^2 for regressors.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skreg import DFNClassifier
    >>> from skreg.adversarial import adversarial_score
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = DFNClassifier((32,), max_iter=20, random_state=0).fit(X / 16, y)
    >>> adversarial_score(clf, X / 16, y, eps=0.2) < clf.score(X / 16, y)
    True
    """
    return estimator.score(fgsm(estimator, X, y, eps, clip), y)
