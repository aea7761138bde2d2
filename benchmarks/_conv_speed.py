"""The speed half of bench_conv.py: skreg's CNN training step against
PyTorch's on the CPU, alternating in one process, one thread each."""

import cProfile
import pstats
import time
import warnings

import numpy as np

from _cnn import KEEP, cnn

BATCH = 128


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


def _skreg_epoch(X, y):
    est = cnn(1, 0, shuffle=True)
    tic = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(X, y)
    return time.perf_counter() - tic


def _torch_model(torch):
    nn = torch.nn
    drop = [1 - p for p in KEEP[1:]]
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(drop[0]),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Dropout(drop[1]),
        nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Dropout(drop[2]),
        nn.Linear(128, 10))


def _torch_epoch(torch, X, y):
    torch.manual_seed(0)
    tic = time.perf_counter()
    model = _torch_model(torch)
    # skreg's default: Adam with L2 alpha=1e-4 (per row of the batch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt = torch.from_numpy(X).reshape(-1, 28, 28, 1).permute(0, 3, 1, 2).contiguous()
    yt = torch.from_numpy(y)
    order = torch.randperm(len(X))
    model.train()
    for start in range(0, len(X), BATCH):
        idx = order[start:start + BATCH]
        opt.zero_grad()
        loss = loss_fn(model(Xt[idx]), yt[idx])
        loss.backward()
        opt.step()
    return time.perf_counter() - tic


def speed(rounds, batches):
    import torch

    torch.set_num_threads(1)
    X, y = _data(BATCH * batches)
    _skreg_epoch(X[:BATCH * 2], y[:BATCH * 2])  # warm up (allocations, imports)
    _torch_epoch(torch, X[:BATCH * 2], y[:BATCH * 2])
    times = {"skreg": [], "torch": []}
    for r in range(rounds):
        pair = [("skreg", lambda: _skreg_epoch(X, y)),
                ("torch", lambda: _torch_epoch(torch, X, y))]
        for name, run in pair if r % 2 == 0 else pair[::-1]:
            times[name].append(run() / batches)
    ratios = np.array(times["skreg"]) / np.array(times["torch"])
    print(f"CNN training step, batch {BATCH}, {batches} batches per round, "
          f"{rounds} rounds alternating, 1 thread each (torch {torch.__version__})")
    print("| | median s/batch | s per 60,000-row epoch | rounds (s/batch) |")
    print("|---|---|---|---|")
    for name, t in times.items():
        each = " ".join(f"{v:.4f}" for v in t)
        epoch = np.median(t) * 60000 / BATCH
        print(f"| {name} | {np.median(t):.4f} | {epoch:.0f} | {each} |")
    print(f"paired ratio skreg/torch: median {np.median(ratios):.2f} "
          f"(min {ratios.min():.2f}, max {ratios.max():.2f})")
    breakdown(X, y)


def _parts():
    """(label, [functions]) whose cumulative times are reported."""
    from skreg import activations, dropout, losses, optimizers, pooling
    from skreg.layers import Convolution, Dense

    return [
        ("patch matrix (strided copy, padding)", [Convolution._patches]),
        ("max-pooling forward + backward",
         [pooling.MaxPool.forward, pooling.MaxPool.backward]),
        ("conv forward product (+ bias)", [Convolution.forward]),
        ("conv weight gradient (patches^T d, bias)", [Convolution.param_grads]),
        ("conv input gradient (kh*kw products + slice-adds)",
         [Convolution.backward_input]),
        ("dense products", [Dense.forward, Dense.param_grads, Dense.backward_input]),
        ("Adam", [optimizers.Adam.step]),
        ("dropout masks and products",
         [dropout.Dropout.draw, dropout.Dropout.forward, dropout.Dropout.backward]),
        ("activations", [activations.ReLU.forward, activations.ReLU.backward]),
        ("loss", [losses.SoftmaxCrossEntropy.loss_and_delta]),
    ]


def _key(f):
    code = f.__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def breakdown(X, y):
    """skreg's time per component over one epoch (cProfile cumulative times;
    the conv products exclude the patch copy and pooling they call)."""
    profile = cProfile.Profile()
    profile.enable()
    _skreg_epoch(X, y)
    profile.disable()
    stats = pstats.Stats(profile).stats
    total = stats[_key(_skreg_epoch)][3]
    cum = {label: sum(stats.get(_key(f), (0, 0, 0, 0))[3] for f in fs)
           for label, fs in _parts()}
    from skreg.pooling import MaxPool

    labels = list(cum)  # the convolution's forward calls the copy and pooling
    pool_forward = stats.get(_key(MaxPool.forward), (0, 0, 0, 0))[3]
    cum[labels[2]] -= cum[labels[0]] + pool_forward
    cum["other (dense Python, batching, penalty, Python overhead)"] = (
        total - sum(cum.values()))
    print(f"\nwhere skreg's epoch goes (cProfile, total {total:.1f} s, "
          "profiling overhead included):")
    print("| component | share |\n|---|---|")
    for label, t in cum.items():
        print(f"| {label} | {100 * t / total:.0f}% |")
