"""Wall time of ``skreg compare``'s rows, sequential against parallel.

    python benchmarks/bench_compare.py [--dataset digits] [--epochs 50]
        [--train-size N] [--jobs 1 2] [--repeats 2]

Runs ``skreg.compare.run_comparison`` on every method for each ``--jobs``
value, ``--repeats`` times in alternation (the machine may be shared, so
only figures from one run are comparable), and prints a Markdown table:
median wall time per setting, and per row the median fit seconds and test
accuracy, which must not depend on the number of jobs (same seed).
"""

import argparse
import statistics
import sys
import time

from skreg.compare import METHOD_NAMES, load_dataset, run_comparison


def _parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", default="digits",
                        choices=["digits", "fashion-mnist"])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--train-size", type=int, default=None)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--methods", default=",".join(METHOD_NAMES))
    return parser.parse_args(argv)


def main(argv=None):
    args = _parse(argv)
    data = load_dataset(args.dataset, train_size=args.train_size)
    methods = args.methods.split(",")
    walls = {j: [] for j in args.jobs}
    rows = {j: {m: [] for m in methods} for j in args.jobs}
    accuracy = {j: {} for j in args.jobs}
    for _ in range(args.repeats):
        for jobs in args.jobs:
            tic = time.perf_counter()
            results, _ = run_comparison(data, methods, epochs=args.epochs, n_jobs=jobs)
            walls[jobs].append(time.perf_counter() - tic)
            for r in results:
                rows[jobs][r.method].append(r.seconds)
                accuracy[jobs][r.method] = r.test_accuracy
    print(f"{args.dataset}: {len(data.y_train)} training rows, {args.epochs} "
          f"epochs, {len(methods)} rows, median of {args.repeats}\n")
    print("| n_jobs | wall s |\n|---|---|")
    for jobs in args.jobs:
        print(f"| {jobs} | {statistics.median(walls[jobs]):.1f} |")
    print("\n| method | " + " | ".join(f"fit s (n_jobs={j})" for j in args.jobs)
          + " | test acc |\n|---|" + "---|" * (len(args.jobs) + 1))
    for m in methods:
        fits = " | ".join(f"{statistics.median(rows[j][m]):.2f}" for j in args.jobs)
        print(f"| {m} | {fits} | {accuracy[args.jobs[0]][m]:.4f} |")
    as_text = {j: {m: f"{a:.6f}" for m, a in accuracy[j].items()} for j in args.jobs}
    same = all(as_text[j] == as_text[args.jobs[0]] for j in args.jobs)  # nan too
    print(f"\ntest accuracies identical across n_jobs: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
