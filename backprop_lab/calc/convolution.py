"""Convolution: a shared kernel sliding along a signal or an image, forward and backward.

Chapter 1 ("Convolutional networks") runs a 1-D convolution forward (:func:`conv1d_run`) and
writes it as a dense matrix with tied entries (:func:`convolution_matrix`). Chapter 7
("Backpropagation through shared weights") sends the gradient back: :func:`conv1d` and
:func:`conv2d` compute the outputs, :func:`conv1d_backward` and :func:`conv2d_backward` the
gradients of a loss :math:`E` with respect to the input, the kernel and the bias.

The one idea of the backward pass: kernel entry :math:`w_m` is used at every position
:math:`j`, so its gradient is the sum of the gradients of its uses,

.. math:: \\frac{\\partial E}{\\partial w_m} = \\sum_j \\frac{\\partial E}{\\partial z_j}\\,
          \\frac{\\partial z_j}{\\partial w_m} = \\sum_j g_j\\, x_{j+m},

and input :math:`x_i` feeds every output whose window covers it, so
:math:`\\partial E / \\partial x_i = \\sum_m g_{i-m}\\, w_m` (the sum over the valid
:math:`j = i - m`): a correlation of the zero-padded :math:`g` with the flipped kernel.
As in deep-learning libraries, "convolution" here is a cross-correlation (the kernel is not
flipped), with no padding and stride 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_finite_array,
    check_integer,
    check_number,
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


# ------------------------------------------------------------------ chapter 7: 1-D


def _check_kernel_fits(x: np.ndarray, w: np.ndarray) -> None:
    if any(k > n for k, n in zip(w.shape, x.shape)):
        raise ValueError(
            f"kernel must not be larger than x {x.shape}; got a kernel of shape {w.shape}"
        )


def _check_grad_out(grad_out: Any, shape: tuple[int, ...]) -> np.ndarray:
    g = check_finite_array("grad_out", grad_out, np.float64)
    if g.ndim == 0 and shape == (1,):
        g = g[None]
    if g.shape != shape:
        raise ValueError(
            f"grad_out must have the shape of the outputs, {shape} (one dE/dz per output); "
            f"got {g.shape}"
        )
    return g


def _conv1d_inputs(x: Any, kernel: Any) -> tuple[np.ndarray, np.ndarray]:
    x = check_vector("x", x)
    w = check_vector("kernel", kernel)
    _check_kernel_fits(x, w)
    return x, w


def conv1d(x: Any, kernel: Any, bias: float = 0.0) -> np.ndarray:
    """The outputs of a 1-D convolution layer (chapter 7; chapter 1's :math:`z_j`).

    .. math:: z_j = \\sum_{m=0}^{k-1} w_m\\, x_{j+m} + b, \\qquad j = 0, \\dots, n - k.

    Valid cross-correlation with stride 1, as deep-learning libraries compute it (PyTorch's
    ``conv1d`` on one channel). Chapter 1's :func:`conv1d_run` gives the same numbers with an
    activation and the windows kept for display.

    Parameters
    ----------
    x : array_like
        The signal, shape ``(n,)``.
    kernel : array_like
        The shared weights :math:`w_0..w_{k-1}`, shape ``(k,)`` with ``k <= n``.
    bias : float
        :math:`b`, added to every output.

    Returns
    -------
    ndarray
        :math:`z`, shape ``(n - k + 1,)``.

    Examples
    --------
    >>> conv1d([1, 2, 0, -1, 3], [1, -1])
    array([-1.,  2.,  1., -4.])
    """
    x, w = _conv1d_inputs(x, kernel)
    b = check_number("bias", bias)
    windows = np.lib.stride_tricks.sliding_window_view(x, w.size)
    return windows @ w + b


def conv1d_backward(x: Any, kernel: Any, grad_out: Any) -> tuple[np.ndarray, np.ndarray, float]:
    """The gradients of a loss through a 1-D convolution (chapter 7).

    Given :math:`g_j = \\partial E / \\partial z_j` for every output of :func:`conv1d`:

    .. math::

        \\frac{\\partial E}{\\partial w_m} = \\sum_j g_j\\, x_{j+m}, \\qquad
        \\frac{\\partial E}{\\partial x_i} = \\sum_{m} g_{i-m}\\, w_m, \\qquad
        \\frac{\\partial E}{\\partial b} = \\sum_j g_j,

    where the middle sum runs over the kernel entries with :math:`0 \\le i - m \\le n - k`.
    Each shared weight collects one term per position it is used at.

    Parameters
    ----------
    x : array_like
        The signal, shape ``(n,)``.
    kernel : array_like
        Shape ``(k,)``.
    grad_out : array_like
        :math:`g`, shape ``(n - k + 1,)``.

    Returns
    -------
    grad_x : ndarray
        Shape ``(n,)``.
    grad_kernel : ndarray
        Shape ``(k,)``.
    grad_bias : float

    Examples
    --------
    >>> gx, gw, gb = conv1d_backward([1, 2, 0, -1, 3], [1, -1], [1, 0, 0, 2])
    >>> gx.tolist(), gw.tolist(), gb
    ([1.0, -1.0, 0.0, 2.0, -2.0], [-1.0, 8.0], 3.0)
    """
    x, w = _conv1d_inputs(x, kernel)
    n_out = x.size - w.size + 1
    g = _check_grad_out(grad_out, (n_out,))
    grad_x = np.zeros_like(x)
    grad_w = np.zeros_like(w)
    for m in range(w.size):
        # z_j uses w_m on x_{j+m}: dz_j/dw_m = x_{j+m} and dz_j/dx_{j+m} = w_m
        grad_w[m] = g @ x[m : m + n_out]
        grad_x[m : m + n_out] += g * w[m]
    return grad_x, grad_w, float(g.sum())  # dz_j/db = 1


# ------------------------------------------------------------------ chapter 7: 2-D


def _conv2d_inputs(x: Any, kernel: Any) -> tuple[np.ndarray, np.ndarray]:
    x = check_finite_array("x", x, np.float64)
    w = check_finite_array("kernel", kernel, np.float64)
    for name, array in (("x", x), ("kernel", w)):
        if array.ndim != 2 or array.size == 0:
            raise ValueError(
                f"{name} must be a non-empty 2-D array (one channel: rows x columns); "
                f"got shape {array.shape}"
            )
    _check_kernel_fits(x, w)
    return x, w


def conv2d(x: Any, kernel: Any, bias: float = 0.0) -> np.ndarray:
    """The outputs of a 2-D convolution layer on one channel (chapter 7).

    .. math:: z_{ij} = \\sum_{m=0}^{k_r-1} \\sum_{n=0}^{k_c-1} w_{mn}\\, x_{i+m,\\,j+n} + b.

    Valid cross-correlation with stride 1, as deep-learning libraries compute it.

    Parameters
    ----------
    x : array_like
        The image, shape ``(rows, cols)``.
    kernel : array_like
        Shape ``(k_r, k_c)``, no larger than ``x`` in either direction.
    bias : float

    Returns
    -------
    ndarray
        Shape ``(rows - k_r + 1, cols - k_c + 1)``.
    """
    x, w = _conv2d_inputs(x, kernel)
    b = check_number("bias", bias)
    windows = np.lib.stride_tricks.sliding_window_view(x, w.shape)
    return np.einsum("ijmn,mn->ij", windows, w) + b


def conv2d_backward(x: Any, kernel: Any, grad_out: Any) -> tuple[np.ndarray, np.ndarray, float]:
    """The gradients of a loss through a 2-D convolution on one channel (chapter 7).

    With :math:`g_{ij} = \\partial E / \\partial z_{ij}`:

    .. math::

        \\frac{\\partial E}{\\partial w_{mn}} = \\sum_{i,j} g_{ij}\\, x_{i+m,\\,j+n},
        \\qquad
        \\frac{\\partial E}{\\partial x_{pq}} = \\sum_{m,n} g_{p-m,\\,q-n}\\, w_{mn},
        \\qquad
        \\frac{\\partial E}{\\partial b} = \\sum_{i,j} g_{ij}.

    Parameters
    ----------
    x : array_like
        Shape ``(rows, cols)``.
    kernel : array_like
        Shape ``(k_r, k_c)``.
    grad_out : array_like
        :math:`g`, the shape of :func:`conv2d`'s output.

    Returns
    -------
    grad_x : ndarray
        The shape of ``x``.
    grad_kernel : ndarray
        The shape of ``kernel``.
    grad_bias : float
    """
    x, w = _conv2d_inputs(x, kernel)
    rows, cols = x.shape[0] - w.shape[0] + 1, x.shape[1] - w.shape[1] + 1
    g = _check_grad_out(grad_out, (rows, cols))
    grad_x = np.zeros_like(x)
    grad_w = np.zeros_like(w)
    for m in range(w.shape[0]):
        for n in range(w.shape[1]):
            # z_ij uses w_mn on x_{i+m, j+n}: its local derivatives are x_{i+m,j+n} and w_mn
            seen = x[m : m + rows, n : n + cols]
            grad_w[m, n] = np.sum(g * seen)
            grad_x[m : m + rows, n : n + cols] += g * w[m, n]
    return grad_x, grad_w, float(g.sum())
