"""Universal approximation by hand: a hidden layer of steep sigmoids arranged into a sum of
bumps (chapter 1, "Universal approximation")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_finite_array,
    check_integer,
    check_positive_number,
    check_vector,
)
from backprop_lab.nn.network import Network, check_network


def bump_network(
    function: Callable[[np.ndarray], np.ndarray],
    n_bumps: int,
    low: float = -1.0,
    high: float = 1.0,
    steepness: float | None = None,
) -> Network:
    """Build by hand a one-hidden-layer network that approximates ``function`` with bumps.

    (Chapter 1, "Universal approximation".) Split :math:`[\\text{low}, \\text{high}]` into
    ``n_bumps`` pieces :math:`[t_i, t_{i+1}]`. Two sigmoid neurons with the same steep
    weight :math:`k` and biases :math:`-k t_i`, :math:`-k t_{i+1}` switch on at
    :math:`t_i` and :math:`t_{i+1}`; their difference is a bump that is 1 on the piece and
    0 elsewhere. The output neuron (identity activation) adds the bumps with heights
    :math:`h_i = f((t_i + t_{i+1})/2)`:

    .. math:: \\hat f(x) = \\sum_i h_i\\,[\\sigma(k(x - t_i)) - \\sigma(k(x - t_{i+1}))].

    More bumps, a closer fit: the idea behind the universal approximation theorem.

    Parameters
    ----------
    function : callable
        Vectorised :math:`f`.
    n_bumps : int
        At least 1; the hidden layer has ``2 * n_bumps`` neurons.
    low, high : float
        The interval, ``low < high``.
    steepness : float, optional
        :math:`k`; default ``20 * n_bumps / (high - low)`` (each switch takes about a
        tenth of a piece).

    Returns
    -------
    Network
        Layers ``[1, 2 * n_bumps, 1]``, sigmoid hidden, identity output, squared error.
    """
    if not callable(function):
        raise TypeError(f"function must be callable; got {type(function).__name__}")
    n = check_integer("n_bumps", n_bumps, minimum=1, maximum=1000)
    low = float(check_finite_array("low", low, np.float64))
    high = float(check_finite_array("high", high, np.float64))
    if not low < high:
        raise ValueError(f"high must be greater than low ({low}); got {high}")
    k = (
        20.0 * n / (high - low)
        if steepness is None
        else check_positive_number("steepness", steepness)
    )
    edges = np.linspace(low, high, n + 1)
    heights = np.asarray(function(0.5 * (edges[:-1] + edges[1:])), dtype=np.float64).reshape(-1)
    edges[0] -= 4.0 / k
    edges[-1] += 4.0 / k
    if heights.shape != (n,) or not np.all(np.isfinite(heights)):
        raise ValueError(
            f"function must return {n} finite numbers for {n} points; got shape {heights.shape}"
        )
    w1 = np.full((1, 2 * n), k)
    b1 = np.empty(2 * n)
    b1[0::2] = -k * edges[:-1]
    b1[1::2] = -k * edges[1:]
    w2 = np.empty((2 * n, 1))
    w2[0::2, 0] = heights
    w2[1::2, 0] = -heights
    return Network.from_weights(
        [w1, w2],
        [b1, np.zeros(1)],
        activation="sigmoid",
        output_activation="identity",
        loss="squared_error",
    )


def bump_contributions(net: Network, x: Any) -> np.ndarray:
    """Each bump's share of the output of a :func:`bump_network` (chapter 1).

    Bump :math:`i` is hidden neurons :math:`2i` and :math:`2i+1` times their output
    weights; the rows sum (with the output bias) to ``net.forward(x)``.

    Parameters
    ----------
    net : Network
        Layers ``[1, 2m, 1]``.
    x : array_like
        Shape ``(n,)``.

    Returns
    -------
    ndarray
        Shape ``(m, n)``.
    """
    check_network("net", net)
    sizes = net.layer_sizes
    if len(sizes) != 3 or sizes[0] != 1 or sizes[2] != 1 or sizes[1] % 2:
        raise ValueError(f"net must have layers [1, 2m, 1] (pairs of neurons); got {sizes}")
    xs = check_vector("x", x)
    hidden = net.forward_trace(xs[:, None]).a(1)
    shares = hidden * net.weights[1][:, 0]
    return (shares[:, 0::2] + shares[:, 1::2]).T
