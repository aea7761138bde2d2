"""
=============================================
Max-norm: a constraint instead of a penalty
=============================================

Chapter 7.2: ``max_norm=c`` projects each hidden unit's incoming weight
vector (a column of ``coefs_[i]``) back onto the ball of radius ``c`` after
every update. With a large learning rate the unconstrained weights grow;
the constrained ones never pass ``c``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(64,), max_iter=30, learning_rate_init=0.05,
              penalty=None, random_state=0)
free = DFNClassifier(**common).fit(X_train, y_train)
capped = DFNClassifier(max_norm=2.0, **common).fit(X_train, y_train)

fig, ax = plt.subplots(layout="constrained")
for name, clf in [("no constraint", free), ("max_norm=2", capped)]:
    norms = np.sort(np.linalg.norm(clf.coefs_[0], axis=0))[::-1]
    ax.plot(norms, marker=".", label=f"{name}: test accuracy "
            f"{clf.score(X_test, y_test):.3f}")
ax.axhline(2.0, color="gray", linestyle="--")
ax.set(xlabel="hidden unit (sorted)", ylabel="norm of incoming weights",
       title="first layer column norms")
ax.legend()

print("largest column norm:", {name: float(np.linalg.norm(c.coefs_[0], axis=0).max())
                               for name, c in [("free", free), ("capped", capped)]})
