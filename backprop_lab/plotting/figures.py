"""Matplotlib plumbing shared by the plots and the explorers, without global state.

- :func:`new_axes`: the ``ax`` a helper was given, or a new pyplot figure's axes.
- :func:`detached_figure`: a figure pyplot does not know about (explorers, animations),
  so it never leaks into ``plt.get_fignums()`` and never shows twice in a notebook.
- :func:`png_bytes`: render a figure to PNG bytes, as the inline backend would.

Nothing here reads or writes ``matplotlib.rcParams``.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "CLASS_COLORS",
    "DIVERGED_COLOR",
    "MULTICLASS_COLORS",
    "detached_figure",
    "finite_losses",
    "losses_of",
    "new_axes",
    "png_bytes",
]

CLASS_COLORS = ("#ca0020", "#0571b0")
"""Colours of class 0 and class 1 (red and blue, matching the ``RdBu`` background)."""

MULTICLASS_COLORS = (
    "#ca0020",
    "#0571b0",
    "#1a9641",
    "#e08214",
    "#7b3294",
    "#01665e",
    "#8c510a",
    "#c51b7d",
)
"""Colours of classes 0 to 7 when there are more than two (the first two as above)."""
DIVERGED_COLOR = "#b2182b"


def new_axes(ax: Any, figsize: tuple[float, float] = (6.0, 4.0)) -> Axes:
    """``ax`` itself, or the axes of a new pyplot figure of ``figsize`` inches.

    A new figure goes through pyplot so that a notebook's inline backend shows it (and
    closes it) at the end of the cell, as readers expect from a plotting call.
    """
    if ax is not None:
        if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
            raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def detached_figure(figsize: tuple[float, float], dpi: float = 100) -> Figure:
    """A figure with its own Agg canvas that pyplot does not track (nothing to close)."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: float | None = None) -> bytes:
    """The figure rendered to PNG bytes (at the figure's own dpi unless ``dpi`` is given)."""
    buffer = BytesIO()
    # light compression: a third of the encoding time for a slightly larger image
    fig.savefig(
        buffer,
        format="png",
        dpi=dpi or fig.dpi,
        facecolor="white",
        pil_kwargs={"compress_level": 1},
    )
    return buffer.getvalue()


def losses_of(history: Any) -> np.ndarray:
    """The loss values of a TrainingHistory, a DescentPath (its ``fx``) or an array."""
    for attribute in ("loss", "fx"):
        values = getattr(history, attribute, None)
        if values is not None and not callable(values):
            return np.asarray(values, dtype=np.float64).ravel()
    try:
        values = np.asarray(history, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise TypeError(
            "history must be a TrainingHistory, a DescentPath or a sequence of numbers; "
            f"got {type(history).__name__}"
        ) from None
    return values


def finite_losses(history: Any) -> tuple[np.ndarray, np.ndarray]:
    """Iterations and losses of a run, keeping only the finite values (nothing NaN to plot)."""
    losses = losses_of(history)
    iterations = np.arange(losses.size)
    keep = np.isfinite(losses)
    return iterations[keep], losses[keep]
