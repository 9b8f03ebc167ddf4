"""A recurrent layer run over a sequence, :math:`h_t = f(x_t W_x + h_{t-1} W_h + b)`
(chapter 1, "Recurrent networks")."""

from __future__ import annotations

from dataclasses import dataclass
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
    x = check_finite_array("inputs", inputs, np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"inputs must have shape (T,) or (T, n_in) with T >= 1; got {x.shape}")
    w_x = np.atleast_2d(check_finite_array("input_weights", input_weights, np.float64))
    if w_x.shape[0] != x.shape[1]:
        raise ValueError(
            f"input_weights must have shape ({x.shape[1]}, n_hidden) to match inputs with "
            f"{x.shape[1]} value(s) per step; got {w_x.shape}"
        )
    n_hidden = w_x.shape[1]
    w_h = np.atleast_2d(check_finite_array("recurrent_weights", recurrent_weights, np.float64))
    if w_h.shape != (n_hidden, n_hidden):
        raise ValueError(
            f"recurrent_weights must have shape ({n_hidden}, {n_hidden}); got {w_h.shape}"
        )
    b = check_finite_array("bias", bias, np.float64)
    b = np.full(n_hidden, float(b)) if b.ndim == 0 else b
    if b.shape != (n_hidden,):
        raise ValueError(f"bias must have shape ({n_hidden},) or be a number; got {b.shape}")
    if initial_state is None:
        h = np.zeros(n_hidden)
    else:
        h = check_finite_array("initial_state", initial_state, np.float64)
        h = np.full(n_hidden, float(h)) if h.ndim == 0 else h
        if h.shape != (n_hidden,):
            raise ValueError(
                f"initial_state must have shape ({n_hidden},) or be a number; got {h.shape}"
            )
    states = [h]
    zs = []
    for x_t in x:
        z = x_t @ w_x + h @ w_h + b
        h = act(z)
        zs.append(z)
        states.append(h)
    return RecurrentRun(x, np.array(zs), np.array(states), w_x, w_h, b, act.name)
