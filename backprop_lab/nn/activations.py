"""Activation functions and their derivatives (chapter 1, "Activation functions").

Each activation maps a layer's net input :math:`z` to its output :math:`a = f(z)`.
The backward pass needs :math:`\\partial a / \\partial z`; for the element-wise
functions that is the derivative :math:`f'(z)`, for softmax it is a Jacobian whose
product with a vector is given by :meth:`Activation.backward`.

All functions are numerically stable: no overflow warnings at :math:`|z| = 1000`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from backprop_lab.checks.arguments import check_choice

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "identity",
    "identity_derivative",
    "relu",
    "relu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "softmax",
    "tanh",
    "tanh_derivative",
]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic sigmoid :math:`\\sigma(z) = 1 / (1 + e^{-z})` (chapter 1).

    Computed from :math:`e^{-|z|}`, which never overflows, so large inputs of either
    sign give 0 or 1 without warnings.
    """
    z = np.asarray(z)
    if z.dtype.kind != "f":
        z = z.astype(np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative :math:`\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))` (chapter 1)."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent :math:`\\tanh(z)` (chapter 1)."""
    return np.tanh(z)


def tanh_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative :math:`1 - \\tanh^2(z)` (chapter 1)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """Rectified linear unit :math:`\\max(0, z)` (chapter 1)."""
    z = np.asarray(z)
    return np.maximum(z, 0).astype(z.dtype, copy=False)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of ReLU: 1 where :math:`z > 0`, else 0 (0 at the kink, by convention)."""
    z = np.asarray(z)
    return (z > 0).astype(z.dtype if z.dtype.kind == "f" else np.float64)


def identity(z: np.ndarray) -> np.ndarray:
    """Identity (linear) activation :math:`f(z) = z` (chapter 1)."""
    return np.asarray(z)


def identity_derivative(z: np.ndarray) -> np.ndarray:
    """Derivative of the identity: 1 everywhere."""
    z = np.asarray(z)
    return np.ones_like(z, dtype=z.dtype if z.dtype.kind == "f" else np.float64)


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, :math:`e^{z_k} / \\sum_m e^{z_m}` (chapter 1).

    The largest net input is subtracted first, so no exponential overflows.
    """
    z = np.asarray(z)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


@dataclass(frozen=True)
class Activation:
    """An activation function with what backpropagation needs of it.

    Attributes
    ----------
    name : str
        The name used by :class:`~backprop_lab.Network` (``"sigmoid"``, ...).
    function : callable
        :math:`a = f(z)`.
    derivative : callable or None
        :math:`f'(z)`, element-wise; ``None`` for softmax, whose derivative is a Jacobian.
    derivative_from_output : callable or None
        The same derivative written in terms of the output :math:`a` (cheaper in the
        backward pass, where :math:`a` is already known), when such a form exists.
    symbol : str
        LaTeX for the function in the book's notation.
    derivative_symbol : str
        LaTeX for its derivative, written in terms of :math:`z` or :math:`a`.
    output_only : bool
        True for softmax, which couples the units of a layer and is used as an output.
    """

    name: str
    function: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray] | None
    symbol: str
    derivative_symbol: str
    output_only: bool = False
    derivative_from_output: Callable[[np.ndarray], np.ndarray] | None = None

    @property
    def elementwise(self) -> bool:
        """True when each unit's output depends only on its own net input."""
        return self.derivative is not None

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.function(z)

    def backward(self, z: np.ndarray, a: np.ndarray, grad_a: np.ndarray) -> np.ndarray:
        """Turn :math:`\\partial E/\\partial a` into :math:`\\partial E/\\partial z` (a delta).

        Parameters
        ----------
        z, a : ndarray
            The layer's net input and output, shape ``(n_samples, n_units)``.
        grad_a : ndarray
            :math:`\\partial E / \\partial a`, same shape.
        """
        if self.derivative_from_output is not None:
            return grad_a * self.derivative_from_output(a)
        if self.derivative is not None:
            return grad_a * self.derivative(z)
        # softmax: (J^T g)_k = a_k (g_k - sum_m g_m a_m)
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        sigmoid,
        sigmoid_derivative,
        r"\sigma(z)",
        r"\sigma(z)\,(1-\sigma(z))",
        derivative_from_output=lambda a: a * (1.0 - a),
    ),
    "tanh": Activation(
        "tanh",
        tanh,
        tanh_derivative,
        r"\tanh(z)",
        r"1-\tanh^2(z)",
        derivative_from_output=lambda a: 1.0 - a * a,
    ),
    "relu": Activation(
        "relu",
        relu,
        relu_derivative,
        r"\max(0,z)",
        r"[z>0]",
        derivative_from_output=relu_derivative,
    ),
    "identity": Activation("identity", identity, identity_derivative, r"z", r"1"),
    "softmax": Activation(
        "softmax",
        softmax,
        None,
        r"\mathrm{softmax}(z)_k",
        r"a_k([k=m]-a_m)",
        output_only=True,
    ),
}

HIDDEN_ACTIVATIONS = tuple(name for name, act in ACTIVATIONS.items() if not act.output_only)


def get_activation(name: str, *, argument: str = "activation", output: bool = False) -> Activation:
    """Look up an activation by name, with an error that lists the choices.

    Parameters
    ----------
    name : str
        One of ``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``, and, for an output
        layer, ``"softmax"``.
    argument : str
        The argument name to put in an error message.
    output : bool
        Whether the activation is for the output layer (softmax allowed).
    """
    choices = tuple(ACTIVATIONS) if output else HIDDEN_ACTIVATIONS
    check_choice(argument, name, choices)
    return ACTIVATIONS[name]
