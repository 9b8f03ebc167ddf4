"""A network drawn as neurons and weighted edges, with its numbers (chapters 1 to 3).

:func:`draw_network` puts every neuron of a small network on one picture, layer by layer,
with edges whose colour shows the sign of each weight and whose width shows its size.
It can write on the picture the whole forward pass for one sample (net inputs
:math:`z^{(l)}_j`, activations :math:`a^{(l)}_j`), the targets, and, after a backward pass,
every delta :math:`\\delta^{(l)}_j = \\partial E/\\partial z^{(l)}_j` and gradient
:math:`\\partial E/\\partial w`; and it can highlight the chain-rule path of one parameter:
its edge and every path from the neuron it feeds to the outputs.

Each kind of label takes ``True`` (every layer), ``False`` or a collection of layer numbers
(layers count from 1; the inputs are layer 0), which is how the steppers of
the steppers of :mod:`backprop_lab.explorers` make the numbers appear one layer at a time.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.text import Text

from backprop_lab.calc.chain_rule import chain_rule_path
from backprop_lab.checks.arguments import (
    check_bool,
    check_finite_array,
    check_integer,
    check_number,
    check_optional_text,
)
from backprop_lab.nn.network import check_network
from backprop_lab.nn.parameters import parse_parameter

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from backprop_lab.nn.network import Network

__all__ = ["NEGATIVE_COLOR", "POSITIVE_COLOR", "NetworkDiagram", "chain_rule_path", "draw_network"]

POSITIVE_COLOR = "#2166ac"
NEGATIVE_COLOR = "#b2182b"
HIGHLIGHT_COLOR = "#f4a582"
_DELTA_COLOR = "#762a83"
_GAP_X = 2.1
_FONTSIZE = 8.5  # points, at the natural scale of _INCH inches per unit
_INCH = 1.45
_GRAD_COLOR = "#1b7837"
_LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}

Layers = bool | Collection[int]
_MATH_COMMAND = re.compile(r"\\[a-zA-Z]+")


@dataclass
class NetworkDiagram:
    """What :func:`draw_network` drew, so tests and widgets can read or restyle it.

    Attributes
    ----------
    ax : Axes
    neurons : dict
        ``(layer, j)`` -> the :class:`~matplotlib.patches.Circle` of neuron ``j`` of
        ``layer`` (layer 0 holds the inputs).
    edges : dict
        Weight name (``"W1[0,1]"``) -> its :class:`~matplotlib.lines.Line2D`.
    labels : dict
        Label key -> :class:`~matplotlib.text.Text`. Keys: ``"W1[0,1]"`` (weight label,
        also holding its gradient when shown), ``"neuron 1,0"`` (the numbers above a
        neuron), ``"below 1,0"`` (bias, delta and bias gradient), ``"x[0]"``, ``"y[0]"``,
        ``"layer 1"`` (the column title) and ``"loss"``.
    highlighted : list of str
        Names of the highlighted edges (the chain-rule path), empty if none.
    positions : dict
        ``(layer, j)`` -> ``(x, y)`` centre of each neuron in data coordinates.
    """

    ax: Axes
    neurons: dict[tuple[int, int], Circle] = field(default_factory=dict)
    edges: dict[str, Line2D] = field(default_factory=dict)
    labels: dict[str, Text] = field(default_factory=dict)
    highlighted: list[str] = field(default_factory=list)
    positions: dict[tuple[int, int], tuple[float, float]] = field(default_factory=dict)

    @property
    def figure(self) -> Any:
        return self.ax.figure

    def __repr__(self) -> str:
        return (
            f"NetworkDiagram({len(self.neurons)} neurons, {len(self.edges)} edges, "
            f"{len(self.labels)} labels, highlighted={self.highlighted})"
        )


def _layers(value: Layers, valid: range, argument: str) -> set[int]:
    """Turn ``True``/``False``/a collection of layer numbers into a set of layers."""
    if isinstance(value, bool | np.bool_):
        return set(valid) if value else set()
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(
            f"{argument} must be True, False or a collection of layer numbers "
            f"({valid.start} to {valid.stop - 1}); got {value!r}"
        )
    layers = set()
    for layer in value:
        if isinstance(layer, bool) or not isinstance(layer, int | np.integer) or layer not in valid:
            raise ValueError(
                f"{argument} must hold layer numbers from {valid.start} to {valid.stop - 1}; "
                f"got {layer!r}"
            )
        layers.add(int(layer))
    return layers


def _neurons(value: Any, sizes: list[int]) -> set[tuple[int, int]]:
    """``deltas=``: True/False, layer numbers, or ``(layer, j)`` pairs -> set of neurons."""
    if isinstance(value, bool | np.bool_):
        value = range(1, len(sizes)) if value else ()
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(
            "deltas must be True, False or a collection of layer numbers or (layer, j) pairs; "
            f"got {value!r}"
        )
    neurons = set()
    for item in value:
        if isinstance(item, tuple) and len(item) == 2:
            layer, j = item
            whole = all(isinstance(v, int | np.integer) and not isinstance(v, bool) for v in item)
            if not whole or not (1 <= layer < len(sizes) and 0 <= j < sizes[layer]):
                raise ValueError(f"deltas names neuron {item!r}, which this network lacks")
            neurons.add((int(layer), int(j)))
        else:
            (layer,) = _layers([item], range(1, len(sizes)), "deltas")
            neurons.update((layer, j) for j in range(sizes[layer]))
    return neurons


def _parameters(value: Any, sizes: list[int]) -> set[str]:
    """``gradients=``: True/False, layer numbers or parameter names -> set of names."""
    if isinstance(value, bool | np.bool_):
        value = range(1, len(sizes)) if value else ()
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(
            "gradients must be True, False or a collection of layer numbers or parameter "
            f"names; got {value!r}"
        )
    names = set()
    for item in value:
        if isinstance(item, str):
            names.add(parse_parameter(item, sizes).name)
            continue
        (layer,) = _layers([item], range(1, len(sizes)), "gradients")
        names.update(
            f"W{layer}[{i},{j}]" for i in range(sizes[layer - 1]) for j in range(sizes[layer])
        )
        names.update(f"b{layer}[{j}]" for j in range(sizes[layer]))
    return names


def _fmt(value: float, digits: int) -> str:
    return f"{float(value):.{digits}g}"


def draw_network(
    net: Network,
    x: Any = None,
    y: Any = None,
    *,
    ax: Axes | None = None,
    weights: Layers = True,
    biases: Layers = False,
    net_inputs: Layers = False,
    activations: Layers = False,
    deltas: Layers = False,
    gradients: Layers = False,
    loss: bool = False,
    highlight: str | None = None,
    digits: int = 4,
    fontsize: float | None = None,
    title: str | None = None,
) -> NetworkDiagram:
    """Draw ``net`` as circles and edges, optionally with its forward and backward pass.

    Chapter 1 (what a network is), chapter 2 (the worked forward pass) and chapter 3 (the
    deltas and the chain-rule path of one weight) all use this picture.

    Parameters
    ----------
    net : Network
    x, y : array_like, optional
        One input sample ``(n_inputs,)`` and, for the backward pass and the loss, its
        target ``(n_outputs,)``. Needed for any numbers other than weights and biases.
    ax : Axes, optional
        Where to draw; without it a new pyplot figure sized to the network is made (a
        notebook shows it at the end of the cell).
    weights, biases : bool or collection of int
        Write each weight on its edge / each bias under its neuron, for these layers (1..L).
    net_inputs, activations : bool or collection of int
        Write :math:`z^{(l)}_j` and :math:`a^{(l)}_j` above each neuron of these layers
        (activations may include layer 0, the inputs).
    deltas : bool, or collection of layer numbers or ``(layer, j)`` pairs
        Write :math:`\\delta^{(l)}_j` under these neurons (all of a layer for a number).
    gradients : bool, or collection of layer numbers or parameter names
        Write :math:`\\partial E/\\partial w` on these edges and
        :math:`\\partial E/\\partial b` under the neurons (all of a layer for a number).
    loss : bool
        Write the loss :math:`E` next to the outputs (needs ``y``).
    highlight : str, optional
        A parameter name such as ``"W1[0,0]"``: highlight its chain-rule path.
    digits : int
        Significant digits of the numbers.
    fontsize : float, optional
        Size of the numbers in points; by default 8.5 at the picture's natural size
        (about 1.45 inches between neurons), scaled down with smaller axes (not below 7).
    title : str, optional

    Returns
    -------
    NetworkDiagram

    Raises
    ------
    TypeError
        If ``net`` is not a Network or an argument has the wrong type.
    ValueError
        If ``x``/``y`` do not fit the network or are missing for the numbers asked for,
        a layer or parameter does not exist, ``digits`` is outside 1 to 17 or
        ``fontsize`` outside 1 to 72 points.
    """
    check_network("net", net)
    digits = check_integer("digits", digits, minimum=1, maximum=17)
    if fontsize is not None:
        fontsize = check_number("fontsize", fontsize, minimum=1.0, maximum=72.0)
    check_optional_text("title", title)
    check_optional_text("highlight", highlight)
    loss = check_bool("loss", loss)
    sizes = net.layer_sizes
    n_layers = net.n_layers
    weight_layers = range(1, n_layers + 1)
    show_w = _layers(weights, weight_layers, "weights")
    show_b = _layers(biases, weight_layers, "biases")
    show_z = _layers(net_inputs, weight_layers, "net_inputs")
    show_a = _layers(activations, range(0, n_layers + 1), "activations")
    show_d = _neurons(deltas, sizes)
    show_g = _parameters(gradients, sizes)
    needs_x = bool(show_z or show_a or show_d or show_g or loss)
    needs_y = bool(show_d or show_g or loss)
    trace = backward = None
    if needs_x and x is None:
        raise ValueError("x must be given (one input sample) to label values on the diagram")
    if needs_y and y is None:
        raise ValueError("y must be given (the target) to label deltas, gradients or the loss")
    if x is not None:
        x = check_finite_array("x", x, np.float64)
        if x.shape != (sizes[0],):
            raise ValueError(f"x must be one sample of shape ({sizes[0]},); got shape {x.shape}")
        if y is not None:
            backward = net.backward_trace(x, y)
            trace = backward.forward
        else:
            trace = net.forward_trace(x)
    path_edges, path_neurons = ([], set())
    if highlight is not None:
        path_edges, path_neurons = chain_rule_path(sizes, highlight)

    # layout: columns _GAP_X apart; neurons spread over at most 3 units vertically
    biggest = max(sizes)
    spacing = 1.2 if biggest <= 3 else min(1.2, 3.0 / (biggest - 1))
    radius = min(0.2, 0.3 * spacing)
    positions = {}
    for layer, n in enumerate(sizes):
        for j in range(n):
            positions[(layer, j)] = (_GAP_X * layer, ((n - 1) / 2 - j) * spacing)
    top = (biggest - 1) / 2 * spacing
    line_height = 0.16 * (fontsize or _FONTSIZE) / _FONTSIZE
    lines_above = lines_below = 0
    if trace is not None:
        lines_above = bool(show_z) + bool(show_a)
    if backward is not None:
        lines_below = bool(show_d) + bool(show_g)
    lines_below += bool(show_b)
    y_top = top + radius + line_height * lines_above + 0.5
    y_bottom = -top - radius - line_height * lines_below - 0.25
    x_left = -0.75 if x is None or 0 in show_a else -1.0
    x_right = _GAP_X * n_layers + (1.2 if backward is not None else 0.85)
    if ax is None:
        inch = _INCH if biggest <= 3 else 1.2
        title_room = 0.35 if title else 0.0
        import matplotlib.pyplot as plt

        fig = plt.figure(
            figsize=(inch * (x_right - x_left), inch * (y_top - y_bottom) + title_room), dpi=100
        )
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0 - title_room / fig.get_figheight()))
    else:
        box = ax.get_position()
        width_in, height_in = ax.figure.get_size_inches()
        inch = min(
            box.width * width_in / (x_right - x_left), box.height * height_in / (y_top - y_bottom)
        )
    diagram = NetworkDiagram(ax=ax, positions=positions)
    if fontsize is None:  # scale the text with the picture, within readable bounds
        fontsize = float(np.clip(_FONTSIZE * inch / _INCH, 7.0, _FONTSIZE))
    layout = _Layout(inch=inch, fontsize=fontsize)
    _draw_neurons(
        diagram,
        net,
        trace,
        backward,
        (show_z, show_a, show_b, show_d, show_g),
        path_neurons,
        radius,
        digits,
        layout,
    )
    _draw_edges(diagram, net, backward, show_w, show_g, path_edges, highlight, digits, layout)

    # inputs on the left (unless written above the input neurons), targets on the right
    if x is not None and 0 not in show_a:
        for i in range(sizes[0]):
            cx, cy = positions[(0, i)]
            diagram.labels[f"x[{i}]"] = ax.text(
                cx - radius * 1.3,
                cy,
                f"{_fmt(x[i], digits)} →",
                ha="right",
                va="center",
                fontsize=fontsize,
            )
    if backward is not None:
        for k in range(sizes[-1]):
            cx, cy = positions[(n_layers, k)]
            diagram.labels[f"y[{k}]"] = ax.text(
                cx + radius * 1.3,
                cy,
                f"→ $y_{{{k}}}$={_fmt(backward.targets[0, k], digits)}",
                ha="left",
                va="center",
                fontsize=fontsize,
            )
    if loss and backward is not None:
        outputs = [positions[(n_layers, k)] for k in range(sizes[-1])]
        cx = outputs[0][0] + radius * 1.3
        cy = float(np.mean([p[1] for p in outputs])) if len(outputs) > 1 else -radius * 0.95
        diagram.labels["loss"] = ax.text(
            cx,
            cy,
            f"$E$={_fmt(backward.loss, digits)}",
            ha="left",
            va="center",
            fontsize=fontsize + 0.5,
            color=_GRAD_COLOR,
            fontweight="bold",
        )

    kinds = _layer_kinds(n_layers)
    for layer in range(n_layers + 1):
        diagram.labels[f"layer {layer}"] = ax.text(
            _GAP_X * layer,
            y_top - 0.08,
            kinds[layer] + " layer" + ("" if layer == 0 else f" ({layer})"),
            ha="center",
            va="top",
            fontsize=fontsize + 0.5,
            fontweight="bold",
        )
    ax.set_xlim(x_left, x_right)
    ax.set_ylim(y_bottom, y_top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=fontsize + 2)
    return diagram


_EDGE_LABEL_PLACES = (0.36, 0.3, 0.44, 0.24, 0.52, 0.6, 0.2, 0.68)


@dataclass
class _Layout:
    """Estimated boxes of what is already drawn, to place edge labels where they fit."""

    inch: float  # inches per data unit
    fontsize: float
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)

    def box(
        self, text: str, where: tuple[float, float], ha: str, va: str, fontsize: float
    ) -> tuple[float, float, float, float]:
        lines = text.split("\n")
        visible = max(len(_MATH_COMMAND.sub("x", line).replace("$", "")) for line in lines)
        width = (0.58 * visible + 0.8) * fontsize / 72 / self.inch
        height = (1.25 * len(lines) + 0.4) * fontsize / 72 / self.inch
        x, y = where
        x0 = {"left": x, "center": x - width / 2, "right": x - width}[ha]
        y0 = {"bottom": y, "center": y - height / 2, "top": y - height}[va]
        return (x0, x0 + width, y0, y0 + height)

    def overlap(self, new: tuple[float, float, float, float]) -> float:
        """Total area (with a small gap around) that ``new`` shares with recorded boxes."""
        gap = 0.05
        total = 0.0
        for old in self.boxes:
            dx = min(new[1], old[1]) - max(new[0], old[0]) + gap
            dy = min(new[3], old[3]) - max(new[2], old[2]) + gap
            if dx > 0 and dy > 0:
                total += dx * dy
        return total

    def record(
        self, text: str, where: tuple[float, float], ha: str, va: str, fontsize: float
    ) -> None:
        self.boxes.append(self.box(text, where, ha, va, fontsize))

    def place_best(
        self, text: str, candidates: list[tuple[float, float]], fontsize: float
    ) -> tuple[float, float]:
        """The first candidate centre where the label meets nothing, else the least crowded."""
        best, best_overlap = candidates[0], np.inf
        for where in candidates:
            overlap = self.overlap(self.box(text, where, "center", "center", fontsize))
            if overlap < best_overlap:
                best, best_overlap = where, overlap
            if overlap == 0:
                break
        self.record(text, best, "center", "center", fontsize)
        return best


def _layer_kinds(n_layers: int) -> list[str]:
    return ["input"] + ["hidden"] * (n_layers - 1) + ["output"]


def _draw_edges(
    diagram: NetworkDiagram,
    net: Network,
    backward: Any,
    show_w: set[int],
    show_g: set[str],
    path_edges: list[str],
    highlight: str | None,
    digits: int,
    layout: _Layout,
) -> None:
    ax = diagram.ax
    fontsize = layout.fontsize
    all_w = np.concatenate([w.ravel() for w in net.weights])
    scale = float(np.max(np.abs(all_w))) if all_w.size else 1.0
    scale = scale if scale > 0 else 1.0
    dim = highlight is not None
    on_path_set = set(path_edges)
    for layer, w in enumerate(net.weights, start=1):
        for i, j in itertools.product(range(w.shape[0]), range(w.shape[1])):
            name = f"W{layer}[{i},{j}]"
            (x0, y0), (x1, y1) = diagram.positions[(layer - 1, i)], diagram.positions[(layer, j)]
            value = float(w[i, j])
            on_path = name in on_path_set
            width = 0.6 + 4.4 * abs(value) / scale
            (line,) = ax.plot(
                [x0, x1],
                [y0, y1],
                color=POSITIVE_COLOR if value >= 0 else NEGATIVE_COLOR,
                linewidth=width,
                alpha=1.0 if (on_path or not dim) else 0.25,
                zorder=3 if on_path else 1,
                solid_capstyle="round",
            )
            if on_path:
                line.set_path_effects(
                    [
                        patheffects.Stroke(linewidth=width + 7, foreground=HIGHLIGHT_COLOR),
                        patheffects.Normal(),
                    ]
                )
            line.set_gid(name)
            diagram.edges[name] = line
            parts = []
            if layer in show_w:
                parts.append(f"$w$={_fmt(value, digits)}")
            if name in show_g and backward is not None:
                grad = backward.gradients.weights[layer - 1][i, j]
                parts.append(f"$\\partial E/\\partial w$={_fmt(grad, digits)}")
            if parts:
                text = "\n".join(parts)
                # slide the label along its edge to the place where it overlaps least
                candidates = [(x0 + t * (x1 - x0), y0 + t * (y1 - y0)) for t in _EDGE_LABEL_PLACES]
                where = layout.place_best(text, candidates, fontsize * 0.92)
                diagram.labels[name] = ax.text(
                    *where,
                    text,
                    fontsize=fontsize * 0.92,
                    ha="center",
                    va="center",
                    zorder=5 if on_path else 4,
                    bbox=_LABEL_BOX,
                    color=_GRAD_COLOR if on_path and dim else ("0.35" if dim else "black"),
                )
    diagram.highlighted = [e for e in path_edges if e in diagram.edges]


def _draw_neurons(
    diagram: NetworkDiagram,
    net: Network,
    trace: Any,
    backward: Any,
    shown: tuple[set[Any], ...],
    path_neurons: set[tuple[int, int]],
    radius: float,
    digits: int,
    layout: _Layout,
) -> None:
    ax = diagram.ax
    fontsize = layout.fontsize
    show_z, show_a, show_b, show_d, show_g = shown
    n_layers = net.n_layers
    fills = {0: "#f0f0f0", n_layers: "#d1e5f0"}
    for (layer, j), (cx, cy) in diagram.positions.items():
        on_path = (layer, j) in path_neurons
        circle = Circle(
            (cx, cy),
            radius,
            facecolor=fills.get(layer, "#fde0c5"),
            edgecolor="#e08214" if on_path else "0.2",
            linewidth=3.0 if on_path else 1.2,
            zorder=6,
        )
        circle.set_gid(f"neuron {layer},{j}")
        ax.add_patch(circle)
        layout.boxes.append((cx - radius, cx + radius, cy - radius, cy + radius))
        diagram.neurons[(layer, j)] = circle
        if radius >= 0.09:
            symbol = f"$x_{{{j}}}$" if layer == 0 else f"$a^{{({layer})}}_{{{j}}}$"
            ax.text(cx, cy, symbol, ha="center", va="center", fontsize=fontsize + 1, zorder=7)
        above, below = [], []
        if layer in show_z and trace is not None:
            above.append(f"$z$={_fmt(trace.net_inputs[layer - 1][0, j], digits)}")
        if layer in show_a and trace is not None:
            symbol = "$x$" if layer == 0 else "$a$"
            above.append(f"{symbol}={_fmt(trace.activations[layer][0, j], digits)}")
        if layer in show_b:
            below.append(f"$b$={_fmt(net.biases[layer - 1][j], digits)}")
        if (layer, j) in show_d and backward is not None:
            below.append(f"$\\delta$={_fmt(backward.deltas[layer - 1][0, j], digits)}")
        if f"b{layer}[{j}]" in show_g and backward is not None:
            grad = backward.gradients.biases[layer - 1][j]
            below.append(f"$\\partial E/\\partial b$={_fmt(grad, digits)}")
        if above:
            layout.record("\n".join(above), (cx, cy + radius * 1.1), "center", "bottom", fontsize)
            diagram.labels[f"neuron {layer},{j}"] = ax.text(
                cx,
                cy + radius * 1.1,
                "\n".join(above),
                ha="center",
                va="bottom",
                fontsize=fontsize,
                zorder=8,
                bbox=_LABEL_BOX,
            )
        if below:
            layout.record("\n".join(below), (cx, cy - radius * 1.1), "center", "top", fontsize)
            diagram.labels[f"below {layer},{j}"] = ax.text(
                cx,
                cy - radius * 1.1,
                "\n".join(below),
                ha="center",
                va="top",
                fontsize=fontsize,
                zorder=8,
                color=_DELTA_COLOR if (show_d or show_g) and backward is not None else "black",
                bbox=_LABEL_BOX,
            )
