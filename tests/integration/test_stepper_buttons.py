"""The steppers' own buttons on the built site, in headless Chromium with no kernel: "next"
and "previous" (inside the picture's widget, not ipywidgets controls, so
test_live_explorers.py does not press them) move the step as the step slider does, the
slider follows, the status is Python's for that step, and each button is disabled at its
end of the chain.
"""

from __future__ import annotations

import pytest
import test_site
from browser import PageWatch
from test_live_explorers import live_explorers, wait_for_status

from backprop_lab.explorers.steppers import BackpropStepper, ForwardStepper

site, site_url = test_site.site, test_site.site_url  # the built site's fixtures

STEPPER_CHAPTERS = ["book/02_forward_propagation", "book/03_backpropagation"]


@pytest.mark.browser
@pytest.mark.parametrize("docname", STEPPER_CHAPTERS)
def test_the_step_buttons_move_the_step_and_the_slider(chromium, site_url, docname):
    explorers = live_explorers(docname)
    steppers = [
        (k, e) for k, e in enumerate(explorers) if isinstance(e, ForwardStepper | BackpropStepper)
    ]
    assert steppers, f"{docname} has no stepper"
    page = chromium.new_page(viewport={"width": 390, "height": 900})
    watch = PageWatch().attach(page)
    try:
        page.goto(site_url + f"{docname}.html", wait_until="load", timeout=60_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('.bpl-live-explorer .bpl-live-status').length "
            f">= {len(explorers)}",
            timeout=60_000,
        )
        for k, stepper in steppers:
            view = page.locator(".bpl-live-explorer").nth(k)
            view.scroll_into_view_if_needed()
            label = f"{docname} {type(stepper).__name__}"
            wait_for_status(page, view, stepper.status, f"{label} at first")
            previous = view.locator(".bpl-stepper-previous")
            following = view.locator(".bpl-stepper-next")
            assert previous.is_disabled() and following.is_enabled()
            for step in range(1, stepper.n_steps + 1):
                following.click()
                stepper.controls["step"].value = step
                wait_for_status(page, view, stepper.status, f"{label}: next to step {step}")
                readout = view.locator(".bpl-control-step .widget-readout")
                assert readout.text_content().strip() == str(step), f"{label}: the slider"
            assert following.is_disabled()
            previous.focus()
            page.keyboard.press("Enter")  # a button answers the keyboard too
            stepper.controls["step"].value = stepper.n_steps - 1
            wait_for_status(page, view, stepper.status, f"{label}: previous by keyboard")
        assert not watch.problems(), watch.problems()
    finally:
        page.close()
