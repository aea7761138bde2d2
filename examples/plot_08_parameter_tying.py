"""
===========================================
Parameter tying: pull toward another model
===========================================

Chapter 7.9: ``penalty=L2(reference=coefs)`` penalizes the distance
``1/2 ||W - W_ref||^2`` to another model's weights instead of the distance to
zero. A model fitted on a large set (A) becomes the prior of one fitted on
only 100 rows (B): tied, B stays close to A and keeps much of its accuracy.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images
from skreg.penalties import L2

X, y = load_digits_images()
X_a, X_b, y_a, y_b = train_test_split(X, y, test_size=0.5, stratify=y,
                                      random_state=0)
X_small, X_test, y_small, y_test = train_test_split(
    X_b, y_b, train_size=100, stratify=y_b, random_state=0)

common = dict(hidden_layer_sizes=(32,), max_iter=60, learning_rate_init=0.01)
A = DFNClassifier(random_state=0, **common).fit(X_a, y_a)
alphas = [0.0, 1.0, 10.0, 100.0]
tied = [DFNClassifier(penalty=L2(reference=A.coefs_), alpha=a, random_state=1,
                      **common).fit(X_small, y_small) for a in alphas]


def distance(model):
    return np.sqrt(sum(np.sum((W - R) ** 2) for W, R in zip(model.coefs_, A.coefs_)))


fig, ax = plt.subplots(layout="constrained")
ax.plot(alphas[1:], [m.score(X_test, y_test) for m in tied[1:]], marker="o",
        label="B tied to A")
ax.axhline(tied[0].score(X_test, y_test), color="gray", linestyle="--",
           label="B untied (alpha=0)")
ax.axhline(A.score(X_test, y_test), color="black", linestyle=":", label="A")
ax.set(xscale="log", xlabel="alpha", ylabel="test accuracy",
       title="B: 100 training rows")
ax.legend()
for a, m in zip(alphas, tied):
    print(f"alpha={a:6.1f}: distance to A {distance(m):7.2f}, "
          f"test accuracy {m.score(X_test, y_test):.3f}")
