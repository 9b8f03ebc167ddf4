"""Pictures over a grid: decision boundaries, regression fits, loss surfaces (ch. 4 and 5).

- :func:`plot_decision_boundary` (chapter 5): a two-input classifier's output over the
  plane (``contourf``), its 0.5 boundary and its data.
- :func:`plot_regression_fit` (chapter 5): a one-input network's curve, data and target.
- :func:`loss_surface` and :func:`plot_loss_surface` (chapter 4): the loss as a function of
  two chosen parameters (``"W1[0,0]"``-style names), with a training run's path on it.

Each draws on the ``ax`` it is given (or a new figure) and changes no global matplotlib state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_bool,
    check_callable,
    check_finite_array,
    check_integer,
    check_number,
    check_positive_number,
)
from backprop_lab.nn.history import check_history
from backprop_lab.nn.network import check_network
from backprop_lab.nn.parameters import parse_parameter
from backprop_lab.plotting.figures import CLASS_COLORS, MULTICLASS_COLORS, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from backprop_lab.nn.history import TrainingHistory
    from backprop_lab.nn.network import Network

_PROBABILITY_LEVELS = np.linspace(0.0, 1.0, 11)
MAX_RESOLUTION = 1000
"""Most grid points per axis of a decision-boundary picture (a million points)."""
MAX_SURFACE_RESOLUTION = 200
"""Most grid points per axis of a loss surface (one forward pass per point)."""
MAX_CURVE_POINTS = 100_000
"""Most points of a fitted curve."""

__all__ = [
    "LossSurface",
    "class_probabilities",
    "class_probability",
    "draw_classes",
    "draw_classifier",
    "draw_probability",
    "loss_surface",
    "plot_decision_boundary",
    "plot_loss_surface",
    "plot_regression_fit",
]
# ------------------------------------------------------------ models and data


def class_probability(net: Network, X: np.ndarray) -> np.ndarray:
    """The network's probability of class 1 for each row of ``X`` (chapter 5).

    A single sigmoid output is that probability; a tanh output is mapped from
    :math:`[-1, 1]` to :math:`[0, 1]`; with several outputs, output 1 (softmax) is used.
    Non-finite outputs become 0.5, so a plot never shows NaN.

    Raises
    ------
    TypeError
        If ``net`` is not a :class:`~backprop_lab.nn.network.Network`.
    ValueError
        If ``X`` does not fit the network (see :meth:`Network.forward`).
    """
    check_network("net", net)
    out = net.outputs_unchecked(X)
    if out.ndim == 1:
        out = out[None, :]
    p = out[:, 1] if out.shape[1] > 1 else out[:, 0]
    if net.output_activation == "tanh":
        p = (p + 1.0) / 2.0
    elif net.output_activation in ("identity", "relu"):
        p = np.clip(p, 0.0, 1.0)
    return np.nan_to_num(np.asarray(p, dtype=np.float64), nan=0.5, posinf=1.0, neginf=0.0)


def class_probabilities(net: Network, X: np.ndarray) -> np.ndarray:
    """Each class's probability for each row of ``X``, ``(n, K)``, for K > 2 (chapter 6).

    The rows of a softmax output; other outputs are clipped to be non-negative and
    normalised. Non-finite outputs become equal shares, so a plot never shows NaN.
    """
    check_network("net", net)
    out = np.asarray(net.outputs_unchecked(X), dtype=np.float64)
    out = np.atleast_2d(out)
    out = np.nan_to_num(out, nan=0.0, posinf=1.0, neginf=0.0)
    out = np.clip(out, 0.0, None)
    total = out.sum(axis=1, keepdims=True)
    equal = np.full_like(out, 1.0 / out.shape[1])
    return np.where(total > 0, out / np.where(total > 0, total, 1.0), equal)


def draw_classes(ax: Axes, gx: np.ndarray, gy: np.ndarray, probabilities: np.ndarray) -> list[Any]:
    """K coloured regions: each grid point in its most probable class's colour, paler where
    the network is less sure, and the boundaries between the regions in black.

    ``probabilities`` has shape ``gx.shape + (K,)``.
    """
    k = probabilities.shape[-1]
    if k > len(MULTICLASS_COLORS):
        raise ValueError(f"at most {len(MULTICLASS_COLORS)} classes can be coloured; got {k}")
    from matplotlib.colors import to_rgb

    colours = np.array([to_rgb(c) for c in MULTICLASS_COLORS[:k]])
    winner = np.argmax(probabilities, axis=-1)
    sure = (probabilities.max(axis=-1) - 1.0 / k) / (1.0 - 1.0 / k)  # 0 (a tie) to 1
    strength = 0.12 + 0.3 * np.clip(sure, 0.0, 1.0)[..., None]
    rgb = 1.0 - strength * (1.0 - colours[winner])
    extent = (gx.min(), gx.max(), gy.min(), gy.max())
    drawn = [ax.imshow(rgb, origin="lower", extent=extent, aspect="auto", interpolation="nearest")]
    for c in range(k):
        inside = (winner == c).astype(np.float64)
        if 0.0 < inside.mean() < 1.0:
            drawn.append(ax.contour(gx, gy, inside, levels=[0.5], colors="black", linewidths=1.2))
    return drawn


def draw_classifier(ax: Axes, net: Network, gx: np.ndarray, gy: np.ndarray) -> list[Any]:
    """A classifier's picture on a grid: the class-1 probability for one output (or two
    classes), the coloured regions for more classes."""
    points = np.column_stack([gx.ravel(), gy.ravel()])
    if net.layer_sizes[-1] > 2:
        probabilities = class_probabilities(net, points).reshape((*gx.shape, -1))
        return draw_classes(ax, gx, gy, probabilities)
    return draw_probability(ax, gx, gy, class_probability(net, points).reshape(gx.shape))


def _labels(Y: Any, n_samples: int) -> np.ndarray:
    Y = check_finite_array("Y", Y, np.float64)
    if Y.ndim not in (1, 2) or Y.shape[0] != n_samples:
        raise ValueError(
            f"Y must hold one label (or one-hot row) per sample of X, shape ({n_samples},) or "
            f"({n_samples}, n_classes); got shape {Y.shape}"
        )
    if Y.ndim == 2 and Y.shape[1] > 1:
        return np.argmax(Y, axis=1)
    return (Y.reshape(-1) >= 0.5).astype(np.int64)


def draw_probability(ax: Axes, gx: np.ndarray, gy: np.ndarray, p: np.ndarray) -> list[Any]:
    """Filled contours of a class-1 probability on a grid, and its 0.5 line if it crosses."""
    drawn = [ax.contourf(gx, gy, p, levels=_PROBABILITY_LEVELS, cmap="RdBu", alpha=0.6)]
    if p.min() < 0.5 < p.max():
        drawn.append(ax.contour(gx, gy, p, levels=[0.5], colors="black", linewidths=1.5))
    return drawn


def plot_decision_boundary(
    net: Network,
    X: Any,
    Y: Any,
    *,
    ax: Axes | None = None,
    resolution: int = 100,
    padding: float = 0.4,
    data: bool = True,
) -> Axes:
    """A two-input classifier's output over the plane, its boundary and its data (ch. 5, 6).

    For two classes the background is a filled contour plot (``contourf``) of the
    probability of class 1 on a ``resolution`` x ``resolution`` grid, and the black line is
    where it equals 0.5 (the decision boundary). For more classes (a softmax output of K
    units) each point of the plane takes the colour of its most probable class, paler where
    the network hesitates, with the boundaries between the K regions in black. The points
    are the data coloured by their true class.

    Parameters
    ----------
    net : Network
        Two inputs.
    X : array_like
        ``(n_samples, 2)``: the data, which also set the plotted area.
    Y : array_like
        Their labels (0/1, or one-hot rows).
    ax : Axes, optional
    resolution : int
        Grid points per axis, 2 to :data:`MAX_RESOLUTION`.
    padding : float
        Margin around the data, >= 0, in the inputs' units.
    data : bool
        Also scatter the data.

    Returns
    -------
    Axes
        ``ax.collections`` holds the filled contours, the boundary line and the points.

    Raises
    ------
    TypeError
        If ``net`` is not a Network or an argument has the wrong type.
    ValueError
        If ``X``/``Y`` do not fit, or ``resolution`` or ``padding`` is out of range.
    """
    check_network("net", net)
    X = check_finite_array("X", X, np.float64)
    resolution = check_integer("resolution", resolution, minimum=2, maximum=MAX_RESOLUTION)
    padding = check_number("padding", padding, minimum=0.0, maximum=1e6)
    data = check_bool("data", data)
    if X.ndim != 2 or X.shape[1] != 2 or net.layer_sizes[0] != 2 or not X.shape[0]:
        raise ValueError(
            "plot_decision_boundary needs two inputs: X of shape (n_samples, 2) and a network "
            f"with 2 inputs; got X of shape {X.shape} and layer sizes {net.layer_sizes}"
        )
    ax = new_axes(ax, (5.0, 4.5))
    (x0, y0), (x1, y1) = X.min(axis=0) - padding, X.max(axis=0) + padding
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    draw_classifier(ax, net, gx, gy)
    labels = _labels(Y, X.shape[0])
    if data:
        palette = CLASS_COLORS if labels.max(initial=0) < 2 else MULTICLASS_COLORS
        colors = np.array(palette)[labels]
        ax.scatter(X[:, 0], X[:, 1], c=colors, s=18, edgecolors="white", linewidths=0.6)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    return ax


def plot_regression_fit(
    net: Network,
    X: Any,
    Y: Any,
    *,
    ax: Axes | None = None,
    target_function: Callable[[np.ndarray], np.ndarray] | None = None,
    n_points: int = 300,
    padding: float = 0.1,
) -> Axes:
    """A one-input network's fit to data, with the function the data came from (ch. 5).

    Parameters
    ----------
    net : Network
        One input.
    X, Y : array_like
        The data: one input and one target per sample.
    ax : Axes, optional
    target_function : callable, optional
        The function the data came from, drawn dashed.
    n_points : int
        Points of the fitted curve, 2 to :data:`MAX_CURVE_POINTS`.
    padding : float
        Margin around the data, >= 0, as a fraction of their width.

    Returns
    -------
    Axes
        Lines: the network's output (label ``"network"``) on a fine grid and, if given,
        the target function (``"target"``, dashed); the data are a scatter collection.

    Raises
    ------
    TypeError
        If ``net`` is not a Network or an argument has the wrong type.
    ValueError
        If the data do not fit, or ``n_points`` or ``padding`` is out of range.
    """
    check_network("net", net)
    X = check_finite_array("X", X, np.float64)
    Y = check_finite_array("Y", Y, np.float64)
    n_points = check_integer("n_points", n_points, minimum=2, maximum=MAX_CURVE_POINTS)
    padding = check_number("padding", padding, minimum=0.0, maximum=1e6)
    check_callable("target_function", target_function, optional=True)
    if net.layer_sizes[0] != 1:
        raise ValueError(
            f"plot_regression_fit needs a network with 1 input; got layer sizes {net.layer_sizes}"
        )
    if X.size == 0 or X.size != max(X.shape, default=0) or Y.size != X.size:
        raise ValueError(
            "X and Y must hold one input and one target per sample, shapes (n,) or (n, 1); "
            f"got X of shape {X.shape} and Y of shape {Y.shape}"
        )
    X, Y = X.reshape(-1, 1), Y.reshape(-1)
    ax = new_axes(ax)
    low, high = float(X.min()), float(X.max())
    pad = padding * (high - low or 1.0)
    grid = np.linspace(low - pad, high + pad, n_points)
    out = np.asarray(net.outputs_unchecked(grid[:, None]), dtype=np.float64)[:, 0]
    span = float(np.ptp(Y)) or 1.0
    y_low, y_high = float(Y.min()) - 0.5 * span, float(Y.max()) + 0.5 * span
    out = np.clip(np.nan_to_num(out, nan=0.0, posinf=y_high, neginf=y_low), y_low, y_high)
    ax.scatter(X[:, 0], Y, s=14, color="0.35", alpha=0.7, label="data", zorder=2)
    if target_function is not None:
        ax.plot(grid, target_function(grid), "--", color="#1b7837", linewidth=1.6, label="target")
    ax.plot(grid, out, color="#2166ac", linewidth=2.2, label="network", zorder=3)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return ax


# ------------------------------------------------------------------ loss surface


@dataclass
class LossSurface:
    """The loss over a grid of two parameters, the others held fixed (chapter 4).

    Attributes
    ----------
    params : (str, str)
        The two parameters, e.g. ``("W1[0,0]", "W1[1,0]")``.
    u, v : ndarray
        Grid values of the first and second parameter.
    loss : ndarray
        ``loss[r, c]`` is the loss with the parameters at ``(u[c], v[r])``.
    path : ndarray or None
        ``(n, 2)``: the two parameters' values at each snapshot of a training run.
    path_iterations : ndarray or None
        The iteration of each path point.
    ax, contour, path_line
        What :func:`plot_loss_surface` drew (``None`` for :func:`loss_surface`).
    """

    params: tuple[str, str]
    u: np.ndarray
    v: np.ndarray
    loss: np.ndarray
    path: np.ndarray | None = None
    path_iterations: np.ndarray | None = None
    ax: Any = None
    contour: Any = None
    path_line: Any = None

    def __repr__(self) -> str:
        path = "no path" if self.path is None else f"path of {len(self.path)} points"
        return (
            f"LossSurface({self.params[0]} x {self.params[1]}, grid {self.loss.shape}, "
            f"loss {self.loss.min():.4g} to {self.loss.max():.4g}, {path})"
        )


def _check_params(net: Network, params: Any) -> tuple[str, str]:
    if isinstance(params, str) or not isinstance(params, Sequence) or len(params) != 2:
        raise TypeError(
            f"params must be two parameter names such as ('W1[0,0]', 'W1[1,0]'); got {params!r}"
        )
    refs = [parse_parameter(p, net.layer_sizes) for p in params]
    if refs[0].name == refs[1].name:
        raise ValueError(f"params must name two different parameters; got {params!r}")
    return refs[0].name, refs[1].name


def loss_surface(
    net: Network,
    X: Any,
    Y: Any,
    params: Sequence[str] = ("W1[0,0]", "W1[1,0]"),
    *,
    history: TrainingHistory | None = None,
    span: float = 4.0,
    resolution: int = 41,
) -> LossSurface:
    """The loss as a function of two parameters, every other one held at ``net``'s values.

    Chapter 4 ("The loss surface"): a slice through parameter space. With ``history`` (a
    run trained with ``snapshot_every``) the path of the two parameters over the run is
    added and the grid widened to contain it. The other parameters move during training
    too, so the path is the run's shadow on this slice, not a walk on the slice itself.

    Parameters
    ----------
    net : Network
    X, Y : array_like
    params : two str
        Parameter names, ``"W<l>[i,j]"`` or ``"b<l>[j]"``.
    history : TrainingHistory, optional
    span : float
        Width of the grid around the current values when there is no path.
    resolution : int
        Grid points per axis, 3 to :data:`MAX_SURFACE_RESOLUTION` (one forward pass each).

    Raises
    ------
    TypeError
        If ``net`` is not a Network, ``history`` not a TrainingHistory, ``params`` not
        two names, or a number has the wrong type.
    ValueError
        If a name is not a parameter of ``net``, the data do not fit, or ``span`` or
        ``resolution`` is out of range.
    """
    check_network("net", net)
    names = _check_params(net, params)
    span = check_positive_number("span", span)
    resolution = check_integer("resolution", resolution, minimum=3, maximum=MAX_SURFACE_RESOLUTION)
    if history is not None:
        check_history("history", history)
    Xc, single = net.check_inputs(X)
    Yc = net.check_targets(Y, Xc.shape[0], single)
    refs = [parse_parameter(name, net.layer_sizes) for name in names]
    center = np.array([net.parameter(name) for name in names])
    path = iterations = None
    low, high = center - span / 2, center + span / 2
    if history is not None and history.snapshots:
        path = np.array(
            [
                [(s.weights if r.is_weight else s.biases)[r.layer - 1][r.index] for r in refs]
                for s in history.snapshots
            ],
            dtype=np.float64,
        )
        iterations = np.array([s.iteration for s in history.snapshots])
        low, high = np.minimum(low, path.min(axis=0)), np.maximum(high, path.max(axis=0))
        margin = 0.1 * (high - low)
        low, high = low - margin, high + margin
    u = np.linspace(low[0], high[0], resolution)
    v = np.linspace(low[1], high[1], resolution)
    probe = net.copy()
    arrays = [(probe.weights if r.is_weight else probe.biases)[r.layer - 1] for r in refs]
    loss_fn = probe.loss_function
    loss = np.empty((resolution, resolution))
    with np.errstate(all="ignore"):
        for row, b in enumerate(v):
            arrays[1][refs[1].index] = b
            for col, a in enumerate(u):
                arrays[0][refs[0].index] = a
                zs, activations = probe.forward_pass(Xc)
                loss[row, col] = loss_fn.value(zs[-1], activations[-1], Yc)
    finite = np.isfinite(loss)
    if not finite.all():
        loss[~finite] = np.max(loss[finite]) if finite.any() else 0.0
    return LossSurface(names, u, v, loss, path, iterations)


def plot_loss_surface(
    net: Network,
    X: Any,
    Y: Any,
    params: Sequence[str] = ("W1[0,0]", "W1[1,0]"),
    *,
    history: TrainingHistory | None = None,
    ax: Axes | None = None,
    span: float = 4.0,
    resolution: int = 41,
    levels: int = 20,
    colorbar: bool = True,
) -> LossSurface:
    """Contours of :func:`loss_surface` with the training path on them (chapter 4).

    Parameters
    ----------
    net, X, Y, params, history, span, resolution
        As for :func:`loss_surface`.
    ax : Axes, optional
    levels : int
        Contour levels, 2 to 200.
    colorbar : bool
        Draw a colour bar.

    Returns
    -------
    LossSurface
        With ``.ax``, ``.contour`` (the filled contours) and ``.path_line`` (the path, or
        ``None``) set.

    Raises
    ------
    TypeError, ValueError
        As :func:`loss_surface`, and for ``levels`` or ``colorbar`` out of range.
    """
    levels = check_integer("levels", levels, minimum=2, maximum=200)
    colorbar = check_bool("colorbar", colorbar)
    surface = loss_surface(net, X, Y, params, history=history, span=span, resolution=resolution)
    ax = new_axes(ax, (5.5, 4.5))
    z = surface.loss
    positive = bool(np.all(z > 0))
    if positive and z.max() / z.min() > 20:
        bounds = np.geomspace(z.min(), z.max(), levels)
    else:
        bounds = np.linspace(z.min(), z.max() + 1e-12, levels)
    surface.contour = ax.contourf(surface.u, surface.v, z, levels=bounds, cmap="viridis_r")
    ax.contour(surface.u, surface.v, z, levels=bounds, colors="white", linewidths=0.4, alpha=0.6)
    if colorbar:
        bar = ax.figure.colorbar(surface.contour, ax=ax, format="%.3g")
        bar.set_label("loss $E$")
    if surface.path is not None:
        (surface.path_line,) = ax.plot(
            surface.path[:, 0],
            surface.path[:, 1],
            "-o",
            color="#e08214",
            markersize=3,
            linewidth=1.5,
            label="gradient descent",
        )
        ax.plot(*surface.path[0], "o", color="white", mec="black", markersize=8, label="start")
        ax.plot(*surface.path[-1], "*", color="#e08214", mec="black", markersize=13, label="end")
        ax.legend(loc="upper right", fontsize=8, framealpha=0.8)
    ax.set_xlabel(surface.params[0])
    ax.set_ylabel(surface.params[1])
    ax.set_title("loss $E$ over two weights (the others fixed)", fontsize=10)
    surface.ax = ax
    return surface
