"""Mini-batch against full-batch gradient descent, per update and per epoch (chapter 6.3).

Both runs are trained and drawn in the reader's browser (``js/minibatch.js``, on the
engine's ``trainSteps``, a slice per animation frame), so every control answers on the
website too.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc import datasets
from backprop_lab.checks.arguments import check_integer
from backprop_lab.explorers.common import (
    check_portable_seed,
    check_slider_integer,
    check_slider_number,
    log_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.history import TrainingHistory
from backprop_lab.nn.portable_random import batch_order, portable_network

__all__ = ["MiniBatchExplorer", "MiniBatchView", "recording_marks"]


def recording_marks(updates: int, updates_per_epoch: int) -> list[int]:
    """The update counts at which the explorer records the loss on all the data (6.3).

    Every epoch's end, and about 60 counts spread evenly on a log scale:
    :math:`\\lfloor 10^{k \\log_{10}(U) / 59} \\rfloor` for :math:`k = 0, \\dots, 59`,
    :math:`U` the number of updates (the page computes the same integers: each power is
    raised by one part in :math:`10^{12}` before it is rounded down, so that a last bit of
    difference between the languages' ``pow`` cannot change it).
    """
    updates = check_integer("updates", updates, minimum=0, maximum=10**7)
    updates_per_epoch = check_integer("updates_per_epoch", updates_per_epoch, minimum=1)
    marks = set(range(0, updates + 1, updates_per_epoch))
    top = max(updates, 1)
    for k in range(60):
        marks.add(math.floor(10 ** (k * math.log10(top) / 59) * (1 + 1e-12)))
    return sorted(m for m in marks if m <= updates)


class MiniBatchView(BrowserView):
    """The mini-batch explorer's picture (``js/minibatch.js``)."""

    _view_file = "minibatch.js"
    batch_size = traitlets.Int(0).tag(sync=True)  # index into choices["batch_size"]
    learning_rate = traitlets.Float(0.3).tag(sync=True)
    epochs = traitlets.Int(10).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    X = traitlets.List().tag(sync=True)
    """The two moons' inputs, rows of two numbers."""
    Y = traitlets.List().tag(sync=True)


class MiniBatchExplorer(LiveExplorer):
    """Mini-batch against full-batch gradient descent, per update and per epoch (6.3).

    Both runs train the same network (2-8-1, tanh hidden, sigmoid output, binary
    cross-entropy) from the same start on two moons (200 points) for ``epochs`` passes over
    the data. The curves are the loss on *all* the training data (recorded after every
    epoch and at about 60 update counts, :func:`recording_marks`): left against updates,
    right against epochs, which is the same as against samples processed (one epoch is 200
    per-sample gradients, whatever the batch size).

    Trained and drawn in the browser, a slice per animation frame, so every control answers
    on the website. The initial weights and the order of the mini-batches come from the
    generator the package and the page share
    (:func:`~backprop_lab.nn.portable_random.portable_network` and
    :func:`~backprop_lab.nn.portable_random.batch_order` with ``seed``), not from numpy's as
    the chapter's printed runs (``Network(..., seed=0)``, ``train(seed=0)``): the explorer's
    losses differ from the chapter's a little, not what they show. The data are the
    chapter's two moons, sent to the page.

    Parameters
    ----------
    batch_size : int
        One of :attr:`BATCH_SIZES` (200 is full batch).
    learning_rate : float
        Slider from 0.01 to 3 (log scale), used by both runs.
    epochs : int
        1 to 50.
    seed : int
        Seed of the initial weights and of the shuffling (0 to ``2**32 - 1``).

    Attributes
    ----------
    controls : dict
        ``"batch_size"``, ``"learning_rate"``, ``"epochs"``.
    start : Network
        The network both runs start from.
    mini, full : TrainingHistory
        The two runs the controls describe now.
    mini_curve, full_curve : ndarray
        Their loss on all the data, rows ``(updates, loss)``.
    """

    BATCH_SIZES: ClassVar[tuple[int, ...]] = (1, 2, 5, 10, 20, 50, 100, 200)

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
        learning_rate = check_slider_number("learning_rate", learning_rate, 0.01, 3.0)
        epochs = check_slider_integer("epochs", epochs, 1, 50)
        self.seed = check_portable_seed("seed", seed)
        self.data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
        self.start = portable_network(
            [2, 8, 1], "tanh", "sigmoid", "binary_cross_entropy", seed=self.seed
        )
        self._runs: OrderedDict[tuple, tuple[TrainingHistory, np.ndarray]] = OrderedDict()
        c = self.controls
        c["batch_size"] = widgets.SelectionSlider(
            options=list(self.BATCH_SIZES), value=batch_size, description="batch size"
        )
        c["learning_rate"] = log_slider("learning rate", learning_rate, 0.01, 3.0, step=0.05)
        c["epochs"] = widgets.IntSlider(
            value=epochs, min=1, max=50, description="epochs", continuous_update=False
        )
        self.view = MiniBatchView(
            batch_size=self.BATCH_SIZES.index(batch_size),
            seed=self.seed,
            X=self.data.X.tolist(),
            Y=self.data.Y.tolist(),
        )
        for name in c:
            self._link(name)
        self._assemble([[c["batch_size"], c["learning_rate"], c["epochs"]]])

    def train(
        self, batch_size: int, learning_rate: float, epochs: int
    ) -> tuple[TrainingHistory, np.ndarray]:
        """One run of the setting: ``epochs`` passes over the data (kept for the next call).

        Returns the history and the loss on all the data recorded along the run, as rows
        ``(updates, loss)`` at :func:`recording_marks` (with mini-batches ``history.loss``
        holds batch losses, noisier).
        """
        key = (int(batch_size), round(float(learning_rate), 15), int(epochs))
        if key in self._runs:
            self._runs.move_to_end(key)
            return self._runs[key]
        n = self.data.n_samples
        X, Y = self.data
        m = n // batch_size
        updates = epochs * m
        marks = set(recording_marks(updates, m))
        model = self.start.copy()
        recorded: list[tuple[int, float]] = []

        def record(t: int, _: float) -> None:
            if t in marks:
                recorded.append((t, model.loss(X, Y)))

        order = batch_order(n, epochs, self.seed) if batch_size < n else None
        history = model.train(
            X,
            Y,
            learning_rate=learning_rate,
            iterations=updates,
            batch_size=batch_size,
            batch_order=order,
            callback=record,
            progress=False,
        )
        curve = np.array(recorded, dtype=float).reshape(-1, 2)
        self._runs[key] = (history, curve)
        while len(self._runs) > 16:
            self._runs.popitem(last=False)
        return history, curve

    def _settings(self) -> tuple[int, float, int]:
        v = self.values()
        return int(v["batch_size"]), float(v["learning_rate"]), int(v["epochs"])

    @property
    def full(self) -> TrainingHistory:
        """The full-batch run."""
        _, eta, epochs = self._settings()
        return self.train(self.data.n_samples, eta, epochs)[0]

    @property
    def full_curve(self) -> np.ndarray:
        _, eta, epochs = self._settings()
        return self.train(self.data.n_samples, eta, epochs)[1]

    @property
    def mini(self) -> TrainingHistory:
        """The run with the chosen batch size (the full-batch run for 200)."""
        return self.train(*self._settings())[0]

    @property
    def mini_curve(self) -> np.ndarray:
        return self.train(*self._settings())[1]

    @property
    def status(self) -> str:
        """Updates and final loss of both runs, and a warning if one diverged."""
        batch, eta, epochs = self._settings()
        full, mini = self.full, self.mini
        parts = [
            f"After {epochs} epoch{'s' if epochs > 1 else ''} at learning rate {eta:.2g}: "
            f"full batch {full.iterations_run} updates, loss {full.final_loss:.4g}"
        ]
        if batch < self.data.n_samples:
            parts.append(
                f"batches of {batch}: {mini.iterations_run} updates, loss {mini.final_loss:.4g}"
            )
        message = "; ".join(parts) + "."
        for history in (full, mini):
            if history.diverged:
                message += f" {history.message} Try a smaller learning rate."
                break
        return message
