"""The study's data (skreg.study.data): CSV files read with pandas, the
target's type decided once, feature columns kept for a tabular pipeline."""

import sys

import numpy as np
import pytest

from skreg.study.cells import Cell, run_cell
from skreg.study.data import check_features, load_pool
from skreg.study.design import repeats

pd = pytest.importorskip("pandas")


def _csv(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def _numeric_csv(tmp_path, labels, bom=""):
    rng = np.random.default_rng(0)
    lines = [f"{bom}a,b,label"]
    for i, label in enumerate(labels):
        x = rng.standard_normal(2) + 3 * (i % 2)
        lines.append(f"{x[0]:.4f},{x[1]:.4f},{label}")
    return _csv(tmp_path, "\n".join(lines) + "\n")


def test_numeric_targets_are_numbers_whatever_their_spelling(tmp_path):
    """'1' and '1.0' are one class; the labels are int64 (so -1 can mark
    hidden rows), not strings."""
    pool = load_pool("csv", _numeric_csv(tmp_path, ["0", "1.0", "0.0", "1"] * 5),
                     target="label")
    assert pool.y.dtype == np.int64 and pool.n_classes == 2
    assert pool.y.tolist() == [0, 1, 0, 1] * 5


def test_text_targets_are_strings(tmp_path):
    pool = load_pool("csv", _numeric_csv(tmp_path, ["cat", " dog", "1", "cat"] * 5),
                     target="label")
    assert pool.y.dtype.kind == "U" and set(pool.y) == {"cat", "dog", "1"}


def test_missing_targets_are_an_error_naming_the_lines(tmp_path):
    path = _numeric_csv(tmp_path, ["0", "", "1", "1", ""] * 2)
    with pytest.raises(ValueError, match=r"target column 'label' is empty on "
                                         r"line\(s\) 3, 6, 8, 11; every row needs"):
        load_pool("csv", path, target="label")


def test_non_integer_numeric_target_is_refused(tmp_path):
    path = _numeric_csv(tmp_path, ["0.5", "1"] * 5)
    with pytest.raises(ValueError, match="holds 0.5, not a class label"):
        load_pool("csv", path, target="label")


def test_a_byte_order_mark_does_not_hide_the_first_column(tmp_path):
    path = _csv(tmp_path, "\ufeffy,x\n" + "0,1.5\n1,2.5\n" * 5)
    pool = load_pool("csv", path, target="y")
    assert list(pool.X.columns) == ["x"] and pool.y.tolist() == [0, 1] * 5


def test_text_features_are_kept_for_a_tabular_pipeline(tmp_path):
    """X is a DataFrame: numeric columns float32, text columns as text (the
    study's tabular pipeline one-hot codes them)."""
    path = _csv(tmp_path, "size,color,shape,y\n" + "".join(
        f"{i},{'red' if i % 2 else 'blue'},{'round' if i % 3 else ''},{i % 2}\n"
        for i in range(12)))
    pool = load_pool("csv", path, target="y")
    assert isinstance(pool.X, pd.DataFrame)
    assert pool.X["size"].dtype == np.float32
    assert not pd.api.types.is_numeric_dtype(pool.X["color"])  # object or str
    assert pool.X["color"].iloc[0] == "blue"
    check_features(pool)  # text and missing values are the pipeline's to handle


def test_infinite_feature_values_are_named(tmp_path):
    path = _csv(tmp_path, "a,b,c,y\n" + "1,,inf,0\n2,3,-inf,1\n" * 3)
    with pytest.raises(ValueError, match=r"column\(s\) 'c' hold infinite values; "
                                         "leave the cell empty"):
        check_features(load_pool("csv", path, target="y"))


def test_a_numeric_csv_runs_through_the_study(tmp_path):
    """Repeat 0 of a curve row: the split, tuning, measures and the loss-curve
    probe all take the DataFrame."""
    pool = load_pool("csv", _numeric_csv(tmp_path, ["0", "1"] * 30), target="label")
    for method in ("none", "l2", "semi-supervised"):
        res = run_cell(Cell(method, repeats(0, 1)[0], 30, hidden=(8,), epochs=3), pool)
        assert res.note == "" and 0 <= res.test_accuracy <= 1, res.note
    assert res.epochs == 3


def test_a_csv_with_a_many_valued_text_column_runs_through_the_study(tmp_path):
    """The study one-hot codes a text column of more than 40 values (target
    encoding would need the labels the semi-supervised rows hide), and the
    loss-curve probe of repeat 0 fits its preprocessing with the labels."""
    rng = np.random.default_rng(0)
    rows = [f"{rng.standard_normal():.4f},s{i % 50},{'yes' if i % 2 else 'no'}"
            for i in range(200)]
    pool = load_pool("csv", _csv(tmp_path, "x,state,label\n" + "\n".join(rows)),
                     target="label")
    for method in ("none", "l2", "semi-supervised", "vat", "multi-task"):
        res = run_cell(Cell(method, repeats(0, 1)[0], 100, hidden=(8,), epochs=3), pool)
        assert res.note == "" and 0 <= res.test_accuracy <= 1, (method, res.note)
    assert res.epochs == 3


def test_without_pandas_the_error_says_how_to_get_it(tmp_path, monkeypatch):
    path = _numeric_csv(tmp_path, ["0", "1"] * 5)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'skreg\[tabular\]'"):
        load_pool("csv", path, target="label")


@pytest.mark.parametrize("text, match", [
    (b"a,y\n\xff\xfe,1\n", "not a readable CSV file"),
    (b"", "not a readable CSV file"),
    (b"y\n1\n2\n", "needs a header line, the target column, at least one feature"),
    (b"a,y\n", "needs a header line, the target column, at least one feature"),
])
def test_unreadable_csv_files(tmp_path, text, match):
    path = tmp_path / "bad.csv"
    path.write_bytes(text)
    with pytest.raises(ValueError, match=match):
        load_pool("csv", str(path), target="y")


def test_mnist_npz_pixels_scaled_and_labels_int64(tmp_path):
    path = tmp_path / "m.npz"
    x = np.full((20, 4, 4), 255, np.uint8)
    labels = (np.arange(20) % 2).astype(np.uint8)
    np.savez(path, x_train=x, y_train=labels, x_test=x[:4], y_test=labels[:4])
    pool = load_pool("mnist-npz", str(path))
    assert pool.X.dtype == np.float32 and pool.X.max() == 1.0 and pool.image_side == 4
    assert pool.y.dtype == np.int64  # so that -1 can mark unlabeled rows
