"""Mini-batch against full-batch gradient descent, per update and per epoch (chapter 6.3)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc import datasets
from backprop_lab.checks.arguments import check_integer
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import (
    REFERENCE_COLOR,
    VALIDATION_COLOR,
    _loss_axis_limits,
    _rate,
    log_slider,
)
from backprop_lab.nn.network import Network

__all__ = ["MiniBatchExplorer"]


class MiniBatchExplorer(Explorer):
    """Mini-batch against full-batch gradient descent, per update and per epoch (6.3).

    Both runs train the same network (2-8-1, tanh hidden, sigmoid output, binary
    cross-entropy) from the same start on two moons (200 points) for ``epochs`` passes over
    the data. The curves are the loss on *all* the training data (recorded by a
    ``callback`` after every epoch and at about 60 update counts): left against updates,
    right against epochs, which is the same as against samples processed (one epoch is 200
    per-sample gradients, whatever the batch size).

    Parameters
    ----------
    batch_size : int
        One of :attr:`BATCH_SIZES` (200 is full batch).
    learning_rate : float
        Slider from 0.01 to 3 (log scale), used by both runs.
    epochs : int
        1 to 50.
    seed : int
        Seed of the initial weights and of the shuffling.

    Attributes
    ----------
    controls : dict
        ``"batch_size"``, ``"learning_rate"``, ``"epochs"``.
    mini, full : TrainingHistory
        The two runs.
    mini_curve, full_curve : ndarray
        Their loss on all the data, rows ``(updates, loss)``.
    """

    figsize = (8.6, 3.3)
    dpi = 72
    BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100, 200)

    def __init__(
        self,
        batch_size: int = 10,
        learning_rate: float = 0.3,
        epochs: int = 10,
        *,
        seed: int = 0,
    ) -> None:
        super().__init__()
        batch_size = check_integer("batch_size", batch_size, minimum=1)
        if batch_size not in self.BATCH_SIZES:
            raise ValueError(
                f"batch_size must be one of {', '.join(map(str, self.BATCH_SIZES))}; "
                f"got {batch_size}"
            )
        learning_rate = _rate("learning_rate", learning_rate, 0.01, 3.0)
        epochs = check_integer("epochs", epochs, minimum=1)
        check_slider_value("epochs", epochs, 1, 50)
        self.seed = check_integer("seed", seed, minimum=0)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        self.start = Network(
            [2, 8, 1],
            activation="tanh",
            output_activation="sigmoid",
            loss="binary_cross_entropy",
            seed=self.seed,
        )
        self.mini = self.full = None
        self._full_runs: OrderedDict[tuple, Any] = OrderedDict()
        c = self.controls
        c["batch_size"] = widgets.SelectionSlider(
            options=list(self.BATCH_SIZES), value=batch_size, description="batch size"
        )
        c["learning_rate"] = log_slider("learning rate", learning_rate, 0.01, 3.0, step=0.05)
        c["epochs"] = widgets.IntSlider(
            value=epochs, min=1, max=50, description="epochs", continuous_update=False
        )
        self.update_ax, self.epoch_ax = self.figure.subplots(1, 2, sharey=True)
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.88, wspace=0.08)
        self._assemble([[c["batch_size"], c["learning_rate"], c["epochs"]]])

    STATIC_LEARNING_RATES = (0.1, 0.3, 1.0)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: every batch size by three learning rates."""
        c = self.controls
        return [
            StaticAxis("batch_size", list(self.BATCH_SIZES)),
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES, digits=6),
                lambda values: [f"{v:.2g}" for v in values],
            ),
        ]

    def train(self, batch_size: int, learning_rate: float, epochs: int) -> tuple[Any, np.ndarray]:
        """One run of the setting: ``epochs`` passes over the data.

        Returns the history and the loss on all the data recorded along the run, as rows
        ``(updates, loss)``: after every epoch and at about 60 update counts spread evenly
        on a log scale (with mini-batches ``history.loss`` holds batch losses, noisier).
        """
        n = self.data.n_samples
        X, Y = self.data
        m = n // batch_size
        updates = epochs * m
        marks = set(range(0, updates + 1, m))
        marks |= {int(v) for v in np.geomspace(1, max(updates, 1), 60)}
        model = self.start.copy()
        recorded: list[tuple[int, float]] = []

        def record(t: int, _: float) -> None:
            if t in marks:
                recorded.append((t, model.loss(X, Y)))

        history = model.train(
            X,
            Y,
            learning_rate=learning_rate,
            iterations=updates,
            batch_size=batch_size,
            seed=self.seed,
            callback=record,
            progress=False,
        )
        curve = np.array(recorded, dtype=float).reshape(-1, 2)
        return history, curve

    def _render(self) -> tuple[str, str]:
        c = self.controls
        batch, eta, epochs = (
            int(c["batch_size"].value),
            float(c["learning_rate"].value),
            int(c["epochs"].value),
        )
        key = (round(eta, 12), epochs)
        if key not in self._full_runs:
            self._full_runs[key] = self.train(self.data.n_samples, eta, epochs)
            while len(self._full_runs) > 16:
                self._full_runs.popitem(last=False)
        n = self.data.n_samples
        full, full_curve = self._full_runs[key]
        mini, mini_curve = (full, full_curve) if batch == n else self.train(batch, eta, epochs)
        self.full, self.mini, self.full_curve, self.mini_curve = full, mini, full_curve, mini_curve
        for ax in (self.update_ax, self.epoch_ax):
            ax.clear()
        label = f"batches of {batch}" if batch < self.data.n_samples else "full batch (200)"
        runs = [(full, full_curve, "full batch (200)", REFERENCE_COLOR, 2.4)]
        if mini is not full:
            runs.append((mini, mini_curve, label, VALIDATION_COLOR, 1.4))
        for history, curve, name, color, width in runs:
            steps, losses = curve[:, 0], curve[:, 1]
            self.update_ax.plot(steps, losses, color=color, lw=width, label=name)
            epochs_done = steps / history.updates_per_epoch
            self.epoch_ax.plot(epochs_done, losses, color=color, lw=width, label=name)
        self.update_ax.set_xscale("symlog", linthresh=1.0)
        self.update_ax.set_xlabel("updates (log scale)")
        self.update_ax.set_ylabel("loss on all 200 points")
        self.update_ax.set_title("per update", fontsize=10)
        self.epoch_ax.set_xlabel("epochs = samples processed / 200")
        self.epoch_ax.set_title("per epoch (per unit of compute)", fontsize=10)
        self.epoch_ax.legend(fontsize=8, frameon=False)
        self.update_ax.set_yscale("log")
        _loss_axis_limits(self.update_ax, full_curve[:, 1], mini_curve[:, 1])
        level = "ok"
        parts = [
            f"After {epochs} epoch{'s' if epochs > 1 else ''} at learning rate {eta:.2g}: "
            f"full batch {full.iterations_run} updates, loss {full.final_loss:.4g}"
        ]
        if mini is not full:
            parts.append(
                f"batches of {batch}: {mini.iterations_run} updates, loss {mini.final_loss:.4g}"
            )
        message = "; ".join(parts) + "."
        for history in (full, mini):
            if history.diverged:
                level = "warning"
                message += f" {history.message} Try a smaller learning rate."
                break
        return message, level


# ------------------------------------------------------------------ momentum
