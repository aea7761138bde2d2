"""Convolutional estimators: every regularizer on a conv network, pickling,
reproducibility, bad specifications."""

import pickle

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_digits

from skreg import Conv2D, DFNClassifier, DFNRegressor, ImageAugmenter
from skreg.adversarial import fgsm
from skreg.penalties import L2, MaxNorm

from .helpers import kernels_enabled, numerical_gradient


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X[:300] / 16).astype(np.float32), y[:300]


def conv_clf(**params):
    base = dict(hidden_layer_sizes=(16,), conv_layers=[(4, 3, 2)], max_iter=3,
                batch_size=32, learning_rate_init=0.01, random_state=0)
    return DFNClassifier(**{**base, **params})


def test_conv_weights_are_filter_matrices(digits):
    X, y = digits
    conv = [(4, 3, 2), Conv2D(6, (2, 3), padding="valid")]
    clf = conv_clf(conv_layers=conv).fit(X, y)
    # 8x8 -> same 3x3, pool 2 -> 4x4x4 -> valid 2x3 -> 3x2x6 -> 16 -> 10
    assert [c.shape for c in clf.coefs_] == [(9, 4), (24, 6), (36, 16), (16, 10)]
    assert [b.shape for b in clf.intercepts_] == [(4,), (6,), (16,), (10,)]
    assert clf.predict_proba(X).shape == (300, 10)


def test_default_conv_layers_change_nothing(digits):
    X, y = digits
    plain = DFNClassifier((16,), max_iter=3, random_state=0).fit(X, y)
    same = DFNClassifier((16,), conv_layers=(), image_shape=(8, 8), max_iter=3,
                         random_state=0)
    with pytest.warns(UserWarning, match="image_shape=.* is ignored"):
        same.fit(X, y)
    for a, b in zip(plain.coefs_, same.coefs_):
        np.testing.assert_array_equal(a, b)


def test_same_seed_same_bits_and_pickling(digits):
    X, y = digits
    a = conv_clf(dropout_keep=0.8).fit(X, y)
    b = conv_clf(dropout_keep=0.8).fit(X, y)
    for u, v in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(u, v)
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.predict_proba(X), a.predict_proba(X))
    assert pickle.loads(pickle.dumps(Conv2D(3, 5, pool=2))).get_params() == dict(
        filters=3, kernel_size=5, stride=1, padding="same", pool=2)


def test_either_engine_fits_the_same_bits(digits):
    pytest.importorskip("numba")
    X, y = digits
    fits = []
    for compiled in (False, True):
        with kernels_enabled(compiled):
            fits.append(conv_clf(dropout_keep=(1.0, 0.8, 0.7)).fit(X, y))
    for a, b in zip(fits[0].coefs_ + fits[0].intercepts_,
                    fits[1].coefs_ + fits[1].intercepts_):
        np.testing.assert_array_equal(a, b)


def test_conv_regressor_and_lbfgs(digits):
    X, y = digits
    reg = DFNRegressor((8,), conv_layers=[(3, 3, 2)], solver="lbfgs", max_iter=30,
                       random_state=0, dtype=np.float64).fit(X, y.astype(float))
    assert reg.score(X, y) > 0.5
    assert reg.coefs_[0].shape == (9, 3)


def test_l1_gives_exact_zeros_in_filters(digits):
    X, y = digits
    clf = conv_clf(penalty="l1", alpha=3.0, max_iter=5).fit(X, y)
    assert np.sum(clf.coefs_[0] == 0) > 0
    plain = conv_clf(penalty=None, max_iter=5).fit(X, y)
    assert np.sum(plain.coefs_[0] == 0) == 0


@pytest.mark.parametrize("penalty", ["l2", "elasticnet"])
def test_penalties_shrink_the_shared_weights(digits, penalty):
    X, y = digits
    sgd = dict(solver="sgd", learning_rate_init=0.05, momentum=0.0, max_iter=10)
    weak = conv_clf(penalty=penalty, alpha=1e-4, **sgd).fit(X, y)
    strong = conv_clf(penalty=penalty, alpha=300.0, **sgd).fit(X, y)
    assert np.linalg.norm(strong.coefs_[0]) < 0.5 * np.linalg.norm(weak.coefs_[0])


def test_l2_reference_pulls_filters_to_the_reference(digits):
    X, y = digits
    sgd = dict(solver="sgd", learning_rate_init=0.05, momentum=0.0, max_iter=10)
    donor = conv_clf(random_state=1, **sgd).fit(X, y)
    free = conv_clf(**sgd).fit(X, y)
    tied = conv_clf(penalty=L2(reference=donor.coefs_), alpha=300.0, **sgd).fit(X, y)
    gap = [np.linalg.norm(m.coefs_[0] - donor.coefs_[0]) for m in (free, tied)]
    assert gap[1] < 0.5 * gap[0]


def test_l2_reference_of_the_wrong_shape_is_an_error(digits):
    X, y = digits
    wrong = [np.zeros((3, 4)), np.zeros((64, 16)), np.zeros((16, 10))]
    with pytest.raises(ValueError, match="reference"):
        conv_clf(penalty=L2(reference=wrong)).fit(X, y)


@pytest.mark.parametrize("max_norm", [0.5, MaxNorm(0.5)])
def test_max_norm_bounds_each_filter(digits, max_norm):
    X, y = digits
    clf = conv_clf(max_norm=max_norm, learning_rate_init=0.05, max_iter=5).fit(X, y)
    norms = np.linalg.norm(clf.coefs_[0], axis=0)
    assert norms.shape == (4,)
    assert np.all(norms <= 0.5 * (1 + 1e-6))
    assert norms.max() > 0.45  # the constraint is active


def test_dropout_on_feature_maps(digits):
    X, y = digits
    keep = (0.9, 0.5, 0.5)  # input, the conv block's map, the dense layer
    a = conv_clf(dropout_keep=keep).fit(X, y)
    b = conv_clf().fit(X, y)
    assert not np.array_equal(a.coefs_[0], b.coefs_[0])
    classic = conv_clf(dropout_keep=keep, dropout_mode="classic").fit(X, y)
    assert classic.predict_proba(X).shape == (300, 10)
    with pytest.raises(ValueError, match=r"n_conv \+ n_hidden \+ 1 = 3"):
        conv_clf(dropout_keep=(1.0, 0.5)).fit(X, y)


@pytest.mark.parametrize("param", [dict(input_noise=0.1), dict(weight_noise=0.05),
                                   dict(activity_alpha=1e-3),
                                   dict(adversarial_eps=0.1),
                                   dict(augment=ImageAugmenter(translation=1)),
                                   dict(label_smoothing=0.1),
                                   dict(early_stopping=True, max_iter=6)])
def test_each_regularizer_trains_a_conv_network(digits, param):
    X, y = digits
    plain = conv_clf(max_iter=4).fit(X, y)
    clf = conv_clf(**{"max_iter": 4, **param}).fit(X, y)
    assert np.all(np.isfinite(clf.coefs_[0]))
    assert not np.array_equal(clf.coefs_[0], plain.coefs_[0])
    assert clf.score(X, y) > 0.3


def test_fgsm_direction_on_a_conv_estimator(digits):
    """fgsm's gradient is the finite-difference gradient of the loss."""
    X, y = digits
    clf = conv_clf(activation="tanh", dtype=np.float64,
                   conv_layers=[Conv2D(3, 3, stride=2, pool=2)]).fit(X, y)
    # blank pixels give ties in the pooling windows, where the loss has no
    # derivative; a little noise moves the inputs off them
    noise = np.random.default_rng(0).normal(scale=0.01, size=(3, 64))
    Xs, ys = X[:3].astype(np.float64) + noise, y[:3]

    def loss(x):
        return -np.mean(np.log(clf.predict_proba(x.reshape(Xs.shape))[
            np.arange(3), np.searchsorted(clf.classes_, ys)]))

    grad = numerical_gradient(loss, Xs.ravel()).reshape(Xs.shape)
    X_adv = fgsm(clf, Xs, ys, eps=0.1)
    big = np.abs(grad) > 1e-6
    np.testing.assert_array_equal(np.sign(X_adv - Xs)[big], np.sign(grad)[big])


def test_bagging_and_clone(digits):
    from sklearn.ensemble import BaggingClassifier

    X, y = digits
    bag = BaggingClassifier(conv_clf(), n_estimators=2, random_state=0).fit(X, y)
    assert bag.predict_proba(X).shape == (300, 10)
    assert clone(conv_clf()).get_params()["conv_layers"] == [(4, 3, 2)]


def test_image_shape_with_channels():
    rng = np.random.default_rng(0)
    X = rng.random((40, 4 * 6 * 3))
    y = rng.integers(0, 2, 40)
    clf = DFNClassifier((4,), conv_layers=[(2, 3, 2)], image_shape=(4, 6, 3),
                        max_iter=2, random_state=0).fit(X, y)
    assert clf.coefs_[0].shape == (27, 2)
    assert clf.coefs_[1].shape == (2 * 3 * 2, 4)


@pytest.mark.parametrize("conv, shape, match", [
    ([(4, 9)], None, "kernel's height 9 is larger than its input map's height 8"),
    ([Conv2D(4, 3, padding="valid", pool=4)], None, "pool=4 does not divide its 6x6"),
    ([(4, 3, 3)], None, "pool=3 does not divide its 8x8"),
    ([(4,)], None, r"conv_layers\[0\] must be \(filters, kernel_size\)"),
    (["conv"], None, r"conv_layers\[0\] must be"),
    ([(0, 3)], None, "positive ints"),
    ([(2.5, 3)], None, "positive ints"),
    ([Conv2D(4, 3, padding="full")], None, "padding must be one of"),
    ([(4, 3)], (8, 9), "does not fit rows of 64"),
    ([(4, 3)], (2, 2, 2, 8), "image_shape must be"),
])
def test_bad_conv_specifications(digits, conv, shape, match):
    X, y = digits
    with pytest.raises(ValueError, match=match):
        DFNClassifier(conv_layers=conv, image_shape=shape, max_iter=1).fit(X, y)


def test_non_square_rows_need_an_image_shape():
    X = np.random.default_rng(0).random((10, 12))
    with pytest.raises(ValueError, match="Cannot infer image_shape"):
        DFNClassifier(conv_layers=[(2, 3)], max_iter=1).fit(X, np.arange(10) % 2)


def test_sparse_input_is_refused(digits):
    X, y = digits
    with pytest.raises(TypeError, match="dense data is required"):
        conv_clf().fit(sparse.csr_matrix(X), y)
    clf = conv_clf().fit(X, y)
    with pytest.raises(TypeError, match="dense data is required"):
        clf.predict(sparse.csr_matrix(X))


def test_conv_layers_must_be_a_list_or_tuple(digits):
    X, y = digits
    with pytest.raises(ValueError, match="conv_layers"):
        DFNClassifier(conv_layers="conv3x3", max_iter=1).fit(X, y)
