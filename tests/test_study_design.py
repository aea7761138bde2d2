"""The study's design: paired repeats, tuning on training rows only, the
method registry, reproducible results.csv."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skreg.study import cells as cells_module
from skreg.study import methods as registry
from skreg.study import tuning
from skreg.study.cells import Cell, run_cell
from skreg.study.data import Pool, load_pool
from skreg.study.design import repeats, split
from skreg.study.methods import METHODS, Context, Method
from skreg.study.report import write_results
from skreg.study.runner import effective_n_jobs, run_study


@pytest.fixture(scope="module")
def digits():
    return load_pool("digits")


def _unique_pool(n=120, n_features=6, seed=0):
    """A pool whose rows are all different (a row identifies itself)."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, n_features)).astype(np.float32)
    X[:, 0] = np.arange(n)  # row id
    return Pool("unique", X, np.arange(n) % 3)


def test_repeats_are_reproducible_and_distinct():
    a, b = repeats(7, 3), repeats(7, 3)
    assert a == b
    assert len({r.split_seed for r in a}) == 3 and all(r.split_seed < 2**32 for r in a)
    assert repeats(8, 3) != a


def test_every_method_of_a_repeat_sees_the_same_split(digits):
    r = repeats(0, 2)
    X1, y1, _, _ = split(digits, 100, r[0].split_seed)
    X1b, _, _, yt = split(digits, 100, r[0].split_seed)
    X2, _, _, _ = split(digits, 100, r[1].split_seed)
    assert np.array_equal(X1, X1b) and not np.array_equal(X1, X2)
    assert len(yt) == len(digits.y) - 100
    assert np.all(np.bincount(y1) == 10)  # stratified


def test_tuning_never_sees_test_rows(monkeypatch):
    """Spy on the rows handed to the search: all training rows of the repeat,
    none of its test rows; the chosen strength is in the grid and recorded."""
    seen = []
    original = GridSearchCV.fit

    def spy(self, X, y=None, **kw):
        seen.append(np.array(X[:, 0]))
        return original(self, X, y, **kw)

    monkeypatch.setattr(GridSearchCV, "fit", spy)
    pool = _unique_pool()
    r = repeats(3, 1)[0]
    res = run_cell(Cell("l2", r, 60, hidden=(4,), epochs=2), pool)
    X_tr, _, X_te, _ = split(pool, 60, r.split_seed)
    assert len(seen) == 1
    # the pipeline standardizes inside the search, so X reaches it raw
    assert set(seen[0]) == set(X_tr[:, 0]) and not set(seen[0]) & set(X_te[:, 0])
    grid = METHODS["l2"].resolve(Context())[1]["alpha"]
    alpha = float(res.strength.split("=")[1])
    assert res.strength.startswith("alpha=") and alpha in grid


def test_no_tune_uses_the_default_strength_and_runs_no_search(monkeypatch):
    monkeypatch.setattr(GridSearchCV, "fit", lambda *a, **k: pytest.fail("searched"))
    res = run_cell(Cell("max-norm", repeats(0, 1)[0], 60, hidden=(4,), epochs=2,
                        tune=False), _unique_pool())
    assert res.strength == "max_norm=2"


def test_every_registry_default_is_in_its_grid_and_builds():
    ctx = Context(hidden=(8, 4), epochs=3, seed=1, image_side=8)
    for method in METHODS.values():
        params, grid, default = method.resolve(ctx)
        assert set(default) <= set(grid), method.name
        for key, value in default.items():
            assert any(str(value) == str(v) for v in grid[key]), method.name
        est = method.estimator(ctx)
        if not method.wrapper:
            assert est.max_iter == 3 and est.random_state == 1, method.name


def test_a_new_row_is_one_entry(monkeypatch, digits):
    row = Method("tiny-l2", "l2 with a tiny grid", "7.1.1", {"penalty": "l2"},
                 {"alpha": [0.5, 2.0]}, {"alpha": 0.5})
    monkeypatch.setitem(registry.METHODS, row.name, row)
    monkeypatch.setattr(cells_module, "METHODS", registry.METHODS)
    res = run_study(digits, ["none", "tiny-l2"], [50], n_repeats=2, hidden=(4,),
                    epochs=2)
    tiny = [r for r in res if r.method == "tiny-l2"]
    assert len(tiny) == 2 and all(r.strength in ("alpha=0.5", "alpha=2") for r in tiny)


def test_same_seed_same_results_csv_bytes(tmp_path, digits):
    kw = dict(methods=["none", "dropout"], train_sizes=[50], n_repeats=2,
              hidden=(4,), epochs=3)
    for name, n_jobs in (("a.csv", 1), ("b.csv", 2)):
        write_results(run_study(digits, seed=5, n_jobs=n_jobs, **kw), tmp_path / name)
    write_results(run_study(digits, seed=6, **kw), tmp_path / "c.csv")
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.csv", "b.csv", "c.csv"))
    assert a == b and a != c
    assert a.count(b"\n") == 1 + 2 * 2


def test_n_jobs_is_capped_at_the_number_of_cells():
    assert effective_n_jobs(64, 4) == 4
    assert effective_n_jobs(-1, 1) == 1
    assert effective_n_jobs(3, 100) == 3


def test_image_only_rows_are_skipped_on_other_data():
    res = run_cell(Cell("augmentation", repeats(0, 1)[0], 60), _unique_pool())
    assert res.note == "skipped: needs square images" and np.isnan(res.test_accuracy)


def test_labeled_accuracy_ignores_hidden_labels_and_second_column():
    class Fixed:
        def predict(self, X):
            return np.column_stack([X[:, 0], 1 - X[:, 0]])

    X = np.array([[0], [1], [1], [0]])
    assert tuning.labeled_accuracy(Fixed(), X, np.array([0, -1, 0, 0])) == 2 / 3
    Y = np.array([[0, 9], [1, 9], [1, 9], [1, 9]])
    assert tuning.labeled_accuracy(Fixed(), X, Y) == 0.75


def test_a_class_of_one_row_raises_naming_the_classes():
    y = np.array([0, 0, 1, 1] + list(range(2, 9)))  # seven classes of one row
    pool = Pool("tiny", np.zeros((y.size, 2), np.float32), y)
    with pytest.raises(ValueError, match=r"tiny: every class needs at least 2 "
                       r"rows to stratify; 7 of the 9 classes have 1 "
                       r"\(2, 3, 4, 5, 6, \.\.\.\).*regression target"):
        split(pool, 4, 0)


@pytest.mark.parametrize("train_size", [1, 9])
def test_a_training_size_outside_the_pool_raises(train_size):
    pool = Pool("tiny", np.zeros((10, 2), np.float32), np.repeat([0, 1], 5))
    with pytest.raises(ValueError, match=f"training-set size {train_size} must be "
                       "between the number of classes, 2, and 8 for tiny"):
        split(pool, train_size, 0)
