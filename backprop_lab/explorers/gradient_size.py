"""Vanishing gradients: each layer's weight-gradient size in a deep network (chapter 6.2)."""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc import datasets
from backprop_lab.checks.arguments import check_choice, check_integer
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import (
    TRAIN_COLOR,
    VALIDATION_COLOR,
    _rate,
    log_slider,
)
from backprop_lab.nn.network import Network

__all__ = ["GradientSizeExplorer"]


class GradientSizeExplorer(Explorer):
    """How large each layer's weight gradient is in a deep network (6.2, vanishing gradients).

    A network with ``depth`` hidden layers of ``width`` neurons, a sigmoid output and the
    binary cross-entropy, on two moons (200 points), initialised by the package (Glorot for
    sigmoid and tanh, He for ReLU) and then every weight multiplied by ``weight_scale``.
    Left, :math:`\\lVert \\partial E/\\partial W^{(l)} \\rVert_F` layer by layer (log scale);
    right, the spread (standard deviation over the samples and neurons) of every hidden
    layer's activations: what the forward pass carries to the next layer.

    Parameters
    ----------
    activation : str
        ``"sigmoid"``, ``"tanh"`` or ``"relu"``.
    weight_scale : float
        Multiplies the package's initial weights: slider from 1/4 to 4 (log scale).
    depth : int
        Hidden layers, 1 to 12.
    width : int
        Neurons per hidden layer, 2 to 64.
    seed : int

    Attributes
    ----------
    controls : dict
        ``"activation"``, ``"weight_scale"``, ``"depth"``.
    network : Network
    sizes : ndarray
        The per-layer gradient sizes shown (:meth:`Gradients.layer_norms`).
    spreads : ndarray
        The standard deviation of each hidden layer's activations.
    """

    figsize = (8.6, 3.3)
    dpi = 72
    ACTIVATIONS = ("sigmoid", "tanh", "relu")

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
        weight_scale = _rate("weight_scale", weight_scale, 0.25, 4.0)
        depth = check_integer("depth", depth, minimum=1)
        check_slider_value("depth", depth, 1, 12)
        self.width = check_integer("width", width, minimum=2, maximum=64)
        self.seed = check_integer("seed", seed, minimum=0)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        self.network = None
        self.sizes = self.spreads = np.zeros(0)
        c = self.controls
        c["activation"] = widgets.Dropdown(
            options=list(self.ACTIVATIONS), value=activation, description="activation"
        )
        c["weight_scale"] = log_slider(
            "weight scale", weight_scale, 0.25, 4.0, step=0.25, base=2, readout_format=".3g"
        )
        c["depth"] = widgets.IntSlider(value=depth, min=1, max=12, description="hidden layers")
        self.grad_ax, self.spread_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.88, wspace=0.3)
        self._assemble([[c["activation"], c["weight_scale"], c["depth"]]])

    STATIC_SCALES = (0.25, 0.5, 1.0, 2.0, 4.0)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: the three activations by five weight scales from 1/4 to 4."""
        c = self.controls
        return [
            StaticAxis("activation", list(self.ACTIVATIONS)),
            StaticAxis(
                "weight_scale",
                values_with(c["weight_scale"].value, self.STATIC_SCALES, digits=6),
                lambda values: [f"{v:.3g}" for v in values],
            ),
        ]

    def build(self, activation: str, weight_scale: float, depth: int) -> Network:
        """The network of a setting: the package's initialisation, weights times the scale."""
        net = Network(
            [2, *[self.width] * depth, 1],
            activation=activation,
            output_activation="sigmoid",
            loss="binary_cross_entropy",
            seed=self.seed,
        )
        net.set_parameters([w * weight_scale for w in net.weights], net.biases)
        return net

    def _render(self) -> tuple[str, str]:
        c = self.controls
        activation, scale, depth = (
            c["activation"].value,
            float(c["weight_scale"].value),
            int(c["depth"].value),
        )
        net = self.build(activation, scale, depth)
        X, Y = self.data
        self.network = net
        self.sizes = net.gradients(X, Y).layer_norms()
        hidden = net.forward_trace(X).activations[1:-1]
        self.spreads = np.array([float(np.std(a)) for a in hidden])
        layers = np.arange(1, len(self.sizes) + 1)
        ax = self.grad_ax
        ax.clear()
        ax.plot(layers, self.sizes, "o-", color=TRAIN_COLOR, lw=1.8)
        ax.set_yscale("log")
        low = max(float(self.sizes.min()), 1e-30)
        ax.set_ylim(min(low / 3, 1e-3), max(float(self.sizes.max()) * 3, 1.0))
        ax.set_xticks(layers)
        ax.set_xlabel("layer $l$ (1 = next to the inputs)")
        ax.set_ylabel("$\\Vert\\partial E/\\partial W^{(l)}\\Vert_F$")
        ax.set_title(f"gradient sizes: {activation}, weights x {scale:.3g}", fontsize=10)
        ax = self.spread_ax
        ax.clear()
        ax.bar(np.arange(1, depth + 1), self.spreads, color=VALIDATION_COLOR, width=0.6)
        ax.set_xticks(np.arange(1, depth + 1))
        ax.set_xlabel("hidden layer $l$")
        ax.set_ylabel("spread of $a^{(l)}$ (std)")
        top = max(float(self.spreads.max()) * 1.15, 0.05)
        ax.set_ylim(0, top)
        ax.set_title("what the forward pass carries", fontsize=10)
        first, last = float(self.sizes[0]), float(self.sizes[-1])
        ratio = first / last if last > 0 else math.inf
        message = (
            f"{activation}, {depth} hidden layer{'s' if depth > 1 else ''}, weights x "
            f"{scale:.3g}: layer 1's gradient is {first:.3g}, layer {len(self.sizes)}'s "
            f"{last:.3g} (ratio {ratio:.3g})."
        )
        largest = float(self.sizes.max())
        if ratio < 1e-2:
            message += " The gradient vanishes on its way back to the inputs."
        elif largest > 1e2:
            message += " Every gradient is huge: the signals explode through the layers."
        elif largest < 1e-3:
            message += " Every gradient is tiny: the signals die out in the forward pass."
        elif ratio > 10:
            message += " The gradient grows on its way back to the inputs."
        return message, "ok"


# ------------------------------------------------------------------ mini-batches
