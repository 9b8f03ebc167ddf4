"""The bumps of a hand-built hidden layer and the curve they add up to (chapter 1,
"Universal approximation")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from backprop_lab.calc.universal import bump_contributions
from backprop_lab.checks.arguments import (
    check_bool,
    check_callable,
    check_vector,
)
from backprop_lab.nn.network import Network, check_network
from backprop_lab.plotting.drawing import (
    BLUE,
    GREEN,
    check_ax,
)


@dataclass
class BumpDrawing:
    """What :func:`plot_bumps` drew: the bumps, the sum and the target."""

    bumps: list[Line2D]
    total: Line2D
    target: Line2D | None
    max_error: float | None


def plot_bumps(
    net: Network,
    function: Callable[[np.ndarray], np.ndarray] | None = None,
    x: Any = None,
    *,
    ax: Axes,
    show_bumps: bool = True,
) -> BumpDrawing:
    """Plot a :func:`bump_network`'s bumps, their sum and the target (chapter 1).

    Parameters
    ----------
    net : Network
        Layers ``[1, 2m, 1]``.
    function : callable, optional
        The target, drawn dashed; the title then reports the largest error on ``x``.
    x : array_like, optional
        Default 600 points on ``[-1, 1]``.
    ax : Axes
    show_bumps : bool
        Draw each bump (thin lines) under the sum.
    """
    check_ax(ax)
    check_network("net", net)
    check_callable("function", function, optional=True)
    show_bumps = check_bool("show_bumps", show_bumps)
    xs = np.linspace(-1.0, 1.0, 600) if x is None else check_vector("x", x)
    parts = bump_contributions(net, xs)
    output = net.forward(xs[:, None])[:, 0]
    bumps = []
    if show_bumps:
        for row in parts:
            (line,) = ax.plot(xs, row, c=GREEN, lw=0.8, alpha=0.6)
            bumps.append(line)
        if bumps:
            bumps[0].set_label("one bump (2 hidden neurons)")
    (total,) = ax.plot(xs, output, c=BLUE, lw=2.2, label="network output (sum of bumps)")
    target = None
    max_error = None
    if function is not None:
        truth = np.asarray(function(xs), dtype=np.float64)
        (target,) = ax.plot(xs, truth, "--", c="black", lw=1.3, label="target $f(x)$")
        max_error = float(np.max(np.abs(truth - output)))
        ax.set_title(
            f"{parts.shape[0]} bumps, {net.layer_sizes[1]} hidden neurons: "
            f"largest error {max_error:.3f}",
            fontsize=9,
        )
    ax.set_xlabel("$x$")
    ax.grid(alpha=0.3)
    return BumpDrawing(bumps, total, target, max_error)
