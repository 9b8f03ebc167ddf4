"""Why the vectorised backward pass matters: one sample at a time against one batch (chapter 5).

Backpropagation is efficient in two ways. The first, the subject of chapter 3, is that one
backward pass gives every gradient for the price of about two forward passes. The second is
that the passes for a whole batch are a handful of matrix products, which numpy hands to
compiled code, instead of a Python loop over the samples.

:func:`loop_gradients` computes the gradients the slow, obvious way: a Python loop that
takes one sample, runs the forward pass on it, propagates its deltas back layer by layer,
adds its contribution to running sums, and finally divides by the number of samples. It is
written independently of :meth:`Network.gradients <backprop_lab.Network.gradients>` (it
goes through :math:`\\partial E/\\partial \\hat y` and each activation's derivative, with the
softmax Jacobian built explicitly), so agreement between the two is a real check.
:func:`compare_gradient_timings` times both on the same data and reports the ratio;
:func:`timings_by_samples` repeats that for several batch sizes, and
:func:`backprop_lab.plotting.costs.plot_timings` draws the result.

Times depend on the machine, its load and the numpy build; only the gradients' agreement is
tested, never a time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_bool,
    check_choice,
    check_integer,
    check_positive_number,
)
from backprop_lab.nn.network import check_network
from backprop_lab.nn.traces import Gradients

if TYPE_CHECKING:
    from backprop_lab.nn.network import Network

__all__ = [
    "BACKWARD_COST",
    "MAX_REPEATS",
    "FiniteDifferenceResult",
    "TimingComparison",
    "compare_gradient_timings",
    "finite_difference_gradients",
    "gradient_cost",
    "loop_gradients",
    "measure_gradient_cost",
    "time_forward_loop_vs_batch",
    "timings_by_samples",
]


MAX_REPEATS = 1000
"""Most repetitions of a timing (each is a full measurement)."""


def _check_network(net: Any) -> None:
    check_network("net", net)


def _activation_delta(activation: Any, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> Any:
    """:math:`\\partial E_s/\\partial z` from :math:`\\partial E_s/\\partial a` for one sample."""
    if activation.derivative is not None:
        return grad_a * activation.derivative(z)
    # softmax: da_k/dz_m = a_k ([k = m] - a_m), a symmetric Jacobian
    jacobian = np.diag(a) - np.outer(a, a)
    return jacobian @ grad_a


def loop_gradients(net: Network, X: Any, Y: Any) -> Gradients:
    """Gradients of the loss, one sample at a time in a Python loop (chapter 5).

    For every sample :math:`s`: the forward pass
    :math:`z^{(l)} = a^{(l-1)} W^{(l)} + b^{(l)}`, :math:`a^{(l)} = f(z^{(l)})`; the output
    delta :math:`\\delta^{(L)} = f'(z^{(L)}) \\odot \\partial E_s/\\partial \\hat y`; then, going
    back, :math:`\\delta^{(l-1)} = f'(z^{(l-1)}) \\odot (W^{(l)} \\delta^{(l)})`. Each sample adds
    :math:`a^{(l-1)} \\otimes \\delta^{(l)}` to the weight gradient and :math:`\\delta^{(l)}` to
    the bias gradient; the sums are divided by the number of samples at the end, since the
    loss is an average over samples.

    The result equals :meth:`Network.gradients <backprop_lab.Network.gradients>` up to
    rounding; only the speed differs. For the log-losses the chain goes through
    :math:`\\partial E/\\partial \\hat y`, which is not finite where an output has rounded to
    exactly 0 or 1 (the vectorised pass uses the fused delta :math:`\\hat y - y` instead).

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs ``(n_samples, n_inputs)`` (or one sample) and targets to match.

    Returns
    -------
    Gradients
        ``.weights`` and ``.biases`` with the shapes of the network's parameters.
    """
    _check_network(net)
    X, single = net.check_inputs(X)
    Y = net.check_targets(Y, X.shape[0], single)
    n_layers = net.n_layers
    loss = net.loss_function
    sum_w = [np.zeros_like(w) for w in net.weights]
    sum_b = [np.zeros_like(b) for b in net.biases]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for x, y in zip(X, Y):
            zs: list[np.ndarray] = []
            outs = [x]
            for layer in range(1, n_layers + 1):
                z = outs[-1] @ net.weights[layer - 1] + net.biases[layer - 1]
                zs.append(z)
                outs.append(net.activation_of(layer).function(z))
            grad_out = loss.output_gradient(zs[-1][None, :], outs[-1][None, :], y[None, :])[0]
            delta = _activation_delta(net.activation_of(n_layers), zs[-1], outs[-1], grad_out)
            for layer in range(n_layers, 0, -1):
                sum_w[layer - 1] += np.outer(outs[layer - 1], delta)
                sum_b[layer - 1] += delta
                if layer > 1:
                    grad_a = net.weights[layer - 1] @ delta
                    delta = _activation_delta(
                        net.activation_of(layer - 1), zs[layer - 2], outs[layer - 1], grad_a
                    )
    n = X.shape[0]
    return Gradients([s / n for s in sum_w], [s / n for s in sum_b])


@dataclass(frozen=True)
class TimingComparison:
    """How long the loop and the vectorised backward pass took on the same data (chapter 5).

    Attributes
    ----------
    loop_seconds : float
        Best time of one call of :func:`loop_gradients`, in seconds.
    vectorised_seconds : float
        Best time of one call of :meth:`Network.gradients`, in seconds.
    ratio : float
        ``loop_seconds / vectorised_seconds``: how many times faster the vectorised pass was.
    n_samples : int
        Samples in the batch.
    repeats : int
        Timings taken of each; the best (smallest) is kept, the least disturbed by other work.
    max_difference : float
        Largest absolute difference between the two methods' gradients.
    """

    loop_seconds: float
    vectorised_seconds: float
    ratio: float
    n_samples: int
    repeats: int
    max_difference: float

    @property
    def agree(self) -> bool:
        """Whether the two methods' gradients agree to within 1e-8 (float64 rounding)."""
        return self.max_difference <= 1e-8

    @property
    def message(self) -> str:
        """One sentence for the page."""
        return (
            f"On {self.n_samples} samples the per-sample loop took "
            f"{self.loop_seconds * 1e3:.3g} ms and the vectorised pass "
            f"{self.vectorised_seconds * 1e3:.3g} ms: {self.ratio:.0f} times faster "
            f"(best of {self.repeats}; gradients differ by at most {self.max_difference:.1e}). "
            "These times depend on the machine and its load."
        )

    def __repr__(self) -> str:
        return f"TimingComparison({self.message})"


def _best_time(function: Callable[[], Any], repeats: int) -> float:
    """Best of ``repeats`` timings of one call, in seconds (each timing loops until 2 ms)."""
    best = float("inf")
    for _ in range(repeats):
        calls = 0
        start = time.perf_counter()
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 2e-3:
                break
        best = min(best, elapsed / calls)
    return best


def compare_gradient_timings(net: Network, X: Any, Y: Any, repeats: int = 5) -> TimingComparison:
    """Time :func:`loop_gradients` against the vectorised :meth:`Network.gradients` (ch. 5).

    Each method is called repeatedly until at least 2 ms have passed, giving the time of one
    call; that is repeated ``repeats`` times and the best time kept. Both methods get the
    same network and data and must return the same gradients.

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs and targets.
    repeats : int
        Number of timings of each method, >= 1.

    Returns
    -------
    TimingComparison
        Both times, their ratio and the largest difference between the gradients.
    """
    _check_network(net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)
    X_checked, single = net.check_inputs(X)
    Y_checked = net.check_targets(Y, X_checked.shape[0], single)
    looped = loop_gradients(net, X_checked, Y_checked)
    vectorised = net.gradients(X_checked, Y_checked)
    difference = float(np.max(np.abs(looped.flat() - vectorised.flat())))
    loop_seconds = _best_time(lambda: loop_gradients(net, X_checked, Y_checked), repeats)
    vector_seconds = _best_time(lambda: net.gradients(X_checked, Y_checked), repeats)
    return TimingComparison(
        loop_seconds=loop_seconds,
        vectorised_seconds=vector_seconds,
        ratio=loop_seconds / vector_seconds,
        n_samples=int(X_checked.shape[0]),
        repeats=repeats,
        max_difference=difference,
    )


def timings_by_samples(
    net: Network, X: Any, Y: Any, sizes: Sequence[int], repeats: int = 3
) -> list[TimingComparison]:
    """:func:`compare_gradient_timings` on the first ``n`` samples for each ``n`` in ``sizes``.

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs and targets with at least ``max(sizes)`` samples.
    sizes : sequence of int
        Batch sizes, each between 1 and the number of samples.
    repeats : int
        Timings of each method per size, >= 1.
    """
    _check_network(net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)
    X_checked, single = net.check_inputs(X)
    Y_checked = net.check_targets(Y, X_checked.shape[0], single)
    if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence) or not sizes:
        raise TypeError(f"sizes must be a non-empty list of batch sizes; got {sizes!r}")
    n = X_checked.shape[0]
    checked = []
    for position, size in enumerate(sizes):
        size = check_integer(f"sizes[{position}]", size, minimum=1)
        if size > n:
            raise ValueError(
                f"sizes[{position}] must be at most the number of samples ({n}); got {size}"
            )
        checked.append(size)
    return [
        compare_gradient_timings(net, X_checked[:size], Y_checked[:size], repeats=repeats)
        for size in checked
    ]


# ---------------------------------------------- chapter 1: what a gradient costs


@dataclass(frozen=True, eq=False)
class FiniteDifferenceResult:
    """Gradients estimated by nudging every parameter (chapter 1, "Efficient learning").

    Attributes
    ----------
    gradient : ndarray
        One entry per parameter, in the order of ``net.parameter_names()``.
    forward_passes : int
        How many times the loss was evaluated (each is one forward pass over the data).
    names : list of str
    """

    gradient: np.ndarray
    forward_passes: int
    names: list[str]


def finite_difference_gradients(
    net: Network, X: Any, Y: Any, epsilon: float = 1e-6, central: bool = True
) -> FiniteDifferenceResult:
    """Estimate every gradient by nudging one parameter at a time, and count the cost.

    (Chapter 1, "Efficient learning".) Central differences
    :math:`(E(\\theta_p + \\epsilon) - E(\\theta_p - \\epsilon)) / 2\\epsilon` need two forward
    passes per parameter, :math:`2P` in all; one-sided differences
    :math:`(E(\\theta_p + \\epsilon) - E(\\theta)) / \\epsilon` need :math:`P + 1`. ``net`` is
    not changed.

    Parameters
    ----------
    net : Network
    X, Y : array_like
        Inputs and targets, as for ``net.loss``.
    epsilon : float
        The nudge, > 0.
    central : bool
        Central (default) or one-sided differences.
    """
    check_network("net", net)
    epsilon = check_positive_number("epsilon", epsilon)
    central = check_bool("central", central)
    X_checked, single = net.check_inputs(X)
    net.check_targets(Y, X_checked.shape[0], single)
    twin = net.copy()
    passes = 0

    def loss() -> float:
        nonlocal passes
        passes += 1
        return twin.loss(X, Y)

    base = None if central else loss()
    values = []
    for array in [a for pair in zip(twin.weights, twin.biases) for a in pair]:
        for index in np.ndindex(array.shape):
            original = array[index]
            array[index] = original + epsilon
            up = loss()
            if central:
                array[index] = original - epsilon
                down = loss()
                values.append((up - down) / (2.0 * epsilon))
            else:
                values.append((up - base) / epsilon)
            array[index] = original
    return FiniteDifferenceResult(np.array(values), passes, net.parameter_names())


_METHODS = ("central differences", "forward differences", "backpropagation")

BACKWARD_COST = 2.0
"""A backward pass costs about two forward passes: per layer one matrix product for the
weight gradients and one to send the deltas back, against one in the forward pass."""


def gradient_cost(n_parameters: Any, method: str) -> np.ndarray:
    """Forward-pass equivalents needed for one full gradient (chapter 1, "Efficient learning").

    - ``"central differences"``: :math:`2P`;
    - ``"forward differences"``: :math:`P + 1`;
    - ``"backpropagation"``: one forward pass plus one backward pass of about
      :data:`BACKWARD_COST` forward passes, :math:`1 + 2 = 3`, whatever :math:`P` is.

    Parameters
    ----------
    n_parameters : int or array_like of int
        :math:`P`, at least 1.
    method : str
        One of the three names above.
    """
    check_choice("method", method, _METHODS)
    p = np.asarray(n_parameters)
    if p.dtype.kind not in "iu" or np.any(p < 1):
        raise ValueError(f"n_parameters must be whole numbers >= 1; got {n_parameters!r}")
    p = p.astype(np.float64)
    if method == "central differences":
        return 2.0 * p
    if method == "forward differences":
        return p + 1.0
    return np.full_like(p, 1.0 + BACKWARD_COST)


def measure_gradient_cost(net: Network, X: Any, Y: Any, repeats: int = 3) -> dict[str, float]:
    """Time one gradient both ways, in units of one forward pass (chapter 1).

    Runs ``net.forward(X)``, ``net.gradients(X, Y)`` (one forward and one backward pass)
    and :func:`finite_difference_gradients` (central), each ``repeats`` times, keeps the
    fastest run of each, and divides by the forward pass's time. Timings depend on the
    machine; the book shows them next to the counts of :func:`gradient_cost`.

    Returns
    -------
    dict
        ``"n_parameters"``, ``"forward seconds"``, ``"backpropagation"`` and
        ``"central differences"`` (the last two in forward-pass equivalents).
    """
    check_network("net", net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)
    forward = max(_best_time(lambda: net.loss(X, Y), repeats), 1e-9)
    backprop = _best_time(lambda: net.gradients(X, Y), repeats)
    differences = _best_time(lambda: finite_difference_gradients(net, X, Y), repeats)
    return {
        "n_parameters": float(net.n_parameters),
        "forward seconds": forward,
        "backpropagation": backprop / forward,
        "central differences": differences / forward,
    }


def time_forward_loop_vs_batch(net: Network, X: Any, repeats: int = 3) -> dict[str, float]:
    """Time a forward pass one sample at a time against one batch (chapter 2).

    The loop calls ``net.forward(x)`` for each row ``x`` of ``X``; the batch calls
    ``net.forward(X)`` once. Both give the same numbers (checked here: a ``RuntimeError``
    if not); only the time differs. Keeps the fastest of ``repeats`` runs.

    Returns
    -------
    dict
        ``"n_samples"``, ``"loop seconds"``, ``"batch seconds"`` and ``"speed-up"``.
    """
    check_network("net", net)
    repeats = check_integer("repeats", repeats, minimum=1, maximum=MAX_REPEATS)
    X, _ = net.check_inputs(X)
    best_loop = best_batch = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        looped = np.array([net.forward(x) for x in X])
        best_loop = min(best_loop, time.perf_counter() - start)
        start = time.perf_counter()
        batched = net.forward(X)
        best_batch = min(best_batch, time.perf_counter() - start)
    if not np.allclose(looped, batched, rtol=1e-12, atol=1e-12):
        raise RuntimeError("the loop and the batch disagree; this is a bug in Network.forward")
    best_batch = max(best_batch, 1e-9)
    return {
        "n_samples": float(X.shape[0]),
        "loop seconds": best_loop,
        "batch seconds": best_batch,
        "speed-up": best_loop / best_batch,
    }
