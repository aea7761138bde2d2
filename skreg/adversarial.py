"""Adversarial training (chapter 7.13) with the fast gradient sign method of
Goodfellow, Shlens & Szegedy (2014), and attacks on fitted estimators.

In training, each minibatch's objective becomes
``(1 - w) J(x) + w J(x + eps sign(grad_x J(x)))``, the direction taken from
the batch's own first pass (same dropout masks, same smoothed targets); no
clipping. ``fgsm`` and ``adversarial_score`` attack a fitted estimator at
prediction time; ``ensemble_fgsm`` attacks a bagged ensemble through its
soft vote.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["adversarial_score", "ensemble_fgsm", "fgsm"]


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


def _check_eps(eps):
    if not np.isscalar(eps) or not eps >= 0:
        raise ValueError(f"eps must be a float >= 0, got {eps!r}.")


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
    _check_eps(eps)
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


def ensemble_fgsm(bag, X, y, eps, clip=None):
    """FGSM against a soft-voting ``BaggingClassifier`` of skreg networks.

    The direction is the sign of the gradient of the ensemble's own loss,
    ``-log(mean_m p_m(y | x))``: each member's cross-entropy gradient
    weighted by its probability of the true class (a white-box attack on
    the whole ensemble, not on one member).

    Parameters
    ----------
    bag : sklearn.ensemble.BaggingClassifier
        A fitted bagging ensemble of DFNClassifier members.
    X : array-like of shape (n_samples, n_features)
        The inputs attacked.
    y : array-like of shape (n_samples,)
        Their true labels (values of ``bag.classes_``).
    eps : float >= 0
        Max-norm of each row's perturbation.
    clip : tuple of (low, high) or None, default=None
        Range the attacked inputs are clipped to, if any.

    Returns
    -------
    X_adv : ndarray of shape (n_samples, n_features)
        ``X`` moved by ``eps`` along the sign of the ensemble's gradient.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.ensemble import BaggingClassifier
    >>> from skreg import DFNClassifier
    >>> from skreg.adversarial import ensemble_fgsm
    >>> X, y = load_digits(return_X_y=True)
    >>> X = X / 16
    >>> bag = BaggingClassifier(DFNClassifier((16,), max_iter=30),
    ...                         n_estimators=3, random_state=0).fit(X, y)
    >>> X_adv = ensemble_fgsm(bag, X, y, 0.2, clip=(0, 1))
    >>> bag.score(X_adv, y) < bag.score(X, y)
    True
    """
    _check_eps(eps)
    check_is_fitted(bag)
    X = np.asarray(X)
    X = X if X.dtype.kind == "f" else X.astype(np.float32)
    X_adv = X + np.sign(_ensemble_input_gradient(bag, X, y)).astype(X.dtype) * eps
    return X_adv if clip is None else np.clip(X_adv, *clip)


def _ensemble_input_gradient(bag, X, y):
    """``sum_m p_m(y|x) grad_x CE_m``: a positive multiple, row by row, of
    the gradient of ``-log(mean_m p_m(y|x))``."""
    codes = np.searchsorted(bag.classes_, y)
    grad = np.zeros(X.shape, dtype=np.float64)
    for member, features in zip(bag.estimators_, bag.estimators_features_):
        rows = np.flatnonzero(np.isin(codes, member.classes_))  # p = 0 elsewhere
        Xm, labels = X[np.ix_(rows, features)], codes[rows]
        column = np.searchsorted(member.classes_, labels)
        p_true = member.predict_proba(Xm)[np.arange(len(rows)), column]
        _, g = _input_gradient(member, Xm, labels)
        np.add.at(grad, np.ix_(rows, features), p_true[:, None] * g)
    return grad
