"""Argument checks with messages that name the argument, what was expected and what was given.

Every public function of :mod:`backprop_lab` validates its input here, so a reader who
passes the wrong thing sees one clear sentence instead of a numpy traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "check_choice",
    "check_finite_array",
    "check_integer",
    "check_positive_number",
]


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def check_choice(argument: str, value: Any, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of the strings ``choices``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a string, one of {', '.join(map(repr, choices))}; "
            f"got {_describe(value)}"
        )
    if value not in choices:
        raise ValueError(
            f"{argument} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        )
    return value


def check_integer(argument: str, value: Any, *, minimum: int | None = None) -> int:
    """Check that ``value`` is a whole number (not a bool), at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{argument} must be an integer; got {_describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{argument} must be an integer >= {minimum}; got {value}")
    return value


def check_positive_number(argument: str, value: Any) -> float:
    """Check that ``value`` is a finite real number greater than zero."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{argument} must be a positive number; got {_describe(value)}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{argument} must be a finite number > 0; got {value}")
    return value


def check_finite_array(argument: str, value: Any, dtype: np.dtype | type) -> np.ndarray:
    """Convert ``value`` to a numeric array of ``dtype`` and check it holds no NaN or inf."""
    if isinstance(value, str | bytes):
        raise TypeError(f"{argument} must be an array of numbers; got {_describe(value)}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{argument} must be a rectangular array of numbers; got ragged input ({error})"
        ) from None
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise TypeError(
            f"{argument} must be an array of real numbers; got an array of dtype {array.dtype}"
        )
    array = array.astype(dtype, copy=False)
    if array.size and not np.all(np.isfinite(array)):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        where = f" at index {bad}" if array.ndim else ""
        raise ValueError(
            f"{argument} must contain only finite numbers; found {float(array[bad])}{where}"
        )
    return array
