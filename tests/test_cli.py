"""``python -m skreg compare`` end to end, its outputs and its bad input."""

import csv
import re
import subprocess
import sys

import numpy as np
import pytest

from skreg import __version__
from skreg.__main__ import main
from skreg.study.methods import METHODS

SMALL = ["--epochs", "3", "--hidden", "8", "--repeats", "2", "--train-size", "50",
         "--n-jobs", "1"]


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


def _table(stdout):
    return [line for line in stdout.splitlines() if line.startswith("|")]


def test_compare_end_to_end(tmp_path):
    out = tmp_path / "results"
    proc = _run("compare", *SMALL, "--methods", "none,l1,dropout", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    table = _table(proc.stdout)
    assert [c.strip() for c in table[0].split("|")[1:4]] == [
        "method", "acc %", "vs none [97.5% CI]"]
    assert [line.split("|")[1].strip() for line in table[2:5]] == ["none", "l1",
                                                                   "dropout"]
    assert "Bonferroni" in proc.stdout and "2 paired repeats" in proc.stdout
    # a plain progress line per cell, with the time left, on a non-terminal stderr
    progress = [line for line in proc.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 6 and all(" left" in line for line in progress)
    with open(out / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert [(r["method"], r["repeat"]) for r in rows] == [
        (m, str(k)) for m in ("none", "l1", "dropout") for k in (0, 1)]
    assert all(r["strength"].startswith("alpha=") for r in rows if r["method"] == "l1")
    assert all(0 <= float(r["test_accuracy"]) <= 1 for r in rows)
    assert "seconds" not in rows[0] and (out / "timing.csv").exists()
    summary = (out / "summary.md").read_text()
    assert "python3 -m skreg compare --epochs 3" in summary and "| l1 " in summary
    assert f"skreg {__version__}, numba" in summary
    plt = pytest.importorskip("matplotlib.pyplot")
    for name in ("paired_differences", "loss_curves"):
        image = plt.imread(out / f"{name}.png")
        assert image.shape[1] >= 1000  # >= 150 dpi at the figure widths


def test_without_matplotlib_still_writes_results(tmp_path):
    code = ("import sys; sys.modules['matplotlib'] = None; sys.argv[0] = 'skreg'; "
            "from skreg.__main__ import main; sys.exit(main())")
    proc = _run("compare", *SMALL, "--methods", "none", "--out", str(tmp_path),
                code=code)
    assert proc.returncode == 0, proc.stderr
    assert "| none " in proc.stdout and "pip install 'skreg[plot]'" in proc.stderr
    assert (tmp_path / "results.csv").exists() and not list(tmp_path.glob("*.png"))


def test_list_methods_help_and_version(capsys):
    assert main(["compare", "--list-methods"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(METHODS)
    with pytest.raises(SystemExit) as exc:
        main(["compare", "--help"])
    assert exc.value.code == 0 and "--repeats" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out == f"skreg {__version__}\n"


def test_one_repeat_says_no_interval_can_be_given(capsys):
    args = [a if a != "2" else "1" for a in SMALL]
    assert main(["compare", *args, "--methods", "none,l2", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "no interval can be given" in captured.err
    l2 = [line for line in _table(captured.out) if line.startswith("| l2 ")][0]
    assert "(with 1 repeat)" in l2 and "| inconclusive |" in l2


def test_train_sizes_run_each_size(tmp_path, capsys):
    status = main(["compare", *SMALL[:6], "--n-jobs", "1", "--train-sizes", "40,60",
                   "--methods", "none,l2", "--quiet", "--out", str(tmp_path)])
    assert status == 0
    out = capsys.readouterr().out
    assert "## 40 training rows" in out and "## 60 training rows" in out
    pytest.importorskip("matplotlib")
    assert (tmp_path / "differences_vs_size.png").stat().st_size > 1000


def _write_csv(path, header, rows):
    path.write_text("\n".join([",".join(header)] + [",".join(map(str, r))
                                                    for r in rows]) + "\n")
    return str(path)


def test_own_csv_and_npz_data(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((90, 3)) * [1, 10, 100]
    labels = np.array(["cat", "dog", "eel"])[np.arange(90) % 3]
    X[:, 0] += np.arange(90) % 3  # a learnable signal
    path = _write_csv(tmp_path / "d.csv", ["a", "species", "b", "c"],
                      [(x[0], s, x[1], x[2]) for x, s in zip(X, labels)])
    assert main(["compare", "--dataset", "csv", path, "--target", "species", *SMALL,
                 "--methods", "none,augmentation,l2", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "augmentation skipped: needs square images" in captured.err
    assert [line.split("|")[1].strip() for line in _table(captured.out)[2:4]] == [
        "none", "l2"]
    np.savez(tmp_path / "d.npz", X=X, y=np.arange(90) % 3)
    assert main(["compare", "--dataset", "npz", str(tmp_path / "d.npz"), *SMALL,
                 "--methods", "none", "--quiet"]) == 0
    assert "npz:d.npz" in capsys.readouterr().out


def test_closed_pipe_exits_quietly():
    proc = subprocess.Popen([sys.executable, "-m", "skreg", "compare", *SMALL,
                             "--methods", "none", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # like `| head -1` that has exited
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""


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
    "idx file not folder": lambda tmp: ["--dataset", "idx", str(tmp / "a_file")],
    "negative seed": lambda tmp: ["--seed", "-1"],
    "seed too large": lambda tmp: ["--seed", str(2**32)],
    "empty out": lambda tmp: ["--out", ""],
    "missing csv": lambda tmp: ["--dataset", "csv", str(tmp / "no.csv"), "--target",
                                "y"],
    "csv without target": lambda tmp: ["--dataset", "csv", _good_csv(tmp)],
    "missing column": lambda tmp: ["--dataset", "csv", _good_csv(tmp), "--target", "z"],
    "infinite feature": lambda tmp: ["--dataset", "csv", _infinite_csv(tmp),
                                     "--target", "y"],
    "npz without X": lambda tmp: ["--dataset", "npz", _npz_without_x(tmp)],
    "csv empty target": lambda tmp: ["--dataset", "csv", _write_csv(
        tmp / "gap.csv", ["a", "y"], [(1, 0), (2, ""), (3, 1)] * 4), "--target", "y"],
    "train size too large": lambda tmp: ["--train-size", "5000"],
    "infinite fgsm eps": lambda tmp: ["--fgsm-eps", "inf"],
    "impossible plan": lambda tmp: ["--repeats", str(10**12)],
    "empty train sizes": lambda tmp: ["--train-sizes", ","],
    "image baseline on plain data": lambda tmp: ["--dataset", "csv", _good_csv(tmp),
                                                 "--target", "y", "--baseline",
                                                 "augmentation"],
    "train size below the tuning split": lambda tmp: [
        "--dataset", "csv", _good_csv(tmp), "--target", "y", "--train-size", "2"],
}
USAGE_ERRORS = {"infinite fgsm eps", "impossible plan", "empty train sizes",
                "image baseline on plain data", "train size below the tuning split",
                "train size too large"}

MESSAGES = {
    "idx file not folder": "expects a folder holding the four MNIST IDX files",
    "negative seed": "--seed must be in",
    "seed too large": "--seed must be in",
    "empty out": "--out needs a folder name",
    "missing csv": "no such file",
    "csv without target": "--dataset csv needs --target COLUMN",
    "missing column": "no column 'z'; the columns are a, y",
    "infinite feature": r"column\(s\) 'a' hold infinite values",
    "npz without X": r"missing arrays \['X'\]",
    "csv empty target": r"target column 'y' is empty on line\(s\) 3, 6, 9, 12",
    "train size too large": "training-set size 5000 must be between",
    "infinite fgsm eps": "--fgsm-eps must be a finite number >= 0, got inf",
    "impossible plan": r"the plan has 1,000,000,000,000 cells \(1 method\(s\) x 1 "
                       r"training-set size\(s\) x 1,000,000,000,000 repeats\); at "
                       "most 100,000 can run",
    "empty train sizes": "--train-sizes: expected sizes such as 100,200,400, got ','",
    "image baseline on plain data": "--baseline augmentation needs square images; "
                                    "csv:good.csv has 1 plain features",
    "train size below the tuning split": r"training-set size 2 is too small: in "
                                         r"repeat \d, the tuning split of every row "
                                         r"\(its training part holds fewer than 2 "
                                         r"classes\)",
}


def _good_csv(tmp):
    return _write_csv(tmp / "good.csv", ["a", "y"], [(i, i % 2) for i in range(20)])


def _infinite_csv(tmp):
    return _write_csv(tmp / "inf.csv", ["a", "y"], [("inf", 0), (1.5, 1)] * 5)


def _npz_without_x(tmp):
    np.savez(tmp / "noX.npz", y=np.arange(4))
    return str(tmp / "noX.npz")


@pytest.mark.parametrize("case", ["unknown dataset", "missing npz file",
                                  "impossible plan"])
def test_bad_input_is_one_line_without_traceback(case, tmp_path):
    """Through a real process: a usage error and a runtime (file) error."""
    proc = _run("compare", *SMALL, "--methods", "none",
                *BAD_INPUT[case](tmp_path))
    _assert_one_line_error(proc)
    assert proc.stdout == ""


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_every_bad_input_returns_nonzero_with_one_line(case, tmp_path, capsys):
    """In process (fast): main returns instead of raising, so no traceback."""
    (tmp_path / "a_file").write_text("x")
    status = main(["compare", *SMALL, "--methods", "none", "--quiet",
                   *BAD_INPUT[case](tmp_path)])
    captured = capsys.readouterr()
    _assert_one_line_error(subprocess.CompletedProcess([], status, captured.out,
                                                       captured.err))
    assert captured.out == ""
    if case in MESSAGES:
        assert re.search(MESSAGES[case], captured.err), captured.err
    if "seed" in case or case == "empty out" or case in USAGE_ERRORS:
        assert status == 2  # a usage error, found before any cell runs


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.startswith("skreg: error: ")




def test_n_jobs_larger_than_the_work_is_capped(monkeypatch, capsys):
    import joblib

    seen = []

    class Spy(joblib.Parallel):
        def __init__(self, n_jobs=None, **kw):
            seen.append(n_jobs)
            super().__init__(n_jobs=1, **kw)  # run in process: the test is fast

    monkeypatch.setattr(joblib, "Parallel", Spy)
    args = [a if a != "1" else "64" for a in SMALL]  # --n-jobs 64
    assert "64" in args
    assert main(["compare", *args, "--methods", "none,l2", "--quiet"]) == 0
    assert seen == [4]  # 2 methods x 2 repeats
    capsys.readouterr()
