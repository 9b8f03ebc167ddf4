"""The built site's layout, measured in headless Chromium: nothing a reader needs is cut off.

Three rules of the book (issue 9, "Readable on a laptop and on a phone"), checked on every
page of the site at a 1280 px wide window:

- **Display equations fit their column.** An equation wider than the text column hides its
  right-hand end, usually the number the line exists to show (the page can only scroll it
  sideways). Long equations are split onto ``aligned`` lines instead.
- **Every table cell has horizontal padding**, so that neighbouring numbers do not run
  together ("1.10591, 1.224920.751365"). tools/site_static/backprop-lab.css pads the
  theme's tables in Markdown and in cell outputs.
- **Output lines are not cut**: a printed line longer than its output block wraps (the CSS
  sets ``white-space: pre-wrap`` on cell outputs) instead of running out of sight.

At a 390 px wide (phone) window an equation may be wider than the column; it must then
scroll sideways inside its own box (the CSS gives that box a visible scrollbar) instead of
sticking out of the page.

**Figures stay readable on a phone** (issue 16). At 390 px the text column is 342-358 px
wide and a figure wider than that is shrunk to fit, its text with it. A figure's PNG says
its resolution (the ``pHYs`` chunk matplotlib writes: 100 dpi for the chapters' figures,
60 for the training animation's frames), so the size at which the figure's 10-point text
(matplotlib's default size, that of its tick labels, axis labels and legends) is shown is
``shown width / natural width * dpi / 72 * 10`` CSS px. It must be at least
MIN_TEXT_PX = 6 px, titles (12 pt) then being at least 7.2 px: the smallest print we found
still legible on a phone, whose 2-3 device pixels per CSS pixel draw it 12-18 pixels tall.
For the chapters' 100 dpi figures that is a shown scale of at least 0.432: a figure drawn
for the book's 720 px desktop column (about 7 inches; matplotlib crops its margins) passes,
while the 11-12 inch side-by-side figures the chapters had, shown at 0.28-0.34, put their
labels at 3.9-4.8 px and their titles at 4.7-5.7 px, a grey blur. Smaller text drawn on
purpose (an 8-point legend) is not measured; a PNG without ``pHYs`` counts as 100 dpi.
The pictures measured are those of the article's figures and cell outputs (icons and the
logo are not figures); one shown at its natural size or larger is not shrunk and so passes.

**Chapter 5's training animation fits a phone's column**: matplotlib's player sets no width
limit of its own (its slider is 374 px), so the CSS shrinks its frame and slider and wraps
its buttons.

**Chapter 3's chain-rule displays fit a phone's column** (``bl.chain_rule``'s rich display:
its equation and its list of factors), with nothing to scroll sideways.

The site comes from the ``site`` and ``site_url`` fixtures of tests/integration/test_site.py
(built by ``make site``); a page in PAGES that a partial build did not produce is skipped.
"""

from __future__ import annotations

import browser
import pytest
from test_site import PAGES, site, site_url, toc_docnames  # noqa: F401  (fixtures by name)

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# One entry per display equation that is wider than its column. An equation is MathJax's
# display container (mjx-container[display="true"]) or, before typesetting, Sphinx's div.math.
# Its width is that of the typeset formula (mjx-math), which a block container does not
# stretch to; its column is the content box of the block that holds the equation box.
# A tolerance of 1 px absorbs sub-pixel rounding.
OVERFLOWING_EQUATIONS = """
() => {
  const found = [];
  const seen = new Set();
  const boxes = document.querySelectorAll('mjx-container[display="true"], div.math');
  for (const box of boxes) {
    const outer = box.closest("div.math") || box;
    if (seen.has(outer)) continue;
    seen.add(outer);
    if (outer.closest("[hidden]") || outer.offsetParent === null) continue;
    const formula = outer.querySelector("mjx-math") || outer;
    const holder = outer.parentElement;
    const style = getComputedStyle(holder);
    const column = holder.clientWidth - parseFloat(style.paddingLeft)
                   - parseFloat(style.paddingRight);
    const width = Math.max(formula.getBoundingClientRect().width, outer.scrollWidth);
    if (width > column + 1) {
      const text = (outer.querySelector("mjx-assistive-mml") || outer).textContent;
      found.push({width: Math.round(width), column: Math.round(column),
                  text: text.replace(/\\s+/g, " ").trim().slice(0, 90)});
    }
  }
  return found;
}
"""

# Every visible th/td whose left or right padding is under 4 px (a quarter em).
UNPADDED_CELLS = """
() => {
  const found = [];
  for (const cell of document.querySelectorAll("th, td")) {
    if (cell.offsetParent === null) continue;
    if (cell.closest("mjx-container, .MathJax")) continue;
    const style = getComputedStyle(cell);
    const left = parseFloat(style.paddingLeft), right = parseFloat(style.paddingRight);
    if (left < 4 || right < 4) {
      found.push({left, right,
                  text: cell.textContent.replace(/\\s+/g, " ").trim().slice(0, 40)});
    }
  }
  return found;
}
"""

# At phone width: a display equation wider than its box must scroll inside the box (the box
# or MathJax's container in it has overflow-x auto or scroll), never stick out of the window.
PHONE_STATE = """
() => {
  const stuck = [];
  for (const outer of document.querySelectorAll("div.math")) {
    if (outer.offsetParent === null) continue;
    const formula = outer.querySelector("mjx-math");
    if (!formula || formula.getBoundingClientRect().width <= outer.clientWidth + 1) continue;
    const scrolls = [outer, outer.querySelector("mjx-container")].some((el) => {
      if (!el) return false;
      const overflow = getComputedStyle(el).overflowX;
      return (overflow === "auto" || overflow === "scroll") && el.scrollWidth > el.clientWidth;
    });
    const right = outer.getBoundingClientRect().right;
    if (!scrolls || right > window.innerWidth + 1) {
      stuck.push(outer.textContent.replace(/\\s+/g, " ").trim().slice(0, 60));
    }
  }
  return stuck;
}
"""

# Output lines (print, repr) wider than their block: cut off or hidden behind a scrollbar.
CUT_OUTPUT_LINES = """
() => Array.from(document.querySelectorAll("div.cell_output pre"))
  .filter((pre) => pre.offsetParent !== null && pre.scrollWidth > pre.clientWidth + 1)
  .map((pre) => pre.textContent.split("\\n").reduce((a, b) => (b.length > a.length ? b : a), "")
                  .trim().slice(0, 80))
"""


# At phone width: every content picture of the article shrunk below its natural width, with
# the size its 10-point text is shown at. The dpi comes from the PNG's pHYs chunk (before the
# image data, in pixels per metre); `lazy` images are loaded first.
MIN_TEXT_PX = 6.0
SHRUNK_FIGURES = r"""
async () => {
  async function dpiOf(url) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    const png = [0x89, 0x50, 0x4e, 0x47].every((b, i) => bytes[i] === b);
    if (!png) return null;
    const view = new DataView(bytes.buffer);
    for (let at = 8; at + 8 <= bytes.length; ) {
      const length = view.getUint32(at);
      const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
      if (type === "pHYs") return bytes[at + 16] === 1 ? view.getUint32(at + 8) * 0.0254 : null;
      if (type === "IDAT" || type === "IEND") return null;
      at += 12 + length;
    }
    return null;
  }
  const images = Array.from(
    document.querySelectorAll(".bd-article figure img, .bd-article div.cell_output img"));
  for (const img of images) img.loading = "eager";
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  const found = [];
  for (const img of images) {
    if (img.offsetParent === null || !img.naturalWidth) continue;
    const shown = img.getBoundingClientRect().width;
    if (shown >= img.naturalWidth - 0.5) continue;  // not shrunk: an icon, a small picture
    const dpi = (await dpiOf(img.currentSrc || img.src)) || 100;
    const figure = img.closest("figure");
    const number = figure && figure.querySelector(".caption-number");
    found.push({
      alt: img.alt.replace(/\s+/g, " ").trim(),
      number: number ? number.textContent.trim() : "",
      scale: shown / img.naturalWidth,
      dpi,
      text: (shown / img.naturalWidth) * (dpi / 72) * 10,
      natural: img.naturalWidth,
      shown: Math.round(shown),
    });
  }
  return found;
}
"""


def figure_name(figure: dict) -> str:
    """'Fig. 3.2 Two panels. Left: ...': the figure's number and the start of its alt text."""
    return f"{figure['number']} {figure['alt'][:60] or '(no alt text)'}".strip()


def unreadable_figures(chromium, url: str) -> list[str]:
    """One line per figure whose 10-point text is under MIN_TEXT_PX at 390 px."""
    (figures,) = evaluate_on(chromium, url, PHONE, SHRUNK_FIGURES)
    return [
        f"10-point text shown at {figure['text']:.1f} px (< {MIN_TEXT_PX:g}): "
        f"{figure['shown']} px wide of {figure['natural']} at {figure['dpi']:.0f} dpi, "
        f"scale {figure['scale']:.2f}: {figure_name(figure)!r}"
        for figure in figures
        if figure["text"] < MIN_TEXT_PX
    ]


def open_page(chromium, url: str, viewport: dict[str, int]):
    """A new page at ``url`` with its mathematics typeset; the caller closes its context."""
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(url, wait_until="load", timeout=60_000)
    if url.endswith("/index.html"):  # a redirect to the root page of _toc.yml
        page.wait_for_url(f"**/{toc_docnames()[0]}.html", timeout=30_000)
        page.wait_for_load_state("load")
    if page.evaluate("() => document.querySelector('.math') !== null"):
        browser.typeset_all_math(page)
    return context, page


def evaluate_on(chromium, url: str, viewport: dict[str, int], *scripts: str) -> list:
    """What each of ``scripts`` returns on the page at ``url`` (its mathematics typeset)."""
    context, page = open_page(chromium, url, viewport)
    try:
        return [page.evaluate(script) for script in scripts]
    finally:
        context.close()


def layout_problems(chromium, url: str) -> list[str]:
    """One line per equation wider than its column and per table without padding at 1280 px."""
    equations, cells, lines = evaluate_on(
        chromium, url, LAPTOP, OVERFLOWING_EQUATIONS, UNPADDED_CELLS, CUT_OUTPUT_LINES
    )
    problems = [
        f"equation {e['width']} px wide in a {e['column']} px column: {e['text']!r}"
        for e in equations
    ]
    problems += [f"output line wider than its block: {line!r}" for line in lines]
    if cells:
        examples = "; ".join(repr(c["text"]) for c in cells[:3])
        problems.append(
            f"{len(cells)} table cells without horizontal padding "
            f"(left {cells[0]['left']} px, right {cells[0]['right']} px), e.g. {examples}"
        )
    return problems


def phone_problems(chromium, url: str) -> list[str]:
    """One line per wide display equation that cannot be scrolled inside its box at 390 px."""
    (stuck,) = evaluate_on(chromium, url, PHONE, PHONE_STATE)
    return [f"wide equation without its own scrollbar: {text!r}" for text in stuck]


def built(directory, page: str) -> None:
    if not (directory / page).exists():
        pytest.skip(f"{page} is not in this build (a partial build with its own toc)")


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_equations_fit_and_tables_are_padded(chromium, site, site_url, page):  # noqa: F811
    built(site, page)
    problems = layout_problems(chromium, site_url + page)
    assert not problems, f"{page} at 1280 px:\n  " + "\n  ".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_wide_equations_scroll_on_a_phone(chromium, site, site_url, page):  # noqa: F811
    built(site, page)
    problems = phone_problems(chromium, site_url + page)
    assert not problems, f"{page} at 390 px:\n  " + "\n  ".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_figures_are_readable_on_a_phone(chromium, site, site_url, page):  # noqa: F811
    built(site, page)
    problems = unreadable_figures(chromium, site_url + page)
    assert not problems, f"{page} at 390 px:\n  " + "\n  ".join(problems)


# At phone width, in every output of chapter 3 that displays a bl.chain_rule: the widest
# typeset formula (display or inline) and any element wider than the output's column.
CHAIN_RULE_WIDTHS = """
() => Array.from(document.querySelectorAll("div.cell_output"))
  .filter((output) => output.textContent.includes("Chain rule for the"))
  .map((output) => {
    const column = output.getBoundingClientRect();
    const wide = Array.from(output.querySelectorAll("mjx-math, table, li, p"))
      .filter((el) => el.getBoundingClientRect().right > column.right + 1)
      .map((el) => el.tagName + ": " + el.textContent.replace(/\\s+/g, " ").trim().slice(0, 60));
    const formulas = Array.from(output.querySelectorAll("mjx-math"));
    return {
      column: Math.round(column.width),
      widest: Math.round(Math.max(...formulas.map((m) => m.getBoundingClientRect().width))),
      formulas: formulas.length,
      wide,
    };
  })
"""


@pytest.mark.browser
def test_chain_rule_displays_fit_a_phone(chromium, site, site_url):  # noqa: F811
    page_name = "book/03_backpropagation.html"
    built(site, page_name)
    (displays,) = evaluate_on(chromium, site_url + page_name, PHONE, CHAIN_RULE_WIDTHS)
    assert len(displays) >= 2, displays  # the chains of W2[0,0] and W1[0,0]
    for display in displays:
        assert display["formulas"] > 3, display  # typeset: the equation and the list's symbols
        assert display["widest"] <= display["column"] + 1, display
        assert not display["wide"], display


# The parts of matplotlib's animation player whose right edge is past its output's column.
PLAYER_OVERFLOW = """
(output) => {
  const column = output.getBoundingClientRect();
  const parts = output.querySelectorAll(
    ".animation, .animation img, .anim-slider, .anim-buttons button, .anim-state");
  return {
    parts: parts.length,
    out: Array.from(parts)
      .filter((el) => el.getBoundingClientRect().right > column.right + 1)
      .map((el) => `${el.tagName}.${el.className}: right edge ${
        Math.round(el.getBoundingClientRect().right)} > ${Math.round(column.right)}`),
  };
}
"""


@pytest.mark.browser
def test_the_training_animation_fits_a_phone(chromium, site, site_url):  # noqa: F811
    page_name = "book/05_putting_it_together.html"
    built(site, page_name)
    context, page = open_page(chromium, site_url + page_name, PHONE)
    try:
        output = page.locator("div.cell_output", has=page.locator(".animation")).first
        output.scroll_into_view_if_needed()
        found = output.evaluate(PLAYER_OVERFLOW)
    finally:
        context.close()
    assert found["parts"] >= 13, found  # player, frame, slider, ten buttons, the mode form
    assert not found["out"], found
