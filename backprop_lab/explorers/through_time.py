"""The gradient reaching each earlier step of a recurrent layer, with clipping (chapter 7).

The explorer of "Vanishing and exploding gradients through time": a one-input, one-state
tanh unit :math:`h_t = \\tanh(x_t W_x + h_{t-1} W_h + b)` with :math:`W_x = 1`, :math:`b = 0`,
:math:`h_0 = 0`, a tiny first input :math:`x_1 = 10^{-4}` and zeros after it (the chapter's
exploding example), and the loss :math:`E = \\tfrac12 (h_T - 1)^2`. The reader moves
:math:`W_h` and the length :math:`T` and turns clipping by global norm on or off. The
picture is computed and drawn in the browser (``js/through_time.js``, on the engine's
``rnnForward``, ``rnnBackward`` and ``clipGradients``), so every control answers on the
website too.
"""

from __future__ import annotations

import math
from typing import ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc.clipping import ClippedGradients, clip_gradients
from backprop_lab.calc.recurrence import RNNGradients, rnn_backward, rnn_forward
from backprop_lab.checks.arguments import (
    check_bool,
    check_integer,
)
from backprop_lab.explorers.common import (
    check_slider_integer,
    check_slider_number,
    log_slider,
    plain_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer

__all__ = ["FIRST_INPUT", "GradientThroughTimeExplorer", "ThroughTimeView", "sequence"]

FIRST_INPUT = 1e-4
"""The first input :math:`x_1`; every later input is 0."""


def sequence(steps: int) -> np.ndarray:
    """The inputs :math:`x_1..x_T`: :data:`FIRST_INPUT`, then zeros."""
    xs = np.zeros(check_integer("steps", steps, minimum=1))
    xs[0] = FIRST_INPUT
    return xs


class ThroughTimeView(BrowserView):
    """The gradient-through-time explorer's picture (``js/through_time.js``)."""

    _view_file = "through_time.js"
    recurrent_weight = traitlets.Float(1.5).tag(sync=True)
    steps = traitlets.Int(20).tag(sync=True)
    clipping = traitlets.Int(0).tag(sync=True)  # index into choices["clipping"]
    max_norm = traitlets.Float(1.0).tag(sync=True)


class GradientThroughTimeExplorer(LiveExplorer):
    """Move :math:`W_h` and the sequence length; see the gradient reaching each step (chapter 7).

    A one-state tanh unit reads :math:`x_1 = 10^{-4}` and then zeros (:math:`W_x = 1`,
    :math:`b = 0`, :math:`h_0 = 0`); the loss is :math:`E = \\tfrac12 (h_T - 1)^2`. Left,
    :math:`|\\partial E/\\partial h_t|` for every step on a log scale (``bl.rnn_backward``),
    and with clipping on the same after clipping: clipping multiplies the whole backward
    pass by one number, so the curve moves down without changing its shape. Right, the
    global norm of the gradients of :math:`W_x`, :math:`W_h` and :math:`b` before and after
    clipping (``bl.clip_gradients``), and the threshold. Computed and drawn in the browser;
    every control answers on the website.

    Parameters
    ----------
    recurrent_weight : float
        :math:`W_h`, from 0 to 2.
    steps : int
        The sequence length :math:`T`, from 2 to 60.
    clip : bool
        Whether the gradients are clipped by global norm.
    max_norm : float
        The threshold :math:`c`, from 0.01 to 100 (log scale).

    Attributes
    ----------
    controls : dict
        ``"recurrent_weight"``, ``"steps"``, ``"clipping"`` (a menu, off or on),
        ``"max_norm"``.
    """

    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        "recurrent_weight": (0.0, 2.0),
        "steps": (2, 60),
        "max_norm": (0.01, 100.0),
    }

    def __init__(
        self,
        recurrent_weight: float = 1.5,
        steps: int = 20,
        clip: bool = False,
        max_norm: float = 1.0,
    ) -> None:
        super().__init__()
        r = self.RANGES
        w = check_slider_number("recurrent_weight", recurrent_weight, *r["recurrent_weight"])
        steps = check_slider_integer("steps", steps, *r["steps"])
        clip = check_bool("clip", clip)
        max_norm = check_slider_number("max_norm", max_norm, *r["max_norm"])
        self.controls["recurrent_weight"] = plain_slider("W_h", w, 0.0, 2.0, step=0.05)
        self.controls["steps"] = widgets.IntSlider(
            value=steps, min=2, max=60, description="steps T"
        )
        self.controls["clipping"] = widgets.Dropdown(
            options=[("off", False), ("on", True)], value=clip, description="clipping"
        )
        self.controls["max_norm"] = log_slider(
            "max norm c", max_norm, 0.01, 100.0, step=0.1, readout_format=".3g"
        )
        self.view = ThroughTimeView(recurrent_weight=w, steps=steps, clipping=int(clip))
        self.view.max_norm = max_norm
        for name in self.controls:
            self._link(name)
        c = self.controls
        self._assemble([[c["recurrent_weight"], c["steps"]], [c["clipping"], c["max_norm"]]])

    @property
    def backward(self) -> RNNGradients:
        """Backpropagation through time for the current settings (``bl.rnn_backward``)."""
        v = self.values()
        xs = sequence(v["steps"])
        hs = rnn_forward(xs, 1.0, v["recurrent_weight"], 0.0)
        grad_hs = np.zeros(v["steps"])
        grad_hs[-1] = hs[-1, 0] - 1.0  # E = (h_T - 1)^2 / 2
        return rnn_backward(xs, 1.0, v["recurrent_weight"], 0.0, grad_hs)

    @property
    def clipped(self) -> ClippedGradients:
        """The gradients of :math:`W_x`, :math:`W_h`, :math:`b`, clipped at the threshold
        (``bl.clip_gradients``; with clipping off, ``.scale`` is still what it would be)."""
        return clip_gradients(self.backward.as_list(), self.values()["max_norm"])

    @property
    def reaching(self) -> np.ndarray:
        """:math:`|\\partial E/\\partial h_t|` for :math:`t = 1..T`."""
        return np.abs(self.backward.grad_states[:, 0])

    @property
    def status(self) -> str:
        """How the gradient at step 1 compares with the one at step T, the gradients' norm
        and what clipping does to it."""
        v = self.values()
        steps = v["steps"]
        reaching = self.reaching
        ratio = float(reaching[0] / reaching[-1])
        head = f"W_h = {v['recurrent_weight']:.3g}, T = {steps}: "
        if ratio == 0.0:
            head += f"no gradient reaches step 1 from step {steps} (it is 0 there)"
        elif not math.isfinite(ratio):
            head += "the gradient reaching step 1 overflowed"
        elif f"{ratio:.3g}" == "1":
            head += f"the gradient reaching step 1 is about as large as the one at step {steps}"
        else:
            trend = "shrinks" if ratio < 1 else "grows"
            head += (
                f"the gradient reaching step 1 is {ratio:.3g} times the one at step {steps} "
                f"(it {trend} going back)"
            )
        clipped = self.clipped
        norm, c = clipped.norm, clipped.max_norm
        tail = f"the gradients of W_x, W_h and b have norm {norm:.3g}"
        if not v["clipping"]:
            tail += " (clipping off)"
        elif clipped.clipped:
            tail += f", clipped to {c:.3g} (every gradient times {clipped.scale:.3g})"
        else:
            tail += f", below the threshold {c:.3g}: clipping changes nothing"
        return f"{head}; {tail}."
