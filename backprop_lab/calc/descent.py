"""Gradient descent on a function of one variable (chapter 4, "The learning rate").

Before a network, one number: :math:`x_{t+1} = x_t - \\eta\\, f'(x_t)`. With
:math:`f(x) = x^2` the update is :math:`x_{t+1} = (1 - 2\\eta)\\,x_t`, so the learning rate
:math:`\\eta` alone decides what happens: for :math:`0 < \\eta \\le 0.5` the steps shrink
without crossing the minimum, for :math:`0.5 < \\eta < 1` they overshoot and alternate
sides while shrinking, at :math:`\\eta = 1` they bounce forever, and above 1 they grow.

:func:`gradient_descent_1d` runs the iteration, stops before a value leaves the finite
range, and classifies the run (:attr:`DescentPath.regime`) for a status line.
:data:`QUADRATIC` and :data:`DOUBLE_WELL` are the functions chapter 4 and its explorer use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np

from backprop_lab.checks.arguments import check_choice, check_integer, check_positive_number

__all__ = [
    "DOUBLE_WELL",
    "FUNCTIONS",
    "MAX_STEPS",
    "QUADRATIC",
    "REGIMES",
    "DescentPath",
    "Function1D",
    "get_function",
    "gradient_descent_1d",
]

REGIMES: tuple[str, ...] = ("too small", "good", "oscillating", "diverging")
"""The four outcomes :func:`gradient_descent_1d` tells apart, in order of learning rate."""

_DEFAULT_BOUND = 1e12

MAX_STEPS = 1_000_000
"""The most steps :func:`gradient_descent_1d` takes: a path keeps three float64 numbers a
step (24 MB at this many, and seconds of Python); a plot needs far fewer."""


@dataclass(frozen=True, eq=False)
class DescentPath:
    """The positions visited by 1-D gradient descent, and what kind of run it was.

    Attributes
    ----------
    x : ndarray
        ``x[t]`` is the position after ``t`` steps, ``t = 0..steps_run``; all finite.
    fx : ndarray
        :math:`f(x_t)`.
    dfx : ndarray
        :math:`f'(x_t)`.
    learning_rate : float
    steps_requested : int
    diverged : bool
        True when the run stopped early because a new position, or ``f`` or ``f'`` there,
        was not finite or ``|x|`` exceeded ``bound``.
    diverged_at : int or None
        The step whose result was rejected; ``x`` then holds the ``diverged_at`` positions
        before it.
    regime : str
        One of :data:`REGIMES`; see :func:`gradient_descent_1d` for the rule.
    converged_at : int or None
        The first step after which the slope was within ``tolerance`` of zero (relative to
        the starting slope), if any.
    reversals : int
        How many times the step changed direction before convergence (overshoots).
    tolerance : float
        The relative slope tolerance that defines convergence.
    """

    x: np.ndarray
    fx: np.ndarray
    dfx: np.ndarray
    learning_rate: float
    steps_requested: int
    diverged: bool
    diverged_at: int | None
    regime: str
    converged_at: int | None
    reversals: int
    tolerance: float = field(repr=False)
    bound: float = field(repr=False, default=_DEFAULT_BOUND)

    @property
    def steps_run(self) -> int:
        """Steps actually taken."""
        return len(self.x) - 1

    @property
    def final_x(self) -> float:
        return float(self.x[-1])

    @property
    def converged(self) -> bool:
        return self.converged_at is not None

    @property
    def message(self) -> str:
        """One sentence for a status line, naming the regime and the evidence for it."""
        eta = f"learning rate {self.learning_rate:.3g}"  # a slider's value, to 3 digits
        start, end = abs(float(self.dfx[0])), abs(float(self.dfx[-1]))
        if self.regime == "diverging":
            if self.diverged:
                return (
                    f"Diverging ({eta}): step {self.diverged_at} left the finite range "
                    f"(|x| > {self.bound:g} or a non-finite value), so the run stopped there."
                )
            return (
                f"Diverging ({eta}): the slope grew from {start:.3g} to {end:.3g} in "
                f"{_steps(self.steps_run)}; every step lands further up the other side."
            )
        if self.regime == "oscillating":
            how = (
                f"converged after {_steps(self.converged_at)}"
                if self.converged
                else f"after {_steps(self.steps_run)} the slope is {end:.3g} (from {start:.3g})"
            )
            return (
                f"Oscillating ({eta}): the steps overshoot the minimum, changing direction "
                f"{self.reversals} time{'s' if self.reversals != 1 else ''}; {how}."
            )
        if self.regime == "good":
            return (
                f"Good ({eta}): converged to x = {self.x[self.converged_at]:.4g} in "
                f"{_steps(self.converged_at)} without overshooting."
            )
        if self.steps_run == 0:
            return f"Too small ({eta}): no steps taken yet."
        share = end / start if start else 0.0
        return (
            f"Too small ({eta}): after {_steps(self.steps_run)} x = {self.final_x:.4g} and the "
            f"slope is still {share:.0%} of its starting value."
        )

    def __repr__(self) -> str:
        return (
            f"DescentPath(regime={self.regime!r}, steps_run={self.steps_run}, "
            f"final_x={self.final_x:.6g}, learning_rate={self.learning_rate:g})"
        )


def _steps(n: int | None) -> str:
    return "1 step" if n == 1 else f"{n} steps"


def _check_callable(argument: str, value: Any) -> None:
    if not callable(value):
        raise TypeError(
            f"{argument} must be a function of one number (a callable); "
            f"got {value!r} ({type(value).__name__})"
        )


def _evaluate(function: Callable[[float], Any], x: float) -> float:
    """``float(function(x))``, with overflow of any kind reported as ``nan``."""
    with np.errstate(all="ignore"):
        try:
            value = function(x)
        except (OverflowError, ZeroDivisionError):
            return float("nan")
    value = np.asarray(value, dtype=np.float64)
    if value.size != 1:
        raise ValueError(
            f"the function must return one number for one x; got shape {value.shape} at x = {x}"
        )
    return float(value.reshape(()))


def gradient_descent_1d(
    f: Callable[[float], float],
    df: Callable[[float], float],
    start: float,
    learning_rate: float,
    steps: int,
    *,
    tolerance: float = 1e-2,
    bound: float = _DEFAULT_BOUND,
) -> DescentPath:
    """Run :math:`x_{t+1} = x_t - \\eta f'(x_t)` for ``steps`` steps (chapter 4).

    Parameters
    ----------
    f, df : callable
        The function and its derivative, each taking and returning one number.
    start : float
        The starting position :math:`x_0`.
    learning_rate : float
        :math:`\\eta > 0`.
    steps : int
        Number of steps, from 0 to :data:`MAX_STEPS` (one million).
    tolerance : float
        Convergence threshold: the run has converged at step ``t`` when
        :math:`|f'(x_t)| \\le \\text{tolerance}\\cdot|f'(x_0)|` (or :math:`f'(x_t) = 0`).
    bound : float
        A position with :math:`|x| > \\text{bound}` counts as divergence.

    Returns
    -------
    DescentPath
        The run stops early, before recording it, at the first step whose position (or
        :math:`f`, :math:`f'` there) is not finite or beyond ``bound``; so every number in
        the path can be plotted.

    Notes
    -----
    The regime is read from the path itself, with :math:`g_t = |f'(x_t)|` (no knowledge
    of the minimiser is needed), in this order:

    1. ``"diverging"``: the run stopped early, or the last slope is larger than the
       starting one and the largest seen (the run is still getting steeper).
    2. ``"oscillating"``: the step :math:`x_{t+1} - x_t` changed sign at least once before
       convergence (an overshoot), whether or not the run has converged yet.
    3. ``"good"``: converged (see ``tolerance``) with every step in the same direction.
    4. ``"too small"``: not converged, never overshooting: more steps or a larger learning
       rate are needed.

    For :math:`f(x) = x^2` this gives "good" for :math:`\\eta \\le 0.5` once enough steps
    are taken, "oscillating" for :math:`0.5 < \\eta \\le 1` and "diverging" above 1.

    Examples
    --------
    >>> from backprop_lab.calc.descent import QUADRATIC, gradient_descent_1d
    >>> gradient_descent_1d(QUADRATIC.f, QUADRATIC.df, 2.0, 0.1, 50).regime
    'good'
    """
    _check_callable("f", f)
    _check_callable("df", df)
    if isinstance(start, bool) or not isinstance(start, Real):
        raise TypeError(f"start must be a finite number; got {start!r} ({type(start).__name__})")
    start = float(start)
    if not np.isfinite(start):
        raise ValueError(f"start must be a finite number; got {start}")
    eta = check_positive_number("learning_rate", learning_rate)
    steps = check_integer("steps", steps, minimum=0)
    if steps > MAX_STEPS:
        raise ValueError(
            f"steps must be at most {MAX_STEPS:,} (the path keeps x, f(x) and f'(x) for every "
            f"step, {24 * MAX_STEPS / 1e6:.0f} MB at that many); got {steps:,}, which would take "
            f"{24 * (steps + 1) / 1e6:,.0f} MB"
        )
    tolerance = check_positive_number("tolerance", tolerance)
    bound = check_positive_number("bound", bound)
    if abs(start) > bound:
        raise ValueError(
            f"start must lie within [-bound, bound] = [-{bound:g}, {bound:g}]; got {start:g}"
        )
    f0, g0 = _evaluate(f, start), _evaluate(df, start)
    if not (np.isfinite(f0) and np.isfinite(g0)):
        raise ValueError(
            f"f and df must be finite at start = {start}; got f(start) = {f0}, df(start) = {g0}"
        )

    # preallocated: three float64 a step, not three Python floats in lists
    x_arr, f_arr, g_arr = np.empty(steps + 1), np.empty(steps + 1), np.empty(steps + 1)
    x_arr[0], f_arr[0], g_arr[0] = start, f0, g0
    diverged_at = None
    x, g = start, g0
    for t in range(1, steps + 1):
        new = x - eta * g
        if not (np.isfinite(new) and abs(new) <= bound):
            diverged_at = t
            break
        f_new, g_new = _evaluate(f, new), _evaluate(df, new)
        if not (np.isfinite(f_new) and np.isfinite(g_new)):
            diverged_at = t
            break
        x, g = new, g_new
        x_arr[t], f_arr[t], g_arr[t] = x, f_new, g

    if diverged_at is not None:  # keep the diverged_at positions before the rejected step
        x_arr, f_arr, g_arr = (a[:diverged_at].copy() for a in (x_arr, f_arr, g_arr))
    regime, converged_at, reversals = _classify(x_arr, g_arr, diverged_at, tolerance)
    return DescentPath(
        x=x_arr,
        fx=f_arr,
        dfx=g_arr,
        learning_rate=eta,
        steps_requested=steps,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        regime=regime,
        converged_at=converged_at,
        reversals=reversals,
        tolerance=tolerance,
        bound=bound,
    )


def _classify(
    x: np.ndarray, g: np.ndarray, diverged_at: int | None, tolerance: float
) -> tuple[str, int | None, int]:
    """The regime rule documented in :func:`gradient_descent_1d`."""
    slope = np.abs(g)
    threshold = tolerance * slope[0]
    small = (slope <= threshold) | (slope == 0)
    # converged at the first step from which the slope stays small to the end
    # (a chaotic path may pass a stationary point without settling there)
    not_small = np.flatnonzero(~small)
    first = int(not_small[-1]) + 1 if not_small.size else 0
    converged_at = first if first < len(slope) else None
    horizon = converged_at if converged_at is not None else len(x) - 1
    moves = np.sign(np.diff(x[: horizon + 1]))
    moves = moves[moves != 0]
    reversals = int(np.count_nonzero(moves[1:] != moves[:-1]))
    if diverged_at is not None:
        return "diverging", None, reversals
    if len(x) > 1 and slope[-1] > slope[0] and slope[-1] >= slope.max():
        return "diverging", converged_at, reversals
    if reversals:
        return "oscillating", converged_at, reversals
    if converged_at is not None:
        return "good", converged_at, reversals
    return "too small", None, reversals


# ----------------------------------------------------------------- example functions


@dataclass(frozen=True, eq=False)
class Function1D:
    """A function of one variable with its derivative, for the learning-rate chapter.

    Attributes
    ----------
    name : str
    f, df : callable
        The function and its derivative; both accept floats and numpy arrays.
    minimisers : tuple of float
        Every local minimiser, left to right.
    global_minimiser : float
    latex : str
        The formula, for titles.
    domain : tuple of float
        An x-range that shows the interesting part, for plots.
    start : float
        A suggested starting point.
    """

    name: str
    f: Callable[[Any], Any]
    df: Callable[[Any], Any]
    minimisers: tuple[float, ...]
    global_minimiser: float
    latex: str
    domain: tuple[float, float]
    start: float

    def descend(self, learning_rate: float, steps: int, start: float | None = None) -> DescentPath:
        """:func:`gradient_descent_1d` on this function, from ``start`` (default ``self.start``)."""
        return gradient_descent_1d(
            self.f, self.df, self.start if start is None else start, learning_rate, steps
        )

    def __repr__(self) -> str:
        return f"Function1D({self.name!r}, f(x) = {self.latex})"


def _quadratic(x: Any) -> Any:
    return x * x


def _quadratic_derivative(x: Any) -> Any:
    return 2.0 * x


QUADRATIC = Function1D(
    name="quadratic",
    f=_quadratic,
    df=_quadratic_derivative,
    minimisers=(0.0,),
    global_minimiser=0.0,
    latex=r"x^2",
    domain=(-3.0, 3.0),
    start=2.5,
)
"""f(x) = x^2, f'(x) = 2x: good up to a learning rate of 0.5, oscillating up to 1,
diverging beyond."""


def _double_well(x: Any) -> Any:
    return x**4 - 3.0 * x**2 + x


def _double_well_derivative(x: Any) -> Any:
    return 4.0 * x**3 - 6.0 * x + 1.0


def _double_well_minimisers() -> tuple[float, ...]:
    roots = np.roots([4.0, 0.0, -6.0, 1.0]).real
    minima = sorted(float(r) for r in roots if 12.0 * r * r - 6.0 > 0)
    return tuple(minima)


_DW_MINIMA = _double_well_minimisers()

DOUBLE_WELL = Function1D(
    name="double_well",
    f=_double_well,
    df=_double_well_derivative,
    minimisers=_DW_MINIMA,
    global_minimiser=min(_DW_MINIMA, key=_double_well),
    latex=r"x^4 - 3x^2 + x",
    domain=(-2.0, 2.0),
    start=1.8,
)
"""f(x) = x^4 - 3x^2 + x: a deep valley near x = -1.30 and a shallower one near
x = 1.13; gradient descent settles in whichever valley its steps lead to."""

FUNCTIONS: dict[str, Function1D] = {"quadratic": QUADRATIC, "double_well": DOUBLE_WELL}
"""The example functions by name (for an explorer's drop-down)."""


def get_function(name: str) -> Function1D:
    """Look up an example function by name (``"quadratic"`` or ``"double_well"``)."""
    check_choice("name", name, tuple(FUNCTIONS))
    return FUNCTIONS[name]
