"""
=========================================
Parameter sharing: a convolutional layer
=========================================

Chapter 7.9: a convolution applies one small weight matrix at every position
of an image. ``conv_layers=[(8, 3, 2)]`` puts 8 filters of 3x3 pixels, then
a 2x2 max-pooling, before the dense layers. The 8 filters cost 80
parameters for all 64 positions of an 8x8 digit; a dense layer of 8 units
would cost 520. Here a small CNN and a one-hidden-layer network (MLP) of
about the same size (4538 and 4510 parameters) train on half of the digits,
five times each (seeds 0-4, one split). On the plain test digits the two are
close; on test digits moved one pixel sideways, which neither saw in
training, both lose much of their accuracy, the MLP more: sharing plus
pooling buys some, not full, tolerance to translation.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed budget of 40 epochs
X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)


def shift(X, dx):
    """Move 8x8 images ``dx`` pixels to the right (left if < 0), zero-filled."""
    images, moved = X.reshape(-1, 8, 8), np.zeros((len(X), 8, 8), X.dtype)
    if dx > 0:
        moved[:, :, dx:] = images[:, :, :-dx]
    else:
        moved[:, :, :dx] = images[:, :, -dx:]
    return moved.reshape(len(X), 64)


def n_parameters(model):
    return sum(W.size for W in model.coefs_) + sum(b.size for b in model.intercepts_)


tests = {"test": X_test, "shifted right": shift(X_test, 1),
         "shifted left": shift(X_test, -1)}
specs = {"CNN": dict(conv_layers=[(8, 3, 2)], hidden_layer_sizes=(32,)),
         "MLP": dict(hidden_layer_sizes=(60,))}
scores, models = {}, {}
for name, spec in specs.items():
    with threadpool_limits(limits=1):  # small matrices: one BLAS thread is faster
        fits = [DFNClassifier(max_iter=40, learning_rate_init=0.01,
                              random_state=seed, **spec).fit(X_train, y_train)
                for seed in range(5)]
    scores[name] = np.array([[m.score(X_t, y_test) for X_t in tests.values()]
                             for m in fits])
    models[name] = fits[0]
    print(f"{name}: {n_parameters(fits[0])} parameters, weight shapes "
          f"{[W.shape for W in fits[0].coefs_]}")
    for j, label in enumerate(tests):
        print(f"  {label:>13} accuracy {scores[name][:, j].mean():.3f} "
              f"+- {scores[name][:, j].std(ddof=1):.3f} (mean +- std, 5 seeds)")

# %%
# Mean test accuracy with the standard deviation over the five seeds.
fig, ax = plt.subplots(layout="constrained")
width = 0.38
for k, (name, s) in enumerate(scores.items()):
    ax.bar(np.arange(len(tests)) + (k - 0.5) * width, s.mean(axis=0), width,
           yerr=s.std(axis=0, ddof=1), capsize=3, label=name)
ax.set_xticks(np.arange(len(tests)), list(tests))
ax.set(ylabel="accuracy", ylim=(0, 1), title="same size, 5 seeds")
_ = ax.legend()

# %%
# The first-layer filters of the CNN (seed 0): ``coefs_[0]`` has one column
# per filter, its rows ordered as ``reshape(kh, kw, c_in, filters)``. Each
# 3x3 filter is applied at every position of the image.
filters = models["CNN"].coefs_[0].reshape(3, 3, 1, 8)
limit = np.abs(filters).max()
fig, axes = plt.subplots(1, 8, figsize=(8, 1.6), layout="constrained")
for k, ax in enumerate(axes):
    image = ax.imshow(filters[:, :, 0, k], cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_axis_off()
    ax.set_title(f"filter {k}", fontsize=8)
fig.colorbar(image, ax=axes, label="weight", shrink=0.8)
_ = fig.suptitle("learned 3x3 filters (red > 0, blue < 0)")
