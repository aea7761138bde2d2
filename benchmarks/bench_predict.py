"""predict_proba on 10,000 rows: skreg against scikit-learn's MLPClassifier.

Both 784-256-10 ReLU networks, fitted for one epoch on Fashion-MNIST (or
upsampled digits), then predict_proba timed alternately, 30 rounds, medians.

    python benchmarks/bench_predict.py
"""

import statistics
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from _data import load_benchmark_data  # noqa: E402


def main(rounds=30):
    from sklearn.neural_network import MLPClassifier

    from skreg import DFNClassifier

    X, y, Xt, _, name = load_benchmark_data(20000)
    Xt = Xt[:10000]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = DFNClassifier((256,), max_iter=1, random_state=0).fit(X, y)
        theirs = MLPClassifier((256,), max_iter=1, random_state=0).fit(X, y)
    times = {"skreg": [], "sklearn": []}
    for _ in range(rounds):
        for label, est in (("skreg", ours), ("sklearn", theirs)):
            tic = time.perf_counter()
            est.predict_proba(Xt)
            times[label].append(time.perf_counter() - tic)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{name}, predict_proba on {len(Xt)} float32 rows, median of {rounds}:")
    print(f"skreg {1e3 * med['skreg']:.1f} ms, sklearn {1e3 * med['sklearn']:.1f} ms, "
          f"ratio {med['skreg'] / med['sklearn']:.2f}x")
    np.testing.assert_allclose(ours.predict_proba(Xt).sum(1), 1, rtol=1e-5)


if __name__ == "__main__":
    main()
