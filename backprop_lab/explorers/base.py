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

**On the static website** no kernel runs. When a chapter is executed for the site
(:func:`backprop_lab.textbook.site.building_site`), or when :meth:`Explorer.static_view` is called,
the explorer renders every state that its main controls reach (:meth:`Explorer.static_axes`)
with the same :meth:`update` that draws the live picture, and shows instead a
:class:`StaticView`: a slider (or menu) for each such control whose ``index`` is
``jslink``-ed, in the browser, to a :class:`ipywidgets.Stack` of the precomputed frames
(nested stacks for a second control). Controls that are not precomputed are shown
disabled and say so. In JupyterLab nothing is precomputed unless asked.
"""

from __future__ import annotations

import base64
import html
import io
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.explorers.common import check_slider_value
from backprop_lab.plotting.figures import detached_figure, png_bytes
from backprop_lab.textbook.site import building_site

__all__ = [
    "Explorer",
    "StaticAxis",
    "StaticView",
    "check_slider_value",
    "grid_around",
    "nearest_index",
    "quantized_png",
    "values_with",
]

MAX_STATIC_FRAMES = 400
"""At most this many precomputed frames in one explorer (about 4 MB of page)."""

FIXED_NOTE = "fixed on this page"


def quantized_png(figure: Any, colors: int = 64) -> bytes:
    """A figure drawn and stored with a palette of ``colors`` colours, as the website keeps
    its frames: about a fifth of the bytes of the live picture.

    The figure is drawn on its own canvas (no PNG round trip) and reduced by Pillow's fast
    octree quantisation without dithering, which is deterministic: the same figure always
    gives the same bytes.
    """
    from PIL import Image

    canvas = figure.canvas
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3]
    palette = Image.fromarray(pixels).quantize(
        colors=colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    return buffer.getvalue()


def values_with(default: float, values: Sequence[float], digits: int = 12) -> list[float]:
    """``values`` sorted, with the control's ``default`` among them (for a static axis)."""
    merged = {round(float(v), digits) for v in values} | {round(float(default), digits)}
    return sorted(merged)


def grid_around(default: float, low: float, high: float, step: float) -> list[float]:
    """Every ``default + k * step`` within ``[low, high]``: a coarse grid through the default."""
    below = int((default - low) // step + 1e-9)
    above = int((high - default) // step + 1e-9)
    return [round(default + k * step, 10) for k in range(-below, above + 1)]


def nearest_index(values: Sequence[Any], default: Any) -> int:
    """Where ``default`` is in ``values``, or the nearest number (the frame shown first)."""
    values = list(values)
    if default in values:
        return values.index(default)
    try:
        return min(range(len(values)), key=lambda k: abs(float(values[k]) - float(default)))
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class StaticAxis:
    """One control whose states the static website shows, and which values it takes.

    Parameters
    ----------
    name : str
        The key of the control in :attr:`Explorer.controls`.
    values : sequence or callable
        The control values to precompute, or a function returning them once the outer
        axes are set (e.g. the steps of the parameter chosen by an outer menu).
    labels : sequence of str, optional
        What the site's slider shows for each value (default ``str(value)``).
    description : str, optional
        The site slider's label (default the control's own).
    """

    name: str
    values: Sequence[Any] | Callable[[], Sequence[Any]]
    labels: Sequence[str] | Callable[[Sequence[Any]], Sequence[str]] | None = None
    description: str | None = None

    def resolve(self) -> tuple[list[Any], list[str]]:
        values = list(self.values() if callable(self.values) else self.values)
        if self.labels is None:
            labels = [str(v) for v in values]
        elif callable(self.labels):
            labels = list(self.labels(values))
        else:
            labels = list(self.labels)
        if not values or len(labels) != len(values):
            raise ValueError(f"static axis {self.name!r} needs one label per value")
        return values, labels

    @property
    def dependent(self) -> bool:
        """Whether the values depend on the outer axes (then each outer state has its own)."""
        return callable(self.values)


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
        self._quiet = False
        self.renders = 0
        self.widget: widgets.Box = widgets.VBox()
        self._rows: list[list[widgets.Widget]] = []
        self._outputs: list[widgets.Widget] = []
        self._static_view: StaticView | None = None

    # ------------------------------------------------------------------ building

    def _assemble(self, rows: list[list[widgets.Widget]], extra: list[Any] | None = None) -> None:
        """Lay out control rows, the figure, extra widgets and the status, then draw."""
        self._rows = [list(row) for row in rows]
        self._outputs = [self.image, self._status_widget, *(extra or [])]
        boxes = [widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")) for row in rows]
        self.widget = widgets.VBox([*boxes, *self._outputs])
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
            if self._quiet:
                return
            self._changed(name)
            if not self._holding:
                self.update()

        return callback

    def _changed(self, name: str) -> None:
        """Hook: a control changed (before :meth:`update`); e.g. to adjust other controls.

        Called for every change, inside :meth:`hold` too, so that what one control implies
        for the others (a new menu entry, a new range) is never skipped; changes the hook
        makes itself go through :meth:`_quietly`.
        """

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Change controls from inside the explorer without calling hooks or redrawing."""
        previous, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = previous

    def _apply(self, values: dict[str, Any], redraw: bool = True, live: bool = True) -> None:
        """Set several controls (hooks run for each), then redraw once if ``redraw``
        (:meth:`update` with ``live``)."""
        previous, self._holding = self._holding, True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = previous
        if redraw:
            self.update(live=live)

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

    def update(self, live: bool = True) -> None:
        """Recompute and redraw from the controls' values; never raises.

        ``live=False`` (when the website's frames are precomputed) updates the figure and
        the status but not the PNG of the live picture: :meth:`frame_png` draws the frame.
        """
        # numerical warnings (an overflow in a diverging run) must not clutter the page:
        # the status line says what happened
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                message, level = self._render()
            except Exception as error:  # the reader must see a sentence, not a traceback
                message, level = f"Could not update the picture: {error}", "error"
            if live:
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
        """The live widget (the static view when building the website), with the current
        picture as a PNG for viewers without widgets."""
        shown = self.static_view().widget if building_site() else self.widget
        bundle = dict(shown._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = (
            f"{type(self).__name__}: {self.status} "
            "(interactive in JupyterLab or on Binder: move the controls to explore)"
        )
        if self.image.value:
            bundle["image/png"] = base64.b64encode(bytes(self.image.value)).decode("ascii")
        return bundle

    # ------------------------------------------------------------------ static site

    def static_axes(self) -> list[StaticAxis]:
        """The controls the static website precomputes, outermost first (at most three).

        Subclasses override it; the default precomputes nothing (the site then shows the
        default picture and every control disabled).
        """
        return []

    def frame_png(self) -> bytes:
        """The current picture as the website stores it (:func:`quantized_png`)."""
        return quantized_png(self.figure)

    def _capture(self, shared: dict[Any, Any] | None = None) -> widgets.Widget:
        """The current picture and texts as new widgets: one frame of the static view.

        ``shared`` holds the layout and style models every frame reuses, so that a frame
        adds its picture and texts to the page and little else.
        """
        shared = {} if shared is None else shared

        def one(key: Any, make: Callable[[], Any]) -> Any:
            if key not in shared:
                shared[key] = make()
            return shared[key]

        parts: list[widgets.Widget] = []
        for output in self._outputs:
            if output is self.image:
                layout = one("image", lambda: widgets.Layout(max_width="100%"))
                parts.append(widgets.Image(value=self.frame_png(), format="png", layout=layout))
            else:
                kind = type(output)
                layout = one("text", lambda: widgets.Layout(min_height="1.6em"))
                style = one(kind, lambda kind=kind: kind.class_traits()["style"].klass())
                parts.append(kind(value=output.value, layout=layout, style=style))
        frame = widgets.VBox(parts, layout=one("frame", widgets.Layout))
        frame.add_class("bpl-frame")
        return frame

    def static_view(self, refresh: bool = False) -> StaticView:
        """Render every state of :meth:`static_axes` and link them to sliders, for the website.

        The explorer's controls are back at their values afterwards. The view is built once
        and kept (``refresh=True`` builds it again).

        Raises
        ------
        ValueError
            If the axes would make more than ``MAX_STATIC_FRAMES`` frames.
        """
        if self._static_view is not None and not refresh:
            return self._static_view
        axes = self.static_axes()
        # every control, in order: a hook may reset a later one (a new function's start),
        # which is then set back
        saved = {
            name: control.value
            for name, control in self.controls.items()
            if not isinstance(control, widgets.Button)
        }
        try:
            count = self._count_frames(axes)
            self._apply(saved, redraw=False)
            if count > MAX_STATIC_FRAMES:
                raise ValueError(
                    f"{type(self).__name__}.static_axes() would precompute {count} frames; "
                    f"at most {MAX_STATIC_FRAMES} fit a page"
                )
            self._static_view = StaticView(self, axes, defaults=saved)
        finally:
            self._apply(saved)
        return self._static_view

    def _count_frames(self, axes: list[StaticAxis]) -> int:
        """How many frames the axes make (dependent axes are counted by setting the outer)."""
        if not axes:
            return 1
        head, rest = axes[0], axes[1:]
        values, _ = head.resolve()
        if not any(axis.dependent for axis in rest):
            return len(values) * self._count_frames(rest)
        total = 0
        for value in values:
            self._apply({head.name: value}, redraw=False)  # hooks only: counting draws nothing
            total += self._count_frames(rest)
        return total

    def __repr__(self) -> str:
        values = ", ".join(
            f"{name}={control.value!r}"
            for name, control in self.controls.items()
            if hasattr(control, "value")
        )
        return f"{type(self).__name__}({values})"


def _disabled_twin(control: widgets.Widget) -> widgets.Widget:
    """A disabled copy of a control for the static page, showing its current value."""
    common = {"description": control.description, "disabled": True}
    if isinstance(control, widgets.Dropdown):
        return widgets.Dropdown(options=list(control.options), value=control.value, **common)
    if isinstance(control, widgets.FloatLogSlider):
        keys = ("value", "min", "max", "step", "base", "readout_format")
    elif isinstance(control, widgets.FloatSlider | widgets.IntSlider):
        keys = ("value", "min", "max", "step", "readout_format")
    else:
        return widgets.Text(value=str(control.value), **common)
    return type(control)(**{key: getattr(control, key) for key in keys}, **common)


class StaticView:
    """An explorer's website view: precomputed frames switched by sliders in the browser.

    Built by :meth:`Explorer.static_view`. Each :class:`StaticAxis` becomes a
    :class:`ipywidgets.SelectionSlider` (a :class:`ipywidgets.Dropdown` for a menu) whose
    ``index`` is ``jslink``-ed to the ``selected_index`` of a :class:`ipywidgets.Stack`;
    a second axis nests a stack in every child of the first. An axis whose values depend on
    the outer ones gets its own slider inside each outer state; otherwise one slider drives
    every stack of its level. The links live in the saved widget state, so they work in a
    static page with no kernel.

    Attributes
    ----------
    widget : ipywidgets.VBox
        What the page shows.
    frames : dict
        Frame widget by the tuple of value indices, outermost first.
    states : dict
        The control values of each frame, by the same keys.
    sliders : dict
        The site controls of the axes shared by every state, by control name.
    """

    # A Tab renders every frame once, when the page loads; switching shows one and hides
    # the others (a Stack would build the new frame's views on every move: 40 to 80 ms
    # with a typeset explanation, against about 10). The tab bar is hidden by the site's
    # CSS (.bpl-frames).
    container: type = widgets.Tab

    def __init__(
        self, explorer: Explorer, axes: list[StaticAxis], defaults: dict[str, Any] | None = None
    ) -> None:
        self.explorer = explorer
        self.axes = list(axes)
        self.frames: dict[tuple[int, ...], widgets.Widget] = {}
        self.states: dict[tuple[int, ...], dict[str, Any]] = {}
        self.sliders: dict[str, widgets.Widget] = {}
        self.links: list[Any] = []
        self._shared: dict[Any, Any] = {}
        self._defaults = {axis.name: explorer.controls[axis.name].value for axis in self.axes}
        self._defaults.update(defaults or {})
        body = self._level(0, (), {})
        explorer._apply(self._defaults, redraw=False)  # the fixed controls show their values
        self.widget = widgets.VBox([self._note(), *self._control_rows(), body])
        self.widget.add_class("backprop-lab-explorer")
        self.widget.add_class("bpl-static-view")

    # ................................................................ structure

    def _site_control(self, axis: StaticAxis, labels: list[str], index: int) -> widgets.Widget:
        control = self.explorer.controls[axis.name]
        description = axis.description or getattr(control, "description", axis.name)
        if isinstance(control, widgets.Dropdown):
            site = widgets.Dropdown(
                options=list(zip(labels, range(len(labels)))), index=index, description=description
            )
        else:
            if len(set(labels)) != len(labels):
                raise ValueError(f"static axis {axis.name!r} has repeated labels: {labels}")
            site = widgets.SelectionSlider(
                options=labels, index=index, description=description, continuous_update=True
            )
        site.style.description_width = "initial"
        site.add_class(f"bpl-axis-{axis.name}")
        if axis.name == "step":
            site.add_class("bpl-step-slider")
        return site

    def _with_buttons(self, axis: StaticAxis, site: widgets.Widget) -> widgets.Widget:
        """The site control, with previous/next buttons when the explorer has them."""
        if axis.name != "step" or "next" not in self.explorer.controls:
            return site
        buttons = []
        for name, css in (("previous", "bpl-step-previous"), ("next", "bpl-step-next")):
            original = self.explorer.controls[name]
            button = widgets.Button(description=original.description, layout=original.layout)
            button.add_class(css)
            buttons.append(button)
        group = widgets.HBox([site, *buttons], layout=widgets.Layout(flex_flow="row wrap"))
        group.add_class("bpl-step-group")
        return group

    def _default_index(self, axis: StaticAxis, values: list[Any]) -> int:
        return nearest_index(values, self._defaults[axis.name])

    def _level(self, depth: int, key: tuple[int, ...], assignment: dict[str, Any]) -> Any:
        explorer = self.explorer
        if depth == len(self.axes):
            explorer._apply(assignment, live=False)
            frame = explorer._capture(self._shared)
            self.frames[key], self.states[key] = frame, dict(assignment)
            return frame
        axis = self.axes[depth]
        explorer._apply(assignment, redraw=False)
        values, labels = axis.resolve()
        index = self._default_index(axis, values)
        children = [
            self._level(depth + 1, (*key, k), {**assignment, axis.name: value})
            for k, value in enumerate(values)
        ]
        stack = self.container(children, selected_index=index)
        stack.add_class("bpl-frames")
        if axis.dependent:
            site = self._site_control(axis, labels, index)
            self.links.append(widgets.jslink((site, "index"), (stack, "selected_index")))
            group = widgets.VBox([self._with_buttons(axis, site), stack])
            group.add_class("bpl-step-group")
            return group
        if axis.name not in self.sliders:
            self.sliders[axis.name] = self._site_control(axis, labels, index)
        self.links.append(
            widgets.jslink((self.sliders[axis.name], "index"), (stack, "selected_index"))
        )
        return stack

    def _control_rows(self) -> list[widgets.Widget]:
        """The shared sliders, then every other control disabled with a note beside it."""
        explorer = self.explorer
        axis_names = {axis.name for axis in self.axes}
        rows = []
        for axis in self.axes:
            if axis.name in self.sliders:
                rows.append(self._with_buttons(axis, self.sliders[axis.name]))
        fixed = []
        for name, control in explorer.controls.items():
            if name in axis_names or isinstance(control, widgets.Button):
                continue
            twin = _disabled_twin(control)
            twin.style.description_width = "initial"
            note = widgets.HTML(f'<span class="bpl-fixed-note">({FIXED_NOTE})</span>')
            fixed.append(widgets.HBox([twin, note], layout=widgets.Layout(margin="0 1em 0 0")))
        if fixed:
            rows.append(widgets.HBox(fixed, layout=widgets.Layout(flex_flow="row wrap")))
        return rows

    def _note(self) -> widgets.HTML:
        names = [
            getattr(self.explorer.controls[axis.name], "description", axis.name)
            for axis in self.axes
        ]
        live = " and ".join(f"<b>{html.escape(n)}</b>" for n in names)
        others = [
            n
            for n, c in self.explorer.controls.items()
            if n not in {axis.name for axis in self.axes} and not isinstance(c, widgets.Button)
        ]
        if names:
            text = (
                f"On this page the picture follows the {live} "
                f"{'controls' if len(names) > 1 else 'control'}: its {len(self.frames)} "
                "states were computed when the book was built."
            )
        else:
            text = "On this page the picture shows the default setting."
        if others:
            text += (
                " The other controls are fixed here: open the chapter in JupyterLab or on "
                "Binder (the rocket button at the top of the page) to change them."
            )
        note = widgets.HTML(f'<p class="bpl-static-note">{text}</p>')
        return note
