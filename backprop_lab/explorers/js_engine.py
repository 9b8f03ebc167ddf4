"""The browser engine's source and how a widget's ES module includes it (chapters 1 to 6).

The explorers compute in the reader's browser with one JavaScript engine,
``backprop_lab/explorers/js/engine.js``: pure functions, no imports, the package's
numbers (see the description at the top of that file). An anywidget's ``_esm`` must be one
self-contained module, so a widget's code is appended after the engine's, joined here when
the widget class is made: what the wheel ships and Binder runs is what the tests ran, with
no build step. The widget code then calls ``forward``, ``train``... directly; it must not
declare names beginning with ``_`` (the engine's private names) nor redeclare an engine
export: such a clash is a SyntaxError when the module loads, never a silent change.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["ENGINE_PATH", "engine_source", "widget_esm"]

ENGINE_PATH = Path(__file__).parent / "js" / "engine.js"
"""Where the engine's source lies (package data)."""


@cache
def engine_source() -> str:
    """The engine's JavaScript source, read once."""
    return ENGINE_PATH.read_text(encoding="utf-8")


def widget_esm(widget_code: str) -> str:
    """One ES module for a widget's ``_esm``: the engine, then ``widget_code``.

    Parameters
    ----------
    widget_code : str
        The widget's own JavaScript (it supplies ``export default {render}``).

    Raises
    ------
    TypeError
        If ``widget_code`` is not a string.
    """
    if not isinstance(widget_code, str):
        raise TypeError(
            f"widget_code must be a string of JavaScript; got {type(widget_code).__name__}"
        )
    return f"{engine_source()}\n// ---- the widget's code, after the engine\n{widget_code}\n"
