"""
===============================================
Semi-supervised: unlabeled rows train a decoder
===============================================

Chapter 7.6: with ``reconstruction_weight > 0`` a linear decoder
reconstructs the input from the first hidden layer. Rows labelled ``-1``
(scikit-learn's convention for unlabeled) train only this reconstruction, so
the shared hidden layer also learns from them. Here 90% of the training
labels are hidden. On digits the gain is small, if any (the accuracies
printed below, one split and one seed): the first layer's features are
easy to learn from the 88 labeled rows alone.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)
hidden = np.random.default_rng(0).random(len(y_train)) < 0.9
y_semi = np.where(hidden, -1, y_train)
print(f"{(~hidden).sum()} labeled rows, {hidden.sum()} unlabeled")

common = dict(hidden_layer_sizes=(64,), max_iter=60, learning_rate_init=0.01,
              random_state=0)
labeled_only = DFNClassifier(**common).fit(X_train[~hidden], y_train[~hidden])
semi = DFNClassifier(reconstruction_weight=1.0, **common).fit(X_train, y_semi)
print(f"test accuracy, labeled rows only: {labeled_only.score(X_test, y_test):.3f}; "
      f"with the unlabeled rows: {semi.score(X_test, y_test):.3f}")

# %%
# Reconstructions of test digits by the decoder head.
h = np.maximum(X_test[:6] @ semi.coefs_[0] + semi.intercepts_[0], 0)
X_hat = h @ semi.decoder_coef_ + semi.decoder_intercept_
fig, axes = plt.subplots(2, 6, figsize=(6, 2.2), layout="constrained")
for ax, img in zip(axes.ravel(), np.vstack([X_test[:6], X_hat])):
    ax.imshow(img.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_axis_off()
fig.suptitle("test digits (top) and their reconstructions")
