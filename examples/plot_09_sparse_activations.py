"""
==========================================
Sparse representations: penalize activity
==========================================

Chapter 7.10: ``activity_alpha`` adds an L1 penalty on the hidden
activations (a sparse representation), where ``penalty="l1"`` makes the
weights sparse. With ReLU units, more of them are exactly zero on each input.
Too strong a penalty switches every unit off, and the network predicts one
class (``activity_alpha=0.2`` below).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
fig, ax = plt.subplots(layout="constrained")
for activity_alpha in (0.0, 0.05, 0.2):
    clf = DFNClassifier(activity_alpha=activity_alpha, **common).fit(X_train, y_train)
    h = np.maximum(X_test @ clf.coefs_[0] + clf.intercepts_[0], 0)
    active = (h > 0).mean(axis=1)
    ax.hist(active, bins=np.linspace(0, 1, 33), histtype="step", linewidth=1.5,
            label=f"activity_alpha={activity_alpha}")
    print(f"activity_alpha={activity_alpha}: {1 - active.mean():.0%} of hidden units "
          f"are 0, test accuracy {clf.score(X_test, y_test):.3f}")
ax.set(xlabel="share of active hidden units per test digit", ylabel="digits")
_ = ax.legend()
