"""The study on a table (``skreg compare --dataset csv``): every row through
:func:`skreg.make_tabular_pipeline`, so text, bool and missing values work."""

import csv
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import BaggingClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import SelfTrainingClassifier

from skreg import DFNClassifier
from skreg.study import cells
from skreg.study.cells import Cell, run_cell
from skreg.study.data import Pool, load_pool
from skreg.study.design import repeats
from skreg.study.labels import hidden_mask

pd = pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--epochs", "3", "--hidden", "8", "--repeats", "2", "--train-size", "40",
        "--n-jobs", "1", "--quiet", "--no-plots"]


def _frame(n=80, seed=0):
    """Mixed features with missing values and a string target that depends on
    a numeric and the categorical column."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n)
    color = rng.choice(["red", "green", "blue"], n)
    frame = pd.DataFrame({"a": a, "b": rng.standard_normal(n), "color": color,
                          "flag": rng.choice([True, False], n)})
    frame["target"] = np.where(a + (color == "red") > 0.3, "yes", "no")
    frame.loc[::6, "a"] = np.nan
    frame.loc[::9, "b"] = np.nan
    frame.loc[::11, "color"] = None
    return frame


@pytest.fixture
def table_csv(tmp_path):
    path = tmp_path / "table.csv"
    _frame().to_csv(path, index=False)
    return str(path)


def _compare(path, out, *extra):
    return subprocess.run(
        [sys.executable, "-m", "skreg", "compare", "--dataset", "csv", path,
         "--target", "target", "--methods", "none,l2,dropout,convolution", *TINY,
         "--out", str(out), *extra],
        capture_output=True, text=True, timeout=300, cwd=ROOT)


def test_compare_on_a_mixed_csv_writes_finite_results_reproducibly(table_csv, tmp_path):
    """Missing numbers, a text column with gaps, a bool column and a string
    target: every supervised cell runs; the image-only row is skipped with a
    note; the same seed writes the same results.csv."""
    first, second = (_compare(table_csv, tmp_path / name) for name in ("a", "b"))
    assert first.returncode == 0, first.stderr
    assert "convolution skipped: needs square images" in first.stderr
    with open(tmp_path / "a" / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert sorted({r["method"] for r in rows}) == ["dropout", "l2", "none"]
    assert len(rows) == 6 and all(r["note"] == "" for r in rows)
    assert all(math.isfinite(float(r["test_accuracy"])) for r in rows)
    assert all(0 <= float(r["train_accuracy"]) <= 1 for r in rows)
    assert second.returncode == 0, second.stderr
    assert ((tmp_path / "a" / "results.csv").read_bytes()
            == (tmp_path / "b" / "results.csv").read_bytes())


def _spy(monkeypatch):
    """Record what ``run_cell`` hands to ``tune`` (then tune as usual)."""
    seen = {}

    def spy(est, grid, X, y, seed, hides_labels=False):
        seen.update(est=est, grid=grid, X=X, y=y)
        return real(est, grid, X, y, seed, hides_labels)

    real = cells.tune
    monkeypatch.setattr(cells, "tune", spy)
    return seen


def _table_pool(tmp_path):
    path = tmp_path / "t.csv"
    _frame().to_csv(path, index=False)
    return load_pool("csv", str(path), target="target")


@pytest.mark.parametrize("method, step, final", [
    ("l2", "dfnclassifier", DFNClassifier),
    ("bagging", "baggingclassifier", BaggingClassifier),
    ("self-training", "selftrainingclassifier", SelfTrainingClassifier),
])
def test_a_table_cell_fits_the_tabular_pipeline(method, step, final, tmp_path,
                                                monkeypatch):
    """ColumnTransformer first, the method's estimator last, and the grid's
    keys address that step (so the chosen strength is the one fitted)."""
    seen = _spy(monkeypatch)
    res = run_cell(Cell(method, repeats(0, 1)[0], 40, hidden=(8,), epochs=3),
                   _table_pool(tmp_path))
    assert res.note == "" and math.isfinite(res.test_accuracy)
    est = seen["est"]
    assert isinstance(est, Pipeline) and isinstance(est[0], ColumnTransformer)
    assert est.steps[-1][0] == step and isinstance(est[-1], final)
    if method == "bagging":  # untuned: its member count is fixed
        assert seen["grid"] == {} and est[-1].n_estimators == 5
        return
    assert seen["grid"] and all(k.startswith(f"{step}__") for k in seen["grid"])
    key = next(iter(seen["grid"]))
    chosen = res.strength.split("=")[1]
    assert chosen in {format(v, "g") for v in seen["grid"][key]}


def test_numeric_arrays_keep_the_scaler_and_images_no_pipeline(monkeypatch):
    seen = _spy(monkeypatch)
    digits = load_pool("digits")
    run_cell(Cell("l2", repeats(0, 1)[0], 60, hidden=(8,), epochs=2), digits)
    assert isinstance(seen["est"], DFNClassifier) and set(seen["grid"]) == {"alpha"}
    flat = Pool("npz:x", digits.X, digits.y)  # the same numbers, not an image
    run_cell(Cell("l2", repeats(0, 1)[0], 60, hidden=(8,), epochs=2), flat)
    assert [name for name, _ in seen["est"].steps] == ["scale", "net"]
    assert isinstance(seen["est"][0], StandardScaler)
    assert set(seen["grid"]) == {"net__alpha"}


def test_categories_unseen_in_training_are_handled(tmp_path):
    """A fixed test set with a colour the training rows never hold: coded as
    all zeros by the one-hot encoder, predicted like any other row."""
    frame = _frame(120)
    train, test = frame.iloc[:80], frame.iloc[80:].copy()
    test.loc[test.index[::2], "color"] = "purple"
    X, X_test = (f.drop(columns="target") for f in (train, test))
    pool = Pool("csv:t", X, train["target"].to_numpy(str), X_test,
                test["target"].to_numpy(str))
    res = run_cell(Cell("none", repeats(0, 1)[0], 40, hidden=(8,), epochs=3), pool)
    assert res.note == "" and 0 <= res.test_accuracy <= 1
    assert math.isfinite(res.fgsm_accuracy)


@pytest.mark.parametrize("method", ["semi-supervised", "labeled-only", "vat"])
def test_semi_supervised_rows_hide_string_labels_as_integer_minus_one(
        method, tmp_path, monkeypatch):
    """DESIGN: string labels hidden as the integer -1 in an object array; the
    pipeline passes them to the network untouched."""
    seen = _spy(monkeypatch)
    res = run_cell(Cell(method, repeats(0, 1)[0], 40, hidden=(8,), epochs=3),
                   _table_pool(tmp_path))
    assert res.note == "" and math.isfinite(res.test_accuracy)
    y = seen["y"]
    assert y.dtype == object and 0 < hidden_mask(y).sum() < len(y)
    assert set(y[~hidden_mask(y)]) == {"yes", "no"}
    assert isinstance(seen["est"][0], ColumnTransformer)


def test_multi_task_row_on_a_table(tmp_path):
    res = run_cell(Cell("multi-task", repeats(0, 1)[0], 40, hidden=(8,), epochs=3),
                   _table_pool(tmp_path))
    assert res.note == "" and 0 <= res.test_accuracy <= 1


def test_a_column_without_any_value_is_dropped_with_the_imputers_warning():
    frame = _frame()
    frame["empty"] = np.nan
    pool = Pool("csv:t", frame.drop(columns="target"), frame["target"].to_numpy(str))
    with pytest.warns(UserWarning, match="Skipping features without any observed"):
        res = run_cell(Cell("none", repeats(0, 1)[0], 40, hidden=(8,), epochs=3), pool)
    assert res.note == "" and 0 <= res.test_accuracy <= 1
