"""The live explorers on the built site, in headless Chromium with no kernel: each draws its
picture in the page, and every control, moved as a reader moves it (a slider with the
keyboard, a menu with the mouse), changes the picture and writes the status line the
Python explorer computes for the same settings, word for word. Desktop and phone widths;
no request leaves the machine, nothing is written to the console, and axe-core finds no
serious or critical accessibility violation in the explorers or the exercises.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
import test_site
from browser import REPO, PageWatch
from ipywidgets import FloatLogSlider, SelectionSlider
from test_site_interaction import CHAPTERS, build_explorer, explorer_cells

from backprop_lab.explorers.live import LiveExplorer

site, site_url = test_site.site, test_site.site_url  # the built site's fixtures

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core (npm, a pinned dev dependency), put into the page by the test: no request."""

AXE_RUN = """
async () => {
  const found = await axe.run(
    { include: [".bpl-live-explorer", ".bpl-exercise-widget"] },
    { resultTypes: ["violations"] },
  );
  const where = (v) => v.nodes.map((n) => n.target.join(" ")).join(", ");
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}; ${where(v)}`);
}
"""

PICTURE = "(view) => view.querySelector('canvas.bpl-live-canvas').toDataURL()"
STATUS = "(view) => view.querySelector('.bpl-live-status').textContent"


def live_explorers(docname: str) -> list[LiveExplorer]:
    code, cells = explorer_cells(docname)
    built = [build_explorer(code, cell) for cell in cells]
    return [explorer for explorer in built if isinstance(explorer, LiveExplorer)]


def wait_for_status(page: Any, view: Any, status: str, what: str) -> None:
    try:
        page.wait_for_function(
            "([view, status]) => view.querySelector('.bpl-live-status')?.textContent === status",
            arg=[view.element_handle(), status],
            timeout=20_000,  # a wait, not a speed test (benchmarks/bench_live.py)
        )
    except Exception as error:  # say what the page shows instead
        shown = view.evaluate(STATUS)
        raise AssertionError(f"{what}: the page says {shown!r}, Python {status!r}") from error


def move(page: Any, explorer: LiveExplorer, view: Any, name: str) -> str:
    """Move one control one step as a reader does, and the Python explorer's the same way."""
    control = explorer.controls[name]
    box = view.locator(f".bpl-control-{name}")
    if isinstance(control, SelectionSlider):  # a slider over options: one option along
        up = control.index + 1 < len(control.options)
        handle = box.locator(".noUi-handle")
        handle.focus()
        handle.press("ArrowRight" if up else "ArrowLeft")
        control.index += 1 if up else -1
        return f"moved {name} to {control.value!r}"
    if hasattr(control, "options"):
        target = (control.index + 1) % len(control.options)
        box.locator("select").select_option(index=target)
        control.index = target
        return f"chose {control.value!r} for {name}"
    handle = box.locator(".noUi-handle")
    handle.focus()
    if isinstance(control, FloatLogSlider):  # the slider moves the exponent by one step
        exponent = math.log(control.value) / math.log(control.base)
        up = exponent + control.step <= control.max + 1e-9
        handle.press("ArrowRight" if up else "ArrowLeft")
        control.value = control.base ** (exponent + (control.step if up else -control.step))
    else:
        up = control.value + control.step <= control.max
        handle.press("ArrowRight" if up else "ArrowLeft")
        control.value = round(control.value + (control.step if up else -control.step), 10)
    return f"moved {name} to {control.value:.6g}"


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("docname", CHAPTERS)
def test_every_live_explorer_answers_every_control(chromium, site_url, docname, width):
    explorers = live_explorers(docname)
    if not explorers:
        pytest.skip(f"{docname} has no live explorer")
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    watch = PageWatch().attach(page)
    try:
        page.goto(site_url + f"{docname}.html", wait_until="load", timeout=60_000)
        page.wait_for_function(
            f"() => document.querySelectorAll('.bpl-live-explorer .bpl-live-status').length "
            f">= {len(explorers)}",
            timeout=60_000,
        )
        views = page.locator(".bpl-live-explorer")
        assert views.count() == len(explorers), "one live view per live explorer cell"
        page.add_script_tag(path=str(AXE))
        serious = page.evaluate(AXE_RUN)
        assert not serious, f"axe-core on {docname}'s live explorers at {width} px: {serious}"
        for k, explorer in enumerate(explorers):
            view = views.nth(k)
            view.scroll_into_view_if_needed()
            label = f"{docname} explorer {k + 1} ({type(explorer).__name__}, {width} px)"
            wait_for_status(page, view, explorer.status, f"{label} at first")
            drawn = view.evaluate(
                "(view) => { const c = view.querySelector('canvas.bpl-live-canvas');"
                " return [c.getBoundingClientRect().width, document.documentElement.clientWidth]; }"
            )
            assert 0 < drawn[0] <= drawn[1], f"{label}: the picture is {drawn[0]} px wide"
            for name in explorer.controls:
                before = view.evaluate(PICTURE)
                done = move(page, explorer, view, name)
                wait_for_status(page, view, explorer.status, f"{label}: {done}")
                assert view.evaluate(PICTURE) != before, f"{label}: {done} left the picture"
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


SLIDER_NAMES = """
() => Array.from(document.querySelectorAll(".bpl-live-explorer .widget-slider")).map((s) => {
  const handle = s.querySelector(".noUi-handle");
  const label = document.getElementById(handle.getAttribute("aria-labelledby") || "");
  const readout = s.querySelector(".widget-readout");
  return {
    name: label ? label.textContent.trim() : null,
    valuetext: handle.getAttribute("aria-valuetext"),
    readout: readout ? (readout.value ?? readout.textContent).trim() : null,
    tabindex: handle.getAttribute("tabindex"),
  };
})
"""


@pytest.mark.browser
def test_slider_handles_have_a_name_and_announce_their_value(chromium, site_url):
    """widgets-setup.js: each handle is named by its label and announces the readout (not a
    position), also after a move; no element carries the tooltip "null"."""
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(site_url + "book/01_neural_networks.html", wait_until="load", timeout=60_000)
        page.wait_for_selector(".bpl-live-explorer .bpl-live-status", state="attached")
        page.wait_for_function(
            "() => document.querySelector('.bpl-live-explorer .noUi-handle[aria-valuetext]')"
        )
        sliders = page.evaluate(SLIDER_NAMES)
        assert sliders and all(s["name"] for s in sliders), sliders
        assert all(s["valuetext"] == s["readout"] for s in sliders), sliders
        handle = page.locator(".bpl-live-explorer .bpl-control-w1 .noUi-handle")
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function(
            "() => document.querySelector('.bpl-live-explorer .bpl-control-w1 .noUi-handle')"
            ".getAttribute('aria-valuetext') === '1.10'"
        )
        assert page.locator('[title="null"]').count() == 0
    finally:
        page.close()


@pytest.mark.browser
def test_the_static_page_does_not_report_anywidgets_kernel_timeout(chromium, site_url):
    """widgets-setup.js: anywidget's 2 s "Failed to initialize model." rejection (it only
    gates kernel messages; a slow first layout triggers it) is not reported on the static
    site, and any other unhandled rejection still is."""
    page = chromium.new_page()
    watch = PageWatch().attach(page)
    try:
        page.goto(site_url + "book/01_neural_networks.html", wait_until="load", timeout=60_000)
        page.evaluate(
            "() => { Promise.reject(new Error('[anywidget] Failed to initialize model.'));"
            " Promise.reject(new Error('a real failure')); }"
        )
        page.wait_for_timeout(300)
        problems = " ".join(watch.problems())
        assert "a real failure" in problems
        assert "Failed to initialize model" not in problems
    finally:
        page.close()


def iteration_of(status: str) -> int:
    """The iteration a playground status line names ("Iteration 12: ...")."""
    return int(status.split(":", 1)[0].removeprefix("Iteration "))


def open_the_playground(chromium, site_url: str, width: int, before: str | None = None):
    """Chapter 5's page with its playground in sight and showing Python's status; ``before``
    is a script run before the page's own. Returns (context, page, watch, view, explorer);
    the caller closes the context."""
    from backprop_lab.explorers.training import TrainingExplorer

    docname = "book/05_putting_it_together"
    explorer = next(e for e in live_explorers(docname) if isinstance(e, TrainingExplorer))
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        if before is not None:
            page.add_init_script(before)
        watch = PageWatch().attach(page)
        page.goto(site_url + f"{docname}.html", wait_until="load", timeout=60_000)
        view = page.locator(".bpl-live-explorer", has=page.locator(".bpl-live-playground"))
        view.scroll_into_view_if_needed()
        wait_for_status(page, view, explorer.status, "at first")
    except BaseException:
        context.close()
        raise
    return context, page, watch, view, explorer


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_playground_buttons_step_play_pause_and_reset(chromium, site_url, width):
    """Chapter 5's playground: reset shows the start; step makes exactly one update (the
    status's iteration goes up by one, as Python's does); play moves on, pause stops there
    (the status is Python's for that iteration); reset returns to the start's status."""
    context, page, watch, view, explorer = open_the_playground(chromium, site_url, width)
    try:
        # trained in the Web Worker, not on the page's thread (its fallback)
        assert view.locator(".bpl-live-playground").get_attribute("data-trained-in") == "worker"
        view.locator("button.bpl-playground-reset").click()
        explorer.reset()
        start = explorer.status
        assert iteration_of(start) == 0
        wait_for_status(page, view, start, "after reset")
        for t in (1, 2):
            view.locator("button.bpl-playground-step").click()
            explorer.controls["iterations"].value = t
            wait_for_status(page, view, explorer.status, f"after step {t}")
        slider = view.locator(".bpl-control-iterations .noUi-handle")
        assert slider.get_attribute("aria-valuetext") == "2"  # the slider follows
        play = view.locator("button.bpl-playground-play")
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
        page.wait_for_function(
            "(view) => parseInt(view.querySelector('.bpl-live-status').textContent"
            ".split(':')[0].replace('Iteration ', '')) > 2",
            arg=view.element_handle(),
            timeout=10_000,
        )
        play.click()
        assert play.get_attribute("aria-pressed") == "false"
        paused = view.evaluate(STATUS)
        page.wait_for_timeout(300)  # some frames: nothing moves while paused
        assert view.evaluate(STATUS) == paused
        explorer.controls["iterations"].value = iteration_of(paused)
        assert paused == explorer.status
        view.locator("button.bpl-playground-reset").click()
        wait_for_status(page, view, start, "after the second reset")
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


@pytest.mark.browser
def test_the_playground_trains_on_the_page_where_there_is_no_worker(chromium, site_url):
    """A browser without Web Workers (or a page that forbids them): chapter 5's playground
    trains on the page's own thread instead, in animation-frame slices, and shows Python's
    status, before and after a layer is added."""
    context, page, watch, view, explorer = open_the_playground(
        chromium, site_url, 1280, before="delete window.Worker;"
    )
    try:
        assert view.locator(".bpl-live-playground").get_attribute("data-trained-in") == "page"
        view.locator('button[aria-label="add a hidden layer"]').click()
        explorer.hidden_layers = (*explorer.hidden_layers, explorer.hidden_layers[-1])  # as + does
        wait_for_status(page, view, explorer.status, "after adding a layer")
        assert not watch.problems(), watch.problems()
    finally:
        context.close()


# The relative luminance of the canvas's first pixel (its background) and of the nearest
# box behind the explorer that paints a background (as draw.js themeOf reads it).
BACKGROUNDS = """
(view) => {
  const luminance = ([r, g, b]) => {
    const linear = (c) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const canvas = view.querySelector("canvas.bpl-live-canvas");
  const pixel = canvas.getContext("2d").getImageData(1, 1, 1, 1).data;
  let behind = null;
  for (let box = view; box && !behind; box = box.parentElement) {
    const m = /rgba?\\(([^)]+)\\)/.exec(getComputedStyle(box).backgroundColor);
    const parts = m ? m[1].split(/[\\s,/]+/).filter(Boolean).map(Number) : [];
    if (parts.length && (parts[3] === undefined || parts[3] > 0)) behind = parts;
  }
  return { canvas: luminance(pixel), behind: behind ? luminance(behind) : null };
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_site_follows_the_readers_colour_scheme(chromium, site_url, scheme):
    """A reader whose system asks for dark (or light) pages gets the site in that mode; each
    explorer draws in the colours of the box behind it (in dark mode the theme puts every
    output, figures and widgets alike, on a light card), and axe-core finds no serious or
    critical problem (contrast included) in the explorers and exercises."""
    docname = "book/05_putting_it_together"
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    watch = PageWatch().attach(page)
    try:
        page.goto(site_url + f"{docname}.html", wait_until="load", timeout=60_000)
        assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
        views = page.locator(".bpl-live-explorer")
        views.first.wait_for(timeout=60_000)
        for k in range(views.count()):
            view = views.nth(k)
            view.scroll_into_view_if_needed()
            page.wait_for_function(
                "(v) => v.querySelector('.bpl-live-status')?.textContent",
                arg=view.element_handle(),
                timeout=30_000,
            )
            shades = view.evaluate(BACKGROUNDS)
            assert shades["behind"] is not None, shades
            assert (shades["canvas"] < 0.18) == (shades["behind"] < 0.18), (scheme, k, shades)
        page.add_script_tag(path=str(AXE))
        serious = page.evaluate(AXE_RUN)
        assert not serious, f"axe-core on {docname} in {scheme} mode: {serious}"
        assert not watch.problems(), watch.problems()
    finally:
        context.close()
