"""The matrix form of a layer, :math:`Z = AW + b`, drawn with its shapes (chapter 2,
"Matrix form")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from backprop_lab.checks.arguments import (
    check_finite_array,
    check_integer,
    describe,
)
from backprop_lab.plotting.drawing import (
    GREY,
    LIGHT,
    Drawing,
    check_ax,
    clear_frame,
)


def draw_matrix_product(
    A: Any,
    W: Any,
    b: Any,
    *,
    ax: Axes,
    names: tuple[str, str, str, str] = ("a^{(0)}", "W^{(1)}", "b^{(1)}", "z^{(1)}"),
    digits: int = 4,
) -> Drawing:
    """Draw :math:`Z = AW + b` as grids of numbers with their shapes (chapter 2).

    Each matrix is a grid of boxes holding its entries, with its name and shape
    ``(rows × columns)`` underneath, so the reader sees why the inner sizes must match and
    that the bias row is added to every row of :math:`AW`.

    Parameters
    ----------
    A : array_like
        Shape ``(n, m)`` or ``(m,)`` (one sample, drawn as one row); at most 6 rows.
    W : array_like
        Shape ``(m, k)``, at most 6 by 6.
    b : array_like
        Shape ``(k,)``.
    ax : Axes
    names : four str
        LaTeX names of :math:`A`, :math:`W`, :math:`b` and the result.
    digits : int
        Significant digits of the entries.

    Returns
    -------
    Drawing
        ``values["Z"]`` is the computed product plus bias.
    """
    check_ax(ax)
    digits = check_integer("digits", digits, minimum=1, maximum=17)
    if (
        isinstance(names, str)
        or not isinstance(names, Sequence)
        or len(names) != 4
        or not all(isinstance(n, str) for n in names)
    ):
        raise TypeError(f"names must be four strings (A, W, b, Z); got {describe(names)}")
    a = check_finite_array("A", A, np.float64)
    a = a[None, :] if a.ndim == 1 else a
    w = check_finite_array("W", W, np.float64)
    bias = check_finite_array("b", b, np.float64)
    if a.ndim != 2 or w.ndim != 2 or a.shape[1] != w.shape[0]:
        raise ValueError(
            f"W must have as many rows as A has columns; got A {a.shape} and W {w.shape}"
        )
    if bias.shape != (w.shape[1],):
        raise ValueError(
            f"b must have shape ({w.shape[1]},) to match W {w.shape}; got {bias.shape}"
        )
    if max(a.shape[0], *w.shape) > 6:
        raise ValueError(f"A and W must be at most 6 by 6 to be drawn; got {a.shape}, {w.shape}")
    z = a @ w + bias
    patches: list[Any] = []
    texts: list[Text] = []
    cell_w, cell_h = 0.95, 0.5
    colours = [LIGHT, "#eef7ea", "#fdebd3", "#f3e8f7"]
    symbols = ["", "×", "+", "="]
    x = 0.0
    top = 0.5 * max(a.shape[0], w.shape[0]) * cell_h
    for k, (matrix, name) in enumerate(zip((a, w, bias[None, :], z), names)):
        if symbols[k]:
            texts.append(ax.text(x + 0.25, 0.0, symbols[k], ha="center", va="center", size=14))
            x += 0.5
        rows, cols = matrix.shape
        y_top = 0.5 * rows * cell_h
        for i in range(rows):
            for j in range(cols):
                patches.append(
                    ax.add_patch(
                        Rectangle(
                            (x + j * cell_w, y_top - (i + 1) * cell_h),
                            cell_w,
                            cell_h,
                            fc=colours[k],
                            ec=GREY,
                            lw=0.8,
                        )
                    )
                )
                texts.append(
                    ax.text(
                        x + (j + 0.5) * cell_w,
                        y_top - (i + 0.5) * cell_h,
                        f"{matrix[i, j]:.{digits}g}",
                        ha="center",
                        va="center",
                        size=8,
                    )
                )
        texts.append(
            ax.text(
                x + 0.5 * cols * cell_w,
                -top - 0.15,
                f"${name}$\n({rows} × {cols})" if k != 2 else f"${name}$\n({cols},)",
                ha="center",
                va="top",
                size=9,
            )
        )
        x += cols * cell_w + 0.1
    ax.set_xlim(-0.1, x + 0.1)
    ax.set_ylim(-top - 0.9, top + 0.1)
    clear_frame(ax)
    return Drawing(ax, patches, texts, {"Z": z})
