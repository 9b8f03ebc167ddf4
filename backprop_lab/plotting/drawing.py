"""What the schematic drawings share (chapters 1 and 2): the :class:`Drawing` record, arrows,
frames and colours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

BLUE = "#1f77b4"
ORANGE = "#ff7f0e"
GREEN = "#2ca02c"
GREY = "#555555"
LIGHT = "#e8f0fa"


@dataclass
class Drawing:
    """What a schematic helper drew, so a caller (or a test) can find it again.

    Attributes
    ----------
    ax : Axes
    patches : list
        Circles, boxes and arrows, in drawing order.
    texts : list of Text
        Every label.
    values : dict
        The numbers the drawing shows (e.g. ``"z"`` and ``"a"`` for a neuron).
    """

    ax: Axes
    patches: list[Any]
    texts: list[Text]
    values: dict[str, Any]

    @property
    def labels(self) -> list[str]:
        """The text of every label, in drawing order."""
        return [t.get_text() for t in self.texts]


def clear_frame(ax: Axes) -> None:
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **kw: Any) -> Any:
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": GREY, "lw": 1.2}
    style.update(kw)
    arrow = FancyArrowPatch(start, end, **style)
    ax.add_patch(arrow)
    return arrow


def check_ax(ax: Any) -> Axes:
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}")
    return ax
