"""What the training tests share: a network's parameters, compared bit for bit."""

from __future__ import annotations

import numpy as np


def parameters(net) -> list[np.ndarray]:
    """Copies of every weight and bias, weights first."""
    return [p.copy() for p in net.weights + net.biases]


def assert_same_bits(a, b) -> None:
    """Two lists of arrays hold the same dtypes, shapes and bytes."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert x.dtype == y.dtype and x.shape == y.shape
        assert x.tobytes() == y.tobytes()
