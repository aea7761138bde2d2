"""Declarative parameter constraints shared by the estimators."""

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
