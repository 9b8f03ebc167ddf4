"""The book's interactive explorers (chapters 1 to 5), built on ipywidgets.

================================  ==========================================  =========
explorer                          what the reader moves                       chapter
================================  ==========================================  =========
:class:`NeuronExplorer`           one neuron's weights, bias, activation      1
:class:`ForwardStepper`           a forward pass, layer by layer              2
:class:`BackpropStepper`          the chain rule for one parameter, factor    3
                                  by factor
:class:`GradientDescentExplorer`  learning rate, steps, start, function       4
:class:`TrainingExplorer`         data set, hidden layers, activation,        5
                                  learning rate, iterations, seed, reset
================================  ==========================================  =========

Every explorer builds with no arguments, exposes its controls in ``controls`` (a dict keyed
by parameter name), owns a ``figure`` redrawn in place and shown as a PNG ``image`` (so its
view renders in a static page), has a ``status`` line and an ``update()`` method, and
displays itself (``display(explorer)`` or a bare ``explorer`` at the end of a cell). The
controls only change values; the work is done by the package's tested functions. Nothing a
reader does raises: problems become a status message.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.activations import HIDDEN_ACTIVATIONS, get_activation
from backprop_lab.curves import plot_descent_path, plot_loss_curve
from backprop_lab.descent import FUNCTIONS, get_function
from backprop_lab.explorer import (
    Explorer,
    StaticAxis,
    check_slider_value,
    grid_around,
    values_with,
)
from backprop_lab.figures import clear_artists
from backprop_lab.steppers import BackpropStepper, ForwardStepper
from backprop_lab.training_explorer import TrainingExplorer, parse_hidden_layers
from backprop_lab.validation import check_choice, check_integer, check_positive_number

__all__ = [
    "BackpropStepper",
    "Explorer",
    "ForwardStepper",
    "GradientDescentExplorer",
    "NeuronExplorer",
    "TrainingExplorer",
    "parse_hidden_layers",
]


def _number(argument: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{argument} must be a number; got {value!r} ({type(value).__name__})")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{argument} must be a finite number; got {value}")
    return value


def _two_places(values: Any) -> list[str]:
    return [f"{v:.2f}" for v in values]


def _significant(values: Any) -> list[str]:
    return [f"{v:.2g}" for v in values]


def _slider(name: str, value: float, low: float, high: float, step: float = 0.1) -> Any:
    value = check_slider_value(name, float(value), low, high)
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=name, readout_format=".2f"
    )


# ------------------------------------------------------------------------ neuron


class NeuronExplorer(Explorer):
    """One neuron with two inputs: :math:`a = f(w_1 x_1 + w_2 x_2 + b)` (chapter 1).

    Left, the activation curve :math:`f(z)` with the neuron's current net input marked;
    right, the neuron's output over the input plane, with the line where :math:`z = 0` and
    the chosen input marked.

    Parameters
    ----------
    w1, w2 : float
        The weights (sliders from -5 to 5).
    b : float
        The bias (-5 to 5).
    activation : str
        ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    x1, x2 : float
        The inputs (-3 to 3).

    Attributes
    ----------
    controls : dict
        ``"w1"``, ``"w2"``, ``"b"``, ``"activation"``, ``"x1"``, ``"x2"``.
    z, a : float
        The current net input and output.
    """

    figsize = (8.6, 3.5)
    dpi = 80

    def __init__(
        self,
        w1: float = 1.0,
        w2: float = -1.0,
        b: float = 0.5,
        activation: str = "sigmoid",
        x1: float = 1.0,
        x2: float = 0.5,
    ) -> None:
        super().__init__()
        check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        values = {
            "w1": _number("w1", w1),
            "w2": _number("w2", w2),
            "b": _number("b", b),
            "x1": _number("x1", x1),
            "x2": _number("x2", x2),
        }
        for name in ("w1", "w2", "b"):
            self.controls[name] = _slider(name, values[name], -5.0, 5.0)
        self.controls["activation"] = widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="activation"
        )
        for name in ("x1", "x2"):
            self.controls[name] = _slider(name, values[name], -3.0, 3.0)
        self.z = self.a = 0.0
        self._setup_axes()
        c = self.controls
        self._assemble([[c["w1"], c["w2"], c["b"]], [c["activation"], c["x1"], c["x2"]]])

    def _setup_axes(self) -> None:
        fig = self.figure
        self.curve_ax, self.plane_ax = fig.subplots(1, 2)
        fig.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.88, wspace=0.28)
        ax = self.curve_ax
        (self._curve,) = ax.plot([], [], color="#2166ac", linewidth=2.2, label="$f(z)$")
        (self._guide,) = ax.plot([], [], ":", color="0.4", linewidth=1.0)
        (self._point,) = ax.plot([], [], "o", color="#e08214", markersize=9, zorder=5)
        ax.axhline(0.0, color="0.7", linewidth=0.8, zorder=0)
        ax.axvline(0.0, color="0.7", linewidth=0.8, zorder=0)
        ax.set_xlabel("net input $z$")
        ax.set_ylabel("output $a = f(z)$")
        grid = np.linspace(-3.0, 3.0, 41)
        self._grid = np.meshgrid(grid, grid)
        self._plane: list[Any] = []
        ax = self.plane_ax
        (self._input,) = ax.plot(
            [], [], "o", color="white", mec="black", markersize=9, zorder=5, clip_on=False
        )
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_title("output $a$ over the inputs (red low, blue high)", fontsize=10)

    def _render(self) -> tuple[str, str]:
        v = {name: c.value for name, c in self.controls.items()}
        act = get_activation(v["activation"])
        z = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]
        a = float(act.function(np.array(z)))
        self.z, self.a = z, a
        reach = max(6.0, 1.15 * abs(z))
        zs = np.linspace(-reach, reach, 301)
        fz = act.function(zs)
        self._curve.set_data(zs, fz)
        self._point.set_data([z], [a])
        self._guide.set_data([z, z, -reach], [0.0, a, a])
        low, high = float(fz.min()), float(fz.max())
        pad = 0.08 * (high - low or 1.0)
        self.curve_ax.set_xlim(-reach, reach)
        self.curve_ax.set_ylim(min(low, 0.0) - pad, high + pad)
        self.curve_ax.set_title(f"{act.name}: $a = {act.symbol}$", fontsize=10)
        for artist in self._plane:
            artist.remove()
        gx, gy = self._grid
        gz = v["w1"] * gx + v["w2"] * gy + v["b"]
        ga = act.function(gz)
        levels = np.linspace(float(ga.min()), float(ga.max()) + 1e-9, 12)
        self._plane = [self.plane_ax.contourf(gx, gy, ga, levels=levels, cmap="RdBu")]
        if gz.min() < 0.0 < gz.max():
            self._plane.append(
                self.plane_ax.contour(gx, gy, gz, levels=[0.0], colors="black", linewidths=1.5)
            )
        self._input.set_data([v["x1"]], [v["x2"]])
        return self._message(v, z, a, act)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: the weight :math:`w_1` and the bias :math:`b`, in steps of 1."""
        c = self.controls
        return [
            StaticAxis(name, grid_around(c[name].value, c[name].min, c[name].max, 1.0), _two_places)
            for name in ("w1", "b")
        ]

    @staticmethod
    def _message(v: dict[str, Any], z: float, a: float, act: Any) -> tuple[str, str]:
        def p(name: str) -> str:
            text = f"{v[name]:.2f}"
            return f"({text})" if text.startswith("-") else text

        message = (
            f"z = w1·x1 + w2·x2 + b = {p('w1')}·{p('x1')} + {p('w2')}·{p('x2')} + {p('b')} "
            f"= {z:.4g};  a = {act.name}(z) = {a:.4g}"
        )
        return message, "ok"


# ----------------------------------------------------------------- 1-D descent


class GradientDescentExplorer(Explorer):
    """Gradient descent on a function of one number, and its learning rate (chapter 4).

    Left, the function with the visited points; right, :math:`f(x_t)` against the step.
    The status names the regime: too small, good, oscillating or diverging
    (:attr:`backprop_lab.descent.DescentPath.regime`).

    Parameters
    ----------
    learning_rate : float
        :math:`\\eta`, slider from 0.001 to about 3 (log scale).
    steps : int
        Number of steps, 0 to 100.
    function : str
        ``"quadratic"`` (:math:`x^2`) or ``"double_well"`` (:math:`x^4 - 3x^2 + x`).
    start : float, optional
        Starting point; default the function's suggested start.

    Attributes
    ----------
    controls : dict
        ``"learning_rate"``, ``"steps"``, ``"function"``, ``"start"``.
    path : DescentPath
        The current run.
    """

    figsize = (8.6, 3.4)
    dpi = 80

    def __init__(
        self,
        learning_rate: float = 0.1,
        steps: int = 20,
        function: str = "quadratic",
        start: float | None = None,
    ) -> None:
        super().__init__()
        learning_rate = check_positive_number("learning_rate", learning_rate)
        check_slider_value("learning_rate", learning_rate, 1e-3, 10**0.5)
        steps = check_integer("steps", steps, minimum=0)
        check_slider_value("steps", steps, 0, 100)
        fn = get_function(function)
        low, high = fn.domain
        start = fn.start if start is None else _number("start", start)
        self.controls["learning_rate"] = widgets.FloatLogSlider(
            value=learning_rate,
            base=10,
            min=-3,
            max=0.5,
            step=0.01,
            description="learning rate",
            readout_format=".2g",  # log-grid points are not round (0.302 for 0.3)
        )
        self.controls["steps"] = widgets.IntSlider(value=steps, min=0, max=100, description="steps")
        self.controls["function"] = widgets.Dropdown(
            options=list(FUNCTIONS), value=fn.name, description="function"
        )
        self.controls["start"] = _slider("start", start, low, high, 0.05)
        self.path = None
        self.path_ax, self.value_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.09, right=0.98, bottom=0.15, top=0.88, wspace=0.3)
        c = self.controls
        self._assemble([[c["function"], c["learning_rate"]], [c["steps"], c["start"]]])

    def _changed(self, name: str) -> None:
        if name != "function":
            return
        fn = get_function(self.controls["function"].value)
        start = self.controls["start"]
        with self._quietly():
            low, high = fn.domain
            start.min, start.max = min(low, start.min), max(high, start.max)
            start.value = fn.start
            start.min, start.max = low, high

    def _render(self) -> tuple[str, str]:
        v = {name: c.value for name, c in self.controls.items()}
        fn = get_function(v["function"])
        self.path = path = fn.descend(v["learning_rate"], int(v["steps"]), v["start"])
        for ax in (self.path_ax, self.value_ax):
            clear_artists(ax)
        plot_descent_path(fn, path, ax=self.path_ax)
        self.path_ax.set_title(
            f"$f(x) = {fn.latex}$, $\\eta = {path.learning_rate:.3g}$", fontsize=10
        )
        plot_loss_curve(path, ax=self.value_ax, color="#e08214", step_name="step")
        self.value_ax.get_lines()[0].set(marker="o", markersize=3)
        self.value_ax.set_ylabel("$f(x_t)$")
        self.value_ax.set_title(f"regime: {path.regime}", fontsize=10)
        return path.message, "warning" if path.regime == "diverging" else "ok"

    # too small, good, oscillating and diverging on both functions (from its start, x^2 is
    # too small at 0.003, good to 0.5, oscillating at 0.6, diverging at 1.1; the double well
    # too small at 0.003, good at 0.03, oscillating at 0.1 and 0.15, diverging from 0.3);
    # 7 x 8 steps x 2 functions = 112 frames, about 1.2 MB of page
    STATIC_LEARNING_RATES = (0.003, 0.03, 0.1, 0.15, 0.3, 0.6, 1.1)
    STATIC_STEPS = (0, 1, 2, 5, 10, 20, 100)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: each function at its start, a set of learning rates and steps."""
        c = self.controls
        return [
            StaticAxis("function", list(FUNCTIONS)),
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES),
                _significant,
            ),
            StaticAxis("steps", [int(v) for v in values_with(c["steps"].value, self.STATIC_STEPS)]),
        ]
