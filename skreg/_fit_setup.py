"""What every trainer of one fit shares (network, penalty, constraint,
regularizer settings, generator), and how a trainer is made from it: for
the first training, a refit, or a continued ``partial_fit``."""

from . import epochs
from .optimizers import make_optimizer
from .penalties import resolve_max_norm
from .regularizers import build_regularizers
from .training import Trainer


class FitSetup:
    """What every trainer of one fit shares: network, penalty, constraint,
    regularizer settings and the generator."""

    def __init__(self, est, network, penalty, keep, rng):
        self.est = est
        self.network = network
        self.penalty = penalty
        self.keep = keep
        self.rng = rng
        self.constraint = resolve_max_norm(est.max_norm)

    def trainer(self, params, train, fresh, ramp_epochs=None):
        """A trainer over ``train`` (X, Y, sample_weight, rows); ``fresh``
        makes a new optimizer, else the estimator's is continued.
        ``ramp_epochs``: where the unsupervised ramp-up starts (None: after
        the rows trained before, ``t_``, in epochs of these rows)."""
        est, X, n_rows = self.est, train[0], epochs.n_rows(train)
        if ramp_epochs is None:
            ramp_epochs = getattr(est, "t_", 0) / n_rows
        opt = getattr(est, "_optimizer", None)
        if fresh or opt is None or opt.learning_rate_init != est.learning_rate_init:
            opt = make_optimizer(est, params.size, params.dtype)
        est._optimizer = opt
        batch_size = est._batch_size(n_rows)
        regs = build_regularizers(est, self.keep, self.network.layout, batch_size,
                                  X, self.rng, n_rows, ramp_epochs)
        return Trainer(self.network, params, opt, self.penalty, est.alpha,
                       self.constraint, batch_size, regs)
