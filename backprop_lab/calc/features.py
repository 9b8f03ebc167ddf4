"""TensorFlow Playground's input features, computed from the raw inputs (chapter 5, playground).

A network of the playground does not have to see the raw coordinates ``x1, x2`` alone: it
may be given products and sines of them as extra inputs, and a problem that is hard for a
small network on the raw inputs (the circles need a curved boundary) becomes easy when
``x1^2`` and ``x2^2`` are inputs (the boundary is then a straight line in those columns).

:func:`input_features` builds those columns. The names, in the order of :data:`FEATURES`:
``"x1"``, ``"x2"``, ``"x1^2"``, ``"x2^2"``, ``"x1*x2"``, ``"sin(x1)"``, ``"sin(x2)"``.
A data set with one input (``regression_1d``) has only ``x1``, ``x1^2`` and ``sin(x1)``.
The page computes the same columns (``inputFeatures`` in
``backprop_lab/explorers/js/engine.js``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_finite_array, describe

__all__ = ["FEATURES", "check_features", "input_features"]

FEATURES: tuple[str, ...] = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
"""Every input feature, in the order of the playground's column of inputs."""

_INPUTS_USED = {"x1": 1, "x2": 2, "x1^2": 1, "x2^2": 2, "x1*x2": 2, "sin(x1)": 1, "sin(x2)": 2}


def check_features(names: Any, n_inputs: int = 2) -> tuple[str, ...]:
    """``names`` as a tuple, in :data:`FEATURES`'s order, if they are features of data with
    ``n_inputs`` raw inputs; else a clear error.

    Raises
    ------
    TypeError
        If ``names`` is not a list or tuple of strings.
    ValueError
        If it is empty, repeats a name, names an unknown feature or one that needs ``x2``
        when the data have one input.
    """
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise TypeError(
            f"features must be a list of feature names such as ['x1', 'x2']; got {describe(names)}"
        )
    names = tuple(names)
    for name in names:
        if not isinstance(name, str) or name not in FEATURES:
            raise ValueError(
                f"features must be names from {', '.join(map(repr, FEATURES))}; got {name!r}"
            )
    if not names:
        raise ValueError("features must name at least one input feature; got none")
    if len(set(names)) != len(names):
        raise ValueError(f"features must not repeat a name; got {list(names)}")
    needs_two = [name for name in names if _INPUTS_USED[name] > n_inputs]
    if needs_two:
        raise ValueError(
            f"features {needs_two} need x2, but the data have {n_inputs} input; choose "
            "among 'x1', 'x1^2' and 'sin(x1)'"
        )
    return tuple(name for name in FEATURES if name in names)


def input_features(X: Any, names: Sequence[str] = ("x1", "x2")) -> np.ndarray:
    """The columns ``names`` computed from the raw inputs ``X`` (chapter 5, playground).

    Parameters
    ----------
    X : array_like
        Raw inputs, shape ``(n_samples, 2)`` (or ``(n_samples, 1)`` for one input).
    names : sequence of str
        Features from :data:`FEATURES`; the columns come in :data:`FEATURES`'s order,
        whatever the order of ``names``.

    Returns
    -------
    ndarray
        Shape ``(n_samples, len(names))``, float64.

    Raises
    ------
    TypeError, ValueError
        If ``X`` is not a finite 2-D array of one or two columns, or ``names`` not
        features of it (see :func:`check_features`).

    Examples
    --------
    >>> from backprop_lab.calc.features import input_features
    >>> input_features([[2.0, 3.0]], ["x1*x2", "x1^2"]).tolist()
    [[4.0, 6.0]]
    """
    X = check_finite_array("X", X, np.float64)
    if X.ndim != 2 or X.shape[1] not in (1, 2):
        raise ValueError(
            f"X must be raw inputs of shape (n_samples, 2) or (n_samples, 1); got shape {X.shape}"
        )
    names = check_features(names, X.shape[1])
    x1 = X[:, 0]
    x2 = X[:, 1] if X.shape[1] > 1 else None
    columns = {
        "x1": lambda: x1,
        "x2": lambda: x2,
        "x1^2": lambda: x1 * x1,
        "x2^2": lambda: x2 * x2,
        "x1*x2": lambda: x1 * x2,
        "sin(x1)": lambda: np.sin(x1),
        "sin(x2)": lambda: np.sin(x2),
    }
    return np.column_stack([columns[name]() for name in names]).astype(np.float64)
