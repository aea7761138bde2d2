"""First-order optimizers acting in place on the flat parameter vector.

Each optimizer updates the parameters in place with numpy ``out=`` calls
into one scratch buffer (no allocation per step), and can report the step it
takes on the weights (``weight_step``), by which the L1 proximal step scales
its threshold. (scipy's BLAS ``axpy`` would save a pass, but it runs on a
second OpenBLAS thread pool that fights numpy's for the cores.)
"""

import numpy as np

from ._kernels import compiled
from .schedules import epoch_schedule


class _Rate:
    """The learning-rate schedule shared by the optimizers: ``learning_rate``
    is set before each update by ``set_learning_rate``. ``epoch_schedule``
    (a ``skreg.schedules.Cosine`` or None) runs on ``epochs_done``, the
    optimizer's own clock, so it carries on into ``partial_fit`` and a
    "continue" refit and restarts with a fresh optimizer."""

    def _init_rate(self, learning_rate_init, schedule="constant", power_t=0.5,
                   epoch_schedule=None):
        self.learning_rate_init = float(learning_rate_init)
        self.learning_rate = float(learning_rate_init)
        self.schedule = schedule
        self.power_t = float(power_t)
        self.epoch_schedule = epoch_schedule
        self.epochs_done = 0

    def set_learning_rate(self, samples_seen, batch=0, n_batches=1):
        """Set and return the learning rate of the next update, after
        ``samples_seen`` training rows, batch ``batch`` of ``n_batches``."""
        if self.epoch_schedule is not None:
            self.learning_rate = self.learning_rate_init * self.epoch_schedule.factor(
                self.epochs_done + batch / n_batches, 1 / n_batches)
        elif self.schedule == "invscaling":
            self.learning_rate = (
                self.learning_rate_init / (samples_seen + 1) ** self.power_t
            )
        return self.learning_rate

    def reduce_learning_rate(self):
        """Divide the learning rate by 5 (the "adaptive" schedule)."""
        self.learning_rate /= 5.0
        return self.learning_rate


class SGD(_Rate):
    """Stochastic gradient descent with optional (Nesterov) momentum.

    The update follows scikit-learn's MLP: ``v <- mu v - lr g``, then
    ``params += v`` (heavy ball) or ``params += mu v - lr g`` (Nesterov).
    """

    def __init__(self, n_params, dtype, learning_rate_init, momentum=0.9,
                 nesterov=True, schedule="constant", power_t=0.5,
                 epoch_schedule=None):
        self._init_rate(learning_rate_init, schedule, power_t, epoch_schedule)
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = np.zeros(n_params, dtype=dtype) if momentum > 0 else None
        self._tmp = None

    def step(self, params, grad, samples_seen):
        """Apply one update to ``params`` in place."""
        if self._tmp is None:
            self._tmp = np.empty_like(params)
        tmp = self._tmp
        np.multiply(grad, self.learning_rate, out=tmp)
        if self.velocity is None:
            params -= tmp
            return
        v, mu = self.velocity, self.momentum
        v *= mu
        v -= tmp
        if self.nesterov:
            params -= tmp
            np.multiply(v, mu, out=tmp)
            params += tmp
        else:
            params += v

    def weight_step(self, out, scale=1.0):
        """``scale`` times the effective step of heavy-ball SGD,
        ``lr / (1 - momentum)`` (a scalar; ``out`` is not needed)."""
        mu = self.momentum if self.velocity is not None else 0.0
        return scale * self.learning_rate / (1.0 - mu)

    def release(self):
        """Drop scratch buffers (kept state: the velocity)."""
        self._tmp = None


class Adam(_Rate):
    """Adam (Kingma & Ba, 2015), as scikit-learn's MLP computes it:

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``,
    ``lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)``,
    ``params -= lr_t m / (sqrt(v) + epsilon)``.

    To save passes over memory it stores ``M = m / (1 - b1)`` and
    ``V = v / (1 - b2)`` (updated as ``M <- b1 M + g``, ``V <- b2 V + g^2``)
    and folds the constants into the step; ``m`` and ``v`` are properties.
    """

    def __init__(self, n_params, dtype, learning_rate_init, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, epoch_schedule=None):
        self._init_rate(learning_rate_init, epoch_schedule=epoch_schedule)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.t = 0
        self._M = np.zeros(n_params, dtype=dtype)
        self._V = np.zeros(n_params, dtype=dtype)
        self._tmp = None
        self._denominator = None  # kept by step() once weight_step is used

    @property
    def m(self):
        """First moment estimate (biased), as in the paper."""
        return self._M * (1 - self.beta_1)

    @property
    def v(self):
        """Second moment estimate (biased), as in the paper."""
        return self._V * (1 - self.beta_2)

    def _step_size(self):
        b1, b2 = self.beta_1, self.beta_2
        return self.learning_rate * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)

    def step(self, params, grad, samples_seen):
        """Apply one update to ``params`` in place."""
        self.t += 1
        # lr_t m / (sqrt(v) + eps) = c M / (sqrt(V) + eps'), with
        # c = lr_t (1 - b1) / sqrt(1 - b2) and eps' = eps / sqrt(1 - b2)
        # (Python floats: numpy computes in the parameters' dtype, as the kernel)
        root = np.sqrt(1 - self.beta_2)
        epsilon = float(self.epsilon / root)
        step = float(self._step_size() * (1 - self.beta_1) / root)
        kernel = compiled("adam")
        if kernel is not None:
            kept = self._denominator
            constants = [self.beta_1, self.beta_2, epsilon, step]
            kernel(params, grad, self._M, self._V, *np.array(constants, self._M.dtype),
                   self._M[:0] if kept is None else kept)  # fmt: skip
            return
        self._numpy_step(params, grad, epsilon, step)

    def _numpy_step(self, params, grad, epsilon, step):
        if self._tmp is None:
            self._tmp = np.empty_like(self._M)
        M, V, tmp = self._M, self._V, self._tmp
        M *= self.beta_1
        M += grad
        np.multiply(grad, grad, out=tmp)
        V *= self.beta_2
        V += tmp
        denominator = tmp if self._denominator is None else self._denominator
        np.sqrt(V, out=denominator)
        denominator += epsilon
        np.divide(M, denominator, out=tmp)
        tmp *= step
        params -= tmp

    def weight_step(self, out, scale=1.0):
        """``scale`` times the per-coordinate step ``lr_t / (sqrt(v) + eps)``
        of the last update, for the first ``len(out)`` parameters (the
        weights), written to ``out``. From the first call on, ``step`` keeps
        its denominator so that this costs one pass."""
        root = np.sqrt(1 - self.beta_2)
        numerator = float(scale * self._step_size() / root)  # computes in out.dtype
        if self._denominator is None:
            self._denominator = np.empty_like(self._V)
            np.sqrt(self._V[: out.shape[0]], out=out)
            out += self.epsilon / root
            return np.divide(numerator, out, out=out)
        return np.divide(numerator, self._denominator[: out.shape[0]], out=out)

    def release(self):
        """Drop scratch buffers (kept state: the moments)."""
        self._tmp = None
        self._denominator = None


def make_optimizer(est, n_params, dtype):
    """The optimizer the estimator's parameters ask for."""
    schedule = epoch_schedule(est)
    if est.solver == "adam":
        return Adam(n_params, dtype, est.learning_rate_init, est.beta_1,
                    est.beta_2, est.epsilon, schedule)
    return SGD(n_params, dtype, est.learning_rate_init, est.momentum,
               est.nesterovs_momentum, est.learning_rate, est.power_t, schedule)
