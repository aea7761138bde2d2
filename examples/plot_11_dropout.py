"""
=======
Dropout
=======

Chapter 7.12: ``dropout_keep`` is the probability of keeping each unit in
training, one value for all hidden layers or a tuple ``(input, hidden1,
...)``. ``dropout_mode="inverted"`` scales the kept units by ``1/p`` in
training; ``"classic"`` scales by ``p`` at prediction. Dropout narrows the
gap between training and validation loss; with the short budget of this
example it does not raise the test accuracy (the numbers printed below, one
split and one seed): a dropped-out network needs more epochs.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images
from skreg.plotting import LossCurveDisplay

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(128,), max_iter=60, learning_rate_init=0.01,
              alpha=0.0, random_state=0)
X_fit, X_val, y_fit, y_val = train_test_split(X_train, y_train, test_size=0.2,
                                              stratify=y_train, random_state=0)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained", sharey=True)
for ax, keep in zip(axes, [1.0, (0.8, 0.5)]):
    clf = DFNClassifier(dropout_keep=keep, **common).fit(
        X_fit, y_fit, validation_data=(X_val, y_val))
    LossCurveDisplay.from_estimator(clf, ax=ax, best_marker_kw={"color": "tab:red"})
    ax.set_title(f"dropout_keep={keep}: test accuracy {clf.score(X_test, y_test):.3f}",
                 fontsize=9)
    print(f"dropout_keep={keep}: train accuracy {clf.score(X_fit, y_fit):.3f}, "
          f"test accuracy {clf.score(X_test, y_test):.3f}")
