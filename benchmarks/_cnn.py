"""The small CNN of bench_conv.py and _conv_speed.py (conv 32 3x3 pool 2,
conv 64 3x3 pool 2, dense 128, dropout), in one place for both."""

from skreg import Conv2D, DFNClassifier

CNN = [Conv2D(32, 3, pool=2), Conv2D(64, 3, pool=2)]
KEEP = (1.0, 0.75, 0.75, 0.5)  # input, conv block 1, conv block 2, dense 128


def cnn(epochs, seed, **params):
    return DFNClassifier((128,), conv_layers=CNN, dropout_keep=KEEP, batch_size=128,
                         max_iter=epochs, random_state=seed, **params)
