"""The training progress bar of a notebook: an ipywidgets bar and a label (chapter 5).

Importing this module registers :class:`NotebookProgressBar` with
:func:`backprop_lab.nn.progress.use_notebook_view`, so that a long ``Network.train`` in
JupyterLab shows a bar; ``backprop_lab`` imports it on first use inside a kernel.
"""

from __future__ import annotations

from typing import Any

import ipywidgets

from backprop_lab.nn.progress import use_notebook_view

__all__ = ["NotebookProgressBar"]


def _display(widget: Any) -> None:  # a seam for the tests
    from IPython.display import display

    display(widget)


class NotebookProgressBar:
    """A bar and a label for one training run of ``total`` updates."""

    def __init__(self, total: int) -> None:
        self.bar = ipywidgets.IntProgress(value=0, min=0, max=max(total, 1), description="training")
        self.label = ipywidgets.Label(value=f"0 / {total:,} iterations")
        _display(ipywidgets.HBox([self.bar, self.label]))

    def update(self, t: int, text: str) -> None:
        """Show ``t`` updates done and ``text``."""
        self.bar.value = t
        self.label.value = text

    def close(self, history: Any) -> None:
        """Show how the run ended: green, orange when interrupted, red when it diverged."""
        self.bar.value = history.iterations_run
        self.bar.bar_style = (
            "danger" if history.diverged else "warning" if history.interrupted else "success"
        )
        self.label.value = history.message


use_notebook_view(NotebookProgressBar)
