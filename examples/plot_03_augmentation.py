"""
=============================================
Dataset augmentation on a small training set
=============================================

Chapter 7.4: ``augment=ImageAugmenter(...)`` transforms every training
minibatch afresh, never the validation rows nor the inputs at prediction.
It matters most when there are few training images: here 300. On 8x8
digits one pixel is an eighth of the image, so the transformations are
small: shifts of up to half a pixel (bilinear sampling) and rotations of up
to 5 degrees. The accuracies printed below are one split and one seed.
"""

from sklearn.model_selection import train_test_split

from skreg import DFNClassifier, ImageAugmenter
from skreg.datasets import load_digits_images
from skreg.plotting import AugmentationGridDisplay

X, y = load_digits_images()
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=300, stratify=y, random_state=0)

augmenter = ImageAugmenter(translation=0.5, rotation=5, random_state=0)

# %%
# What the network sees: each original (left) and five random copies.
grid = AugmentationGridDisplay.from_estimator(augmenter.fit(X_train), X_train,
                                              n_images=5)

# %%
# The same network with and without augmentation. The training loss of
# augmented batches is noisy, so the stopping rule on it is switched off
# (``n_iter_no_change=max_iter``): both run all 150 epochs.
common = dict(hidden_layer_sizes=(64,), max_iter=150, n_iter_no_change=150,
              learning_rate_init=0.01, random_state=0)
plain = DFNClassifier(**common).fit(X_train, y_train)
augmented = DFNClassifier(augment=augmenter, **common).fit(X_train, y_train)
print(f"test accuracy without augmentation {plain.score(X_test, y_test):.3f}, "
      f"with augmentation {augmented.score(X_test, y_test):.3f}")
