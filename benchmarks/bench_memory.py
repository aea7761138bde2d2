"""Peak memory (RSS) of a DFNClassifier fit on a large float32 data set.

    python benchmarks/bench_memory.py [--rows 60000] [--features 784]
        [--hidden 128] [--epochs 2] [--data random|fashion]

The data (``--rows`` x ``--features`` float32, random uniform in [0, 1), or
Fashion-MNIST scaled to [0, 1] with ``--data fashion``) is written once as a
``.npy`` file in a temporary folder. Every case then runs in a fresh Python
process, so that ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (the peak
resident set size) describes that case alone:

- ``memmap``: ``fit`` on ``np.load(path, mmap_mode="r")``; the pages of the
  file a fit touches count in the RSS, so the floor is the file size;
- ``memmap + early_stopping``: the same with ``early_stopping=True`` (the
  validation split copies the rows: expect about one more file size);
- ``float32``: ``fit`` on the array read into memory;
- ``float64``: ``fit`` on a float64 copy (the estimator converts it to
  float32 once, at the start of the fit).

Each child reports its RSS after the imports (the baseline: interpreter,
numpy, scipy, scikit-learn, skreg), after loading the data, and the peak
after the fit. "fit extra" = peak - RSS before the fit, the memory the fit
itself needed on top of the data already held. The model is the flat
parameter vector plus Adam's two moment vectors (3 x parameters x 4 bytes).
Targets: memmap peak - baseline < 1.5 x file + model; float32 peak -
baseline < data + 64 MB.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

MB = 2.0**20


def _peak_bytes():
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _hwm_bytes():
    """VmHWM, this process's own peak RSS (Linux), or None."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _current_bytes():
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: the peak so far is the best we have
        return _peak_bytes()


def _read_npy_as(path, dtype, chunk_rows=4096):
    """Read a 2-D .npy file into a new ``dtype`` array by plain reads (no
    mapping, no full-size intermediate of another dtype)."""
    with open(path, "rb") as f:
        major, _ = np.lib.format.read_magic(f)
        read_header = (np.lib.format.read_array_header_1_0 if major == 1
                       else np.lib.format.read_array_header_2_0)
        shape, fortran, file_dtype = read_header(f)
        assert not fortran and len(shape) == 2
        out = np.empty(shape, dtype=dtype)
        for start in range(0, shape[0], chunk_rows):
            stop = min(start + chunk_rows, shape[0])
            block = np.fromfile(f, dtype=file_dtype, count=(stop - start) * shape[1])
            out[start:stop] = block.reshape(stop - start, shape[1])
    return out


def child(case, x_path, y_path, hidden, epochs):
    from skreg import DFNClassifier

    y = np.load(y_path)
    baseline = _current_bytes()
    if case.startswith("memmap"):
        X = np.load(x_path, mmap_mode="r")
    elif case == "float32":
        X = _read_npy_as(x_path, np.float32)
    elif case == "float64":
        X = _read_npy_as(x_path, np.float64)
    else:
        raise ValueError(case)
    before_fit = _current_bytes()
    clf = DFNClassifier(hidden_layer_sizes=(hidden,), max_iter=epochs, batch_size=200,
                        early_stopping=case.endswith("early_stopping"),
                        n_iter_no_change=epochs + 1, random_state=0)
    tic = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    seconds = time.perf_counter() - tic
    n_params = sum(c.size for c in clf.coefs_) + sum(b.size for b in clf.intercepts_)
    return {"case": case, "baseline": baseline, "before_fit": before_fit,
            "peak": _peak_bytes(), "vm_hwm": _hwm_bytes(), "seconds": seconds,
            "data_bytes": int(X.nbytes), "model_bytes": 3 * n_params * 4,
            "train_accuracy_1000": float(clf.score(X[:1000], y[:1000]))}


def write_data(folder, rows, features, data):
    x_path, y_path = os.path.join(folder, "X.npy"), os.path.join(folder, "y.npy")
    if data == "fashion":
        from skreg.datasets import load_fashion_mnist

        (X8, y), _ = load_fashion_mnist()
        X8, y = X8[:rows], y[:rows]
        X = np.lib.format.open_memmap(x_path, "w+", np.float32, X8.shape)
        for start in range(0, len(X8), 4096):
            X[start:start + 4096] = X8[start:start + 4096] / np.float32(255)
        name = f"Fashion-MNIST / 255, {X8.shape[0]} x {X8.shape[1]}"
    else:
        rng = np.random.default_rng(0)
        X = np.lib.format.open_memmap(x_path, "w+", np.float32, (rows, features))
        for start in range(0, rows, 4096):
            stop = min(start + 4096, rows)
            X[start:stop] = rng.random((stop - start, features), dtype=np.float32)
        y = rng.integers(0, 10, size=rows)
        name = f"random uniform float32, {rows} x {features}"
    X.flush()
    del X
    np.save(y_path, y)
    return x_path, y_path, name


CASES = ["memmap", "memmap + early_stopping", "float32", "float64"]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--features", type=int, default=784)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--data", choices=["random", "fashion"], default="random")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--write", help=argparse.SUPPRESS)
    parser.add_argument("--x-path", help=argparse.SUPPRESS)
    parser.add_argument("--y-path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.x_path, args.y_path, args.hidden,
                               args.epochs)))
        return
    if args.write:
        print(json.dumps(write_data(args.write, args.rows, args.features, args.data)))
        return
    with tempfile.TemporaryDirectory() as folder:
        # written by a child too: this process stays small, because Linux
        # starts a child's ru_maxrss at the RSS of the process that spawned it
        cmd = [sys.executable, __file__, "--write", folder, "--rows", str(args.rows),
               "--features", str(args.features), "--data", args.data]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode:
            sys.exit(f"writing the data failed:\n{out.stderr}")
        x_path, y_path, name = json.loads(out.stdout.strip().splitlines()[-1])
        file_bytes = os.path.getsize(x_path)
        parent = _peak_bytes()
        print(f"data: {name}; file {file_bytes / MB:.1f} MB; network "
              f"{args.features}-{args.hidden}-10, adam, batch 200, "
              f"{args.epochs} epochs")
        results = []
        for case in args.cases.split(","):
            cmd = [sys.executable, __file__, "--child", case, "--x-path", x_path,
                   "--y-path", y_path, "--hidden", str(args.hidden),
                   "--epochs", str(args.epochs)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"case {case!r} failed:\n{out.stderr}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    report(results, file_bytes)
    hwm = [r["vm_hwm"] for r in results if r["vm_hwm"] is not None]
    if hwm:
        worst = max(abs(r["peak"] - r["vm_hwm"]) for r in results if r["vm_hwm"])
        print(f"ru_maxrss vs /proc VmHWM of the children: largest difference "
              f"{worst / MB:.1f} MB (this process's own peak: {parent / MB:.0f} MB)")


def report(results, file_bytes):
    print("\n| case | baseline (imports) | data held | peak RSS | peak - baseline "
          "| fit extra (peak - before fit) | target | met | fit s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        model = r["model_bytes"]
        held = r["before_fit"] - r["baseline"]
        above = r["peak"] - r["baseline"]
        if r["case"] == "memmap":
            target, label = 1.5 * file_bytes + model, "1.5 x file + model"
        elif r["case"] == "float32":
            target, label = r["data_bytes"] + 64 * MB, "data + 64 MB"
        elif r["case"] == "float64":
            target = r["data_bytes"] * 1.5 + 64 * MB
            label = "data + float32 copy + 64 MB"
        else:
            target, label = None, "(none: documents the split's copy)"
        met = "-" if target is None else ("yes" if above < target else "NO")
        tgt = label if target is None else f"{label} = {target / MB:.0f} MB"
        print(f"| {r['case']} | {r['baseline'] / MB:.0f} MB | {held / MB:.0f} MB "
              f"| {r['peak'] / MB:.0f} MB | {above / MB:.0f} MB "
              f"({above / file_bytes:.2f} x file) "
              f"| {(r['peak'] - r['before_fit']) / MB:.0f} MB "
              f"| {tgt} | {met} | {r['seconds']:.1f} |")
    model_mb = results[0]["model_bytes"] / MB
    print(f"\nmodel (parameters + Adam moments): {model_mb:.2f} MB")


if __name__ == "__main__":
    main()
