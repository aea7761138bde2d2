"""Hidden-layer activation functions, computed in place.

Each activation maps pre-activations ``z`` to activations ``a`` in place and
multiplies an incoming gradient by its derivative, expressed through the
activation ``a`` (so the pre-activations never need to be kept).
"""

import numpy as np
from scipy.special import expit


class Activation:
    """An elementwise nonlinearity with an in-place forward and backward."""

    name = "identity"

    def forward(self, z):
        """Overwrite pre-activations ``z`` with activations; return ``z``."""
        return z

    def backward(self, a, delta):
        """Multiply ``delta`` in place by the derivative at activations ``a``."""
        return delta


class ReLU(Activation):
    name = "relu"

    # A boolean mask multiply is faster than np.maximum (which propagates
    # NaNs elementwise); a > 0 exactly where z > 0, so backward needs only a.
    def forward(self, z):
        return np.multiply(z, z > 0, out=z)

    def backward(self, a, delta):
        return np.multiply(delta, a > 0, out=delta)


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z):
        return expit(z, out=z)

    def backward(self, a, delta):
        delta *= a
        delta *= 1 - a
        return delta


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z, out=z)

    def backward(self, a, delta):
        delta *= 1 - a * a
        return delta


ACTIVATIONS = {
    "identity": Activation(),
    "relu": ReLU(),
    "sigmoid": Sigmoid(),
    "logistic": Sigmoid(),
    "tanh": Tanh(),
}


def get_activation(name):
    """Look ``name`` up in the fixed table of activations.

    Raises
    ------
    ValueError
        If ``name`` is not one of the known activations.
    """
    try:
        return ACTIVATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"activation={name!r} is not supported; choose one of "
            f"{sorted(ACTIVATIONS)}."
        ) from None
