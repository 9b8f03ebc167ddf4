"""Gradient-descent training and its history (chapters 4 and 5).

One iteration is one update: a forward pass on a batch, a backward pass, and every
parameter moved against its gradient at once,
:math:`w \\leftarrow w - \\eta\\, \\partial E/\\partial w`, all from the same gradients.
Full-batch by default; mini-batches with seeded shuffling on request. With momentum
:math:`\\mu` the update follows PyTorch's SGD (heavy ball):
:math:`v \\leftarrow \\mu v + g`, :math:`w \\leftarrow w - \\eta v`, with :math:`v = 0` at the
start, so the first step is plain gradient descent.

A run stops before its last iteration when

- the loss diverges: it is NaN or infinite, or it explodes past a threshold (see
  :func:`train`); the network keeps its last good parameters;
- it has converged (``tolerance``), or the validation loss has stopped improving
  (``patience``, early stopping: the network gets its best parameters back);
- the reader interrupts it (a kernel interrupt, Ctrl-C): the network keeps the last
  completed update and the history so far is returned.

Every outcome is recorded in the :class:`TrainingHistory` and said in its ``message``.
In JupyterLab a long run shows a progress bar (see ``progress`` in :func:`train`).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.checks.arguments import check_integer, check_positive_number, describe
from backprop_lab.nn.history import Snapshot, TrainingHistory
from backprop_lab.nn.progress import NEVER, Progress, auto_progress

if TYPE_CHECKING:
    from backprop_lab.nn.network import Network

__all__ = ["train"]

# A finite loss above this many times max(starting loss, 1) counts as divergence.
_DIVERGENCE_FACTOR = 1e3
# Snapshots: at most this many, and at most this many bytes of them (then thinned).
_MAX_SNAPSHOTS = 1000
_SNAPSHOT_BYTES = 256 * 2**20
# Updates between checkpoints of the parameters (see train's comment on divergence)
_CHECKPOINT_EVERY = 64
# The loss history grows by doubling from this many entries (never the whole request at once)
_FIRST_CAPACITY = 4096
_FLOAT_MAX = sys.float_info.max


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


class _OrderedBatches(_Batches):
    """The mini-batches of a run with ``batch_order``: epoch ``e`` cuts its batches from
    ``orders[e % len(orders)]`` (the same interface as :class:`_Batches`)."""

    def __init__(self, n: int, batch_size: int, orders: list[np.ndarray]) -> None:
        self.n, self.batch_size = n, batch_size
        self.orders = orders
        self.epoch = -1
        self.order = orders[0]
        self.cursor = n

    def next(self) -> np.ndarray:
        if self.cursor + self.batch_size > self.n:
            self.epoch += 1
            self.order = self.orders[self.epoch % len(self.orders)]
            self.cursor = 0
        index = self.order[self.cursor : self.cursor + self.batch_size]
        self.cursor += self.batch_size
        return index

    def state(self) -> tuple[Any, np.ndarray, int]:
        return self.epoch, self.order, self.cursor

    def restore(self, state: tuple[Any, np.ndarray, int]) -> None:
        self.epoch, self.order, self.cursor = state


def _penalise(grads: list[np.ndarray], weights: list[np.ndarray], l2: float, l1: float) -> None:
    """Add the penalties' gradients to the weights' gradients, in place:
    :math:`g \\leftarrow (g + \\lambda_2 w) + \\lambda_1 \\operatorname{sign}(w)`."""
    for g, w in zip(grads, weights):
        if l2:
            g += l2 * w
        if l1:
            g += l1 * np.sign(w)


def _update(params: list[np.ndarray], grads: list[np.ndarray], eta: np.floating) -> None:
    """:math:`p \\leftarrow p - \\eta g` in place (the gradients are the run's own arrays)."""
    for p, g in zip(params, grads):
        np.multiply(g, eta, out=g)
        np.subtract(p, g, out=p)  # the same numbers as p - eta * g


def _momentum_update(
    params: list[np.ndarray],
    grads: list[np.ndarray],
    velocity: list[np.ndarray],
    mu: np.floating,
    eta: np.floating,
) -> None:
    """:math:`v \\leftarrow \\mu v + g`, :math:`p \\leftarrow p - \\eta v`, in place.

    The same numbers as ``v = mu * v + g; p = p - eta * v``.
    """
    for p, g, v in zip(params, grads, velocity):
        np.multiply(v, mu, out=v)
        np.add(v, g, out=v)
        np.multiply(v, eta, out=g)
        np.subtract(p, g, out=p)


def _snapshot(net: Network, iteration: int) -> Snapshot:
    return Snapshot(iteration, [w.copy() for w in net.weights], [b.copy() for b in net.biases])


def _grown(buffer: np.ndarray | None, size: int) -> np.ndarray | None:
    if buffer is None:
        return None
    bigger = np.empty(size, dtype=buffer.dtype)
    bigger[: len(buffer)] = buffer
    return bigger


# ------------------------------------------------------------------- arguments


def _check_learning_rate(learning_rate: Any, dtype: type) -> float:
    eta = check_positive_number("learning_rate", learning_rate)
    info = np.finfo(dtype)
    name = np.dtype(dtype).name
    if eta > float(info.max):
        raise ValueError(
            f"learning_rate must be at most {float(info.max):.4g}, the largest {name} (this "
            f"network computes in {name}); got {eta:g}"
        )
    with np.errstate(all="ignore"):
        if dtype(eta) == 0:
            raise ValueError(
                f"learning_rate must be at least {float(info.smallest_subnormal):.4g}, the "
                f"smallest positive {name} (this network computes in {name}); got {eta:g}, "
                "which rounds to 0"
            )
    return eta


def _check_momentum(momentum: Any) -> float:
    if isinstance(momentum, bool) or not isinstance(momentum, Real):
        raise TypeError(
            f"momentum must be a number in [0, 1) (0 for plain gradient descent); "
            f"got {momentum!r} ({type(momentum).__name__})"
        )
    mu = float(momentum)
    if not 0.0 <= mu < 1.0:
        raise ValueError(
            f"momentum must be in [0, 1) (0 for plain gradient descent, 0.9 is usual); got {mu:g}"
        )
    return mu


def _check_validation(net: Network, validation: Any) -> tuple[np.ndarray, np.ndarray] | None:
    if validation is None:
        return None
    if hasattr(validation, "X") and hasattr(validation, "Y"):  # a data set
        pair = (validation.X, validation.Y)
    elif isinstance(validation, tuple | list) and len(validation) == 2:
        pair = tuple(validation)
    else:
        shown = repr(validation)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise TypeError(
            "validation must be a pair (X_val, Y_val) of inputs and targets, or a data set "
            f"with .X and .Y; got {shown} ({type(validation).__name__})"
        )
    try:
        X_val, single = net.check_inputs(pair[0], argument="X_val")
        Y_val = net.check_targets(pair[1], X_val.shape[0], single, argument="Y_val")
    except (TypeError, ValueError) as error:
        raise type(error)(f"validation=(X_val, Y_val): {error}") from None
    return X_val, Y_val


def _check_patience(patience: Any, validation: Any) -> int | None:
    if patience is None:
        return None
    patience = check_integer("patience", patience, minimum=1)
    if validation is None:
        raise ValueError(
            f"patience={patience} needs validation data to watch: pass "
            "validation=(X_val, Y_val); got validation=None"
        )
    return patience


def _check_penalty(argument: str, value: Any) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(
            f"{argument} must be a number >= 0 (the penalty's rate; 0 for none); "
            f"got {value!r} ({type(value).__name__})"
        )
    rate = float(value)
    if not (math.isfinite(rate) and rate >= 0):
        raise ValueError(
            f"{argument} must be a finite number >= 0 (0 for no penalty, 1e-4 to 1e-2 is "
            f"usual); got {rate:g}"
        )
    return rate


def _check_batch_order(batch_order: Any, n: int, batch_size: int | None) -> list[np.ndarray] | None:
    """``batch_order`` as a list of int64 permutations of ``range(n)``, or None."""
    if batch_order is None:
        return None
    if batch_size is None:
        raise ValueError(
            "batch_order gives the order of the rows for mini-batches, so it needs "
            "batch_size=...; got batch_size=None (full batch)"
        )
    if isinstance(batch_order, str | bytes) or not hasattr(batch_order, "__len__"):
        raise TypeError(
            "batch_order must be a list of permutations of the row indices, one per epoch; "
            f"got {batch_order!r:.60} ({type(batch_order).__name__})"
        )
    if len(batch_order) == 0:
        raise ValueError("batch_order must hold at least one permutation; got an empty list")
    orders = []
    for epoch, order in enumerate(batch_order):
        where = f"batch_order[{epoch}]"
        try:
            array = np.asarray(order)
        except (TypeError, ValueError):
            array = np.asarray(None)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise TypeError(
                f"{where} must be a 1-D sequence of integer row indices (a permutation of "
                f"0 .. {n - 1}); got {order!r:.60} ({type(order).__name__})"
            )
        if array.shape[0] != n:
            raise ValueError(
                f"{where} must be a permutation of the {n} row indices 0 .. {n - 1}; "
                f"got {array.shape[0]} indices"
            )
        if not np.array_equal(np.sort(array), np.arange(n)):
            raise ValueError(
                f"{where} must be a permutation of 0 .. {n - 1}, each index once; got "
                f"indices from {int(array.min())} to {int(array.max())} with "
                f"{n - len(np.unique(array))} repeated"
            )
        orders.append(array.astype(np.int64))
    return orders


def _check_flag(argument: str, value: Any, allow_none: bool) -> bool | None:
    if value is None and allow_none:
        return None
    if not isinstance(value, bool | np.bool_):
        expected = "True, False or None (automatic)" if allow_none else "True or False"
        raise TypeError(f"{argument} must be {expected}; got {value!r} ({type(value).__name__})")
    return bool(value)


# ---------------------------------------------------------------------- train


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
    *,
    momentum: float = 0.0,
    validation: Any = None,
    tolerance: float | None = None,
    patience: int | None = None,
    progress: bool | None = None,
    callback: Callable[[int, float], Any] | None = None,
    batch_order: Any = None,
    l2: float = 0.0,
    l1: float = 0.0,
) -> TrainingHistory:
    """Train ``net`` in place by gradient descent (chapter 4, "The update rule").

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs ``(n_samples, n_inputs)`` and targets ``(n_samples, n_outputs)``.
    learning_rate : float
        The step size :math:`\\eta > 0`; within the range of the network's dtype (at most
        about 3.4e38 for float32).
    iterations : int
        Number of updates, >= 0. No upper limit: a long run in a notebook shows a
        progress bar and can be interrupted; a script simply waits.
    update_biases : bool
        If False, biases stay fixed (as in the classic worked example).
    batch_size : int or None
        None for full-batch gradient descent; otherwise mini-batches of this size, drawn
        from a permutation of the samples reshuffled every epoch with ``seed``. An epoch
        is ``n_samples // batch_size`` updates.
    seed : int
        Seed of the mini-batch shuffling (not used with ``batch_order``).
    snapshot_every : int or None
        Keep a copy of the parameters every this many updates (and at the start and end).
        At most 1000 snapshots (and at most 256 MB of them) are kept: when a run would keep
        more, every other one is dropped and the spacing doubles
        (``history.snapshot_every`` is the spacing kept).
    momentum : float
        :math:`\\mu \\in [0, 1)`, heavy-ball momentum in PyTorch SGD's convention:
        :math:`v \\leftarrow \\mu v + g`, :math:`w \\leftarrow w - \\eta v`, :math:`v_0 = 0`
        (biases too, unless ``update_biases=False``). 0 is plain gradient descent, bit for
        bit.
    validation : (X_val, Y_val) or data set, optional
        Held-out data: ``history.validation_loss[t]`` is its loss after ``t`` updates
        (one more forward pass per update). ``validation=(X, Y)`` records the loss on all
        the training data at every update of a mini-batch run.
    tolerance : float, optional
        Stop when converged: at the end of epoch :math:`e \\ge 1` (every update in
        full-batch mode), when :math:`|L_e - L_{e-1}| < \\text{tolerance} \\cdot
        \\max(|L_{e-1}|, 1)` (SciPy's convention: relative above a loss of 1, absolute
        below, so a loss falling towards zero stops too), where :math:`L_e` is the training
        loss of epoch :math:`e` (``history.epoch_loss``; :math:`L_0` is the starting loss in
        full-batch mode). Full batch: :math:`L_e` is ``loss[e]``, exact. Mini-batches: the
        mean of the epoch's batch losses, which averages out most of the batch-to-batch
        noise (from epoch 2 on). A plateau counts as converged too: choose a smaller
        tolerance to get past one. ``history.converged`` and ``history.converged_at`` say
        whether and when.
    patience : int, optional
        Early stopping, with ``validation``: stop when the validation loss has not gone
        below its best for ``patience`` epochs (updates in full-batch mode), checked at the
        end of each epoch, and give the network the parameters of the best epoch end back
        (``history.stopped_early``, ``history.best_iteration``). A run that reaches its
        ``iterations`` without stopping keeps its final parameters.
    progress : bool or None
        True: always show a progress bar (a widget in a notebook, a line on
        stdout elsewhere); False: never. None (automatic): a bar only in a notebook served
        by JupyterLab or Jupyter Notebook, and only when the run is expected to take more
        than 2 s (estimated once the first updates have taken 0.1 s); never under the
        ``CI`` or ``BACKPROP_LAB_SITE`` environment variables, pytest, ``jupyter-book``
        execution or nbval (their kernels run without a Jupyter server), nor in a widget's
        callback.
        ``BACKPROP_LAB_PROGRESS=0`` or ``=1`` overrides the automatic choice. Nothing is
        ever written to stderr.
    callback : callable, optional
        ``callback(t, loss)`` after each recorded loss, ``t = 0..iterations_run``, with the
        network holding the parameters after ``t`` updates (inside the loop's silenced
        numpy floating-point warnings). It may raise KeyboardInterrupt to stop the run as
        an interrupt does.
    batch_order : list of array_like, optional
        The order of the rows for mini-batches (needs ``batch_size``): one permutation of
        ``0 .. n_samples-1`` per epoch; epoch ``e`` cuts its ``n_samples // batch_size``
        batches, in order, from ``batch_order[e % len(batch_order)]`` (the list is cycled,
        so one permutation gives the same order every epoch). ``seed`` is then not used.
        This is how a run reproduces a page's (the explorers' JavaScript engine cannot
        draw numpy's shuffles): ``backprop_lab.nn.portable_random.batch_order(n, epochs,
        seed)`` gives the permutations the page draws. With ``batch_size >= n_samples``
        the run is full-batch and the order, checked, is not used.
    l2 : float
        L2 penalty rate :math:`\\lambda_2 \\ge 0` (weight decay, as PyTorch SGD's
        ``weight_decay``): :math:`\\lambda_2 w` is added to every weight's gradient
        (not the biases'), the gradient of :math:`\\tfrac{\\lambda_2}{2}\\sum w^2`.
        0 (the default) changes nothing, bit for bit.
    l1 : float
        L1 penalty rate :math:`\\lambda_1 \\ge 0`: :math:`\\lambda_1\\operatorname{sign}(w)`
        is added to every weight's gradient (:math:`\\operatorname{sign}(0) = 0`), the
        gradient of :math:`\\lambda_1 \\sum |w|`. With both, the gradient used is
        :math:`(g + \\lambda_2 w) + \\lambda_1 \\operatorname{sign}(w)`, before momentum.
        The loss recorded (``history.loss``, ``validation_loss``, the divergence rule,
        ``tolerance``) stays the data loss, without the penalty, as PyTorch reports it.

    Returns
    -------
    TrainingHistory

    Notes
    -----
    Divergence: the run stops at the first update ``k`` whose loss is NaN, infinite or
    above ``1000 * max(L_0, 1)`` (times ``n_samples / batch_size`` with mini-batches,
    since one batch's mean loss can be that many times the mean over all the data; there
    :math:`L_0` is the starting loss on all the data), and the network keeps the
    parameters after ``k - 1`` updates. A loss that grows a thousandfold is not training.

    Interrupts: a KeyboardInterrupt during the run (the kernel's stop button, Ctrl-C, or
    raised by ``callback``) ends it: the network keeps the parameters after the last
    completed update (an update cut half-way is redone from a checkpoint, exactly), and
    the history so far is returned with ``interrupted=True``. Early stopping does not
    restore its best parameters then. A second interrupt during that short clean-up is
    not caught.

    Memory: the run stores one float64 per update for the loss (and one more for the
    validation loss), growing as it runs: 80 MB per ten million updates. Snapshots are
    capped as described under ``snapshot_every``.
    """
    if not callable(getattr(net, "check_inputs", None)):
        raise TypeError(f"net must be a backprop_lab.Network; got {describe(net)}")
    X, single = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0], single)
    eta = _check_learning_rate(learning_rate, net.dtype)
    iterations = check_integer("iterations", iterations, minimum=0)
    seed = check_integer("seed", seed, minimum=0)
    _check_flag("update_biases", update_biases, allow_none=False)
    n = X.shape[0]
    if batch_size is not None:
        batch_size = check_integer("batch_size", batch_size, minimum=1)
        # batch_order is checked against the batch size asked for (a full batch ignores it)
        orders = _check_batch_order(batch_order, n, batch_size)
        if batch_size >= n:
            batch_size = None
    else:
        orders = _check_batch_order(batch_order, n, None)
    if snapshot_every is not None:
        snapshot_every = check_integer("snapshot_every", snapshot_every, minimum=1)
    mu = _check_momentum(momentum)
    val = _check_validation(net, validation)
    if tolerance is not None:
        tolerance = check_positive_number("tolerance", tolerance)
    patience = _check_patience(patience, val)
    forced = _check_flag("progress", progress, allow_none=True)
    l2 = _check_penalty("l2", l2)
    l1 = _check_penalty("l1", l1)
    if callback is not None and not callable(callback):
        raise TypeError(
            f"callback must be a function callback(t, loss) or None; got {callback!r} "
            f"({type(callback).__name__})"
        )

    dtype = net.dtype
    step = dtype(eta)
    m = 1 if batch_size is None else n // batch_size
    forward, backward = net.forward_pass_unguarded, net.backward_pass_unguarded
    forward_loss = net.forward_loss_unguarded
    if batch_size is None:
        batches = None
    elif orders is not None:
        batches = _OrderedBatches(n, batch_size, orders)
    else:
        batches = _Batches(n, batch_size, seed)
    X_val, Y_val = val if val is not None else (None, None)
    watching = val is not None or callback is not None or tolerance is not None
    every = _CHECKPOINT_EVERY
    snapshots = [_snapshot(net, 0)] if snapshot_every else []
    snapshot_bytes = sum(p.nbytes for p in net.weights + net.biases)
    max_snapshots = max(4, min(_MAX_SNAPSHOTS, _SNAPSHOT_BYTES // max(snapshot_bytes, 1)))
    bar = None
    if forced or (forced is None and auto_progress()):
        bar = Progress(iterations, forced=bool(forced))

    # Updates are applied in place, to the run's own copies of the parameters (the arrays
    # the network had before training are never written to: a reader may hold them).
    # Going back to the parameters after t updates (the last finite ones when update t+1
    # diverged; the last complete ones after an interrupt) uses a checkpoint kept every
    # _CHECKPOINT_EVERY updates (parameters, velocities and batch order) and replays the
    # updates since then, which gives the same numbers.
    original_w, original_b = net.weights, net.biases
    velocity_w = [np.zeros_like(w) for w in net.weights] if mu else []
    velocity_b = [np.zeros_like(b) for b in net.biases] if mu and update_biases else []
    net.weights = [w.copy() for w in net.weights]
    if update_biases:
        net.biases = [b.copy() for b in net.biases]

    if mu:
        momentum_step = dtype(mu)

        def one_update(xb: np.ndarray, yb: np.ndarray, zs: Any = None, activations: Any = None):
            if zs is None:
                zs, activations = forward(xb)
            grad_w, grad_b, _ = backward(zs, activations, yb)
            if l2 or l1:
                _penalise(grad_w, net.weights, l2, l1)
            _momentum_update(net.weights, grad_w, velocity_w, momentum_step, step)
            if update_biases:
                _momentum_update(net.biases, grad_b, velocity_b, momentum_step, step)

    else:

        def one_update(xb: np.ndarray, yb: np.ndarray, zs: Any = None, activations: Any = None):
            if zs is None:
                zs, activations = forward(xb)
            grad_w, grad_b, _ = backward(zs, activations, yb)
            if l2 or l1:
                _penalise(grad_w, net.weights, l2, l1)
            _update(net.weights, grad_w, step)
            if update_biases:
                _update(net.biases, grad_b, step)

    def checkpoint(t: int) -> tuple:
        return (
            t,
            [w.copy() for w in net.weights],
            [b.copy() for b in net.biases],
            [v.copy() for v in velocity_w],
            [v.copy() for v in velocity_b],
            batches.state() if batches else None,
        )

    checkpoints = [
        (
            0,
            original_w,
            original_b,
            [v.copy() for v in velocity_w],
            [v.copy() for v in velocity_b],
            batches.state() if batches else None,
        )
    ]

    def rewind(target: int) -> None:
        """Put the network back to its parameters after ``target`` updates."""
        start, weights, biases, vel_w, vel_b, state = next(
            c for c in reversed(checkpoints) if c[0] <= target
        )
        net.weights = [w.copy() for w in weights]
        if update_biases:
            net.biases = [b.copy() for b in biases]
        for v, saved in zip(velocity_w + velocity_b, vel_w + vel_b):
            np.copyto(v, saved)
        if batches is not None:
            batches.restore(state)
        for _ in range(start, target):
            if batches is None:
                one_update(X, Y)
            else:
                index = batches.next()
                one_update(X[index], Y[index])

    capacity = min(iterations + 1, _FIRST_CAPACITY)
    losses = np.empty(capacity, dtype=np.float64)
    val_losses = np.empty(capacity, dtype=np.float64) if val is not None else None
    snap_every = snapshot_every
    next_checkpoint = every
    next_snapshot = snap_every if snap_every else NEVER
    next_probe = 1 if bar is not None else NEVER
    next_event = min(next_checkpoint, next_snapshot, capacity, next_probe)
    best_t, best_val, best_params = 0, math.inf, (original_w, original_b)
    limit = _FLOAT_MAX
    diverged_at = diverged_loss = None
    converged_at = None
    stopped_early = interrupted = False
    loss = math.nan
    t = 0

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        try:
            if batches is None or iterations == 0:
                xb, yb = X, Y
            else:
                index = batches.next()
                xb, yb = X[index], Y[index]
            zs, activations, loss = forward_loss(xb, yb)
            reference = loss if xb is X else forward_loss(X, Y)[2]
            if math.isfinite(reference):
                limit = _DIVERGENCE_FACTOR * max(reference, 1.0) * (n / xb.shape[0])
                limit = min(limit, _FLOAT_MAX)  # so that inf is always caught
            while True:
                if not loss <= limit:  # NaN, inf, or exploded (losses are never negative)
                    diverged_at, diverged_loss = t, loss
                    break
                losses[t] = loss
                if watching:
                    if val_losses is not None:
                        val_losses[t] = val_loss = forward_loss(X_val, Y_val)[2]
                    if callback is not None:
                        callback(t, loss)
                    if t % m == 0:  # the end of an epoch (or the start)
                        if val_losses is not None:
                            if val_loss < best_val:
                                best_t, best_val = t, val_loss
                                if patience is not None and t:
                                    best_params = (
                                        [w.copy() for w in net.weights],
                                        [b.copy() for b in net.biases],
                                    )
                            elif patience is not None and t - best_t >= patience * m:
                                stopped_early = True
                                break
                        if tolerance is not None and t >= (1 if m == 1 else 2 * m):
                            if m == 1:
                                previous, current = losses[t - 1], loss
                            else:
                                previous = losses[t - 2 * m : t - m].mean()
                                current = losses[t - m : t].mean()
                            if abs(current - previous) < tolerance * max(abs(previous), 1.0):
                                converged_at = t
                                break
                if t == iterations:
                    break
                one_update(xb, yb, zs, activations)
                t += 1
                if t == next_event:
                    if t == next_checkpoint:  # keep the last two: one is before t - 1
                        checkpoints = [checkpoints[-1], checkpoint(t)]
                        next_checkpoint += every
                    if t == next_snapshot:
                        if t != iterations:
                            snapshots.append(_snapshot(net, t))
                            if len(snapshots) >= max_snapshots:  # thin: keep 0, 2s, 4s, ...
                                snapshots = snapshots[::2]
                                snap_every *= 2
                        next_snapshot = (t // snap_every + 1) * snap_every
                    if t == capacity:
                        capacity = min(iterations + 1, 2 * capacity)
                        losses = _grown(losses, capacity)
                        val_losses = _grown(val_losses, capacity)
                    if t == next_probe:
                        next_probe = bar.update(t, float(losses[t - 1]))
                    next_event = min(next_checkpoint, next_snapshot, capacity, next_probe)
                if batches is not None:
                    if t == iterations:  # the last entry: the loss on all the data
                        xb, yb = X, Y
                    else:
                        index = batches.next()
                        xb, yb = X[index], Y[index]
                zs, activations, loss = forward_loss(xb, yb)
        except KeyboardInterrupt:
            interrupted = True

        if interrupted:
            rewind(t)  # an update may have been cut half-way
            if t >= len(losses):  # cut before the history grew
                losses, val_losses = _grown(losses, t + 1), _grown(val_losses, t + 1)
        elif diverged_at is not None and t > 0:
            rewind(t - 1)
            t -= 1
        iterations_run = t
        if diverged_at == 0:
            losses[0] = loss  # the one, non-finite, value there is
            if val_losses is not None:
                val_losses[0] = forward_loss(X_val, Y_val)[2]
        elif interrupted or (batches is not None and t != iterations):
            # the last entry is the loss on all the data of the parameters kept
            losses[t] = forward_loss(X, Y)[2]
            if val_losses is not None:
                val_losses[t] = forward_loss(X_val, Y_val)[2]
        if snapshot_every:
            snapshots = [s for s in snapshots if s.iteration <= iterations_run]
            if snapshots[-1].iteration != iterations_run:
                snapshots.append(_snapshot(net, iterations_run))
        kept_loss = None
        if stopped_early:
            net.weights = [w.copy() for w in best_params[0]]
            if update_biases:
                net.biases = [b.copy() for b in best_params[1]]
            kept_loss = forward_loss(X, Y)[2]

    def recorded(buffer: np.ndarray | None) -> np.ndarray | None:
        if buffer is None:
            return None
        return buffer if len(buffer) == iterations_run + 1 else buffer[: iterations_run + 1].copy()

    history = TrainingHistory(
        loss=recorded(losses),
        iterations_run=iterations_run,
        iterations_requested=iterations,
        learning_rate=eta,
        batch_size=batch_size,
        update_biases=bool(update_biases),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        snapshots=snapshots,
        momentum=mu,
        validation_loss=recorded(val_losses),
        updates_per_epoch=m,
        tolerance=tolerance,
        converged=converged_at is not None,
        converged_at=converged_at,
        patience=patience,
        stopped_early=stopped_early,
        best_iteration=best_t if val is not None else None,
        interrupted=interrupted,
        diverged_loss=None if diverged_loss is None else float(diverged_loss),
        divergence_threshold=limit,
        snapshot_every=snap_every,
        kept_loss=kept_loss,
    )
    if bar is not None:
        bar.close(history)
    return history
