"""
=====================================
Multi-task learning on a shared trunk
=====================================

Chapter 7.7: a 2-D ``y`` trains one output head per column on shared hidden
layers; ``task_weights`` weights the heads' losses. Here the tasks are the
digit and its parity; ``predict`` returns one column per task.
"""

import numpy as np
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

X, y = load_digits_images()
Y = np.column_stack([y, y % 2])  # digit, parity
X_train, X_test, Y_train, Y_test = train_test_split(
    X, Y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
multi = DFNClassifier(task_weights=[1.0, 0.5], **common).fit(X_train, Y_train)
single = DFNClassifier(**common).fit(X_train, Y_train[:, 0])

pred = multi.predict(X_test)
print("classes per task:", [c.tolist() for c in multi.classes_])
print(f"digit accuracy: multi-task {np.mean(pred[:, 0] == Y_test[:, 0]):.3f}, "
      f"digit alone {single.score(X_test, Y_test[:, 0]):.3f}")
print(f"parity accuracy: {np.mean(pred[:, 1] == Y_test[:, 1]):.3f}; "
      f"both right (score): {multi.score(X_test, Y_test):.3f}")

# %%
# The training objective sums the weighted losses of both heads.
from skreg.plotting import LossCurveDisplay  # noqa: E402

display = LossCurveDisplay.from_estimator(multi)
