"""What a gradient costs, drawn: forward-pass equivalents against the number of parameters
(chapter 1) and loop against batch timings (chapter 5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from backprop_lab.calc.efficiency import TimingComparison, gradient_cost
from backprop_lab.checks.arguments import (
    check_finite_array,
    describe,
)
from backprop_lab.plotting.drawing import (
    BLUE,
    ORANGE,
    check_ax,
)


def _check_measured(measured: Any) -> None:
    if not isinstance(measured, dict):
        raise TypeError(
            'measured must be a dict {"n_parameters": [...], "central differences": [...], '
            f'"backpropagation": [...]}} or None; got {describe(measured)}'
        )
    if "n_parameters" not in measured:
        raise ValueError(
            f"measured must hold the key 'n_parameters'; got the keys {sorted(measured)!r}"
        )
    points = check_finite_array("measured['n_parameters']", measured["n_parameters"], float)
    for method in ("central differences", "backpropagation"):
        if method in measured:
            values = check_finite_array(f"measured[{method!r}]", measured[method], float)
            if values.shape != points.shape or points.ndim != 1:
                raise ValueError(
                    f"measured[{method!r}] must hold one value per entry of "
                    f"measured['n_parameters'] ({points.shape}); got shape {values.shape}"
                )


def plot_gradient_cost(
    n_parameters: Any, *, ax: Axes, measured: dict[str, Any] | None = None
) -> dict[str, Line2D]:
    """Plot the forward passes one gradient costs against the number of parameters.

    (Chapter 1, "Efficient learning".) Log-log axes: finite differences grow in proportion
    to :math:`P`, backpropagation stays flat.

    Parameters
    ----------
    n_parameters : array_like of int
        The :math:`P` values on the x axis (increasing).
    ax : Axes
    measured : dict, optional
        Measured points to overlay: ``{"n_parameters": [...], "central differences":
        [...], "backpropagation": [...]}`` in forward-pass equivalents.

    Returns
    -------
    dict of str to Line2D
        One line per method (and ``"measured ..."`` entries when given).
    """
    check_ax(ax)
    p = np.asarray(n_parameters)
    if measured is not None:
        _check_measured(measured)
    lines = {}
    styles = {
        "central differences": (ORANGE, "-"),
        "forward differences": (ORANGE, "--"),
        "backpropagation": (BLUE, "-"),
    }
    for method, (colour, style) in styles.items():
        (lines[method],) = ax.plot(p, gradient_cost(p, method), style, c=colour, lw=2, label=method)
    if measured is not None:
        mp = np.asarray(measured["n_parameters"], dtype=float)
        for method in ("central differences", "backpropagation"):
            if method in measured:
                (lines[f"measured {method}"],) = ax.plot(
                    mp,
                    np.asarray(measured[method], dtype=float),
                    "o",
                    c=styles[method][0],
                    ms=6,
                    label=f"{method} (measured)",
                )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of parameters $P$")
    ax.set_ylabel("cost of one gradient (forward passes)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return lines


def plot_timings(results: Sequence[TimingComparison], ax: Axes | None = None) -> dict[str, Any]:
    """Time per gradient against batch size, loop and vectorised, on log axes (chapter 5).

    Parameters
    ----------
    results : sequence of TimingComparison
        For example from :func:`timings_by_samples`.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if omitted.

    Returns
    -------
    dict
        ``"ax"``, the ``"loop"`` and ``"vectorised"`` lines, and the ``"labels"`` (ratio
        annotations).
    """
    if isinstance(results, TimingComparison):
        results = [results]
    if not isinstance(results, Sequence) or not results:
        raise TypeError(f"results must be a non-empty list of TimingComparison; got {results!r}")
    for position, item in enumerate(results):
        if not isinstance(item, TimingComparison):
            raise TypeError(
                f"results[{position}] must be a TimingComparison; got {type(item).__name__}"
            )
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6.4, 4.0))
    ordered = sorted(results, key=lambda r: r.n_samples)
    sizes = np.array([r.n_samples for r in ordered])
    loop_ms = np.array([r.loop_seconds for r in ordered]) * 1e3
    vec_ms = np.array([r.vectorised_seconds for r in ordered]) * 1e3
    (loop_line,) = ax.plot(sizes, loop_ms, "o-", color="tab:red", label="per-sample Python loop")
    (vec_line,) = ax.plot(sizes, vec_ms, "s-", color="tab:blue", label="vectorised (one batch)")
    labels = []
    for size, top, bottom, result in zip(sizes, loop_ms, vec_ms, ordered):
        ax.plot([size, size], [bottom, top], color="0.6", linewidth=0.8, linestyle=":")
        labels.append(
            ax.annotate(
                f"×{result.ratio:.0f}",
                (size, float(np.sqrt(top * bottom))),
                xytext=(4, 0),
                textcoords="offset points",
                ha="left",
                va="center",
                fontsize=9,
                color="0.25",
            )
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(sizes.min() / 1.5, sizes.max() * 2.0)
    ax.set_xlabel("samples in the batch")
    ax.set_ylabel("time for all gradients (ms)")
    ax.set_title("One backward pass: loop over samples vs. matrix products")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper left")
    return {"ax": ax, "loop": loop_line, "vectorised": vec_line, "labels": labels}
