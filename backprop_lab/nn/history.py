"""What a training run did: its losses, snapshots and how it ended (chapters 4 and 5)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import describe

__all__ = ["Snapshot", "TrainingHistory", "check_history"]

_TINY = float(np.finfo(np.float64).tiny)


@dataclass(frozen=True)
class Snapshot:
    """The parameters after ``iteration`` updates (copies)."""

    iteration: int
    weights: list[np.ndarray]
    biases: list[np.ndarray]


@dataclass
class TrainingHistory:
    """What a training run did (chapters 4 and 5).

    Attributes
    ----------
    loss : ndarray
        ``loss[t]`` is the loss after ``t`` updates, for ``t = 0..iterations_run``. In
        full-batch mode every entry is the loss on all the data; with mini-batches the
        entries before the last are the loss on the batch about to be used (a noisy
        estimate) and the last is the loss on all the data. Every entry is finite, except
        after a mini-batch run diverged: the kept parameters had a finite loss on their
        batch, but their loss on all the data (the last entry) may overflow to inf.
        Stored as one float64 per update: 8 bytes, so 80 MB for ten million updates.
    iterations_run : int
        Updates actually applied (fewer than asked when the run diverged, converged,
        stopped early or was interrupted).
    iterations_requested : int
        The ``iterations`` asked for.
    diverged : bool
        Whether the loss became NaN or infinite, or exploded past ``divergence_threshold``.
    diverged_at : int or None
        The update that produced that loss (the network keeps the parameters from the
        update before it); 0 when the starting loss itself is not finite (``loss`` then
        holds that one value).
    diverged_loss : float or None
        The rejected loss value (NaN, inf, or a finite value above the threshold).
    divergence_threshold : float
        The largest loss accepted as finite training: ``1000 * max(starting loss, 1)``,
        times ``n_samples / batch_size`` with mini-batches (see :func:`train`).
    learning_rate, batch_size, update_biases, momentum, tolerance, patience
        The settings of the run.
    validation_loss : ndarray or None
        With ``validation=(X_val, Y_val)``: ``validation_loss[t]`` is the loss on the
        validation data after ``t`` updates, the same length as ``loss``.
    updates_per_epoch : int
        Updates that make one pass over the data: 1 in full-batch mode,
        ``n_samples // batch_size`` with mini-batches (the remainder of a shuffle is
        left out, so every epoch has the same number of updates).
    converged : bool
        Whether the run stopped because the loss changed by less than ``tolerance``.
    converged_at : int or None
        The number of updates after which it stopped that way.
    stopped_early : bool
        Whether early stopping (``patience``) ended the run; the network then holds the
        parameters from ``best_iteration``, not those after ``iterations_run`` updates.
    best_iteration : int or None
        With validation data: the update count, among the ends of epochs
        ``0, updates_per_epoch, 2 * updates_per_epoch, ...``, with the lowest validation
        loss (the first one on a tie).
    interrupted : bool
        Whether a KeyboardInterrupt (a kernel interrupt) stopped the run; the network
        keeps the parameters after ``iterations_run`` completed updates.
    snapshots : list of Snapshot
        Parameters every ``snapshot_every`` updates, if asked for (for sliders and
        animations that must not retrain), plus the start and the end.
    snapshot_every : int or None
        The spacing of the snapshots kept: the one asked for, doubled each time the run
        would have kept more than 1000 snapshots (or 256 MB of them).
    kept_loss : float or None
        After early stopping, the loss on all the training data of the parameters kept.
    """

    loss: np.ndarray
    iterations_run: int
    iterations_requested: int
    learning_rate: float
    batch_size: int | None
    update_biases: bool
    diverged: bool = False
    diverged_at: int | None = None
    snapshots: list[Snapshot] = field(default_factory=list, repr=False)
    momentum: float = 0.0
    validation_loss: np.ndarray | None = field(default=None, repr=False)
    updates_per_epoch: int = 1
    tolerance: float | None = None
    converged: bool = False
    converged_at: int | None = None
    patience: int | None = None
    stopped_early: bool = False
    best_iteration: int | None = None
    interrupted: bool = False
    diverged_loss: float | None = None
    divergence_threshold: float = math.inf
    snapshot_every: int | None = None
    kept_loss: float | None = None

    @property
    def final_loss(self) -> float:
        """Loss of the parameters the network holds after the run: ``loss[-1]``, or after
        early stopping the training loss of the best parameters (``kept_loss``)."""
        if self.kept_loss is not None:
            return float(self.kept_loss)
        return float(self.loss[-1])

    @property
    def initial_loss(self) -> float:
        """``loss[0]``, the loss before the first update."""
        return float(self.loss[0])

    @property
    def best_validation_loss(self) -> float | None:
        """``validation_loss[best_iteration]`` (None without validation data)."""
        if self.validation_loss is None or self.best_iteration is None:
            return None
        return float(self.validation_loss[self.best_iteration])

    @property
    def epoch(self) -> np.ndarray:
        """``epoch[t]``: how many passes over the data ``t`` updates make,
        ``t / updates_per_epoch`` (equal to ``t`` in full-batch mode).

        Plot ``history.loss`` or ``history.validation_loss`` against it to compare runs
        with different batch sizes per epoch rather than per update.
        """
        return np.arange(len(self.loss)) / self.updates_per_epoch

    @property
    def epochs_run(self) -> float:
        """``iterations_run / updates_per_epoch``."""
        return self.iterations_run / self.updates_per_epoch

    @property
    def epoch_loss(self) -> np.ndarray:
        """The training loss of each completed epoch, the one ``tolerance`` watches.

        Full batch: ``epoch_loss[e - 1] = loss[e]``, the loss after epoch ``e``. Mini-batches:
        ``epoch_loss[e - 1]`` is the mean of the batch losses of epoch ``e``,
        ``loss[(e - 1) m : e m]`` with ``m = updates_per_epoch`` (each measured just before
        its update, as most frameworks report it); this costs no extra pass over the data.
        """
        m = self.updates_per_epoch
        if m == 1:
            return self.loss[1:].copy()
        completed = self.iterations_run // m
        return np.array([self.loss[e * m : (e + 1) * m].mean() for e in range(completed)])

    @property
    def message(self) -> str:
        """One sentence a status line can show."""
        eta = f"learning rate {self.learning_rate:g}"
        if self.momentum:
            eta += f", momentum {self.momentum:g}"
        if self.diverged:
            if self.diverged_at == 0:
                return "Diverged before the first update: the starting loss is not finite."
            if np.isfinite(self.final_loss):
                kept = f"(loss {self.final_loss:.4g})"
            else:  # mini-batches: the last batch was finite, the whole data set overflows
                kept = "(their loss on all the data already overflows)"
            if self.diverged_loss is not None and math.isfinite(self.diverged_loss):
                what = (
                    f"the loss exploded to {self.diverged_loss:.4g}, above the divergence "
                    f"threshold {self.divergence_threshold:.4g} (1000 times the starting loss "
                    "or 1, whichever is larger"
                    + (", times n_samples / batch_size" if self.batch_size else "")
                    + ")"
                )
            else:
                what = "the loss became NaN or infinite"
            return (
                f"Diverged at iteration {self.diverged_at}: {what}, so training stopped and "
                f"kept the parameters from iteration {self.diverged_at - 1} {kept}."
            )
        if self.interrupted:
            return (
                f"Interrupted at iteration {self.iterations_run} of "
                f"{self.iterations_requested}: training stopped cleanly and the network keeps "
                f"the parameters after {self.iterations_run} completed updates "
                f"(loss {self.final_loss:.4g})."
            )
        if self.stopped_early:
            unit = "epochs" if self.updates_per_epoch > 1 else "iterations"
            return (
                f"Stopped early at iteration {self.iterations_run}: the validation loss had not "
                f"improved for {self.patience} {unit} since iteration {self.best_iteration}, "
                f"so the network keeps the parameters from iteration {self.best_iteration} "
                f"(validation loss {self.best_validation_loss:.4g}, training loss "
                f"{self.final_loss:.4g})."
            )
        if self.converged:
            # the rule compares the change with tolerance * max(|loss|, 1)
            relative = " of itself" if abs(self.final_loss) > 1 else ""
            return (
                f"Converged after {self.iterations_run} iterations at {eta} (the loss changed by "
                f"less than {self.tolerance:g}{relative}): loss {self.initial_loss:.4g} -> "
                f"{self.final_loss:.4g}."
            )
        text = (
            f"Trained {self.iterations_run} iterations at {eta}: "
            f"loss {self.initial_loss:.4g} -> {self.final_loss:.4g}."
        )
        if self.tolerance is not None:
            text = text[:-1] + f"; not converged to tolerance {self.tolerance:g}."
        return text

    def snapshot(self, iteration: int) -> Snapshot:
        """The latest snapshot taken at or before ``iteration``."""
        if not self.snapshots:
            raise ValueError("this history has no snapshots: train with snapshot_every=k")
        best = self.snapshots[0]
        for snap in self.snapshots:
            if snap.iteration <= iteration:
                best = snap
        return best

    def __repr__(self) -> str:
        return f"TrainingHistory({self.message})"


def check_history(argument: str, value: Any, *, snapshots: bool = False) -> TrainingHistory:
    """Check that ``value`` is a :class:`TrainingHistory`.

    With ``snapshots`` it must also hold snapshots (a run trained with ``snapshot_every``).

    Raises
    ------
    TypeError
        If it is not a training history.
    ValueError
        If snapshots are needed and it has none.
    """
    if not isinstance(value, TrainingHistory):
        raise TypeError(
            f"{argument} must be a TrainingHistory (what Network.train returns); "
            f"got {describe(value)}"
        )
    if snapshots and not value.snapshots:
        raise ValueError(
            f"{argument} has no snapshots: train with snapshot_every=k to keep the "
            "parameters along the run"
        )
    return value
