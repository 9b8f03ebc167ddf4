"""Explorers that compute in the reader's browser (chapters 1 to 6).

A live explorer has two halves:

- a :class:`BrowserView`, an anywidget whose ES module is the browser engine
  (``js/engine.js``), the shared drawing code (``js/draw.js``), any file of ``js/`` it
  shares with other views (its class's ``_shared_files``) and the explorer's own drawing
  code (``js/<name>.js``), joined into one module when the class is made. It holds
  the explorer's settings as traits and draws on a canvas, in JupyterLab, on Binder and on
  the static website alike;
- ipywidgets controls (sliders, menus) ``jslink``-ed to those traits, so that they move
  the picture in the page with or without a kernel.

:class:`LiveExplorer` puts the two together with the interface every explorer of the book
has: ``controls`` (a dict keyed by parameter name), ``status`` (the line under the picture,
which the browser writes word for word as Python computes it) and display in a notebook.
"""

from __future__ import annotations

import html
import math
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Self

import anywidget
import ipywidgets as widgets
import traitlets

from backprop_lab.explorers.js_engine import widget_esm
from backprop_lab.textbook.site import building_site

__all__ = ["JS_FOLDER", "BrowserView", "LiveExplorer", "view_module", "view_parts"]

JS_FOLDER = Path(__file__).parent / "js"
"""The explorers' JavaScript (package data)."""


def view_parts(name: str) -> list[Path]:
    """The files of ``js/`` that belong to the view ``js/<name>``, in sorted order: its own
    parts, ``<view>.<part>.js`` (e.g. ``playground.worker.js``), one idea each."""
    stem = name.removesuffix(".js")
    return sorted(JS_FOLDER.glob(f"{stem}.*.js"))


@cache
def view_module(name: str, shared: tuple[str, ...] = ()) -> str:
    """The ES module of the view ``js/<name>``: the engine, the drawing code, the files of
    ``js/`` it shares with other views (``shared``, its class's ``_shared_files``), the
    view's parts (:func:`view_parts`), the view."""
    pieces = [(JS_FOLDER / "draw.js").read_text(encoding="utf-8")]
    for path in [*(JS_FOLDER / file for file in shared), *view_parts(name), JS_FOLDER / name]:
        pieces.append(f"// ---- {path.name}\n{path.read_text(encoding='utf-8')}")
    return widget_esm("\n".join(pieces))


_CSS = """
.bpl-live { width: 100%; margin: 0.25rem 0 0.5rem; }
.bpl-live-status {
  font-size: 0.85rem; margin-top: 0.25rem; overflow-wrap: anywhere; min-height: 1.3em;
}
"""


def on_grid(control: widgets.Widget) -> None:
    """Put a slider's value on its step grid, as the page's slider does when it is drawn
    (noUiSlider snaps its start, and ipywidgets reports the snapped value): Python and the
    page then begin from the same number."""
    if isinstance(control, widgets.FloatLogSlider):
        exponent = math.log(control.value) / math.log(control.base)
        steps = round((exponent - control.min) / control.step)
        control.value = control.base ** (control.min + steps * control.step)
    elif isinstance(control, widgets.FloatSlider | widgets.IntSlider):
        steps = round((control.value - control.min) / control.step)
        value = control.min + steps * control.step
        control.value = type(control.value)(round(value, 12))


class BrowserView(anywidget.AnyWidget):
    """The drawing half of a live explorer; subclasses name their ``_view_file`` in ``js/``
    (and in ``_shared_files`` the files of ``js/`` they share with other views, joined
    before it) and declare their settings as synced traits."""

    _view_file: ClassVar[str] = ""
    _shared_files: ClassVar[tuple[str, ...]] = ()
    _css = _CSS
    choices = traitlets.Dict().tag(sync=True)
    """For each menu setting, its options: the trait holds the chosen option's index (the
    one value of a menu that ipywidgets syncs)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        view_file = cls.__dict__.get("_view_file")
        if view_file:
            cls._esm = view_module(view_file, cls._shared_files)
        super().__init_subclass__(**kwargs)


class LiveExplorer:
    """An explorer whose picture is computed and drawn in the browser.

    Subclasses build ``self.controls`` and ``self.view`` in ``__init__``, then call
    :meth:`_assemble` with the rows of controls; they define :attr:`status`.
    """

    def __init__(self) -> None:
        self.controls: dict[str, widgets.Widget] = {}
        self.view: BrowserView | None = None
        self.links: list[widgets.Link] = []
        self.widget: widgets.Box | None = None

    def _link(self, name: str, trait: str | None = None) -> None:
        """Keep the control ``name`` and the view's trait (same name by default) equal, in
        the browser (``jslink``), with or without a kernel. A menu links its ``index`` (the
        value ipywidgets syncs), and the view learns its options in ``choices``."""
        control = self.controls[name]
        control.add_class(f"bpl-control-{name}")  # for the page's tests and styles
        on_grid(control)
        trait = trait or name
        if isinstance(control, widgets.widget_selection._Selection):
            labels = [str(label) for label in control._options_labels]
            self.view.choices = {**self.view.choices, trait: labels}
            link = widgets.jslink((control, "index"), (self.view, trait))
        else:
            setattr(self.view, trait, control.value)
            link = widgets.jslink((control, "value"), (self.view, trait))
        self.links.append(link)

    def _assemble(self, rows: list[list[widgets.Widget]]) -> None:
        boxes = [widgets.HBox(row, layout=widgets.Layout(flex_flow="row wrap")) for row in rows]
        self.widget = widgets.VBox([*boxes, self.view], layout=widgets.Layout(width="100%"))
        self.widget.add_class("bpl-live-explorer")

    @property
    def status(self) -> str:
        """What the picture shows now, in words (the line under it)."""
        raise NotImplementedError

    def values(self) -> dict[str, Any]:
        """The controls' current values, keyed by parameter name."""
        return {name: control.value for name, control in self.controls.items()}

    def close(self) -> None:
        """Close the explorer's widgets (their layouts and styles too).

        A cell that builds an explorer only to check a number closes it (or uses
        ``with``), so that the kernel does not keep its widgets and their copies of the
        engine. (The website does not need it: the executor saves every widget it saw,
        and the site build drops those no shown view reaches, see
        ``docs/architecture.md``.) Its settings and numbers stay readable in Python.
        """
        boxes = list(self.widget.children) if self.widget is not None else []
        for widget in [*self.links, *self.controls.values(), *boxes, self.view, self.widget]:
            if widget is None:
                continue
            for part in (getattr(widget, "layout", None), getattr(widget, "style", None)):
                if isinstance(part, widgets.Widget):
                    part.close()
            widget.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def noscript_html(self) -> str:
        """What the explorer shows now, in words, for a reader without JavaScript.

        On the website every explorer computes in the page; without JavaScript it cannot,
        and this ``<noscript>`` paragraph (shown only then) says so and gives the status
        line of its starting settings.
        """
        return (
            '<noscript><p class="bpl-noscript">This explorer computes and draws in your '
            "browser, which needs JavaScript; with its starting settings it says: "
            f"<em>{html.escape(self.status)}</em></p></noscript>"
        )

    def fallback_html(self) -> str:
        """The place of the explorer's static picture on the website, with its
        ``noscript_html``.

        The site build (``tools/fallback_pictures.py``) draws there the view's starting
        picture, with the view's own code run under Node: a reader sees it while the page
        loads its widgets, without JavaScript, or in print; the page hides it once the
        live explorer is there.
        """
        return (
            f'<div class="bpl-fallback" data-bpl-view="{html.escape(self.view.model_id)}">'
            f"{self.noscript_html()}</div>"
        )

    def _ipython_display_(self) -> None:
        """Show the explorer; when the website is built, also its ``fallback_html``."""
        from IPython.display import HTML, display

        display(self.widget)
        if building_site():
            display(HTML(self.fallback_html()))

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
