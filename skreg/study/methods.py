"""The study's methods: one declarative ``Method`` entry per row.

A row is what it changes with respect to the ``none`` network (``params``),
the strength grid tuning searches (``grid``: estimator parameter -> values),
the strength used with ``--no-tune`` (``default``, one value of the grid) and
flags. Adding a row is one ``_add(Method(...))`` call below; values that
depend on the network or the data (dropout keep tuples, augmenters) are
functions of a ``Context``.
"""

from dataclasses import dataclass, field
from typing import Callable

from sklearn.ensemble import BaggingClassifier
from sklearn.semi_supervised import SelfTrainingClassifier

from ..augmentation import ImageAugmenter
from ..classifier import DFNClassifier

__all__ = ["METHODS", "Context", "Method", "base_params"]


@dataclass(frozen=True)
class Context:
    """What a method's parameters may depend on."""

    hidden: tuple = (128,)
    epochs: int = 200
    seed: int = 0
    image_side: int = None  # None: the features are not a square image


def base_params(ctx):
    """Parameters of the ``none`` network (every row starts from these).

    Examples
    --------
    >>> base_params(Context(hidden=(64,), epochs=10, seed=3))["max_iter"]
    10
    """
    return dict(hidden_layer_sizes=tuple(ctx.hidden), max_iter=ctx.epochs,
                random_state=ctx.seed, penalty=None, batch_size=64,
                learning_rate_init=3e-3, n_iter_no_change=ctx.epochs)


def _network(base, params):
    return DFNClassifier(**{**base, **params})


def _bagging(base, params):
    """sklearn's bagging of ``none`` networks; its strength is n_estimators."""
    return BaggingClassifier(DFNClassifier(**base), random_state=base["random_state"],
                             **params)


def _self_training(base, params):
    """sklearn's self-training around a ``none`` network; ``max_iter=0`` fits
    the labeled rows alone (the reference of the semi-supervised rows)."""
    return SelfTrainingClassifier(DFNClassifier(**base), **params)


def _conv(filters):
    """One convolution block of ``filters`` 3x3 filters and 2x2 max-pooling
    (no pooling on an odd image side) before the dense layers."""
    def make(ctx):
        pool = 2 if (ctx.image_side or 0) % 2 == 0 else 1
        return ((filters, 3, pool),)
    return make


def _conv_grid(ctx):
    return {"conv_layers": [_conv(f)(ctx) for f in (4, 8, 16)]}


@dataclass(frozen=True)
class Method:
    """One row of the study.

    Parameters
    ----------
    name, description, section : str
        The row's name, what it changes and its section of chapter 7.
    params : dict or callable(Context) -> dict
        Fixed changes to ``base_params``.
    grid : dict or callable(Context) -> dict
        Estimator parameter -> candidate strengths searched by tuning.
    default : dict or callable(Context) -> dict
        The strength used without tuning (each value taken from ``grid``).
    image_only : bool
        Needs square images (skipped with a note on other data).
    needs_unlabeled : bool
        Trains with most labels hidden as -1.
    multitask : bool
        Trains on the 2-D target (class, parity of the class).
    wrapper : bool
        An ensemble of ``none`` networks (``factory`` builds it).
    factory : callable(base, params) -> estimator
    """

    name: str
    description: str
    section: str
    params: object = field(default_factory=dict)
    grid: object = field(default_factory=dict)
    default: object = field(default_factory=dict)
    image_only: bool = False
    needs_unlabeled: bool = False
    multitask: bool = False
    wrapper: bool = False
    factory: Callable = _network

    def resolve(self, ctx):
        """``(params, grid, default)`` for the context ``ctx``."""
        return tuple(x(ctx) if callable(x) else dict(x)
                     for x in (self.params, self.grid, self.default))

    def estimator(self, ctx, strength=None):
        """The untuned estimator, with ``strength`` (default: ``default``).

        Examples
        --------
        >>> est = METHODS["l2"].estimator(Context(epochs=5))
        >>> est.penalty, est.alpha, est.max_iter
        ('l2', 0.1, 5)
        """
        params, _, default = self.resolve(ctx)
        return self.factory(base_params(ctx),
                            {**params, **(default if strength is None else strength)})


METHODS = {}


def _add(method):
    METHODS[method.name] = method


def _keep(hidden_keep):
    return lambda ctx: (0.8,) + (hidden_keep,) * len(ctx.hidden)


def _augmenter(rotation):
    def make(ctx):
        shift = 1 if (ctx.image_side or 0) < 16 else 2
        return ImageAugmenter(translation=shift, rotation=rotation)
    return make


def _dropout_grid(ctx):
    return {"dropout_keep": [_keep(p)(ctx) for p in (0.5, 0.7, 0.9)]}


def _augment_grid(ctx):
    return {"augment": [_augmenter(r)(ctx) for r in (5, 10, 20)]}


_EARLY = dict(n_iter_no_change=5, validation_fraction=0.2)

_add(Method("chapter", "the chapter's listing: sigmoid 200 units, N(0, 1) init, "
            "SGD lr 0.01 without momentum, no penalty", "7 (defects)",
            dict(hidden_layer_sizes=(200,), activation="sigmoid",
                 weight_init="std_normal", solver="sgd", momentum=0.0,
                 learning_rate_init=0.01)))
_add(Method("none", "ReLU network, Adam lr 3e-3, batch 64, no regularization", "-"))
_add(Method("l2", "penalty='l2' (weight decay), strength alpha", "7.1.1",
            {"penalty": "l2"}, {"alpha": [0.01, 0.1, 1.0, 10.0]}, {"alpha": 0.1}))
_add(Method("l1", "penalty='l1' (proximal soft threshold), strength alpha", "7.1.2",
            {"penalty": "l1"}, {"alpha": [0.001, 0.01, 0.1]}, {"alpha": 0.01}))
_add(Method("elasticnet", "penalty='elasticnet', l1_ratio=0.5, strength alpha", "7.1",
            {"penalty": "elasticnet", "l1_ratio": 0.5},
            {"alpha": [0.01, 0.03, 0.1, 0.3]}, {"alpha": 0.03}))
_add(Method("max-norm", "max_norm=c: each unit's incoming weights projected to "
            "norm <= c", "7.2", {}, {"max_norm": [0.5, 1.0, 2.0, 4.0]},
            {"max_norm": 2.0}))
_add(Method("dropout", "inverted dropout, input keep 0.8, hidden keep p", "7.12",
            {}, _dropout_grid, lambda ctx: {"dropout_keep": _keep(0.5)(ctx)}))
_add(Method("dropout-classic", "as dropout with dropout_mode='classic'", "7.12",
            {"dropout_mode": "classic"}, _dropout_grid,
            lambda ctx: {"dropout_keep": _keep(0.5)(ctx)}))
_add(Method("input-noise", "Gaussian input noise of std s", "7.5", {},
            {"input_noise": [0.05, 0.1, 0.2, 0.4]}, {"input_noise": 0.1}))
_add(Method("weight-noise", "Gaussian weight noise of std s", "7.5", {},
            {"weight_noise": [0.01, 0.05, 0.1]}, {"weight_noise": 0.05}))
_add(Method("label-smoothing", "label_smoothing=e", "7.5.1", {},
            {"label_smoothing": [0.05, 0.1, 0.2]}, {"label_smoothing": 0.1}))
_add(Method("augmentation", "ImageAugmenter: shift 1 px (2 from 16 px), rotation r "
            "degrees", "7.4", {}, _augment_grid,
            lambda ctx: {"augment": _augmenter(10)(ctx)}, image_only=True))
for _name, _rule in [("patience", "patience 5"), ("gl", "Prechelt GL > 5"),
                     ("pq", "Prechelt PQ > 0.75"), ("up", "Prechelt UP, 3 strips")]:
    _add(Method(f"early-{_name}", f"early_stopping='{_name}' ({_rule}), 20% "
                "validation split, best weights restored", "7.8",
                dict(_EARLY, early_stopping=_name)))
_add(Method("early-retrain", "early_stopping='patience' + refit_strategy='retrain' "
            "(algorithm 7.2)", "7.8",
            dict(_EARLY, early_stopping="patience", refit_strategy="retrain")))
_add(Method("sparse-activations", "activity_alpha: L1 on hidden activations",
            "7.10", {}, {"activity_alpha": [0.001, 0.01, 0.1]},
            {"activity_alpha": 0.01}))
_add(Method("bagging", "BaggingClassifier of 5 'none' networks on bootstrap rows "
            "(the number of members is not a strength to tune: fixed)",
            "7.11", {"n_estimators": 5}, wrapper=True, factory=_bagging))
_add(Method("adversarial", "FGSM adversarial training, weight 0.5, size eps",
            "7.13", {"adversarial_weight": 0.5},
            {"adversarial_eps": [0.05, 0.1, 0.2]}, {"adversarial_eps": 0.1}))
_add(Method("semi-supervised", "reconstruction head of weight w; 80% of the "
            "training labels hidden as -1", "7.6", {},
            {"reconstruction_weight": [0.1, 1.0, 10.0]},
            {"reconstruction_weight": 1.0}, needs_unlabeled=True))
_add(Method("multi-task", "2-D y: class + parity of the class, shared trunk",
            "7.7", multitask=True))
_add(Method("labeled-only", "reference of the semi-supervised rows: the 'none' "
            "network on the 20% labeled rows alone (SelfTrainingClassifier with "
            "max_iter=0)", "7.6", {"max_iter": 0}, needs_unlabeled=True,
            wrapper=True, factory=_self_training))
_add(Method("self-training", "reference: sklearn's SelfTrainingClassifier around "
            "'none', pseudo-labels above a probability threshold", "7.6", {},
            {"threshold": [0.75, 0.9]}, {"threshold": 0.75},
            needs_unlabeled=True, wrapper=True, factory=_self_training))
_add(Method("vat", "virtual adversarial training on every row (labels 80% "
            "hidden as -1), perturbation of L2 norm eps", "7.13, 7.6",
            {"vat_weight": 1.0}, {"vat_eps": [0.25, 0.5, 1.0, 2.0]},
            {"vat_eps": 0.5}, needs_unlabeled=True))
_add(Method("consistency", "Pi-model consistency between two passes with input "
            "noise 0.1 and hidden dropout 0.8 (labels 80% hidden as -1), "
            "weight w", "7.6", lambda ctx: {"input_noise": 0.1,
                                            "dropout_keep": _keep(0.8)(ctx)},
            {"consistency_weight": [1.0, 3.0, 10.0]}, {"consistency_weight": 3.0},
            needs_unlabeled=True))
_add(Method("convolution", "one convolution block of f 3x3 filters and 2x2 "
            "max-pooling before the dense layers: parameter sharing", "7.9",
            {}, _conv_grid, lambda ctx: {"conv_layers": _conv(8)(ctx)},
            image_only=True))
