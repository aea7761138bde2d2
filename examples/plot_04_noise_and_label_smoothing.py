"""
======================================
Noise on inputs, weights and labels
======================================

Chapter 7.5: Gaussian noise on the inputs (``input_noise``) or on the weights
(``weight_noise``) during training, and label smoothing (7.5.1), which trains
on targets ``(1 - e) one_hot + e / K``. Label smoothing keeps the predicted
probabilities away from 0 and 1: the mean confidence of the predictions on
test digits drops, while the accuracy stays.
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
variants = {"none": {}, "input_noise=0.2": {"input_noise": 0.2},
            "weight_noise=0.05": {"weight_noise": 0.05},
            "label_smoothing=0.2": {"label_smoothing": 0.2}}
accuracy, confidence = {}, {}
for name, params in variants.items():
    clf = DFNClassifier(**common, **params).fit(X_train, y_train)
    accuracy[name] = clf.score(X_test, y_test)
    confidence[name] = clf.predict_proba(X_test).max(axis=1).mean()
    print(f"{name:20s} accuracy {accuracy[name]:.3f}, "
          f"mean confidence {confidence[name]:.3f}")

# Points, not bars: the axis covers the values, not 0 to 1.
fig, ax = plt.subplots(figsize=(6, 3), layout="constrained")
rows = np.arange(len(variants))
ax.plot(list(accuracy.values()), rows, "o", label="test accuracy")
ax.plot(list(confidence.values()), rows, "s", label="mean max probability")
ax.set_yticks(rows, list(variants))
ax.invert_yaxis()
ax.set(xlabel="test accuracy / mean max probability", title="noise robustness")
ax.margins(x=0.1, y=0.15)
_ = ax.legend(loc="center left")  # the points sit to the right
