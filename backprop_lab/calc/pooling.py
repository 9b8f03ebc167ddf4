"""Max pooling, forward and backward (chapter 7, "Max pooling").

A max-pooling layer keeps the largest value of each window,
:math:`p_j = \\max_{m < s} x_{j r + m}` for window size :math:`s` and stride :math:`r`. It has
no weights; its backward pass is chapter 3's max node: the local derivative is 1 for the input
that won and 0 for the others, so the gradient of each output goes to its window's maximum
and nowhere else. An input that wins several overlapping windows collects the sum of their
gradients.

Ties: when a window holds its maximum more than once, the **first** (lowest index) copy wins
and receives the whole gradient, as PyTorch's ``max_pool1d`` and ``numpy.argmax`` choose.
The maximum is not differentiable at a tie; any split of the gradient among the tied inputs
is a valid subgradient, and the first is the usual convention.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_finite_array, check_integer, check_vector

__all__ = ["max_pool1d", "max_pool1d_backward", "max_pool1d_winners"]


def _windows(x: Any, size: Any, stride: Any) -> tuple[np.ndarray, int, int]:
    x = check_vector("x", x)
    size = check_integer("size", size, minimum=1, maximum=x.size)
    stride = size if stride is None else check_integer("stride", stride, minimum=1)
    return x, size, stride


def max_pool1d_winners(x: Any, size: int, stride: int | None = None) -> np.ndarray:
    """The index into ``x`` of each window's maximum (chapter 7; ties: the first).

    Parameters
    ----------
    x : array_like
        Shape ``(n,)``.
    size : int
        The window length :math:`s`, ``1 <= size <= n``.
    stride : int, optional
        How far consecutive windows start apart; default ``size`` (windows side by side).

    Returns
    -------
    ndarray of int
        Shape ``((n - size) // stride + 1,)``; windows that would run past the end are
        dropped, as in deep-learning libraries.
    """
    x, size, stride = _windows(x, size, stride)
    starts = np.arange(0, x.size - size + 1, stride)
    windows = np.lib.stride_tricks.sliding_window_view(x, size)[starts]
    return starts + np.argmax(windows, axis=1)  # argmax returns the first maximum


def max_pool1d(x: Any, size: int, stride: int | None = None) -> np.ndarray:
    """Max pooling over 1-D windows (chapter 7): :math:`p_j = \\max_{m<s} x_{jr+m}`.

    Parameters
    ----------
    x : array_like
        Shape ``(n,)``.
    size : int
        Window length :math:`s`.
    stride : int, optional
        :math:`r`, default ``size``.

    Returns
    -------
    ndarray
        Shape ``((n - size) // stride + 1,)``.

    Examples
    --------
    >>> max_pool1d([1, 3, 2, 2, 5, 0], 2)
    array([3., 2., 5.])
    """
    x = check_vector("x", x)
    return x[max_pool1d_winners(x, size, stride)]


def max_pool1d_backward(x: Any, size: int, grad_out: Any, stride: int | None = None) -> np.ndarray:
    """The gradient of a loss with respect to max pooling's input (chapter 7).

    .. math::

        \\frac{\\partial E}{\\partial x_i} = \\sum_j \\frac{\\partial E}{\\partial p_j}\\,
        [\\,i \\text{ is the winner of window } j\\,],

    the max node of chapter 3: each window's gradient goes to its maximum (the first one at a
    tie, see the module notes), and every other input gets 0.

    Parameters
    ----------
    x : array_like
        The forward pass's input, shape ``(n,)``.
    size : int
        Window length.
    grad_out : array_like
        :math:`\\partial E / \\partial p`, the shape of :func:`max_pool1d`'s output.
    stride : int, optional
        Default ``size``.

    Returns
    -------
    ndarray
        Shape ``(n,)``.

    Examples
    --------
    >>> max_pool1d_backward([1, 3, 2, 2, 5, 0], 2, [10, 20, 30]).tolist()
    [0.0, 10.0, 20.0, 0.0, 30.0, 0.0]
    """
    x = check_vector("x", x)
    winners = max_pool1d_winners(x, size, stride)
    g = check_finite_array("grad_out", grad_out, np.float64)
    if g.ndim == 0 and winners.size == 1:
        g = g[None]
    if g.shape != winners.shape:
        raise ValueError(
            f"grad_out must have the shape of the pooled outputs, {winners.shape}; got {g.shape}"
        )
    grad_x = np.zeros_like(x)
    np.add.at(grad_x, winners, g)  # overlapping windows may share a winner: add
    return grad_x
