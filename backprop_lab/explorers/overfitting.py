"""Overfitting: training against validation loss as a network grows (chapter 6.1).

:func:`noise_floor` is the loss of the true curve on noisy data; :class:`OverfittingExplorer`
shows a network going below it on its training points while its validation loss rises.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc import datasets
from backprop_lab.calc.datasets import Dataset
from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import (
    TRAIN_COLOR,
    VALIDATION_COLOR,
    _loss_axis_limits,
)
from backprop_lab.nn.network import Network
from backprop_lab.nn.portable_random import portable_network

__all__ = ["OverfittingExplorer", "noise_floor", "overfitting_data", "overfitting_start"]


def noise_floor(data: Dataset) -> float:
    """The loss of the noise-free curve on a regression data set (chapters 5 and 6).

    :math:`\\tfrac1n \\sum_s \\tfrac12 (y_s - f(x_s))^2` with :math:`f` the data set's
    ``target_function``: what even the true curve scores. A training loss below it means
    the network follows the noise of these particular samples.

    Raises
    ------
    ValueError
        If the data set has no ``target_function`` (a classification set).
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be a Dataset; got {type(data).__name__}")
    if data.target_function is None:
        raise ValueError(f"data must be a regression data set with a target_function; got {data}")
    truth = data.target_function(data.X[:, 0])
    return float(0.5 * np.mean((data.Y[:, 0] - truth) ** 2))


def overfitting_data(
    n_samples: int = 30, noise: float = 0.25, validation_share: float = 0.5, seed: int = 3
) -> tuple[Dataset, Dataset]:
    """Chapter 6.1's few noisy points of :math:`\\sin(\\pi x)`, split for validation.

    ``bl.datasets.regression_1d(n_samples, noise, seed)`` split by ``bl.datasets.split``
    (``validation_share`` held out, split seed 0): the data of the chapter's first section
    and of :class:`OverfittingExplorer` and :class:`~backprop_lab.explorers.StoppingExplorer`.

    Returns
    -------
    (Dataset, Dataset)
        The training and the validation data (each with its ``target_function``).
    """
    n_samples = check_integer("n_samples", n_samples, minimum=4, maximum=200)
    share = check_number("validation_share", validation_share, minimum=0.1, maximum=0.9)
    seed = check_integer("seed", seed, minimum=0)
    data = datasets.regression_1d(n_samples=n_samples, noise=noise, seed=seed)
    return datasets.split(data, share, seed=0)


def overfitting_start(hidden_units: int, seed: int = 0) -> Network:
    """The 1-``hidden_units``-1 tanh network (identity output, squared error) the explorers
    of chapter 6.1 and 6.6 train, from the generator the package and the page share
    (:func:`~backprop_lab.nn.portable_random.portable_network`)."""
    hidden_units = check_integer("hidden_units", hidden_units, minimum=1)
    return portable_network([1, hidden_units, 1], "tanh", "identity", "squared_error", seed)


class OverfittingExplorer(Explorer):
    """Training and validation loss of a one-hidden-layer network on a few noisy points (6.1).

    Left, the fitted curve at the chosen iteration with the training points (filled), the
    held-out validation points (open) and the true curve (dashed); right, the training and
    validation losses over the run, the training set's noise floor, and the iteration shown.
    Each number of hidden units trains once (full batch, to ``max_iterations``, keeping
    snapshots); the iterations slider then shows a snapshot.

    Parameters
    ----------
    hidden_units : int
        Tanh neurons of the hidden layer, slider 1 to 50.
    iterations : int, optional
        The iteration shown (default ``max_iterations``).
    n_samples : int
        Points of ``regression_1d`` before the split (4 to 200).
    noise : float
        Their noise's standard deviation.
    validation_share : float
        The share held out for validation (``bl.datasets.split``), 0.1 to 0.9.
    learning_rate : float
    max_iterations : int
        10 to 20,000.
    seed : int
        Seed of the data (the split and the initial weights use seed 0).

    Attributes
    ----------
    controls : dict
        ``"hidden_units"``, ``"iterations"``.
    train_data, validation_data : Dataset
    floor : float
        :func:`noise_floor` of the training data.
    history : TrainingHistory
        The current run (``validation_loss`` set).
    network : Network
        The network at the iteration shown.
    """

    figsize = (8.6, 3.4)
    dpi = 72
    _cache_size = 12

    def __init__(
        self,
        hidden_units: int = 20,
        iterations: int | None = None,
        *,
        n_samples: int = 30,
        noise: float = 0.25,
        validation_share: float = 0.5,
        learning_rate: float = 0.2,
        max_iterations: int = 2000,
        seed: int = 3,
    ) -> None:
        super().__init__()
        hidden_units = check_integer("hidden_units", hidden_units, minimum=1)
        check_slider_value("hidden_units", hidden_units, 1, 50)
        n_samples = check_integer("n_samples", n_samples, minimum=4, maximum=200)
        share = check_number("validation_share", validation_share, minimum=0.1, maximum=0.9)
        self.learning_rate = check_number("learning_rate", learning_rate, minimum=1e-4, maximum=10)
        max_iterations = check_integer("max_iterations", max_iterations, minimum=10, maximum=20000)
        seed = check_integer("seed", seed, minimum=0)
        self.snapshot_every = max(1, max_iterations // 80)
        self.max_iterations = self.snapshot_every * math.ceil(max_iterations / self.snapshot_every)
        if iterations is None:
            iterations = self.max_iterations
        iterations = check_integer("iterations", iterations, minimum=0)
        check_slider_value("iterations", iterations, 0, self.max_iterations)
        data = datasets.regression_1d(n_samples=n_samples, noise=noise, seed=seed)
        self.train_data, self.validation_data = datasets.split(data, share, seed=0)
        self.target_function = data.target_function
        self.floor = noise_floor(self.train_data)
        self._grid = np.linspace(-1.0, 1.0, 161)[:, None]
        self._runs: OrderedDict[int, tuple[Network, Any]] = OrderedDict()
        self.history = self.network = None
        c = self.controls
        c["hidden_units"] = widgets.IntSlider(
            value=hidden_units, min=1, max=50, description="hidden units", continuous_update=False
        )
        c["iterations"] = widgets.IntSlider(
            value=iterations,
            min=0,
            max=self.max_iterations,
            step=self.snapshot_every,
            description="iterations",
        )
        self.fit_ax, self.loss_ax = self.figure.subplots(1, 2)
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.25)
        self._assemble([[c["hidden_units"], c["iterations"]]])

    STATIC_HIDDEN_UNITS = (1, 3, 5, 20, 50)
    STATIC_ITERATIONS = (0, 100, 250, 500, 1000, 2000)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: five sizes of the hidden layer by six iterations."""
        c = self.controls
        iterations = [v for v in self.STATIC_ITERATIONS if v <= self.max_iterations]
        iterations = [
            self.snapshot_every * round(v / self.snapshot_every)
            for v in values_with(c["iterations"].value, iterations)
        ]
        return [
            StaticAxis(
                "hidden_units",
                [int(v) for v in values_with(c["hidden_units"].value, self.STATIC_HIDDEN_UNITS)],
            ),
            StaticAxis("iterations", sorted(set(iterations))),
        ]

    def run(self, hidden_units: int) -> tuple[Network, Any]:
        """The initial network and the history of ``hidden_units`` (trained once, cached)."""
        if hidden_units in self._runs:
            self._runs.move_to_end(hidden_units)
            return self._runs[hidden_units]
        net = Network([1, hidden_units, 1], activation="tanh", output_activation="identity", seed=0)
        history = net.copy().train(
            self.train_data.X,
            self.train_data.Y,
            learning_rate=self.learning_rate,
            iterations=self.max_iterations,
            validation=(self.validation_data.X, self.validation_data.Y),
            snapshot_every=self.snapshot_every,
            progress=False,
        )
        self._runs[hidden_units] = (net, history)
        while len(self._runs) > self._cache_size:
            self._runs.popitem(last=False)
        return net, history

    def _render(self) -> tuple[str, str]:
        hidden = int(self.controls["hidden_units"].value)
        net, history = self.run(hidden)
        t = min(int(self.controls["iterations"].value), history.iterations_run)
        snap = history.snapshot(t)
        t = snap.iteration
        model = net.copy()
        model.set_parameters(snap.weights, snap.biases)
        self.history, self.network = history, model
        ax = self.fit_ax
        ax.clear()
        grid = self._grid[:, 0]
        ax.plot(grid, self.target_function(grid), "--", color="0.4", lw=1.2, label="true curve")
        ax.plot(grid, model.forward(self._grid)[:, 0], color="black", lw=1.8, label="network")
        tr, va = self.train_data, self.validation_data
        ax.plot(tr.X[:, 0], tr.Y[:, 0], "o", color=TRAIN_COLOR, ms=5, label="training")
        ax.plot(
            va.X[:, 0],
            va.Y[:, 0],
            "o",
            mfc="white",
            mec=VALIDATION_COLOR,
            mew=1.5,
            ms=5,
            label="validation",
        )
        ax.set_ylim(-2.0, 2.0)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.set_title(f"{hidden} hidden unit{'s' if hidden > 1 else ''}, iteration {t}", fontsize=10)
        ax.legend(fontsize=7, loc="lower right", frameon=False, ncol=2)
        ax = self.loss_ax
        ax.clear()
        steps = np.arange(len(history.loss))
        ax.plot(steps, history.loss, color=TRAIN_COLOR, lw=1.6, label="training loss")
        ax.plot(
            steps, history.validation_loss, color=VALIDATION_COLOR, lw=1.6, label="validation loss"
        )
        ax.axhline(self.floor, color="0.3", ls=":", lw=1.2, label="noise floor (training)")
        best = history.best_iteration
        ax.plot([best], [history.validation_loss[best]], "v", color=VALIDATION_COLOR, ms=7)
        ax.axvline(t, color="black", lw=0.8)
        ax.set_yscale("log")
        _loss_axis_limits(ax, history.loss, history.validation_loss, np.array([self.floor]))
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss $E$")
        ax.legend(fontsize=7, frameon=False, loc="upper right")
        train_loss = float(history.loss[t])
        val_loss = float(history.validation_loss[t])
        message = (
            f"Iteration {t}: training loss {train_loss:.4g}, validation loss {val_loss:.4g} "
            f"(noise floor {self.floor:.4g}). The validation loss was lowest, "
            f"{history.best_validation_loss:.4g}, at iteration {best}."
        )
        if train_loss < self.floor:
            message += " The training loss is below the noise floor: the network fits the noise."
        return message, "ok"


# ------------------------------------------------------------------ vanishing gradients
