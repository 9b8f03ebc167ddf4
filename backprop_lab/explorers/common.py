"""What the explorers share: their sliders (plain and log scale) and the checks of the
values Python gives them (a starting value inside its slider, a number or a whole number
for a slider, a seed of the portable generator)."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from backprop_lab.checks.arguments import check_integer, check_number
from backprop_lab.nn.portable_random import MAX_SEED


def check_slider_value(argument: str, value: float, low: float, high: float) -> float:
    """``value`` if a slider from ``low`` to ``high`` can show it, else a ValueError.

    Explorers refuse a starting value outside their slider rather than silently moving it
    to the end of the slider (the reader would see another setting than the one asked for).
    """
    if not low - 1e-12 <= value <= high + 1e-12:
        raise ValueError(
            f"{argument} must be within its slider's range, from {low:g} to {high:g}; got {value:g}"
        )
    return value


def check_slider_number(argument: str, value: Any, low: float, high: float) -> float:
    """A number Python gives an explorer's slider (a rate, a weight, a share): a finite
    real number inside the slider's range, ``low`` to ``high``."""
    return check_slider_value(argument, check_number(argument, value), low, high)


def check_slider_integer(argument: str, value: Any, low: int, high: int) -> int:
    """A whole number Python gives an explorer's integer slider (steps, layers, epochs):
    an integer, not a bool, inside the slider's range, ``low`` to ``high``."""
    return check_slider_value(argument, check_integer(argument, value), low, high)


def check_portable_seed(argument: str, value: Any) -> int:
    """A seed of the generator the package and the page share: an integer from 0 to
    :data:`~backprop_lab.nn.portable_random.MAX_SEED` (``2**32 - 1``)."""
    return check_integer(argument, value, minimum=0, maximum=MAX_SEED)


def plain_slider(
    name: str,
    value: float,
    low: float,
    high: float,
    step: float = 0.1,
    *,
    description: str | None = None,
    readout_format: str = ".2f",
) -> widgets.FloatSlider:
    """The explorers' slider for a number on a linear scale, labelled ``description``
    (``name`` by default); ``value`` is checked to lie on it (:func:`check_slider_value`)."""
    value = check_slider_value(name, float(value), low, high)
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=name if description is None else description,
        readout_format=readout_format,
    )


def log_slider(
    description: str,
    value: float,
    low: float,
    high: float,
    *,
    step: float = 0.05,
    base: float = 10,
    readout_format: str = ".2g",
    continuous_update: bool = True,
) -> widgets.FloatLogSlider:
    """The explorers' slider for a rate or a scale: ``value`` between ``low`` and ``high``
    on a log scale (``step`` in powers of ``base``).

    The readout shows 2 significant digits by default: points of a log grid are not round
    (0.302 for 0.3).
    """
    return widgets.FloatLogSlider(
        value=value,
        base=base,
        min=math.log(low, base),
        max=math.log(high, base),
        step=step,
        description=description,
        readout_format=readout_format,
        continuous_update=continuous_update,
    )
