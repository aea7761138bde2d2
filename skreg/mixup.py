"""Mixup (Zhang, Cisse, Dauphin & Lopez-Paz, "mixup: Beyond Empirical Risk
Minimization", ICLR 2018): data augmentation by convex combinations.

Each training minibatch of m rows is replaced by
``x~_i = lam x_i + (1 - lam) x_p(i)`` and likewise its targets (one-hot or
label-smoothed class targets, or a regressor's y), with ``lam ~
Beta(alpha, alpha)`` and ``p`` a permutation of the batch, one draw of each
per batch from the fit's generator (``lam`` first).

With sample weights (or class weights), a mixed row stands for ``lam``
times row i's weighted loss plus ``1 - lam`` times row p(i)'s: its weight is
``w~ = lam w_i + (1 - lam) w_p(i)`` and its target the weight-proportional
mix ``(lam w_i y_i + (1 - lam) w_p(i) y_p(i)) / w~``. Cross-entropy is
linear in the target, so this is that weighted sum of losses exactly; the
squared error differs from it by a constant, so the gradient is the same.
The batch's weight sum, the ``n`` of the penalties, is unchanged; with
equal weights the formula is Zhang et al.'s.
"""

import numpy as np
from scipy import sparse


class Mixup:
    """The mixup step of one fit (``mixup_alpha > 0``)."""

    def __init__(self, alpha, rng):
        self.alpha = float(alpha)
        self.rng = rng
        self._buffers = None

    def draw(self, m):
        """``(lam, permutation)`` for a batch of ``m`` rows."""
        lam = self.rng.beta(self.alpha, self.alpha)
        return lam, self.rng.permutation(m)

    def mix(self, X, Y, sample_weight):
        """The mixed batch ``(X~, Y~, w~)`` (in buffers reused every batch)."""
        if sparse.issparse(X):
            X = X.toarray()
        lam, perm = self.draw(X.shape[0])
        return self.combine(X, Y, sample_weight, lam, perm)

    def combine(self, X, Y, sample_weight, lam, perm):
        """The batch mixed with weight ``lam`` and partners ``perm``."""
        m = X.shape[0]
        x_mix, x_other, y_mix, y_other = self._views(X, Y)
        _blend(X, np.take(X, perm, axis=0, out=x_other), lam, 1.0 - lam, x_mix)
        other = np.take(Y, perm, axis=0, out=y_other)
        if sample_weight is None:
            return x_mix, _blend(Y, other, lam, 1.0 - lam, y_mix), None
        own, theirs = lam * sample_weight, (1.0 - lam) * sample_weight[perm]
        weight = own + theirs
        share = np.divide(own, weight, out=np.full(m, lam, weight.dtype),
                          where=weight > 0)
        _blend(Y, other, share[:, None], 1.0 - share[:, None], y_mix)
        return x_mix, y_mix, weight.astype(sample_weight.dtype, copy=False)

    def _views(self, X, Y):
        m = X.shape[0]
        if self._buffers is None or self._buffers[0].shape[0] < m:
            self._buffers = (np.empty_like(X), np.empty_like(X),
                             np.empty_like(Y), np.empty_like(Y))
        return [b[:m] for b in self._buffers]


def _blend(a, b, share_a, share_b, out):
    """``share_a * a + share_b * b`` into ``out`` (``b`` is overwritten)."""
    np.multiply(a, share_a, out=out)
    b *= share_b
    out += b
    return out
