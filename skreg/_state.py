"""Undoing a failed call: the state of an estimator before it."""

import copy

import numpy as np


class Saved:
    """An estimator's state before a call, to restore if the call fails.

    Everything a fit may change is deep-copied: every attribute that is not
    a constructor parameter (fitted attributes, the optimizer and its
    moments, the generator, caches) and the state of a ``random_state``
    Generator or RandomState instance, which the fit draws from. The
    parameters themselves are never changed by a fit and are kept as they
    are (by identity).
    """

    def __init__(self, est):
        names = set(est.get_params(deep=False))
        state = vars(est)
        self.params = {k: v for k, v in state.items() if k in names}
        self.fitted = copy.deepcopy({k: v for k, v in state.items() if k not in names})
        random = est.random_state
        if isinstance(random, np.random.Generator):
            self.random = (random.bit_generator, random.bit_generator.state)
        elif isinstance(random, np.random.RandomState):
            self.random = (random, random.get_state())
        else:
            self.random = None

    def restore(self, est):
        vars(est).clear()
        vars(est).update(self.params)
        vars(est).update(self.fitted)
        if self.random is None:
            return
        random, state = self.random
        if isinstance(random, np.random.RandomState):
            random.set_state(state)
        else:
            random.state = state
