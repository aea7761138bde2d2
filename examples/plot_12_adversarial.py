"""
=====================
Adversarial training
=====================

Chapter 7.13: ``adversarial_eps`` trains on inputs perturbed by the fast
gradient sign method, ``x + eps sign(grad_x J)``, mixed with the clean loss
by ``adversarial_weight``. The adversarially trained network keeps more of
its accuracy when the test digits are attacked with larger ``eps``.
"""

from sklearn.model_selection import train_test_split

from skreg import DFNClassifier
from skreg.datasets import load_digits_images
from skreg.plotting import AdversarialCurveDisplay

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0)

common = dict(hidden_layer_sizes=(64,), max_iter=40, learning_rate_init=0.01,
              random_state=0)
fits = {"plain": DFNClassifier(**common).fit(X_train, y_train),
        "adversarial_eps=0.1": DFNClassifier(adversarial_eps=0.1, **common).fit(
            X_train, y_train)}
display = AdversarialCurveDisplay.from_estimator(fits, X_test, y_test,
                                                 eps=[0, 0.05, 0.1, 0.15, 0.2])
for name, scores in display.scores.items():
    print(name, " ".join(f"{s:.3f}" for s in scores))
