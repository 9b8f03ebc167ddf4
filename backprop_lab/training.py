"""Gradient-descent training and its history (chapters 4 and 5).

One iteration is one update: a forward pass on a batch, a backward pass, and every
parameter moved against its gradient at once,
:math:`w \\leftarrow w - \\eta\\, \\partial E/\\partial w`, all from the same gradients.
Full-batch by default; mini-batches with seeded shuffling on request.

A run that blows up (a loss that is not finite) stops there, says so in its history,
and leaves the network at its last finite parameters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.validation import check_integer, check_positive_number

if TYPE_CHECKING:
    from backprop_lab.network import Network

__all__ = ["Snapshot", "TrainingHistory", "train"]


@dataclass(frozen=True)
class Snapshot:
    """The parameters after ``iteration`` updates (copies)."""

    iteration: int
    weights: list[np.ndarray]
    biases: list[np.ndarray]


@dataclass
class TrainingHistory:
    """What a training run did (chapter 4).

    Attributes
    ----------
    loss : ndarray
        ``loss[t]`` is the loss after ``t`` updates, for ``t = 0..iterations_run``. In
        full-batch mode every entry is the loss on all the data; with mini-batches the
        entries before the last are the loss on the batch about to be used (a noisy
        estimate) and the last is the loss on all the data. Every entry is finite, except
        after a mini-batch run diverged: the kept parameters had a finite loss on their
        batch, but their loss on all the data (the last entry) may overflow to inf.
    iterations_run : int
        Updates actually applied (fewer than asked when the run diverged).
    diverged : bool
        Whether the loss became NaN or infinite.
    diverged_at : int or None
        The update that produced a non-finite loss (the network keeps the parameters from
        the update before it); 0 when the starting loss itself is not finite (``loss``
        then holds that one value).
    learning_rate, batch_size, update_biases
        The settings of the run.
    snapshots : list of Snapshot
        Parameters every ``snapshot_every`` updates, if asked for (for sliders and
        animations that must not retrain).
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

    @property
    def final_loss(self) -> float:
        """Loss after the last applied update."""
        return float(self.loss[-1])

    @property
    def initial_loss(self) -> float:
        return float(self.loss[0])

    @property
    def message(self) -> str:
        """One sentence a status line can show."""
        if self.diverged:
            if self.diverged_at == 0:
                return "Diverged before the first update: the starting loss is not finite."
            if np.isfinite(self.final_loss):
                kept = f"(loss {self.final_loss:.4g})"
            else:  # mini-batches: the last batch was finite, the whole data set overflows
                kept = "(their loss on all the data already overflows)"
            return (
                f"Diverged at iteration {self.diverged_at}: the loss became NaN or infinite, "
                f"so training stopped and kept the parameters from iteration "
                f"{self.diverged_at - 1} {kept}."
            )
        return (
            f"Trained {self.iterations_run} iterations at learning rate {self.learning_rate:g}: "
            f"loss {self.initial_loss:.4g} -> {self.final_loss:.4g}."
        )

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


class _Batches:
    """The mini-batches of a run: a permutation of the samples, redrawn every epoch.

    :meth:`state` and :meth:`restore` let a run go back to a checkpoint and draw the
    very same batches again.
    """

    def __init__(self, n: int, batch_size: int, seed: int) -> None:
        self.n, self.batch_size = n, batch_size
        self.rng = np.random.default_rng(seed)
        self.order = np.arange(n)
        self.cursor = n

    def next(self) -> np.ndarray:
        if self.cursor + self.batch_size > self.n:
            self.order = self.rng.permutation(self.n)  # a new array: old states stay valid
            self.cursor = 0
        index = self.order[self.cursor : self.cursor + self.batch_size]
        self.cursor += self.batch_size
        return index

    def state(self) -> tuple[Any, np.ndarray, int]:
        return self.rng.bit_generator.state, self.order, self.cursor

    def restore(self, state: tuple[Any, np.ndarray, int]) -> None:
        self.rng.bit_generator.state, self.order, self.cursor = state


def _update(params: list[np.ndarray], grads: list[np.ndarray], eta: np.floating) -> None:
    """:math:`p \\leftarrow p - \\eta g` in place (the gradients are the run's own arrays)."""
    for p, g in zip(params, grads):
        np.multiply(g, eta, out=g)
        np.subtract(p, g, out=p)  # the same numbers as p - eta * g


# Updates between checkpoints of the parameters (see train's comment on divergence)
_CHECKPOINT_EVERY = 64


def _snapshot(net: Network, iteration: int) -> Snapshot:
    return Snapshot(iteration, [w.copy() for w in net.weights], [b.copy() for b in net.biases])


def train(
    net: Network,
    X: Any,
    Y: Any,
    learning_rate: float = 0.5,
    iterations: int = 1000,
    update_biases: bool = True,
    batch_size: int | None = None,
    seed: int = 0,
    snapshot_every: int | None = None,
) -> TrainingHistory:
    """Train ``net`` in place by gradient descent (chapter 4, "The update rule").

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs ``(n_samples, n_inputs)`` and targets ``(n_samples, n_outputs)``.
    learning_rate : float
        The step size :math:`\\eta > 0`.
    iterations : int
        Number of updates, >= 0.
    update_biases : bool
        If False, biases stay fixed (as in the classic worked example).
    batch_size : int or None
        None for full-batch gradient descent; otherwise mini-batches of this size, drawn
        from a permutation of the samples reshuffled every epoch with ``seed``.
    seed : int
        Seed of the mini-batch shuffling.
    snapshot_every : int or None
        Keep a copy of the parameters every this many updates (and at the start and end).

    Returns
    -------
    TrainingHistory
    """
    X, single = net._inputs(X)
    Y = net._targets(Y, X.shape[0], single)
    eta = check_positive_number("learning_rate", learning_rate)
    iterations = check_integer("iterations", iterations, minimum=0)
    seed = check_integer("seed", seed, minimum=0)
    if not isinstance(update_biases, bool | np.bool_):
        raise TypeError(f"update_biases must be True or False; got {update_biases!r}")
    n = X.shape[0]
    if batch_size is not None:
        batch_size = check_integer("batch_size", batch_size, minimum=1)
        if batch_size >= n:
            batch_size = None
    if snapshot_every is not None:
        snapshot_every = check_integer("snapshot_every", snapshot_every, minimum=1)

    step = net.dtype(eta)
    losses = np.empty(iterations + 1, dtype=np.float64)
    snapshots = [_snapshot(net, 0)] if snapshot_every else []
    diverged_at = None
    forward, backward = net._forward_unguarded, net._backward_unguarded
    forward_loss = net._forward_loss_unguarded
    batches = _Batches(n, batch_size, seed) if batch_size is not None else None

    def one_update(xb: np.ndarray, yb: np.ndarray, zs: Any = None, activations: Any = None):
        if zs is None:
            zs, activations = forward(xb)
        grad_w, grad_b, _ = backward(zs, activations, yb)
        _update(net.weights, grad_w, step)
        if update_biases:
            _update(net.biases, grad_b, step)

    # Updates are applied in place, to the run's own copies of the parameters (the arrays
    # the network had before training are never written to: a reader may hold them).
    # A non-finite loss after update t means going back to the parameters after t - 1
    # updates: the run keeps a checkpoint every _CHECKPOINT_EVERY updates (parameters and
    # batch order) and replays the updates since then, which gives the same numbers.
    checkpoints = [(0, net.weights, net.biases, batches.state() if batches else None)]
    net.weights = [w.copy() for w in net.weights]
    if update_biases:
        net.biases = [b.copy() for b in net.biases]

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        t = 0
        while True:
            if batches is None or t == iterations:
                # full batch, or the last entry of a mini-batch run: the loss on all data
                xb, yb = X, Y
            else:
                index = batches.next()
                xb, yb = X[index], Y[index]
            zs, activations, loss = forward_loss(xb, yb)
            if not math.isfinite(loss):
                diverged_at = t
                if t > 0:
                    # the latest checkpoint at or before t - 1
                    start, weights, biases, state = next(
                        c for c in reversed(checkpoints) if c[0] <= t - 1
                    )
                    net.weights = [w.copy() for w in weights]
                    if update_biases:
                        net.biases = [b.copy() for b in biases]
                    if batches is not None:
                        batches.restore(state)
                    for _ in range(start, t - 1):
                        if batches is None:
                            one_update(X, Y)
                        else:
                            index = batches.next()
                            one_update(X[index], Y[index])
                    t -= 1
                break
            losses[t] = loss
            if t == iterations:
                break
            one_update(xb, yb, zs, activations)
            t += 1
            if t % _CHECKPOINT_EVERY == 0:  # keep the last two: one is before t - 1
                latest = (
                    t,
                    [w.copy() for w in net.weights],
                    [b.copy() for b in net.biases],
                    batches.state() if batches else None,
                )
                checkpoints = [checkpoints[-1], latest]
            if snapshot_every and t % snapshot_every == 0 and t != iterations:
                snapshots.append(_snapshot(net, t))

    iterations_run = t
    if diverged_at == 0:
        losses[0] = loss  # the one, non-finite, value there is
    elif diverged_at is not None and batch_size is not None:
        # the last entry must be the full-data loss of the parameters kept
        losses[iterations_run] = net.loss(X, Y)
    if snapshot_every:
        snapshots = [s for s in snapshots if s.iteration <= iterations_run]
        if snapshots[-1].iteration != iterations_run:
            snapshots.append(_snapshot(net, iterations_run))
    recorded = losses[: iterations_run + 1]
    return TrainingHistory(
        loss=recorded.copy(),
        iterations_run=iterations_run,
        iterations_requested=iterations,
        learning_rate=eta,
        batch_size=batch_size,
        update_biases=bool(update_biases),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        snapshots=snapshots,
    )
