"""How skreg's epoch time scales with rows and with hidden width.

Epoch time of a 784-H-10 ReLU network (Adam, batch 256, float32) on
Fashion-MNIST (or upsampled digits) for n = 7,500 / 15,000 / 30,000 / 60,000
rows at H = 256, and for H = 64 / 256 / 1024 at n = 60,000. Each
configuration runs in its own process, alternating configurations over the
rounds; medians are quoted. Time per row should be constant in n, and the
time should follow the FLOP count ``2 * 3 * n * (784 H + 10 H)`` in H
(peak memory of a fit: see bench_memory.py).

    python benchmarks/bench_scaling.py [--rounds 3] [--epochs 3]
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _data import load_benchmark_data  # noqa: E402

ROWS = [7500, 15000, 30000, 60000]
WIDTHS = [64, 256, 1024]


def worker(n, width, epochs):
    from skreg import DFNClassifier

    X, y, _, _, _ = load_benchmark_data(n)
    est = DFNClassifier((width,), batch_size=256, max_iter=epochs, penalty=None,
                        random_state=0, n_iter_no_change=10**6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tic = time.perf_counter()
        est.fit(X, y)
    return (time.perf_counter() - tic) / epochs


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--worker", nargs=2, type=int)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker, args.epochs)))
        return
    configs = [(n, 256) for n in ROWS] + [(60000, w) for w in WIDTHS if w != 256]
    times = {c: [] for c in configs}
    for _ in range(args.rounds):
        for n, w in configs:
            cmd = [sys.executable, __file__, "--worker", str(n), str(w),
                   "--epochs", str(args.epochs)]
            out = subprocess.run(cmd, capture_output=True, text=True, check=True)
            times[(n, w)].append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {c: statistics.median(v) for c, v in times.items()}
    base = med[(60000, 256)]
    print("| rows | hidden | s/epoch | us/row | time vs n=60k,H=256 | FLOPs vs n=60k,H=256 |")
    print("|---|---|---|---|---|---|")
    for (n, w), t in sorted(med.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        flops = (n * w) / (60000 * 256)
        print(f"| {n} | {w} | {t:.3f} | {1e6 * t / n:.2f} | {t / base:.2f} | {flops:.2f} |")


if __name__ == "__main__":
    main()
