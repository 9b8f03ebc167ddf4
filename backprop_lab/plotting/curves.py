"""Curves of chapters 1 and 4 and beyond: activations, loss curves, learning rates, 1-D
descent, gradient sizes per layer.

- :func:`plot_activation` (chapter 1): an activation function and its derivative.
- :func:`plot_loss_curve` (chapter 4): the loss over iterations, divergence marked.
- :func:`plot_learning_rates` (chapter 4): several runs on one axes, divergent ones clipped.
- :func:`plot_descent_path` (chapter 4): 1-D gradient descent on a function.
- :func:`plot_layer_gradients` (vanishing gradients): each layer's gradient size, for
  one network or several on one axes.

Each draws on the ``ax`` it is given (or a new figure) and changes no global matplotlib state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from backprop_lab.checks.arguments import (
    check_bool,
    check_integer,
    check_interval,
    check_number,
    check_optional_text,
    describe,
)
from backprop_lab.nn.activations import get_activation
from backprop_lab.nn.traces import Gradients
from backprop_lab.plotting.figures import DIVERGED_COLOR, finite_losses, losses_of, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_CEILING = 1e4
"""A loss curve is cut where the loss exceeds this many times its starting value."""

MAX_POINTS = 100_000
"""Most points of a plotted curve."""

__all__ = [
    "loss_ceiling",
    "plot_activation",
    "plot_descent_path",
    "plot_layer_gradients",
    "plot_learning_rates",
    "plot_loss_curve",
]


def _check_losses(argument: str, history: Any) -> np.ndarray:
    """The losses of a history, refusing what is not a non-empty 1-D run of numbers."""
    if isinstance(history, str | bytes) or history is None:
        raise TypeError(
            f"{argument} must be a TrainingHistory, a DescentPath or a list of losses; "
            f"got {describe(history)}"
        )
    shape = np.shape(getattr(history, "loss", getattr(history, "fx", history)))
    losses = losses_of(history)
    if len(shape) != 1 or not losses.size:
        raise ValueError(
            f"{argument} must hold a 1-D run of losses, one per iteration; got "
            f"{describe(history)} (shape {shape})"
        )
    return losses


def _check_color(argument: str, color: Any) -> Any:
    from matplotlib.colors import is_color_like

    if color is not None and not is_color_like(color):
        raise ValueError(
            f"{argument} must be a matplotlib colour such as 'red' or '#2166ac'; got "
            f"{describe(color)}"
        )
    return color


def _diverged_at(history: Any, losses: np.ndarray) -> int | None:
    if getattr(history, "diverged", False):
        return getattr(history, "diverged_at", None)
    bad = np.flatnonzero(~np.isfinite(losses))
    return int(bad[0]) if bad.size else None


# ------------------------------------------------------------------- activations


def plot_activation(
    activation: str = "sigmoid",
    *,
    ax: Axes | None = None,
    z_range: tuple[float, float] = (-6.0, 6.0),
    derivative: bool = True,
    n_points: int = 401,
) -> Axes:
    """An activation function :math:`f(z)` and its derivative :math:`f'(z)` (chapter 1).

    Parameters
    ----------
    activation : str
        ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    ax : Axes, optional
    z_range : (float, float)
        The net inputs shown.
    derivative : bool
        Also draw :math:`f'(z)` (dashed).
    n_points : int
        Points of the curves, 2 to :data:`MAX_POINTS`.

    Returns
    -------
    Axes
        With the line ``f(z)`` (label ``"f(z)"``) and, if asked, ``"f'(z)"``.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If ``activation`` is unknown (softmax is not element-wise), ``z_range`` is not
        two finite numbers with low < high, or ``n_points`` is out of range.
    """
    act = get_activation(activation)
    try:
        low, high = check_interval("z_range", z_range)
    except ValueError:
        raise ValueError(
            f"z_range must be two finite numbers, low < high; got {z_range!r}"
        ) from None
    n_points = check_integer("n_points", n_points, minimum=2, maximum=MAX_POINTS)
    derivative = check_bool("derivative", derivative)
    ax = new_axes(ax)
    z = np.linspace(low, high, n_points)
    ax.plot(z, act.function(z), color="#2166ac", linewidth=2.2, label="f(z)")
    if derivative:
        ax.plot(z, act.derivative(z), color="#e08214", linewidth=1.8, linestyle="--", label="f'(z)")
    ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.axvline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.set_xlabel("net input $z$")
    # the name above the formulas: a two-line title fits a panel drawn for a phone's column
    ax.set_title(f"{activation}\n$f(z) = {act.symbol}$, $f'(z) = {act.derivative_symbol}$")
    ax.legend(loc="upper left", frameon=False)
    return ax


# ------------------------------------------------------------------- loss curves


def plot_loss_curve(
    history: Any,
    *,
    ax: Axes | None = None,
    log: bool = False,
    label: str | None = None,
    color: str | None = None,
    mark: int | None = None,
    step_name: str = "iteration",
) -> Axes:
    """The loss after each iteration of a training run (chapter 4).

    Parameters
    ----------
    history : TrainingHistory or sequence of float
        ``history.loss[t]`` is the loss after ``t`` updates.
    ax : Axes, optional
    log : bool
        Logarithmic loss axis.
    label, color : str, optional
        Legend label and colour of the curve.
    mark : int, optional
        An iteration to mark with a dot (the one a slider shows).
    step_name : str
        What one update is called in the labels (``"step"`` for 1-D descent).

    Returns
    -------
    Axes
        The curve is ``ax.lines[0]`` (finite values only); a divergence is marked with a
        cross at the last finite loss and the text "diverged at iteration k".

    Raises
    ------
    TypeError
        If ``history`` holds no losses or an argument has the wrong type.
    ValueError
        If ``history`` is empty or not 1-D, ``mark`` < 0, or ``color`` is not a colour.
    """
    losses = _check_losses("history", history)
    log = check_bool("log", log)
    check_optional_text("label", label)
    _check_color("color", color)
    if mark is not None:
        mark = check_integer("mark", mark, minimum=0)
    if not isinstance(step_name, str):
        raise TypeError(f"step_name must be a string; got {describe(step_name)}")
    ax = new_axes(ax)
    iterations, values = finite_losses(losses)
    tiny = np.finfo(np.float64).tiny
    ceiling = loss_ceiling(values)
    above = np.flatnonzero(values > ceiling)
    if above.size:  # a blow-up is drawn until it leaves the picture
        iterations, values = iterations[: above[0] + 1], np.minimum(values[: above[0] + 1], ceiling)
    if log:
        values = np.maximum(values, tiny)
    (line,) = ax.plot(iterations, values, color=color or "#2166ac", linewidth=1.8, label=label)
    diverged_at = _diverged_at(history, losses)
    if (diverged_at is not None or above.size) and values.size:
        on_right = iterations[-1] > 0.5 * max(1, losses.size - 1)
        ax.plot(iterations[-1], values[-1], "x", color=DIVERGED_COLOR, markersize=10, mew=2.5)
        ax.annotate(
            f"diverged at {step_name} {diverged_at}"
            if diverged_at is not None
            else f"loss above {_CEILING:g} × its start",
            (iterations[-1], values[-1]),
            xytext=(-8, -4) if on_right else (8, -4),
            textcoords="offset points",
            ha="right" if on_right else "left",
            va="top",
            color=DIVERGED_COLOR,
            fontsize=9,
        )
    if mark is not None and values.size:
        index = int(np.clip(np.searchsorted(iterations, mark, side="right") - 1, 0, None))
        ax.plot(iterations[index], values[index], "o", color=line.get_color(), markersize=7)
    if log:
        ax.set_yscale("log")
        decades = np.log10(values.max() / values.min()) if values.size else 0.0
        subs = (1.0, 2.0, 5.0) if decades <= 2 else (1.0,)
        ax.yaxis.set_major_locator(LogLocator(base=10.0, subs=subs))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(step_name)
    ax.set_ylabel("loss $E$")
    if iterations.size:
        ax.set_xlim(0, max(1, int(losses.size - 1)))
    return ax


def loss_ceiling(values: np.ndarray) -> float:
    """The highest loss a curve shows: :data:`_CEILING` times its first finite value."""
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if not finite.size:
        return np.inf
    return _CEILING * max(abs(float(finite[0])), 1e-12)


def plot_learning_rates(
    histories: Mapping[Any, Any] | Sequence[Any],
    *,
    ax: Axes | None = None,
    log: bool | None = None,
    clip: float = 3.0,
) -> Axes:
    """Loss curves of runs with different learning rates on one axes (chapter 4).

    Diverging runs are drawn up to their last finite loss, marked with a cross and named
    "diverged at iteration k" in the legend; the loss axis is clipped so that one run that
    blows up does not flatten the others. Nothing non-finite is ever plotted.

    Parameters
    ----------
    histories : mapping or sequence
        ``{label: history}`` or a list of :class:`~backprop_lab.nn.history.TrainingHistory`
        (labelled by their learning rates). A history may also be a
        :class:`~backprop_lab.calc.descent.DescentPath` (its :math:`f(x_t)`) or an array.
    log : bool, optional
        Logarithmic loss axis; by default when every loss shown is positive.
    clip : float
        The top of the loss axis is ``clip`` times the largest starting loss (or the
        largest loss of a non-diverging run, if smaller).

    Returns
    -------
    Axes
        One line per run, in order (``ax.lines``), each with its legend label.
    """
    if isinstance(histories, Mapping):
        items = list(histories.items())
    elif isinstance(histories, Sequence) and not isinstance(histories, str):
        items = [(None, h) for h in histories]
    else:
        raise TypeError(
            "histories must be a dict {label: history} or a list of histories; "
            f"got {type(histories).__name__}"
        )
    if not items:
        raise ValueError("histories must hold at least one run; got none")
    if log is not None:
        log = check_bool("log", log)
    clip = check_number("clip", clip, minimum=0.0, maximum=1e12, strict=True)
    checked = [
        _check_losses(f"histories[{label if label is not None else k!r}]", history)
        for k, (label, history) in enumerate(items)
    ]
    ax = new_axes(ax)
    runs = []
    for (label, history), losses in zip(items, checked):
        iterations, values = finite_losses(losses)
        if label is None:
            rate = getattr(history, "learning_rate", None)
            label = f"η = {rate:g}" if rate is not None else f"run {len(runs) + 1}"
        diverged_at = _diverged_at(history, losses)
        runs.append((str(label), iterations, values, diverged_at))
    shown = np.concatenate([v for _, _, v, _ in runs if v.size] or [np.ones(1)])
    if log is None:
        log = bool(np.all(shown > 0))
    starts = [v[0] for _, _, v, _ in runs if v.size]
    calm = [v for _, _, v, d in runs if v.size and d is None]
    top = clip * max(abs(s) for s in starts) if starts else 1.0
    if calm:
        top = min(top, 1.05 * max(float(np.max(v)) for v in calm)) if not log else top
    colors = [f"C{k % 10}" for k in range(len(runs))]
    for (label, iterations, values, diverged_at), color in zip(runs, colors):
        if diverged_at is not None:
            label = f"{label} (diverged at iteration {diverged_at})"
        above = np.flatnonzero(values > top)
        if diverged_at is not None and above.size:
            # a run that blows up is drawn until it leaves the picture, then marked there
            iterations, values = iterations[: above[0] + 1], values[: above[0] + 1]
        clipped = np.minimum(values, top)
        (line,) = ax.plot(iterations, clipped, color=color, linewidth=1.8, label=label)
        if diverged_at is not None and values.size:
            ax.plot(iterations[-1], clipped[-1], "x", color=color, markersize=10, mew=2.5)
        elif above.size:
            line.set_linestyle(":")
    if log:
        ax.set_yscale("log")
        bottom = max(float(np.min(shown)), np.finfo(np.float64).tiny) / 2
        ax.set_ylim(bottom, top * 1.5)
    else:
        low = min(0.0, float(np.min(shown)))
        ax.set_ylim(low, top if top > low else low + 1.0)
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss $E$")
    ax.legend(frameon=False, fontsize=8)
    return ax


# ----------------------------------------------------------------- 1-D descent


def plot_descent_path(
    function: Any,
    path: Any,
    *,
    ax: Axes | None = None,
    domain: tuple[float, float] | None = None,
    max_arrows: int = 60,
) -> Axes:
    """Gradient descent on a function of one number: the curve and the steps (chapter 4).

    Parameters
    ----------
    function : Function1D or callable
        The function :math:`f` (a :class:`~backprop_lab.calc.descent.Function1D` or any
        vectorised callable).
    path : DescentPath
        From :func:`~backprop_lab.calc.descent.gradient_descent_1d`: positions ``path.x`` and
        values ``path.fx``, all finite.
    ax : Axes, optional
    domain : (float, float), optional
        The x-range shown; by default the function's ``domain`` widened to the path, at most
        three times its width (steps beyond are drawn at the edge and marked).
    max_arrows : int
        Draw at most this many steps (the first ones).

    Returns
    -------
    Axes
        ``ax.lines[0]`` is the curve, ``ax.lines[1]`` the visited points.

    Raises
    ------
    TypeError
        If ``function`` is not callable, ``path`` not a DescentPath, or an argument has
        the wrong type.
    ValueError
        If ``path`` is empty or not finite, ``domain`` is not two finite numbers with
        low < high, or ``max_arrows`` < 0.
    """
    f = getattr(function, "f", function)
    if not callable(f):
        raise TypeError(f"function must be a Function1D or a callable; got {function!r}")
    if not (hasattr(path, "x") and hasattr(path, "fx")):
        raise TypeError(
            "path must be a DescentPath (from gradient_descent_1d), with positions .x and "
            f"values .fx; got {describe(path)}"
        )
    xs = np.asarray(path.x, dtype=np.float64).ravel()
    fx = np.asarray(path.fx, dtype=np.float64).ravel()
    if not xs.size or xs.shape != fx.shape or not (np.isfinite(xs).all() and np.isfinite(fx).all()):
        raise ValueError(
            "path must hold as many finite positions .x as values .fx, at least one; got "
            f"{xs.size} positions and {fx.size} values"
        )
    if domain is not None:
        domain = check_interval("domain", domain)
    max_arrows = check_integer("max_arrows", max_arrows, minimum=0, maximum=10_000)
    base = domain or getattr(function, "domain", None)
    if base is None:
        base = (float(np.min(xs)) - 1.0, float(np.max(xs)) + 1.0)
    low, high = float(base[0]), float(base[1])
    if domain is None:
        width = high - low
        low = max(min(low, float(np.min(xs)) - 0.1 * width), low - width)
        high = min(max(high, float(np.max(xs)) + 0.1 * width), high + width)
    ax = new_axes(ax)
    grid = np.linspace(low, high, 400)
    with np.errstate(all="ignore"):
        curve = np.asarray(f(grid), dtype=np.float64)
    ok = np.isfinite(curve) if curve.shape == grid.shape else np.zeros(grid.shape, bool)
    if not ok.any():
        raise ValueError(
            f"function must give finite numbers, one per x, over the x-range shown "
            f"({low:g} to {high:g}); got none"
        )
    ax.plot(grid[ok], curve[ok], color="0.25", linewidth=2.0, label="$f(x)$")
    y_low, y_high = float(np.min(curve[ok])), float(np.max(curve[ok]))
    span = y_high - y_low or 1.0
    # draw the path up to the first point that leaves the picture
    outside = np.flatnonzero((xs < low) | (xs > high))
    last = int(outside[0]) - 1 if outside.size else len(xs) - 1
    shown_x, shown_f = xs[: last + 1], fx[: last + 1]
    ax.plot(shown_x, shown_f, "o", color="#e08214", markersize=5, zorder=4, label="$x_t$")
    steps = min(last, max_arrows)
    if steps:  # one arrow per step, all in one artist
        ax.quiver(
            shown_x[:steps],
            shown_f[:steps],
            np.diff(shown_x[: steps + 1]),
            np.diff(shown_f[: steps + 1]),
            angles="xy",
            scale_units="xy",
            scale=1.0,
            color="#e08214",
            alpha=0.8,
            width=0.005,
            headwidth=5,
            headlength=7,
            headaxislength=6,
            zorder=3,
        )
    ax.plot(shown_x[0], shown_f[0], "o", color="#1b7837", markersize=9, zorder=5, label="start")
    notes = []
    if outside.size:
        notes.append(f"step {last + 1} leaves the picture (x = {xs[last + 1]:.3g})")
    if getattr(path, "diverged", False):
        notes.append(f"diverged at step {path.diverged_at}")
    if notes:
        ax.text(
            0.5,
            0.97,
            "\n".join(notes),
            transform=ax.transAxes,
            ha="center",
            va="top",
            color=DIVERGED_COLOR,
            fontsize=9,
        )
    ax.set_xlim(low, high)
    ax.set_ylim(y_low - 0.08 * span, y_high + 0.12 * span)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    return ax


# ------------------------------------------------------------ gradient sizes


def _layer_sizes_of(series: Any, measure: str) -> np.ndarray:
    if isinstance(series, Gradients):
        return series.layer_norms(measure)
    if isinstance(series, str | bytes):
        raise TypeError(f"gradients must be Gradients or numbers; got {series!r}")
    try:
        values = np.asarray(series, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            "gradients must be a Gradients (from net.gradients(X, Y)), a sequence of "
            f"per-layer sizes, or a dict of them; got {type(series).__name__}"
        ) from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"per-layer gradient sizes must be a non-empty 1-D sequence; got shape {values.shape}"
        )
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"per-layer gradient sizes must be finite and >= 0; got {values}")
    return values


def plot_layer_gradients(
    gradients: Any,
    *,
    ax: Axes | None = None,
    measure: str = "norm",
    log: bool = True,
) -> Axes:
    """The size of each layer's weight gradient, layer 1 to L (vanishing gradients).

    One line per network, with a marker per layer: in a deep sigmoid network the line
    falls towards the input (the gradient vanishes), with ReLU it stays flatter.

    Parameters
    ----------
    gradients : Gradients, dict or sequence
        ``net.gradients(X, Y)``; or ``{label: Gradients}`` to compare several networks
        on one axes; each value may also be the per-layer sizes themselves (numbers >= 0).
    ax : Axes, optional
    measure : {"norm", "mean_abs"}
        What :meth:`~backprop_lab.nn.traces.Gradients.layer_norms` measures: the Frobenius
        norm (default) or the mean absolute value of each layer's weight gradient.
    log : bool
        Logarithmic size axis (the default: vanishing gradients span orders of
        magnitude). A size of exactly 0 cannot be shown on it and is left out.

    Returns
    -------
    Axes
        One line per network (``ax.lines``), x the layer numbers 1..L, y the sizes.
    """
    if measure not in ("norm", "mean_abs"):
        raise ValueError(f"measure must be 'norm' or 'mean_abs'; got {measure!r}")
    if isinstance(gradients, Mapping):
        items = [(str(label), _layer_sizes_of(g, measure)) for label, g in gradients.items()]
        if not items:
            raise ValueError("gradients must hold at least one network; got an empty dict")
    else:
        items = [(None, _layer_sizes_of(gradients, measure))]
    ax = new_axes(ax)
    longest = 1
    for k, (label, sizes) in enumerate(items):
        layers = np.arange(1, sizes.size + 1)
        keep = sizes > 0 if log else np.ones(sizes.size, dtype=bool)
        ax.plot(layers[keep], sizes[keep], "o-", color=f"C{k % 10}", linewidth=1.8, label=label)
        longest = max(longest, sizes.size)
    if log:
        ax.set_yscale("log")
    ax.set_xticks(np.arange(1, longest + 1))
    ax.set_xlabel("layer $l$ (1 = next to the inputs)")
    if measure == "norm":
        ax.set_ylabel("gradient size $\\Vert\\partial E / \\partial W^{(l)}\\Vert_F$")
    else:
        ax.set_ylabel("gradient size, mean $|\\partial E / \\partial w^{(l)}_{ij}|$")
    if any(label is not None for label, _ in items):
        ax.legend(frameon=False, fontsize=8)
    return ax
