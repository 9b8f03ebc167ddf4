"""Gradient descent on a function of one number: the learning-rate explorer of chapter 4."""

from __future__ import annotations

import ipywidgets as widgets

from backprop_lab.calc.descent import FUNCTIONS, get_function
from backprop_lab.checks.arguments import (
    check_choice,
    check_integer,
    check_number,
    check_positive_number,
)
from backprop_lab.explorers.base import (
    Explorer,
    StaticAxis,
    check_slider_value,
    values_with,
)
from backprop_lab.explorers.common import log_slider, plain_slider, significant
from backprop_lab.plotting.curves import plot_descent_path, plot_loss_curve
from backprop_lab.plotting.figures import clear_artists


class GradientDescentExplorer(Explorer):
    """Gradient descent on a function of one number, and its learning rate (chapter 4).

    Left, the function with the visited points; right, :math:`f(x_t)` against the step.
    The status names the regime: too small, good, oscillating or diverging
    (:attr:`backprop_lab.calc.descent.DescentPath.regime`).

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
        fn = get_function(check_choice("function", function, tuple(FUNCTIONS)))
        low, high = fn.domain
        start = fn.start if start is None else check_number("start", start)
        self.controls["learning_rate"] = log_slider(
            "learning rate", learning_rate, 0.001, 10**0.5, step=0.01
        )
        self.controls["steps"] = widgets.IntSlider(value=steps, min=0, max=100, description="steps")
        self.controls["function"] = widgets.Dropdown(
            options=list(FUNCTIONS), value=fn.name, description="function"
        )
        self.controls["start"] = plain_slider("start", start, low, high, 0.05)
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
                significant,
            ),
            StaticAxis("steps", [int(v) for v in values_with(c["steps"].value, self.STATIC_STEPS)]),
        ]
