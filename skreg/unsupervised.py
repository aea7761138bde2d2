"""The unsupervised terms of a classifier's objective (chapter 7.6, 7.13):
virtual adversarial training, consistency and entropy minimization, their
ramp-up, their checks and their construction from the estimator.

When any of ``vat_weight``, ``consistency_weight``, ``entropy_weight`` (or
``reconstruction_weight``) is > 0, labels of ``-1`` mark unlabeled rows: the
supervised term averages over the labeled rows, the unsupervised terms see
every row (entropy: the unlabeled ones). The weights are multiplied by the
ramp-up ``exp(-5 (1 - t)^2)`` of Laine & Aila (2017), ``t`` the fraction of
``unsupervised_rampup`` training epochs done so far: rows seen over the
training rows (never the validation rows), so it grows within an epoch and
continues across ``warm_start`` fits and ``partial_fit`` calls. The
``"retrain"`` refit starts it again with its re-initialised weights;
``"continue"`` carries it on.
"""

import numpy as np

from .consistency import Consistency, EntropyMinimization
from .semi_supervised import LabelMaskedLoss
from .virtual_adversarial import VirtualAdversarial

WEIGHTS = ("vat_weight", "consistency_weight", "entropy_weight")


def rampup(progress):
    """Laine & Aila's ramp ``exp(-5 (1 - t)^2)`` for ``t = min(progress, 1)``."""
    t = min(max(float(progress), 0.0), 1.0)
    return float(np.exp(-5.0 * (1.0 - t) ** 2))


class UnsupervisedTerms:
    """The ``Regularizers.unsupervised`` slot of ``Trainer.objective``.

    ``keep_outputs`` copies the batch's first-pass outputs (the fixed
    targets ``p``); ``add`` then runs each term's extra passes and adds its
    gradient to ``trainer.grad``.

    Parameters
    ----------
    vat : VirtualAdversarial or None
    consistency : Consistency or None
    entropy : EntropyMinimization or None
    weights : tuple of float
        Weights of (vat, consistency, entropy).
    rampup : float
        Epochs over which the weights ramp up (0: no ramp).
    epochs_before : float
        Epochs trained before this trainer.
    n_rows : int
        Training rows of one epoch of this trainer.
    batch_size, n_outputs, n_params : int
    dtype : numpy dtype
    """

    def __init__(self, vat, consistency, entropy, weights, rampup, epochs_before,
                 n_rows, batch_size, n_outputs, n_params, dtype):
        self.terms = (vat, consistency, entropy)
        self.weights = tuple(float(w) for w in weights)
        self.rampup = float(rampup)
        self.epochs_before = float(epochs_before)
        self.n_rows = int(n_rows)
        self.outputs = np.empty((batch_size, n_outputs), dtype)
        self.total = np.empty(n_params, dtype)
        self.unlabeled = np.empty(batch_size, dtype)

    def keep_outputs(self, P):
        np.copyto(self.outputs[: P.shape[0]], P)

    def epochs(self, trainer):
        """Epochs trained so far, this trainer's included (fractional)."""
        return self.epochs_before + trainer.samples_seen / self.n_rows

    def scale(self, trainer):
        """The ramp-up factor at this trainer's current step."""
        if self.rampup <= 0:
            return 1.0
        return rampup(self.epochs(trainer) / self.rampup)

    def add(self, trainer, X_raw, X, Y, sample_weight, coefs, intercepts):
        """Add the terms' gradients to ``trainer.grad``; return their value."""
        m = X.shape[0]
        P = self.outputs[:m]
        ramp = self.scale(trainer)
        vat, consistency, entropy = self.terms
        w_vat, w_cons, w_ent = (ramp * w for w in self.weights)
        np.copyto(self.total, trainer.grad)
        value = 0.0
        if vat is not None:
            value += vat.value_and_gradient(trainer, X, P, sample_weight, coefs,
                                            intercepts, w_vat)
            self.total += trainer.grad
        if entropy is not None:
            unlabeled = self._unlabeled(trainer, Y, sample_weight)
            if unlabeled.any():
                value += entropy.value_and_gradient(trainer, X, unlabeled, coefs,
                                                    intercepts, w_ent)
                self.total += trainer.grad
        if consistency is not None:  # last: it redraws masks and noise
            value += consistency.value_and_gradient(trainer, X_raw, P, sample_weight,
                                                    w_cons)
            self.total += trainer.grad
        np.copyto(trainer.grad, self.total)
        return value

    def _unlabeled(self, trainer, Y, sample_weight):
        """Each row's weight in the entropy term: 0 for labeled rows (the
        targets' last column flags them when the output loss is masked)."""
        out = self.unlabeled[: Y.shape[0]]
        if not isinstance(trainer.network.output, LabelMaskedLoss):
            out.fill(0.0)
            return out
        np.subtract(1.0, Y[:, -1], out=out)
        if sample_weight is not None:
            out *= sample_weight
        return out


def unsupervised_weights(est):
    """``(vat, consistency, entropy)`` weights of an estimator (0 for one
    without the parameters, e.g. DFNRegressor)."""
    return tuple(float(getattr(est, name, 0.0)) for name in WEIGHTS)


def check_unsupervised(est, stochastic):
    """Cross-parameter checks: the solver, and a consistency term needs a
    stochastic pass (``stochastic``: the parameters that draw noise)."""
    w_vat, w_cons, _ = unsupervised_weights(est)
    if est.solver == "lbfgs" and getattr(est, "unsupervised_rampup", 0) > 0:
        raise ValueError(
            "unsupervised_rampup counts training epochs, but solver='lbfgs' "
            f"has none; got unsupervised_rampup={est.unsupervised_rampup!r}. Set "
            "unsupervised_rampup=0 or use solver='adam' or 'sgd'."
        )
    if est.solver == "lbfgs" and (w_vat or w_cons):
        raise ValueError(
            "solver='lbfgs' needs a deterministic objective, but vat_weight and "
            "consistency_weight draw random numbers every batch; use "
            "solver='adam' or 'sgd'."
        )
    if w_cons and not stochastic:
        raise ValueError(
            "consistency_weight > 0 compares two stochastic passes, but "
            "nothing is stochastic: set dropout_keep < 1, input_noise > 0, "
            "weight_noise > 0 or augment."
        )


def build_unsupervised(est, layout, batch_size, n_rows, epochs_before, dtype, rng):
    """The ``UnsupervisedTerms`` of a trainer over ``n_rows`` training rows
    after ``epochs_before`` epochs, or None when every weight is 0."""
    w_vat, w_cons, w_ent = weights = unsupervised_weights(est)
    if not any(weights):
        return None
    n_features, n_outputs = layout.sizes[0], layout.sizes[layout.n_layers]
    vat = (VirtualAdversarial(est.vat_eps, est.vat_xi, est.vat_power_iterations,
                              batch_size, n_features, dtype, rng) if w_vat else None)
    consistency = Consistency(batch_size, n_outputs, dtype) if w_cons else None
    entropy = EntropyMinimization() if w_ent else None
    return UnsupervisedTerms(
        vat, consistency, entropy, weights, est.unsupervised_rampup,
        epochs_before, n_rows, batch_size, n_outputs, layout.n_params, dtype)


def ramp_epochs(trainer):
    """Epochs the ramp-up of ``trainer`` has counted (0 without one)."""
    terms = trainer.reg.unsupervised
    return 0.0 if terms is None else terms.epochs(trainer)
