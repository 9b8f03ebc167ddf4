"""Argument checks with messages that name the argument, what was expected and what was given.

Every public function of :mod:`backprop_lab` validates its input here, so a reader who
passes the wrong thing sees one clear sentence instead of a numpy traceback.

Resources
---------
A teaching package should never ask numpy for more memory than the machine has: a typo
such as ``Network([10**5, 10**5])`` (80 GB of weights) or ``resolution=10**6`` would
otherwise freeze the notebook or kill the kernel. Before anything large is allocated,
:func:`check_memory` compares the bytes it would take with :data:`MEMORY_LIMIT` (1 GiB,
fixed, so that the same call behaves the same on every machine) and with half of the
memory the machine has available now (a smaller machine, or one already busy, is protected
too). Training needs several copies of the parameters (gradients, checkpoints, snapshots),
which is why the budget for one array is far below the machine's total.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

__all__ = [
    "MEMORY_LIMIT",
    "available_memory",
    "check_bool",
    "check_callable",
    "check_choice",
    "check_finite_array",
    "check_integer",
    "check_interval",
    "check_layer_sizes",
    "check_memory",
    "check_number",
    "check_optional_text",
    "check_path",
    "check_positive_number",
    "check_vector",
    "describe",
    "format_bytes",
]

MEMORY_LIMIT = 2**30
"""Most bytes one array (or one set of parameters) may take: 1 GiB.

Larger requests are refused before numpy allocates anything. A float64 network may thus
hold up to 134 million parameters (``[2, 11000, 11000, 1]`` fits, ``[2, 30000, 30000, 1]``,
7.2 GB, does not); a plot grid is bounded far below that by its own ``resolution`` limit.
"""


def describe(value: Any) -> str:
    """A short description of a wrong argument: its repr (cut at 60 characters) and type."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    try:
        text = repr(value)
    except Exception:  # a reader's object with a broken repr
        text = f"<{type(value).__name__} object>"
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def format_bytes(n_bytes: float) -> str:
    """``7.2 GB``-style text (powers of 1000, as memory is usually quoted)."""
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.3g} {unit}"
    return f"{int(n_bytes)} bytes"


_SMALL = 64 * 2**20


def available_memory() -> int | None:
    """Bytes of memory available now (Linux ``MemAvailable``), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(what: str, n_bytes: float, hint: str = "") -> None:
    """Refuse to allocate ``n_bytes`` for ``what`` above the package's memory budget.

    Parameters
    ----------
    what : str
        What would be allocated, naming the argument that sized it, e.g.
        ``"Network(layer_sizes=[2, 30000, 30000, 1])'s parameters"``.
    n_bytes : float
        The bytes it would take (may be astronomically large: it is never allocated).
    hint : str
        What to do instead, appended to the message.

    Raises
    ------
    ValueError
        If ``n_bytes`` exceeds :data:`MEMORY_LIMIT` or half of the available memory.
    """
    if n_bytes <= _SMALL:  # far below any budget: no need to ask the system
        return
    limit = MEMORY_LIMIT
    reason = f"backprop_lab's limit of {limit / 2**30:g} GiB for one array"
    available = available_memory()
    if available is not None and available // 2 < limit:
        limit = available // 2
        reason = f"half of the {format_bytes(available)} of memory available now"
    if n_bytes > limit:
        raise ValueError(
            f"{what} would need {format_bytes(n_bytes)} of memory, more than {reason}"
            + (f"; {hint}" if hint else "")
        )


def check_choice(argument: str, value: Any, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of the strings ``choices``.

    Raises
    ------
    TypeError
        If ``value`` is not a string.
    ValueError
        If it is not one of ``choices``.
    """
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a string, one of {', '.join(map(repr, choices))}; "
            f"got {describe(value)}"
        )
    if value not in choices:
        raise ValueError(
            f"{argument} must be one of {', '.join(map(repr, choices))}; got {value!r}"
        )
    return value


def check_integer(
    argument: str, value: Any, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """Check that ``value`` is a whole number (not a bool) from ``minimum`` to ``maximum``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (a float such as ``2.0`` included, or a bool).
    ValueError
        If it lies outside ``[minimum, maximum]``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral):
        raise TypeError(f"{argument} must be an integer; got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        most = "" if maximum is None else f" (and at most {maximum})"
        raise ValueError(f"{argument} must be an integer >= {minimum}; got {value}{most}")
    if maximum is not None and value > maximum:
        least = "" if minimum is None else f" (and at least {minimum})"
        raise ValueError(f"{argument} must be an integer <= {maximum}; got {value}{least}")
    return value


def check_number(
    argument: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    strict: bool = False,
) -> float:
    """Check that ``value`` is a finite real number in ``[minimum, maximum]``.

    With ``strict`` the minimum itself is excluded (``> minimum``).

    Raises
    ------
    TypeError
        If ``value`` is not a real number (a bool, a string, None, an array...).
    ValueError
        If it is NaN, infinite or out of range.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(f"{argument} must be a number; got {describe(value)}")
    number = float(value)
    low = "" if minimum is None else (f" > {minimum:g}" if strict else f" >= {minimum:g}")
    high = "" if maximum is None else f" <= {maximum:g}"
    wanted = f"a finite number{low}{' and' if low and high else ''}{high}"
    if not math.isfinite(number):
        raise ValueError(f"{argument} must be {wanted}; got {number}")
    if minimum is not None and (number < minimum or (strict and number == minimum)):
        raise ValueError(f"{argument} must be {wanted}; got {number:g}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{argument} must be {wanted}; got {number:g}")
    return number


def check_positive_number(argument: str, value: Any) -> float:
    """Check that ``value`` is a finite real number greater than zero.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    ValueError
        If it is not finite or not > 0.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise TypeError(f"{argument} must be a positive number; got {describe(value)}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{argument} must be a finite number > 0; got {value}")
    return value


def check_bool(argument: str, value: Any) -> bool:
    """Check that ``value`` is True or False (numpy's bool too).

    Raises
    ------
    TypeError
        If it is anything else (``"no"``, ``0``, ``None``...).
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{argument} must be True or False; got {describe(value)}")
    return bool(value)


def check_optional_text(argument: str, value: Any) -> str | None:
    """Check that ``value`` is a string or None.

    Raises
    ------
    TypeError
        If it is anything else.
    """
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{argument} must be a string or None; got {describe(value)}")
    return value


def check_callable(argument: str, value: Any, *, optional: bool = False) -> Any:
    """Check that ``value`` is callable (or None when ``optional``).

    Raises
    ------
    TypeError
        If it is not.
    """
    if value is None and optional:
        return None
    if not callable(value):
        expected = "a function or None" if optional else "a function"
        raise TypeError(f"{argument} must be {expected}; got {describe(value)}")
    return value


def check_interval(argument: str, value: Any, *, minimum_width: float = 0.0) -> tuple[float, float]:
    """Check that ``value`` is a pair ``(low, high)`` of finite numbers with ``low < high``.

    Raises
    ------
    TypeError
        If it is not a pair of real numbers.
    ValueError
        If a number is not finite or ``low >= high``.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"{argument} must be a pair (low, high) of numbers; got {describe(value)}")
    if len(value) != 2:
        raise ValueError(
            f"{argument} must be a pair (low, high) of numbers; got {len(value)} values: "
            f"{describe(value)}"
        )
    low = check_number(f"{argument}[0]", value[0])
    high = check_number(f"{argument}[1]", value[1])
    if not high - low > minimum_width:
        raise ValueError(f"{argument} must have low < high; got {tuple(value)!r}")
    return low, high


def check_layer_sizes(argument: str, value: Any) -> list[int]:
    """Check that ``value`` lists at least two positive integers (neurons per layer).

    Raises
    ------
    TypeError
        If it is not a list, tuple or 1-D integer array (a string, a number, None...).
    ValueError
        If it has fewer than two entries or an entry that is not a positive integer.
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise TypeError(
            f"{argument} must be a list of at least two positive integers, e.g. [2, 2, 1]; "
            f"got {describe(value)}"
        )
    if len(value) < 2:
        raise ValueError(
            f"{argument} must list at least two layers (inputs and outputs), e.g. [2, 2, 1]; "
            f"got {list(value)!r}"
        )
    sizes = []
    for position, size in enumerate(value):
        if isinstance(size, bool | np.bool_) or not isinstance(size, Integral) or size < 1:
            raise ValueError(
                f"{argument} must hold positive integers; {argument}[{position}] is {size!r}"
            )
        sizes.append(int(size))
    return sizes


def check_path(argument: str, value: Any) -> Any:
    """Check that ``value`` is a file path (a string or :class:`os.PathLike`), not empty.

    Raises
    ------
    TypeError
        If it is not a string or path.
    ValueError
        If it is the empty string.
    """
    from pathlib import Path

    if not isinstance(value, str | os.PathLike):
        raise TypeError(
            f"{argument} must be a file path (a string or pathlib.Path); got {describe(value)}"
        )
    if isinstance(value, str) and not value.strip():
        raise ValueError(f"{argument} must be a file path; got the empty string {value!r}")
    return Path(value)


def check_finite_array(argument: str, value: Any, dtype: np.dtype | type) -> np.ndarray:
    """Convert ``value`` to a numeric array of ``dtype`` and check it holds no NaN or inf.

    Values beyond the range of ``dtype`` (above 3.4e38 for float32) are refused rather
    than rounded to infinity.

    Raises
    ------
    TypeError
        If ``value`` is text, None, or holds something other than real numbers.
    ValueError
        If it is ragged, holds NaN or inf, or a value ``dtype`` cannot represent.
    """
    if isinstance(value, str | bytes) or value is None:
        raise TypeError(f"{argument} must be an array of numbers; got {describe(value)}")
    try:
        array = np.asarray(value)
    except (ValueError, TypeError) as error:  # ragged nested lists
        raise ValueError(
            f"{argument} must be a rectangular array of numbers; got ragged input ({error})"
        ) from None
    except OverflowError:
        raise ValueError(
            f"{argument} holds an integer too large for any floating-point type; got "
            f"{describe(value)}"
        ) from None
    if array.dtype == object or array.dtype.kind not in "biuf":
        raise TypeError(
            f"{argument} must be an array of real numbers; got an array of dtype {array.dtype}"
        )
    target = np.dtype(dtype)
    if array.dtype.kind == "f" and array.size:
        finite = np.isfinite(array)
        if not finite.all():
            bad = tuple(int(i) for i in np.argwhere(~finite)[0])
            where = f" at index {bad}" if array.ndim else ""
            raise ValueError(
                f"{argument} must contain only finite numbers; found {float(array[bad])}{where}"
            )
    if target.kind == "f" and array.size and array.dtype.itemsize > target.itemsize:
        largest = float(np.max(np.abs(array)))
        limit = float(np.finfo(target).max)
        if largest > limit:
            raise ValueError(
                f"{argument} holds {largest:.3g}, beyond the range of {target.name} "
                f"(about ±{limit:.2g}); use a float64 network (dtype=np.float64) or "
                "scale the values down"
            )
    return array.astype(target, copy=False)


def check_vector(argument: str, value: Any) -> np.ndarray:
    """Check that ``value`` is a non-empty 1-D list of finite numbers (a scalar is one)."""
    array = check_finite_array(argument, value, np.float64)
    if array.ndim == 0:
        array = array[None]
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{argument} must be a non-empty 1-D list of numbers; got {array.shape}")
    return array
