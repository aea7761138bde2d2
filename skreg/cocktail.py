"""A regularization cocktail: a search space over every regularizer at once.

Kadra et al. (2021), "Well-tuned simple nets excel on tabular datasets",
search a cocktail of regularizers per data set instead of fixing one.
:func:`cocktail_space` returns such a space in scikit-learn's format, keyed
for the estimator step of :func:`skreg.make_tabular_pipeline`, to pass as
``param_distributions`` to ``RandomizedSearchCV`` or
``HalvingRandomSearchCV``.
"""

from scipy.stats import loguniform, uniform
from sklearn.utils._param_validation import StrOptions, validate_params

from .classifier import DFNClassifier

__all__ = ["cocktail_space"]

# Searched only when the estimator has the parameter named first (features
# added after this module: decoupled weight decay, the cosine schedule, mixup).
_OPTIONAL = {
    "weight_decay": ("weight_decay", loguniform(1e-4, 1e-1)),
    "learning_rate": ("warmup_epochs", ["constant", "cosine"]),
    "mixup_alpha": ("mixup_alpha", [0.0, 0.0, 0.2, 0.4]),
}


def _space(classifier):
    space = {
        "hidden_layer_sizes": [(256,), (256, 256), (512, 512), (256, 256, 256)],
        "learning_rate_init": loguniform(3e-4, 3e-3),
        "batch_size": [64, 128, 256],
        "penalty": ["l2", "l1", "elasticnet"],
        "alpha": loguniform(1e-7, 1e-2),
        "dropout_keep": uniform(0.5, 0.5),
        "input_noise": [0.0, 0.0, 0.01, 0.05, 0.1],
        "weight_noise": [0.0, 0.0, 0.01],
        "max_norm": [None, None, 1.0, 2.0, 4.0],
        "early_stopping": [True],
        "n_iter_no_change": [10, 20, 40],
        "validation_fraction": [0.1, 0.15, 0.2],
    }
    if classifier:
        space["label_smoothing"] = [0.0, 0.05, 0.1, 0.2]
    return space


@validate_params(
    {"step": [str], "task": [StrOptions({"classification", "regression"})]},
    prefer_skip_nested_validation=True,
)
def cocktail_space(step="dfnclassifier", *, task="classification"):
    """Parameter distributions over skreg's regularizers for a random search.

    Continuous parameters are ``scipy.stats`` distributions (log-uniform for
    strengths and learning rates), discrete ones lists (a repeated value is
    drawn more often: "off" twice for the noise and max-norm options).
    Early stopping (with the best weights restored) is always on; its
    patience and validation fraction are searched. Decoupled
    ``weight_decay`` and ``mixup_alpha`` are included when the estimator
    has these parameters, and so is the choice of a constant or a cosine
    learning rate when the estimator has ``learning_rate="cosine"``.

    Parameters
    ----------
    step : str, default="dfnclassifier"
        Name of the estimator step in the pipeline; keys are
        ``f"{step}__{parameter}"``. An empty string gives bare parameter
        names, for searching the estimator itself.
    task : {"classification", "regression"}, default="classification"
        "regression" leaves out ``label_smoothing`` (use with
        ``step="dfnregressor"``).

    Returns
    -------
    dict
        ``param_distributions`` for ``RandomizedSearchCV`` /
        ``HalvingRandomSearchCV``.

    Examples
    --------
    >>> from sklearn.model_selection import ParameterSampler
    >>> from skreg import cocktail_space
    >>> params = next(iter(ParameterSampler(cocktail_space(), 1, random_state=0)))
    >>> sorted(params)[:3]
    ['dfnclassifier__alpha', 'dfnclassifier__batch_size', 'dfnclassifier__dropout_keep']
    """
    space = _space(task == "classification")
    known = DFNClassifier().get_params()
    space.update({k: v for k, (needs, v) in _OPTIONAL.items() if needs in known})
    prefix = f"{step}__" if step else ""
    return {prefix + name: values for name, values in space.items()}
