"""
=================================================
Semi-supervised: what the unlabeled rows can add
=================================================

Chapter 7.6: rows labelled ``-1`` (scikit-learn's convention for unlabeled)
can still train a network. Here only 10 labels per class are kept (100 of
the 898 training digits) and three ways to use the other 798 rows are
compared on the same test half:

- **labeled rows only**: the 100 labeled rows, trained until the loss stops
  improving (the baseline);
- **reconstruction**: ``reconstruction_weight=1`` adds a linear decoder that
  reconstructs every input from the first hidden layer, so the unlabeled rows
  shape that layer's features;
- **virtual adversarial training** (``vat_weight=1, vat_eps=0.5``): for every
  row, labeled or not, the prediction at ``x`` should not change at
  ``x + r``, ``r`` the perturbation of norm 0.5 that changes it most. The
  digits' pixels lie in [0, 1] and a row's L2 norm is about 3.9, so 0.5 is a
  small change of the image; ``entropy_weight=1`` also asks for confident
  predictions on the unlabeled rows.

Each is fitted five times (seeds 0-4: another choice of the 100 labeled rows
and another initialization each time; one train/test split). On digits the
reconstruction head adds nothing over the labeled rows alone; virtual
adversarial training adds about three points (the numbers printed below);
entropy minimization on top does not improve on it here.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from scipy import stats
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

from skreg import DFNClassifier
from skreg.datasets import load_digits_images

warnings.simplefilter("ignore", ConvergenceWarning)  # a fixed budget of 60 epochs
X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)


def hide_labels(seed, per_class=10):
    """``y_train`` with all but ``per_class`` labels per class set to -1."""
    rng = np.random.default_rng(seed)
    keep = np.zeros(len(y_train), dtype=bool)
    for label in np.unique(y_train):
        keep[rng.choice(np.flatnonzero(y_train == label), per_class,
                        replace=False)] = True
    return np.where(keep, y_train, -1)


common = dict(hidden_layer_sizes=(64,), learning_rate_init=0.01)
methods = {"labeled rows only": dict(max_iter=200),  # stops when converged
           "reconstruction": dict(reconstruction_weight=1.0, max_iter=60),
           "VAT": dict(vat_weight=1.0, vat_eps=0.5, max_iter=60),
           "VAT + entropy": dict(vat_weight=1.0, vat_eps=0.5, entropy_weight=1.0,
                                 max_iter=60)}
scores = {name: [] for name in methods}
models = {}
with threadpool_limits(limits=1):  # small matrices: one BLAS thread is faster
    for seed in range(5):
        y_semi = hide_labels(seed)
        labeled = y_semi != -1
        for name, params in methods.items():
            model = DFNClassifier(random_state=seed, **common, **params)
            if name == "labeled rows only":
                model.fit(X_train[labeled], y_semi[labeled])
            else:
                model.fit(X_train, y_semi)
            scores[name].append(model.score(X_test, y_test))
            models.setdefault(name, model)  # seed 0's fit, for the figures
print(f"{labeled.sum()} labeled rows, {(~labeled).sum()} unlabeled; test accuracy "
      "(mean +- std over 5 seeds; paired t-test against the labeled rows only):")
baseline = scores["labeled rows only"]
for name, s in scores.items():
    test = "" if s is baseline else f", p = {stats.ttest_rel(s, baseline).pvalue:.3f}"
    print(f"  {name:>17}: {np.mean(s):.3f} +- {np.std(s, ddof=1):.3f}{test}")

# %%
# Mean test accuracy (points: the axis covers the data, not 0 to 1), the
# standard deviation over the seeds as error bars and the labeled-only
# baseline as the dashed line.
means = np.array([np.mean(s) for s in scores.values()])
stds = np.array([np.std(s, ddof=1) for s in scores.values()])
fig, ax = plt.subplots(figsize=(6, 2.4), layout="constrained")
rows = np.arange(len(scores))
ax.errorbar(means, rows, xerr=stds, fmt="o", capsize=3, color="tab:blue")
ax.set_yticks(rows, list(scores))
for k, (mean, std) in enumerate(zip(means, stds)):
    ax.text(mean + std + 0.003, k, f"{mean:.3f} ± {std:.3f}", va="center", fontsize=8)
ax.axvline(means[0], color="gray", linestyle="--", linewidth=1)
low, high = (means - stds).min(), (means + stds).max()
_ = ax.set(xlim=(low - 0.01, high + 0.05), ylim=(len(scores) - 0.5, -0.5),
           xlabel="test accuracy", title="100 labeled digits, 5 seeds")

# %%
# What virtual adversarial training looks at. With ``p`` a network's
# prediction, the gradient of ``KL(p || p(y | x + r))`` with respect to
# ``r`` is computed here from the fitted weights (a ReLU layer, then
# softmax) and, as the estimator does during training, a few power-iteration
# steps turn a random direction into the one that changes the prediction
# most; it is scaled to norm 0.5. The VAT network's prediction moves much
# less under its own worst perturbation than the labeled-only network's
# (seed 0's fits; the mean divergences are printed below). The figure shows
# the VAT network's ``r`` for six test digits.


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def forward(model, X):
    (W1, W2), (b1, b2) = model.coefs_, model.intercepts_
    Z = X @ W1 + b1
    return Z, softmax(np.maximum(Z, 0) @ W2 + b2)


def virtual_adversarial(model, X, eps=0.5, xi=1e-2, n_power=3, seed=0):
    """The perturbations of norm ``eps`` and ``KL(p || p(y | x + r))``."""
    X = X.astype(np.float64)
    _, P = forward(model, X)
    D = np.random.default_rng(seed).standard_normal(X.shape)
    for _ in range(n_power):
        D /= np.linalg.norm(D, axis=1, keepdims=True)
        Z, Q = forward(model, X + xi * D)
        # d KL / d logits = q - p, back through the ReLU layer to the input
        D = (((Q - P) @ model.coefs_[1].T) * (Z > 0)) @ model.coefs_[0].T
    R = eps * D / np.linalg.norm(D, axis=1, keepdims=True)
    _, Q = forward(model, X + R)
    kl = np.sum(P * (np.log(P + 1e-12) - np.log(Q + 1e-12)), axis=1)
    return R, kl


for name in ("labeled rows only", "VAT"):
    _, kl = virtual_adversarial(models[name], X_test)
    print(f"{name:>17}: mean KL(p || p(x + r_adv)) on the test digits {kl.mean():.3f}")

R, _ = virtual_adversarial(models["VAT"], X_test[:6])
# The pixel rows share one grey scale wide enough for ``x + r`` (which leaves
# [0, 1]); ``r`` has its own, symmetric about 0.
fig, axes = plt.subplots(3, 6, figsize=(7, 3.5), layout="constrained")
limit = np.abs(R).max()
pixels = (min(0.0, (X_test[:6] + R).min()), max(1.0, (X_test[:6] + R).max()))
before, after = models["VAT"].predict(X_test[:6]), models["VAT"].predict(X_test[:6] + R)
images = {}
for k in range(6):
    for row, (img, cmap, (low, high)) in enumerate([
            (X_test[k], "gray_r", pixels), (R[k], "RdBu_r", (-limit, limit)),
            (X_test[k] + R[k], "gray_r", pixels)]):
        images[row] = axes[row, k].imshow(img.reshape(8, 8), cmap=cmap, vmin=low,
                                          vmax=high)
        axes[row, k].set_axis_off()
    axes[0, k].set_title(f"predicted {before[k]}", fontsize=8)
    axes[2, k].set_title(f"predicted {after[k]}", fontsize=8)
for row, label in enumerate(["x", "r", "x + r"]):  # each row's scale beside it
    fig.colorbar(images[row], ax=axes[row, :], label=label, shrink=0.9)
_ = fig.suptitle("test digits, their virtual adversarial r (norm 0.5) and x + r")

# %%
# Reconstructions of test digits by the decoder head of the reconstruction
# model.
semi = models["reconstruction"]
h = np.maximum(X_test[:6] @ semi.coefs_[0] + semi.intercepts_[0], 0)
X_hat = h @ semi.decoder_coef_ + semi.decoder_intercept_
pixels = (min(0.0, X_hat.min()), max(1.0, X_hat.max()))  # reconstructions leave [0, 1]
fig, axes = plt.subplots(2, 6, figsize=(6.6, 2.4), layout="constrained")
for ax, img in zip(axes.ravel(), np.vstack([X_test[:6], X_hat])):
    image = ax.imshow(img.reshape(8, 8), cmap="gray_r", vmin=pixels[0], vmax=pixels[1])
    ax.set_axis_off()
fig.colorbar(image, ax=axes, label="pixel", shrink=0.8)
_ = fig.suptitle("test digits (top) and their reconstructions")
