"""``python -m skreg compare`` end to end, its bad input, and the comparison
helpers of skreg.compare."""

import csv
import math
import subprocess
import sys

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier

from skreg import DFNClassifier
from skreg.__main__ import format_table, main
from skreg.compare import (METHODS, Dataset, Result, _ensemble_input_gradient,
                           _targets, ensemble_fgsm, load_dataset, method_specs,
                           run_comparison)


def _run(*args, code=None):
    """Run the CLI (or ``code`` with the CLI's arguments) in a subprocess."""
    command = [sys.executable, "-m", "skreg", *args] if code is None else \
        [sys.executable, "-c", code, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def _assert_one_line_error(proc):
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("skreg: error: "), lines[0]


def test_compare_end_to_end(tmp_path):
    out = tmp_path / "results"
    proc = _run("compare", "--epochs", "2", "--methods", "none,l1,dropout",
                "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    table = [line for line in proc.stdout.splitlines() if line.startswith("|")]
    assert table[0].startswith("| method | train acc | test acc | gap | FGSM acc")
    methods = [line.split("|")[1].strip() for line in table[2:]]
    assert methods == ["none", "l1", "dropout"]
    assert "2 epochs" in proc.stdout
    # a plain progress line per row on a non-terminal stderr
    assert sum("test acc" in line for line in proc.stderr.splitlines()) == 3
    with open(out / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["method"] for r in rows] == ["none", "l1", "dropout"]
    assert all(0 <= float(r["test_accuracy"]) <= 1 and r["epochs"] == "2" for r in rows)
    assert float(rows[1]["zero_weights"]) > 0  # L1 gives exact zeros
    md = (out / "results.md").read_text()
    assert "skreg compare --epochs 2" in md and "| l1 |" in md
    pytest.importorskip("matplotlib")
    for name in ("weight_histograms", "adversarial_curve", "augmented_grid",
                 "accuracy_bars", "learning_curves"):
        assert (out / f"{name}.png").stat().st_size > 1000


def test_without_matplotlib_still_prints_and_says_how_to_plot(tmp_path):
    code = ("import sys; sys.modules['matplotlib'] = None; sys.argv[0] = 'skreg'; "
            "from skreg.__main__ import main; sys.exit(main())")
    proc = _run("compare", "--epochs", "1", "--methods", "none", "--out",
                str(tmp_path), code=code)
    assert proc.returncode == 0, proc.stderr
    assert "| none |" in proc.stdout
    assert "pip install 'skreg[plot]'" in proc.stderr
    assert (tmp_path / "results.csv").exists() and not list(tmp_path.glob("*.png"))


def test_list_methods_and_help(capsys):
    assert main(["compare", "--list-methods"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(METHODS)
    with pytest.raises(SystemExit) as exc:
        main(["compare", "--help"])
    assert exc.value.code == 0 and "--n-jobs" in capsys.readouterr().out


def _corrupt_npz(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"this is not a zip archive")
    return str(path)


BAD_INPUT = {
    "unknown dataset": lambda tmp: ["--dataset", "cifar"],
    "unknown method": lambda tmp: ["--methods", "none,l3"],
    "missing npz path": lambda tmp: ["--dataset", "mnist-npz"],
    "missing npz file": lambda tmp: ["--dataset", "mnist-npz", str(tmp / "no.npz")],
    "corrupt npz file": lambda tmp: ["--dataset", "mnist-npz", _corrupt_npz(tmp)],
    "missing idx folder": lambda tmp: ["--dataset", "idx", str(tmp / "nothing")],
    "missing fashion": lambda tmp: ["--dataset", "fashion-mnist", "--data-home",
                                    str(tmp / "nothing")],
    "unwritable out": lambda tmp: ["--out", str(tmp / "a_file" / "sub")],
    "zero epochs": lambda tmp: ["--epochs", "0"],
    "bad hidden": lambda tmp: ["--hidden", "many"],
    "unknown option": lambda tmp: ["--epoch", "3"],
}


@pytest.mark.parametrize("case", ["unknown dataset", "missing npz file"])
def test_bad_input_is_one_line_without_traceback(case, tmp_path):
    """Through a real process: a usage error and a runtime (file) error."""
    proc = _run("compare", "--epochs", "1", "--methods", "none",
                *BAD_INPUT[case](tmp_path))
    _assert_one_line_error(proc)
    assert proc.stdout == ""


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_every_bad_input_returns_nonzero_with_one_line(case, tmp_path, capsys):
    """In process (fast): main returns instead of raising, so no traceback."""
    (tmp_path / "a_file").write_text("x")
    status = main(["compare", "--epochs", "1", "--methods", "none",
                   *BAD_INPUT[case](tmp_path)])
    captured = capsys.readouterr()
    _assert_one_line_error(subprocess.CompletedProcess([], status, captured.out,
                                                       captured.err))
    assert captured.out == ""


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("skreg: error: ")


# ---- skreg.compare ----------------------------------------------------------
@pytest.fixture(scope="module")
def small():
    return load_dataset("digits", train_size=300)


def test_every_method_has_a_spec_with_the_same_budget_and_seed():
    specs = method_specs(epochs=7, hidden=(32, 16), seed=3)
    assert set(specs) == set(METHODS)
    for name, params in specs.items():
        assert params["max_iter"] == 7 and params["random_state"] == 3, name
    assert specs["dropout"]["dropout_keep"] == (0.8, 0.5, 0.5)
    assert specs["chapter"]["hidden_layer_sizes"] == (200,)


def test_parallel_rows_equal_sequential_rows(small):
    methods = ["l1", "input-noise"]
    seq, _ = run_comparison(small, methods, epochs=3, n_jobs=1)
    par, _ = run_comparison(small, methods, epochs=3, n_jobs=2)
    assert [r.method for r in par] == methods
    for a, b in zip(seq, par):
        assert (a.train_accuracy, a.test_accuracy, a.fgsm_accuracy, a.zero_weights) == \
            (b.train_accuracy, b.test_accuracy, b.fgsm_accuracy, b.zero_weights)


def test_owner_rows_run_or_say_what_they_need(small):
    """Semi-supervised and multi-task rows are either measured or n/a with
    a note naming the missing feature; never a failure."""
    results, estimators = run_comparison(small, ["semi-supervised", "multi-task"],
                                         epochs=2)
    for r in results:
        if r.note.startswith("n/a: needs"):
            assert math.isnan(r.test_accuracy) and estimators[r.method] is None
        else:
            assert 0 <= r.test_accuracy <= 1, r
    assert "failed" not in format_table(results)


def test_early_stopping_and_retrain_rows_report_epochs(small):
    results, est = run_comparison(small, ["early-gl", "early-retrain", "bagging"],
                                  epochs=30)
    gl, retrain, bag = results
    assert gl.epochs == est["early-gl"].n_iter_ and gl.best_epoch <= gl.epochs
    assert retrain.refit_epochs == retrain.best_epoch
    assert len(est["bagging"].estimators_) == 5 and 0 <= bag.fgsm_accuracy <= 1


def test_unknown_method_raises(small):
    with pytest.raises(ValueError, match="unknown methods"):
        run_comparison(small, ["none", "l3"])


def test_format_table_marks_na():
    table = format_table([Result("multi-task", note="n/a: needs x")])
    assert table.splitlines()[-1].startswith("| multi-task | n/a | n/a | n/a |")


def test_ensemble_gradient_matches_finite_differences(small):
    """FGSM direction of bagging = gradient of -log(mean_m p_m(y|x))."""
    X, y = small.X_train.astype(np.float64), small.y_train
    bag = BaggingClassifier(DFNClassifier((8,), max_iter=5, dtype=np.float64,
                                          random_state=0),
                            n_estimators=3, random_state=0).fit(X, y)
    x, label = X[:3], y[:3]
    grad = _ensemble_input_gradient(bag, x, label)

    def loss(rows):
        return -np.log(bag.predict_proba(rows)[np.arange(len(rows)), label])

    h = 1e-6
    numeric = np.empty_like(x)
    for j in range(x.shape[1]):
        e = np.zeros_like(x)
        e[:, j] = h
        numeric[:, j] = (loss(x + e) - loss(x - e)) / (2 * h)
    for g, n in zip(grad, numeric):  # same direction, row by row
        assert g @ n / (np.linalg.norm(g) * np.linalg.norm(n)) > 1 - 1e-6
    X_adv = ensemble_fgsm(bag, x, label, 0.1, clip=(0, 1))
    assert np.all(np.abs(X_adv - x) <= 0.1 + 1e-12) and X_adv.min() >= 0


def test_load_dataset_npz_scales_pixels(tmp_path):
    path = tmp_path / "m.npz"
    x = np.full((20, 4, 4), 255, np.uint8)
    labels = (np.arange(20) % 2).astype(np.uint8)
    np.savez(path, x_train=x, y_train=labels, x_test=x[:4], y_test=labels[:4])
    data = load_dataset("mnist-npz", str(path))
    assert isinstance(data, Dataset) and data.X_train.dtype == np.float32
    assert data.X_train.max() == 1.0 and data.image_side == 4
    assert data.y_train.dtype == np.int64  # so that -1 can mark unlabeled rows


def test_semi_supervised_row_hides_80_percent_as_minus_one(small):
    data = Dataset("u8", small.X_train, small.y_train.astype(np.uint8),
                   small.X_test, small.y_test)
    y, y_test = _targets("semi-supervised", data, seed=0)
    assert np.mean(y == -1) == pytest.approx(0.8, abs=1 / len(y))
    assert np.array_equal(y[y != -1], data.y_train[y != -1])
    Y, _ = _targets("multi-task", data, seed=0)
    assert np.array_equal(Y[:, 1], data.y_train % 2)
