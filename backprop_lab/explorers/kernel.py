"""A convolution's kernel, its outputs and its gradients, as the reader moves it (chapter 7).

The explorer of "A convolution, backwards": the signal :math:`x = (1, 2, 0, -1, 3)`, the bias
:math:`b = 0.5` and the targets :math:`y = (-0.5, 4.5, 2.5, -6.5)` of the chapter's example,
a kernel of 2 or 3 taps on sliders, the loss :math:`E = \\tfrac12 \\sum_j (z_j - y_j)^2`.
The picture is computed and drawn in the browser (``js/kernel.js``, on the engine's
``conv1d`` and ``conv1dBackward``), so every control answers on the website too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc.convolution import conv1d, conv1d_backward
from backprop_lab.checks.arguments import check_vector
from backprop_lab.explorers.common import check_slider_value, plain_slider
from backprop_lab.explorers.live import BrowserView, LiveExplorer

__all__ = ["SIGNAL", "TARGETS", "ConvolutionKernelExplorer", "KernelView"]

SIGNAL = (1.0, 2.0, 0.0, -1.0, 3.0)
"""The input :math:`x` (chapter 7's example)."""
TARGETS = (-0.5, 4.5, 2.5, -6.5)
"""The targets :math:`y`; a kernel of :math:`k` taps uses the first :math:`6 - k`."""
BIAS = 0.5
"""The bias :math:`b`, fixed."""
WEIGHT_RANGE = (-3.0, 3.0)
"""Each tap's slider."""
TAPS = (2, 3)


class KernelView(BrowserView):
    """The kernel explorer's picture (``js/kernel.js``)."""

    _view_file = "kernel.js"
    taps = traitlets.Int(0).tag(sync=True)  # index into choices["taps"]
    w0 = traitlets.Float(2.0).tag(sync=True)
    w1 = traitlets.Float(-1.0).tag(sync=True)
    w2 = traitlets.Float(0.0).tag(sync=True)


def _number(value: float) -> str:
    """A number of the status line: rounded to 9 decimals first, so that sums that cancel
    show 0 (not 1e-16, whose last bits depend on the order of the additions), then %.4g."""
    return f"{round(float(value), 9) + 0.0:.4g}"


def _vector(values: Any) -> str:
    return "(" + ", ".join(_number(v) for v in values) + ")"


class ConvolutionKernelExplorer(LiveExplorer):
    """Move a convolution kernel's taps; see the outputs and the gradients (chapter 7).

    The signal :math:`x = (1, 2, 0, -1, 3)`, the bias :math:`b = 0.5` and the targets
    :math:`y = (-0.5, 4.5, 2.5, -6.5)` are the chapter's; the loss is
    :math:`E = \\tfrac12 \\sum_j (z_j - y_j)^2` over the :math:`5 - k + 1` outputs (the first
    targets). Three panels: the inputs, outputs and targets; the kernel and its gradient
    :math:`\\partial E/\\partial w_m = \\sum_j g_j x_{j+m}`, drawn as the running sum over the
    positions; and the input's gradient :math:`\\partial E/\\partial x_i = \\sum_m g_{i-m} w_m`.
    Computed and drawn in the browser; every control answers on the website.

    Parameters
    ----------
    kernel : sequence of float
        2 or 3 taps, each from -3 to 3 (default the chapter's :math:`(2, -1)`). With 2 taps
        the third slider starts at 0 and waits until the reader chooses 3 taps.

    Attributes
    ----------
    controls : dict
        ``"taps"`` (a menu, 2 or 3), ``"w0"``, ``"w1"``, ``"w2"``.
    """

    def __init__(self, kernel: Sequence[float] = (2.0, -1.0)) -> None:
        super().__init__()
        taps = check_vector("kernel", kernel)
        if taps.size not in TAPS:
            raise ValueError(f"kernel must have 2 or 3 taps; got {taps.size}: {taps.tolist()}")
        values = [float(v) for v in taps] + [0.0] * (3 - taps.size)
        for m, value in enumerate(values):
            check_slider_value(f"kernel[{m}]", value, *WEIGHT_RANGE)
        self.controls["taps"] = widgets.Dropdown(
            options=list(TAPS), value=int(taps.size), description="taps"
        )
        for m, value in enumerate(values):
            self.controls[f"w{m}"] = plain_slider(f"w{m}", value, *WEIGHT_RANGE)
        self.view = KernelView(taps=TAPS.index(int(taps.size)), w0=values[0], w1=values[1])
        self.view.w2 = values[2]
        for name in self.controls:
            self._link(name)
        c = self.controls
        self._assemble([[c["taps"], c["w0"]], [c["w1"], c["w2"]]])

    @property
    def kernel(self) -> np.ndarray:
        """The taps in use now."""
        v = self.values()
        return np.array([v["w0"], v["w1"], v["w2"]][: v["taps"]])

    @property
    def targets(self) -> np.ndarray:
        """The targets of the outputs: the first :math:`5 - k + 1` of :data:`TARGETS`."""
        return np.array(TARGETS[: len(SIGNAL) - self.kernel.size + 1])

    @property
    def outputs(self) -> np.ndarray:
        """:math:`z = x \\star w + b` (``bl.conv1d``)."""
        return conv1d(SIGNAL, self.kernel, BIAS)

    @property
    def grad_out(self) -> np.ndarray:
        """:math:`g_j = \\partial E/\\partial z_j = z_j - y_j`."""
        return self.outputs - self.targets

    @property
    def loss(self) -> float:
        """:math:`E = \\tfrac12 \\sum_j g_j^2`."""
        return float(0.5 * np.sum(self.grad_out**2))

    @property
    def gradients(self) -> tuple[np.ndarray, np.ndarray, float]:
        """``(grad_x, grad_kernel, grad_bias)`` (``bl.conv1d_backward``)."""
        return conv1d_backward(SIGNAL, self.kernel, self.grad_out)

    @property
    def status(self) -> str:
        """The kernel, the outputs and the loss, then the gradients, with their numbers."""
        w = self.kernel
        grad_x, grad_kernel, grad_bias = self.gradients
        return (
            f"kernel {_vector(w)}, b = {_number(BIAS)}: z = {_vector(self.outputs)}, "
            f"E = {_number(self.loss)}; dE/dw = {_vector(grad_kernel)} (each a sum over "
            f"{self.outputs.size} positions), dE/db = {_number(grad_bias)}; "
            f"dE/dx = {_vector(grad_x)}"
        )
