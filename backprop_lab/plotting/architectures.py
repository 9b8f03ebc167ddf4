"""Schematics of the three kinds of network: feedforward, recurrent (unrolled) and
convolutional (chapter 1, "Layers" and "Types of network")."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from matplotlib.text import Text

from backprop_lab.calc.convolution import ConvolutionRun
from backprop_lab.calc.recurrence import RecurrentRun
from backprop_lab.checks.arguments import (
    check_integer,
)
from backprop_lab.plotting.drawing import (
    BLUE,
    GREEN,
    GREY,
    LIGHT,
    ORANGE,
    Drawing,
    arrow,
    check_ax,
    clear_frame,
)


def draw_feedforward(
    layer_sizes: Sequence[int],
    *,
    ax: Axes,
    layer_names: Sequence[str] | None = None,
) -> Drawing:
    """A feed-forward schematic: every neuron of a layer feeds every neuron of the next.

    (Chapter 1, "Layers" and "Types of network".) Information flows left to right only;
    there are no loops.

    Parameters
    ----------
    layer_sizes : sequence of int
        Neurons per layer, inputs first, each between 1 and 8.
    ax : Axes
    layer_names : sequence of str, optional
        A caption under each layer; default "input", "hidden", ..., "output".

    Returns
    -------
    Drawing
        ``values["nodes"]`` holds the node centres per layer; ``values["n_edges"]`` the
        number of connections.
    """
    check_ax(ax)
    if (
        isinstance(layer_sizes, str)
        or not isinstance(layer_sizes, Sequence)
        or len(layer_sizes) < 2
    ):
        raise ValueError(f"layer_sizes must list at least two layers; got {layer_sizes!r}")
    sizes = [check_integer(f"layer_sizes[{i}]", s, minimum=1) for i, s in enumerate(layer_sizes)]
    if max(sizes) > 8:
        raise ValueError(f"layer_sizes must be at most 8 per layer for a drawing; got {sizes}")
    if layer_names is None:
        layer_names = ["input"] + ["hidden"] * (len(sizes) - 2) + ["output"]
    if len(layer_names) != len(sizes):
        raise ValueError(
            f"layer_names must have one name per layer ({len(sizes)}); got {len(layer_names)}"
        )
    nodes = []
    for col, n in enumerate(sizes):
        ys = (np.arange(n) - (n - 1) / 2.0)[::-1] * 0.9
        nodes.append([(col * 2.0, float(y)) for y in ys])
    patches: list[Any] = []
    texts: list[Text] = []
    n_edges = 0
    for left, right in itertools.pairwise(nodes):
        for p in left:
            for q in right:
                patches.append(ax.add_line(Line2D([p[0], q[0]], [p[1], q[1]], c=GREY, lw=0.8)))
                n_edges += 1
    colours = [BLUE] + [GREEN] * (len(sizes) - 2) + [ORANGE]
    top = max(sizes) * 0.45 + 0.1
    for col, (layer, colour, name) in enumerate(zip(nodes, colours, layer_names)):
        for p in layer:
            patches.append(ax.add_patch(Circle(p, 0.25, fc="white", ec=colour, lw=2, zorder=3)))
        texts.append(ax.text(col * 2.0, -top - 0.15, name, ha="center", va="top", size=9))
    clear_frame(ax)
    ax.set_xlim(-0.5, 2.0 * (len(sizes) - 1) + 0.5)
    ax.set_ylim(-top - 0.6, top + 0.2)
    return Drawing(ax, patches, texts, {"nodes": nodes, "n_edges": n_edges})


def draw_recurrent(run: RecurrentRun, *, ax: Axes, digits: int = 3) -> Drawing:
    """Draw a one-state recurrent run unrolled over time, with its numbers (chapter 1).

    Inputs :math:`x_t` along the bottom, states :math:`h_t` above them; every step has an
    arrow from :math:`x_t` (weight :math:`W_x`) and from :math:`h_{t-1}` (weight :math:`W_h`),
    the same two weights at every step.

    Parameters
    ----------
    run : RecurrentRun
        From :func:`recurrent_unroll`, with one input and one state per step and at most
        8 steps.
    ax : Axes
    digits : int
        Significant digits of the numbers shown.

    Returns
    -------
    Drawing
        ``values["states"]`` holds :math:`h_0..h_T`.
    """
    check_ax(ax)
    digits = check_integer("digits", digits, minimum=1, maximum=17)
    if not isinstance(run, RecurrentRun):
        raise TypeError(f"run must be a RecurrentRun from recurrent_unroll; got {type(run)}")
    if run.inputs.shape[1] != 1 or run.states.shape[1] != 1 or run.steps > 8:
        raise ValueError(
            "run must have one input and one state per step and at most 8 steps to be drawn; "
            f"got inputs {run.inputs.shape}, states {run.states.shape}"
        )
    wx = float(run.input_weights[0, 0])
    wh = float(run.recurrent_weights[0, 0])
    patches: list[Any] = []
    texts: list[Text] = []
    h = run.states[:, 0]
    for t in range(run.steps + 1):
        cx = 1.6 * t
        colour = GREY if t == 0 else GREEN
        patches.append(ax.add_patch(Circle((cx, 1.0), 0.42, fc="white", ec=colour, lw=2)))
        texts.append(
            ax.text(cx, 1.0, f"$h_{t}$\n{h[t]:.{digits}g}", ha="center", va="center", size=8)
        )
        if t == 0:
            continue
        patches.append(
            ax.add_patch(
                FancyBboxPatch(
                    (cx - 0.35, -0.85), 0.7, 0.55, boxstyle="round,pad=0.03", fc=LIGHT, ec=BLUE
                )
            )
        )
        texts.append(
            ax.text(
                cx,
                -0.575,
                f"$x_{t}$={run.inputs[t - 1, 0]:.{digits}g}",
                ha="center",
                va="center",
                size=8,
            )
        )
        patches.append(arrow(ax, (cx, -0.3), (cx, 0.58), color=BLUE))
        patches.append(arrow(ax, (cx - 1.6 + 0.42, 1.0), (cx - 0.42, 1.0), color=GREEN))
        if t == 1:
            texts.append(ax.text(cx + 0.08, 0.15, "$W_x$", size=8, color=BLUE))
            texts.append(ax.text(cx - 0.8, 1.12, "$W_h$", size=8, color=GREEN, ha="center"))
    f = {"tanh": r"\tanh", "sigmoid": r"\sigma"}.get(run.activation, "f")
    texts.append(
        ax.text(
            0.8 * run.steps,
            1.75,
            f"$h_t = {f}(x_t W_x + h_{{t-1}} W_h + b)$,  $W_x$={wx:g}, $W_h$={wh:g}, "
            f"$b$={float(run.bias[0]):g} at every step",
            ha="center",
            va="bottom",
            size=9,
        )
    )
    clear_frame(ax)
    ax.set_xlim(-0.6, 1.6 * run.steps + 0.6)
    ax.set_ylim(-1.05, 2.2)
    return Drawing(ax, patches, texts, {"states": h.copy()})


def draw_convolution(
    run: ConvolutionRun, highlight: int = 0, *, ax: Axes, digits: int = 3
) -> Drawing:
    """Draw a 1-D convolution: inputs, the kernel's window, outputs (chapter 1).

    Every output cell is joined to the ``k`` inputs it sees; the window of output
    ``highlight`` is coloured and its lines labelled with the kernel weights, which are the
    same for every output.

    Parameters
    ----------
    run : ConvolutionRun
        From :func:`conv1d_run`, signal of at most 16 values.
    highlight : int
        Which output's window to colour.
    ax : Axes
    digits : int

    Returns
    -------
    Drawing
        ``values["outputs"]`` holds the outputs.
    """
    check_ax(ax)
    if not isinstance(run, ConvolutionRun):
        raise TypeError(f"run must be a ConvolutionRun from conv1d; got {type(run).__name__}")
    if run.signal.size > 16:
        raise ValueError(f"run must have a signal of at most 16 values; got {run.signal.size}")
    digits = check_integer("digits", digits, minimum=1, maximum=17)
    highlight = check_integer("highlight", highlight, minimum=0, maximum=run.outputs.size - 1)
    k = run.kernel.size
    patches: list[Any] = []
    texts: list[Text] = []
    shift = (k - 1) / 2.0
    for i, v in enumerate(run.signal):
        lit = highlight <= i < highlight + k
        patches.append(
            ax.add_patch(
                Rectangle(
                    (i - 0.45, -0.45),
                    0.9,
                    0.9,
                    fc=LIGHT if lit else "white",
                    ec=BLUE,
                    lw=2 if lit else 1,
                )
            )
        )
        texts.append(ax.text(i, 0.0, f"{v:.{digits}g}", ha="center", va="center", size=8))
    for j, v in enumerate(run.outputs):
        lit = j == highlight
        cx = j + shift
        patches.append(
            ax.add_patch(
                Rectangle(
                    (cx - 0.45, 2.05),
                    0.9,
                    0.9,
                    fc="#fdebd3" if lit else "white",
                    ec=ORANGE,
                    lw=2 if lit else 1,
                )
            )
        )
        texts.append(ax.text(cx, 2.5, f"{v:.{digits}g}", ha="center", va="center", size=8))
        for m in range(k):
            colour = ORANGE if lit else "#bbbbbb"
            patches.append(
                ax.add_line(
                    Line2D([j + m, cx], [0.45, 2.05], c=colour, lw=1.6 if lit else 0.6, zorder=0)
                )
            )
            if lit:
                texts.append(
                    ax.text(
                        (j + m) + (cx - j - m) * 0.3,
                        0.45 + 1.6 * 0.3,
                        f"{run.kernel[m]:g}",
                        ha="center",
                        va="center",
                        size=8,
                        color=ORANGE,
                        bbox={"fc": "white", "ec": "none", "pad": 0.5},
                    )
                )
    texts.append(ax.text(-0.7, 0.0, "input $x$", ha="right", va="center", size=9))
    texts.append(ax.text(-0.7, 2.5, "output $z$", ha="right", va="center", size=9))
    clear_frame(ax)
    ax.set_xlim(-2.6, run.signal.size - 0.4)
    ax.set_ylim(-0.7, 3.2)
    return Drawing(ax, patches, texts, {"outputs": run.outputs.copy()})
