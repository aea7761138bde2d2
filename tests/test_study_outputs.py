"""The study's outputs: summary.csv, the two tables of a training-set size,
terminal-width tables, --margin, reproducibility across runs and n_jobs, and
the progress estimate (fake clock)."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from skreg.__main__ import main
from skreg.study import cli_output, runner
from skreg.study.cells import CellResult
from skreg.study.design import Repeat
from skreg.study.methods import METHODS, Context
from skreg.study.report import SUMMARY_COLUMNS
from skreg.study.tuning import format_strength

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--epochs", "3", "--hidden", "8", "--repeats", "3", "--train-size", "60",
        "--quiet", "--no-plots"]
DESIGN_COLUMNS = ("train_size, method, baseline, repeats, mean, mean_low, mean_high, "
                  "diff, diff_low, diff_high, p, p_adjusted, verdict").split(", ")
VERDICTS = {"baseline", "helps", "hurts", "equivalent", "inconclusive"}


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "skreg", "compare", *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)


def _read(path):
    with open(path) as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def tiny_study(tmp_path_factory):
    """One tiny study with supervised and semi-supervised rows, run twice
    through the command line: in a new process with --n-jobs 2, in this one
    with --n-jobs 1."""
    outs = [tmp_path_factory.mktemp(f"jobs{j}") for j in (1, 2)]
    args = [*TINY, "--methods", "l2,vat,semi-supervised", "--margin", "0.5"]
    assert main(["compare", *args, "--n-jobs", "1", "--out", str(outs[0])]) == 0
    proc = _cli(*args, "--n-jobs", "2", "--out", str(outs[1]))
    assert proc.returncode == 0, proc.stderr
    return outs


def test_summary_csv_has_the_design_columns_in_points(tiny_study):
    out = tiny_study[0]
    rows = _read(out / "summary.csv")
    assert set(DESIGN_COLUMNS) <= set(rows[0]) and list(rows[0]) == list(SUMMARY_COLUMNS)
    assert [(r["method"], r["baseline"]) for r in rows] == [
        ("none", "none"), ("l2", "none"), ("labeled-only", "labeled-only"),
        ("vat", "labeled-only"), ("semi-supervised", "labeled-only")]
    assert {r["verdict"] for r in rows} <= VERDICTS
    results = _read(out / "results.csv")
    acc = {m: np.array([float(r["test_accuracy"]) for r in results if r["method"] == m])
           for m in ("none", "l2", "labeled-only", "vat", "semi-supervised")}
    for r in rows:
        assert 0 <= float(r["mean_low"]) <= float(r["mean"]) <= float(r["mean_high"]) <= 100
        assert float(r["mean"]) == pytest.approx(100 * acc[r["method"]].mean())
        assert r["repeats"] == "3" and r["margin"] == "0.5"
        if r["verdict"] != "baseline":  # the difference to the row's own baseline
            diff = 100 * (acc[r["method"]] - acc[r["baseline"]]).mean()
            assert float(r["diff"]) == pytest.approx(diff)
            if r["note"]:  # no interval (e.g. zero variance)
                assert r["diff_low"] == r["p"] == "" and r["verdict"] == "inconclusive"
                continue
            assert float(r["diff_low"]) <= float(r["diff"]) <= float(r["diff_high"])
            assert float(r["p_adjusted"]) >= float(r["p"])
    semi = [r for r in rows if r["table"] == "semi-supervised"]
    assert {r["level"] for r in semi if r["level"]} == {repr(1 - 0.05 / 2)}


def test_summary_md_states_rule_and_margin_and_the_machine(tiny_study):
    text = (tiny_study[0] / "summary.md").read_text()
    assert "Bonferroni" in text and "+-0.5 points" in text
    assert "Semi-supervised rows against labeled-only" in text
    assert "Made on " in text and "scikit-learn " in text


def test_n_jobs_1_and_2_write_the_same_files(tiny_study):
    a, b = tiny_study
    for name in ("results.csv", "summary.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    # summary.md differs only in the command it quotes
    text = [(x / "summary.md").read_text().replace("--n-jobs 2", "--n-jobs 1")
            .replace(str(x), "OUT") for x in (a, b)]
    assert text[0] == text[1]


def test_the_same_command_twice_writes_the_same_files(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert main(["compare", *TINY, "--methods", "none,dropout", "--n-jobs", "1",
                     "--out", str(out)]) == 0
    for name in ("results.csv", "summary.csv"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def _fake_results(n_repeats=15):
    """Every registry row with its widest strength, as the default study
    would print them (no training)."""
    ctx = Context(image_side=8)
    rng = np.random.default_rng(0)
    results = []
    for name, method in METHODS.items():
        grid = method.resolve(ctx)[1]
        widest = {k: max(v, key=lambda x: len(format_strength({k: x})))
                  for k, v in grid.items()}
        for r in range(n_repeats):
            results.append(CellResult(
                name, 150, r, 0, 0, strength=format_strength(widest),
                train_accuracy=1.0, test_accuracy=0.9 + 0.01 * rng.standard_normal(),
                fgsm_accuracy=0.3, epochs=200, best_epoch=150, stopped=r % 2 == 0))
    return results


def test_the_default_study_tables_fit_a_terminal(capsys):
    text = cli_output.format_tables(_fake_results(), "none")
    widest = max(text.splitlines(), key=len)
    assert len(widest) <= 100, widest
    assert text.count("### ") == 2  # supervised and semi-supervised tables


@pytest.mark.parametrize("value, message", [
    ("-1", "must be a finite number of points >= 0, got -1"),
    ("inf", "must be a finite number of points >= 0, got inf"),
    ("nan", "must be a finite number of points >= 0, got nan"),
    ("one", "expected a number of points, got 'one'")])
def test_bad_margin_is_a_usage_error(value, message, capsys):
    assert main(["compare", *TINY, "--margin", value]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skreg: error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_a_semi_supervised_baseline_is_refused(capsys):
    assert main(["compare", *TINY, "--baseline", "vat"]) == 2
    assert "semi-supervised rows are compared with labeled-only" in \
        capsys.readouterr().err


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


#: CPU seconds of a cell per method (timing.csv of the 20-repeat default
#: study, docs/results.md)
COST = {"chapter": 0.18, "none": 0.22, "l2": 0.54, "l1": 0.59, "elasticnet": 0.65,
        "max-norm": 0.69, "dropout": 0.73, "dropout-classic": 0.75,
        "input-noise": 0.66, "weight-noise": 0.61, "label-smoothing": 0.53,
        "augmentation": 1.01, "early-patience": 0.10, "early-gl": 0.17,
        "early-pq": 0.19, "early-up": 0.13, "early-retrain": 0.15,
        "sparse-activations": 0.64, "bagging": 1.82, "adversarial": 0.85,
        "semi-supervised": 0.64, "multi-task": 0.20, "labeled-only": 0.09,
        "self-training": 2.80, "vat": 2.22, "consistency": 1.82, "convolution": 2.80}


def _simulate(cells, workers=2, startup=20.0, first_cell=0.7):
    """Finish times of ``cells`` taken in order by ``workers`` processes that
    each start after ``startup`` seconds (spawn, imports: measured under
    load) and pay ``first_cell`` more on their first cell."""
    free, finished = [startup + first_cell] * workers, []
    for c in cells:
        k = int(np.argmin(free))
        free[k] += COST[c.method] * (1 + 0.2 * np.sin(c.repeat.index))
        finished.append((free[k], c))
    return sorted(finished, key=lambda t: t[0])


def _worst_ratio(cells, estimate):
    """The worst ratio of estimated to true time left (either way round)
    from a tenth of the cells done to the last 5% (where the error is a
    cell's worth of seconds); ``estimate(progress, now)``."""
    clock = FakeClock()
    progress = runner.Progress(len(cells), quiet=True, clock=clock)
    finished = _simulate(cells)
    end, worst = finished[-1][0], 1.0
    for i, (t, _) in enumerate(finished[:-1]):
        clock.now = t
        progress(CellResult("x", 0, 0, 0, 0))
        if len(cells) / 10 <= i + 1 <= 0.95 * len(cells):
            left, truth = estimate(progress, t), end - t
            worst = max(worst, left / truth, truth / left)
    return worst


def _old_estimate(progress, now):
    """The former estimate: elapsed since the start over cells done."""
    return runner.time_left(now, progress.done, progress.total)


def test_time_left_is_within_a_factor_2_after_a_tenth_of_the_cells():
    for repeats, seed in [(5, 0), (5, 1), (5, 2), (15, 0), (15, 3)]:
        cells = runner.plan(list(METHODS), [150], seed, repeats)
        assert _worst_ratio(cells, lambda p, now: p.left()) < 2
    # the cause of the former 4x: the start-up spread over the first cells,
    # which method by method were all cheap ones (chapter, none, l2)
    by_method = sorted(runner.plan(list(METHODS), [150], 0, 5),
                       key=lambda c: list(METHODS).index(c.method))
    assert _worst_ratio(by_method, _old_estimate) > 3


def test_time_left_formula():
    assert runner.time_left(30.0, 10, 40) == pytest.approx(90.0)
    assert np.isnan(runner.time_left(0.0, 0, 40))
    clock = FakeClock()
    progress = runner.Progress(11, quiet=True, clock=clock)
    clock.now = 20.0  # start-up: not charged to the cells
    progress(CellResult("x", 0, 0, 0, 0))
    assert np.isnan(progress.left())
    clock.now = 22.0
    progress(CellResult("x", 0, 0, 0, 0))  # 1 cell in 2 s since the first
    assert progress.left() == pytest.approx(2.0 * 9)


def test_plan_holds_every_cell_once_in_a_seeded_order():
    cells = runner.plan(["a", "b", "c"], [50, 100], 0, 4)
    keys = [(c.repeat.index, c.train_size, c.method) for c in cells]
    assert sorted(keys) == [(r, n, m) for r in range(4) for n in (50, 100)
                            for m in "abc"]
    assert keys != sorted(keys)
    assert keys == [(c.repeat.index, c.train_size, c.method)
                    for c in runner.plan(["a", "b", "c"], [50, 100], 0, 4)]
    assert all(isinstance(c.repeat, Repeat) for c in cells)


def test_baseline_sets_the_supervised_table_only():
    from skreg.study.report import summarize

    tables = summarize(_fake_results(n_repeats=4), baseline="l2")[150]
    assert [(t.name, t.baseline) for t in tables] == [
        ("supervised", "l2"), ("semi-supervised", "labeled-only")]
    assert "none" in tables[0].cells and "vat" not in tables[0].cells
    assert set(tables[1].cells) == {m for m, x in METHODS.items() if x.needs_unlabeled}
    # each table is its own family
    assert tables[0].family == len(tables[0].cells) - 1
    assert tables[1].family == len(tables[1].cells) - 1
