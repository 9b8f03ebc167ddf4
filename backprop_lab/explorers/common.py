"""What the explorers share: number formats for slider readouts, the neuron sliders, the
colours of chapter 6's curves, the checks of their rates, the limits of their loss axes."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.checks.arguments import check_number
from backprop_lab.explorers.base import check_slider_value

TRAIN_COLOR = "#2166ac"
VALIDATION_COLOR = "#e08214"
REFERENCE_COLOR = "0.55"


def _rate(argument: str, value: Any, low: float, high: float) -> float:
    value = check_number(argument, value, minimum=0.0 if low == 0 else None)
    return check_slider_value(argument, float(value), low, high)


def _loss_axis_limits(ax: Any, *series: np.ndarray) -> None:
    """A log loss axis that shows every finite positive value of ``series``."""
    values = np.concatenate([np.asarray(s, dtype=float).ravel() for s in series])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        low, high = float(values.min()), float(values.max())
        ax.set_ylim(low / 1.5, high * 1.5)


def two_places(values: Any) -> list[str]:
    return [f"{v:.2f}" for v in values]


def significant(values: Any) -> list[str]:
    return [f"{v:.2g}" for v in values]


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
