"""Keep in a built page only the widget state its displayed widgets need.

When a chapter is executed for the website, nbclient saves the state of every widget the
kernel still holds into the notebook's metadata, and myst-nb writes all of it into the
page (``<script type="application/vnd.jupyter.widget-state+json">``). A chapter also
makes explorers that no reader sees: hidden cells (``remove-cell``) that check an
explorer's numbers, ``with`` blocks that close one after a check. Closing removes a widget
from the kernel, not from what nbclient has already recorded, so each such explorer still
costs its page its whole state: an anywidget carries its own copy of the browser engine
(110-150 KB), and its sliders, layouts and links come with it.

A page needs the models its widget views show and what those reach:

- a model reaches every model its state names as ``"IPY_MODEL_<id>"`` (children, layout,
  style, a slider's description style...), anywhere in nested lists and dicts;
- an Output widget reaches the models of the views in its ``outputs`` (``{"model_id":
  <id>}`` in a widget-view bundle);
- a link (``jslink``: ``LinkModel``/``DirectionalLinkModel``) is named by nobody; it is
  kept when every model it names is kept, so the page's sliders still drive its pictures.

Everything else is dropped. :func:`prune_widget_state` does this to the saved state;
``tools/sphinx_site.py`` applies it to each page as Sphinx writes it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

MODEL_REFERENCE = re.compile(r"^IPY_MODEL_([0-9A-Za-z_-]+)$")
VIEW_SCRIPT = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-view\+json">(.*?)</script>', re.S
)
LINK_MODELS = frozenset({"LinkModel", "DirectionalLinkModel"})


def referenced_models(value: Any) -> Iterator[str]:
    """The model ids a widget's state names: ``IPY_MODEL_`` strings and view bundles."""
    if isinstance(value, str):
        match = MODEL_REFERENCE.match(value)
        if match:
            yield match.group(1)
    elif isinstance(value, dict):
        model_id = value.get("model_id")
        if isinstance(model_id, str) and "version_major" in value:
            yield model_id
        for item in value.values():
            yield from referenced_models(item)
    elif isinstance(value, list):
        for item in value:
            yield from referenced_models(item)


def reachable_models(models: dict[str, Any], shown: Iterable[str]) -> set[str]:
    """Every model id in ``models`` reached from the ``shown`` ones (themselves included).

    Ids that are shown or named but absent from ``models`` are left out: the page cannot
    draw them either way.
    """
    kept: set[str] = set()
    waiting = [model_id for model_id in shown if model_id in models]
    while waiting:
        model_id = waiting.pop()
        if model_id in kept:
            continue
        kept.add(model_id)
        state = models[model_id].get("state", {})
        waiting.extend(ref for ref in referenced_models(state) if ref in models)
    return kept


def prune_widget_state(saved: dict[str, Any], shown: Iterable[str]) -> dict[str, Any]:
    """Return ``saved`` (a widget-state+json document) with only what ``shown`` needs.

    Parameters
    ----------
    saved
        The document nbclient saves: ``{"version_major", "version_minor", "state": {id:
        {"model_name", "model_module", "model_module_version", "state"}}}``.
    shown
        The model ids of the widget views on the page.

    Returns
    -------
    dict
        A new document with the same versions and the kept models, in their saved order.
    """
    models = saved.get("state", {})
    if not isinstance(models, dict):
        raise ValueError(
            "saved: expected a widget-state document whose 'state' maps model ids to "
            f"models, got 'state' of type {type(models).__name__}"
        )
    kept = reachable_models(models, shown)
    for model_id, model in models.items():
        if model.get("model_name") in LINK_MODELS and model_id not in kept:
            ends = set(referenced_models(model.get("state", {})))
            if ends and ends <= kept:
                kept.add(model_id)
    pruned = {key: value for key, value in saved.items() if key != "state"}
    pruned["state"] = {model_id: model for model_id, model in models.items() if model_id in kept}
    return pruned


def shown_models(body: str) -> list[str]:
    """The model ids of the widget-view scripts in a page's HTML ``body``, in page order."""
    shown = []
    for text in VIEW_SCRIPT.findall(body):
        try:
            view = json.loads(text)
        except ValueError:
            continue
        if isinstance(view, dict) and isinstance(view.get("model_id"), str):
            shown.append(view["model_id"])
    return shown
