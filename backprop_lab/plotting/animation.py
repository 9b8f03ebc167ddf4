"""Training as it happens: one iteration's picture, and an animation over iterations (ch. 5).

- :func:`plot_training_state`: the model at one iteration (decision boundary, or the fit
  for one input) beside the loss curve with that iteration marked.
- :func:`animate_training`: the same picture over a run's snapshots, as matplotlib's
  JavaScript animation HTML (``FuncAnimation.to_jshtml``), which plays in a static page
  with no kernel. Frames come from the run's snapshots: nothing is retrained per frame.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.figure import Figure

from backprop_lab.checks.arguments import (
    check_bool,
    check_callable,
    check_finite_array,
    check_integer,
    check_memory,
    check_number,
)
from backprop_lab.nn.history import check_history
from backprop_lab.nn.network import check_network
from backprop_lab.plotting.curves import loss_ceiling, plot_loss_curve
from backprop_lab.plotting.surfaces import (
    MAX_RESOLUTION,
    draw_classifier,
    plot_decision_boundary,
    plot_regression_fit,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from backprop_lab.nn.history import TrainingHistory
    from backprop_lab.nn.network import Network

__all__ = [
    "TrainingAnimation",
    "TrainingView",
    "animate_training",
    "plot_training_state",
    "snapshot_network",
]


def snapshot_network(net: Network, history: TrainingHistory, iteration: int) -> Network:
    """A copy of ``net`` with the parameters of the run's snapshot at or before ``iteration``.

    Raises
    ------
    TypeError
        If ``net`` is not a Network, ``history`` not a TrainingHistory or ``iteration``
        not an integer.
    ValueError
        If ``history`` has no snapshots, they do not fit ``net``, or ``iteration`` < 0.
    """
    check_network("net", net)
    check_history("history", history, snapshots=True)
    iteration = check_integer("iteration", iteration, minimum=0)
    _check_fits(net, history)
    snap = history.snapshot(iteration)
    model = net.copy()
    model.weights = [w.copy() for w in snap.weights]
    model.biases = [b.copy() for b in snap.biases]
    return model


def _check_fits(net: Network, history: TrainingHistory) -> None:
    shapes = [w.shape for w in history.snapshots[0].weights]
    if shapes != [w.shape for w in net.weights]:
        raise ValueError(
            f"history must come from training a network of net's layer sizes "
            f"{net.layer_sizes}; its snapshots have weights of shapes {shapes}"
        )


def _loss_text(history: TrainingHistory, iteration: int) -> str:
    value = float(history.loss[min(iteration, len(history.loss) - 1)])
    return f"loss {value:.4g}" if np.isfinite(value) else "loss not finite"


class TrainingView:
    """Two panels that follow a training run: the model and the loss curve (chapter 5).

    Built once per run; :meth:`show` then moves to another iteration by replacing only what
    changes (the decision-boundary contours or the fitted curve, the marker on the loss
    curve, the titles), which is what makes sliders and animations fast. The parameters
    come from the run's snapshots: nothing is retrained.

    Parameters
    ----------
    axes : two Axes
        Model panel and loss panel.
    net : Network
        A network of the trained architecture (not modified).
    X, Y : array_like
        The training data.
    history : TrainingHistory
        Trained with ``snapshot_every``.
    target_function : callable, optional
        For one input, the function the data came from (drawn dashed).
    log : bool
        Logarithmic loss axis.
    resolution : int
        Grid points per axis of the decision-boundary background.

    Attributes
    ----------
    iteration : int
        The iteration shown (that of the snapshot used).
    model : Network
        A network holding the parameters shown.
    """

    def __init__(
        self,
        axes: Sequence[Axes],
        net: Network,
        X: Any,
        Y: Any,
        history: TrainingHistory,
        *,
        target_function: Callable[[np.ndarray], np.ndarray] | None = None,
        log: bool = True,
        resolution: int = 60,
    ) -> None:
        check_network("net", net)
        check_history("history", history, snapshots=True)
        _check_fits(net, history)
        check_callable("target_function", target_function, optional=True)
        log = check_bool("log", log)
        resolution = check_integer("resolution", resolution, minimum=2, maximum=MAX_RESOLUTION)
        if isinstance(axes, str) or not isinstance(axes, Sequence | np.ndarray) or len(axes) != 2:
            raise TypeError(f"axes must be two matplotlib Axes (model, loss); got {axes!r}")
        self.model_ax, self.loss_ax = axes
        self.net = net
        self.X = check_finite_array("X", X, np.float64)
        self.Y = check_finite_array("Y", Y, np.float64)
        self.regression = net.layer_sizes[0] == 1
        self.resolution = resolution
        self._contours: list[Any] = []
        self.iteration = -1
        self.model = snapshot_network(net, history, history.iterations_run)
        if self.regression:
            plot_regression_fit(
                self.model, self.X, self.Y, ax=self.model_ax, target_function=target_function
            )
            self._fit_line = self.model_ax.get_lines()[-1]
            self._fit_limits = self.model_ax.get_ylim()
        else:
            plot_decision_boundary(
                self.model, self.X, self.Y, ax=self.model_ax, resolution=resolution
            )
            self._contours = [
                *[c for c in self.model_ax.collections if hasattr(c, "levels")],
                *self.model_ax.images,
            ]
            (x0, x1), (y0, y1) = self.model_ax.get_xlim(), self.model_ax.get_ylim()
            self._grid = np.meshgrid(
                np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
            )
        self.log = log
        self._marker = None
        self.set_history(history)
        # fixed title positions and few ticks: the redraw then lays out little text
        self._title = self.model_ax.set_title("", fontsize=10, y=1.0)
        self._loss_title = self.loss_ax.set_title("", fontsize=10, y=1.0)
        self.model_ax.locator_params(nbins=5)
        self.loss_ax.locator_params(axis="x", nbins=5)

    def set_history(self, history: TrainingHistory, net: Network | None = None) -> None:
        """Follow another run on the same data (a new learning rate, seed or network):
        the loss curve is replaced in place; call :meth:`show` next."""
        check_history("history", history, snapshots=True)
        if net is not None:
            self.net = check_network("net", net)
        _check_fits(self.net, history)
        self.model = snapshot_network(self.net, history, history.iterations_run)
        self.history = history
        ax = self.loss_ax
        for artist in [*ax.lines, *ax.texts]:
            artist.remove()
        plot_loss_curve(history, ax=ax, log=self.log)
        ax.relim()
        ax.autoscale_view(scalex=False)
        (self._marker,) = ax.plot([], [], "o", color="#e08214", markersize=8, zorder=5)

    def show(self, iteration: int) -> None:
        """Show the snapshot at or before ``iteration`` (an integer >= 0)."""
        snap = self.history.snapshot(check_integer("iteration", iteration, minimum=0))
        self.model.weights = [w.copy() for w in snap.weights]
        self.model.biases = [b.copy() for b in snap.biases]
        if self.regression:
            grid = self._fit_line.get_xdata()
            out = np.asarray(self.model.outputs_unchecked(grid[:, None]), dtype=np.float64)
            out = out[:, 0]
            low, high = self._fit_limits
            self._fit_line.set_ydata(np.clip(np.nan_to_num(out, nan=0.0), low, high))
        else:
            for artist in self._contours:
                artist.remove()
            gx, gy = self._grid
            self._contours = draw_classifier(self.model_ax, self.model, gx, gy)
        value = float(self.history.loss[min(snap.iteration, len(self.history.loss) - 1)])
        if np.isfinite(value):
            value = min(value, loss_ceiling(self.history.loss))
            self._marker.set_data([snap.iteration], [value])
        else:
            self._marker.set_data([], [])
        self._title.set_text(f"iteration {snap.iteration}")
        self._loss_title.set_text(_loss_text(self.history, snap.iteration))
        self.iteration = snap.iteration


def plot_training_state(
    net: Network,
    X: Any,
    Y: Any,
    history: TrainingHistory,
    iteration: int | None = None,
    *,
    axes: Sequence[Axes] | None = None,
    target_function: Callable[[np.ndarray], np.ndarray] | None = None,
    log: bool = True,
    resolution: int = 60,
) -> TrainingView:
    """The model at one iteration of a run beside the loss curve (chapter 5).

    The parameters come from the run's snapshot at or before ``iteration`` (train with
    ``snapshot_every``); nothing is retrained. Two inputs give a decision boundary, one
    input a regression fit.

    Parameters
    ----------
    net : Network
        A network of the trained architecture; it is not modified.
    X, Y : array_like
        The training data.
    history : TrainingHistory
    iteration : int, optional
        Default: the last iteration run.
    axes : two Axes, optional
        Model panel and loss panel; a new 1 x 2 figure 7.2 inches wide if omitted.
    target_function : callable, optional
        For one input: the function the data were drawn around, drawn dashed.
    log : bool
        Logarithmic loss axis.
    resolution : int
        Grid points per axis of the decision-boundary background.

    Returns
    -------
    TrainingView
        Its ``model_ax`` and ``loss_ax`` hold the panels; ``show(t)`` moves to iteration t.

    Raises
    ------
    TypeError
        If ``net`` is not a Network, ``history`` not a TrainingHistory, or an argument
        has the wrong type.
    ValueError
        If ``history`` has no snapshots or does not fit ``net``, ``iteration`` < 0, or
        ``resolution`` is outside 2 to 1000.
    """
    check_network("net", net)
    check_history("history", history, snapshots=True)
    if iteration is not None:
        iteration = check_integer("iteration", iteration, minimum=0)
    if axes is None:
        import matplotlib.pyplot as plt

        # drawn for the book's column (720 px at 100 dpi), not wider: a wider figure is
        # shrunk on a phone until its text is unreadable
        _, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
    view = TrainingView(
        axes, net, X, Y, history, target_function=target_function, log=log, resolution=resolution
    )
    view.show(history.iterations_run if iteration is None else iteration)
    return view


@dataclass
class TrainingAnimation:
    """A training animation as self-contained HTML (chapter 5).

    Displays itself in a notebook (``_repr_html_``) and plays in a static page: the frames
    are PNG images inside the HTML, driven by matplotlib's small JavaScript player.

    Attributes
    ----------
    html : str
        The output of ``FuncAnimation.to_jshtml()``.
    iterations : list of int
        The iteration each frame shows.
    """

    html: str
    iterations: list[int]

    @property
    def n_frames(self) -> int:
        return len(self.iterations)

    def _repr_html_(self) -> str:
        return self.html

    def save(self, path: str | Path) -> Path:
        """Write the animation to an HTML file."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def __repr__(self) -> str:
        return f"TrainingAnimation({self.n_frames} frames, iterations {self.iterations[:3]}...)"


def frame_iterations(history: TrainingHistory, max_frames: int) -> list[int]:
    """At most ``max_frames`` snapshot iterations, evenly spread, first and last included."""
    available = [s.iteration for s in history.snapshots]
    if len(available) <= max_frames:
        return available
    picks = np.unique(np.round(np.linspace(0, len(available) - 1, max_frames)).astype(int))
    return [available[k] for k in picks]


def animate_training(
    net: Network,
    X: Any,
    Y: Any,
    history: TrainingHistory,
    *,
    max_frames: int = 30,
    dpi: float = 60,
    interval: float = 200,
    figsize: tuple[float, float] = (7.2, 3.0),
    target_function: Callable[[np.ndarray], np.ndarray] | None = None,
    resolution: int = 50,
    palette: int | None = None,
) -> TrainingAnimation:
    """An animation of a training run: the model and the loss, frame by frame (chapter 5).

    Parameters
    ----------
    net : Network
        A network of the trained architecture (not modified).
    X, Y : array_like
        The training data.
    history : TrainingHistory
        A run trained with ``snapshot_every``; each frame shows one snapshot.
    max_frames : int
        At most this many frames (spread evenly over the snapshots), which bounds the size
        of the HTML (each frame is a PNG at ``dpi``).
    dpi : float
        Resolution of the frames.
    interval : float
        Milliseconds between frames.
    figsize : (float, float)
        Inches; the default, 432 by 180 pixels at 60 dpi, keeps the frames' 10-point text
        at least 6 px tall where a phone's column shrinks them.
    target_function : callable, optional
        For one input, the function the data came from.
    resolution : int
        Grid points per axis of the decision-boundary background.
    palette : int, optional
        Store each frame as a PNG with an adaptive palette of at most this many colours
        (2 to 256) instead of full colour. A frame is a few flat colour bands, lines and
        text, so 64 colours look the same and take about a quarter of the bytes (chapter
        5's page budget); None (the default) keeps full-colour frames.

    Returns
    -------
    TrainingAnimation
        Its ``html`` plays without a kernel; the figure used is discarded.

    Raises
    ------
    TypeError
        If ``net`` is not a Network, ``history`` not a TrainingHistory, or an argument
        has the wrong type.
    ValueError
        If ``history`` has no snapshots or does not fit ``net``, or ``max_frames``
        (1 to 500), ``dpi`` (10 to 300), ``interval`` (> 0 ms, at most a minute),
        ``figsize`` (two numbers from 1 to 30 inches), ``resolution`` or ``palette`` is
        out of range.
    """
    from matplotlib.animation import FuncAnimation

    check_network("net", net)
    check_history("history", history, snapshots=True)
    max_frames = check_integer("max_frames", max_frames, minimum=1, maximum=500)
    dpi = check_number("dpi", dpi, minimum=10.0, maximum=300.0)
    interval = check_number("interval", interval, minimum=0.0, maximum=60_000.0, strict=True)
    figsize = _check_figsize(figsize)
    if palette is not None:
        palette = check_integer("palette", palette, minimum=2, maximum=256)
    # every frame is rendered as an RGBA image of this many pixels before it is compressed
    check_memory(
        f"a frame of figsize={figsize} at dpi={dpi:g}",
        4 * figsize[0] * figsize[1] * dpi * dpi,
        "use a smaller figsize or dpi",
    )
    iterations = frame_iterations(history, max_frames)
    # a figure without an Agg canvas: FuncAnimation's redraw after each frame is then a
    # no-op and only the saved PNG is rendered (half the work)
    fig = Figure(figsize=figsize, dpi=dpi)
    axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.25]})
    fig.subplots_adjust(left=0.07, right=0.97, bottom=0.15, top=0.88, wspace=0.28)
    view = TrainingView(
        axes, net, X, Y, history, target_function=target_function, resolution=resolution
    )

    def draw(iteration: int) -> list[Any]:
        view.show(iteration)
        return list(axes)

    animation = FuncAnimation(fig, draw, frames=iterations, interval=interval, blit=False)
    try:
        html = animation.to_jshtml(default_mode="once")
    finally:
        animation.event_source = None
        fig.clear()
    if palette is not None:
        html = palette_frames(html, palette)
    return TrainingAnimation(html=offline_player(html), iterations=list(iterations))


# A frame as FuncAnimation.to_jshtml embeds it: a JavaScript string holding the PNG's base64,
# its lines joined by backslash-newline continuations.
_PNG_FRAME = re.compile(r'(data:image/png;base64,)([A-Za-z0-9+/=\\\n]+)"')


def palette_frames(html: str, colours: int) -> str:
    """Re-encode every PNG frame of ``to_jshtml`` output with an adaptive palette of at most
    ``colours`` colours (see :func:`animate_training`'s ``palette``)."""
    from PIL import Image

    def requantize(match: re.Match[str]) -> str:
        png = base64.b64decode(match.group(2).replace("\\\n", ""))
        with Image.open(io.BytesIO(png)) as frame:
            small = frame.convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT)
            dpi = frame.info.get("dpi")
        out = io.BytesIO()
        # keeping the frame's dpi (its pHYs chunk) tells a reader how large its text is
        # drawn (tests/integration/test_site_layout.py measures it at phone width)
        small.save(out, format="PNG", optimize=True, **({"dpi": dpi} if dpi else {}))
        data = base64.encodebytes(out.getvalue()).decode("ascii")
        return match.group(1) + data.replace("\n", "\\\n") + '"'

    return _PNG_FRAME.sub(requantize, html)


def _check_figsize(figsize: Any) -> tuple[float, float]:
    if isinstance(figsize, str) or not isinstance(figsize, Sequence | np.ndarray):
        raise TypeError(f"figsize must be (width, height) in inches; got {figsize!r}")
    if len(figsize) != 2:
        raise ValueError(f"figsize must be two numbers (width, height); got {figsize!r}")
    width = check_number("figsize[0]", figsize[0], minimum=1.0, maximum=30.0)
    height = check_number("figsize[1]", figsize[1], minimum=1.0, maximum=30.0)
    return width, height


# matplotlib's player links Font Awesome from a CDN for its button icons; offline (and in
# the static site, which must make no non-local request) those icons would be blank, so the
# stylesheet is dropped and each icon replaced by a Unicode symbol that common fonts
# (DejaVu) have: the media-control symbols U+23EE/U+23ED showed as empty boxes.
_ICONS = {
    "fa fa-minus": "&#8722;",
    "fa fa-fast-backward": "&#8676;",
    "fa fa-step-backward": "&#9664;&#10073;",
    "fa fa-play fa-flip-horizontal": "&#9664;",
    "fa fa-pause": "&#10073;&#10073;",
    "fa fa-play": "&#9654;",
    "fa fa-step-forward": "&#10073;&#9654;",
    "fa fa-fast-forward": "&#8677;",
    "fa fa-plus": "+",
}
_REMOTE_STYLESHEET = re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", re.IGNORECASE)


def offline_player(html: str) -> str:
    """Make ``to_jshtml`` output self-contained: no CDN stylesheet, Unicode button icons."""
    html = _REMOTE_STYLESHEET.sub("", html)
    for css_class, symbol in _ICONS.items():
        html = html.replace(f'<i class="{css_class}"></i>', symbol)
    return html
