"""Gradient clipping by global norm (chapter 7, "Exploding gradients and clipping").

Backpropagation through many time steps multiplies many factors together, so a gradient can
grow by orders of magnitude from one sequence to the next. Clipping by norm keeps its
direction and caps its length: with the global norm
:math:`\\lVert g \\rVert = \\sqrt{\\sum_k \\sum_i g_{k,i}^2}` taken over every array of the list,

.. math::

    g \\leftarrow g \\cdot \\min\\!\\left(1, \\frac{c}{\\lVert g \\rVert}\\right)

for a threshold :math:`c` (``max_norm``). Every array is scaled by the same number, so the
step still points downhill; only its length changes. (PyTorch's ``clip_grad_norm_`` adds a
tiny constant to the norm in the divisor; here the division is exact, so a clipped gradient
has norm exactly :math:`c` up to rounding.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_finite_array, check_positive_number, describe

__all__ = ["ClippedGradients", "clip_gradients"]


class ClippedGradients(list):
    """The clipped arrays (a list, in the order given) and what clipping did (chapter 7).

    Attributes
    ----------
    norm : float
        :math:`\\lVert g \\rVert`, the global norm **before** clipping.
    max_norm : float
        The threshold :math:`c`.
    scale : float
        :math:`\\min(1, c / \\lVert g \\rVert)`, the number every array was multiplied by.
    clipped : bool
        Whether the norm was above the threshold (``scale < 1``).
    """

    norm: float
    max_norm: float
    scale: float

    @property
    def clipped(self) -> bool:
        return self.scale < 1.0

    @property
    def norm_after(self) -> float:
        """The global norm of the returned arrays: ``min(norm, max_norm)`` up to rounding."""
        return self.norm * self.scale

    def __repr__(self) -> str:
        return (
            f"ClippedGradients(norm={self.norm:.6g}, max_norm={self.max_norm:.6g}, "
            f"scale={self.scale:.6g}, arrays={list.__repr__(self)})"
        )


def _arrays(gradients: Any) -> list[np.ndarray]:
    if (
        isinstance(gradients, np.ndarray)
        or not isinstance(gradients, Sequence)
        or isinstance(gradients, str | bytes)
    ):
        raise TypeError(
            "gradients must be a list of arrays, e.g. [grads.W_x, grads.W_h, grads.b]; got "
            f"{describe(gradients)}"
        )
    if len(gradients) == 0:
        raise ValueError("gradients must hold at least one array; got an empty list")
    return [check_finite_array(f"gradients[{k}]", g, np.float64) for k, g in enumerate(gradients)]


def _global_norm(arrays: list[np.ndarray]) -> float:
    """:math:`\\sqrt{\\sum g^2}` over every entry of every array, computed on the arrays
    divided by their largest entry so that squaring cannot overflow (1e200 stays finite)."""
    largest = max((float(np.max(np.abs(g))) for g in arrays if g.size), default=0.0)
    if largest == 0.0:
        return 0.0
    return largest * float(np.sqrt(sum(float(np.sum((g / largest) ** 2)) for g in arrays)))


def clip_gradients(gradients: Sequence[Any], max_norm: float) -> ClippedGradients:
    """Scale a list of gradient arrays so their global L2 norm is at most ``max_norm``.

    Chapter 7: :math:`g \\leftarrow g \\cdot \\min(1, c / \\lVert g \\rVert)`, the same factor
    for every array. Below the threshold the arrays come back unchanged (as copies).

    Parameters
    ----------
    gradients : list of array_like
        The gradients of all the parameters, e.g. ``rnn_backward(...).as_list()``.
    max_norm : float
        The threshold :math:`c > 0`.

    Returns
    -------
    ClippedGradients
        A list of new float64 arrays, the shapes of the inputs, with ``.norm`` (the global
        norm before clipping), ``.scale`` and ``.clipped``.

    Examples
    --------
    >>> clipped = clip_gradients([[3.0], [4.0]], max_norm=1.0)
    >>> clipped.norm, [g.round(3).tolist() for g in clipped]
    (5.0, [[0.6], [0.8]])
    """
    arrays = _arrays(gradients)
    c = check_positive_number("max_norm", max_norm)
    norm = _global_norm(arrays)
    scale = c / norm if norm > c else 1.0
    result = ClippedGradients(g * scale for g in arrays)
    result.norm, result.max_norm, result.scale = norm, c, scale
    return result
