"""Computed examples and figures for chapters 1 ("Neural networks") and 2.

Each idea of the first chapter gets a small numpy computation and a figure drawn from it:

- :func:`draw_neuron` (chapter 1, "The neuron"): one neuron with its inputs, weights, net
  input :math:`z = \\sum_i w_i x_i + b` and output :math:`a = f(z)`, numbers written in.
- :func:`plot_neuron_responses` (chapter 1, "Weights and biases"): :math:`f(wx + b)` for
  several weights and biases.
- :func:`draw_feedforward` (chapter 1, "Layers" and "Types of network"): a layered schematic.
- :func:`recurrent_unroll` and :func:`draw_recurrent` (chapter 1, "Recurrent networks"):
  :math:`h_t = f(x_t W_x + h_{t-1} W_h + b)` computed over a short sequence and drawn unrolled.
- :func:`conv1d`, :func:`convolution_matrix` and :func:`draw_convolution` (chapter 1,
  "Convolutional networks"): a shared kernel sliding along a signal, and the same layer
  written as a dense weight matrix with tied entries.
- :func:`finite_difference_gradients`, :func:`gradient_cost` and :func:`plot_gradient_cost`
  (chapter 1, "Efficient learning"): how many forward passes a gradient costs.
- :func:`bump_network`, :func:`bump_contributions` and :func:`plot_bumps` (chapter 1,
  "Universal approximation"): a hidden layer of sigmoids built by hand into a sum of bumps.
- :func:`plot_output_plane` (chapter 1, "Weights and biases" and "Non-linear data"): a
  two-input network's output shaded over the plane, with its decision boundary.
- :func:`draw_matrix_product` and :func:`time_forward_loop_vs_batch` (chapter 2, "Matrix
  form" and "A batch of inputs"): :math:`Z = AW + b` drawn with its shapes, and the time a
  batch saves over a loop.

Plot helpers take ``ax``, return what they drew and never change global matplotlib state.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.text import Text

from backprop_lab.checks.arguments import (
    check_bool,
    check_callable,
    check_choice,
    check_finite_array,
    check_integer,
    check_interval,
    check_network,
    check_number,
    check_positive_number,
    describe,
)
from backprop_lab.nn.activations import get_activation
from backprop_lab.nn.network import Network
from backprop_lab.plotting.figures import CLASS_COLORS

__all__ = [
    "BumpDrawing",
    "ConvolutionRun",
    "Drawing",
    "FiniteDifferenceResult",
    "PlaneDrawing",
    "RecurrentRun",
    "bump_contributions",
    "bump_network",
    "conv1d",
    "convolution_matrix",
    "draw_convolution",
    "draw_feedforward",
    "draw_matrix_product",
    "draw_neuron",
    "draw_recurrent",
    "finite_difference_gradients",
    "gradient_cost",
    "measure_gradient_cost",
    "plot_bumps",
    "plot_gradient_cost",
    "plot_neuron_responses",
    "plot_output_plane",
    "recurrent_unroll",
    "time_forward_loop_vs_batch",
]

_BLUE = "#1f77b4"
_ORANGE = "#ff7f0e"
_GREEN = "#2ca02c"
_GREY = "#555555"
_LIGHT = "#e8f0fa"


@dataclass
class Drawing:
    """What a schematic helper drew, so a caller (or a test) can find it again.

    Attributes
    ----------
    ax : Axes
    patches : list
        Circles, boxes and arrows, in drawing order.
    texts : list of Text
        Every label.
    values : dict
        The numbers the drawing shows (e.g. ``"z"`` and ``"a"`` for a neuron).
    """

    ax: Axes
    patches: list[Any]
    texts: list[Text]
    values: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        """The text of every label, in drawing order."""
        return [t.get_text() for t in self.texts]


def _clear_frame(ax: Axes) -> None:
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **kw: Any) -> Any:
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": _GREY, "lw": 1.2}
    style.update(kw)
    arrow = FancyArrowPatch(start, end, **style)
    ax.add_patch(arrow)
    return arrow


def _check_ax(ax: Any) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax


def _vector(argument: str, value: Any) -> np.ndarray:
    array = check_finite_array(argument, value, np.float64)
    if array.ndim == 0:
        array = array[None]
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{argument} must be a non-empty 1-D list of numbers; got {array.shape}")
    return array


# ------------------------------------------------------------------------ the neuron


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
    _check_ax(ax)
    x = _vector("inputs", inputs)
    w = _vector("weights", weights)
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
        patches.append(ax.add_patch(Circle((0.0, yi), 0.3, fc=_LIGHT, ec=_BLUE, lw=1.5)))
        texts.append(ax.text(0.0, yi, f"$x_{i + 1}$\n{xi:g}", ha="center", va="center", size=9))
        end = (centre[0] - radius * 0.98, centre[1] + 0.25 * yi)
        patches.append(_arrow(ax, (0.3, yi), end))
        mid = (0.5 * (0.3 + end[0]), 0.5 * (yi + end[1]))
        texts.append(
            ax.text(
                mid[0],
                mid[1] + 0.12,
                f"$w_{i + 1}$={wi:g}",
                ha="center",
                va="bottom",
                size=9,
                color=_BLUE,
            )
        )
    patches.append(ax.add_patch(Circle(centre, radius, fc="white", ec=_GREY, lw=1.5)))
    patches.append(
        ax.add_line(
            Line2D([centre[0], centre[0]], [centre[1] - radius, centre[1] + radius], c=_GREY)
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
            color=_ORANGE,
        )
    )
    patches.append(_arrow(ax, (centre[0], -radius - 0.4), (centre[0], -radius), color=_ORANGE))
    patches.append(_arrow(ax, (centre[0] + radius, 0.0), (centre[0] + 2.2, 0.0)))
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
    _clear_frame(ax)
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
    _check_ax(ax)
    act = get_activation(activation)
    xs = np.linspace(-6.0, 6.0, 400) if x is None else _vector("x", x)
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
    ax.legend(fontsize=8)
    return lines


# --------------------------------------------------------------------- layers / types


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
    _check_ax(ax)
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
                patches.append(ax.add_line(Line2D([p[0], q[0]], [p[1], q[1]], c=_GREY, lw=0.8)))
                n_edges += 1
    colours = [_BLUE] + [_GREEN] * (len(sizes) - 2) + [_ORANGE]
    top = max(sizes) * 0.45 + 0.1
    for col, (layer, colour, name) in enumerate(zip(nodes, colours, layer_names)):
        for p in layer:
            patches.append(ax.add_patch(Circle(p, 0.25, fc="white", ec=colour, lw=2, zorder=3)))
        texts.append(ax.text(col * 2.0, -top - 0.15, name, ha="center", va="top", size=9))
    _clear_frame(ax)
    ax.set_xlim(-0.5, 2.0 * (len(sizes) - 1) + 0.5)
    ax.set_ylim(-top - 0.6, top + 0.2)
    return Drawing(ax, patches, texts, {"nodes": nodes, "n_edges": n_edges})


@dataclass(frozen=True, eq=False)
class RecurrentRun:
    """A recurrent unit run over a sequence (chapter 1, "Recurrent networks").

    Attributes
    ----------
    inputs : ndarray
        :math:`x_1..x_T`, shape ``(T, n_in)``.
    net_inputs : ndarray
        :math:`z_t = x_t W_x + h_{t-1} W_h + b`, shape ``(T, n_hidden)``.
    states : ndarray
        :math:`h_0..h_T`, shape ``(T + 1, n_hidden)``; ``states[0]`` is the initial state.
    input_weights, recurrent_weights, bias : ndarray
        :math:`W_x` ``(n_in, n_hidden)``, :math:`W_h` ``(n_hidden, n_hidden)``, :math:`b`.
    activation : str
    """

    inputs: np.ndarray
    net_inputs: np.ndarray
    states: np.ndarray
    input_weights: np.ndarray
    recurrent_weights: np.ndarray
    bias: np.ndarray
    activation: str

    @property
    def steps(self) -> int:
        """Sequence length :math:`T`."""
        return int(self.inputs.shape[0])

    @property
    def final_state(self) -> np.ndarray:
        """:math:`h_T`, a summary of the whole sequence."""
        return self.states[-1]


def recurrent_unroll(
    inputs: Any,
    input_weights: Any,
    recurrent_weights: Any,
    bias: Any = 0.0,
    initial_state: Any = None,
    activation: str = "tanh",
) -> RecurrentRun:
    """Run a simple (Elman) recurrent unit over a sequence (chapter 1, "Recurrent networks").

    At every step :math:`t = 1..T` the same weights compute

    .. math:: z_t = x_t W_x + h_{t-1} W_h + b, \\qquad h_t = f(z_t),

    so the state :math:`h_t` carries what the unit has seen so far. Unrolled over time this
    is a feed-forward network of :math:`T` layers that share their weights, which is how
    backpropagation trains it ("backpropagation through time").

    Parameters
    ----------
    inputs : array_like
        Shape ``(T,)`` (one number per step) or ``(T, n_in)``.
    input_weights : array_like
        :math:`W_x`, shape ``(n_in, n_hidden)``; a scalar for one input and one state.
    recurrent_weights : array_like
        :math:`W_h`, shape ``(n_hidden, n_hidden)``; a scalar for one state.
    bias : array_like
        :math:`b`, shape ``(n_hidden,)`` or a scalar.
    initial_state : array_like, optional
        :math:`h_0`, default zeros.
    activation : str
        Default ``"tanh"``.

    Returns
    -------
    RecurrentRun
    """
    act = get_activation(activation)
    x = check_finite_array("inputs", inputs, np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"inputs must have shape (T,) or (T, n_in) with T >= 1; got {x.shape}")
    w_x = np.atleast_2d(check_finite_array("input_weights", input_weights, np.float64))
    if w_x.shape[0] != x.shape[1]:
        raise ValueError(
            f"input_weights must have shape ({x.shape[1]}, n_hidden) to match inputs with "
            f"{x.shape[1]} value(s) per step; got {w_x.shape}"
        )
    n_hidden = w_x.shape[1]
    w_h = np.atleast_2d(check_finite_array("recurrent_weights", recurrent_weights, np.float64))
    if w_h.shape != (n_hidden, n_hidden):
        raise ValueError(
            f"recurrent_weights must have shape ({n_hidden}, {n_hidden}); got {w_h.shape}"
        )
    b = check_finite_array("bias", bias, np.float64)
    b = np.full(n_hidden, float(b)) if b.ndim == 0 else b
    if b.shape != (n_hidden,):
        raise ValueError(f"bias must have shape ({n_hidden},) or be a number; got {b.shape}")
    if initial_state is None:
        h = np.zeros(n_hidden)
    else:
        h = check_finite_array("initial_state", initial_state, np.float64)
        h = np.full(n_hidden, float(h)) if h.ndim == 0 else h
        if h.shape != (n_hidden,):
            raise ValueError(
                f"initial_state must have shape ({n_hidden},) or be a number; got {h.shape}"
            )
    states = [h]
    zs = []
    for x_t in x:
        z = x_t @ w_x + h @ w_h + b
        h = act(z)
        zs.append(z)
        states.append(h)
    return RecurrentRun(x, np.array(zs), np.array(states), w_x, w_h, b, act.name)


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
    _check_ax(ax)
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
        colour = _GREY if t == 0 else _GREEN
        patches.append(ax.add_patch(Circle((cx, 1.0), 0.42, fc="white", ec=colour, lw=2)))
        texts.append(
            ax.text(cx, 1.0, f"$h_{t}$\n{h[t]:.{digits}g}", ha="center", va="center", size=8)
        )
        if t == 0:
            continue
        patches.append(
            ax.add_patch(
                FancyBboxPatch(
                    (cx - 0.35, -0.85), 0.7, 0.55, boxstyle="round,pad=0.03", fc=_LIGHT, ec=_BLUE
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
        patches.append(_arrow(ax, (cx, -0.3), (cx, 0.58), color=_BLUE))
        patches.append(_arrow(ax, (cx - 1.6 + 0.42, 1.0), (cx - 0.42, 1.0), color=_GREEN))
        if t == 1:
            texts.append(ax.text(cx + 0.08, 0.15, "$W_x$", size=8, color=_BLUE))
            texts.append(ax.text(cx - 0.8, 1.12, "$W_h$", size=8, color=_GREEN, ha="center"))
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
    _clear_frame(ax)
    ax.set_xlim(-0.6, 1.6 * run.steps + 0.6)
    ax.set_ylim(-1.05, 2.2)
    return Drawing(ax, patches, texts, {"states": h.copy()})


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


def conv1d(
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
    x = _vector("signal", signal)
    w = _vector("kernel", kernel)
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
    w = _vector("kernel", kernel)
    n = check_integer("n_inputs", n_inputs, minimum=w.size)
    n_out = n - w.size + 1
    matrix = np.zeros((n, n_out))
    for j in range(n_out):
        matrix[j : j + w.size, j] = w
    return matrix


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
        From :func:`conv1d`, signal of at most 16 values.
    highlight : int
        Which output's window to colour.
    ax : Axes
    digits : int

    Returns
    -------
    Drawing
        ``values["outputs"]`` holds the outputs.
    """
    _check_ax(ax)
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
                    fc=_LIGHT if lit else "white",
                    ec=_BLUE,
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
                    ec=_ORANGE,
                    lw=2 if lit else 1,
                )
            )
        )
        texts.append(ax.text(cx, 2.5, f"{v:.{digits}g}", ha="center", va="center", size=8))
        for m in range(k):
            colour = _ORANGE if lit else "#bbbbbb"
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
                        color=_ORANGE,
                        bbox={"fc": "white", "ec": "none", "pad": 0.5},
                    )
                )
    texts.append(ax.text(-0.7, 0.0, "input $x$", ha="right", va="center", size=9))
    texts.append(ax.text(-0.7, 2.5, "output $z$", ha="right", va="center", size=9))
    _clear_frame(ax)
    ax.set_xlim(-2.6, run.signal.size - 0.4)
    ax.set_ylim(-0.7, 3.2)
    return Drawing(ax, patches, texts, {"outputs": run.outputs.copy()})


# ----------------------------------------------------------------- efficient learning


@dataclass(frozen=True, eq=False)
class FiniteDifferenceResult:
    """Gradients estimated by nudging every parameter (chapter 1, "Efficient learning").

    Attributes
    ----------
    gradient : ndarray
        One entry per parameter, in the order of ``net.parameter_names()``.
    forward_passes : int
        How many times the loss was evaluated (each is one forward pass over the data).
    names : list of str
    """

    gradient: np.ndarray
    forward_passes: int
    names: list[str]


def finite_difference_gradients(
    net: Network, X: Any, Y: Any, epsilon: float = 1e-6, central: bool = True
) -> FiniteDifferenceResult:
    """Estimate every gradient by nudging one parameter at a time, and count the cost.

    (Chapter 1, "Efficient learning".) Central differences
    :math:`(E(\\theta_p + \\epsilon) - E(\\theta_p - \\epsilon)) / 2\\epsilon` need two forward
    passes per parameter, :math:`2P` in all; one-sided differences
    :math:`(E(\\theta_p + \\epsilon) - E(\\theta)) / \\epsilon` need :math:`P + 1`. ``net`` is
    not changed.

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs and targets, as for ``net.loss``.
    epsilon : float
        The nudge, > 0.
    central : bool
        Central (default) or one-sided differences.
    """
    check_network("net", net)
    epsilon = check_positive_number("epsilon", epsilon)
    central = check_bool("central", central)
    X_checked, single = net._inputs(X)
    net._targets(Y, X_checked.shape[0], single)
    twin = net.copy()
    passes = 0

    def loss() -> float:
        nonlocal passes
        passes += 1
        return twin.loss(X, Y)

    base = None if central else loss()
    values = []
    for array in [a for pair in zip(twin.weights, twin.biases) for a in pair]:
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + epsilon
            up = loss()
            if central:
                array[index] = original - epsilon
                down = loss()
                values.append((up - down) / (2.0 * epsilon))
            else:
                values.append((up - base) / epsilon)
            array[index] = original
    return FiniteDifferenceResult(np.array(values), passes, net.parameter_names())


MAX_REPEATS = 1000
"""Most repetitions of a timing (each is a full measurement)."""

_METHODS = ("central differences", "forward differences", "backpropagation")

BACKWARD_COST = 2.0
"""A backward pass costs about two forward passes: per layer one matrix product for the
weight gradients and one to send the deltas back, against one in the forward pass."""


def gradient_cost(n_parameters: Any, method: str) -> np.ndarray:
    """Forward-pass equivalents needed for one full gradient (chapter 1, "Efficient learning").

    - ``"central differences"``: :math:`2P`;
    - ``"forward differences"``: :math:`P + 1`;
    - ``"backpropagation"``: one forward pass plus one backward pass of about
      :data:`BACKWARD_COST` forward passes, :math:`1 + 2 = 3`, whatever :math:`P` is.

    Parameters
    ----------
    n_parameters : int or array_like of int
        :math:`P`, at least 1.
    method : str
        One of the three names above.
    """
    check_choice("method", method, _METHODS)
    p = np.asarray(n_parameters)
    if p.dtype.kind not in "iu" or np.any(p < 1):
        raise ValueError(f"n_parameters must be whole numbers >= 1; got {n_parameters!r}")
    p = p.astype(np.float64)
    if method == "central differences":
        return 2.0 * p
    if method == "forward differences":
        return p + 1.0
    return np.full_like(p, 1.0 + BACKWARD_COST)


def measure_gradient_cost(net: Network, X: Any, Y: Any, repeats: int = 3) -> dict[str, float]:
    """Time one gradient both ways, in units of one forward pass (chapter 1).

    Runs ``net.forward(X)``, ``net.gradients(X, Y)`` (one forward and one backward pass)
    and :func:`finite_difference_gradients` (central), each ``repeats`` times, keeps the
    fastest run of each, and divides by the forward pass's time. Timings depend on the
    machine; the book shows them next to the counts of :func:`gradient_cost`.

    Returns
    -------
    dict
        ``"n_parameters"``, ``"forward seconds"``, ``"backpropagation"`` and
        ``"central differences"`` (the last two in forward-pass equivalents).
    """
    import time

    check_network("net", net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)

    def fastest(call: Callable[[], Any]) -> float:
        best = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        return max(best, 1e-9)

    forward = fastest(lambda: net.loss(X, Y))
    backprop = fastest(lambda: net.gradients(X, Y))
    differences = fastest(lambda: finite_difference_gradients(net, X, Y))
    return {
        "n_parameters": float(net.n_parameters),
        "forward seconds": forward,
        "backpropagation": backprop / forward,
        "central differences": differences / forward,
    }


def _check_measured(measured: Any) -> None:
    if not isinstance(measured, dict):
        raise TypeError(
            'measured must be a dict {"n_parameters": [...], "central differences": [...], '
            f'"backpropagation": [...]}} or None; got {describe(measured)}'
        )
    if "n_parameters" not in measured:
        raise ValueError(
            f"measured must hold the key 'n_parameters'; got the keys {sorted(measured)!r}"
        )
    points = check_finite_array("measured['n_parameters']", measured["n_parameters"], float)
    for method in ("central differences", "backpropagation"):
        if method in measured:
            values = check_finite_array(f"measured[{method!r}]", measured[method], float)
            if values.shape != points.shape or points.ndim != 1:
                raise ValueError(
                    f"measured[{method!r}] must hold one value per entry of "
                    f"measured['n_parameters'] ({points.shape}); got shape {values.shape}"
                )


def plot_gradient_cost(
    n_parameters: Any, *, ax: Axes, measured: dict[str, Any] | None = None
) -> dict[str, Line2D]:
    """Plot the forward passes one gradient costs against the number of parameters.

    (Chapter 1, "Efficient learning".) Log-log axes: finite differences grow in proportion
    to :math:`P`, backpropagation stays flat.

    Parameters
    ----------
    n_parameters : array_like of int
        The :math:`P` values on the x axis (increasing).
    ax : Axes
    measured : dict, optional
        Measured points to overlay: ``{"n_parameters": [...], "central differences":
        [...], "backpropagation": [...]}`` in forward-pass equivalents.

    Returns
    -------
    dict of str to Line2D
        One line per method (and ``"measured ..."`` entries when given).
    """
    _check_ax(ax)
    p = np.asarray(n_parameters)
    if measured is not None:
        _check_measured(measured)
    lines = {}
    styles = {
        "central differences": (_ORANGE, "-"),
        "forward differences": (_ORANGE, "--"),
        "backpropagation": (_BLUE, "-"),
    }
    for method, (colour, style) in styles.items():
        (lines[method],) = ax.plot(p, gradient_cost(p, method), style, c=colour, lw=2, label=method)
    if measured is not None:
        mp = np.asarray(measured["n_parameters"], dtype=float)
        for method in ("central differences", "backpropagation"):
            if method in measured:
                (lines[f"measured {method}"],) = ax.plot(
                    mp,
                    np.asarray(measured[method], dtype=float),
                    "o",
                    c=styles[method][0],
                    ms=6,
                    label=f"{method} (measured)",
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of parameters $P$")
    ax.set_ylabel("cost of one gradient (forward passes)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return lines


# ------------------------------------------------------------- universal approximation


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
    xs = _vector("x", x)
    hidden = net.forward_trace(xs[:, None]).a(1)
    shares = hidden * net.weights[1][:, 0]
    return (shares[:, 0::2] + shares[:, 1::2]).T


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
    _check_ax(ax)
    check_network("net", net)
    check_callable("function", function, optional=True)
    show_bumps = check_bool("show_bumps", show_bumps)
    xs = np.linspace(-1.0, 1.0, 600) if x is None else _vector("x", x)
    parts = bump_contributions(net, xs)
    output = net.forward(xs[:, None])[:, 0]
    bumps = []
    if show_bumps:
        for row in parts:
            (line,) = ax.plot(xs, row, c=_GREEN, lw=0.8, alpha=0.6)
            bumps.append(line)
        if bumps:
            bumps[0].set_label("one bump (2 hidden neurons)")
    (total,) = ax.plot(xs, output, c=_BLUE, lw=2.2, label="network output (sum of bumps)")
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


# ------------------------------------------------------- a neuron's view of the plane


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
    _check_ax(ax)
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


# --------------------------------------------------------- chapter 2: matrix products


def draw_matrix_product(
    A: Any,
    W: Any,
    b: Any,
    *,
    ax: Axes,
    names: tuple[str, str, str, str] = ("a^{(0)}", "W^{(1)}", "b^{(1)}", "z^{(1)}"),
    digits: int = 4,
) -> Drawing:
    """Draw :math:`Z = AW + b` as grids of numbers with their shapes (chapter 2).

    Each matrix is a grid of boxes holding its entries, with its name and shape
    ``(rows × columns)`` underneath, so the reader sees why the inner sizes must match and
    that the bias row is added to every row of :math:`AW`.

    Parameters
    ----------
    A : array_like
        Shape ``(n, m)`` or ``(m,)`` (one sample, drawn as one row); at most 6 rows.
    W : array_like
        Shape ``(m, k)``, at most 6 by 6.
    b : array_like
        Shape ``(k,)``.
    ax : Axes
    names : four str
        LaTeX names of :math:`A`, :math:`W`, :math:`b` and the result.
    digits : int
        Significant digits of the entries.

    Returns
    -------
    Drawing
        ``values["Z"]`` is the computed product plus bias.
    """
    _check_ax(ax)
    digits = check_integer("digits", digits, minimum=1, maximum=17)
    if (
        isinstance(names, str)
        or not isinstance(names, Sequence)
        or len(names) != 4
        or not all(isinstance(n, str) for n in names)
    ):
        raise TypeError(f"names must be four strings (A, W, b, Z); got {describe(names)}")
    a = check_finite_array("A", A, np.float64)
    a = a[None, :] if a.ndim == 1 else a
    w = check_finite_array("W", W, np.float64)
    bias = check_finite_array("b", b, np.float64)
    if a.ndim != 2 or w.ndim != 2 or a.shape[1] != w.shape[0]:
        raise ValueError(
            f"W must have as many rows as A has columns; got A {a.shape} and W {w.shape}"
        )
    if bias.shape != (w.shape[1],):
        raise ValueError(
            f"b must have shape ({w.shape[1]},) to match W {w.shape}; got {bias.shape}"
        )
    if max(a.shape[0], *w.shape) > 6:
        raise ValueError(f"A and W must be at most 6 by 6 to be drawn; got {a.shape}, {w.shape}")
    z = a @ w + bias
    patches: list[Any] = []
    texts: list[Text] = []
    cell_w, cell_h = 0.95, 0.5
    colours = [_LIGHT, "#eef7ea", "#fdebd3", "#f3e8f7"]
    symbols = ["", "×", "+", "="]
    x = 0.0
    top = 0.5 * max(a.shape[0], w.shape[0]) * cell_h
    for k, (matrix, name) in enumerate(zip((a, w, bias[None, :], z), names)):
        if symbols[k]:
            texts.append(ax.text(x + 0.25, 0.0, symbols[k], ha="center", va="center", size=14))
            x += 0.5
        rows, cols = matrix.shape
        y_top = 0.5 * rows * cell_h
        for i in range(rows):
            for j in range(cols):
                patches.append(
                    ax.add_patch(
                        Rectangle(
                            (x + j * cell_w, y_top - (i + 1) * cell_h),
                            cell_w,
                            cell_h,
                            fc=colours[k],
                            ec=_GREY,
                            lw=0.8,
                        )
                    )
                )
                texts.append(
                    ax.text(
                        x + (j + 0.5) * cell_w,
                        y_top - (i + 0.5) * cell_h,
                        f"{matrix[i, j]:.{digits}g}",
                        ha="center",
                        va="center",
                        size=8,
                    )
                )
        texts.append(
            ax.text(
                x + 0.5 * cols * cell_w,
                -top - 0.15,
                f"${name}$\n({rows} × {cols})" if k != 2 else f"${name}$\n({cols},)",
                ha="center",
                va="top",
                size=9,
            )
        )
        x += cols * cell_w + 0.1
    ax.set_xlim(-0.1, x + 0.1)
    ax.set_ylim(-top - 0.9, top + 0.1)
    _clear_frame(ax)
    return Drawing(ax, patches, texts, {"Z": z})


def time_forward_loop_vs_batch(net: Network, X: Any, repeats: int = 3) -> dict[str, float]:
    """Time a forward pass one sample at a time against one batch (chapter 2).

    The loop calls ``net.forward(x)`` for each row ``x`` of ``X``; the batch calls
    ``net.forward(X)`` once. Both give the same numbers (checked here: a ``RuntimeError``
    if not); only the time differs. Keeps the fastest of ``repeats`` runs.

    Returns
    -------
    dict
        ``"n_samples"``, ``"loop seconds"``, ``"batch seconds"`` and ``"speed-up"``.
    """
    import time

    check_network("net", net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)
    X, _ = net._inputs(X)
    best_loop = best_batch = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        looped = np.array([net.forward(x) for x in X])
        best_loop = min(best_loop, time.perf_counter() - start)
        start = time.perf_counter()
        batched = net.forward(X)
        best_batch = min(best_batch, time.perf_counter() - start)
    if not np.allclose(looped, batched, rtol=1e-12, atol=1e-12):
        raise RuntimeError("the loop and the batch disagree; this is a bug in Network.forward")
    best_batch = max(best_batch, 1e-9)
    return {
        "n_samples": float(X.shape[0]),
        "loop seconds": best_loop,
        "batch seconds": best_batch,
        "speed-up": best_loop / best_batch,
    }
