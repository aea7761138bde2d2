"""Learning-rate schedules over the epochs of a fit, and the checks of the
parameters that act on the update rule (schedule, warm-up, weight decay).

``learning_rate="cosine"`` (Loshchilov & Hutter, "SGDR", ICLR 2017, one
cycle without restarts) anneals the learning rate of "sgd" and "adam" from
``learning_rate_init`` to 0 over the ``max_iter`` epochs; ``warmup_epochs``
first ramps it up linearly (Goyal et al. 2017). Both are computed per
update from the fraction of epochs done, so a batch of an epoch of
``n_batches`` starts at ``e = epochs_done + batch / n_batches``:

* warm-up, while ``e + 1 / n_batches < W``: ``lr = lr0 (e + 1 / n_batches) / W``
  (the warm-up's last update reaches ``lr0``);
* then ``lr = lr0 * 0.5 * (1 + cos(pi * (e - W) / (T - W)))`` for "cosine",
  ``lr0`` for "constant", with ``T = max_iter`` (clipped to 0 at the end).
"""

import math

_NOT_LBFGS = "solver='lbfgs' has no learning rate or update rule of its own"


class Cosine:
    """The factor of ``learning_rate_init`` at each update (see the module)."""

    def __init__(self, max_epochs, warmup_epochs=0.0, anneal=True):
        self.max_epochs = float(max_epochs)
        self.warmup_epochs = float(warmup_epochs)
        self.anneal = anneal

    def factor(self, start, length):
        """The factor of the update that starts ``start`` epochs into the
        schedule and covers ``length`` epochs (1 / n_batches)."""
        end, warmup = start + length, self.warmup_epochs
        if end < warmup:
            return end / warmup
        if not self.anneal:
            return 1.0
        done = min(max(start - warmup, 0.0) / (self.max_epochs - warmup), 1.0)
        return 0.5 * (1.0 + math.cos(math.pi * done))


def epoch_schedule(est):
    """The ``Cosine`` schedule the parameters ask for, or None."""
    if est.learning_rate != "cosine" and not est.warmup_epochs:
        return None
    return Cosine(est.max_iter, est.warmup_epochs, est.learning_rate == "cosine")


def check_update_rule(est):
    """``ValueError`` for schedule, warm-up and weight decay settings that
    cannot work (the declarative constraints check each alone)."""
    if est.solver == "lbfgs":
        for name, used in (("weight_decay", est.weight_decay > 0),
                           ("learning_rate='cosine'", est.learning_rate == "cosine"),
                           ("warmup_epochs", est.warmup_epochs > 0)):
            if used:
                raise ValueError(
                    f"{name} needs solver='sgd' or 'adam': {_NOT_LBFGS}. "
                    "With lbfgs use penalty='l2' instead of weight decay."
                    if name == "weight_decay" else
                    f"{name} needs solver='sgd' or 'adam': {_NOT_LBFGS}."
                )
    if est.warmup_epochs and est.learning_rate not in ("constant", "cosine"):
        raise ValueError(
            f"warmup_epochs works with learning_rate='constant' or 'cosine', "
            f"not {est.learning_rate!r}."
        )
    if est.warmup_epochs >= est.max_iter:
        raise ValueError(
            f"warmup_epochs={est.warmup_epochs} must be less than "
            f"max_iter={est.max_iter} (the schedule's length in epochs)."
        )
