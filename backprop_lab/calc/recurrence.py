"""A recurrent layer run over a sequence, :math:`h_t = f(x_t W_x + h_{t-1} W_h + b)`, forward
and backward.

Chapter 1 ("Recurrent networks") runs the unit forward (:func:`recurrent_unroll`). Chapter 7
("Backpropagation through shared weights") trains it: :func:`rnn_forward` gives the hidden
states of a tanh unit, :func:`rnn_backward` backpropagates through time. Unrolled over
:math:`T` steps the unit is a :math:`T`-layer network whose layers share :math:`W_x`,
:math:`W_h` and :math:`b`, so each shared weight's gradient is the sum of one contribution per
step; :class:`RNNGradients` keeps both the sums and the contributions.

Notation (chapter 1's, row vectors): steps :math:`t = 1..T`, :math:`h_0` the initial state,

.. math:: z_t = x_t W_x + h_{t-1} W_h + b, \\qquad h_t = \\tanh(z_t).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import (
    check_finite_array,
)
from backprop_lab.nn.activations import get_activation


@dataclass(frozen=True, eq=False)
class RecurrentRun:
    """A recurrent unit run over a sequence (chapter 1, "Recurrent networks").

    Attributes
    ----------
    inputs : ndarray
        :math:`x_1..x_T`, shape ``(T, n_in)``.
    net_inputs : ndarray
        :math:`z_t = x_t W_x + h_{t-1} W_h + b`, shape ``(T, n_hidden)``.
    states : ndarray
        :math:`h_0..h_T`, shape ``(T + 1, n_hidden)``; ``states[0]`` is the initial state.
    input_weights, recurrent_weights, bias : ndarray
        :math:`W_x` ``(n_in, n_hidden)``, :math:`W_h` ``(n_hidden, n_hidden)``, :math:`b`.
    activation : str
    """

    inputs: np.ndarray
    net_inputs: np.ndarray
    states: np.ndarray
    input_weights: np.ndarray
    recurrent_weights: np.ndarray
    bias: np.ndarray
    activation: str

    @property
    def steps(self) -> int:
        """Sequence length :math:`T`."""
        return int(self.inputs.shape[0])

    @property
    def final_state(self) -> np.ndarray:
        """:math:`h_T`, a summary of the whole sequence."""
        return self.states[-1]


def recurrent_unroll(
    inputs: Any,
    input_weights: Any,
    recurrent_weights: Any,
    bias: Any = 0.0,
    initial_state: Any = None,
    activation: str = "tanh",
) -> RecurrentRun:
    """Run a simple (Elman) recurrent unit over a sequence (chapter 1, "Recurrent networks").

    At every step :math:`t = 1..T` the same weights compute

    .. math:: z_t = x_t W_x + h_{t-1} W_h + b, \\qquad h_t = f(z_t),

    so the state :math:`h_t` carries what the unit has seen so far. Unrolled over time this
    is a feed-forward network of :math:`T` layers that share their weights, which is how
    backpropagation trains it ("backpropagation through time").

    Parameters
    ----------
    inputs : array_like
        Shape ``(T,)`` (one number per step) or ``(T, n_in)``.
    input_weights : array_like
        :math:`W_x`, shape ``(n_in, n_hidden)``; a scalar for one input and one state.
    recurrent_weights : array_like
        :math:`W_h`, shape ``(n_hidden, n_hidden)``; a scalar for one state.
    bias : array_like
        :math:`b`, shape ``(n_hidden,)`` or a scalar.
    initial_state : array_like, optional
        :math:`h_0`, default zeros.
    activation : str
        Default ``"tanh"``.

    Returns
    -------
    RecurrentRun
    """
    act = get_activation(activation)
    x, w_x, w_h, b, h = _check_recurrence(
        (inputs, input_weights, recurrent_weights, bias, initial_state),
        ("inputs", "input_weights", "recurrent_weights", "bias", "initial_state"),
    )
    states = [h]
    zs = []
    for x_t in x:
        z = x_t @ w_x + h @ w_h + b
        h = act(z)
        zs.append(z)
        states.append(h)
    return RecurrentRun(x, np.array(zs), np.array(states), w_x, w_h, b, act.name)


def _check_recurrence(
    values: tuple[Any, Any, Any, Any, Any], names: tuple[str, str, str, str, str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Inputs ``(T, n_in)``, :math:`W_x`, :math:`W_h`, :math:`b` and :math:`h_0` as float
    arrays of matching shapes; errors name each argument as the caller called it."""
    inputs, input_weights, recurrent_weights, bias, initial_state = values
    x_name, wx_name, wh_name, b_name, h_name = names
    x = check_finite_array(x_name, inputs, np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"{x_name} must have shape (T,) or (T, n_in) with T >= 1; got {x.shape}")
    w_x = np.atleast_2d(check_finite_array(wx_name, input_weights, np.float64))
    if w_x.ndim != 2 or w_x.shape[0] != x.shape[1]:
        raise ValueError(
            f"{wx_name} must have shape ({x.shape[1]}, n_hidden) to match {x_name} with "
            f"{x.shape[1]} value(s) per step; got {w_x.shape}"
        )
    n_hidden = w_x.shape[1]
    w_h = np.atleast_2d(check_finite_array(wh_name, recurrent_weights, np.float64))
    if w_h.shape != (n_hidden, n_hidden):
        raise ValueError(f"{wh_name} must have shape ({n_hidden}, {n_hidden}); got {w_h.shape}")
    b = _state_like(b_name, bias, n_hidden)
    h = (
        np.zeros(n_hidden)
        if initial_state is None
        else _state_like(h_name, initial_state, n_hidden)
    )
    return x, w_x, w_h, b, h


def _state_like(argument: str, value: Any, n_hidden: int) -> np.ndarray:
    """A vector of ``n_hidden`` numbers (a scalar is repeated)."""
    array = check_finite_array(argument, value, np.float64)
    array = np.full(n_hidden, float(array)) if array.ndim == 0 else array
    if array.shape != (n_hidden,):
        raise ValueError(
            f"{argument} must have shape ({n_hidden},) or be a number; got {array.shape}"
        )
    return array


# ------------------------------------------------------------------ chapter 7


_NAMES = ("xs", "W_x", "W_h", "b", "h0")


def rnn_forward(xs: Any, W_x: Any, W_h: Any, b: Any, h0: Any = None) -> np.ndarray:
    """The hidden states of a tanh recurrent layer (chapter 7; chapter 1's :math:`h_t`).

    .. math:: h_t = \\tanh(x_t W_x + h_{t-1} W_h + b), \\qquad t = 1, \\dots, T.

    Parameters
    ----------
    xs : array_like
        :math:`x_1..x_T`, shape ``(T, n_in)``, or ``(T,)`` for one input per step.
    W_x : array_like
        Shape ``(n_in, n_hidden)``; a number for one input and one state.
    W_h : array_like
        Shape ``(n_hidden, n_hidden)``; a number for one state.
    b : array_like
        Shape ``(n_hidden,)`` or a number.
    h0 : array_like, optional
        The initial state, shape ``(n_hidden,)`` or a number; default zeros.

    Returns
    -------
    ndarray
        :math:`h_1..h_T`, shape ``(T, n_hidden)`` (row ``t - 1`` is :math:`h_t`).

    Examples
    --------
    >>> rnn_forward([1, 0, 0], 0.8, 0.5, 0.0).round(3).ravel().tolist()
    [0.664, 0.32, 0.159]
    """
    x, w_x, w_h, bias, h = _check_recurrence((xs, W_x, W_h, b, h0), _NAMES)
    return _forward(x, w_x, w_h, bias, h)[1:]


def _forward(
    x: np.ndarray, w_x: np.ndarray, w_h: np.ndarray, b: np.ndarray, h0: np.ndarray
) -> np.ndarray:
    """:math:`h_0..h_T`, shape ``(T + 1, n_hidden)``."""
    states = [h0]
    for x_t in x:
        states.append(np.tanh(x_t @ w_x + states[-1] @ w_h + b))
    return np.array(states)


@dataclass(frozen=True, eq=False)
class RNNGradients:
    """Backpropagation through time for a tanh recurrent layer (chapter 7).

    Made by :func:`rnn_backward`. Rows of the per-step arrays are steps :math:`t = 1..T`
    (row ``t - 1`` is step :math:`t`).

    Attributes
    ----------
    W_x, W_h, b, h0 : ndarray
        :math:`\\partial E/\\partial W_x` ``(n_in, n_hidden)``, :math:`\\partial E/\\partial W_h`
        ``(n_hidden, n_hidden)``, :math:`\\partial E/\\partial b` and
        :math:`\\partial E/\\partial h_0` ``(n_hidden,)``: the sums over the steps.
    states : ndarray
        :math:`h_0..h_T`, shape ``(T + 1, n_hidden)``.
    grad_states : ndarray
        :math:`\\partial E/\\partial h_t` for every step, shape ``(T, n_hidden)``: what the loss
        sends to :math:`h_t` directly plus what comes back through :math:`h_{t+1}`.
    deltas : ndarray
        :math:`\\delta_t = \\partial E/\\partial z_t = \\partial E/\\partial h_t \\odot
        (1 - h_t^2)`, shape ``(T, n_hidden)``.
    inputs : ndarray
        :math:`x_1..x_T`, shape ``(T, n_in)``.
    recurrent_weights : ndarray
        The weights :math:`W_h` themselves (not their gradient), ``(n_hidden, n_hidden)``.
    """

    W_x: np.ndarray
    W_h: np.ndarray
    b: np.ndarray
    h0: np.ndarray
    states: np.ndarray
    grad_states: np.ndarray
    deltas: np.ndarray
    inputs: np.ndarray
    recurrent_weights: np.ndarray

    @property
    def steps(self) -> int:
        """Sequence length :math:`T`."""
        return int(self.deltas.shape[0])

    @cached_property
    def W_h_steps(self) -> np.ndarray:
        """Each step's contribution :math:`h_{t-1}^\\top \\delta_t` to
        :math:`\\partial E/\\partial W_h`, shape ``(T, n_hidden, n_hidden)``; they add up to
        :attr:`W_h`."""
        return np.einsum("ti,tj->tij", self.states[:-1], self.deltas)

    @cached_property
    def W_x_steps(self) -> np.ndarray:
        """Each step's contribution :math:`x_t^\\top \\delta_t` to
        :math:`\\partial E/\\partial W_x`, shape ``(T, n_in, n_hidden)``."""
        return np.einsum("ti,tj->tij", self.inputs, self.deltas)

    @property
    def b_steps(self) -> np.ndarray:
        """Each step's contribution to :math:`\\partial E/\\partial b`: :math:`\\delta_t`."""
        return self.deltas

    def as_list(self) -> list[np.ndarray]:
        """``[W_x, W_h, b]``, the parameters' gradients, e.g. for :func:`clip_gradients`."""
        return [self.W_x, self.W_h, self.b]


def rnn_backward(
    xs: Any,
    W_x: Any,
    W_h: Any,
    b: Any,
    grad_hs: Any,
    h0: Any = None,
) -> RNNGradients:
    """Backpropagation through time for :func:`rnn_forward` (chapter 7).

    ``grad_hs`` holds what the loss sends to each hidden state directly,
    :math:`\\bar g_t = \\partial E / \\partial h_t` not counting later steps. Walking back
    from :math:`t = T` to 1:

    .. math::

        \\frac{\\partial E}{\\partial h_t} = \\bar g_t + \\delta_{t+1} W_h^\\top, \\qquad
        \\delta_t = \\frac{\\partial E}{\\partial h_t} \\odot (1 - h_t^2),

    (with :math:`\\delta_{T+1} = 0`), and every shared parameter adds one term per step:

    .. math::

        \\frac{\\partial E}{\\partial W_h} = \\sum_t h_{t-1}^\\top \\delta_t, \\quad
        \\frac{\\partial E}{\\partial W_x} = \\sum_t x_t^\\top \\delta_t, \\quad
        \\frac{\\partial E}{\\partial b} = \\sum_t \\delta_t, \\quad
        \\frac{\\partial E}{\\partial h_0} = \\delta_1 W_h^\\top.

    Parameters
    ----------
    xs, W_x, W_h, b, h0
        As for :func:`rnn_forward`.
    grad_hs : array_like
        :math:`\\bar g_1..\\bar g_T`, shape ``(T, n_hidden)`` (or ``(T,)`` for one state).
        For a loss on the last state only, every row but the last is zero.

    Returns
    -------
    RNNGradients
        The gradients (``.W_x``, ``.W_h``, ``.b``, ``.h0``), :math:`\\partial E/\\partial h_t`
        for every step (``.grad_states``) and each step's contribution (``.W_h_steps``...).

    Examples
    --------
    >>> grads = rnn_backward([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1])
    >>> round(float(grads.W_h[0, 0]), 4)
    0.6027
    """
    x, w_x, w_h, bias, h0_ = _check_recurrence((xs, W_x, W_h, b, h0), _NAMES)
    n_steps, n_hidden = x.shape[0], w_x.shape[1]
    g = check_finite_array("grad_hs", grad_hs, np.float64)
    if g.ndim == 1 and n_hidden == 1:
        g = g[:, None]
    if g.shape != (n_steps, n_hidden):
        raise ValueError(
            f"grad_hs must have shape ({n_steps}, {n_hidden}), one dE/dh_t per step and state, "
            f"to match xs and W_x; got {g.shape}"
        )
    states = _forward(x, w_x, w_h, bias, h0_)
    grad_states = np.zeros_like(g)
    deltas = np.zeros_like(g)
    from_later = np.zeros(n_hidden)  # delta_{t+1} W_h^T, zero after the last step
    for t in range(n_steps, 0, -1):
        grad_states[t - 1] = g[t - 1] + from_later
        # h_t = tanh(z_t): dh_t/dz_t = 1 - h_t^2
        deltas[t - 1] = grad_states[t - 1] * (1.0 - states[t] ** 2)
        # z_t = x_t W_x + h_{t-1} W_h + b: dz_t/dh_{t-1} = W_h^T
        from_later = deltas[t - 1] @ w_h.T
    return RNNGradients(
        W_x=x.T @ deltas,
        W_h=states[:-1].T @ deltas,
        b=deltas.sum(axis=0),
        h0=from_later,
        states=states,
        grad_states=grad_states,
        deltas=deltas,
        inputs=x,
        recurrent_weights=w_h,
    )
