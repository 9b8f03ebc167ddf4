"""Central finite differences for the calculators' gradient tests (imported by them)."""

from collections.abc import Callable

import numpy as np


def central_differences(loss: Callable[[], float], array: np.ndarray, eps: float = 1e-6):
    """dE/d(array) by central differences, nudging ``array`` in place (and restoring it)."""
    grad = np.zeros_like(array, dtype=np.float64)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + eps
        up = loss()
        array[index] = kept - eps
        down = loss()
        array[index] = kept
        grad[index] = (up - down) / (2 * eps)
    return grad
