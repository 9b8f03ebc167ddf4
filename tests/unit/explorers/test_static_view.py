"""The explorers' website views: every precomputed frame is what the live explorer draws.

On the static site no kernel runs, so each explorer renders the states of its main
controls when the chapter is executed for the site, and the browser switches between them
through ``jslink``-ed sliders and stacks (tests/integration/test_site.py moves them in Chromium).
"""

from __future__ import annotations

import ipywidgets as widgets
import pytest

import backprop_lab as bl
from backprop_lab.explorers.base import MAX_STATIC_FRAMES, StaticAxis, grid_around, values_with

# The site builds the chapters' full grids (checked in the browser by
# tests/integration/test_site.py);
# here each explorer's own axes, trimmed to a few values so that every frame can be redrawn.
EXPLORERS = {
    "forward": bl.ForwardStepper,
    "backprop": bl.BackpropStepper,
}


@pytest.fixture(scope="module", params=list(EXPLORERS))
def built(request):
    explorer = EXPLORERS[request.param]()
    before = {name: c.value for name, c in explorer.controls.items() if hasattr(c, "value")}
    png, status = explorer.png, explorer._status_widget.value
    view = explorer.static_view()
    return request.param, explorer, view, before, png, status


def frame_parts(frame):
    image, status, *rest = frame.children
    return bytes(image.value), status.value, [w.value for w in rest]


def test_controls_and_picture_are_restored_after_precomputing(built):
    _, explorer, _, before, png, status = built
    after = {name: c.value for name, c in explorer.controls.items() if hasattr(c, "value")}
    assert after == before
    assert explorer.png == png and explorer._status_widget.value == status


@pytest.mark.slow
def test_every_frame_is_what_the_live_explorer_draws_in_that_state(built):
    name, explorer, view, *_ = built
    keys = sorted(view.frames)
    defaults = {axis.name: explorer.controls[axis.name].value for axis in view.axes}
    for key in keys:
        explorer._apply(view.states[key])
        image, status, extra = frame_parts(view.frames[key])
        assert image == explorer.frame_png(), (name, view.states[key])
        assert status == explorer._status_widget.value
        assert extra == [w.value for w in explorer._outputs[2:]]
    explorer._apply(defaults)


def test_frames_differ_where_the_state_differs(built):
    _, _, view, *_ = built
    images = [frame_parts(f)[0] for f in view.frames.values()]
    statuses = [frame_parts(f)[1] for f in view.frames.values()]
    assert len(set(statuses)) > len(statuses) // 2
    assert len(set(images)) > len(images) // 2


def _links(view):
    return {(link.source[0].model_id, link.target[0].model_id) for link in view.links}


def test_each_stack_is_linked_to_the_slider_of_its_axis(built):
    view = built[2]
    links = _links(view)
    stacks = []

    def walk(widget):
        if "bpl-frames" in getattr(widget, "_dom_classes", ()):
            stacks.append(widget)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(view.widget)
    assert stacks and all(any(t == s.model_id for _, t in links) for s in stacks)
    for link in view.links:  # slider index and stack index agree at the start
        assert link.source[0].index == link.target[0].selected_index


def test_the_default_state_is_the_frame_shown_first(built):
    view, status = built[2], built[5]
    widget = view.widget.children[-1]
    while not widget._dom_classes or "bpl-frame" not in widget._dom_classes:
        if "bpl-frames" in getattr(widget, "_dom_classes", ()):
            widget = widget.children[widget.selected_index]
        else:
            widget = widget.children[-1]
    assert frame_parts(widget)[1] == status


def test_controls_that_are_not_precomputed_are_disabled_and_say_so(built):
    _, explorer, view, *_ = built
    axis_names = {axis.name for axis in view.axes}
    fixed = [
        n
        for n, c in explorer.controls.items()
        if n not in axis_names and not isinstance(c, widgets.Button)
    ]
    texts = []

    def walk(widget):
        if isinstance(widget, widgets.HBox) and len(widget.children) == 2:
            twin, note = widget.children
            if isinstance(note, widgets.HTML) and "fixed on this page" in note.value:
                assert twin.disabled
                texts.append(twin.description)
        for child in getattr(widget, "children", ()):
            walk(child)

    walk(view.widget)
    assert sorted(texts) == sorted(explorer.controls[n].description for n in fixed)
    note = view.widget.children[0].value
    assert f"{len(view.frames)} states" in note
    if fixed:
        assert "JupyterLab or on Binder" in note


def test_nothing_is_precomputed_in_jupyterlab(monkeypatch):
    monkeypatch.delenv("BACKPROP_LAB_SITE", raising=False)
    explorer = bl.ForwardStepper()
    bundle = explorer._repr_mimebundle_()
    assert explorer._static_view is None
    assert (
        bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == explorer.widget.model_id
    )


def test_the_site_build_shows_the_static_view(monkeypatch):
    monkeypatch.setenv("BACKPROP_LAB_SITE", "1")
    explorer = bl.ForwardStepper()
    bundle = explorer._repr_mimebundle_()
    view = explorer._static_view
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id
    assert len(view.frames) == explorer.n_steps + 1


def test_backprop_stepper_gives_each_parameter_its_own_steps():
    stepper = bl.BackpropStepper()
    view = stepper.static_view()
    names = stepper.controls["param"].options
    for k, name in enumerate(names):
        steps = [key[1] for key in view.frames if key[0] == k]
        chain = bl.chain_rule(stepper.net, stepper.x, stepper.y, name)
        assert steps == list(range(len(chain.factors) + 1))


def test_too_many_frames_are_refused():
    explorer = bl.ForwardStepper()
    explorer.static_axes = lambda: [StaticAxis("step", list(range(MAX_STATIC_FRAMES + 1)))]
    with pytest.raises(ValueError, match=f"{MAX_STATIC_FRAMES + 1} frames"):
        explorer.static_view()


def test_grids_go_through_the_default():
    assert grid_around(0.5, -5, 5, 1.0) == [-4.5 + k for k in range(10)]
    assert grid_around(1.0, -5, 5, 1.0) == [float(k) for k in range(-5, 6)]
    assert values_with(0.3, [0.1, 1.0]) == [0.1, 0.3, 1.0]
    assert values_with(1.0, [0.1, 1.0]) == [0.1, 1.0]


# --- several controls changed at once (hold) -------------------------------------------


def test_backprop_stepper_in_hold_shows_the_chain_its_menu_names():
    stepper = bl.BackpropStepper()
    with stepper.hold():
        stepper.controls["param"].value = "W2[1,1]"
        stepper.controls["step"].value = 2
    assert stepper.chain.param == "W2[1,1]"
    assert stepper.status.startswith(f"Step 2 of {stepper.n_steps}")
