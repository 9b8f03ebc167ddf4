"""Momentum in a long narrow valley (chapter 6.4).

:func:`elongated_quadratic` builds the data set whose loss, for a linear neuron
(:func:`linear_neuron`), is exactly the quadratic
:math:`E(w) = \\tfrac12 (w - w^*)^\\top H (w - w^*)` with a chosen diagonal :math:`H`: the
textbook picture of a long narrow valley, trained by the package's own gradient descent
(with or without momentum); :class:`MomentumExplorer` draws both paths.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc.datasets import Dataset
from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import (
    REFERENCE_COLOR,
    VALIDATION_COLOR,
    _loss_axis_limits,
    _rate,
    log_slider,
)
from backprop_lab.nn.network import Network

__all__ = ["MomentumExplorer", "elongated_quadratic", "linear_neuron"]


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


# ------------------------------------------------------------------ overfitting


class MomentumExplorer(Explorer):
    """Gradient descent with and without momentum in a long narrow valley (6.4).

    A linear neuron (:func:`linear_neuron`) trained by ``Network.train`` on
    :func:`elongated_quadratic` data, so its loss is
    :math:`E(w) = \\tfrac12 (\\lambda_1 (w_1 - 1)^2 + \\lambda_2 (w_2 - 1)^2)`. Left, the
    contours of :math:`E` with the path without momentum (grey) and with momentum
    :math:`\\mu` (orange); right, both losses against the step.

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
    plain, heavy : TrainingHistory
        The runs without and with momentum (snapshots at every step).
    """

    figsize = (8.6, 3.5)
    dpi = 72
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
        momentum = _rate("momentum", momentum, 0.0, 0.99)
        learning_rate = _rate("learning_rate", learning_rate, 0.05, 3.0)
        steps = check_integer("steps", steps, minimum=5)
        check_slider_value("steps", steps, 5, 200)
        self.data = elongated_quadratic(curvatures)
        self.curvatures = tuple(float(np.mean(self.data.X[:, k] ** 2)) for k in range(2))
        self.plain = self.heavy = None
        c = self.controls
        c["momentum"] = widgets.FloatSlider(
            value=momentum,
            min=0.0,
            max=0.99,
            step=0.01,
            description="momentum",
            readout_format=".2f",
        )
        c["learning_rate"] = log_slider("learning rate", learning_rate, 0.05, 3.0, step=0.02)
        c["steps"] = widgets.IntSlider(value=steps, min=5, max=200, description="steps")
        self.path_ax, self.loss_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1.25, 1]}
        )
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.22)
        self._limits = (-2.0, 2.5, -2.0, 4.0)
        u = np.linspace(self._limits[0], self._limits[1], 121)
        v = np.linspace(self._limits[2], self._limits[3], 121)
        self._u, self._v = np.meshgrid(u, v)
        self._assemble([[c["momentum"], c["learning_rate"], c["steps"]]])

    STATIC_MOMENTA = (0.0, 0.5, 0.8, 0.9, 0.95)
    STATIC_LEARNING_RATES = (0.3, 1.0, 1.9, 2.7)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: five momenta by four learning rates."""
        c = self.controls
        return [
            StaticAxis(
                "momentum",
                values_with(c["momentum"].value, self.STATIC_MOMENTA, digits=6),
                lambda values: [f"{v:.2f}" for v in values],
            ),
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES, digits=6),
                lambda values: [f"{v:.2g}" for v in values],
            ),
        ]

    def loss(self, w1: Any, w2: Any) -> Any:
        """:math:`E(w)` from the curvatures, equal to the neuron's loss on the data."""
        l1, l2 = self.curvatures
        return 0.5 * (l1 * (np.asarray(w1) - 1.0) ** 2 + l2 * (np.asarray(w2) - 1.0) ** 2)

    def train(self, learning_rate: float, momentum: float, steps: int) -> Any:
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

    def _render(self) -> tuple[str, str]:
        c = self.controls
        mu, eta, steps = (
            float(c["momentum"].value),
            float(c["learning_rate"].value),
            int(c["steps"].value),
        )
        self.plain = plain = self.train(eta, 0.0, steps)
        self.heavy = heavy = self.train(eta, mu, steps)
        ax = self.path_ax
        ax.clear()
        levels = 0.5 * np.geomspace(1e-3, 8.0, 12)
        ax.contour(
            self._u,
            self._v,
            self.loss(self._u, self._v),
            levels=levels,
            colors="0.75",
            linewidths=0.8,
        )
        ax.plot([1.0], [1.0], "*", color="black", ms=10)
        for history, color, name in (
            (plain, REFERENCE_COLOR, "no momentum"),
            (heavy, VALIDATION_COLOR, f"momentum {mu:.2f}"),
        ):
            p = self.path(history)
            inside = np.all(np.isfinite(p), axis=1)
            ax.plot(p[inside, 0], p[inside, 1], "o-", color=color, ms=2.5, lw=1.2, label=name)
        ax.set_xlim(*self._limits[:2])
        ax.set_ylim(*self._limits[2:])
        ax.set_xlabel(f"$w_1$ (steep: curvature {self.curvatures[0]:.3g})")
        ax.set_ylabel(f"$w_2$ (shallow: {self.curvatures[1]:.3g})")
        ax.legend(fontsize=8, frameon=False, loc="upper left")
        ax.set_title(f"$\\eta = {eta:.2g}$, {steps} steps", fontsize=10)
        ax = self.loss_ax
        ax.clear()
        for history, color, name in (
            (plain, REFERENCE_COLOR, "no momentum"),
            (heavy, VALIDATION_COLOR, f"momentum {mu:.2f}"),
        ):
            ax.plot(np.arange(len(history.loss)), history.loss, color=color, lw=1.6, label=name)
        ax.set_yscale("log")
        _loss_axis_limits(ax, plain.loss, heavy.loss)
        ax.set_xlabel("step")
        ax.set_ylabel("loss $E$")
        ax.legend(fontsize=8, frameon=False)
        level = "ok"
        message = (
            f"After {steps} steps at learning rate {eta:.2g}: loss {plain.final_loss:.3g} without "
            f"momentum, {heavy.final_loss:.3g} with momentum {mu:.2f}."
        )
        for history, name in ((plain, "Without momentum"), (heavy, "With momentum")):
            if history.diverged:
                level = "warning"
                message += f" {name} the run diverged at step {history.diverged_at}."
        return message, level


# ------------------------------------------------------------------ stopping rules
