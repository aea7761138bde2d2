"""
===========================
Bagging networks (sklearn)
===========================

Chapter 7.11: the networks are ordinary scikit-learn classifiers, so
:class:`~sklearn.ensemble.BaggingClassifier` trains an ensemble of them on
bootstrap samples and averages their probabilities. The ensemble's accuracy
grows with its size while each member's stays put.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import BaggingClassifier
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

member = DFNClassifier(hidden_layer_sizes=(32,), max_iter=20, learning_rate_init=0.01)
bag = BaggingClassifier(member, n_estimators=8, random_state=0).fit(X_train, y_train)

# Accuracy of the first k members' averaged probabilities.
probas = np.stack([m.predict_proba(X_test) for m in bag.estimators_])
sizes = np.arange(1, len(probas) + 1)
ensemble = [np.mean(bag.classes_[probas[:k].mean(axis=0).argmax(axis=1)] == y_test)
            for k in sizes]
members = [m.score(X_test, y_test) for m in bag.estimators_]

fig, ax = plt.subplots(layout="constrained")
ax.plot(sizes, ensemble, marker="o", label="ensemble of the first k")
ax.plot(sizes, members, marker="x", linestyle="none", label="member k alone")
ax.set(xlabel="k", ylabel="test accuracy", title="bagging")
ax.legend()
print(f"bagging of 8: {bag.score(X_test, y_test):.3f}; "
      f"members: {min(members):.3f} to {max(members):.3f}")
