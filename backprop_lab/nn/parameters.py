"""Names of a network's parameters in the book's notation (chapter 3).

``"W1[i,j]"`` is ``net.weights[0][i, j]``, the weight from neuron ``i`` of layer 0 (the
inputs) to neuron ``j`` of layer 1; ``"b2[j]"`` is ``net.biases[1][j]``. Layers count from 1
as in the mathematics, indices from 0 as in numpy.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from backprop_lab.checks.arguments import check_layer_sizes, check_memory

__all__ = ["ParameterRef", "parameter_names", "parse_parameter"]

_PATTERN = re.compile(
    r"^\s*(?P<kind>[Wb])\s*(?P<layer>\d+)\s*\[\s*(?P<i>\d+)\s*(?:,\s*(?P<j>\d+)\s*)?\]\s*$"
)


@dataclass(frozen=True)
class ParameterRef:
    """One weight or bias of a network.

    Attributes
    ----------
    kind : {"W", "b"}
        Weight or bias.
    layer : int
        The layer the parameter feeds, counted from 1 (``W1`` feeds layer 1).
    index : tuple of int
        ``(i, j)`` for a weight, ``(j,)`` for a bias.
    """

    kind: str
    layer: int
    index: tuple[int, ...]

    @property
    def name(self) -> str:
        """The canonical name, e.g. ``"W2[0,1]"``."""
        return f"{self.kind}{self.layer}[{','.join(map(str, self.index))}]"

    @property
    def is_weight(self) -> bool:
        return self.kind == "W"

    @property
    def to_unit(self) -> int:
        """The index ``j`` of the neuron in layer ``layer`` this parameter feeds."""
        return self.index[-1]

    @property
    def latex(self) -> str:
        """LaTeX symbol, e.g. ``w^{(2)}_{0,1}`` or ``b^{(2)}_{1}``."""
        sub = ",".join(map(str, self.index))
        return f"{self.kind.lower()}^{{({self.layer})}}_{{{sub}}}"


def parameter_names(layer_sizes: list[int] | tuple[int, ...]) -> list[str]:
    """Every parameter name of a network with these layer sizes, weights then biases per layer.

    Raises
    ------
    TypeError
        If ``layer_sizes`` is not a list of integers.
    ValueError
        If it has fewer than two entries, one that is not a positive integer, or so many
        parameters that their names would not fit in memory.
    """
    layer_sizes = check_layer_sizes("layer_sizes", layer_sizes)
    n_names = sum((n_in + 1) * n_out for n_in, n_out in itertools.pairwise(layer_sizes))
    # a name such as 'W12[1023,511]' is a Python string of about 60 bytes, plus the list slot
    check_memory(
        f"parameter_names(layer_sizes={layer_sizes}) lists {n_names:,} names, which",
        70 * n_names,
        "ask for one name at a time with parse_parameter",
    )
    names = []
    for layer, (n_in, n_out) in enumerate(itertools.pairwise(layer_sizes), start=1):
        names += [f"W{layer}[{i},{j}]" for i in range(n_in) for j in range(n_out)]
        names += [f"b{layer}[{j}]" for j in range(n_out)]
    return names


def parse_parameter(name: object, layer_sizes: list[int] | tuple[int, ...]) -> ParameterRef:
    """Parse a parameter name and check that it exists in a network of ``layer_sizes``.

    Raises
    ------
    TypeError
        If ``name`` is not a string, or ``layer_sizes`` not a list of integers.
    ValueError
        If it is not of the form ``"W<l>[i,j]"`` or ``"b<l>[j]"``, or names a layer or
        neuron the network does not have.
    """
    layer_sizes = check_layer_sizes("layer_sizes", layer_sizes)
    if not isinstance(name, str):
        raise TypeError(
            f"param must be a string such as 'W1[0,0]' or 'b2[1]'; got {name!r} "
            f"({type(name).__name__})"
        )
    match = _PATTERN.match(name)
    if match is None or (match["kind"] == "W") != (match["j"] is not None):
        raise ValueError(
            "param must look like 'W<layer>[i,j]' for a weight or 'b<layer>[j]' for a bias, "
            f"e.g. 'W1[0,0]' or 'b2[1]'; got {name!r}"
        )
    n_layers = len(layer_sizes) - 1
    layer = int(match["layer"])
    if not 1 <= layer <= n_layers:
        raise ValueError(
            f"param {name!r} names layer {layer}, but this network's weight layers are "
            f"1 to {n_layers} (layers count from 1)"
        )
    n_in, n_out = layer_sizes[layer - 1], layer_sizes[layer]
    if match["kind"] == "W":
        i, j = int(match["i"]), int(match["j"])
        if i >= n_in or j >= n_out:
            raise ValueError(
                f"param {name!r} does not exist: W{layer} has shape ({n_in}, {n_out}), "
                f"so i runs from 0 to {n_in - 1} and j from 0 to {n_out - 1}"
            )
        return ParameterRef("W", layer, (i, j))
    j = int(match["i"])
    if j >= n_out:
        raise ValueError(
            f"param {name!r} does not exist: b{layer} has {n_out} entries, indices 0 to {n_out - 1}"
        )
    return ParameterRef("b", layer, (j,))
