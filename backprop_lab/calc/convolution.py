"""A 1-D convolution: a shared kernel sliding along a signal, and the same layer as a dense
matrix with tied entries (chapter 1, "Convolutional networks")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_finite_array,
    check_integer,
    check_vector,
)
from backprop_lab.nn.activations import get_activation


@dataclass(frozen=True, eq=False)
class ConvolutionRun:
    """A 1-D convolution layer applied to a signal (chapter 1, "Convolutional networks").

    Attributes
    ----------
    signal : ndarray
        The input, shape ``(n,)``.
    kernel : ndarray
        The shared weights, shape ``(k,)``.
    bias : float
    net_inputs : ndarray
        :math:`z_j = \\sum_m w_m x_{j+m} + b`, shape ``(n - k + 1,)``.
    outputs : ndarray
        :math:`f(z_j)`.
    activation : str
    """

    signal: np.ndarray
    kernel: np.ndarray
    bias: float
    net_inputs: np.ndarray
    outputs: np.ndarray
    activation: str

    def window(self, j: int) -> np.ndarray:
        """The inputs output ``j`` sees: ``signal[j : j + k]``."""
        j = check_integer("j", j, minimum=0)
        if j >= self.outputs.size:
            raise ValueError(f"j must be below the number of outputs {self.outputs.size}; got {j}")
        return self.signal[j : j + self.kernel.size]


def conv1d_run(
    signal: Any, kernel: Any, bias: float = 0.0, activation: str = "identity"
) -> ConvolutionRun:
    """Slide one shared kernel along a signal (chapter 1, "Convolutional networks").

    Output :math:`j` looks only at the window :math:`x_j..x_{j+k-1}` and uses the same
    :math:`k` weights as every other output:

    .. math:: z_j = \\sum_{m=0}^{k-1} w_m\\, x_{j+m} + b, \\qquad a_j = f(z_j).

    (Deep-learning libraries call this a convolution; mathematically it is a
    cross-correlation: the kernel is not flipped.) No padding, stride 1.

    Parameters
    ----------
    signal : array_like
        Shape ``(n,)``.
    kernel : array_like
        Shape ``(k,)`` with ``1 <= k <= n``.
    bias : float
    activation : str
        Default ``"identity"``.

    Returns
    -------
    ConvolutionRun
    """
    x = check_vector("signal", signal)
    w = check_vector("kernel", kernel)
    if w.size > x.size:
        raise ValueError(
            f"kernel must not be longer than the signal ({x.size}); got length {w.size}"
        )
    b = float(check_finite_array("bias", bias, np.float64))
    act = get_activation(activation)
    windows = np.lib.stride_tricks.sliding_window_view(x, w.size)
    z = windows @ w + b
    return ConvolutionRun(x, w, b, z, act(z), act.name)


def convolution_matrix(kernel: Any, n_inputs: int) -> np.ndarray:
    """The dense weight matrix of a 1-D convolution layer (chapter 1).

    A convolution is a feed-forward layer whose weight matrix :math:`W` (shape
    ``(n_inputs, n_inputs - k + 1)``, as in :math:`z = xW + b`) is mostly zeros and repeats
    the same :math:`k` weights down its diagonals: ``W[j + m, j] = kernel[m]``.

    Parameters
    ----------
    kernel : array_like
        Shape ``(k,)``.
    n_inputs : int
        Length of the signal, at least ``k``.
    """
    w = check_vector("kernel", kernel)
    n = check_integer("n_inputs", n_inputs, minimum=w.size)
    n_out = n - w.size + 1
    matrix = np.zeros((n, n_out))
    for j in range(n_out):
        matrix[j : j + w.size, j] = w
    return matrix
