"""Overfitting: training against validation loss as a network grows (chapter 6.1).

:func:`noise_floor` is the loss of the true curve on noisy data; :class:`OverfittingExplorer`
shows a network going below it on its training points while its validation loss rises,
trained and drawn in the reader's browser (``js/overfitting.js``) so that every control
answers on the website too.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc import datasets
from backprop_lab.calc.datasets import Dataset
from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.explorers.common import check_portable_seed, check_slider_integer
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.history import TrainingHistory
from backprop_lab.nn.network import Network
from backprop_lab.nn.portable_random import portable_network

__all__ = [
    "OverfittingExplorer",
    "OverfittingView",
    "SineFitTraits",
    "noise_floor",
    "overfitting_data",
    "overfitting_start",
]


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


class SineFitTraits(traitlets.HasTraits):
    """What a view of a run on the noisy sine points reads (chapter 6's overfitting and
    stopping views): the start, the run and the points, which the page trains on. Its
    JavaScript twin, ``js/sine_fit.js`` (reading these traits, the start and the run), is
    joined into the module of each view that has these traits."""

    _shared_files: ClassVar[tuple[str, ...]] = ("sine_fit.js",)
    hidden_units = traitlets.Int(20).tag(sync=True)
    max_iterations = traitlets.Int(2000).tag(sync=True)
    learning_rate = traitlets.Float(0.2).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    """Seed of the initial weights (the portable generator)."""
    train_X = traitlets.List().tag(sync=True)
    train_Y = traitlets.List().tag(sync=True)
    validation_X = traitlets.List().tag(sync=True)
    validation_Y = traitlets.List().tag(sync=True)


class OverfittingView(SineFitTraits, BrowserView):
    """The overfitting explorer's picture (``js/overfitting.js``)."""

    _view_file = "overfitting.js"
    iterations = traitlets.Int(2000).tag(sync=True)
    snapshot_every = traitlets.Int(25).tag(sync=True)
    floor = traitlets.Float(0.0).tag(sync=True)
    grid = traitlets.List().tag(sync=True)
    """Where the true curve is drawn (161 numbers from -1 to 1) ..."""
    truth = traitlets.List().tag(sync=True)
    """... and its values there."""


class OverfittingExplorer(LiveExplorer):
    """Training and validation loss of a one-hidden-layer network on a few noisy points (6.1).

    Left, the fitted curve at the chosen iteration with the training points (filled), the
    held-out validation points (open) and the true curve (dashed); right, the training and
    validation losses over the run, the training set's noise floor, and the iteration shown.
    Each number of hidden units trains once (full batch, to ``max_iterations``, keeping
    snapshots); the iterations slider then shows a snapshot.

    Trained and drawn in the browser: a new number of hidden units trains a slice per
    animation frame and draws as it goes; the page keeps each run, so the iterations slider
    reads its snapshots at once. The starting network comes from the generator the package
    and the page share (:func:`overfitting_start`), not from numpy's as the chapter's
    printed run (``Network(..., seed=0)``): the explorer's losses and iterations differ
    from the chapter's a little, not what they show. The data are the chapter's
    (:func:`overfitting_data`), sent to the page.

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
        Seed of the data (the split uses seed 0).
    weights_seed : int
        Seed of the initial weights (the portable generator), 0 to ``2**32 - 1``.

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
        weights_seed: int = 0,
    ) -> None:
        super().__init__()
        hidden_units = check_slider_integer("hidden_units", hidden_units, 1, 50)
        self.learning_rate = check_number("learning_rate", learning_rate, minimum=1e-4, maximum=10)
        max_iterations = check_integer("max_iterations", max_iterations, minimum=10, maximum=20000)
        self.weights_seed = check_portable_seed("weights_seed", weights_seed)
        self.snapshot_every = max(1, max_iterations // 80)
        self.max_iterations = self.snapshot_every * math.ceil(max_iterations / self.snapshot_every)
        if iterations is None:
            iterations = self.max_iterations
        iterations = check_slider_integer("iterations", iterations, 0, self.max_iterations)
        self.train_data, self.validation_data = overfitting_data(
            n_samples, noise, validation_share, seed
        )
        self.target_function = self.train_data.target_function
        self.floor = noise_floor(self.train_data)
        self._grid = np.linspace(-1.0, 1.0, 161)[:, None]
        self._runs: OrderedDict[int, tuple[Network, TrainingHistory]] = OrderedDict()
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
        grid = self._grid[:, 0]
        self.view = OverfittingView(
            max_iterations=self.max_iterations,
            snapshot_every=self.snapshot_every,
            learning_rate=self.learning_rate,
            seed=self.weights_seed,
            train_X=self.train_data.X.tolist(),
            train_Y=self.train_data.Y.tolist(),
            validation_X=self.validation_data.X.tolist(),
            validation_Y=self.validation_data.Y.tolist(),
            floor=self.floor,
            grid=grid.tolist(),
            truth=np.asarray(self.target_function(grid), dtype=float).tolist(),
        )
        for name in c:
            self._link(name)
        self._assemble([[c["hidden_units"], c["iterations"]]])

    def run(self, hidden_units: int) -> tuple[Network, TrainingHistory]:
        """The initial network and the history of ``hidden_units`` (trained once, cached)."""
        if hidden_units in self._runs:
            self._runs.move_to_end(hidden_units)
            return self._runs[hidden_units]
        net = overfitting_start(hidden_units, self.weights_seed)
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

    def _shown(self) -> tuple[TrainingHistory, int]:
        """The current run and the iteration shown (the latest snapshot at the slider)."""
        _, history = self.run(int(self.controls["hidden_units"].value))
        t = min(int(self.controls["iterations"].value), history.iterations_run)
        return history, history.snapshot(t).iteration

    @property
    def history(self) -> TrainingHistory:
        """The run of the current number of hidden units."""
        return self._shown()[0]

    @property
    def network(self) -> Network:
        """The network at the iteration shown."""
        history, t = self._shown()
        start, _ = self.run(int(self.controls["hidden_units"].value))
        snap = history.snapshot(t)
        model = start.copy()
        model.set_parameters(snap.weights, snap.biases)
        return model

    @property
    def status(self) -> str:
        """Both losses at the iteration shown, the noise floor, and the best iteration."""
        history, t = self._shown()
        train_loss = float(history.loss[t])
        val_loss = float(history.validation_loss[t])
        message = (
            f"Iteration {t}: training loss {train_loss:.4g}, validation loss {val_loss:.4g} "
            f"(noise floor {self.floor:.4g}). The validation loss was lowest, "
            f"{history.best_validation_loss:.4g}, at iteration {history.best_iteration}."
        )
        if train_loss < self.floor:
            message += " The training loss is below the noise floor: the network fits the noise."
        return message
