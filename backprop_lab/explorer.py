"""What every interactive explorer of the book shares (chapters 1 to 5).

An explorer is one object holding

- ``controls``: a dict from parameter name to its ipywidgets control, so a test, a chapter
  or a reader can drive it (``explorer.controls["learning_rate"].value = 0.1``);
- ``figure``: a matplotlib figure it owns and redraws in place (pyplot never sees it);
- ``image``: an :class:`ipywidgets.Image` holding that figure as PNG bytes, so the current
  view is part of the widget state and renders in a static page with no kernel;
- ``status``: one sentence about what the reader sees (also shown under the figure);
- ``widget``: the container to display; ``display(explorer)`` or a bare ``explorer`` as
  the last line of a cell shows it.

Callbacks are thin: they call pure functions of the other modules, then :meth:`update`
redraws. Nothing a reader does may raise: an error becomes a status message and the last
good picture stays.
"""

from __future__ import annotations

import base64
import html
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets

from backprop_lab.figures import detached_figure, png_bytes

__all__ = ["Explorer"]

_STATUS_STYLE = {
    "ok": "color:#1b3a57",
    "warning": "color:#8a4b00;font-weight:bold",
    "error": "color:#b2182b;font-weight:bold",
}


class Explorer:
    """Base class of the explorers: controls, an owned figure shown as PNG, a status line.

    Subclasses build their controls, call :meth:`_assemble`, and implement :meth:`_render`,
    which draws on :attr:`figure` and returns ``(message, level)`` with level ``"ok"``,
    ``"warning"`` or ``"error"``.
    """

    figsize: tuple[float, float] = (8.0, 3.4)
    dpi: float = 80

    def __init__(self) -> None:
        self.figure = detached_figure(self.figsize, dpi=self.dpi)
        self.controls: dict[str, widgets.Widget] = {}
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self._status_widget = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self._status = ""
        self._level = "ok"
        self._holding = False
        self.renders = 0
        self.widget: widgets.Box = widgets.VBox()

    # ------------------------------------------------------------------ building

    def _assemble(self, rows: list[list[widgets.Widget]], extra: list[Any] | None = None) -> None:
        """Lay out control rows, the figure, extra widgets and the status, then draw."""
        boxes = [widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")) for row in rows]
        self.widget = widgets.VBox([*boxes, self.image, self._status_widget, *(extra or [])])
        self.widget.add_class("backprop-lab-explorer")
        for name, control in self.controls.items():
            if isinstance(control, widgets.Button):
                continue
            # the whole label ("learning rate", "hidden layers"), not a truncated one
            if hasattr(control.style, "description_width"):
                control.style.description_width = "initial"
            control.observe(self._on_change(name), names="value")
        self.update()

    def _on_change(self, name: str) -> Callable[[dict], None]:
        def callback(change: dict) -> None:
            if not self._holding:
                self._changed(name)
                self.update()

        return callback

    def _changed(self, name: str) -> None:
        """Hook: a control changed (before :meth:`update`); e.g. to adjust other controls."""

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Change several controls at once with a single redraw at the end."""
        previous, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = previous
        if not previous:
            self.update()

    # ------------------------------------------------------------------ drawing

    def _render(self) -> tuple[str, str]:  # pragma: no cover - every explorer overrides it
        raise NotImplementedError

    def update(self) -> None:
        """Recompute and redraw from the controls' values; never raises."""
        # numerical warnings (an overflow in a diverging run) must not clutter the page:
        # the status line says what happened
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                message, level = self._render()
            except Exception as error:  # the reader must see a sentence, not a traceback
                message, level = f"Could not update the picture: {error}", "error"
            try:
                self.image.value = png_bytes(self.figure)
                self.renders += 1
            except Exception as error:
                message, level = f"Could not draw the picture: {error}", "error"
        self._set_status(message, level)

    def _set_status(self, message: str, level: str = "ok") -> None:
        self._status, self._level = message, level
        style = _STATUS_STYLE.get(level, _STATUS_STYLE["ok"])
        self._status_widget.value = f'<span style="{style}">{html.escape(message)}</span>'

    @property
    def status(self) -> str:
        """The status line as plain text."""
        return self._status

    @property
    def status_level(self) -> str:
        """``"ok"``, ``"warning"`` or ``"error"``."""
        return self._level

    @property
    def png(self) -> bytes:
        """The picture currently shown, as PNG bytes."""
        return bytes(self.image.value)

    # ------------------------------------------------------------------ display

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget, with the current picture as a PNG for viewers without widgets."""
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = (
            f"{type(self).__name__}: {self.status} "
            "(interactive in JupyterLab or on Binder: move the controls to explore)"
        )
        if self.image.value:
            bundle["image/png"] = base64.b64encode(bytes(self.image.value)).decode("ascii")
        return bundle

    def __repr__(self) -> str:
        values = ", ".join(
            f"{name}={control.value!r}"
            for name, control in self.controls.items()
            if hasattr(control, "value")
        )
        return f"{type(self).__name__}({values})"
