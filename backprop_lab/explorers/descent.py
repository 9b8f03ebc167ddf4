"""Gradient descent on a function of one number: the learning-rate explorer of chapter 4.

The path is computed and drawn in the browser (``js/descent.js``, on the engine's
``descend1d``), so every control answers on the website too.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from backprop_lab.calc.descent import FUNCTIONS, DescentPath, get_function
from backprop_lab.checks.arguments import check_choice
from backprop_lab.explorers.common import (
    check_slider_integer,
    check_slider_number,
    log_slider,
    plain_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer

__all__ = ["DescentView", "GradientDescentExplorer"]

START_RANGE = (-3.0, 3.0)
"""The start slider's range: both functions' domains, so it need not change with them."""


class DescentView(BrowserView):
    """The descent explorer's picture (``js/descent.js``)."""

    _view_file = "descent.js"
    learning_rate = traitlets.Float(0.1).tag(sync=True)
    steps = traitlets.Int(20).tag(sync=True)
    function = traitlets.Int(0).tag(sync=True)  # index into choices["function"]
    start = traitlets.Float(2.5).tag(sync=True)


class GradientDescentExplorer(LiveExplorer):
    """Gradient descent on a function of one number, and its learning rate (chapter 4).

    Left, the function with the visited points; right, :math:`f(x_t)` against the step.
    The status names the regime: too small, good, oscillating or diverging
    (:attr:`backprop_lab.calc.descent.DescentPath.regime`). Computed and drawn in the
    browser; every control answers on the website. Choosing another function moves the
    start to that function's suggested start.

    Parameters
    ----------
    learning_rate : float
        :math:`\\eta`, slider from 0.001 to about 3 (log scale).
    steps : int
        Number of steps, 0 to 100.
    function : str
        ``"quadratic"`` (:math:`x^2`) or ``"double_well"`` (:math:`x^4 - 3x^2 + x`).
    start : float, optional
        Starting point, from -3 to 3; default the function's suggested start.

    Attributes
    ----------
    controls : dict
        ``"learning_rate"``, ``"steps"``, ``"function"``, ``"start"``.
    path : DescentPath
        The current run (computed in Python; the page computes the same).
    """

    def __init__(
        self,
        learning_rate: float = 0.1,
        steps: int = 20,
        function: str = "quadratic",
        start: float | None = None,
    ) -> None:
        super().__init__()
        learning_rate = check_slider_number("learning_rate", learning_rate, 1e-3, 10**0.5)
        steps = check_slider_integer("steps", steps, 0, 100)
        fn = get_function(check_choice("function", function, tuple(FUNCTIONS)))
        start = check_slider_number("start", fn.start if start is None else start, *START_RANGE)
        self.controls["learning_rate"] = log_slider(
            "learning rate", learning_rate, 0.001, 10**0.5, step=0.01
        )
        self.controls["steps"] = widgets.IntSlider(value=steps, min=0, max=100, description="steps")
        self.controls["function"] = widgets.Dropdown(
            options=list(FUNCTIONS), value=fn.name, description="function"
        )
        self.controls["start"] = plain_slider("start", start, *START_RANGE, 0.05)
        self.view = DescentView(
            learning_rate=learning_rate,
            steps=steps,
            function=list(FUNCTIONS).index(fn.name),
            start=start,
        )
        for name in self.controls:
            self._link(name)
        self.controls["function"].observe(self._function_changed, names="value")
        c = self.controls
        self._assemble([[c["function"], c["learning_rate"]], [c["steps"], c["start"]]])

    def _function_changed(self, change: dict) -> None:
        """Another function starts from its suggested start (as the page does)."""
        self.controls["start"].value = get_function(change["new"]).start

    @property
    def path(self) -> DescentPath:
        """The run the controls describe now."""
        v = self.values()
        fn = get_function(v["function"])
        return fn.descend(v["learning_rate"], int(v["steps"]), v["start"])

    @property
    def status(self) -> str:
        """The regime and the evidence for it (``DescentPath.message``)."""
        return self.path.message
