"""skreg.plotting on fitted estimators, with the Agg backend."""

import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skreg import DFNClassifier, ImageAugmenter  # noqa: E402
from skreg import plotting  # noqa: E402
from skreg.compare import Result, load_dataset, run_comparison  # noqa: E402


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


def test_learning_curves_mark_the_best_epoch(fitted):
    est = fitted["early"]
    disp = plotting.plot_learning_curves(est)
    assert disp.figure_ is disp.ax_.figure
    assert len(disp.ax_.lines) == 2
    np.testing.assert_allclose(disp.line_train_.get_ydata(), est.loss_curve_)
    np.testing.assert_allclose(disp.line_val_.get_ydata(), est.validation_loss_curve_)
    np.testing.assert_array_equal(disp.line_val_.get_xdata(),
                                  np.arange(1, len(est.validation_loss_curve_) + 1))
    (x, y), = disp.best_marker_.get_offsets()
    assert x == est.best_epoch_
    assert y == pytest.approx(est.validation_loss_curve_[est.best_epoch_ - 1])
    assert disp.ax_.get_yscale() == "log"
    assert est.stopped_epoch_ is not None
    assert disp.ax_.get_title() == f"stopped: {est.stopping_reason_}"


def test_learning_curves_without_validation_and_on_given_axes(fitted):
    fig, ax = plt.subplots()
    disp = plotting.plot_learning_curves(fitted["l1"], ax=ax, log=False)
    assert disp.ax_ is ax and disp.figure_ is fig
    assert len(ax.lines) == 1 and disp.line_val_ is None and disp.best_marker_ is None
    with pytest.raises(ValueError, match="loss_curve_"):
        plotting.plot_learning_curves(object())


def test_weight_histograms_show_the_l1_zeros(fitted):
    disp = plotting.plot_weight_histograms({k: fitted[k] for k in ("l1", "l2")})
    assert len(disp.patches_) == 2
    labels = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    zeros = np.mean(disp.weights_["l1"] == 0)
    assert zeros > 0 and labels[0] == f"l1 ({zeros:.0%} exactly 0)"
    assert disp.weights_["l2"].size == sum(W.size for W in fitted["l2"].coefs_)
    single = plotting.plot_weight_histograms(fitted["l2"])
    assert list(single.weights_) == ["DFNClassifier"]


def test_adversarial_curve(fitted, small_digits):
    _, _, Xt, yt = small_digits
    disp = plotting.plot_adversarial_curve({"l2": fitted["l2"], "l1": fitted["l1"]},
                                           Xt, yt, eps=[0.0, 0.1, 0.3])
    assert len(disp.lines_) == 2 == len(disp.ax_.lines)
    assert disp.scores_["l2"][0] == pytest.approx(fitted["l2"].score(Xt, yt))
    assert disp.scores_["l2"][2] < disp.scores_["l2"][0]
    np.testing.assert_allclose(disp.lines_[0].get_xdata(), [0.0, 0.1, 0.3])


def test_augmented_grid(small_digits):
    X = small_digits[0]
    aug = ImageAugmenter(translation=1, rotation=10)
    disp = plotting.plot_augmented_grid(X, aug, n_images=4, n_copies=3)
    assert disp.images_.shape == (4, 4, 8, 8)
    np.testing.assert_array_equal(disp.images_[:, 0].reshape(4, 64), X[:4])
    assert not np.allclose(disp.images_[:, 1], disp.images_[:, 0])
    assert disp.image_.get_array().shape == (4 * 9 - 1, 4 * 9 - 1)
    again = plotting.plot_augmented_grid(X, aug, n_images=4, n_copies=3)
    np.testing.assert_array_equal(again.images_, disp.images_)  # seeded


def test_accuracy_bars_skip_na_and_draw_the_baseline():
    results = [Result("none", 1.0, 0.95), Result("l2", 0.99, 0.97),
               Result("multi-task", note="n/a: needs it")]
    disp = plotting.plot_accuracy_bars(results, baseline="none")
    assert list(disp.accuracies_) == ["none", "l2"]
    assert [b.get_width() for b in disp.bars_] == [0.95, 0.97]
    assert len(disp.ax_.lines) == 1  # the baseline
    assert disp.ax_.get_xlim()[1] > 1.0


def test_save_comparison_plots_small_files(tmp_path):
    data = load_dataset("digits", train_size=300)
    methods = ["none", "l1", "l2", "early-gl", "adversarial", "augmentation"]
    results, estimators = run_comparison(data, methods, epochs=4)
    paths = plotting.save_comparison_plots(tmp_path, results, estimators, data,
                                           eps=[0, 0.1])
    names = sorted(p.name for p in paths)
    assert names == ["accuracy_bars.png", "adversarial_curve.png",
                     "augmented_grid.png", "learning_curves.png",
                     "weight_histograms.png"]
    assert all(1000 < p.stat().st_size < 200_000 for p in paths)
    assert not plt.get_fignums()  # no pyplot figures left open


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"pip install 'skreg\[plot\]'"):
        plotting.plot_accuracy_bars({"none": 0.9})
