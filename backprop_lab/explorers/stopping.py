"""When to stop: where ``tolerance`` and ``patience`` end a run (chapter 6.6).

The runs are trained and drawn in the reader's browser (``js/stopping.js``, on the
engine's ``trainSteps``, a slice per animation frame), so every control answers on the
website too.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import traitlets

from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.explorers.common import (
    check_portable_seed,
    check_slider_integer,
    check_slider_number,
    log_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.explorers.overfitting import SineFitTraits, overfitting_data, overfitting_start
from backprop_lab.nn.history import TrainingHistory

__all__ = ["StoppingExplorer", "StoppingView"]


class StoppingView(SineFitTraits, BrowserView):
    """The stopping explorer's picture (``js/stopping.js``)."""

    _view_file = "stopping.js"
    tolerance = traitlets.Float(1e-5).tag(sync=True)
    patience = traitlets.Int(100).tag(sync=True)


class StoppingExplorer(LiveExplorer):
    """Where ``tolerance`` and ``patience`` stop a run (6.6, when to stop).

    The set-up of :class:`~backprop_lab.explorers.OverfittingExplorer` (a 1-20-1 tanh
    network on 15 noisy points, 15 more held out, :func:`overfitting_data`) trained three
    times by ``Network.train``: to ``max_iterations`` (the faint reference curves), with
    ``tolerance`` (stops when the training loss has converged), and with ``validation``
    and ``patience`` (early stopping, which gives the network the parameters of the best
    validation loss back). The markers show where each rule stopped and which parameters it
    kept.

    Trained and drawn in the browser, a slice per animation frame, so every control answers
    on the website. The starting network comes from the generator the package and the page
    share (:func:`overfitting_start`), not from numpy's as the chapter's printed runs
    (``Network(..., seed=0)``): the explorer's iterations differ from the chapter's a
    little, not what they show. The data are the chapter's, sent to the page.

    Parameters
    ----------
    tolerance : float
        Slider from 1e-6 to 1e-2 (log scale).
    patience : int
        Slider from 10 to 2000 iterations (full batch: patience counts updates).
    hidden_units : int
        Tanh neurons of the hidden layer, 1 to 50.
    max_iterations : int
        10 to 20,000.
    learning_rate : float
    seed : int
        Seed of the data (the split uses seed 0, the initial weights ``weights_seed``).
    weights_seed : int
        Seed of the initial weights (the portable generator), 0 to ``2**32 - 1``.

    Attributes
    ----------
    controls : dict
        ``"tolerance"``, ``"patience"``.
    train_data, validation_data : Dataset
    start : Network
        The network every run starts from.
    reference : TrainingHistory
        The run to ``max_iterations`` with validation.
    converging, early : TrainingHistory
        The runs with ``tolerance`` and with ``patience`` the controls describe now.
    """

    def __init__(
        self,
        tolerance: float = 1e-5,
        patience: int = 100,
        *,
        hidden_units: int = 20,
        max_iterations: int = 2000,
        learning_rate: float = 0.2,
        seed: int = 3,
        weights_seed: int = 0,
    ) -> None:
        super().__init__()
        tolerance = check_slider_number("tolerance", tolerance, 1e-6, 1e-2)
        patience = check_slider_integer("patience", patience, 10, 2000)
        self.hidden_units = check_integer("hidden_units", hidden_units, minimum=1, maximum=50)
        self.max_iterations = check_integer(
            "max_iterations", max_iterations, minimum=10, maximum=20000
        )
        self.learning_rate = check_number("learning_rate", learning_rate, minimum=1e-4, maximum=10)
        seed = check_integer("seed", seed, minimum=0)
        weights_seed = check_portable_seed("weights_seed", weights_seed)
        self.train_data, self.validation_data = overfitting_data(seed=seed)
        self.start = overfitting_start(self.hidden_units, weights_seed)
        self.reference = self._train(validation=tuple(self.validation_data))
        self._runs: OrderedDict[tuple, TrainingHistory] = OrderedDict()
        c = self.controls
        c["tolerance"] = log_slider(
            "tolerance", tolerance, 1e-06, 0.01, step=0.25, readout_format=".1e"
        )
        c["patience"] = widgets.IntSlider(
            value=patience, min=10, max=2000, step=10, description="patience"
        )
        self.view = StoppingView(
            hidden_units=self.hidden_units,
            max_iterations=self.max_iterations,
            learning_rate=self.learning_rate,
            seed=weights_seed,
            train_X=self.train_data.X.tolist(),
            train_Y=self.train_data.Y.tolist(),
            validation_X=self.validation_data.X.tolist(),
            validation_Y=self.validation_data.Y.tolist(),
        )
        for name in c:
            self._link(name)
        self._assemble([[c["tolerance"], c["patience"]]])

    def _train(self, **options: Any) -> TrainingHistory:
        key = tuple(sorted((k, v if k != "validation" else "val") for k, v in options.items()))
        runs = getattr(self, "_runs", None)
        if runs is not None and key in runs:
            runs.move_to_end(key)
            return runs[key]
        history = self.start.copy().train(
            *self.train_data,
            learning_rate=self.learning_rate,
            iterations=self.max_iterations,
            progress=False,
            **options,
        )
        if runs is not None:
            runs[key] = history
            while len(runs) > 32:
                runs.popitem(last=False)
        return history

    @property
    def converging(self) -> TrainingHistory:
        """The run with the chosen ``tolerance``."""
        return self._train(tolerance=float(self.controls["tolerance"].value))

    @property
    def early(self) -> TrainingHistory:
        """The run with validation and the chosen ``patience``."""
        patience = int(self.controls["patience"].value)
        return self._train(validation=tuple(self.validation_data), patience=patience)

    @property
    def status(self) -> str:
        """Where each rule stopped, and what it kept."""
        v = self.values()
        tol, patience = float(v["tolerance"]), int(v["patience"])
        conv, early = self.converging, self.early
        if conv.converged:
            first = (
                f"tolerance {tol:.1e}: converged after {conv.iterations_run} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        else:
            first = (
                f"tolerance {tol:.1e}: not converged within {self.max_iterations} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        if early.stopped_early:
            second = (
                f"patience {patience}: stopped at iteration {early.iterations_run}, kept "
                f"iteration {early.best_iteration} (validation loss "
                f"{early.best_validation_loss:.4g})"
            )
        else:
            second = (
                f"patience {patience}: never stopped early; ran all {self.max_iterations} "
                f"iterations (best validation loss {early.best_validation_loss:.4g} at "
                f"{early.best_iteration})"
            )
        return f"{first}; {second}."
