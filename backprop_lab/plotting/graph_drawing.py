"""A computational graph drawn with its numbers, in matplotlib alone (chapter 3).

:func:`draw_graph` draws the graph of :class:`~backprop_lab.calc.autodiff.Value` objects below
a result: one box per Value with its label, its number (``data``) and its gradient
(``grad``), one circle per operation between the box of its inputs and the box of its
result, and arrows in the direction the numbers flow in the forward pass. The gradients
flow back along the same arrows.

The layout is layered, left to right: a computed Value sits one column right of the
deepest of its inputs, so the result ends in the last column; a leaf sits just left of
the first operation that uses it. Within a column the Values are ordered and spaced so
that arrows run as straight as they can (a few sweeps of the barycentre heuristic).
No Graphviz is needed, and nothing global in matplotlib is changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backprop_lab.calc.autodiff import Value
from backprop_lab.checks.arguments import check_integer, check_positive_number
from backprop_lab.plotting.figures import new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation, Text

__all__ = ["MAX_NODES", "GraphDrawing", "box_text", "draw_graph", "graph_layout", "op_symbol"]

MAX_NODES = 150
"""The most Values :func:`draw_graph` draws; a larger graph is refused as unreadable."""

LEAF_COLOR = "#deebf7"
COMPUTED_COLOR = "#f2f2f2"
RESULT_COLOR = "#fdd0a2"
HIGHLIGHT_COLOR = "#d6604d"
_ARROW_COLOR = "0.45"
_COLUMN_INCHES = 1.2
_ROW_INCHES = 0.62
_OP_OFFSET = 0.47  # an operation's circle sits this far left of its result's box
_SYMBOLS = {"*": "×", "-": "−", "/": "÷", "neg": "−x", "sigmoid": "σ"}


@dataclass
class GraphDrawing:
    """What :func:`draw_graph` drew, so a chapter or a test can read or restyle it.

    Attributes
    ----------
    ax : Axes
    boxes : dict
        Value -> the :class:`~matplotlib.text.Text` of its box (label, data, grad).
    ops : dict
        Computed Value -> the :class:`~matplotlib.text.Text` of the circle of the
        operation that made it.
    arrows : list of Annotation
        Every arrow, inputs to operations and operations to results.
    positions : dict
        Value -> ``(column, row)`` of its box in data coordinates.
    highlighted : list of Value
        The Values on a path from a highlighted Value to the result.
    """

    ax: Axes
    boxes: dict[Value, Text] = field(default_factory=dict)
    ops: dict[Value, Text] = field(default_factory=dict)
    arrows: list[Annotation] = field(default_factory=list)
    positions: dict[Value, tuple[float, float]] = field(default_factory=dict)
    highlighted: list[Value] = field(default_factory=list)

    @property
    def figure(self) -> Figure:
        return self.ax.figure

    def __repr__(self) -> str:
        return (
            f"GraphDrawing({len(self.boxes)} values, {len(self.ops)} operations, "
            f"{len(self.arrows)} arrows)"
        )


def _check_value(value: Any) -> Value:
    if not isinstance(value, Value):
        raise TypeError(
            f"value must be a backprop_lab.Value (the result whose graph to draw); "
            f"got {type(value).__name__}"
        )
    return value


def graph_layout(value: Value, *, max_nodes: int = MAX_NODES) -> dict[Value, tuple[float, float]]:
    """Where :func:`draw_graph` puts each Value: ``(column, row)``, result in the last column.

    Parameters
    ----------
    value : Value
        The result; every Value it was computed from is placed.
    max_nodes : int
        Refuse (``ValueError``) a graph with more Values than this.
    """
    value = _check_value(value)
    max_nodes = check_integer("max_nodes", max_nodes, minimum=1)
    nodes = value.topological_order()
    if len(nodes) > max_nodes:
        raise ValueError(
            f"value's graph has {len(nodes)} Values; draw_graph draws at most {max_nodes} "
            "readably. Draw a smaller part: make an intermediate result a leaf, e.g. "
            "Value(v.data, label=...), and build the rest from it"
        )
    users: dict[Value, list[Value]] = {node: [] for node in nodes}
    for node in nodes:
        for child in dict.fromkeys(node.children):
            users[child].append(node)

    # columns: a computed Value one right of its deepest input; a leaf just left of its
    # first use (the result, if it is a leaf itself, in column 0)
    column: dict[Value, int] = {}
    for node in nodes:
        column[node] = 1 + max((column[c] for c in node.children), default=-1)
    for node in nodes:
        if node.is_leaf and users[node]:
            column[node] = min(column[u] for u in users[node]) - 1
    n_columns = max(column.values()) + 1
    columns: list[list[Value]] = [[] for _ in range(n_columns)]
    for node in nodes:  # topological order keeps the inputs of one operation together
        columns[column[node]].append(node)

    # rows: start stacked, then move each Value towards the mean row of its neighbours,
    # keeping one row between neighbours in a column (alternating sweeps)
    row: dict[Value, float] = {}
    for members in columns:
        for i, node in enumerate(members):
            row[node] = (len(members) - 1) / 2 - i
    neighbours = {node: list(dict.fromkeys(node.children)) + users[node] for node in nodes}
    for sweep in range(8):
        order = range(n_columns) if sweep % 2 == 0 else range(n_columns - 1, -1, -1)
        for c in order:
            members = columns[c]
            wanted = {
                node: (
                    sum(row[n] for n in neighbours[node]) / len(neighbours[node])
                    if neighbours[node]
                    else row[node]
                )
                for node in members
            }
            members.sort(key=lambda node: -wanted[node])
            placed = [wanted[members[0]]]
            for node in members[1:]:
                placed.append(min(wanted[node], placed[-1] - 1.0))
            shift = sum(wanted.values()) / len(members) - sum(placed) / len(members)
            for node, y in zip(members, placed):
                row[node] = y + shift
    return {node: (float(column[node]), row[node]) for node in nodes}


def _number(x: float, digits: int) -> str:
    return f"{x:.{digits}g}"


def box_text(value: Value, digits: int = 4) -> str:
    """The text of a Value's box: its label (if any), ``data ...`` and ``grad ...``."""
    lines = [] if value.label is None else [value.label]
    lines += [f"data {_number(value.data, digits)}", f"grad {_number(value.grad, digits)}"]
    return "\n".join(lines)


def op_symbol(op: str) -> str:
    """How an operation's circle shows :attr:`Value.op`: ``"*"`` as ×, ``"sigmoid"`` as σ.

    ``"-"`` and ``"/"`` show as − and ÷, ``"neg"`` as −x, a power ``"**2"`` as x², any
    other operation (``"+"``, ``"exp"``, ``"log"``, ``"tanh"``, ``"relu"``) by its name.
    """
    if op.startswith("**"):
        exponent = op[2:]
        return f"$x^{{{exponent}}}$"
    return _SYMBOLS.get(op, op)


def _on_paths(nodes: list[Value], sources: set[Value]) -> set[Value]:
    """Every Value computed, directly or not, from one of ``sources`` (and the sources)."""
    reached: set[Value] = set()
    for node in nodes:  # topological order: children first
        if node in sources or any(c in reached for c in node.children):
            reached.add(node)
    return reached


def draw_graph(
    value: Value,
    *,
    ax: Axes | None = None,
    highlight: Value | Iterable[Value] | None = None,
    digits: int = 4,
    fontsize: float = 7.5,
    max_nodes: int = MAX_NODES,
) -> GraphDrawing:
    """Draw the computational graph below ``value``, with every number and gradient (ch. 3).

    Each Value is a box holding its ``label`` (when it has one), its ``data`` and its
    ``grad``; each operation (:attr:`Value.op`: ``*``, ``+``, ``sigmoid``, ...) is a circle
    between the boxes of its inputs and the box of its result. Leaves are blue, the
    result orange. The gradients are those the Values hold: call ``value.backward()``
    first to see :math:`\\partial\\,\\text{value}/\\partial v` in every box.

    Parameters
    ----------
    value : Value
        The result, e.g. the loss :math:`E`.
    ax : Axes, optional
        Where to draw; by default a new figure sized to the graph (about 1.2 inches per
        column and 0.6 per row).
    highlight : Value or iterable of Value, optional
        Colour every arrow on a path from these Values to the result: for one weight,
        the chain-rule path of :math:`\\partial E / \\partial w`.
    digits : int
        Significant digits of the numbers.
    fontsize : float
        Font size of the boxes, in points.
    max_nodes : int
        Refuse a graph of more Values than this (default 150), which would be unreadable.

    Returns
    -------
    GraphDrawing
        ``.ax``, and the box, circle and arrows of every Value.
    """
    max_nodes = check_integer("max_nodes", max_nodes, minimum=1)
    digits = check_integer("digits", digits, minimum=1)
    if digits > 17:
        raise ValueError(f"digits must be an integer from 1 to 17; got {digits}")
    fontsize = check_positive_number("fontsize", fontsize)
    layout = graph_layout(value, max_nodes=max_nodes)
    nodes = list(layout)
    sources: set[Value] = set()
    if highlight is not None:
        if isinstance(highlight, str) or not isinstance(highlight, Value | Iterable):
            raise TypeError(
                "highlight must be a Value of the graph or a list of them; "
                f"got {type(highlight).__name__} {highlight!r}"
            )
        given = [highlight] if isinstance(highlight, Value) else list(highlight)
        for item in given:
            if not isinstance(item, Value) or item not in layout:
                raise ValueError(
                    "highlight must be Values of the graph being drawn; "
                    f"got {item!r}, which is not in it"
                )
        sources = set(given)
    on_path = _on_paths(nodes, sources)

    n_columns = int(max(x for x, _ in layout.values())) + 1
    rows = [y for _, y in layout.values()]
    if ax is None:
        height = max(rows) - min(rows) + 1
        ax = new_axes(
            None, (0.2 + _COLUMN_INCHES * n_columns, 0.2 + _ROW_INCHES * max(height, 1.5))
        )
        ax.set_position((0.0, 0.0, 1.0, 1.0))  # our own figure: no margins around the graph
    else:
        ax = new_axes(ax)
    drawing = GraphDrawing(
        ax=ax, positions=dict(layout), highlighted=[n for n in nodes if n in on_path]
    )

    for node in nodes:
        x, y = layout[node]
        color = RESULT_COLOR if node is value else LEAF_COLOR if node.is_leaf else COMPUTED_COLOR
        drawing.boxes[node] = ax.text(
            x,
            y,
            box_text(node, digits),
            ha="center",
            va="center",
            fontsize=fontsize,
            linespacing=1.15,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": color, "edgecolor": "0.35"},
        )
        if not node.is_leaf:
            drawing.ops[node] = ax.text(
                x - _OP_OFFSET,
                y,
                op_symbol(node.op),
                ha="center",
                va="center",
                fontsize=fontsize if len(node.op) <= 3 else fontsize * 0.85,
                fontweight="bold",
                bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white", "edgecolor": "0.35"},
            )

    def arrow(start: Text, end: Text, highlighted: bool) -> None:
        drawing.arrows.append(
            ax.annotate(
                "",
                xy=end.get_position(),
                xytext=start.get_position(),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": HIGHLIGHT_COLOR if highlighted else _ARROW_COLOR,
                    "linewidth": 1.6 if highlighted else 0.8,
                    "shrinkA": 1,
                    "shrinkB": 1,
                    "patchA": start.get_bbox_patch(),
                    "patchB": end.get_bbox_patch(),
                },
            )
        )

    for node in nodes:
        if node.is_leaf:
            continue
        circle = drawing.ops[node]
        for child in dict.fromkeys(node.children):  # a * a: one arrow
            arrow(drawing.boxes[child], circle, child in on_path)
        arrow(circle, drawing.boxes[node], node in on_path)

    ax.set_xlim(-0.65, n_columns - 0.35)
    ax.set_ylim(min(rows) - 0.7, max(rows) + 0.7)
    ax.set_axis_off()
    return drawing
