"""From the estimator's parameters to the training-time steps of a fit.

``check_regularizers`` validates what the declarative constraints cannot
(tuples, combinations); ``build_regularizers`` makes the steps, each seeded
from the fit's one generator.
"""

import numpy as np
from sklearn.base import clone

from ._warps import _resolve_shape
from .activity import ActivityL1
from .adversarial import FGSMTraining
from .dropout import Dropout, keep_probabilities
from .mixup import Mixup
from .noise import InputNoise, WeightNoise
from .schedules import check_update_rule
from .semi_supervised import Reconstruction
from .training import Regularizers
from .unsupervised import WEIGHTS as UNSUPERVISED
from .unsupervised import build_unsupervised, check_unsupervised
from .weight_decay import WeightDecay

STOCHASTIC = ("dropout_keep", "input_noise", "weight_noise", "augment",
              "adversarial_eps", "mixup_alpha")


def _stochastic_in_use(est, keep):
    used = []
    if any(p < 1.0 for p in keep):
        used.append("dropout_keep")
    used += [name for name in STOCHASTIC[1:] if getattr(est, name)]
    return used


def check_regularizers(est, n_hidden, n_conv=0):
    """Validate the training-time regularizers; return the keep probabilities
    (``n_hidden`` dense hidden layers after ``n_conv`` convolution blocks)."""
    keep = keep_probabilities(est.dropout_keep, n_hidden, n_conv)
    check_update_rule(est)
    check_unsupervised(est, [name for name in _stochastic_in_use(est, keep)
                             if name not in ("adversarial_eps", "mixup_alpha")])
    check_mixup(est)
    if est.solver == "lbfgs":
        used = _stochastic_in_use(est, keep)
        if used:
            raise ValueError(
                f"solver='lbfgs' needs a deterministic objective, but {used} "
                "draw random numbers every batch; use solver='adam' or 'sgd'."
            )
    return keep


def check_mixup(est):
    """Mixup mixes targets: unlabeled rows (labels -1 with an unsupervised
    term or the reconstruction head) have none."""
    if not est.mixup_alpha:
        return
    terms = [name for name in ("reconstruction_weight", *UNSUPERVISED)
             if getattr(est, name, 0) > 0]
    if terms:
        raise ValueError(
            f"mixup_alpha cannot be combined with {terms}: their unlabeled rows "
            "(labels -1) have no target to mix. Set mixup_alpha=0 or use the "
            "supervised regularizers."
        )


def _augmenter(est, X, rng, batch_size):
    """A clone of ``est.augment`` fitted on a few rows, as ``batch -> batch``.

    skreg's ImageAugmenter draws from the fit's generator directly and writes
    into one buffer per fit; any other transformer is seeded from the
    generator (when it has a ``random_state``).
    """
    if est.augment is None:
        return None
    aug = estimator_augmenter(est, X.shape[1])
    if hasattr(aug, "_augment_batch"):
        aug.fit(_dense(X[:2]))
        buffer = np.empty((batch_size, X.shape[1]), est.dtype)

        def augment(batch):
            out = buffer[: len(batch)] if len(batch) <= batch_size else None
            return aug._augment_batch(batch, rng, out)

        return augment
    if "random_state" in aug.get_params():
        aug.set_params(random_state=int(rng.integers(np.iinfo(np.int32).max)))
    aug.fit(_dense(X[:2]))
    return aug.transform


def estimator_augmenter(est, n_features):
    """An unfitted clone of ``est.augment`` that takes the estimator's
    ``image_shape`` when its own ``image_shape`` is None (a conflicting one
    is a ``ValueError``: the two would disagree on which pixel is which)."""
    aug = clone(est.augment)
    shape, params = est.image_shape, aug.get_params()
    if shape is None or "image_shape" not in params:
        return aug
    own = params["image_shape"]
    if own is None:
        return aug.set_params(image_shape=shape)
    if _resolve_shape(n_features, own) != _resolve_shape(n_features, shape):
        raise ValueError(
            f"augment has image_shape={own!r} but the estimator has "
            f"image_shape={shape!r}; set one of them (or make them equal)."
        )
    return aug


def _dense(X):
    return X.toarray() if hasattr(X, "toarray") else X


def build_regularizers(est, keep, layout, batch_size, X, rng, n_rows=None,
                       epochs_before=0.0):
    """The ``Regularizers`` bundle of a fit on ``n_rows`` training rows of
    ``X`` (default all), after ``epochs_before`` epochs (the ramp-up's)."""
    dtype = np.dtype(est.dtype)
    n_features = layout.sizes[0]
    dropout = None
    if any(p < 1.0 for p in keep):
        dropout = Dropout(keep, est.dropout_mode, layout.sizes[:-1], batch_size,
                          dtype, rng)
    return Regularizers(
        augment=_augmenter(est, X, rng, batch_size),
        input_noise=(InputNoise(est.input_noise, batch_size, n_features, dtype, rng)
                     if est.input_noise else None),
        weight_noise=(WeightNoise(est.weight_noise, layout, dtype, rng)
                      if est.weight_noise else None),
        dropout=dropout,
        activity=ActivityL1(est.activity_alpha) if est.activity_alpha else None,
        reconstruction=(Reconstruction(est.reconstruction_weight, layout, batch_size,
                                       dtype) if layout.decoder else None),
        adversary=(FGSMTraining(est.adversarial_eps, est.adversarial_weight,
                                batch_size, n_features, layout.n_params, dtype)
                   if est.adversarial_eps else None),
        unsupervised=build_unsupervised(
            est, layout, batch_size, X.shape[0] if n_rows is None else n_rows,
            epochs_before, dtype, rng),
        weight_decay=WeightDecay(est.weight_decay) if est.weight_decay else None,
        mixup=Mixup(est.mixup_alpha, rng) if est.mixup_alpha else None,
    )
