"""skreg.augmentation: geometry against exact truths and scipy.ndimage, the
transformer contract, bad input."""

import doctest
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import ndimage
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks

import skreg.augmentation as augmentation
import skreg._resample as _resample
from skreg.augmentation import (
    ImageAugmenter,
    augment_dataset,
    mirror,
    rescale,
    rotate,
    translate,
)
from skreg.augmentation import _affine_sample

pytestmark = pytest.mark.usefixtures("engine")  # compiled and numpy resampling
FAST = settings(max_examples=30, deadline=None)
shapes = st.tuples(st.integers(1, 9), st.integers(1, 9), st.sampled_from([1, 3]))


def images(rng, n, h, w, c=1, dtype=np.float64):
    return rng.random((n, h * w * c)).astype(dtype)


def scipy_reference(X, A, b, shape, order, fill):
    """Per image and channel with scipy.ndimage.affine_transform."""
    h, w, c = shape
    out = np.empty_like(X).reshape(len(X), h, w, c)
    for i, img in enumerate(X.reshape(len(X), h, w, c)):
        for ch in range(c):
            out[i, :, :, ch] = ndimage.affine_transform(
                img[:, :, ch], A[i], b[i], order=order, mode="grid-constant", cval=fill
            )
    return out.reshape(len(X), -1)


# ---------------------------------------------------------------- sklearn checks
@parametrize_with_checks(
    [
        # rows as 1-D signals (image_shape with -1): every check's data fits
        ImageAugmenter(image_shape=(1, -1), translation=1.5, hflip=True,
                       noise_std=0.1, random_state=0),
        ImageAugmenter(image_shape=(-1, 1), rotation=20, scale=(0.8, 1.2),
                       vflip=True, order=0, fill=0.5, random_state=0),
    ]  # fmt: skip
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_default_instance_fails_only_on_non_square_check_data():
    """With image_shape=None, sklearn's check data of 2, 3, 5, 10... features
    is a ValueError by design; nothing else fails. (Not run through
    ``expected_failed_checks``: pytest spends seconds formatting the xfails.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(ImageAugmenter(random_state=0), on_fail=None)
    failed = [r for r in results if r["status"] == "failed"]
    assert len(failed) > 10
    for result in failed:
        assert "Cannot infer image_shape" in str(result["exception"]), result


def test_doctests():
    assert doctest.testmod(augmentation).failed == 0


# ---------------------------------------------------------------- exact truths
@FAST
@given(shapes, st.integers(1, 4), st.sampled_from([0, 1]))
def test_mirror_twice_is_identity_and_flips(shape, n, axis):
    h, w, c = shape
    X = images(np.random.default_rng(n), n, h, w, c)
    once = mirror(X, axis, image_shape=shape)
    assert_array_equal(mirror(once, axis, image_shape=shape), X)
    flipped = np.flip(X.reshape(n, h, w, c), axis=1 + axis).reshape(n, -1)
    assert_array_equal(once, flipped)


@FAST
@given(shapes, st.integers(-10, 10), st.integers(-10, 10), st.sampled_from([0, 1]),
       st.floats(-2, 2))  # fmt: skip
def test_integer_translation_is_a_shift_with_fill(shape, dx, dy, order, fill):
    h, w, c = shape
    X = images(np.random.default_rng(0), 2, h, w, c)
    expected = np.full((2, h, w, c), fill)
    src = X.reshape(2, h, w, c)
    rows, cols = slice(max(dy, 0), h + min(dy, 0)), slice(max(dx, 0), w + min(dx, 0))
    rows_in = slice(max(-dy, 0), h + min(-dy, 0))
    cols_in = slice(max(-dx, 0), w + min(-dx, 0))
    if rows.start < rows.stop and cols.start < cols.stop:
        expected[:, rows, cols] = src[:, rows_in, cols_in]
    out = translate(X, dx, dy, image_shape=shape, order=order, fill=fill)
    assert_allclose(out, expected.reshape(2, -1), atol=1e-12)


def test_translation_direction():
    X = np.zeros((1, 25))
    X[0, 12] = 1.0  # centre of a 5x5 image
    out = translate(X, dx=2, dy=-1).reshape(5, 5)
    assert out[1, 4] == 1.0 and out.sum() == 1.0  # right 2, up 1


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("side", [5, 6])
@pytest.mark.parametrize("k", [1, 2, 3, -1])
def test_rotation_by_90_is_rot90_as_scipy(order, side, k):
    img = np.random.default_rng(side).random((side, side))
    out = rotate(img.reshape(1, -1), 90 * k, order=order).reshape(side, side)
    assert_allclose(out, np.rot90(img, k), atol=1e-12)
    ref = ndimage.rotate(img, 90 * k, reshape=False, order=order)
    assert_allclose(out, ref, atol=1e-12)


@pytest.mark.parametrize("degrees", [17.0, -33.0])
def test_rotation_sign_matches_scipy_rotate(degrees):
    img = np.random.default_rng(1).random((9, 9))
    out = rotate(img.reshape(1, -1), degrees).reshape(9, 9)
    ref = ndimage.rotate(img, degrees, reshape=False, order=1, mode="grid-constant")
    assert_allclose(out, ref, atol=1e-12)


def linear_ramp(h, w, a=0.3, b=-0.7, c=2.0):
    rows, cols = np.indices((h, w))
    return a * rows + b * cols + c


@pytest.mark.parametrize("degrees", [10.0, -25.0, 45.0])
def test_rotate_back_recovers_interior(degrees):
    rows, cols = np.indices((21, 21))
    img = np.sin(rows / 3.0) * np.cos(cols / 4.0)  # smooth
    X = img.reshape(1, -1)
    back = rotate(rotate(X, degrees), -degrees).reshape(21, 21)
    inside = (rows - 10) ** 2 + (cols - 10) ** 2 <= 7**2
    bound = 2 * (1 / 3**2 + 1 / 4**2) / 8  # two bilinear passes, |f''| bounds
    assert np.abs(back - img)[inside].max() < bound
    ramp = linear_ramp(21, 21).reshape(1, -1)  # bilinear is exact on a ramp
    back = rotate(rotate(ramp, degrees), -degrees).reshape(21, 21)
    assert_allclose(back[inside], ramp.reshape(21, 21)[inside], atol=1e-9)


@pytest.mark.parametrize("factor", [0.5, 1.5, 2.0])
def test_rescale_about_centre_on_a_ramp(factor):
    h, w = 9, 11
    out = rescale(linear_ramp(h, w).reshape(1, -1), factor, image_shape=(h, w))
    rows, cols = np.indices((h, w))
    src_r, src_c = 4 + (rows - 4) / factor, 5 + (cols - 5) / factor
    inside = (src_r >= 0) & (src_r <= h - 1) & (src_c >= 0) & (src_c <= w - 1)
    expected = 0.3 * src_r - 0.7 * src_c + 2.0
    assert_allclose(out.reshape(h, w)[inside], expected[inside], atol=1e-12)
    if factor < 1:  # shrinking leaves a fill border
        assert out.reshape(h, w)[0, 0] == 0.0


def test_identities():
    X, shape = images(np.random.default_rng(0), 3, 6, 7, 3), (6, 7, 3)
    for out in (rescale(X, 1.0, image_shape=shape), rotate(X, 0.0, image_shape=shape),
                translate(X, 0, 0, image_shape=shape, order=0)):  # fmt: skip
        assert_allclose(out, X, atol=1e-14)
        assert out is not X


def test_per_image_parameters():
    X = images(np.random.default_rng(0), 3, 5, 5)
    out = rotate(X, [0, 90, 180])
    assert_allclose(out[1], rotate(X[1:2], 90)[0])
    assert_allclose(out[2].reshape(5, 5), np.rot90(X[2].reshape(5, 5), 2), atol=1e-12)


@FAST
@given(shapes, st.integers(0, 2**31), st.sampled_from([0, 1]), st.floats(-1, 1))
def test_sampler_matches_scipy_affine_transform(shape, seed, order, fill):
    rng = np.random.default_rng(seed)
    n = 5
    X = images(rng, n, *shape)
    A = np.eye(2) + rng.normal(scale=0.4, size=(n, 2, 2))
    b = rng.normal(scale=3.0, size=(n, 2))
    out = _affine_sample(X, A, b, shape, order, fill)
    assert_allclose(out, scipy_reference(X, A, b, shape, order, fill), atol=1e-10)


@pytest.mark.parametrize("order", [0, 1])
@pytest.mark.parametrize("shape", [(28, 28, 1), (8, 13, 3)])
def test_augmenter_matches_scipy_per_image(order, shape):
    X = images(np.random.default_rng(0), 40, *shape)
    aug = ImageAugmenter(shape, translation=3, rotation=30, scale=(0.7, 1.3),
                         hflip=True, vflip=True, order=order, fill=0.25)  # fmt: skip
    aug.fit(X)
    A, b = aug._random_maps(len(X), np.random.default_rng(7))
    out = aug._transform_with(X, np.random.default_rng(7))  # the same draws
    assert_allclose(out, scipy_reference(X, A, b, shape, order, 0.25), atol=1e-10)


def test_float32_close_to_float64():
    X = images(np.random.default_rng(0), 20, 28, 28)
    aug = ImageAugmenter(translation=2, rotation=10, scale=(0.9, 1.1), hflip=True)
    aug.fit(X)
    out64 = aug._transform_with(X, 3)
    out32 = aug._transform_with(X.astype(np.float32), 3)
    assert out32.dtype == np.float32
    assert_allclose(out32, out64, atol=2e-5)


# ---------------------------------------------------------------- transformer contract
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.uint8, np.int64])
def test_shape_and_dtype(dtype):
    X = (np.random.default_rng(0).random((7, 64)) * 200).astype(dtype)
    aug = ImageAugmenter(translation=1, rotation=5, noise_std=0.1, random_state=0)
    out = aug.fit_transform(X)
    assert out.shape == X.shape
    assert out.dtype == (dtype if dtype in (np.float32, np.float64) else np.float32)
    for other in (mirror(X, 0), translate(X, 0.5, 0), rescale(X, 2)):
        assert other.dtype == out.dtype


def test_reproducible_and_fresh_draws():
    X = images(np.random.default_rng(0), 10, 12, 12, dtype=np.float32)
    aug = ImageAugmenter(translation=2, rotation=10, scale=(0.9, 1.1), hflip=True,
                         noise_std=0.05, random_state=42)  # fmt: skip
    first = clone(aug).fit(X).transform(X)
    second = clone(aug).fit(X)
    assert_array_equal(second.transform(X), first)
    assert not np.allclose(second.transform(X), first)  # the stream continues
    assert_array_equal(clone(aug).fit_transform(X), first)
    free = ImageAugmenter(translation=2, random_state=None)
    assert not np.allclose(clone(free).fit_transform(X), clone(free).fit_transform(X))


def test_generator_random_state_used_as_is_and_private_hook():
    X = images(np.random.default_rng(0), 6, 10, 10)
    options = dict(translation=2, rotation=10, hflip=True, noise_std=0.1)
    gen = np.random.default_rng(5)
    before = gen.bit_generator.state["state"]["state"]
    via_fit = ImageAugmenter(**options, random_state=gen).fit(X).transform(X)
    assert gen.bit_generator.state["state"]["state"] != before  # draws advance it
    aug = ImageAugmenter(**options).fit(X)
    assert_array_equal(aug._transform_with(X, np.random.default_rng(5)), via_fit)
    assert_array_equal(aug._augment_batch(X, np.random.default_rng(5)), via_fit)
    buffer = np.empty_like(X)
    assert aug._augment_batch(X, np.random.default_rng(5), buffer) is buffer
    assert_array_equal(buffer, via_fit)
    noise_only = ImageAugmenter(noise_std=0.1).fit(X)
    expected = noise_only._transform_with(X, np.random.default_rng(2))
    assert noise_only._augment_batch(X, np.random.default_rng(2), buffer) is buffer
    assert_array_equal(buffer, expected)
    via_legacy = ImageAugmenter(**options, random_state=np.random.RandomState(0))
    assert via_legacy.fit_transform(X).shape == X.shape


def test_estimator_pattern_clone_seed_fit_transform():
    """clone, set_params(random_state=Generator), fit and transform per batch
    (timed in benchmarks/bench_augment.py, not here): each batch gets fresh
    transforms from the one generator."""
    rng = np.random.default_rng(0)
    X = rng.random((256, 784), dtype=np.float32)
    template = ImageAugmenter(translation=2, rotation=10, scale=(0.9, 1.1),
                              hflip=True, noise_std=0.05)  # fmt: skip
    outs = [clone(template).set_params(random_state=rng).fit(X).transform(X)
            for _ in range(2)]
    assert all(out.shape == X.shape and out.dtype == np.float32 for out in outs)
    assert not np.array_equal(outs[0], outs[1])


def test_flips_happen_about_half_the_time():
    n = 4000
    img = np.zeros((6, 6))
    img[:, 0] = 1.0  # left column lit
    X = np.tile(img.reshape(1, -1), (n, 1))
    out = ImageAugmenter(hflip=True, random_state=0).fit_transform(X).reshape(n, 6, 6)
    flipped = out[:, :, 5].sum(axis=1) == 6
    assert np.all(flipped | (out[:, :, 0].sum(axis=1) == 6))
    assert abs(flipped.mean() - 0.5) < 4 * np.sqrt(0.25 / n)
    out = ImageAugmenter(vflip=True, random_state=1).fit_transform(X).reshape(n, 6, 6)
    assert np.all(out[:, :, 0].sum(axis=1) == 6)  # a vertical flip keeps the column


def test_translation_draws_are_uniform_in_range():
    n, t = 3000, 2.5
    X = np.zeros((n, 15 * 15))
    X[:, 7 * 15 + 7] = 1.0  # centre pixel
    out = ImageAugmenter(translation=t, random_state=0).fit_transform(X)
    out = out.reshape(n, 15, 15)
    rows, cols = np.indices((15, 15))
    mass = out.sum(axis=(1, 2))
    assert_allclose(mass, 1.0, atol=1e-12)  # nothing leaves the image
    dx = (out * cols).sum(axis=(1, 2)) - 7
    assert np.abs(dx).max() <= t + 1e-9
    assert np.abs(dx).max() > 0.95 * t and abs(np.mean(np.abs(dx)) - t / 2) < 0.1


def test_noise_statistics_and_defaults_identity():
    X = images(np.random.default_rng(0), 400, 16, 16, dtype=np.float32)
    assert_array_equal(ImageAugmenter().fit_transform(X), X)
    diff = ImageAugmenter(noise_std=0.3, random_state=0).fit_transform(X) - X
    assert abs(diff.mean()) < 0.005 and abs(diff.std() - 0.3) < 0.005
    kurtosis = np.mean(diff**4) / np.mean(diff**2) ** 2
    assert abs(kurtosis - 3.0) < 0.05  # Gaussian


@pytest.mark.parametrize("shape", [(12, 12, 1), (6, 5, 3)])
@pytest.mark.parametrize("layout", ["fortran", "strided"])
def test_memory_layout_of_X_does_not_change_the_result(shape, layout):
    # Fortran-ordered input once lost the noise: it was added to a copy
    X = images(np.random.default_rng(0), 8, *shape, dtype=np.float32)
    if layout == "fortran":
        other = np.asfortranarray(X)
    else:
        other = np.repeat(X, 2, axis=1)[:, ::2]
    assert not other.flags.c_contiguous
    aug = ImageAugmenter(shape, translation=2, rotation=15, noise_std=0.2,
                         random_state=0)  # fmt: skip
    assert_array_equal(clone(aug).fit_transform(other), clone(aug).fit_transform(X))
    expected = rotate(X, 30, image_shape=shape)
    assert_array_equal(rotate(other, 30, image_shape=shape), expected)


def test_channels_move_together():
    rng = np.random.default_rng(0)
    gray = rng.random((5, 9 * 7))
    rgb = np.repeat(gray[:, :, None], 3, axis=2).reshape(5, -1)
    aug = ImageAugmenter((9, 7, 3), translation=2, rotation=20, hflip=True,
                         random_state=0)  # fmt: skip
    out = aug.fit_transform(rgb).reshape(5, 9, 7, 3)
    assert_allclose(out[..., 0], out[..., 1])
    assert_allclose(out[..., 0], out[..., 2])


def test_augment_dataset():
    rng = np.random.default_rng(0)
    X, y = rng.random((10, 16)), np.arange(10)
    aug = ImageAugmenter(translation=1, random_state=0)
    X_big, y_big = augment_dataset(X, y, aug, n_copies=3)
    assert X_big.shape == (40, 16) and y_big.shape == (40,)
    assert_array_equal(X_big[:10], X)
    assert_array_equal(y_big, np.tile(y, 4))
    assert not np.allclose(X_big[10:20], X_big[20:30])  # independent copies
    assert_array_equal(augment_dataset(X, y, aug, 3)[0], X_big)  # reproducible
    assert not hasattr(aug, "rng_")  # the given augmenter is not fitted
    X0, y0 = augment_dataset(X, None, aug, 0)
    assert_array_equal(X0, X) and y0 is None
    Y2 = np.c_[y, y]
    assert augment_dataset(X, Y2, aug, 1)[1].shape == (20, 2)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "params, match",
    [
        (dict(), "Cannot infer image_shape: 10 features is not a perfect square"),
        (dict(image_shape=(3, 3)), r"image_shape \(3, 3\) does not fit rows of 10"),
        (dict(image_shape=(3, -1)), r"image_shape \(3, -1\) does not fit"),
        (dict(image_shape=(0, 10)), "image_shape must be"),
        (dict(image_shape=(10,)), "image_shape must be"),
        (dict(image_shape=(2, 5, 1, 1)), "image_shape must be"),
        (dict(image_shape=(-1, -1)), "image_shape must be"),
        (dict(image_shape=(2.0, 5)), "image_shape must be"),
        (dict(image_shape=(2, 5), scale=(1.2, 0.8)), "scale must be a pair"),
        (dict(image_shape=(2, 5), scale=(0, 1)), "scale must be a pair"),
        (dict(image_shape=(2, 5), scale=(1.0,)), "scale must be a pair"),
        (dict(image_shape=(2, 5), translation=-1), "'translation' parameter"),
        (dict(image_shape=(2, 5), rotation=181), "'rotation' parameter"),
        (dict(image_shape=(2, 5), noise_std=-0.1), "'noise_std' parameter"),
        (dict(image_shape=(2, 5), order=2), "'order' parameter"),
        (dict(image_shape=(2, 5), fill=np.nan), "'fill' parameter"),
        (dict(image_shape=(2, 5), hflip="yes"), "'hflip' parameter"),
        (dict(image_shape=(2, 5), random_state="seed"), "'random_state' parameter"),
    ],
)
def test_bad_parameters(params, match):
    aug = ImageAugmenter(**params)
    with pytest.raises(ValueError, match=match):
        aug.fit(np.zeros((3, 10)))
    assert not hasattr(aug, "n_features_in_")  # no half-fitted state


def test_failed_refit_keeps_the_fitted_state():
    aug = ImageAugmenter(translation=1).fit(np.zeros((3, 16)))
    with pytest.raises(ValueError, match="Cannot infer image_shape"):
        aug.fit(np.zeros((3, 10)))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        aug.fit(np.full((3, 25), np.nan))
    assert aug.n_features_in_ == 16 and aug.image_shape_ == (4, 4, 1)


def test_large_float32_images_use_float64_coordinates(monkeypatch):
    X = images(np.random.default_rng(0), 3, 20, 30, dtype=np.float32)
    expected = rotate(X.astype(np.float64), 33, image_shape=(20, 30))
    monkeypatch.setattr(_resample, "_F32_MAX_PIXELS", 100)  # 20x30 is "large"
    out = rotate(X, 33, image_shape=(20, 30))
    assert out.dtype == np.float32
    assert_allclose(out, expected.astype(np.float32), atol=1e-7)
    buffer = np.empty_like(X)
    A, b = _resample._about_centre(_resample._inverse_rotation(np.full(3, 33.0)),
                                   np.zeros((3, 2)), (20, 30))
    assert _affine_sample(X, A, b, (20, 30, 1), out=buffer) is buffer
    assert_array_equal(buffer, out)


def test_planes_beyond_int32_indices_use_the_numpy_sampler(monkeypatch, engine):
    X = images(np.random.default_rng(0), 3, 20, 30)
    expected = rotate(X, 33, image_shape=(20, 30))
    calls, real = [], _resample.compiled

    def spy(name):
        calls.append(name)
        return real(name)

    monkeypatch.setattr(_resample, "compiled", spy)
    monkeypatch.setattr(_resample, "_INT32_PIXELS", 23 * 33)  # the padded 20x30 plane
    assert_allclose(rotate(X, 33, image_shape=(20, 30)), expected, atol=1e-12)
    assert calls == []  # the kernel (int32 indices) was not even asked for


def test_bad_transform_input():
    aug = ImageAugmenter(translation=1)
    with pytest.raises(NotFittedError):
        aug.transform(np.zeros((2, 16)))
    aug.fit(np.zeros((2, 16)))
    with pytest.raises(ValueError, match="X has 9 features, but ImageAugmenter is exp"):
        aug.transform(np.zeros((2, 9)))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        aug.transform(np.full((2, 16), np.nan))
    with pytest.raises(TypeError, match="Sparse data was passed"):
        from scipy import sparse

        aug.transform(sparse.csr_matrix(np.zeros((2, 16))))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda X: translate(X, 1, 0, order=2), "order must be 0 .nearest. or 1"),
        (lambda X: rotate(X, 10, fill=np.inf), "fill must be a finite real number"),
        (lambda X: mirror(X, 2), "axis must be 0 .rows. or 1 .columns."),
        (lambda X: rescale(X, 0.0), "factor must be > 0"),
        (lambda X: rescale(X, [1.0, -2.0]), "factor must be > 0"),
        (lambda X: translate(X, [1, 2, 3], 0), "dx must be a scalar or one value per"),
        (lambda X: rotate(X, np.nan), "degrees must be finite"),
        (lambda X: translate(X[0], 1, 1), "Expected 2D array"),
        (lambda X: rotate(X, 5, image_shape=(3, 3)), "does not fit rows of 16"),
        (lambda X: mirror(X[:, :15], 0), "Cannot infer image_shape: 15 features"),
    ],
)
def test_bad_function_input(call, match):
    with pytest.raises(ValueError, match=match):
        call(np.zeros((2, 16)))


def test_bad_augment_dataset_input():
    X, y = np.zeros((4, 16)), np.zeros(4)
    aug = ImageAugmenter()
    with pytest.raises(ValueError, match="n_copies must be an int >= 0"):
        augment_dataset(X, y, aug, -1)
    with pytest.raises(ValueError, match="n_copies must be an int >= 0"):
        augment_dataset(X, y, aug, 1.5)
    with pytest.raises(TypeError, match="augmenter must have fit and transform"):
        augment_dataset(X, y, object(), 1)
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        augment_dataset(X, y[:3], aug, 1)


def test_a_batch_is_resampled_in_blocks_of_images_not_image_by_image(monkeypatch, engine):
    """The chapter listing's defect 5 (docs/defects.md): no Python loop over
    images or pixels. 256 MNIST-sized images are one call of the sampler,
    which works through them in blocks of dozens of images (numpy) or in one
    compiled call per channel."""
    X = images(np.random.default_rng(0), 256, 28, 28, dtype=np.float32)
    aug = ImageAugmenter(translation=2, rotation=10.0, hflip=True,
                         random_state=0).fit(X)
    samples, blocks = [], []
    real_sample, real_run = augmentation._affine_sample, _resample._Sampler.run

    def count_sample(*args, **kwargs):
        samples.append(len(args[0]))
        return real_sample(*args, **kwargs)

    def count_block(self, src, *args, **kwargs):
        blocks.append(len(src))
        return real_run(self, src, *args, **kwargs)

    monkeypatch.setattr(augmentation, "_affine_sample", count_sample)
    monkeypatch.setattr(_resample._Sampler, "run", count_block)
    out = aug.transform(X)
    assert samples == [256]
    if engine == "numpy":
        assert min(blocks[:-1]) >= 64 and sum(blocks) == 256 and len(blocks) <= 4
    else:
        assert blocks == []  # the compiled kernel loops inside
    assert out.shape == X.shape and not np.array_equal(out, X)
