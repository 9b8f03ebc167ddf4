"""One neuron drawn with its numbers, its responses to weights and biases, and a network's
output over the plane (chapter 1, "The neuron", "Weights and biases", "Non-linear data")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from matplotlib.text import Text

from backprop_lab.checks.arguments import (
    check_finite_array,
    check_integer,
    check_interval,
    check_number,
    check_vector,
    describe,
)
from backprop_lab.nn.activations import get_activation
from backprop_lab.nn.network import Network, check_network
from backprop_lab.plotting.drawing import (
    BLUE,
    GREY,
    LIGHT,
    ORANGE,
    Drawing,
    arrow,
    check_ax,
    clear_frame,
)
from backprop_lab.plotting.figures import CLASS_COLORS


def draw_neuron(
    inputs: Sequence[float],
    weights: Sequence[float],
    bias: float,
    activation: str = "sigmoid",
    *,
    ax: Axes,
) -> Drawing:
    """Draw one neuron with its numbers (chapter 1, "The neuron").

    Inputs :math:`x_i` on the left, each arrow labelled with its weight :math:`w_i`, the
    neuron as a circle split into the weighted sum :math:`z = \\sum_i w_i x_i + b` and the
    activation :math:`a = f(z)`, and the output on the right.

    Parameters
    ----------
    inputs, weights : sequence of float
        Same length (at most 6, so the labels stay readable).
    bias : float
    activation : str
        ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    ax : Axes

    Returns
    -------
    Drawing
        ``values`` holds ``"z"`` and ``"a"``.
    """
    check_ax(ax)
    x = check_vector("inputs", inputs)
    w = check_vector("weights", weights)
    if w.shape != x.shape:
        raise ValueError(f"weights must have one entry per input ({x.size}); got {w.size} weights")
    if x.size > 6:
        raise ValueError(f"inputs must hold at most 6 numbers for a readable drawing; got {x.size}")
    b = float(check_finite_array("bias", bias, np.float64))
    act = get_activation(activation)
    z = float(x @ w + b)
    a = float(act(np.array(z)))
    patches: list[Any] = []
    texts: list[Text] = []
    n = x.size
    ys = np.linspace(1.0, -1.0, n) * (0.9 if n > 1 else 0.0)
    centre = (3.2, 0.0)
    radius = 0.75
    for i, (xi, wi, yi) in enumerate(zip(x, w, ys)):
        patches.append(ax.add_patch(Circle((0.0, yi), 0.3, fc=LIGHT, ec=BLUE, lw=1.5)))
        texts.append(ax.text(0.0, yi, f"$x_{i + 1}$\n{xi:g}", ha="center", va="center", size=9))
        end = (centre[0] - radius * 0.98, centre[1] + 0.25 * yi)
        patches.append(arrow(ax, (0.3, yi), end))
        mid = (0.5 * (0.3 + end[0]), 0.5 * (yi + end[1]))
        texts.append(
            ax.text(
                mid[0],
                mid[1] + 0.12,
                f"$w_{i + 1}$={wi:g}",
                ha="center",
                va="bottom",
                size=9,
                color=BLUE,
            )
        )
    patches.append(ax.add_patch(Circle(centre, radius, fc="white", ec=GREY, lw=1.5)))
    patches.append(
        ax.add_line(
            Line2D([centre[0], centre[0]], [centre[1] - radius, centre[1] + radius], c=GREY)
        )
    )
    texts.append(ax.text(centre[0] - 0.38, 0.0, r"$\Sigma$", ha="center", va="center", size=16))
    texts.append(ax.text(centre[0] + 0.38, 0.0, "$f$", ha="center", va="center", size=14))
    texts.append(
        ax.text(
            centre[0],
            -radius - 0.45,
            f"bias $b$={b:g}",
            ha="center",
            va="top",
            size=9,
            color=ORANGE,
        )
    )
    patches.append(arrow(ax, (centre[0], -radius - 0.4), (centre[0], -radius), color=ORANGE))
    patches.append(arrow(ax, (centre[0] + radius, 0.0), (centre[0] + 2.2, 0.0)))
    texts.append(
        ax.text(centre[0] + 1.5, 0.12, f"$a = f(z)$\n= {a:.6g}", ha="center", va="bottom", size=9)
    )
    terms = " + ".join(f"{wi:g}·{xi:g}" for xi, wi in zip(x, w))
    texts.append(
        ax.text(
            1.9,
            -1.75,
            f"$z$ = {terms} + {b:g} = {z:.6g}      $a$ = {act.name}({z:.6g}) = {a:.6g}",
            ha="center",
            va="center",
            size=9,
        )
    )
    clear_frame(ax)
    ax.set_xlim(-0.6, centre[0] + 2.4)
    ax.set_ylim(-2.05, 1.45)
    return Drawing(ax, patches, texts, {"z": z, "a": a})


def plot_neuron_responses(
    parameters: Sequence[tuple[float, float]],
    activation: str = "sigmoid",
    x: Any = None,
    *,
    ax: Axes,
) -> list[Line2D]:
    """Plot one input's neuron output :math:`f(wx + b)` for several ``(w, b)`` (chapter 1).

    The weight sets how steep the response is (and its direction: a negative weight flips
    it); the bias moves it sideways: the step of a sigmoid sits at :math:`x = -b/w`.

    Parameters
    ----------
    parameters : sequence of (float, float)
        Pairs ``(w, b)``; one curve each.
    activation : str
    x : array_like, optional
        Where to evaluate; default 400 points on :math:`[-6, 6]`.
    ax : Axes

    Returns
    -------
    list of Line2D
        One line per pair, labelled ``"w=…, b=…"``.
    """
    check_ax(ax)
    act = get_activation(activation)
    xs = np.linspace(-6.0, 6.0, 400) if x is None else check_vector("x", x)
    if isinstance(parameters, str | bytes) or not isinstance(parameters, Sequence):
        raise TypeError(f"parameters must be a list of (w, b) pairs; got {describe(parameters)}")
    pairs = list(parameters)
    if not pairs:
        raise ValueError("parameters must hold at least one (w, b) pair; got none")
    lines = []
    for k, pair in enumerate(pairs):
        if isinstance(pair, str) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError(f"parameters must hold (w, b) pairs; got {pair!r}")
        w = check_number(f"parameters[{k}][0]", pair[0])
        b = check_number(f"parameters[{k}][1]", pair[1])
        (line,) = ax.plot(xs, act(w * xs + b), lw=2, label=f"w={w:g}, b={b:g}")
        lines.append(line)
    ax.set_xlabel("input $x$")
    ax.set_ylabel(f"output $a = {act.symbol.replace('(z)', '(wx+b)')}$")
    ax.grid(alpha=0.3)
    ax.legend()  # matplotlib's 10 points: still legible where a phone's column shrinks it
    return lines


@dataclass
class PlaneDrawing:
    """What :func:`plot_output_plane` drew."""

    surface: Any
    boundary: Any
    points: list[Any]
    grid: tuple[np.ndarray, np.ndarray, np.ndarray]


def plot_output_plane(
    net: Network,
    X: Any = None,
    Y: Any = None,
    *,
    ax: Axes,
    extent: tuple[float, float, float, float] = (-0.5, 1.5, -0.5, 1.5),
    resolution: int = 120,
    threshold: float = 0.5,
) -> PlaneDrawing:
    """Shade a two-input, one-output network's output over the plane (chapter 1).

    Used for "Weights and biases" (one neuron divides the plane along the straight line
    :math:`w_1 x_1 + w_2 x_2 + b = 0`) and "Non-linear data" (XOR needs a hidden layer).
    The contour at ``threshold`` is the decision boundary; it is not drawn when the output
    is flat (varies by less than 0.001 over the picture), as for a neuron stuck at 0.5.
    Outputs within [0, 1] use fixed colour levels from 0 to 1, so pictures compare. Colours
    follow the book's convention (``CLASS_COLORS``): red for output
    near 0 and class 0, blue for output near 1 and class 1.

    Parameters
    ----------
    net : Network
        Layers ``[2, ..., 1]``.
    X, Y : array_like, optional
        Points ``(n, 2)`` and 0/1 labels ``(n, 1)`` or ``(n,)`` to scatter on top.
    ax : Axes
    extent : (x_min, x_max, y_min, y_max)
    resolution : int
        Grid points per side, 10 to 400.
    threshold : float
        Output level drawn as the boundary.

    Returns
    -------
    PlaneDrawing
        ``grid`` is ``(xx, yy, output)``.
    """
    check_ax(ax)
    check_network("net", net)
    if net.layer_sizes[0] != 2 or net.layer_sizes[-1] != 1:
        raise ValueError(f"net must have 2 inputs and 1 output; got layers {net.layer_sizes}")
    resolution = check_integer("resolution", resolution, minimum=10)
    if resolution > 400:
        raise ValueError(f"resolution must be at most 400; got {resolution}")
    if isinstance(extent, str) or not isinstance(extent, Sequence) or len(extent) != 4:
        raise TypeError(
            f"extent must be four numbers (x_min, x_max, y_min, y_max); got {describe(extent)}"
        )
    x0, x1 = check_interval("extent[0:2]", extent[0:2])
    y0, y1 = check_interval("extent[2:4]", extent[2:4])
    threshold = check_number("threshold", threshold)
    if X is None and Y is not None:
        raise ValueError("Y (labels) was given without X (the points to label); pass both")
    xx, yy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    out = net.forward(np.column_stack([xx.ravel(), yy.ravel()]))[:, 0].reshape(xx.shape)
    in_unit_range = out.min() >= 0.0 and out.max() <= 1.0
    levels = np.linspace(0.0, 1.0, 21) if in_unit_range else 20
    surface = ax.contourf(xx, yy, out, levels=levels, cmap="RdBu", alpha=0.75)
    boundary = None
    if out.min() < threshold < out.max() and out.max() - out.min() > 1e-3:
        boundary = ax.contour(xx, yy, out, levels=[threshold], colors="black", linewidths=2)
    points = []
    if X is not None:
        pts = check_finite_array("X", X, np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2:
            raise ValueError(f"X must have shape (n, 2); got {pts.shape}")
        labels = np.zeros(len(pts)) if Y is None else check_finite_array("Y", Y, np.float64).ravel()
        if labels.shape != (len(pts),):
            raise ValueError(f"Y must hold one label per point ({len(pts)}); got {labels.shape}")
        for value, colour, marker in ((0, CLASS_COLORS[0], "o"), (1, CLASS_COLORS[1], "s")):
            chosen = labels == value
            if np.any(chosen):
                points.append(
                    ax.scatter(
                        pts[chosen, 0],
                        pts[chosen, 1],
                        c=colour,
                        marker=marker,
                        s=90,
                        edgecolors="black",
                        zorder=3,
                        label=f"class {value}",
                    )
                )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return PlaneDrawing(surface, boundary, points, (xx, yy, out))
