"""What the explorers share: their sliders (plain and log scale) and the checks of the
values Python gives them (a starting value inside its slider, a rate)."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from backprop_lab.checks.arguments import check_number


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


def check_rate(argument: str, value: Any, low: float, high: float) -> float:
    """A rate Python gives an explorer: a number (not negative when the slider starts at
    0) inside its slider's range."""
    value = check_number(argument, value, minimum=0.0 if low == 0 else None)
    return check_slider_value(argument, float(value), low, high)


def plain_slider(name: str, value: float, low: float, high: float, step: float = 0.1) -> Any:
    value = check_slider_value(name, float(value), low, high)
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=name, readout_format=".2f"
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
