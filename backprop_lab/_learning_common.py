"""What chapter 6's explorers share: the colours of their curves, the checks of their
rates, the limits of their loss axes (a private helper module)."""

from __future__ import annotations

from typing import Any

import numpy as np

from backprop_lab.explorer import check_slider_value
from backprop_lab.validation import check_number

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


# ------------------------------------------------------------------ helpers
