"""Vanishing gradients: each layer's weight-gradient size in a deep network (chapter 6.2).

The gradients are computed and drawn in the reader's browser (``js/gradient_size.js``, on
the engine's ``gradients``), so every control answers on the website too.
"""

from __future__ import annotations

import math
from typing import ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc import datasets
from backprop_lab.checks.arguments import check_choice, check_integer
from backprop_lab.explorers.common import (
    check_portable_seed,
    check_slider_integer,
    check_slider_number,
    log_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.network import Network
from backprop_lab.nn.portable_random import portable_network

__all__ = ["GradientSizeExplorer", "GradientSizeView"]


class GradientSizeView(BrowserView):
    """The gradient-size explorer's picture (``js/gradient_size.js``)."""

    _view_file = "gradient_size.js"
    activation = traitlets.Int(0).tag(sync=True)  # index into choices["activation"]
    weight_scale = traitlets.Float(1.0).tag(sync=True)
    depth = traitlets.Int(8).tag(sync=True)
    width = traitlets.Int(16).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    X = traitlets.List().tag(sync=True)
    """The two moons' inputs, rows of two numbers."""
    Y = traitlets.List().tag(sync=True)


class GradientSizeExplorer(LiveExplorer):
    """How large each layer's weight gradient is in a deep network (6.2, vanishing gradients).

    A network with ``depth`` hidden layers of ``width`` neurons, a sigmoid output and the
    binary cross-entropy, on two moons (200 points), initialised by the package's rule
    (Glorot for sigmoid and tanh, He for ReLU) and then every weight multiplied by
    ``weight_scale``. Left, :math:`\\lVert \\partial E/\\partial W^{(l)} \\rVert_F` layer by
    layer (log scale); right, the spread (standard deviation over the samples and neurons)
    of every hidden layer's activations: what the forward pass carries to the next layer.

    Computed and drawn in the browser; every control answers on the website. The initial
    weights come from the generator the package and the page share
    (:func:`~backprop_lab.nn.portable_random.portable_network` with ``seed``), so they are
    not those of ``Network(..., seed=0)`` that the chapter's printed gradient sizes use:
    the explorer's numbers differ from the chapter's a little, its picture does not. The
    data are the chapter's two moons, sent to the page.

    Parameters
    ----------
    activation : str
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    weight_scale : float
        Multiplies the initial weights: slider from 1/4 to 4 (log scale).
    depth : int
        Hidden layers, 1 to 12.
    width : int
        Neurons per hidden layer, 2 to 64.
    seed : int
        Seed of the portable generator (0 to ``2**32 - 1``).

    Attributes
    ----------
    controls : dict
        ``"activation"``, ``"weight_scale"``, ``"depth"``.
    network : Network
        The network of the current setting.
    sizes : ndarray
        The per-layer gradient sizes shown (:meth:`Gradients.layer_norms`).
    spreads : ndarray
        The standard deviation of each hidden layer's activations.
    """

    ACTIVATIONS: ClassVar[tuple[str, ...]] = ("sigmoid", "tanh", "relu")

    def __init__(
        self,
        activation: str = "sigmoid",
        weight_scale: float = 1.0,
        depth: int = 8,
        *,
        width: int = 16,
        seed: int = 0,
    ) -> None:
        super().__init__()
        check_choice("activation", activation, self.ACTIVATIONS)
        weight_scale = check_slider_number("weight_scale", weight_scale, 0.25, 4.0)
        depth = check_slider_integer("depth", depth, 1, 12)
        self.width = check_integer("width", width, minimum=2, maximum=64)
        self.seed = check_portable_seed("seed", seed)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        c = self.controls
        c["activation"] = widgets.Dropdown(
            options=list(self.ACTIVATIONS), value=activation, description="activation"
        )
        c["weight_scale"] = log_slider(
            "weight scale", weight_scale, 0.25, 4.0, step=0.25, base=2, readout_format=".3g"
        )
        c["depth"] = widgets.IntSlider(value=depth, min=1, max=12, description="hidden layers")
        self.view = GradientSizeView(
            activation=self.ACTIVATIONS.index(activation),
            width=self.width,
            seed=self.seed,
            X=self.data.X.tolist(),
            Y=self.data.Y.tolist(),
        )
        for name in c:
            self._link(name)
        self._assemble([[c["activation"], c["weight_scale"], c["depth"]]])

    def build(self, activation: str, weight_scale: float, depth: int) -> Network:
        """The network of a setting: the portable initialisation, weights times the scale."""
        net = portable_network(
            [2, *[self.width] * depth, 1],
            activation,
            "sigmoid",
            "binary_cross_entropy",
            self.seed,
        )
        net.set_parameters([w * weight_scale for w in net.weights], net.biases)
        return net

    @property
    def network(self) -> Network:
        """The network the controls describe now."""
        v = self.values()
        return self.build(v["activation"], float(v["weight_scale"]), int(v["depth"]))

    @property
    def sizes(self) -> np.ndarray:
        """:math:`\\lVert \\partial E/\\partial W^{(l)} \\rVert_F`, layer 1 first."""
        return self.network.gradients(*self.data).layer_norms()

    @property
    def spreads(self) -> np.ndarray:
        """The standard deviation of each hidden layer's activations."""
        hidden = self.network.forward_trace(self.data.X).activations[1:-1]
        return np.array([float(np.std(a)) for a in hidden])

    @property
    def status(self) -> str:
        """The first and last layers' gradient sizes, their ratio, and what it means."""
        v = self.values()
        activation, scale, depth = v["activation"], float(v["weight_scale"]), int(v["depth"])
        sizes = self.sizes
        first, last = float(sizes[0]), float(sizes[-1])
        ratio = first / last if last > 0 else math.inf
        message = (
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''}, weights x "
            f"{scale:.3g}: layer 1's gradient is {first:.3g}, layer {len(sizes)}'s "
            f"{last:.3g} (ratio {ratio:.3g})."
        )
        largest = float(sizes.max())
        if ratio < 1e-2:
            message += " The gradient vanishes on its way back to the inputs."
        elif largest > 1e2:
            message += " Every gradient is huge: the signals explode through the layers."
        elif largest < 1e-3:
            message += " Every gradient is tiny: the signals die out in the forward pass."
        elif ratio > 10:
            message += " The gradient grows on its way back to the inputs."
        return message
