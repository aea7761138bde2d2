"""augment=: a transformer applied to every training minibatch (7.4)."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin

from skreg import DFNClassifier, ImageAugmenter
from skreg.augmentation import translate


class Spy(TransformerMixin, BaseEstimator):
    """Records the batches it transforms; adds 1000 so misuse would show."""

    calls = []

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        Spy.calls.append(X.shape[0])
        return X + 1000.0


def test_augment_touches_training_batches_only(small_digits):
    X, y, Xt, yt = small_digits
    Spy.calls.clear()
    est = DFNClassifier((8,), augment=Spy(), batch_size=64, max_iter=3,
                        early_stopping=True, n_iter_no_change=50,
                        random_state=0).fit(X, y, validation_data=(Xt, yt))
    n_train = len(X)
    assert sum(Spy.calls) == 3 * n_train  # every row of every epoch, nothing else
    assert max(Spy.calls) == 64
    before = len(Spy.calls)
    est.predict(Xt)
    assert len(Spy.calls) == before
    assert est.augment.random_state is None  # the user's object is not touched


def test_image_augmenter_in_training_draws_fresh_transforms(small_digits):
    X, y, _, _ = small_digits
    kw = dict(hidden_layer_sizes=(16,), max_iter=2, random_state=0)
    a = DFNClassifier(**kw, augment=ImageAugmenter(translation=1)).fit(X, y)
    b = DFNClassifier(**kw, augment=ImageAugmenter(translation=1)).fit(X, y)
    c = DFNClassifier(**kw).fit(X, y)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])  # one seed, one result
    assert not np.array_equal(a.coefs_[0], c.coefs_[0])


def test_augmentation_helps_on_shifted_test_digits(digits):
    """Few training digits, test digits shifted by a pixel: random shifts in
    training must beat no augmentation (mean of 2 seeds)."""
    X, y, Xt, yt = digits
    X, y = X[:300], y[:300]
    rng = np.random.default_rng(0)
    shifted = translate(Xt, rng.choice([-1, 1], len(Xt)), rng.choice([-1, 1], len(Xt)))
    scores = {}
    for name, augment in [("none", None), ("shift", ImageAugmenter(translation=1.5))]:
        scores[name] = np.mean([
            DFNClassifier((64,), augment=augment, max_iter=80, learning_rate_init=0.01,
                          random_state=seed).fit(X, y).score(shifted, yt)
            for seed in (0, 1)])
    assert scores["shift"] > scores["none"] + 0.05, scores


def _recorded_batches(monkeypatch, est, X, y):
    """(input, output) of every augmented training batch of ``est.fit``."""
    from skreg import training

    seen, real = [], training._augmented

    def record(augment, batch):
        out = real(augment, batch)
        seen.append((batch.copy(), out.copy()))
        return out

    monkeypatch.setattr(training, "_augmented", record)
    est.fit(X, y)
    return [np.concatenate(part) for part in zip(*seen, strict=True)]


def test_augmenter_takes_the_estimators_image_shape(monkeypatch):
    """(4, 16) images flipped upside down are their 4 rows reversed, not the
    8 rows of an 8 x 8 square (issue 22, item 2)."""
    rng = np.random.default_rng(0)
    X = rng.random((60, 64)).astype(np.float32)
    y = rng.integers(0, 2, 60)
    est = DFNClassifier((4,), conv_layers=[(2, 3)], image_shape=(4, 16), max_iter=2,
                        augment=ImageAugmenter(vflip=True), random_state=0)
    before, after = _recorded_batches(monkeypatch, est, X, y)
    flipped = before.reshape(-1, 4, 16)[:, ::-1].reshape(before.shape)
    same = np.all(after == before, axis=1)
    flip = np.all(after == flipped, axis=1)
    assert np.all(same | flip) and 0 < flip.sum() < len(flip)
    assert est.augment.image_shape is None  # the user's object is not touched


def test_augmenter_image_shape_conflicts_are_errors():
    X = np.random.default_rng(0).random((20, 64))
    y = np.arange(20) % 2
    est = DFNClassifier((4,), image_shape=(4, 16), max_iter=1,
                        augment=ImageAugmenter((8, 8), vflip=True))
    with pytest.raises(ValueError, match=r"augment has image_shape=\(8, 8\) but "
                                         r"the estimator has image_shape=\(4, 16\)"):
        est.fit(X, y)
    assert not hasattr(est, "coefs_")
    # the same shape written two ways is no conflict
    est.set_params(augment=ImageAugmenter((4, -1), vflip=True)).fit(X, y)
