"""Wall time of the ``skreg compare`` study, sequential against parallel cells.

    python benchmarks/bench_compare.py [--jobs 1 2] [--rounds 2] [--repeats 5]
        [--methods all] [--epochs 200] [--train-size 150]

Runs ``skreg.study.run_study`` (digits, tuned, the CLI's defaults) for each
``--jobs`` value, ``--rounds`` times in alternation (the machine may be
shared: only figures of one run are comparable), after warming up the numba
kernels. Prints the median wall time per setting, its ratio to n_jobs=1 in
the same run, the median seconds per cell by method, and whether results.csv
is byte-identical across n_jobs (it must be: same seeds).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from skreg.study import METHODS, run_study
from skreg.study.data import load_pool
from skreg.study.report import write_results
from skreg.study.runner import warm_up


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--train-size", type=int, default=150)
    parser.add_argument("--methods", default="all")
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse(argv)
    pool = load_pool("digits")
    methods = list(METHODS) if args.methods == "all" else args.methods.split(",")
    warm_up()
    walls = {j: [] for j in args.jobs}
    cells = {m: [] for m in methods}
    csv_bytes = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for jobs in args.jobs:
                tic = time.perf_counter()
                results = run_study(pool, methods, [args.train_size], args.repeats,
                                    epochs=args.epochs, n_jobs=jobs)
                walls[jobs].append(time.perf_counter() - tic)
                for r in results:
                    cells[r.method].append(r.seconds)
                path = Path(tmp) / f"{jobs}.csv"
                write_results(results, path)
                csv_bytes[jobs] = path.read_bytes()
    base = statistics.median(walls[args.jobs[0]])
    print(f"digits, {args.train_size} training rows, {args.epochs} epochs, "
          f"{len(methods)} methods x {args.repeats} repeats, tuned; median of "
          f"{args.rounds} rounds\n\n| n_jobs | wall s | ratio to n_jobs="
          f"{args.jobs[0]} |\n|---|---|---|")
    for jobs in args.jobs:
        wall = statistics.median(walls[jobs])
        print(f"| {jobs} | {wall:.1f} | {wall / base:.2f} |")
    print("\n| method | median s per cell (tuning + refit + measures) |\n|---|---|")
    for m in methods:
        print(f"| {m} | {statistics.median(cells[m]):.2f} |")
    same = len(set(csv_bytes.values())) == 1
    print(f"\nresults.csv byte-identical across n_jobs: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
