"""Momentum in a long narrow valley (chapter 6.4).

:func:`elongated_quadratic` builds the data set whose loss, for a linear neuron
(:func:`linear_neuron`), is exactly the quadratic
:math:`E(w) = \\tfrac12 (w - w^*)^\\top H (w - w^*)` with a chosen diagonal :math:`H`: the
textbook picture of a long narrow valley, trained by the package's own gradient descent
(with or without momentum); :class:`MomentumExplorer` draws both paths, computed in the
reader's browser (``js/momentum.js``) so that every control answers on the website too.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc.datasets import Dataset
from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.explorers.common import (
    check_slider_integer,
    check_slider_number,
    log_slider,
    plain_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.history import TrainingHistory
from backprop_lab.nn.network import Network

__all__ = ["MomentumExplorer", "MomentumView", "elongated_quadratic", "linear_neuron"]


def elongated_quadratic(
    curvatures: tuple[float, float] = (1.0, 0.05),
    minimum: tuple[float, float] = (1.0, 1.0),
    n_samples: int = 20,
    seed: int = 0,
) -> Dataset:
    """Data on which a linear neuron's loss is a long narrow valley (chapter 6, momentum).

    For a neuron :math:`\\hat y = w_1 x_1 + w_2 x_2` (no bias) with the squared error
    :math:`E = \\frac1n \\sum_s \\tfrac12 (y_s - \\hat y_s)^2`, the loss is exactly

    .. math:: E(w) = \\tfrac12 (w - w^*)^\\top H (w - w^*), \\qquad H = \\tfrac1n X^\\top X .

    The inputs are drawn at random and then made exactly uncorrelated with
    :math:`\\tfrac1n \\sum_s x_{s1}^2 = \\lambda_1`, :math:`\\tfrac1n \\sum_s x_{s2}^2 =
    \\lambda_2` (so :math:`H = \\mathrm{diag}(\\lambda_1, \\lambda_2)`), and the targets are
    :math:`y = X w^*` with no noise, so the minimum is :math:`w^*` with loss 0.

    Parameters
    ----------
    curvatures : two positive numbers
        :math:`\\lambda_1, \\lambda_2`, the loss's curvature along each weight.
    minimum : two numbers
        :math:`w^*`.
    n_samples : int
        At least 2.
    seed : int

    Returns
    -------
    Dataset
        ``X`` of shape ``(n_samples, 2)``, ``Y`` of shape ``(n_samples, 1)``.
    """
    lam = [check_number("curvatures", c, minimum=1e-6, maximum=1e6) for c in _pair(curvatures)]
    w_star = np.array(
        [check_number("minimum", m, minimum=-1e3, maximum=1e3) for m in _pair(minimum)]
    )
    n_samples = check_integer("n_samples", n_samples, minimum=2)
    seed = check_integer("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n_samples, 2)))  # orthonormal columns
    X = q * np.sqrt(n_samples * np.array(lam))
    Y = (X @ w_star)[:, None]
    return Dataset(
        X,
        Y,
        "elongated_quadratic",
        "regression",
        f"A linear neuron's quadratic valley: curvatures {lam[0]:g} and {lam[1]:g}, "
        f"minimum at ({w_star[0]:g}, {w_star[1]:g}) ({n_samples} samples, seed {seed}).",
    )


def _pair(value: Any) -> tuple[Any, Any]:
    try:
        a, b = value
    except (TypeError, ValueError):
        raise ValueError(f"expected two numbers; got {value!r}") from None
    return a, b


def linear_neuron(start: tuple[float, float] = (-1.5, -1.5)) -> Network:
    """A two-input linear neuron with no bias in use, starting at ``start`` (chapter 6).

    Train it with ``update_biases=False`` on :func:`elongated_quadratic` data: the bias
    stays 0 and the loss is the quadratic valley.
    """
    w = np.array([check_number("start", s, minimum=-1e3, maximum=1e3) for s in _pair(start)])
    return Network.from_weights(
        [w.reshape(2, 1)], [np.zeros(1)], output_activation="identity", loss="squared_error"
    )


class MomentumView(BrowserView):
    """The momentum explorer's picture (``js/momentum.js``): both runs, trained in the page."""

    _view_file = "momentum.js"
    momentum = traitlets.Float(0.8).tag(sync=True)
    learning_rate = traitlets.Float(1.0).tag(sync=True)
    steps = traitlets.Int(60).tag(sync=True)
    X = traitlets.List().tag(sync=True)
    """The valley's inputs, rows of two numbers (:func:`elongated_quadratic`)."""
    Y = traitlets.List().tag(sync=True)
    start = traitlets.List([-1.5, -1.5]).tag(sync=True)


class MomentumExplorer(LiveExplorer):
    """Gradient descent with and without momentum in a long narrow valley (6.4).

    A linear neuron (:func:`linear_neuron`) trained by ``Network.train`` on
    :func:`elongated_quadratic` data, so its loss is
    :math:`E(w) = \\tfrac12 (\\lambda_1 (w_1 - 1)^2 + \\lambda_2 (w_2 - 1)^2)`. Left, the
    contours of :math:`E` with the path without momentum (grey) and with momentum
    :math:`\\mu` (orange); right, both losses against the step (log scale). Both runs are
    trained in the reader's browser by the engine's ``train`` on the same data (sent to the
    page once: nothing in it is random there), so every control answers on the website.

    Parameters
    ----------
    momentum : float
        :math:`\\mu`, slider from 0 to 0.99.
    learning_rate : float
        :math:`\\eta`, slider from 0.05 to 3 (log scale), used by both runs.
    steps : int
        5 to 200.
    curvatures : two numbers
        :math:`\\lambda_1, \\lambda_2` (default 1 and 0.05: a condition number of 20).

    Attributes
    ----------
    controls : dict
        ``"momentum"``, ``"learning_rate"``, ``"steps"``.
    data : Dataset
        The valley's data.
    curvatures : tuple of float
        :math:`\\lambda_1, \\lambda_2` measured on the data.
    plain, heavy : TrainingHistory
        The runs without and with momentum the controls describe now (snapshots at every
        step; the page trains the same).
    """

    START = (-1.5, -1.5)

    def __init__(
        self,
        momentum: float = 0.8,
        learning_rate: float = 1.0,
        steps: int = 60,
        *,
        curvatures: tuple[float, float] = (1.0, 0.05),
    ) -> None:
        super().__init__()
        momentum = check_slider_number("momentum", momentum, 0.0, 0.99)
        learning_rate = check_slider_number("learning_rate", learning_rate, 0.05, 3.0)
        steps = check_slider_integer("steps", steps, 5, 200)
        self.data = elongated_quadratic(curvatures)
        self.curvatures = tuple(float(np.mean(self.data.X[:, k] ** 2)) for k in range(2))
        c = self.controls
        c["momentum"] = plain_slider("momentum", momentum, 0.0, 0.99, step=0.01)
        c["learning_rate"] = log_slider("learning rate", learning_rate, 0.05, 3.0, step=0.02)
        c["steps"] = widgets.IntSlider(value=steps, min=5, max=200, description="steps")
        self.view = MomentumView(
            X=self.data.X.tolist(), Y=self.data.Y.tolist(), start=list(self.START)
        )
        for name in c:
            self._link(name)
        self._assemble([[c["momentum"], c["learning_rate"], c["steps"]]])

    def loss(self, w1: Any, w2: Any) -> Any:
        """:math:`E(w)` from the curvatures, equal to the neuron's loss on the data."""
        l1, l2 = self.curvatures
        return 0.5 * (l1 * (np.asarray(w1) - 1.0) ** 2 + l2 * (np.asarray(w2) - 1.0) ** 2)

    def train(self, learning_rate: float, momentum: float, steps: int) -> TrainingHistory:
        """``Network.train`` of the linear neuron from :attr:`START`, every step kept."""
        X, Y = self.data
        return linear_neuron(self.START).train(
            X,
            Y,
            learning_rate=learning_rate,
            iterations=steps,
            momentum=momentum,
            update_biases=False,
            snapshot_every=1,
            progress=False,
        )

    @staticmethod
    def path(history: Any) -> np.ndarray:
        """The weights after each step, shape ``(steps + 1, 2)``."""
        return np.array([s.weights[0][:, 0] for s in history.snapshots])

    def _settings(self) -> tuple[float, float, int]:
        v = self.values()
        return float(v["momentum"]), float(v["learning_rate"]), int(v["steps"])

    @property
    def plain(self) -> TrainingHistory:
        """The run without momentum."""
        _, eta, steps = self._settings()
        return self.train(eta, 0.0, steps)

    @property
    def heavy(self) -> TrainingHistory:
        """The run with the chosen momentum."""
        mu, eta, steps = self._settings()
        return self.train(eta, mu, steps)

    @property
    def status(self) -> str:
        """Both final losses, and which run diverged (if one did)."""
        mu, eta, steps = self._settings()
        plain, heavy = self.plain, self.heavy
        message = (
            f"After {steps} steps at learning rate {eta:.2g}: loss {plain.final_loss:.3g} without "
            f"momentum, {heavy.final_loss:.3g} with momentum {mu:.2f}."
        )
        for history, name in ((plain, "Without momentum"), (heavy, "With momentum")):
            if history.diverged:
                message += f" {name} the run diverged at step {history.diverged_at}."
        return message
