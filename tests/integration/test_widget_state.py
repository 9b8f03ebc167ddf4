"""tools/widget_state.py: a built page keeps only the widget state its views reach.

On small hand-made states (what is kept and why), a property over random widget graphs,
and on the built site: each chapter's saved state is exactly what its views reach, with no
reference left dangling (the explorer tests then move every control of what is left).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_site import site, site_url  # noqa: F401  (fixtures by name)

REPO = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
sys.path.insert(0, str(REPO / "tools"))

import widget_state  # noqa: E402

STATE_SCRIPT = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S
)


def model(name: str, **state) -> dict:
    return {
        "model_name": name,
        "model_module": "@jupyter-widgets/controls",
        "model_module_version": "2.0.0",
        "state": state,
    }


def ref(model_id: str) -> str:
    return f"IPY_MODEL_{model_id}"


def document(**models) -> dict:
    return {"version_major": 2, "version_minor": 0, "state": models}


# A shown box with a slider and a view linked to it; a hidden explorer (its own view,
# slider, link and layout); an Output widget that shows a button.
SAVED = document(
    box=model("HBoxModel", children=[ref("slider"), ref("view")], layout=ref("box_layout")),
    box_layout=model("LayoutModel"),
    slider=model("FloatSliderModel", layout=ref("slider_layout"), style=ref("slider_style")),
    slider_layout=model("LayoutModel"),
    slider_style=model("SliderStyleModel"),
    view=model("AnyModel", _esm="export default {}", layout=ref("view_layout")),
    view_layout=model("LayoutModel"),
    link=model("LinkModel", source=[ref("slider"), "value"], target=[ref("view"), "rate"]),
    hidden_view=model("AnyModel", _esm="export default {}"),
    hidden_slider=model("FloatSliderModel", layout=ref("hidden_layout")),
    hidden_layout=model("LayoutModel"),
    hidden_link=model(
        "LinkModel", source=[ref("hidden_slider"), "value"], target=[ref("hidden_view"), "rate"]
    ),
    half_link=model(
        "LinkModel", source=[ref("slider"), "value"], target=[ref("hidden_view"), "rate"]
    ),
    output=model(
        "OutputModel",
        outputs=[
            {
                "output_type": "display_data",
                "data": {
                    "application/vnd.jupyter.widget-view+json": {
                        "version_major": 2,
                        "version_minor": 0,
                        "model_id": "button",
                    }
                },
            }
        ],
    ),
    button=model("ButtonModel"),
)


def test_keeps_what_the_shown_views_reach_and_links_between_kept_models():
    pruned = widget_state.prune_widget_state(SAVED, ["box"])
    assert list(pruned["state"]) == [
        "box",
        "box_layout",
        "slider",
        "slider_layout",
        "slider_style",
        "view",
        "view_layout",
        "link",
    ]
    assert pruned["version_major"] == 2 and pruned["version_minor"] == 0
    assert pruned["state"]["view"] is SAVED["state"]["view"]


def test_an_output_widget_keeps_the_views_it_shows():
    pruned = widget_state.prune_widget_state(SAVED, ["output"])
    assert set(pruned["state"]) == {"output", "button"}


def test_nothing_shown_keeps_nothing_and_unknown_ids_are_ignored():
    assert widget_state.prune_widget_state(SAVED, [])["state"] == {}
    assert widget_state.prune_widget_state(SAVED, ["not-saved"])["state"] == {}
    everything = widget_state.prune_widget_state(
        SAVED, ["box", "hidden_view", "hidden_slider", "output"]
    )
    assert set(everything["state"]) == set(SAVED["state"])


def test_a_state_that_is_not_a_mapping_is_refused_by_name():
    with pytest.raises(ValueError, match=r"saved: expected .*'state' of type list"):
        widget_state.prune_widget_state({"state": []}, [])


def test_shown_models_reads_the_view_scripts_of_a_page_in_order():
    body = (
        '<p>text</p><script type="application/vnd.jupyter.widget-view+json">'
        '{"version_major": 2, "version_minor": 0, "model_id": "b"}</script>'
        '<script type="application/vnd.jupyter.widget-view+json">not json</script>'
        '<script type="application/vnd.jupyter.widget-view+json">'
        '{"version_major": 2, "version_minor": 0, "model_id": "a"}</script>'
    )
    assert widget_state.shown_models(body) == ["b", "a"]


@st.composite
def widget_graphs(draw):
    """A random saved state: widgets naming earlier or later widgets, and links."""
    count = draw(st.integers(1, 12))
    ids = [f"m{i}" for i in range(count)]
    models = {}
    for model_id in ids:
        if draw(st.booleans()) and count > 1:
            ends = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2))
            models[model_id] = model(
                "LinkModel", source=[ref(ends[0]), "value"], target=[ref(ends[1]), "value"]
            )
        else:
            children = draw(st.lists(st.sampled_from(ids), max_size=3))
            models[model_id] = model("BoxModel", children=[ref(c) for c in children])
    shown = draw(st.lists(st.sampled_from(ids), max_size=3))
    return document(**models), shown


@given(widget_graphs())
def test_pruning_is_closed_under_references_and_idempotent(graph):
    saved, shown = graph
    pruned = widget_state.prune_widget_state(saved, shown)
    kept = pruned["state"]
    assert set(kept) <= set(saved["state"])
    assert {m for m in shown if saved["state"][m]["model_name"] != "LinkModel"} <= set(kept)
    for model_id, kept_model in kept.items():
        names = set(widget_state.referenced_models(kept_model["state"]))
        assert names <= set(kept), f"{model_id} names a dropped model"
    # A dropped non-link model is not reached from a shown one.
    reached = widget_state.reachable_models(saved["state"], shown)
    for model_id in set(saved["state"]) - set(kept):
        assert model_id not in reached
    assert widget_state.prune_widget_state(pruned, shown) == pruned


CHAPTERS = sorted(p.stem for p in (REPO / "book").glob("0*.ipynb"))


def built_chapter(built: Path, chapter: str) -> str:
    """The HTML of a chapter of the built site; skips when that page was not built."""
    page = built / "book" / f"{chapter}.html"
    if not page.is_file():
        pytest.skip(f"{page.name} was not built")
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_built_page_keeps_exactly_what_its_views_reach(site, chapter):  # noqa: F811
    html = built_chapter(site, chapter)
    scripts = STATE_SCRIPT.findall(html)
    shown = widget_state.shown_models(html)
    if not scripts:
        assert not shown, f"{chapter} shows widgets but saved no widget state"
        return
    (saved,) = (json.loads(text) for text in scripts)
    models = saved["state"]
    assert set(shown) <= set(models), f"{chapter}: a shown widget's model is missing"
    for model_id, saved_model in models.items():
        missing = set(widget_state.referenced_models(saved_model["state"])) - set(models)
        assert not missing, f"{chapter}: {model_id} names models the page lacks: {missing}"
    kept = widget_state.prune_widget_state(saved, shown)["state"]
    unreached = Counter(models[m]["model_name"] for m in models if m not in kept)
    assert not unreached, f"{chapter} carries widget state no view reaches: {dict(unreached)}"
