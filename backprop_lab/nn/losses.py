"""Loss functions and their derivatives (chapter 3, "The loss").

Every loss is an average over samples of a per-sample loss :math:`E_s`, so the
gradient of a batch is the mean of the per-sample gradients.

- ``"squared_error"``: :math:`E_s = \\tfrac12 \\sum_k (y_k - \\hat y_k)^2`, summed over
  outputs (the textbook convention: the :math:`\\tfrac12` cancels in the derivative).
- ``"mse"``: :math:`E_s = \\tfrac1K \\sum_k (y_k - \\hat y_k)^2`, the mean over outputs.
- ``"binary_cross_entropy"``, for sigmoid outputs:
  :math:`E_s = -\\sum_k [y_k \\log \\hat y_k + (1-y_k)\\log(1-\\hat y_k)]`.
- ``"cross_entropy"``: :math:`E_s = -\\sum_k y_k \\log \\hat y_k`, for a softmax output.

The two log-losses are computed from the output layer's net input :math:`z` (the
"logits"), which is exact where :math:`\\hat y` has rounded to 0 or 1, and their output
delta is the famous :math:`\\hat y - y`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from backprop_lab.checks.arguments import check_choice
from backprop_lab.nn.activations import sigmoid, softmax

__all__ = ["LOSSES", "Loss", "get_loss", "softmax_cross_entropy"]


def _squared_error(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    d = y - a
    return 0.5 * np.sum(d * d, axis=-1)


def _squared_error_grad(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return a - y


def _mse(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    d = y - a
    return np.mean(d * d, axis=-1)


def _mse_grad(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return (2.0 / a.shape[-1]) * (a - y)


def _softplus(z: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, z).astype(z.dtype, copy=False)


def _binary_cross_entropy(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    # -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z, exact for any z
    return np.sum(_softplus(z) - y * z, axis=-1)


def _binary_cross_entropy_grad(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    # dE/da = (a - y) / (a (1 - a)); only used where a is strictly inside (0, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a - y) / (a * (1.0 - a))


def _binary_cross_entropy_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return sigmoid(z) - y


def _binary_cross_entropy_delta_from_output(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return a - y


def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _cross_entropy(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return -np.sum(y * _log_softmax(z), axis=-1)


def softmax_cross_entropy(z: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Softmax output and per-sample cross-entropy of the same logits, in one pass.

    Returns ``(softmax(z), per_sample)`` with exactly the numbers
    :func:`~backprop_lab.nn.activations.softmax` and the ``"cross_entropy"`` loss compute
    separately (the shifted logits and the sum of exponentials are shared); training
    uses it to save a second pass over the output layer.
    """
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    total = np.sum(e, axis=-1, keepdims=True)
    return e / total, -np.sum(y * (shifted - np.log(total)), axis=-1)


def _cross_entropy_grad(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -y / a


def _cross_entropy_delta(z: np.ndarray, a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return softmax(z) * np.sum(y, axis=-1, keepdims=True) - y


def _cross_entropy_delta_from_output(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    return a * np.sum(y, axis=-1, keepdims=True) - y


@dataclass(frozen=True)
class Loss:
    """A loss function with what backpropagation needs of it.

    Attributes
    ----------
    name : str
        The name used by :class:`~backprop_lab.Network`.
    per_sample : callable
        ``per_sample(z, a, y)`` gives :math:`E_s` for every sample, shape ``(n_samples,)``;
        ``z`` and ``a`` are the output layer's net input and activation.
    output_gradient : callable
        ``output_gradient(z, a, y)`` gives :math:`\\partial E_s / \\partial \\hat y_k`.
    symbol : str
        LaTeX of the per-sample loss.
    gradient_symbol : str
        LaTeX of :math:`\\partial E / \\partial \\hat y_k`.
    requires_output : str or None
        The output activation this loss must be used with, if any.
    output_delta : callable or None
        For the log-losses, the stable fused output delta
        :math:`\\partial E_s / \\partial z_k = \\hat y_k - y_k`.
    delta_from_output : callable or None
        The same fused delta from the output ``a`` alone, ``delta_from_output(a, y)``:
        the same numbers as ``output_delta(z, a, y)`` when ``a`` is the required output
        activation of ``z`` (which the network guarantees), without recomputing it.
    """

    name: str
    per_sample: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    output_gradient: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
    symbol: str
    gradient_symbol: str
    requires_output: str | None = None
    output_delta: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None
    delta_from_output: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None

    def value(self, z: np.ndarray, a: np.ndarray, y: np.ndarray) -> float:
        """The loss averaged over samples, as a Python float."""
        with np.errstate(over="ignore", invalid="ignore"):
            return float(np.mean(self.per_sample(z, a, y)))


LOSSES: dict[str, Loss] = {
    "squared_error": Loss(
        "squared_error",
        _squared_error,
        _squared_error_grad,
        r"\tfrac12\sum_k (y_k-\hat y_k)^2",
        r"\hat y_k - y_k",
    ),
    "mse": Loss(
        "mse", _mse, _mse_grad, r"\tfrac1K\sum_k (y_k-\hat y_k)^2", r"\tfrac2K(\hat y_k - y_k)"
    ),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy",
        _binary_cross_entropy,
        _binary_cross_entropy_grad,
        r"-\sum_k [y_k\log\hat y_k + (1-y_k)\log(1-\hat y_k)]",
        r"\frac{\hat y_k - y_k}{\hat y_k(1-\hat y_k)}",
        requires_output="sigmoid",
        output_delta=_binary_cross_entropy_delta,
        delta_from_output=_binary_cross_entropy_delta_from_output,
    ),
    "cross_entropy": Loss(
        "cross_entropy",
        _cross_entropy,
        _cross_entropy_grad,
        r"-\sum_k y_k\log\hat y_k",
        r"-\frac{y_k}{\hat y_k}",
        requires_output="softmax",
        output_delta=_cross_entropy_delta,
        delta_from_output=_cross_entropy_delta_from_output,
    ),
}


def get_loss(name: str, *, argument: str = "loss") -> Loss:
    """Look up a loss by name, with an error that lists the choices."""
    check_choice(argument, name, tuple(LOSSES))
    return LOSSES[name]
