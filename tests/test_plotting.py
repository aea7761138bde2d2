"""skreg.plotting: the Displays on fitted estimators, with the Agg backend."""

import sys
import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from sklearn.ensemble import BaggingClassifier  # noqa: E402
from sklearn.exceptions import NotFittedError  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402

from skreg import DFNClassifier, ImageAugmenter  # noqa: E402
from skreg import plotting  # noqa: E402
from skreg.study.cells import CellResult  # noqa: E402
from skreg.study.data import load_pool  # noqa: E402
from skreg.study.report import write_results  # noqa: E402
from skreg.study.runner import run_study  # noqa: E402
from skreg.plotting import (AdversarialCurveDisplay, AugmentationGridDisplay,  # noqa: E402
                            LossCurveDisplay, WeightHistogramDisplay)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted(small_digits):
    X, y, _, _ = small_digits
    common = dict(hidden_layer_sizes=(16,), max_iter=150, random_state=0,
                  learning_rate_init=0.01)
    return {
        "early": DFNClassifier(early_stopping="gl", **common).fit(X, y),
        "l1": DFNClassifier(penalty="l1", alpha=0.05, **common).fit(X, y),
        "l2": DFNClassifier(penalty="l2", alpha=0.05, **common).fit(X, y),
    }


def _draw(kind, fitted, small_digits, **kwargs):
    """Each Display's from_estimator on fitted models, with ``kwargs``."""
    X, _, Xt, yt = small_digits
    if kind == "loss":
        return LossCurveDisplay.from_estimator(fitted["early"], **kwargs)
    if kind == "weights":
        return WeightHistogramDisplay.from_estimator(fitted["l1"], **kwargs)
    if kind == "adversarial":
        return AdversarialCurveDisplay.from_estimator(fitted["l2"], Xt, yt,
                                                      eps=[0, 0.2], **kwargs)
    aug = ImageAugmenter(translation=1, rotation=10).fit(X)
    return AugmentationGridDisplay.from_estimator(aug, X, n_images=3, n_copies=2,
                                                  **kwargs)


def _main_artists(disp):
    for name in ("line_train_", "patches_", "lines_", "image_"):
        if hasattr(disp, name):
            artist = getattr(disp, name)
            return artist if isinstance(artist, list) else [artist]
    raise AssertionError("no artists")


KINDS = ["loss", "weights", "adversarial", "grid"]


@pytest.mark.parametrize("kind", KINDS)
def test_redraw_on_a_new_axis(kind, fitted, small_digits):
    disp = _draw(kind, fitted, small_digits)
    first_ax, first = disp.ax_, _main_artists(disp)
    fig, ax = plt.subplots()
    assert disp.plot(ax=ax) is disp
    assert disp.ax_ is ax and disp.figure_ is fig
    again = _main_artists(disp)
    assert all(a.axes is ax for a in again) and all(a.axes is first_ax for a in first)
    assert len(ax.get_children()) == len(first_ax.get_children())


@pytest.mark.parametrize("kind, kwargs, check", [
    ("loss", {"color": "tab:red", "linewidth": 3},
     lambda a: a.get_color() == "tab:red" and a.get_linewidth() == 3),
    ("weights", {"linewidth": 3, "edgecolor": "tab:red"},
     lambda a: a.get_linewidth() == 3 and a.get_edgecolor() == to_rgba("tab:red")),
    ("adversarial", {"marker": "s", "color": "k"},
     lambda a: a.get_marker() == "s" and a.get_color() == "k"),
    ("grid", {"cmap": "viridis", "interpolation": "nearest"},
     lambda a: a.get_cmap().name == "viridis" and a.get_interpolation() == "nearest"),
])
def test_kwargs_reach_the_artists(kind, kwargs, check, fitted, small_digits):
    disp = _draw(kind, fitted, small_digits, **kwargs)
    assert all(check(a) for a in _main_artists(disp))


def test_unfitted_estimators_raise_not_fitted(small_digits):
    X, y, _, _ = small_digits
    net = DFNClassifier((8,))
    with pytest.raises(NotFittedError, match="not fitted"):
        LossCurveDisplay.from_estimator(net)
    with pytest.raises(NotFittedError, match="not fitted"):
        WeightHistogramDisplay.from_estimator({"a": net})
    with pytest.raises(NotFittedError, match="not fitted"):
        AdversarialCurveDisplay.from_estimator(net, X, y)
    with pytest.raises(NotFittedError, match="not fitted"):
        AugmentationGridDisplay.from_estimator(ImageAugmenter(translation=1), X)


def test_loss_curve_marks_the_best_epoch(fitted):
    est = fitted["early"]
    disp = LossCurveDisplay.from_estimator(est, validation_kw={"color": "k"},
                                           best_marker_kw={"s": 80})
    assert disp.figure_ is disp.ax_.figure and len(disp.ax_.lines) == 2
    np.testing.assert_allclose(disp.line_train_.get_ydata(), est.loss_curve_)
    np.testing.assert_allclose(disp.line_val_.get_ydata(), est.validation_loss_curve_)
    np.testing.assert_array_equal(disp.line_val_.get_xdata(),
                                  np.arange(1, len(est.validation_loss_curve_) + 1))
    assert disp.line_val_.get_color() == "k"
    (x, y), = disp.best_marker_.get_offsets()
    assert x == est.best_epoch_ and disp.best_marker_.get_sizes()[0] == 80
    assert y == pytest.approx(est.validation_loss_curve_[est.best_epoch_ - 1])
    assert disp.ax_.get_yscale() == "log"
    assert est.stopped_epoch_ is not None
    assert disp.ax_.get_title() == f"stopped: {est.stopping_reason_}"


def test_loss_curve_without_validation_and_of_sklearn_mlp(fitted, small_digits):
    fig, ax = plt.subplots()
    disp = LossCurveDisplay.from_estimator(fitted["l1"], ax=ax, log=False)
    assert disp.ax_ is ax and disp.figure_ is fig and ax.get_yscale() == "linear"
    assert len(ax.lines) == 1 and disp.line_val_ is None and disp.best_marker_ is None
    X, y, _, _ = small_digits
    mlp = MLPClassifier((8,), max_iter=5).fit(X, y)
    line = LossCurveDisplay.from_estimator(mlp).line_train_
    np.testing.assert_allclose(line.get_ydata(), mlp.loss_curve_)
    lbfgs = MLPClassifier((4,), solver="lbfgs", max_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="recorded no loss_curve_"):
        LossCurveDisplay.from_estimator(lbfgs)


def test_weight_histograms_show_the_l1_zeros(fitted, small_digits):
    disp = WeightHistogramDisplay.from_estimator({k: fitted[k] for k in ("l1", "l2")})
    assert len(disp.patches_) == 2
    labels = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    zeros = np.mean(disp.weights["l1"] == 0)
    assert zeros > 0 and labels[0] == f"l1 ({zeros:.0%} exactly 0)"
    assert disp.weights["l2"].size == sum(W.size for W in fitted["l2"].coefs_)
    single = WeightHistogramDisplay.from_estimator(fitted["l2"])
    assert list(single.weights) == ["DFNClassifier"]
    X, y, _, _ = small_digits
    bag = BaggingClassifier(DFNClassifier((4,), max_iter=2), n_estimators=2,
                            random_state=0).fit(X, y)
    pooled = WeightHistogramDisplay.from_estimator(bag).weights["BaggingClassifier"]
    assert pooled.size == 2 * sum(W.size for W in bag.estimators_[0].coefs_)


def test_adversarial_curve(fitted, small_digits):
    _, _, Xt, yt = small_digits
    disp = AdversarialCurveDisplay.from_estimator(
        {"l2": fitted["l2"], "l1": fitted["l1"]}, Xt, yt, eps=[0.0, 0.1, 0.3])
    assert len(disp.lines_) == 2 == len(disp.ax_.lines)
    assert disp.scores["l2"][0] == pytest.approx(fitted["l2"].score(Xt, yt))
    assert disp.scores["l2"][2] < disp.scores["l2"][0]
    np.testing.assert_allclose(disp.lines_[0].get_xdata(), [0.0, 0.1, 0.3])


def test_augmentation_grid(small_digits):
    X, y = small_digits[:2]
    aug = ImageAugmenter(translation=1, rotation=10).fit(X)
    disp = AugmentationGridDisplay.from_estimator(aug, X, n_images=4, n_copies=3)
    assert disp.images.shape == (4, 4, 8, 8)
    np.testing.assert_array_equal(disp.images[:, 0].reshape(4, 64), X[:4])
    assert not np.allclose(disp.images[:, 1], disp.images[:, 0])
    mosaic = disp.image_.get_array()
    assert mosaic.shape == (4 * 9 - 1, 4 * 9 - 1)
    np.testing.assert_array_equal(mosaic[9:17, 18:26], disp.images[1, 2])
    assert mosaic.mask[8].all() and mosaic.mask[:, 8].all()  # blank separators
    again = AugmentationGridDisplay.from_estimator(aug, X, n_images=4, n_copies=3)
    np.testing.assert_array_equal(again.images, disp.images)  # seeded
    net = DFNClassifier((4,), augment=aug, max_iter=1, random_state=0).fit(X, y)
    from_net = AugmentationGridDisplay.from_estimator(net, X, n_images=4, n_copies=3)
    np.testing.assert_array_equal(from_net.images, disp.images)
    plain = DFNClassifier((4,), max_iter=1).fit(X, y)
    with pytest.raises(ValueError, match="augment=None"):
        AugmentationGridDisplay.from_estimator(plain, X)
    rgb = ImageAugmenter(image_shape=(4, 4, 4), translation=1).fit(X)
    with pytest.raises(ValueError, match="4 channels; the grid shows single-channel"):
        AugmentationGridDisplay.from_estimator(rgb, X)


def test_deprecated_functions_warn_and_still_work(fitted, small_digits):
    X, _, Xt, yt = small_digits
    with pytest.warns(FutureWarning, match="LossCurveDisplay.from_estimator"):
        disp = plotting.plot_learning_curves(fitted["early"])
    assert isinstance(disp, LossCurveDisplay) and disp.best_marker_ is not None
    with pytest.warns(FutureWarning, match="WeightHistogramDisplay.from_estimator"):
        disp = plotting.plot_weight_histograms(fitted["l1"])
    assert list(disp.weights_) == ["DFNClassifier"]
    with pytest.warns(FutureWarning, match="AdversarialCurveDisplay.from_estimator"):
        disp = plotting.plot_adversarial_curve(fitted["l1"], Xt, yt, eps=[0, 0.1])
    assert len(disp.scores_["DFNClassifier"]) == 2
    with pytest.warns(FutureWarning, match="AugmentationGridDisplay.from_estimator"):
        disp = plotting.plot_augmented_grid(X, n_images=2, n_copies=1)
    assert disp.images_.shape == (2, 2, 8, 8)
    assert plotting.plot_learning_curves.__name__ == "plot_learning_curves"


def _cells(method, accuracies, size=100, note=""):
    return [CellResult(method, size, r, 0, 0, train_accuracy=1.0, test_accuracy=a,
                       fgsm_accuracy=a / 2, note=note)
            for r, a in enumerate(accuracies)]


def test_accuracy_bars_skip_na_and_draw_the_baseline():
    results = {"none": 0.95, "l2": 0.97, "multi-task": float("nan"), "x": None}
    disp = plotting.plot_accuracy_bars(results, baseline="none")
    assert list(disp.accuracies_) == ["none", "l2"]
    assert [b.get_width() for b in disp.bars_] == [0.95, 0.97]
    assert len(disp.ax_.lines) == 1  # the baseline
    assert disp.ax_.get_xlim()[1] > 1.0


def test_accuracy_bars_of_study_results_show_mean_and_t_interval(tmp_path):
    """From run_study's CellResults and from the results.csv they write: the
    mean over the repeats and scipy's t interval, clipped to [0, 1]; skipped
    or failed cells are left out."""
    from scipy import stats

    results = (_cells("none", [0.90, 0.92, 0.97]) + _cells("l2", [0.99, 1.0, 1.0])
               + _cells("augmentation", [np.nan] * 3, note="skipped: needs images"))
    write_results(results, tmp_path / "results.csv")
    for source in (results, tmp_path / "results.csv", str(tmp_path / "results.csv")):
        disp = plotting.plot_accuracy_bars(source, baseline="none")
        assert list(disp.accuracies_) == ["none", "l2"]
        assert disp.accuracies_["none"] == pytest.approx(0.93)
        ci = stats.t.interval(0.95, 2, loc=0.93,
                              scale=stats.sem([0.90, 0.92, 0.97]))
        np.testing.assert_allclose(disp.intervals_["none"], np.clip(ci, 0, 1))
        assert ci[1] > 1  # so the clip is tested
        assert disp.intervals_["l2"][1] == 1.0  # clipped
        plt.close("all")
    gap = plotting.plot_accuracy_bars(results, metric="gap")
    assert gap.accuracies_["none"] == pytest.approx(1 - 0.93)
    fgsm = plotting.plot_accuracy_bars(results, metric="fgsm_accuracy")
    assert fgsm.accuracies_["l2"] == pytest.approx(np.mean([0.99, 1, 1]) / 2)


def test_accuracy_bars_bad_input(tmp_path):
    results = _cells("none", [0.9, 0.8]) + _cells("none", [0.7, 0.6], size=200)
    with pytest.raises(ValueError, match=r"sizes \[100, 200\]; pass train_size="):
        plotting.plot_accuracy_bars(results)
    assert plotting.plot_accuracy_bars(results, train_size=200).accuracies_ == \
        {"none": pytest.approx(0.65)}
    with pytest.raises(ValueError, match=r"no results for train_size=50"):
        plotting.plot_accuracy_bars(results, train_size=50)
    with pytest.raises(ValueError, match="metric must be one of"):
        plotting.plot_accuracy_bars(results, metric="loss", train_size=100)
    with pytest.raises(FileNotFoundError, match="no such file"):
        plotting.plot_accuracy_bars(tmp_path / "none.csv")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a study's results.csv"):
        plotting.plot_accuracy_bars(tmp_path / "other.csv")


def test_save_comparison_plots_from_a_study(tmp_path):
    results = run_study(load_pool("digits"), ["none", "l1", "adversarial"], [40, 60],
                        n_repeats=2, hidden=(4,), epochs=2)
    write_results(results, tmp_path / "results.csv")
    with warnings.catch_warnings():  # skreg's own plots use no deprecated name
        warnings.simplefilter("error", FutureWarning)
        paths = plotting.save_comparison_plots(tmp_path, tmp_path / "results.csv")
    assert sorted(p.name for p in paths) == ["comparison_40.png", "comparison_60.png"]
    assert all(1000 < p.stat().st_size < 200_000 for p in paths)
    assert not plt.get_fignums()  # no pyplot figures left open


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'skreg\[plot\]'"):
        plotting.plot_accuracy_bars({"none": 0.9})
