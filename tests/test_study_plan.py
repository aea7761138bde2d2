"""The plan check (skreg.study.plan) against what the cells actually do, and
the small-training-set paths it relies on."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skreg.study.cells import Cell
from skreg.study.data import Pool, load_pool
from skreg.study.design import repeats
from skreg.study.labels import hidden_mask, hide_labels
from skreg.study.plan import MAX_CELLS, check_cell_count, check_plan
from skreg.study.runner import _safe_cell

METHODS = ["none", "dropout", "labeled-only", "vat"]


@pytest.fixture(scope="module")
def binary():
    rng = np.random.default_rng(0)
    k = np.arange(200) % 2
    return Pool("binary", rng.standard_normal((200, 3)).astype(np.float32) + k[:, None],
                k)


def _failures(pool, size, n_repeats=2):
    return [res.note for m in METHODS for r in repeats(0, n_repeats)
            if (res := _safe_cell(Cell(m, r, size, hidden=(4,), epochs=2),
                                  pool)).note]


@pytest.mark.parametrize("size, runs", [(2, False), (8, False), (14, True)])
def test_the_check_agrees_with_the_cells(binary, size, runs):
    """A refused size fails cells; an accepted one runs every cell."""
    if runs:
        check_plan(binary, METHODS, [size], 2)
        assert _failures(binary, size) == []
    else:
        with pytest.raises(ValueError, match=f"training-set size {size} is too small"):
            check_plan(binary, METHODS, [size], 2)
        assert _failures(binary, size)


def test_tiny_digits_training_sets_run_every_row():
    """10 to 16 rows of 10 classes: hidden labels keep every class labeled
    and the loss-curve probe skips an empty validation part."""
    pool = load_pool("digits")
    for size in (10, 16):
        check_plan(pool, METHODS, [size], 2)
        assert _failures(pool, size) == [], size


def test_the_cell_count_is_capped():
    check_cell_count(1, 1, MAX_CELLS)
    with pytest.raises(ValueError, match="at most 100,000 can run"):
        check_cell_count(2, 1, MAX_CELLS)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=8), st.integers(0, 2**31))
def test_hidden_labels_leave_every_class_a_labeled_row(counts, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    partial = hide_labels(y, seed)
    labeled = ~hidden_mask(partial)
    assert set(partial[labeled]) == set(y)
    assert np.array_equal(partial[labeled], y[labeled])
    assert labeled.sum() == max(len(counts), round(0.2 * len(y))) or labeled.all()
