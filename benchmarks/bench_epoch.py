"""Seconds per epoch of a 784-256-10 ReLU network (Adam, batch 256, float32).

All contenders run in ONE command, as separate processes, alternating
A B C ... B C A ... over several rounds (each round starts one row later);
the table quotes medians and ratios from this run only (the machine is
shared, so figures from different runs are not comparable).

    python benchmarks/bench_epoch.py [--rounds 5] [--epochs 5] [--accuracy]
                                     [--rows "skreg,skreg (numpy only),..."]

Contenders: skreg plain and with each regularizer (augmentation: shifts of
+-2 px and rotations of +-10 degrees, and all of ImageAugmenter's options
as in bench_augment.py; class weights, decoupled weight decay, the cosine
schedule with warm-up and mixup); any skreg row with " (numpy only)" appended runs
with SKREG_NUMPY_ONLY=1, without the compiled kernels; scikit-learn's
MLPClassifier on float32 and float64 input; PyTorch on CPU when installed;
and the floor, the epoch's matrix products alone (forward, weight gradient
and, but for the first layer, activation gradient) back to back in numpy.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _data import load_benchmark_data  # noqa: E402

HIDDEN, BATCH = 256, 256
SKREG_ROWS = {
    "skreg": {},
    "skreg dropout 0.5": {"dropout_keep": 0.5},
    "skreg l1": {"penalty": "l1", "alpha": 1e-4},
    "skreg max_norm 3": {"max_norm": 3.0},
    "skreg input_noise 0.1": {"input_noise": 0.1},
    "skreg augment shift+rotate": {"augment": dict(translation=2, rotation=10)},
    "skreg augment all": {"augment": dict(translation=2, rotation=10, scale=(0.9, 1.1),
                                          hflip=True, noise_std=0.05)},
    # the tabular features of issue 23 (beyond the chapter)
    "skreg class_weight balanced": {"class_weight": "balanced"},
    "skreg weight_decay 1e-2": {"weight_decay": 1e-2},
    "skreg cosine + warm-up 0.5": {"learning_rate": "cosine", "warmup_epochs": 0.5},
    "skreg mixup 0.2": {"mixup_alpha": 0.2},
}
NUMPY_ONLY = " (numpy only)"
OTHER_ROWS = ["sklearn float32", "sklearn float64", "torch", "torch dropout 0.5", "floor"]
DEFAULT_ROWS = [*list(SKREG_ROWS)[:5], "skreg augment shift+rotate", *OTHER_ROWS]


def _skreg(extra, epochs):
    from skreg import DFNClassifier
    from skreg.augmentation import ImageAugmenter

    if not all(k in DFNClassifier().get_params() for k in extra):
        return None
    if "augment" in extra:
        extra = {**extra, "augment": ImageAugmenter(**extra["augment"])}
    params = dict(hidden_layer_sizes=(HIDDEN,), batch_size=BATCH, penalty=None,
                  random_state=0, n_iter_no_change=10**6)
    params.update(extra)
    return lambda n: DFNClassifier(max_iter=n, **params)


def _sklearn(epochs):
    from sklearn.neural_network import MLPClassifier

    return lambda n: MLPClassifier((HIDDEN,), alpha=0.0, batch_size=BATCH, max_iter=n,
                                   random_state=0, n_iter_no_change=10**6)


def _fit_seconds(make, X, y, epochs):
    """Seconds of a whole fit of ``epochs`` epochs, per epoch (so the input
    validation both estimators do once per fit is included, spread out),
    after a one-epoch fit on 1,024 rows: it loads the compiled kernels, a
    once-per-process cost (timed apart: ``startup_seconds``), as torch's warm-up."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make(1).fit(X[:1024], y[:1024])
        tic = time.perf_counter()
        make(epochs).fit(X, y)
    return (time.perf_counter() - tic) / epochs


def _floor_seconds(X, epochs):
    rng = np.random.default_rng(0)
    W1 = rng.standard_normal((784, HIDDEN), dtype=np.float32)
    W2 = rng.standard_normal((HIDDEN, 10), dtype=np.float32)
    H = np.empty((BATCH, HIDDEN), np.float32)
    O = np.empty((BATCH, 10), np.float32)
    D1 = np.empty((BATCH, HIDDEN), np.float32)
    G1, G2 = np.empty_like(W1), np.empty_like(W2)
    batches = [X[i:i + BATCH] for i in range(0, len(X) - BATCH + 1, BATCH)]
    tic = time.perf_counter()
    for _ in range(epochs):
        for xb in batches:
            np.matmul(xb, W1, out=H)
            np.matmul(H, W2, out=O)
            np.matmul(H.T, O, out=G2)
            np.matmul(O, W2.T, out=D1)
            np.matmul(xb.T, D1, out=G1)
    return (time.perf_counter() - tic) / epochs


def _torch_seconds(X, y, epochs, dropout=0.0):
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    layers = [torch.nn.Linear(784, HIDDEN), torch.nn.ReLU()]
    if dropout:
        layers.append(torch.nn.Dropout(dropout))
    model = torch.nn.Sequential(*layers, torch.nn.Linear(HIDDEN, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y.astype(np.int64))
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch():
        perm = torch.randperm(len(Xt))
        for i in range(0, len(Xt), BATCH):
            idx = perm[i:i + BATCH]
            opt.zero_grad()
            loss_fn(model(Xt[idx]), yt[idx]).backward()
            opt.step()

    epoch()
    tic = time.perf_counter()
    for _ in range(epochs):
        epoch()
    return (time.perf_counter() - tic) / epochs


def worker(name, epochs, n_train):
    X, y, _, _, _ = load_benchmark_data(n_train)
    name = name.removesuffix(NUMPY_ONLY)
    if name in SKREG_ROWS:
        make = _skreg(SKREG_ROWS[name], epochs)
        return None if make is None else _fit_seconds(make, X, y, epochs)
    if name == "sklearn float32":
        return _fit_seconds(_sklearn(epochs), X, y, epochs)
    if name == "sklearn float64":
        return _fit_seconds(_sklearn(epochs), X.astype(np.float64), y, epochs)
    if name == "torch":
        return _torch_seconds(X, y, epochs)
    if name == "torch dropout 0.5":
        return _torch_seconds(X, y, epochs, dropout=0.5)
    if name == "floor":
        return _floor_seconds(X, epochs)
    raise ValueError(name)


def startup_seconds(*_):
    """Seconds a fresh process spends on skreg's compiled kernels before the
    first step: importing numba and loading (or, the first time on a machine,
    compiling) every kernel, with a tiny fit that calls them."""
    from skreg import DFNClassifier
    from skreg.augmentation import ImageAugmenter

    X = np.random.default_rng(0).random((8, 16), dtype=np.float32)
    tiny = DFNClassifier((4,), max_iter=1, augment=ImageAugmenter(translation=1))
    tic = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tiny.fit(X, np.arange(8) % 2)
    return time.perf_counter() - tic


def accuracy_worker(name, epochs, n_train):
    X, y, Xt, yt, _ = load_benchmark_data(n_train)
    make = _skreg({}, epochs) if name == "skreg" else _sklearn(epochs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make(epochs).fit(X, y).score(Xt, yt)


def _run(args, name, mode):
    cmd = [sys.executable, __file__, "--worker", name, "--mode", mode,
           "--epochs", str(args.epochs if mode == "time" else args.accuracy_epochs),
           "--n", str(args.n)]
    env = dict(os.environ, SKREG_NUMPY_ONLY="1" if name.endswith(NUMPY_ONLY) else "")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def blas_info():
    from threadpoolctl import threadpool_info

    return "; ".join(f"{i['internal_api']} {i.get('version')} {i.get('architecture')} "
                     f"{i['num_threads']} threads" for i in threadpool_info()
                     if i["user_api"] == "blas")


def kernels_info():
    try:
        import numba
    except ImportError:
        return "compiled kernels: none (numba not installed)"
    return f"compiled kernels: numba {numba.__version__}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--n", type=int, default=60000)
    parser.add_argument("--rows", default=",".join(DEFAULT_ROWS))
    parser.add_argument("--accuracy", action="store_true",
                        help="also train skreg and sklearn for --accuracy-epochs")
    parser.add_argument("--accuracy-epochs", type=int, default=20)
    parser.add_argument("--worker")
    parser.add_argument("--mode", default="time")
    args = parser.parse_args()
    if args.worker:
        fn = {"time": worker, "accuracy": accuracy_worker,
              "startup": startup_seconds}[args.mode]
        print(json.dumps(fn(args.worker, args.epochs, args.n)))
        return
    rows = args.rows.split(",")
    *_, name = load_benchmark_data(args.n)
    print(f"data: {name}, {args.n} rows; BLAS: {blas_info()}; {kernels_info()}")
    if any(not r.endswith(NUMPY_ONLY) and r.startswith("skreg") for r in rows):
        startup = [_run(args, "skreg", "startup") for _ in range(3)]
        without = [_run(args, "skreg" + NUMPY_ONLY, "startup") for _ in range(3)]
        print(f"first tiny fit in a fresh process (once per process, not in the "
              f"table): {statistics.median(startup):.2f} s, "
              f"{statistics.median(without):.2f} s without the compiled kernels")
    times = {r: [] for r in rows}
    for k in range(args.rounds):
        # each round starts one row later, so that load which recurs at the
        # same point of every round does not always hit the same contender
        for r in rows[k % len(rows):] + rows[: k % len(rows)]:
            times[r].append(_run(args, r, "time"))
        print(f"round {k + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    report(times)
    if args.accuracy:
        for r in ("skreg", "sklearn"):
            acc = _run(args, r, "accuracy")
            print(f"test accuracy after {args.accuracy_epochs} epochs, {r}: {acc:.4f}")


def report(times):
    """The table. "vs skreg, paired" is the median over rounds of the row's
    time over plain skreg's in the same round: a neighbour's load that lasts
    several processes moves both, so it is steadier than the ratio of
    medians when the max column shows such bursts."""
    med = {r: statistics.median(v) for r, v in times.items() if None not in v}
    print("\n| contender | s/epoch (median) | min | max | vs floor | vs sklearn f32 "
          "| vs torch | vs skreg | vs skreg, paired |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r, v in times.items():
        if r not in med:
            print(f"| {r} | n/a (not available here) | | | | | | | |")
            continue
        ratio = lambda other: f"{med[r] / med[other]:.2f}x" if other in med else "-"
        paired = "-"
        if "skreg" in med:
            paired = f"{statistics.median(a / b for a, b in zip(v, times['skreg'])):.2f}x"
        print(f"| {r} | {med[r]:.3f} | {min(v):.3f} | {max(v):.3f} | {ratio('floor')} | "
              f"{ratio('sklearn float32')} | {ratio('torch')} | {ratio('skreg')} | "
              f"{paired} |")


if __name__ == "__main__":
    main()
