"""Declarative parameter constraints shared by the estimators, and the
warnings for settings a fit would ignore."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import HasMethods, Interval, Options, StrOptions

from .penalties import MaxNorm, Penalty

WEIGHT_INITS = {"auto", "glorot_uniform", "he_normal", "std_normal"}

PARAMETER_CONSTRAINTS = {
    "hidden_layer_sizes": ["array-like", Interval(Integral, 1, None, closed="left")],
    "activation": [StrOptions({"identity", "logistic", "sigmoid", "tanh", "relu"})],
    "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
    "penalty": [None, StrOptions({"l2", "l1", "elasticnet"}), Penalty],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "l1_ratio": [Interval(Real, 0, 1, closed="both")],
    "max_norm": [None, Interval(Real, 0, None, closed="neither"), MaxNorm],
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
    "learning_rate": [StrOptions({"constant", "invscaling", "adaptive", "cosine"})],
    "warmup_epochs": [Interval(Real, 0, None, closed="left")],
    "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "tol": [Interval(Real, 0, None, closed="left")],
    "verbose": ["verbose"],
    "warm_start": ["boolean"],
    "momentum": [Interval(Real, 0, 1, closed="left")],
    "nesterovs_momentum": ["boolean"],
    "early_stopping": ["boolean", StrOptions({"patience", "gl", "pq", "up"}),
                       HasMethods(["start"])],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "beta_1": [Interval(Real, 0, 1, closed="left")],
    "beta_2": [Interval(Real, 0, 1, closed="left")],
    "epsilon": [Interval(Real, 0, None, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left"),
                         Options(Real, {np.inf})],
    "max_fun": [Interval(Integral, 1, None, closed="left")],
    "weight_init": [StrOptions(WEIGHT_INITS)],
    "dropout_keep": [Interval(Real, 0, 1, closed="right"), "array-like"],
    "dropout_mode": [StrOptions({"inverted", "classic"})],
    "input_noise": [Interval(Real, 0, None, closed="left")],
    "weight_noise": [Interval(Real, 0, None, closed="left")],
    "activity_alpha": [Interval(Real, 0, None, closed="left")],
    "augment": [None, HasMethods(["fit", "transform"])],
    "adversarial_eps": [Interval(Real, 0, None, closed="left")],
    "adversarial_weight": [Interval(Real, 0, 1, closed="both")],
    "mixup_alpha": [Interval(Real, 0, None, closed="left")],
    "refit_strategy": [None, StrOptions({"retrain", "continue"})],
    "weight_averaging": [None, tuple, list],
    "task_weights": [None, "array-like"],
    "dtype": [Options(type, {np.float32, np.float64})],
    "conv_layers": [list, tuple],
    "image_shape": [None, list, tuple],
}

CLASSIFIER_CONSTRAINTS = {
    **PARAMETER_CONSTRAINTS,
    "label_smoothing": [Interval(Real, 0, 1, closed="left")],
    "reconstruction_weight": [Interval(Real, 0, None, closed="left")],
    "vat_weight": [Interval(Real, 0, None, closed="left")],
    "vat_eps": [Interval(Real, 0, None, closed="neither")],
    "vat_xi": [Interval(Real, 0, None, closed="neither")],
    "vat_power_iterations": [Interval(Integral, 1, None, closed="left")],
    "consistency_weight": [Interval(Real, 0, None, closed="left")],
    "entropy_weight": [Interval(Real, 0, None, closed="left")],
    "unsupervised_rampup": [Interval(Real, 0, None, closed="left")],
    "class_weight": [None, StrOptions({"balanced"}), dict, list],
}

REGRESSOR_CONSTRAINTS = {
    **PARAMETER_CONSTRAINTS,
    "loss": [StrOptions({"squared_error"})],
}


def _why_no_early_stopping(est, incremental):
    if incremental:
        return "partial_fit never stops early"
    if est.solver == "lbfgs":
        return "solver='lbfgs' does not stop early"
    return "early_stopping is off"


def warn_ignored_settings(est, stops_early, incremental):
    """A ``UserWarning`` for each setting this fit ignores (as scikit-learn
    warns about an ``l1_ratio`` without elastic net): ``refit_strategy``
    without early stopping, ``image_shape`` without a convolution or an
    augmenter that takes it, ``weight_averaging`` without that retraining."""
    if est.refit_strategy is not None and not stops_early:
        warnings.warn(
            f"refit_strategy={est.refit_strategy!r} is ignored: it refits after "
            f"early stopping, and {_why_no_early_stopping(est, incremental)}. "
            "Set early_stopping (with solver='adam' or 'sgd') or refit_strategy=None.",
            UserWarning, stacklevel=6)  # the caller of fit
    retrains = stops_early and est.refit_strategy == "retrain"
    if est.weight_averaging is not None and not retrains:
        why = (f"refit_strategy={est.refit_strategy!r}" if stops_early
               else _why_no_early_stopping(est, incremental))
        warnings.warn(
            f"weight_averaging={est.weight_averaging!r} is ignored: it averages "
            "the weights of algorithm 7.2's retraining (early stopping with "
            f"refit_strategy='retrain'), and {why}. Set both, or "
            "weight_averaging=None.", UserWarning, stacklevel=6)  # the caller of fit
    augment = est.augment
    takes_shape = augment is not None and "image_shape" in augment.get_params()
    if est.image_shape is not None and not est.conv_layers and not takes_shape:
        warnings.warn(
            f"image_shape={est.image_shape!r} is ignored: it is used by conv_layers "
            "and by an augment transformer with an image_shape parameter (such as "
            "ImageAugmenter), and this estimator has neither. Set image_shape=None.",
            UserWarning, stacklevel=6)  # the caller of fit
