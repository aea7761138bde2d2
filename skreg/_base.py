"""The shared base of DFNClassifier and DFNRegressor: validation, set-up and
the choice of solver. The training step lives in ``training.py``, the epoch
loop in ``epochs.py``, the refit strategies in ``refit.py``, the L-BFGS fit
in ``lbfgs.py`` and what a fit's trainers share in ``_fit_setup.py``."""

import re
import warnings

import numpy as np
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_array, check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from . import epochs, lbfgs, refit
from ._fit_setup import FitSetup
from ._params import PARAMETER_CONSTRAINTS, warn_ignored_settings
from .conv import resolve_conv_layers
from .dropout import prediction_scales
from .early_stopping import resolve_early_stopping
from ._state import Saved
from .network import Layout, Network, initialise
from .penalties import resolve_penalty
from .regularizers import check_regularizers
from .training import DivergenceError


def make_rng(random_state):
    """One numpy Generator from an sklearn ``random_state``."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return np.random.default_rng(random_state)
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return np.random.default_rng(seed)


class BaseDFN(BaseEstimator):
    """Deep feed-forward network base. Use the derived classes."""

    _parameter_constraints = dict(PARAMETER_CONSTRAINTS)

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *,
                 conv_layers=(), image_shape=None,
                 solver="adam", penalty="l2", alpha=1e-4, l1_ratio=0.5,
                 max_norm=None, weight_decay=0.0, dropout_keep=1.0,
                 dropout_mode="inverted",
                 input_noise=0.0, weight_noise=0.0, activity_alpha=0.0,
                 task_weights=None, augment=None, adversarial_eps=0.0,
                 adversarial_weight=0.5, mixup_alpha=0.0,
                 batch_size="auto", learning_rate="constant",
                 learning_rate_init=1e-3, power_t=0.5, warmup_epochs=0.0,
                 max_iter=200,
                 shuffle=True, random_state=None, tol=1e-4, verbose=False,
                 warm_start=False, momentum=0.9, nesterovs_momentum=True,
                 early_stopping=False, validation_fraction=0.1,
                 refit_strategy=None, weight_averaging=None, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000,
                 weight_init="auto",
                 dtype=np.float32):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.conv_layers = conv_layers
        self.image_shape = image_shape
        self.solver = solver
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.max_norm = max_norm
        self.weight_decay = weight_decay
        self.dropout_keep = dropout_keep
        self.dropout_mode = dropout_mode
        self.input_noise = input_noise
        self.weight_noise = weight_noise
        self.activity_alpha = activity_alpha
        self.task_weights = task_weights
        self.augment = augment
        self.adversarial_eps = adversarial_eps
        self.adversarial_weight = adversarial_weight
        self.mixup_alpha = mixup_alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.warmup_epochs = warmup_epochs
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.refit_strategy = refit_strategy
        self.weight_averaging = weight_averaging
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.weight_init = weight_init
        self.dtype = dtype

    # ---- validation -------------------------------------------------------
    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if np.isscalar(sizes) else list(sizes)
        if any(not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s < 1
               for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must contain only positive integers, "
                f"got {self.hidden_layer_sizes!r}."
            )
        return [int(s) for s in sizes]

    def _check_options(self):
        """Cross-parameter checks that the declarative constraints miss."""
        n_hidden = len(self._hidden_sizes())
        penalty = resolve_penalty(self.penalty, self.l1_ratio)
        if self.solver == "lbfgs":
            if penalty is not None and not penalty.smooth and self.alpha > 0:
                raise ValueError(
                    f"solver='lbfgs' needs a smooth penalty, but penalty="
                    f"{self.penalty!r} has an L1 part; use solver='adam' or "
                    "'sgd' (proximal steps) or penalty='l2'."
                )
            if self.max_norm is not None:
                raise ValueError(
                    "max_norm is a projection after each update and cannot be "
                    "used with solver='lbfgs'; use solver='adam' or 'sgd'."
                )
        keep = check_regularizers(self, n_hidden, len(self.conv_layers))
        refit.averaging_window(self.weight_averaging)
        return penalty, keep

    def _accept_sparse(self, fitted=False):
        """Convolutions need image rows: sparse X is refused (TypeError)."""
        conv = getattr(self, "_conv_geometry", ()) if fitted else self.conv_layers
        return False if conv else ["csr"]

    def _validate_xy(self, X, y, sample_weight, reset):
        options = dict(accept_sparse=self._accept_sparse(), dtype=self.dtype, order="C")
        try:
            X, y = validate_data(self, X, y, multi_output=True,
                                 y_numeric=self._y_numeric, reset=reset, **options)
        except ValueError as error:
            if re.search(r"\b(X|y)\b", str(error)):
                raise
            try:  # say which of the two sklearn's message is about
                check_array(X, **options)
            except ValueError:
                raise ValueError(f"X: {error}") from error
            raise ValueError(f"y: {error}") from error
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=self.dtype,
                                                 ensure_non_negative=True)
        return X, y, sample_weight

    def _task_weights(self):
        """``task_weights`` as an array checked against the fitted targets."""
        if self.task_weights is None:
            return None
        weights = np.asarray(self.task_weights, dtype=float)
        n_tasks = self._n_tasks()
        if weights.shape != (n_tasks,) or n_tasks < 2:
            raise ValueError(
                f"task_weights must have one entry per task of a 2-D y "
                f"({n_tasks} here), got {self.task_weights!r}."
            )
        if not np.all(np.isfinite(weights)) or weights.min() < 0:
            raise ValueError(f"task_weights must be finite and >= 0, got {weights!r}.")
        return weights

    def _uses_decoder(self):
        return False

    def _class_weighted(self, y, Y, sample_weight, incremental):
        """Hook: the sample weights with the class weights folded in."""
        return sample_weight

    def _row_weights(self, Y):
        """Hook: the weight of rows that come without sample weights."""
        return np.ones(Y.shape[0], self.dtype)

    def _labeled_rows(self, Y):
        """Boolean mask of the rows with a label, None when all have one."""
        return None

    def _n_outputs(self, Y):
        """Output units for the target matrix ``Y``."""
        return Y.shape[1]

    def _validation_set(self, validation_data):
        if validation_data is None:
            return None
        try:
            X_val, y_val = validation_data
        except (TypeError, ValueError):
            raise ValueError("validation_data must be a pair (X_val, y_val).") from None
        if y_val is None:
            raise ValueError("validation_data must be a pair (X_val, y_val); "
                             "y_val is None.")
        try:  # exactly the checks of the training data
            X_val, y_val, _ = self._validate_xy(X_val, y_val, None, reset=False)
            Y_val = self._encode_targets(y_val, reset=False)
        except ValueError as error:
            raise ValueError(f"validation_data: {error}") from None
        self._check_validation_targets(Y_val)
        return X_val, Y_val

    def _check_validation_targets(self, Y_val):
        """Hook: reject validation targets that cannot be scored."""

    def _check_warm_start_targets(self, y):
        """Hook: reject a ``warm_start`` fit's ``y`` that the fitted network
        cannot continue on (the classifier: other classes)."""

    def _stochastic_solver(self):
        """``partial_fit`` exists for the stochastic solvers only (as in
        scikit-learn's MLP): L-BFGS has no one-epoch step."""
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                f"partial_fit is only available for the stochastic solvers "
                f"'sgd' and 'adam'; solver={self.solver!r} is not stochastic."
            )
        return True

    # ---- fitting ----------------------------------------------------------
    def _fit(self, X, y, sample_weight=None, validation_data=None,
             incremental=False, classes=None):
        """Fit, or leave the estimator exactly as it was if anything raises
        (``KeyboardInterrupt`` included): every fitted attribute, the
        optimizer's state, the generator, a ``random_state`` instance. A
        ``partial_fit`` whose epoch diverges is undone the same way."""
        saved = Saved(self)
        try:
            return self._fit_unguarded(X, y, sample_weight, validation_data,
                                       incremental, classes)
        except DivergenceError:
            saved.restore(self)
            warnings.warn(
                "partial_fit diverged: the loss or its gradient became NaN or "
                "infinite, so the call was undone (the estimator is as before "
                "it). Lower learning_rate_init, or scale the inputs (e.g. "
                "StandardScaler).", ConvergenceWarning,
            )
            return self
        except BaseException:
            saved.restore(self)
            raise

    def _fit_unguarded(self, X, y, sample_weight, validation_data, incremental,
                       classes):
        penalty, keep = self._check_options()
        stopper = None
        if incremental and resolve_early_stopping(self.early_stopping) is not None:
            raise ValueError(
                "partial_fit does not support early_stopping=True (as "
                f"scikit-learn's MLP); got early_stopping={self.early_stopping!r}. Set "
                "early_stopping=False and monitor a held-out set between calls."
            )
        if not incremental and self.solver != "lbfgs":
            stopper = resolve_early_stopping(self.early_stopping)
        if stopper is not None:
            stopper.check_usable(is_classifier(self), self.refit_strategy)
        warn_ignored_settings(self, stopper is not None, incremental)
        first = not hasattr(self, "coefs_") or not (self.warm_start or incremental)
        X, y, sample_weight = self._validate_xy(X, y, sample_weight, reset=first)
        if not (first or incremental):
            self._check_warm_start_targets(y)
        Y = self._encode_targets(y, reset=first, classes=classes)
        sample_weight = self._class_weighted(y, Y, sample_weight, incremental)
        val = self._validation_set(validation_data)
        init_rng, train_rng = self._generator(incremental).spawn(2)
        train, val = epochs.split(self, X, Y, sample_weight, val, stopper, train_rng)
        train = (train[0], self._training_targets(train[1]), *train[2:])
        network, params = self._network_and_params(X.shape[1], self._n_outputs(Y),
                                                   first, init_rng)
        if penalty is not None:  # L-BFGS computes in float64: see lbfgs.fit_estimator
            penalty = penalty.bind(network.layout.coef_shapes, np.float64
                                   if self.solver == "lbfgs" else params.dtype)
        if first:
            self._reset_fitted_state()
        self._prediction_scales = prediction_scales(keep, self.dropout_mode)
        setup = FitSetup(self, network, penalty, keep, train_rng)
        if self.solver == "lbfgs":
            lbfgs.fit_estimator(self, setup, params, train)
        else:
            initial = params.copy() if self.refit_strategy else None
            trainer = setup.trainer(params, train, fresh=first or not incremental)
            epochs.run(self, trainer, train, val, stopper, train_rng, incremental)
            if stopper is not None and self.refit_strategy is not None:
                all_rows = refit.all_rows(self, X, Y, sample_weight, val,
                                          validation_data is not None)
                params = refit.run(self, setup, trainer, initial, all_rows, val)
            trainer.optimizer.release()
            self._optimizer.release()  # the refit's, when it made its own
        self._set_params_flat(network.layout, params)
        return self

    def _generator(self, incremental):
        if incremental and getattr(self, "_rng", None) is not None:
            return self._rng
        self._rng = make_rng(self.random_state)
        return self._rng

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        return max(1, min(self.batch_size, n_samples))

    def _network_and_params(self, n_features, n_outputs, first, rng):
        self._conv_geometry = resolve_conv_layers(self.conv_layers, self.image_shape,
                                                  n_features)
        layout = self._layout(n_features, self._hidden_sizes(), n_outputs,
                              self._uses_decoder())
        self.out_activation_ = self._output_name(n_outputs)
        network = Network(layout, self.activation, self._output_loss())
        if first:
            return network, initialise(layout, self.activation, self.weight_init,
                                       self.dtype, rng)
        coefs, intercepts = list(self.coefs_), list(self.intercepts_)
        if hasattr(self, "decoder_coef_"):
            coefs.append(self.decoder_coef_)
            intercepts.append(self.decoder_intercept_)
        shapes = [c.shape for c in coefs]
        if shapes != [tuple(s) for s in layout.coef_shapes]:
            raise ValueError(
                f"warm_start/partial_fit: the fitted weights have shapes "
                f"{shapes} but hidden_layer_sizes={self.hidden_layer_sizes!r} "
                f"(and reconstruction) need {layout.coef_shapes}; set "
                "warm_start=False to refit."
            )
        return network, layout.pack(coefs, intercepts, self.dtype)

    def _layout(self, n_features, hidden, n_outputs, decoder=False):
        conv = getattr(self, "_conv_geometry", ())
        sizes = [n_features, *(g.out_size for g in conv), *hidden, n_outputs]
        return Layout(sizes, decoder=decoder, conv=conv)

    def _set_params_flat(self, layout, params):
        coefs, intercepts = layout.views(params)
        self.coefs_ = coefs[: layout.n_layers]
        self.intercepts_ = intercepts[: layout.n_layers]
        if layout.decoder:
            self.decoder_coef_, self.decoder_intercept_ = coefs[-1], intercepts[-1]
        else:
            for name in ("decoder_coef_", "decoder_intercept_"):
                self.__dict__.pop(name, None)
        self.n_layers_ = len(self.coefs_) + 1
        self.n_outputs_ = self.coefs_[-1].shape[1]

    def _reset_fitted_state(self):
        self.t_ = 0
        self.loss_curve_ = []
        self.validation_loss_curve_ = None
        self.validation_scores_ = None
        self._validation_metric = None  # what validation_loss_curve_ holds (plots)
        self.best_validation_score_ = None
        self.best_loss_ = np.inf
        self.refit_n_iter_ = None
        self._optimizer = None

    def _training_targets(self, Y):
        """Targets the training loss sees (the classifier smooths them)."""
        return Y

    # ---- prediction -------------------------------------------------------
    def _prediction_network(self):
        n_conv = len(getattr(self, "_conv_geometry", ()))
        layout = self._layout(self.n_features_in_,
                              [c.shape[1] for c in self.coefs_[n_conv:-1]],
                              self.coefs_[-1].shape[1])
        return Network(layout, self.activation, self._output_loss()), getattr(
            self, "_prediction_scales", None)

    def _forward(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=self._accept_sparse(fitted=True),
                          dtype=self.dtype, reset=False)
        network, scales = self._prediction_network()
        return network.predict(X, self.coefs_, self.intercepts_, scales)

    def _attack_data(self, X, y):
        """Dense inputs and encoded targets for an adversarial attack."""
        X, y = validate_data(self, X, y, dtype=self.dtype, reset=False,
                             multi_output=True, y_numeric=self._y_numeric)
        return X, self._encode_targets(y, reset=False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = not self.conv_layers
        return tags
