"""Static pictures of the explorers for the website (issue 15: a reader without
JavaScript, or printing, still sees each explorer's starting picture).

While the site is built, each explorer displays after its widget a place for its picture,
``<div class="bpl-fallback" data-bpl-view="MODEL_ID">`` holding its ``<noscript>`` note
(``LiveExplorer.fallback_html``). As Sphinx writes the page, :func:`add_pictures` draws
each view's starting picture there: the view's own ES module (its saved ``_esm``) runs
under Node on its saved model state (``tools/fallback/render_views.mjs``) in a small DOM
whose canvas records SVG (``tools/fallback/svg_canvas.mjs``), at a desktop column's width,
then redrawn at a phone's as the page redraws when its column narrows. The page shows the
one for its width until the live explorer is there (``tools/site_static/backprop-lab.css``),
so a reader also sees the picture while the widgets load.

The picture must say what the explorer says: the view's status line under Node must be
the Python explorer's (the ``<noscript>`` note gives it); a difference, or a view that
cannot be drawn, is a :class:`FallbackError`, which stops the build.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

RENDERER = Path(__file__).resolve().parent / "fallback" / "render_views.mjs"

PLACE = re.compile(
    r'<div class="bpl-fallback" data-bpl-view="(?P<model>[0-9a-zA-Z_-]+)">(?P<inside>.*?)</div>',
    re.S,
)
NOSCRIPT_STATUS = re.compile(r'<p class="bpl-noscript">.*?<em>(?P<status>.*?)</em></p>', re.S)

WIDTHS = {"wide": 800, "narrow": 360}
"""CSS pixels of the two pictures: about the book's text column on a desktop, and on a
390 px phone (where the live views stack their panels, as they do below 560 px)."""


class FallbackError(RuntimeError):
    """An explorer's static picture could not be drawn, or says something else than the
    explorer."""


def places(body: str) -> list[str]:
    """The view model ids of the picture places in a page's HTML ``body``, in page order."""
    return [match["model"] for match in PLACE.finditer(body)]


def draw(views: list[dict[str, Any]], *, node: str | None = None) -> list[dict[str, Any]]:
    """Run the renderer on ``views`` ({key, esm, state, widths} each: the view is computed
    once and drawn at each width); its answers in order."""
    node = node or shutil.which("node")
    if node is None:
        raise FallbackError("fallback_pictures: Node is needed to draw the explorers' pictures")
    result = subprocess.run(
        [node, str(RENDERER)],
        input=json.dumps(views),
        capture_output=True,
        text=True,
        check=False,
        cwd=RENDERER.parent,
    )
    if result.returncode != 0:
        raise FallbackError(f"fallback_pictures: the renderer failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def add_pictures(body: str, saved: dict[str, Any], *, page: str = "") -> str:
    """``body`` with each picture place filled with its view's starting pictures.

    ``saved`` is the page's widget state (``{"state": {model_id: {"state": {...}}}}``).
    """
    wanted = places(body)
    if not wanted:
        return body
    models = saved.get("state", {})
    views = []
    for model_id in dict.fromkeys(wanted):
        model = models.get(model_id)
        if model is None or "_esm" not in model.get("state", {}):
            raise FallbackError(f"{page}: no saved view {model_id} for an explorer's picture")
        state = {k: v for k, v in model["state"].items() if k not in ("_esm", "_css")}
        views.append(
            {
                "key": model_id,
                "esm": model["state"]["_esm"],
                "state": state,
                "widths": list(WIDTHS.values()),
            }
        )
    drawn = {}
    for answer in draw(views):
        if "error" in answer:
            raise FallbackError(
                f"{page}: view {answer['key']} could not be drawn: {answer['error']}"
            )
        drawn[answer["key"]] = answer

    def fill(match: re.Match[str]) -> str:
        model_id, inside = match["model"], match["inside"]
        answer = drawn[model_id]
        said = NOSCRIPT_STATUS.search(inside)
        if said is not None and html.unescape(said["status"]) != answer["status"]:
            raise FallbackError(
                f"{page}: view {model_id} drawn under Node says {answer['status']!r}, "
                f"the explorer {html.unescape(said['status'])!r}"
            )
        parts = []
        for name, svgs in zip(WIDTHS, answer["pictures"], strict=True):
            if not svgs:
                raise FallbackError(f"{page}: view {model_id} drew no picture")
            parts.append(f'<div class="bpl-fallback-{name}">{"".join(svgs)}</div>')
        pictures = "".join(parts)
        return f'<div class="bpl-fallback" data-bpl-view="{model_id}">{pictures}{inside}</div>'

    return PLACE.sub(fill, body)
