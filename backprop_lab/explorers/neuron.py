"""One neuron, its weights, bias and activation, as the reader moves them (chapter 1)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.checks.arguments import (
    check_choice,
    check_number,
)
from backprop_lab.explorers.base import (
    Explorer,
    StaticAxis,
    grid_around,
)
from backprop_lab.explorers.common import plain_slider, two_places
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS, get_activation


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
            "w1": check_number("w1", w1),
            "w2": check_number("w2", w2),
            "b": check_number("b", b),
            "x1": check_number("x1", x1),
            "x2": check_number("x2", x2),
        }
        for name in ("w1", "w2", "b"):
            self.controls[name] = plain_slider(name, values[name], -5.0, 5.0)
        self.controls["activation"] = widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="activation"
        )
        for name in ("x1", "x2"):
            self.controls[name] = plain_slider(name, values[name], -3.0, 3.0)
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
            StaticAxis(name, grid_around(c[name].value, c[name].min, c[name].max, 1.0), two_places)
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
