"""
=================================
Early stopping and the two refits
=================================

Chapter 7.8: ``early_stopping`` watches the validation loss after every
epoch and restores the weights of its best epoch. Prechelt's criteria are
``"patience"``, ``"gl"`` (generalization loss), ``"pq"`` and ``"up"``;
:class:`~skreg.EarlyStopping` sets their thresholds. ``refit_strategy`` then
puts the validation rows to use: ``"retrain"`` (algorithm 7.2) or
``"continue"`` (algorithm 7.3).

A large network trained with a high learning rate overfits quickly, so the
validation loss turns up and the criteria fire.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier, EarlyStopping
from skreg.datasets import load_digits_images
from skreg.plotting import LossCurveDisplay

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(128,), learning_rate_init=0.01, alpha=0.0,
              max_iter=200, validation_fraction=0.2, random_state=0)
rules = {"patience": "patience", "gl (threshold 2)": EarlyStopping("gl", threshold=2.0),
         "up": "up"}
fig, axes = plt.subplots(1, 3, figsize=(12, 3.5), layout="constrained", sharey=True)
for ax, (name, rule) in zip(axes, rules.items()):
    clf = DFNClassifier(early_stopping=rule, **common).fit(X_train, y_train)
    LossCurveDisplay.from_estimator(clf, ax=ax)
    ax.set_title(f"{name}: stopped at {clf.stopped_epoch_}, kept {clf.best_epoch_}",
                 fontsize=9)
    print(f"{name:17s} stopped at epoch {clf.stopped_epoch_}, kept epoch "
          f"{clf.best_epoch_}, test accuracy {clf.score(X_test, y_test):.3f}")

# %%
# The refits train on all rows, the validation rows included.
for strategy in ("retrain", "continue"):
    clf = DFNClassifier(early_stopping="patience", refit_strategy=strategy,
                        **common).fit(X_train, y_train)
    print(f"refit {strategy!r}: {clf.refit_n_iter_} more epochs, "
          f"test accuracy {clf.score(X_test, y_test):.3f}")
