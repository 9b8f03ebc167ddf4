"""One neuron, its weights, bias and activation, as the reader moves them (chapter 1).

The picture is computed and drawn in the browser (``js/neuron.js``), so every control
answers on the website too.
"""

from __future__ import annotations

from typing import ClassVar

import ipywidgets as widgets
import traitlets

from backprop_lab.checks.arguments import check_choice
from backprop_lab.explorers.common import check_slider_number, plain_slider
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS, get_activation

__all__ = ["NeuronExplorer", "NeuronView"]


class NeuronView(BrowserView):
    """The neuron explorer's picture (``js/neuron.js``)."""

    _view_file = "neuron.js"
    w1 = traitlets.Float(1.0).tag(sync=True)
    w2 = traitlets.Float(-1.0).tag(sync=True)
    b = traitlets.Float(0.5).tag(sync=True)
    activation = traitlets.Int(0).tag(sync=True)  # index into choices["activation"]
    x1 = traitlets.Float(1.0).tag(sync=True)
    x2 = traitlets.Float(0.5).tag(sync=True)


def _signed_two_places(value: float) -> str:
    text = f"{value:.2f}"
    return f"({text})" if text.startswith("-") else text


class NeuronExplorer(LiveExplorer):
    """One neuron with two inputs: :math:`a = f(w_1 x_1 + w_2 x_2 + b)` (chapter 1).

    Left, the activation curve :math:`f(z)` with the neuron's current net input marked;
    right, the neuron's output over the input plane, with the line where :math:`z = 0` and
    the chosen input marked. Computed and drawn in the browser; every control answers on
    the website.

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

    RANGES: ClassVar[dict[str, tuple[float, float]]] = {  # each slider's range
        "w1": (-5.0, 5.0),
        "w2": (-5.0, 5.0),
        "b": (-5.0, 5.0),
        "x1": (-3.0, 3.0),
        "x2": (-3.0, 3.0),
    }

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
        given = {"w1": w1, "w2": w2, "b": b, "x1": x1, "x2": x2}
        values = {
            name: check_slider_number(name, value, *self.RANGES[name])
            for name, value in given.items()
        }
        for name in ("w1", "w2", "b"):
            self.controls[name] = plain_slider(name, values[name], *self.RANGES[name])
        self.controls["activation"] = widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="activation"
        )
        for name in ("x1", "x2"):
            self.controls[name] = plain_slider(name, values[name], *self.RANGES[name])
        self.view = NeuronView(activation=HIDDEN_ACTIVATIONS.index(activation), **values)
        for name in self.controls:
            self._link(name)
        c = self.controls
        self._assemble([[c["w1"], c["w2"], c["b"]], [c["activation"], c["x1"], c["x2"]]])

    @property
    def z(self) -> float:
        """The net input :math:`z = w_1 x_1 + w_2 x_2 + b` now."""
        v = self.values()
        return v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]

    @property
    def a(self) -> float:
        """The output :math:`a = f(z)` now."""
        return float(get_activation(self.controls["activation"].value).function(self.z))

    @property
    def status(self) -> str:
        """The sum written out with the current numbers, then the output."""
        v = self.values()
        p = {name: _signed_two_places(v[name]) for name in ("w1", "w2", "b", "x1", "x2")}
        return (
            f"z = w1·x1 + w2·x2 + b = {p['w1']}·{p['x1']} + {p['w2']}·{p['x2']} + {p['b']} "
            f"= {self.z:.4g};  a = {v['activation']}(z) = {self.a:.4g}"
        )
