"""
==========================================
Weight penalties: L2, L1 and exact zeros
==========================================

Chapter 7.1: ``penalty="l2"`` (weight decay) shrinks every weight, while
``penalty="l1"`` is applied by a proximal soft-threshold step, so many weights
become exactly zero (a sparse parametrization). The histograms show it: with
a logarithmic count axis the spike of zeros of L1 stands out.
"""

from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images
from skreg.plotting import WeightHistogramDisplay

X, y = load_digits_images()  # 1797 8x8 digits, pixels in [0, 1]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

# %%
# One network per penalty, same seed and epoch budget.
common = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
fits = {name: DFNClassifier(penalty=penalty, alpha=alpha, **common).fit(X_train, y_train)
        for name, penalty, alpha in [("none", None, 0.0), ("l2", "l2", 1.0),
                                     ("l1", "l1", 0.5)]}
for name, clf in fits.items():
    zeros = sum((W == 0).sum() for W in clf.coefs_) / sum(W.size for W in clf.coefs_)
    print(f"{name:5s} test accuracy {clf.score(X_test, y_test):.3f}, "
          f"weights exactly 0: {zeros:.0%}")

# %%
# The weights of the three networks on one histogram.
display = WeightHistogramDisplay.from_estimator(fits)
