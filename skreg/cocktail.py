"""A regularization cocktail: a search space over every regularizer at once.

Kadra et al. (2021), "Well-tuned simple nets excel on tabular datasets",
search a cocktail of regularizers per data set instead of fixing one.
:func:`cocktail_space` returns such a space in scikit-learn's format, keyed
for the estimator step of :func:`skreg.make_tabular_pipeline`, to pass as
``param_distributions`` to ``RandomizedSearchCV`` or
``HalvingRandomSearchCV``; :func:`cocktail_candidates` draws a fixed list
from it that starts with the estimator as given, a ``param_grid`` for
``GridSearchCV`` or ``HalvingGridSearchCV``.
"""

from numbers import Integral

from scipy.stats import loguniform
from sklearn.model_selection import ParameterSampler
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from .tabular import NETWORK_STEP

__all__ = ["cocktail_candidates", "cocktail_space"]


def _space(classifier):
    # centred on tabular_defaults(), a candidate costing about one default fit
    space = {
        "hidden_layer_sizes": [(64, 64), (128, 128), (128, 128, 128)],
        "activation": ["relu", "tanh"],
        "learning_rate_init": loguniform(5e-4, 3e-3),
        "learning_rate": ["constant", "cosine"],
        "batch_size": [128, 256],
        "penalty": ["l2", "l1", "elasticnet"],
        "alpha": loguniform(1e-7, 1e-2),
        "weight_decay": [0.0, 0.0, 1e-2, 1e-1, 1.0],
        "dropout_keep": [1.0, 1.0, 0.9],
        "input_noise": [0.0, 0.0, 0.01, 0.05],
        "weight_noise": [0.0, 0.0, 0.01],
        "max_norm": [None, None, 2.0, 4.0],
        "mixup_alpha": [0.0, 0.0, 0.2],
        "early_stopping": [True],
        "n_iter_no_change": [10, 20],
        "validation_fraction": [0.1, 0.15, 0.2],
    }
    if classifier:
        space["label_smoothing"] = [0.0, 0.05, 0.1, 0.2]
    return space


@validate_params(
    {"step": [None, str], "task": [StrOptions({"classification", "regression"})]},
    prefer_skip_nested_validation=True,
)
def cocktail_space(step=None, *, task="classification"):
    """Parameter distributions over skreg's regularizers for a random search.

    The space covers the width and depth, the activation, the learning rate
    and its schedule (constant or cosine), the batch size, the weight
    penalty and its strength, decoupled weight decay, dropout, input and
    weight noise, max-norm, mixup and label smoothing. Continuous parameters
    are ``scipy.stats`` distributions (log-uniform for the penalty's strength
    and the learning rate), discrete ones lists (a repeated value is drawn
    more often: "off" twice for weight decay, dropout, the noises, max-norm
    and mixup). Early stopping is always on; its patience (10 or 20
    epochs) and validation fraction are searched; what follows the stop
    (``refit_strategy``, ``weight_averaging``) and the epoch cap are the
    pipeline's estimator's (the tabular defaults retrain on every row and
    average the retraining's weights).

    The space is centred on :func:`skreg.tabular.tabular_defaults` and
    sized so that a sampled network costs about as much as the default one
    (layers of at most 128 units, batches of 128 or 256, patience at most
    20): ``k`` candidates scored on one holdout split of 80% and a refit
    cost about ``0.8 k + 1`` default fits, more when slow draws (dropout,
    mixup, noise) lengthen the fits. ``benchmarks/bench_tabular.py``
    measures the cost of 5 candidates this way.

    Parameters
    ----------
    step : str or None, default=None
        Name of the estimator step in the pipeline; keys are
        ``f"{step}__{parameter}"``. None: the network's step in
        ``make_tabular_pipeline(task=task)``, ``"dfnclassifier"`` or
        ``"transformedtargetregressor__regressor"``. An empty string gives
        bare parameter names, for searching the estimator itself; a
        pipeline ending in your own ``DFNRegressor`` names it
        ``"dfnregressor"``.
    task : {"classification", "regression"}, default="classification"
        "regression" leaves out ``label_smoothing``.

    Returns
    -------
    dict
        ``param_distributions`` for ``RandomizedSearchCV`` /
        ``HalvingRandomSearchCV``.

    See Also
    --------
    cocktail_candidates : The estimator as given and draws of this space,
        for a grid search that can keep the defaults.
    sklearn.ensemble.BaggingClassifier : With ``bootstrap=False``, averages
        networks that differ only in their seed (chapter 7.11); on the
        development tables five default networks beat a search of the same
        cost (the "Real tables" page of the docs).

    Examples
    --------
    >>> from sklearn.model_selection import ParameterSampler
    >>> from skreg import cocktail_space
    >>> params = next(iter(ParameterSampler(cocktail_space(), 1, random_state=0)))
    >>> sorted(params)[:3]
    ['dfnclassifier__activation', 'dfnclassifier__alpha', 'dfnclassifier__batch_size']
    """
    space = _space(task == "classification")
    if step is None:
        step = NETWORK_STEP[task]
    prefix = f"{step}__" if step else ""
    return {prefix + name: values for name, values in space.items()}


@validate_params(
    {"n_candidates": [Interval(Integral, 1, None, closed="left")],
     "step": [None, str], "task": [StrOptions({"classification", "regression"})],
     "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def cocktail_candidates(n_candidates=5, step=None, *,
                        task="classification", random_state=None):
    """The estimator as given, then draws of :func:`cocktail_space`.

    A grid search over this list compares the estimator's own parameters
    (an empty dict: nothing changed; with the tabular defaults, the default
    network) with ``n_candidates - 1`` random cocktails, so the search can
    keep the defaults when no draw beats them on its validation rows. A
    random search over :func:`cocktail_space` alone cannot: on the
    development tables of the "Real tables" docs page its five draws, scored
    on one holdout split, were behind the defaults, and the same search with
    the defaults as one of its five candidates was level with them.

    Parameters
    ----------
    n_candidates : int, default=5
        Length of the list: the estimator as given and ``n_candidates - 1``
        draws.
    step : str or None, default=None
        As in :func:`cocktail_space`.
    task : {"classification", "regression"}, default="classification"
        As in :func:`cocktail_space`.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws (scikit-learn's ``ParameterSampler``).

    Returns
    -------
    list of dict
        ``param_grid`` for ``GridSearchCV`` / ``HalvingGridSearchCV``: the
        first dict is empty, each other maps every parameter of the space to
        a one-element list holding its drawn value.

    See Also
    --------
    KeepFirstUnlessBetter : A ``refit`` rule for the grid search that keeps
        the first candidate unless another is clearly more accurate.

    Examples
    --------
    >>> from skreg import cocktail_candidates
    >>> grid = cocktail_candidates(3, random_state=0)
    >>> len(grid), grid[0]
    (3, {})
    >>> grid[1]["dfnclassifier__batch_size"] in ([128], [256])
    True
    """
    draws = ParameterSampler(cocktail_space(step, task=task), n_candidates - 1,
                             random_state=random_state)
    return [{}] + [{name: [value] for name, value in draw.items()} for draw in draws]
