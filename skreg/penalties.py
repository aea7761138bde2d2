"""Weight penalties (chapter 7.1) and the max-norm constraint (7.2).

A penalty ``Omega`` acts on the network's weights only, never on its biases.
The estimator passes it the weights as one flat, contiguous vector (all
weight matrices back to back, in layer order), so each operation is a single
BLAS or numpy call. Each penalty keeps its value, its gradient and its
proximal step side by side:

* ``value(w)``          Omega(w)
* ``gradient(w)``       dOmega/dw wherever it exists (sign(w) for the L1 part)
* ``penalize(w, g, scale, scratch)``   g += scale * d(smooth part)/dw; Omega(w)
* ``prox(w, threshold, scratch)``       soft-threshold the L1 part in place

All of them are the one family ``l1 * ||w||_1 + l2 / 2 * ||w - r||^2``; the
strength ``alpha`` always comes from the estimator.
"""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator

from ._kernels import compiled

__all__ = ["Penalty", "L1", "L2", "ElasticNet", "MaxNorm"]


class Penalty(BaseEstimator):
    """Base class: ``Omega(w) = l1 ||w||_1 + l2 / 2 ||w - reference||^2``.

    Subclasses only say how much of each part they hold (``_l1_weight`` and
    ``_l2_weight``) and whether they have a reference point. Everything is
    computed in one place, ``penalize``; ``value`` and ``gradient`` are
    conveniences built on it.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import ElasticNet
    >>> w = np.array([0.3, -2.0])
    >>> p = ElasticNet(l1_ratio=0.5)
    >>> p.value(w), p.gradient(w)
    (2.1725, array([ 0.65, -1.5 ]))
    >>> p.prox(w, 1.0, np.empty(2)); w  # soft-threshold by 0.5: exact zero
    array([ 0. , -1.5])
    """

    _l1_weight = 0.0
    _l2_weight = 0.0

    @property
    def smooth(self):
        """True when the penalty is differentiable everywhere (no L1 part)."""
        return self._l1_weight == 0.0

    def bind(self, coef_shapes, dtype):
        """Return a copy ready for a network with these weight shapes.

        The copy holds the reference (if any) flattened in the network's
        layout.

        Parameters
        ----------
        coef_shapes : list of tuple of int
            Shape of each weight matrix, in layer order.
        dtype : numpy dtype
            Precision of the network's weights.

        Returns
        -------
        penalty : Penalty
            A copy of this penalty, bound to the layout.

        Raises
        ------
        ValueError
            If the reference's shapes differ from ``coef_shapes``.
        """
        bound = self.__class__(**self.get_params(deep=False))
        bound._reference_flat = self._flat_reference(coef_shapes, dtype)
        return bound

    def _flat_reference(self, coef_shapes, dtype):
        return None

    def _reference(self):
        return getattr(self, "_reference_flat", None)

    def penalize(self, w, g, scale, scratch):
        """Add ``scale`` times the smooth part's gradient to ``g``; return Omega.

        The L1 part contributes to the value only: its gradient step is the
        proximal step :meth:`prox`.

        Parameters
        ----------
        w : ndarray of shape (n_weights,)
            The flat weight vector.
        g : ndarray of shape (n_weights,) or None
            The flat gradient, updated in place; unused when ``scale`` is 0.
        scale : float
            Factor of the smooth part's gradient (0 for the value alone).
        scratch : ndarray of shape (n_weights,)
            A work buffer, overwritten.

        Returns
        -------
        value : float
            Omega(w).
        """
        total = 0.0
        if self._l1_weight:
            total += self._l1_weight * float(np.abs(w, out=scratch).sum())
        if self._l2_weight:
            ref = self._reference()
            d = w if ref is None else np.subtract(w, ref, out=scratch)
            total += 0.5 * self._l2_weight * float(np.dot(d, d))
            if scale:
                np.multiply(d, scale * self._l2_weight, out=scratch)
                g += scratch
        return total

    def value(self, w):
        """Omega at the flat weight vector ``w``.

        Parameters
        ----------
        w : ndarray of shape (n_weights,)
            The flat weight vector.

        Returns
        -------
        value : float
            Omega(w).
        """
        return self.penalize(w, None, 0.0, np.empty_like(w))

    def gradient(self, w):
        """Gradient dOmega/dw (the L1 part's is ``sign(w)``, undefined at 0).

        Parameters
        ----------
        w : ndarray of shape (n_weights,)
            The flat weight vector.

        Returns
        -------
        gradient : ndarray of shape (n_weights,)
            The gradient dOmega/dw at ``w``.
        """
        g = self._l1_weight * np.sign(w)
        self.penalize(w, g, 1.0, np.empty_like(w))
        return g

    def prox(self, w, threshold, scratch):
        """Soft-threshold ``w`` in place by ``l1 * threshold``.

        This is the proximal operator of the L1 part,
        ``sign(w) * max(|w| - t, 0)``, computed as ``w - clip(w, -t, t)``
        (two or four cheap passes instead of abs, maximum and copysign),
        which leaves exact zeros wherever ``|w| <= t``.

        Parameters
        ----------
        w : ndarray of shape (n_weights,)
            The flat weight vector, updated in place.
        threshold : float or ndarray of shape (n_weights,)
            The step size times the strength: a scalar, or one value per
            coordinate for adaptive optimizers (then it is used as a
            scratch buffer and overwritten).
        scratch : ndarray of shape (n_weights,)
            A work buffer, overwritten.
        """
        if not self._l1_weight:
            return
        if np.isscalar(threshold):
            t = self._l1_weight * threshold
            np.clip(w, -t, t, out=scratch)
        elif (kernel := compiled("soft_threshold")) is not None:
            kernel(w, threshold, w.dtype.type(self._l1_weight))
            return
        else:
            if self._l1_weight != 1.0:
                threshold *= self._l1_weight
            np.fmin(w, threshold, out=scratch)
            np.negative(threshold, out=threshold)
            np.fmax(scratch, threshold, out=scratch)
        w -= scratch


class L2(Penalty):
    """Squared L2 norm ``1/2 ||W - reference||^2`` (weight decay, 7.1.1).

    Parameters
    ----------
    reference : list of ndarray or None, default=None
        A point to pull the weights toward, shaped like an estimator's
        ``coefs_`` (parameter tying, chapter 7.9). ``None`` is zero.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import L2
    >>> L2().value(np.array([3.0, 4.0]))
    12.5
    """

    _l2_weight = 1.0

    def __init__(self, reference=None):
        self.reference = reference

    def _flat_reference(self, coef_shapes, dtype):
        if self.reference is None:
            return None
        ref = list(self.reference)
        shapes = [np.shape(r) for r in ref]
        if shapes != [tuple(s) for s in coef_shapes]:
            raise ValueError(
                f"L2 reference has weight shapes {shapes} but the network's "
                f"weights have shapes {[tuple(s) for s in coef_shapes]}."
            )
        return np.concatenate([np.asarray(r, dtype=dtype).ravel() for r in ref])


class L1(Penalty):
    """L1 norm ``||W||_1`` (7.1.2), applied by a proximal soft-threshold step.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import L1
    >>> L1().value(np.array([3.0, -4.0]))
    7.0
    """

    _l1_weight = 1.0

    def __init__(self):
        pass


class ElasticNet(Penalty):
    """``l1_ratio ||W||_1 + (1 - l1_ratio) / 2 ||W||^2``.

    Parameters
    ----------
    l1_ratio : float in [0, 1], default=0.5
        Share of the L1 part.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import ElasticNet
    >>> ElasticNet(l1_ratio=0.5).value(np.array([3.0, -4.0]))
    9.75
    """

    def __init__(self, l1_ratio=0.5):
        self.l1_ratio = l1_ratio

    @property
    def _l1_weight(self):
        return float(self.l1_ratio)

    @property
    def _l2_weight(self):
        return 1.0 - float(self.l1_ratio)

    def bind(self, coef_shapes, dtype):
        """Check ``l1_ratio``, then bind as :meth:`Penalty.bind` does.

        Parameters
        ----------
        coef_shapes : list of tuple of int
            Shape of each weight matrix, in layer order.
        dtype : numpy dtype
            Precision of the network's weights.

        Returns
        -------
        penalty : ElasticNet
            A copy of this penalty, bound to the layout.

        Raises
        ------
        ValueError
            If ``l1_ratio`` is not a number in [0, 1].
        """
        ratio = self.l1_ratio
        if not isinstance(ratio, Real) or not 0.0 <= ratio <= 1.0:
            raise ValueError(f"ElasticNet l1_ratio must be in [0, 1], got {ratio!r}.")
        return super().bind(coef_shapes, dtype)


class MaxNorm(BaseEstimator):
    """Max-norm constraint (7.2): each unit's incoming weights have norm <= c.

    The incoming weights of unit ``j`` of layer ``i`` are the column
    ``coefs_[i][:, j]``; after every update each column longer than ``c`` is
    rescaled to length ``c``.

    Parameters
    ----------
    max_norm : float > 0, default=3.0
        The bound c on each column's Euclidean norm.

    Examples
    --------
    >>> import numpy as np
    >>> from skreg.penalties import MaxNorm
    >>> W = np.array([[3.0, 0.1], [4.0, 0.1]])
    >>> MaxNorm(1.0).project([W])
    >>> np.round(np.linalg.norm(W, axis=0), 6)
    array([1.      , 0.141421])
    """

    def __init__(self, max_norm=3.0):
        self.max_norm = max_norm

    def validate(self):
        """Check ``max_norm``.

        Returns
        -------
        self : MaxNorm
            This constraint, unchanged.

        Raises
        ------
        ValueError
            If ``max_norm`` is not a number > 0.
        """
        c = self.max_norm
        if isinstance(c, bool) or not isinstance(c, Real) or not c > 0:
            raise ValueError(f"max_norm must be a float > 0, got {c!r}.")
        return self

    def project(self, coefs):
        """Rescale in place every column of each matrix to norm <= max_norm.

        Parameters
        ----------
        coefs : list of ndarray
            Weight matrices, each of shape (units in, units out), changed
            in place.
        """
        c = float(self.max_norm)
        for W in coefs:
            norms = np.sqrt(np.einsum("ij,ij->j", W, W))
            too_long = norms > c
            if too_long.any():
                # Aim a few ulps inside the ball so rounding cannot leave a
                # column just above max_norm; one broadcast multiply beats
                # gathering and scattering the long columns.
                shrink = np.ones_like(norms)
                shrink[too_long] = c / norms[too_long] * (1 - 8 * np.finfo(W.dtype).eps)
                W *= shrink


_PENALTIES = {"l2": L2, "l1": L1, "elasticnet": ElasticNet}


def resolve_penalty(penalty, l1_ratio):
    """Turn the estimator's ``penalty`` parameter into a Penalty object.

    ``None`` gives ``None``; a name is looked up in a fixed table
    (``"elasticnet"`` takes the estimator's ``l1_ratio``); a ``Penalty``
    instance is used as it is.
    """
    if penalty is None or isinstance(penalty, Penalty):
        return penalty
    if isinstance(penalty, str) and penalty in _PENALTIES:
        if penalty == "elasticnet":
            return ElasticNet(l1_ratio=l1_ratio)
        return _PENALTIES[penalty]()
    raise ValueError(
        f"penalty={penalty!r} is not supported; choose None, one of "
        f"{sorted(_PENALTIES)} or a skreg.penalties.Penalty instance."
    )


def resolve_max_norm(max_norm):
    """``None`` -> ``None``; a float -> ``MaxNorm(float)``; a MaxNorm -> itself."""
    if max_norm is None:
        return None
    if isinstance(max_norm, MaxNorm):
        return MaxNorm(max_norm.max_norm).validate()
    return MaxNorm(max_norm).validate()
