"""A seeded generator that Python and the browser share (chapters 5 and 6, the playground).

numpy's generators cannot be reproduced in JavaScript, so what a page draws at random
(initial weights, data sets, the order of mini-batches) comes from this small generator,
implemented twice: here, and as ``createRandom`` in the explorers' JavaScript engine
(``backprop_lab/explorers/js/engine.js``). One seed gives the same stream in both.

The stream
----------
*mulberry32*, a 32-bit generator whose state is a counter: the ``k``-th number
(``k = 1, 2, ...``) hashes
:math:`a_k = (\\text{seed} + k \\cdot \\mathtt{0x6D2B79F5}) \\bmod 2^{32}`
with 32-bit integer multiplications and shifts, so numpy computes many at once.

- :meth:`PortableRandom.uint32`: the integers, in :math:`[0, 2^{32})`;
- :meth:`PortableRandom.random`: one integer :math:`u` divided by :math:`2^{32}`, a float in
  :math:`[0, 1)` (exact in float64, so equal in both languages to the last bit);
- :meth:`PortableRandom.uniform`: ``low + (high - low) * random()``;
- :meth:`PortableRandom.normal`: Box-Muller from two consecutive floats
  :math:`u_1, u_2`: :math:`\\sqrt{-2 \\ln(1 - u_1)}\\,\\cos(2\\pi u_2)` (one deviate per two
  floats; the sine partner is not kept). ``log`` and ``cos`` may differ in the last bit
  between libraries, so normal deviates agree to about 1e-15 relative, not bit for bit;
- :meth:`PortableRandom.permutation`: Fisher-Yates from the last position down, position
  ``c - 1`` swapped with ``floor(random() * c)``.

The functions built on it: :func:`initial_parameters` (the package's initialisation rule:
He for ReLU hidden layers, Glorot otherwise, biases zero), :func:`portable_network`, and
:func:`batch_order` (one permutation per epoch, for ``Network.train(batch_order=...)``).
``Network(seed=...)`` keeps drawing from numpy: these are new functions, and no default
number of the book changes.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_choice,
    check_integer,
    check_layer_sizes,
    check_memory,
)
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS
from backprop_lab.nn.network import Network

__all__ = [
    "MAX_SEED",
    "PortableRandom",
    "batch_order",
    "initial_parameters",
    "portable_network",
]

MAX_SEED = 2**32 - 1
"""The largest seed: seeds are 32-bit unsigned integers, as the JavaScript side holds them."""

_MASK = np.uint64(0xFFFFFFFF)
_GOLDEN = np.uint64(0x6D2B79F5)
_TWO_32 = 4294967296.0
_INITS = ("auto", "glorot", "he")


def _check_size(size: Any) -> int | None:
    if size is None:
        return None
    size = check_integer("size", size, minimum=0)
    check_memory(f"size={size:,} numbers", 8 * size, "draw fewer numbers at a time")
    return size


class PortableRandom:
    """mulberry32, seeded: the same numbers as the JavaScript engine's ``createRandom(seed)``.

    Chapter 5 (the playground): what a page draws at random, Python draws here too.

    Parameters
    ----------
    seed : int
        From 0 to :data:`MAX_SEED` (``2**32 - 1``).

    Attributes
    ----------
    seed : int
    count : int
        How many 32-bit integers have been drawn so far (the generator's whole state).

    Examples
    --------
    >>> from backprop_lab.nn.portable_random import PortableRandom
    >>> PortableRandom(0).uint32(3).tolist()
    [1144304738, 1416247, 958946056]
    """

    def __init__(self, seed: int = 0) -> None:
        self.seed = check_integer("seed", seed, minimum=0, maximum=MAX_SEED)
        self.count = 0

    def __repr__(self) -> str:
        return f"PortableRandom(seed={self.seed}, count={self.count})"

    def _draw(self, n: int) -> np.ndarray:
        """The next ``n`` integers as uint64 values below ``2**32``."""
        k = np.arange(self.count + 1, self.count + n + 1, dtype=np.uint64)
        self.count += n
        a = (np.uint64(self.seed) + k * _GOLDEN) & _MASK
        t = ((a ^ (a >> np.uint64(15))) * (a | np.uint64(1))) & _MASK
        t = ((t + (((t ^ (t >> np.uint64(7))) * (t | np.uint64(61))) & _MASK)) & _MASK) ^ t
        return t ^ (t >> np.uint64(14))

    def uint32(self, size: int | None = None) -> Any:
        """The next integer in ``[0, 2**32)``, or an array of the next ``size``."""
        n = _check_size(size)
        values = self._draw(1 if n is None else n)
        return int(values[0]) if n is None else values.astype(np.int64)

    def random(self, size: int | None = None) -> Any:
        """The next float in ``[0, 1)`` (an integer over ``2**32``), or ``size`` of them."""
        n = _check_size(size)
        values = self._draw(1 if n is None else n).astype(np.float64) / _TWO_32
        return float(values[0]) if n is None else values

    def uniform(self, low: float, high: float, size: int | None = None) -> Any:
        """``low + (high - low) * random()``: a float in ``[low, high)``, or ``size`` of them."""
        u = self.random(size)
        return low + (high - low) * u

    def normal(self, size: int | None = None) -> Any:
        """A standard normal deviate by Box-Muller (two floats each), or ``size`` of them."""
        n = _check_size(size)
        u = self.random(2 * (1 if n is None else n))
        z = np.sqrt(-2.0 * np.log(1.0 - u[0::2])) * np.cos(2.0 * math.pi * u[1::2])
        return float(z[0]) if n is None else z

    def permutation(self, n: int) -> np.ndarray:
        """A random order of ``0 .. n-1`` (Fisher-Yates), as int64."""
        n = check_integer("n", n, minimum=0)
        check_memory(f"a permutation of n={n:,}", 16 * n, "use fewer rows")
        order = np.arange(n, dtype=np.int64)
        if n == 0:
            return order
        counters = np.arange(n, 0, -1, dtype=np.float64)
        picks = np.floor(self.random(n) * counters).astype(np.int64)
        for counter, index in zip(range(n - 1, -1, -1), picks.tolist()):
            order[counter], order[index] = order[index], order[counter]
        return order


def _check_seed(seed: Any) -> int:
    return check_integer("seed", seed, minimum=0, maximum=MAX_SEED)


def initial_parameters(
    layer_sizes: Sequence[int],
    activation: str = "sigmoid",
    seed: int = 0,
    init: str = "auto",
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Initial weights and biases drawn from :class:`PortableRandom` (chapter 5, playground).

    The package's rule (as :class:`~backprop_lab.Network`): ``init="auto"`` is He for a ReLU
    hidden activation, Glorot otherwise; Glorot draws
    ``uniform(-limit, limit)`` with ``limit = sqrt(6 / (n_in + n_out))``, He draws
    ``sqrt(2 / n_in) * normal()``; biases are zero. The draws go layer by layer, each
    ``weights[l]`` (shape ``(n_in, n_out)``) row by row, from one generator seeded with
    ``seed``, exactly as the JavaScript engine's ``initialParameters`` draws them.

    Parameters
    ----------
    layer_sizes : list of int
        Neurons per layer, inputs first.
    activation : str
        The hidden activation, which ``init="auto"`` reads.
    seed : int
        From 0 to ``2**32 - 1``.
    init : str
        ``"auto"``, ``"glorot"`` or ``"he"``.

    Returns
    -------
    (list of ndarray, list of ndarray)
        ``weights`` and ``biases``, float64, laid out as ``Network.weights`` and
        ``Network.biases``.

    Raises
    ------
    TypeError, ValueError
        If an argument is not one of the values described, naming it.
    """
    sizes = check_layer_sizes("layer_sizes", layer_sizes)
    check_choice("activation", activation, HIDDEN_ACTIVATIONS)
    seed = _check_seed(seed)
    check_choice("init", init, _INITS)
    n_parameters = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    check_memory(
        f"initial_parameters(layer_sizes={sizes}) has {n_parameters:,} parameters, which",
        3 * 8 * n_parameters,
        "use fewer or smaller layers",
    )
    if init == "auto":
        init = "he" if activation == "relu" else "glorot"
    rng = PortableRandom(seed)
    weights = []
    for n_in, n_out in itertools.pairwise(sizes):
        if init == "he":
            w = math.sqrt(2.0 / n_in) * rng.normal(n_in * n_out)
        else:
            limit = math.sqrt(6.0 / (n_in + n_out))
            w = rng.uniform(-limit, limit, n_in * n_out)
        weights.append(w.reshape(n_in, n_out))
    biases = [np.zeros(n) for n in sizes[1:]]
    return weights, biases


def portable_network(
    layer_sizes: Sequence[int],
    activation: str = "sigmoid",
    output_activation: str = "sigmoid",
    loss: str = "squared_error",
    seed: int = 0,
    init: str = "auto",
) -> Network:
    """A float64 :class:`~backprop_lab.Network` with :func:`initial_parameters` (chapter 5).

    The network a page builds for the same settings and seed, so the package reproduces
    any state of the playground. (``Network(layer_sizes, seed=...)`` draws from numpy and
    gives other numbers.)

    Raises
    ------
    TypeError, ValueError
        As :func:`initial_parameters` and :meth:`Network.from_weights`.
    """
    weights, biases = initial_parameters(layer_sizes, activation, seed, init)
    return Network.from_weights(
        weights, biases, activation=activation, output_activation=output_activation, loss=loss
    )


def batch_order(n_samples: int, epochs: int, seed: int = 0) -> list[np.ndarray]:
    """``epochs`` permutations of ``0 .. n_samples-1`` from one generator (chapter 6).

    For ``Network.train(..., batch_order=batch_order(n, epochs, seed))``: the mini-batch
    order a page draws with the same ``seed`` (the engine's ``batchOrder``).

    Raises
    ------
    TypeError, ValueError
        If ``n_samples`` or ``epochs`` is not a positive integer, ``seed`` not an integer
        from 0 to ``2**32 - 1``, or the permutations would not fit in memory.
    """
    n_samples = check_integer("n_samples", n_samples, minimum=1)
    epochs = check_integer("epochs", epochs, minimum=1)
    seed = _check_seed(seed)
    check_memory(
        f"batch_order(n_samples={n_samples:,}, epochs={epochs:,})",
        8 * n_samples * epochs,
        "ask for fewer epochs: train(batch_order=...) cycles through the permutations",
    )
    rng = PortableRandom(seed)
    return [rng.permutation(n_samples) for _ in range(epochs)]
