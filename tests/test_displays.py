"""The Displays on pipelines, after warm_start, and on what they cannot draw
(issue 22, items 4 and 7)."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from sklearn.metrics import log_loss  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import FunctionTransformer  # noqa: E402

import skreg  # noqa: E402
from skreg import (AdversarialCurveDisplay, AugmentationGridDisplay,  # noqa: E402
                   DFNClassifier, DFNRegressor, EarlyStopping, ImageAugmenter,
                   LossCurveDisplay, WeightHistogramDisplay)
from skreg.adversarial import adversarial_score  # noqa: E402

DISPLAYS = [LossCurveDisplay, WeightHistogramDisplay, AdversarialCurveDisplay,
            AugmentationGridDisplay]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(*args, **kwargs)


@pytest.fixture(scope="module")
def net(small_digits):
    X, y, _, _ = small_digits
    return quiet_fit(DFNClassifier((16,), max_iter=20, random_state=0), X, y)


def test_the_displays_are_exported_at_the_top_level():
    from skreg import plotting

    for display in DISPLAYS:
        assert getattr(skreg, display.__name__) is getattr(plotting, display.__name__)
        assert display.__name__ in skreg.__all__


# ---- item 4: warm_start ------------------------------------------------------
@pytest.mark.parametrize("early_stopping", [True, False])
def test_best_marker_after_warm_start_is_in_the_last_fit(small_digits, early_stopping):
    """The marker sits on the last fit's lowest validation loss (with early
    stopping) or its last epoch, and its height is the validation loss of
    the weights kept (sklearn's log_loss of the fitted model)."""
    X, y, Xt, yt = small_digits
    est = DFNClassifier((16,), warm_start=True, max_iter=8,
                        early_stopping=early_stopping, tol=0.0, n_iter_no_change=4,
                        learning_rate_init=0.02, random_state=0, dtype=np.float64)
    quiet_fit(est, X, y, validation_data=(Xt, yt))
    n_first = len(est.loss_curve_)
    quiet_fit(est, X, y, validation_data=(Xt, yt))
    val = np.asarray(est.validation_loss_curve_)
    disp = LossCurveDisplay.from_estimator(est)
    (x, height), = disp.best_marker_.get_offsets()
    second = val[n_first:]
    expected = n_first + (np.argmin(second) + 1 if early_stopping else len(second))
    assert x == expected > n_first
    assert height == pytest.approx(log_loss(yt, est.predict_proba(Xt)), rel=1e-9)


def test_validation_curve_that_began_later_sits_at_its_epochs(small_digits):
    """A warm-start fit with validation data after one without: the
    validation curve covers the last epochs only."""
    X, y, Xt, yt = small_digits
    est = DFNClassifier((8,), warm_start=True, max_iter=3, random_state=0)
    quiet_fit(est, X, y)
    quiet_fit(est, X, y, validation_data=(Xt, yt))
    disp = LossCurveDisplay.from_estimator(est)
    np.testing.assert_array_equal(disp.line_val_.get_xdata(), [4, 5, 6])
    (x, height), = disp.best_marker_.get_offsets()
    assert (x, height) == (6, est.validation_loss_curve_[-1])


def test_curve_of_a_new_metric_sits_at_the_last_fits_epochs(small_digits):
    """A warm-start fit that monitors the Brier score after one monitoring
    the cross-entropy: its curve alone is drawn, over its own epochs."""
    X, y, Xt, yt = small_digits
    est = DFNClassifier((8,), warm_start=True, max_iter=3, random_state=0,
                        early_stopping=EarlyStopping(patience=50))
    quiet_fit(est, X, y, validation_data=(Xt, yt))
    est.set_params(early_stopping=EarlyStopping(patience=50, metric="brier"))
    quiet_fit(est, X, y, validation_data=(Xt, yt))
    disp = LossCurveDisplay.from_estimator(est)
    np.testing.assert_array_equal(disp.line_val_.get_xdata(), [4, 5, 6])
    assert disp.line_val_.get_label() == "validation Brier score"


def test_curve_label_is_the_fits_not_a_later_parameters(small_digits):
    """set_params after fit changes the next fit, not what the curve holds."""
    X, y, Xt, yt = small_digits
    est = quiet_fit(DFNClassifier((8,), max_iter=3, random_state=0,
                                  early_stopping=EarlyStopping(metric="brier")),
                    X, y, validation_data=(Xt, yt))
    est.set_params(early_stopping=True)
    disp = LossCurveDisplay.from_estimator(est)
    assert disp.line_val_.get_label() == "validation Brier score"


@pytest.mark.parametrize("metric, label", [("brier", "validation Brier score"),
                                           ("loss", "validation loss")])
def test_validation_curve_says_which_loss_stopped_it(small_digits, metric, label):
    X, y, Xt, yt = small_digits
    est = quiet_fit(DFNClassifier((8,), max_iter=6, random_state=0,
                                  early_stopping=EarlyStopping(metric=metric)),
                    X, y, validation_data=(Xt, yt))
    disp = LossCurveDisplay.from_estimator(est)
    assert disp.line_val_.get_label() == label
    np.testing.assert_array_equal(disp.line_val_.get_ydata(),
                                  est.validation_loss_curve_)


# ---- item 7: pipelines --------------------------------------------------------
def test_loss_and_weight_displays_take_a_pipeline(small_digits):
    X, y, Xt, yt = small_digits
    pipe = quiet_fit(make_pipeline(FunctionTransformer(np.sqrt),
                                   DFNClassifier((8,), max_iter=5, random_state=0)),
                     X, y, dfnclassifier__validation_data=(np.sqrt(Xt), yt))
    net = pipe[-1]
    loss = LossCurveDisplay.from_estimator(pipe)
    np.testing.assert_array_equal(loss.line_train_.get_ydata(), net.loss_curve_)
    np.testing.assert_array_equal(loss.line_val_.get_ydata(),
                                  net.validation_loss_curve_)
    weights = WeightHistogramDisplay.from_estimator(pipe)
    assert list(weights.weights) == ["DFNClassifier"]
    np.testing.assert_array_equal(weights.weights["DFNClassifier"],
                                  np.concatenate([W.ravel() for W in net.coefs_]))


def test_adversarial_curve_attacks_the_pipelines_network_input(small_digits):
    X, y, Xt, yt = small_digits
    net = DFNClassifier((16,), max_iter=20, random_state=0)
    pipe = quiet_fit(make_pipeline(FunctionTransformer(np.sqrt), net), X, y)
    eps = [0.0, 0.1]
    disp = AdversarialCurveDisplay.from_estimator({"piped": pipe}, Xt, yt, eps=eps)
    expected = [adversarial_score(net, np.sqrt(Xt), yt, e, clip=(0, 1)) for e in eps]
    assert disp.scores["piped"] == expected
    assert disp.scores["piped"][0] == pipe.score(Xt, yt)


def test_augmentation_grid_takes_a_pipeline_and_the_network_image_shape():
    rng = np.random.default_rng(0)
    X = rng.random((30, 64)).astype(np.float32)
    y = np.arange(30) % 2
    net = DFNClassifier((4,), image_shape=(4, 16), max_iter=2, random_state=0,
                        augment=ImageAugmenter(vflip=True))
    pipe = quiet_fit(make_pipeline(FunctionTransformer(lambda Z: 1 - Z), net), X, y)
    disp = AugmentationGridDisplay.from_estimator(pipe, X, n_images=3, n_copies=4)
    assert disp.images.shape == (3, 5, 4, 16)
    originals = (1 - X[:3]).reshape(3, 4, 16)
    np.testing.assert_allclose(disp.images[:, 0], originals, rtol=1e-6)
    # each copy: as is or upside down
    for copy in disp.images[:, 1:].reshape(-1, 4, 16):
        assert any(np.array_equal(copy, o) or np.array_equal(copy, o[::-1])
                   for o in originals)


# ---- item 7: what the Displays refuse ------------------------------------------
@pytest.fixture(scope="module")
def strangers(small_digits):
    X, y, _, _ = small_digits
    return {"MLPClassifier": quiet_fit(MLPClassifier((4,), max_iter=3), X, y),
            "FunctionTransformer": FunctionTransformer().fit(X)}


def _draw(display, estimator, small_digits):
    X, _, Xt, yt = small_digits
    if display is AdversarialCurveDisplay:
        return display.from_estimator(estimator, Xt, yt, eps=[0.1])
    if display is AugmentationGridDisplay:
        return display.from_estimator(estimator, X)
    return display.from_estimator(estimator)


@pytest.mark.parametrize("display, stranger", [
    (LossCurveDisplay, "FunctionTransformer"),
    (WeightHistogramDisplay, "FunctionTransformer"),
    (AdversarialCurveDisplay, "FunctionTransformer"),
    (AdversarialCurveDisplay, "MLPClassifier"),
    (AugmentationGridDisplay, "FunctionTransformer"),
    (AugmentationGridDisplay, "MLPClassifier"),
])
def test_estimators_a_display_cannot_draw_are_type_errors(display, stranger, strangers,
                                                          small_digits):
    estimator = strangers[stranger]
    match = (rf"{display.__name__}.from_estimator accepts .*DFNClassifier.*; "
             rf"got {stranger}\.")
    with pytest.raises(TypeError, match=match):
        _draw(display, estimator, small_digits)
    with pytest.raises(TypeError, match=match):  # in a Pipeline too
        _draw(display, make_pipeline(FunctionTransformer(), estimator), small_digits)


def test_a_network_whose_augment_is_no_image_augmenter_is_refused(small_digits):
    X, y, _, _ = small_digits
    net = DFNClassifier((4,), max_iter=1, augment=FunctionTransformer())
    quiet_fit(net, X, y)
    with pytest.raises(TypeError, match="got FunctionTransformer"):
        AugmentationGridDisplay.from_estimator(net, X)


def test_sklearn_mlp_still_has_loss_curves_and_weights(strangers):
    mlp = strangers["MLPClassifier"]
    line = LossCurveDisplay.from_estimator(mlp).line_train_
    np.testing.assert_array_equal(line.get_ydata(), mlp.loss_curve_)
    weights = WeightHistogramDisplay.from_estimator(mlp).weights["MLPClassifier"]
    assert weights.size == sum(W.size for W in mlp.coefs_)


def test_a_scalar_eps_is_one_attack_size(net, small_digits):
    _, _, Xt, yt = small_digits
    disp = AdversarialCurveDisplay.from_estimator(net, Xt, yt, eps=0.1)
    np.testing.assert_array_equal(disp.eps, [0.1])
    expected = adversarial_score(net, Xt, yt, 0.1, clip=(0, 1))
    assert disp.scores["DFNClassifier"] == [expected]


@pytest.mark.parametrize("eps", [-0.1, [0.1, np.inf], [[0.1]], [], "big"])
def test_bad_eps_is_refused(net, small_digits, eps):
    _, _, Xt, yt = small_digits
    with pytest.raises(ValueError, match="eps must be a float or a 1-D sequence"):
        AdversarialCurveDisplay.from_estimator(net, Xt, yt, eps=eps)


def test_inputs_outside_clip_are_refused(net, small_digits):
    _, _, Xt, yt = small_digits
    with pytest.raises(ValueError, match=r"values in \[0, 2\], outside clip=\(0, 1\)"):
        AdversarialCurveDisplay.from_estimator(net, 2 * Xt, yt, eps=[0.1])
    AdversarialCurveDisplay.from_estimator(net, 2 * Xt, yt, eps=[0.1], clip=None)


@pytest.mark.parametrize("bins", [0, -3, 2.5, True])
def test_bins_must_be_a_positive_int(net, bins):
    with pytest.raises(ValueError, match="bins must be an int >= 1"):
        WeightHistogramDisplay.from_estimator(net, bins=bins)
    disp = WeightHistogramDisplay.from_estimator(net, bins=1)
    with pytest.raises(ValueError, match="bins must be an int >= 1"):
        disp.plot(bins=bins)


def test_a_regressors_curve_is_r2_on_an_axis_that_fits(small_digits, net):
    X, y, Xt, yt = small_digits
    reg = DFNRegressor((16,), max_iter=20, random_state=0)
    quiet_fit(reg, X, y.astype(float))
    eps = [0.0, 0.3]
    disp = AdversarialCurveDisplay.from_estimator(reg, Xt, yt.astype(float), eps=eps)
    scores = disp.scores["DFNRegressor"]
    expected = [adversarial_score(reg, Xt, yt.astype(float), e, clip=(0, 1))
                for e in eps]
    assert scores == pytest.approx(expected, rel=1e-6)
    assert scores[-1] < 0 and disp.score_name == "R^2" == disp.ax_.get_ylabel()
    low, high = disp.ax_.get_ylim()
    assert low <= min(scores) and high >= max(scores)
    with pytest.raises(ValueError, match="classifiers .* or regressors .* not both"):
        AdversarialCurveDisplay.from_estimator({"c": net, "r": reg}, Xt, yt, eps=eps)
