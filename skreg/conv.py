"""Convolution layer specifications (parameter sharing, chapter 7.9).

``Conv2D`` is what a user writes in ``conv_layers``; ``resolve_conv_layers``
turns a list of specs and an image shape into the fixed geometry of each
layer (``ConvGeometry``), checking that every kernel fits its map and every
pooling window divides it. The computation itself lives in ``layers.py``
(patch matrix, products) and ``pooling.py`` (max-pooling).

A convolution's weights are one ``(kernel_h * kernel_w * c_in, filters)``
matrix of ``coefs_``, rows ordered as ``W.reshape(kh, kw, c_in, filters)``,
with one bias per filter: sharing is a constraint on a weight matrix, so
every penalty, constraint and solver of the package applies unchanged.
"""

from dataclasses import dataclass
from numbers import Integral

from sklearn.base import BaseEstimator

from ._warps import _resolve_shape

__all__ = ["Conv2D"]

PADDINGS = ("same", "valid")


class Conv2D(BaseEstimator):
    """A 2-D convolution, the estimator's activation and a max-pooling.

    Parameters
    ----------
    filters : int >= 1
        Number of filters (output channels).
    kernel_size : int or (int, int)
        Height and width of each filter.
    stride : int >= 1, default=1
        Step between the positions at which the filters are applied.
    padding : {"same", "valid"}, default="same"
        "same" pads zeros so that the output map has ``ceil(h / stride)``
        rows (the extra row/column of an even kernel goes at the
        bottom/right); "valid" pads nothing: ``floor((h - kh) / stride) + 1``.
    pool : int >= 1, default=1
        Side of the non-overlapping max-pooling windows after the
        activation (1: no pooling); it must divide the output map.

    Examples
    --------
    >>> from skreg import Conv2D, DFNClassifier
    >>> Conv2D(8, 3, pool=2)
    Conv2D(filters=8, kernel_size=3, pool=2)
    >>> clf = DFNClassifier((32,), conv_layers=[Conv2D(8, 3, pool=2)])
    """

    def __init__(self, filters, kernel_size, stride=1, padding="same", pool=1):
        self.filters = filters
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.pool = pool


@dataclass(frozen=True)
class ConvGeometry:
    """The fixed shapes of one convolution block of a network.

    ``in_shape`` and ``out_shape`` are ``(h, w, c)`` maps (``out_shape``
    after pooling); ``conv_shape`` is ``(h, w)`` before pooling; ``pads``
    is ``(top, bottom, left, right)``.
    """

    in_shape: tuple
    filters: int
    kernel: tuple
    stride: int
    pads: tuple
    pool: int
    conv_shape: tuple

    @property
    def out_shape(self):
        oh, ow = self.conv_shape
        return oh // self.pool, ow // self.pool, self.filters

    @property
    def in_size(self):
        h, w, c = self.in_shape
        return h * w * c

    @property
    def out_size(self):
        h, w, c = self.out_shape
        return h * w * c

    @property
    def coef_shape(self):
        kh, kw = self.kernel
        return kh * kw * self.in_shape[2], self.filters


def _positive_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 1


def _spec(entry, k):
    """``(filters, (kh, kw), stride, padding, pool)`` of entry ``k``."""
    if isinstance(entry, Conv2D):
        params = entry.get_params()
        parts = (params["filters"], params["kernel_size"], params["stride"],
                 params["padding"], params["pool"])
    elif isinstance(entry, (tuple, list)) and len(entry) in (2, 3):
        parts = (entry[0], entry[1], 1, "same", entry[2] if len(entry) == 3 else 1)
    else:
        raise ValueError(
            f"conv_layers[{k}] must be (filters, kernel_size), (filters, "
            f"kernel_size, pool) or a skreg.Conv2D, got {entry!r}."
        )
    filters, kernel, stride, padding, pool = parts
    if not isinstance(kernel, (tuple, list)):
        kernel = (kernel, kernel)
    kernel = tuple(kernel)
    if not (_positive_int(filters) and len(kernel) == 2
            and all(_positive_int(s) for s in kernel)
            and _positive_int(stride) and _positive_int(pool)):
        raise ValueError(
            f"conv_layers[{k}]: filters, kernel_size, stride and pool must be "
            f"positive ints (kernel_size an int or a pair), got {entry!r}."
        )
    if not isinstance(padding, str) or padding not in PADDINGS:
        raise ValueError(
            f"conv_layers[{k}]: padding must be one of {list(PADDINGS)}, got "
            f"{padding!r}."
        )
    return int(filters), tuple(int(s) for s in kernel), int(stride), padding, int(pool)


def _output_side(side, kernel, stride, padding, k, axis):
    """Output length and ``(before, after)`` padding along one axis."""
    if kernel > side:
        raise ValueError(
            f"conv_layers[{k}]: the kernel's {axis} {kernel} is larger than "
            f"its input map's {axis} {side}."
        )
    if padding == "valid":
        return (side - kernel) // stride + 1, (0, 0)
    out = -(-side // stride)
    total = max((out - 1) * stride + kernel - side, 0)
    return out, (total // 2, total - total // 2)


def resolve_conv_layers(conv_layers, image_shape, n_features):
    """The ``ConvGeometry`` of each entry of ``conv_layers`` for rows of
    ``n_features`` values shaped as ``image_shape`` (``ImageAugmenter``'s
    convention: None infers a square single-channel image).

    Raises
    ------
    ValueError
        For a bad entry, an image shape that does not match ``n_features``,
        a kernel larger than its map or a pooling window that does not
        divide it.
    """
    if len(conv_layers) == 0:
        return ()  # image_shape is not used
    shape = _resolve_shape(n_features, image_shape)
    geometry = []
    for k, entry in enumerate(conv_layers):
        filters, kernel, stride, padding, pool = _spec(entry, k)
        oh, (top, bottom) = _output_side(shape[0], kernel[0], stride, padding, k,
                                         "height")
        ow, (left, right) = _output_side(shape[1], kernel[1], stride, padding, k,
                                         "width")
        if oh % pool or ow % pool:
            raise ValueError(
                f"conv_layers[{k}]: pool={pool} does not divide its {oh}x{ow} "
                "output map; change pool, padding or the kernel size."
            )
        g = ConvGeometry(shape, filters, kernel, stride, (top, bottom, left, right),
                         pool, (oh, ow))
        geometry.append(g)
        shape = g.out_shape
    return tuple(geometry)
