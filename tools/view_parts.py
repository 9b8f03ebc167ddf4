"""The explorers' ES modules leave the pages for files the whole site shares.

Each explorer's view is an anywidget whose ``_esm`` is one self-contained module: the
engine, the drawing code, the files it shares with other views and its own code (about
110-150 KB, see ``backprop_lab/explorers/live.py``). The executor saves that text into the
page's widget state, once per explorer: chapter 6's six explorers carried six copies of
the engine. As Sphinx writes a page, :func:`split_modules` cuts each module at its pieces'
``// ---- `` headings into parts, writes each part once for the whole site as a small
script ``_static/views/<sha256 prefix>.js`` (``window.bplViewParts[hash] = "..."``), and
leaves in the state ``bpl-view-parts:<hash> <hash> ...``. The page loads those scripts
(deferred, so they have run by DOMContentLoaded) and ``tools/site_static/widgets-setup.js``
joins the parts back into the very same text before the widget manager reads the state:
the module anywidget imports is byte for byte the one the kernel saved, and the reader's
browser keeps each part in its cache from one chapter to the next.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

MARKER = "bpl-view-parts:"
"""How a split module's ``_esm`` begins in the saved state (widgets-setup.js reads it)."""

PIECE = re.compile(r"(?=^// ---- )", re.M)
"""Where a module is cut: before each ``// ---- <piece>`` heading that ``live.view_module``
and ``js_engine.widget_esm`` write between the pieces they join."""

FOLDER = "views"
"""The parts' folder in ``_static``."""


def parts_of(module: str) -> list[str]:
    """``module`` cut before each piece heading; the parts joined are ``module`` again."""
    return [part for part in PIECE.split(module) if part]


def part_name(part: str) -> str:
    """The part's file name: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(part.encode("utf-8")).hexdigest()[:16]


def part_script(name: str, part: str) -> str:
    """The script that hands the page one part (a JSON string is a JavaScript string;
    ``</`` is escaped as in a page's inline scripts)."""
    text = json.dumps(part).replace("</", "<\\/")
    return f"(window.bplViewParts = window.bplViewParts || {{}})[{json.dumps(name)}] = {text};\n"


def split_modules(saved: dict[str, Any], static: Path) -> tuple[dict[str, Any], list[str]]:
    """The widget state ``saved`` with every anywidget's module replaced by its parts' names,
    and the parts' script paths relative to ``_static``, in order of first use; each part's
    script is written into ``static / FOLDER`` unless it is there already."""
    folder = static / FOLDER
    scripts: dict[str, None] = {}
    models = {}
    for model_id, model in saved.get("state", {}).items():
        state = model.get("state", {})
        module = state.get("_esm")
        if not isinstance(module, str) or not module:
            models[model_id] = model
            continue
        if module.startswith(MARKER):  # split already: its parts are written
            names = module[len(MARKER) :].split()
        else:
            names = []
            for part in parts_of(module):
                name = part_name(part)
                path = folder / f"{name}.js"
                if not path.exists():
                    folder.mkdir(parents=True, exist_ok=True)
                    path.write_text(part_script(name, part), encoding="utf-8")
                names.append(name)
        scripts.update((f"{FOLDER}/{name}.js", None) for name in names)
        models[model_id] = {**model, "state": {**state, "_esm": MARKER + " ".join(names)}}
    return {**saved, "state": models}, list(scripts)
