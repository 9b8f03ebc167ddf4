"""When to stop: where ``tolerance`` and ``patience`` end a run (chapter 6.6)."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.checks.arguments import check_integer
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import (
    TRAIN_COLOR,
    VALIDATION_COLOR,
    _loss_axis_limits,
    _rate,
    log_slider,
)
from backprop_lab.explorers.overfitting import OverfittingExplorer

__all__ = ["StoppingExplorer"]


class StoppingExplorer(Explorer):
    """Where ``tolerance`` and ``patience`` stop a run (6.6, when to stop).

    The set-up of :class:`OverfittingExplorer` (a 1-20-1 tanh network on 15 noisy points,
    15 more held out) trained three times by ``Network.train``: to ``max_iterations``
    (the grey reference curves), with ``tolerance`` (stops when the training loss has
    converged), and with ``validation`` and ``patience`` (early stopping, which gives the
    network the parameters of the best validation loss back). The markers show where each
    rule stopped and which parameters it kept.

    Parameters
    ----------
    tolerance : float
        Slider from 1e-6 to 1e-2 (log scale).
    patience : int
        Slider from 10 to 2000 iterations (full batch: patience counts updates).
    hidden_units, max_iterations, learning_rate, seed
        As for :class:`OverfittingExplorer`.

    Attributes
    ----------
    controls : dict
        ``"tolerance"``, ``"patience"``.
    converging, early : TrainingHistory
        The runs with ``tolerance`` and with ``patience``.
    reference : TrainingHistory
        The run to ``max_iterations`` with validation.
    """

    figsize = (8.6, 3.3)
    dpi = 72

    def __init__(
        self,
        tolerance: float = 1e-5,
        patience: int = 100,
        *,
        hidden_units: int = 20,
        max_iterations: int = 2000,
        learning_rate: float = 0.2,
        seed: int = 3,
    ) -> None:
        super().__init__()
        tolerance = _rate("tolerance", tolerance, 1e-6, 1e-2)
        patience = check_integer("patience", patience, minimum=1)
        check_slider_value("patience", patience, 10, 2000)
        self.setup = OverfittingExplorer(
            hidden_units,
            0,
            learning_rate=learning_rate,
            max_iterations=max_iterations,
            seed=seed,
        )
        self.max_iterations = self.setup.max_iterations
        self.hidden_units = hidden_units
        self.start, self.reference = self.setup.run(hidden_units)
        self.converging = self.early = None
        c = self.controls
        c["tolerance"] = log_slider(
            "tolerance", tolerance, 1e-06, 0.01, step=0.25, readout_format=".1e"
        )
        c["patience"] = widgets.IntSlider(
            value=patience, min=10, max=2000, step=10, description="patience"
        )
        self.ax = self.figure.subplots()
        self.figure.subplots_adjust(left=0.08, right=0.98, bottom=0.16, top=0.9)
        self._assemble([[c["tolerance"], c["patience"]]])

    STATIC_TOLERANCES = (1e-3, 1e-4, 1e-5, 1e-6)
    STATIC_PATIENCES = (10, 100, 500, 1000)

    def static_axes(self) -> list[StaticAxis]:
        """On the website: four tolerances by four patiences."""
        c = self.controls
        return [
            StaticAxis(
                "tolerance",
                values_with(c["tolerance"].value, self.STATIC_TOLERANCES, digits=12),
                lambda values: [f"{v:.0e}" for v in values],
            ),
            StaticAxis(
                "patience",
                [int(v) for v in values_with(c["patience"].value, self.STATIC_PATIENCES)],
            ),
        ]

    def _train(self, **options: Any) -> Any:
        s = self.setup
        return self.start.copy().train(
            s.train_data.X,
            s.train_data.Y,
            learning_rate=s.learning_rate,
            iterations=self.max_iterations,
            progress=False,
            **options,
        )

    def _render(self) -> tuple[str, str]:
        c = self.controls
        tol, patience = float(c["tolerance"].value), int(c["patience"].value)
        s = self.setup
        val = (s.validation_data.X, s.validation_data.Y)
        self.converging = conv = self._train(tolerance=tol)
        self.early = early = self._train(validation=val, patience=patience)
        ref = self.reference
        ax = self.ax
        ax.clear()
        steps = np.arange(len(ref.loss))
        ax.plot(steps, ref.loss, color=TRAIN_COLOR, lw=1.0, alpha=0.45)
        ax.plot(steps, ref.validation_loss, color=VALIDATION_COLOR, lw=1.0, alpha=0.45)
        ax.plot(
            np.arange(len(conv.loss)),
            conv.loss,
            color=TRAIN_COLOR,
            lw=2.0,
            label="training loss (run with tolerance)",
        )
        ax.plot(
            np.arange(len(early.validation_loss)),
            early.validation_loss,
            color=VALIDATION_COLOR,
            lw=2.0,
            label="validation loss (run with patience)",
        )
        if conv.converged:
            ax.axvline(conv.iterations_run, color=TRAIN_COLOR, ls="--", lw=1.0)
            ax.plot(
                [conv.iterations_run],
                [conv.final_loss],
                "s",
                color=TRAIN_COLOR,
                ms=7,
                label=f"converged: stops at {conv.iterations_run}",
            )
        if early.stopped_early:
            ax.axvline(early.iterations_run, color=VALIDATION_COLOR, ls="--", lw=1.0)
            best = early.best_iteration
            ax.plot(
                [best],
                [early.best_validation_loss],
                "v",
                color=VALIDATION_COLOR,
                ms=8,
                label=f"early stopping: stops at {early.iterations_run}, keeps {best}",
            )
        ax.set_yscale("log")
        _loss_axis_limits(ax, ref.loss, ref.validation_loss)
        ax.set_xlim(-0.01 * self.max_iterations, self.max_iterations * 1.01)
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss $E$")
        ax.set_title(
            f"{self.hidden_units} hidden units; faint: the whole run of {self.max_iterations}",
            fontsize=10,
        )
        ax.legend(fontsize=8, frameon=False, loc="upper right")
        if conv.converged:
            first = (
                f"tolerance {tol:.1e}: converged after {conv.iterations_run} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        else:
            first = (
                f"tolerance {tol:.1e}: not converged within {self.max_iterations} iterations "
                f"(training loss {conv.final_loss:.4g})"
            )
        if early.stopped_early:
            second = (
                f"patience {patience}: stopped at iteration {early.iterations_run}, kept "
                f"iteration {early.best_iteration} (validation loss "
                f"{early.best_validation_loss:.4g})"
            )
        else:
            second = (
                f"patience {patience}: never stopped early; ran all {self.max_iterations} "
                f"iterations (best validation loss {early.best_validation_loss:.4g} at "
                f"{early.best_iteration})"
            )
        return f"{first}; {second}.", "ok"
