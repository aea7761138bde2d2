"""skreg: regularized deep feed-forward networks for scikit-learn.

Every regularization technique of Goodfellow, Bengio & Courville's chapter 7
("Regularization for Deep Learning") as a parameter of two scikit-learn
estimators, :class:`DFNClassifier` and :class:`DFNRegressor`.
"""

from . import adversarial, augmentation, datasets, penalties
from .augmentation import ImageAugmenter
from .classifier import DFNClassifier
from .cocktail import cocktail_candidates, cocktail_space
from .conv import Conv2D
from .early_stopping import EarlyStopping
from .plotting import (AdversarialCurveDisplay, AugmentationGridDisplay,
                       LossCurveDisplay, WeightHistogramDisplay)
from .regressor import DFNRegressor
from .selection import KeepFirstUnlessBetter
from .tabular import make_tabular_pipeline

__version__ = "0.1.0"

__all__ = [
    "AdversarialCurveDisplay",
    "AugmentationGridDisplay",
    "Conv2D",
    "DFNClassifier",
    "DFNRegressor",
    "EarlyStopping",
    "ImageAugmenter",
    "KeepFirstUnlessBetter",
    "LossCurveDisplay",
    "WeightHistogramDisplay",
    "adversarial",
    "augmentation",
    "cocktail_candidates",
    "cocktail_space",
    "datasets",
    "make_tabular_pipeline",
    "penalties",
]
