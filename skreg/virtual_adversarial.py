"""Virtual adversarial training (chapter 7.13 applied to unlabeled rows, 7.6):
Miyato, Maeda, Koyama & Ishii (2018), "Virtual adversarial training: a
regularization method for supervised and semi-supervised learning".

For every row of a batch, labeled or not, with ``p = p(y | x)`` the network's
output at ``x`` held fixed (no gradient flows through it):

1. ``d ~ N(0, I)``, normalised per row;
2. ``n_power`` times: ``g = grad_r KL(p || p(y | x + r))`` at ``r = xi d``,
   ``d = g / ||g||`` (per-row L2 norm): power iteration on the Hessian of
   the KL divergence at ``r = 0``, whose top eigenvector is the direction
   that changes the prediction most;
3. ``r_adv = eps d``; the term is ``weight * mean_i KL(p_i || p(y | x_i +
   r_adv_i))`` (sample-weighted mean), its parameter gradient a backward
   pass through the perturbed forward pass.

Every pass uses the batch's own dropout masks and (noisy) weights, so the
divergence measures the response to ``r`` alone. The gradient of
``KL(p || q)`` with respect to q's output pre-activations is ``q - p``, the
gradient of the cross-entropy with targets ``p``: the output layer's own
loss computes it, for softmax heads and sigmoid units alike.
"""

import numpy as np

from .noise import fill_gaussian


def inner_output(network):
    """The network's output loss without the labeled-row mask."""
    output = network.output
    return getattr(output, "inner", output)


def extra_pass(trainer, X, coefs, intercepts, set_delta, param_grads=True):
    """One more forward and backward pass of ``X`` through the trainer's
    buffers, with the batch's dropout masks.

    ``set_delta(P, delta)`` writes the output delta (the gradient of the
    term with respect to the output pre-activations) and returns the term's
    value. The parameter gradient is left in ``trainer.grad`` (zero for
    parameters outside the main network, e.g. a decoder head); without
    ``param_grads`` only the deltas are computed (``trainer.grad`` is left
    as it was), for ``trainer.input_gradient``.
    """
    m = X.shape[0]
    acts = [a[:m] for a in trainer.acts]
    deltas = [d[:m] for d in trainer.deltas]
    dropout = trainer.reg.dropout
    steps = () if dropout is None else (dropout,)
    if dropout is not None and dropout.drops_input:
        X = dropout.apply_input(X)
    net = trainer.network
    P = net.forward(X, coefs, intercepts, acts, steps)
    value = set_delta(P, deltas[-1])
    if param_grads:
        trainer.grad.fill(0.0)
    net.backward(X, coefs, acts, deltas, trainer.coef_grads,
                 trainer.intercept_grads, steps, param_grads=param_grads)
    return value


def normalize_rows(D):
    """Scale each row of ``D`` to unit L2 norm in place (zero rows stay 0)."""
    norms = np.sqrt(np.einsum("ij,ij->i", D, D))
    np.maximum(norms, np.finfo(D.dtype).tiny, out=norms)
    D /= norms[:, None]
    return D


class VirtualAdversarial:
    """The virtual adversarial term of one fit (see the module docstring).

    Parameters
    ----------
    eps : float > 0
        L2 norm of each row's perturbation ``r_adv``.
    xi : float > 0
        Size of the finite-difference probe of the power iteration.
    n_power : int >= 1
        Power-iteration steps.
    batch_size, n_features : int
    dtype : numpy dtype
    rng : numpy.random.Generator
    """

    def __init__(self, eps, xi, n_power, batch_size, n_features, dtype, rng):
        self.eps = float(eps)
        self.xi = float(xi)
        self.n_power = int(n_power)
        self.rng = rng
        self.direction = np.empty((batch_size, n_features), dtype)
        self.x_perturbed = np.empty((batch_size, n_features), dtype)
        self.scratch = np.empty(batch_size * n_features // 2 + 1, dtype)

    def perturbation(self, trainer, X, P, coefs, intercepts):
        """``r_adv`` (rows of norm ``eps``) for the batch ``X`` whose fixed
        outputs are ``P``; a view of a buffer."""
        m = X.shape[0]
        d = self.direction[:m]
        fill_gaussian(self.rng, d.reshape(-1), 1.0, self.scratch)
        for _ in range(self.n_power):
            normalize_rows(d)
            x = np.multiply(d, self.xi, out=self.x_perturbed[:m])
            x += X
            self.kl_gradient(trainer, x, P, coefs, intercepts, out=d)
        normalize_rows(d)
        d *= self.eps
        return d

    @staticmethod
    def kl_gradient(trainer, X, P, coefs, intercepts, out):
        """``grad_X`` of ``mean_i KL(P_i || p(y | X_i))`` into ``out``; the
        value is returned."""
        value = extra_pass(trainer, X, coefs, intercepts,
                           _kl_delta(inner_output(trainer.network), P, None, 1.0),
                           param_grads=False)
        return value, trainer.input_gradient(coefs, X.shape[0], out)

    def value_and_gradient(self, trainer, X, P, sample_weight, coefs, intercepts,
                           weight):
        """Run the term on the batch; return its value, its parameter
        gradient left in ``trainer.grad``."""
        r_adv = self.perturbation(trainer, X, P, coefs, intercepts)
        x = np.add(X, r_adv, out=self.x_perturbed[: X.shape[0]])
        return extra_pass(trainer, x, coefs, intercepts,
                          _kl_delta(inner_output(trainer.network), P,
                                    sample_weight, weight))


def _kl_delta(output, P, sample_weight, weight):
    """``set_delta`` of ``weight * mean_i KL(P_i || Q_i)`` for an output loss
    that is a canonical link (its delta is ``(Q - P) / n``)."""

    def set_delta(Q, delta):
        cross = output.loss_and_delta(Q, P, sample_weight, delta)
        if weight != 1.0:
            delta *= weight
        return weight * (cross - output.loss(P, P, sample_weight))

    return set_delta
