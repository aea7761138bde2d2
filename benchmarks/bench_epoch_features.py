"""CPU seconds per epoch of the tabular features of issue 23 (class weights,
decoupled weight decay, the cosine schedule with warm-up, mixup) on the
784-256-10 ReLU network of bench_epoch.py (Adam, batch 256, float32).

One process alternates the contenders (each round starts one row later) and
times each fit with ``time.process_time`` as well as the wall clock, so a
neighbour's load on a shared machine moves the CPU figure little; ratios are
the median over rounds of the row's time over plain skreg's in the same
round.

    python benchmarks/bench_epoch_features.py [--rounds 7] [--epochs 2] [--n 10000]
"""

import argparse
import statistics
import sys
import time
import warnings

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _data import load_benchmark_data  # noqa: E402

ROWS = {
    "skreg": {},
    "class_weight balanced": {"class_weight": "balanced"},
    "weight_decay 1e-2": {"weight_decay": 1e-2},
    "cosine + warm-up 0.5": {"learning_rate": "cosine", "warmup_epochs": 0.5},
    "mixup 0.2": {"mixup_alpha": 0.2},
}
BASE = dict(hidden_layer_sizes=(256,), batch_size=256, penalty=None, random_state=0,
            n_iter_no_change=10**6)


def measure(X, y, rounds, epochs):
    """``{row: ([wall s/epoch], [CPU s/epoch])}`` over the rounds."""
    from skreg import DFNClassifier

    times = {r: ([], []) for r in ROWS}
    names = list(ROWS)
    for params in ROWS.values():  # loads the compiled kernels once
        DFNClassifier(max_iter=1, **BASE, **params).fit(X[:1024], y[:1024])
    for k in range(rounds):
        for r in names[k % len(names):] + names[: k % len(names)]:
            wall, cpu = time.perf_counter(), time.process_time()
            DFNClassifier(max_iter=epochs, **BASE, **ROWS[r]).fit(X, y)
            times[r][0].append((time.perf_counter() - wall) / epochs)
            times[r][1].append((time.process_time() - cpu) / epochs)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--n", type=int, default=10000)
    args = parser.parse_args()
    X, y, _, _, name = load_benchmark_data(args.n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        times = measure(X, y, args.rounds, args.epochs)
    print(f"data: {name}, {args.n} rows; {args.rounds} rounds of {args.epochs} epochs")
    print("| row | wall s/epoch | vs skreg, paired | CPU s/epoch | vs skreg, paired (CPU) |")
    print("|---|---|---|---|---|")
    plain = times["skreg"]
    for r, (wall, cpu) in times.items():
        ratio = [statistics.median(a / b for a, b in zip(mine, ref))
                 for mine, ref in ((wall, plain[0]), (cpu, plain[1]))]
        print(f"| {r} | {statistics.median(wall):.3f} | {ratio[0]:.2f}x | "
              f"{statistics.median(cpu):.3f} | {ratio[1]:.2f}x |")


if __name__ == "__main__":
    main()
