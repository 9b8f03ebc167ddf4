"""The built site, read as a reader would: every page in headless Chromium, offline.

`make site` builds `_build/html`; these tests serve it on 127.0.0.1 and open each page.
A page passes when it asked no other host for anything, logged no error, typeset all its
mathematics (no raw LaTeX left), drew every widget its notebook saved, and has no broken
image. A full-page screenshot of each page is saved in `_build/screenshots/` for people to
look at.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import browser
import pytest
import yaml
from browser import REPO, PageWatch, serve_directory

import backprop_lab

SITE = REPO / "_build" / "html"
SCREENSHOTS = REPO / "_build" / "screenshots"
# A screenshot keeps the top of a page down to this many CSS pixels: every chapter (the
# longest, chapter 3, is about 40,000 px at 1280 px wide) but not the whole API reference
# (about 160,000 px), whose full-page screenshot took 20-40 s and, on a busy CI machine,
# ran past Playwright's 30 s limit. A screenshot is for a person to look at; the checks
# above it read the whole page.
SCREENSHOT_MAX_HEIGHT = 45_000

# Pages Sphinx writes besides the ones in _toc.yml (index.html redirects to the root page).
EXTRA_PAGES = ["index.html", "genindex.html", "search.html", "py-modindex.html"]


def toc_docnames(toc_path: Path = REPO / "_toc.yml") -> list[str]:
    """Every document in _toc.yml, root first, in reading order (no suffix)."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                names.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("chapters", []))
    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    return [
        str(Path(name).with_suffix("")) if name.endswith((".md", ".ipynb")) else name
        for name in names
    ]


def source_of(docname: str) -> Path | None:
    for suffix in (".ipynb", ".md"):
        path = REPO / f"{docname}{suffix}"
        if path.exists():
            return path
    return None


PAGES = [f"{name}.html" for name in toc_docnames()] + EXTRA_PAGES


@pytest.fixture(scope="session")
def site() -> Path:
    """The built site; skips when missing (fails under CI=true), fails when stale."""
    browser.require_site(SITE)  # skips on a fresh clone, fails under CI=true
    stale = []
    for name in toc_docnames():
        source, page = source_of(name), SITE / f"{name}.html"
        if source is not None and page.exists() and source.stat().st_mtime > page.stat().st_mtime:
            stale.append(str(source.relative_to(REPO)))
    if stale:
        pytest.fail(
            f"the site is older than {', '.join(stale)}: run `make site` again", pytrace=False
        )
    return SITE


@pytest.fixture(scope="session")
def site_url(site: Path):
    with serve_directory(site) as url:
        yield url


# --- what a page must look like once loaded ------------------------------------------------

# Text outside code that still looks like LaTeX: a backslash command, \( \[ or $$, a
# $...$ span holding a backslash, ^ or _ (math that was never parsed as math), or a lone
# $ at the edge of a text node, left beside typeset math whose delimiters were misparsed
# (display math glued to a list item's text came out as "$" + inline math + "$").
RAW_LATEX = re.compile(
    r"\\[A-Za-z]{2,}|\\[(\[]|\$\$|\$[^$\n]*[\\^_][^$\n]*\$|\$\s*$|^\s*[.,;:)]*\$"
)

FIND_RAW_LATEX = """
([source, roots]) => {
  const skip = "pre, code, script, style, textarea, svg, mjx-container, .highlight, " +
               ".MathJax, .cm-editor";
  const found = [];
  const pattern = new RegExp(source);
  for (const root of document.querySelectorAll(roots)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest(skip)) continue;
      if (pattern.test(node.textContent)) found.push(node.textContent.trim().slice(0, 120));
    }
  }
  return found;
}
"""


def raw_latex(page, roots: str = "body") -> list[str]:
    """Text under the ``roots`` elements (a CSS selector) that looks like untypeset LaTeX."""
    return page.evaluate(FIND_RAW_LATEX, [RAW_LATEX.pattern, roots])


MATH_STATE = """
() => {
  const math = Array.from(document.querySelectorAll(".math"));
  return {
    math: math.length,
    untypeset: math.filter((m) => !m.querySelector("mjx-container"))
                   .map((m) => m.textContent.trim().slice(0, 120)),
    errors: Array.from(document.querySelectorAll("mjx-merror, [data-mjx-error]"))
                 .map((e) => e.getAttribute("data-mjx-error") || e.textContent.slice(0, 120)),
  };
}
"""

WIDGETS_RENDERED = """
() => {
  const views = document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]');
  let drawn = 0;
  for (const view of views) {
    const area = view.previousElementSibling;
    if (area && area.classList.contains("widget-subarea") &&
        area.querySelector(".jupyter-widgets")) drawn += 1;
  }
  return drawn >= views.length;
}
"""

WIDGET_STATE = """
() => {
  const views = document.querySelectorAll(
    'script[type="application/vnd.jupyter.widget-view+json"]');
  const text = document.body.innerText;
  return {
    views: views.length,
    drawn: document.querySelectorAll(".widget-subarea .jupyter-widgets").length,
    errors: Array.from(document.querySelectorAll(".jupyter-widgets-error-widget"))
                 .map((e) => e.innerText.slice(0, 200)),
    placeholders: ["Loading widget", "Error displaying widget", "Error rendering view"]
                    .filter((p) => text.includes(p)),
  };
}
"""

BROKEN_IMAGES = """
async () => {
  const images = Array.from(document.images);
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
    setTimeout(done, 10000);
  })));
  return images.filter((img) => !img.complete || img.naturalWidth === 0)
               .map((img) => img.currentSrc || img.src || img.outerHTML.slice(0, 120));
}
"""


def check_page(chromium, url: str, screenshot: Path) -> list[str]:
    """Open ``url``; return one line per problem a reader would meet (empty if none)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = PageWatch().attach(page)
    problems: list[str] = []
    try:
        page.goto(url, wait_until="load", timeout=60_000)
        if url.endswith("/index.html"):  # a redirect to the root page of _toc.yml
            root = f"{toc_docnames()[0]}.html"
            page.wait_for_url(f"**/{root}", timeout=30_000)
            page.wait_for_load_state("load")
        has_math = page.evaluate("() => document.querySelector('.math') !== null")
        if has_math:
            try:
                browser.typeset_all_math(page)
            except Exception as error:  # a timeout: MathJax never loaded
                problems.append(f"MathJax did not start: {error}")
        has_widgets = page.evaluate(
            "() => document.querySelector("
            "'script[type=\"application/vnd.jupyter.widget-view+json\"]') !== null"
        )
        if has_widgets:
            try:
                page.wait_for_function(WIDGETS_RENDERED, timeout=30_000)
            except Exception:
                pass  # reported below with the counts
        state = page.evaluate(MATH_STATE)
        problems += [f"math not typeset: {text!r}" for text in state["untypeset"]]
        problems += [f"MathJax error: {text!r}" for text in state["errors"]]
        problems += [f"raw LaTeX in the text: {text!r}" for text in raw_latex(page)]
        widgets = page.evaluate(WIDGET_STATE)
        if widgets["views"] and widgets["drawn"] < widgets["views"]:
            problems.append(
                f"widgets not drawn: {widgets['drawn']} of {widgets['views']} widget views"
            )
        problems += [f"widget error: {text!r}" for text in widgets["errors"]]
        problems += [f"widget placeholder shown: {text!r}" for text in widgets["placeholders"]]
        problems += [f"broken image: {src}" for src in page.evaluate(BROKEN_IMAGES)]
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        height = page.evaluate("() => document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": 1280, "height": min(height, SCREENSHOT_MAX_HEIGHT)}
        page.screenshot(path=str(screenshot), full_page=True, clip=clip)
    finally:
        context.close()
    return watch.problems() + problems


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(chromium, site_url, page):
    screenshot = SCREENSHOTS / (page.replace("/", "__").removesuffix(".html") + ".png")
    problems = check_page(chromium, site_url + page, screenshot)
    assert not problems, f"{page} as a reader sees it:\n  " + "\n  ".join(problems)


# A widget label typeset the way the ipywidgets embed manager asks for it (MathJax 2's
# Hub.Queue, which widgets-setup.js translates for MathJax 4), and the fonts MathJax used.
HUB_LABEL = """
async () => {
  const label = document.createElement("div");
  label.className = "widget-label";
  label.textContent = "$\\eta^2$ (learning rate)";
  document.body.appendChild(label);
  label.scrollIntoView();  // typesetting is lazy: a label is typeset when it is in sight
  MathJax.Hub.Queue(["Typeset", MathJax.Hub, label]);
  const mathFonts = () => Array.from(document.fonts).filter((f) => f.family.includes("MJX-NCM"));
  for (let k = 0; k < 200; k++) {
    const drawn = label.querySelector("mjx-container mjx-math") !== null;
    if (drawn && mathFonts().some((f) => f.status === "loaded")) break;
    await new Promise((done) => setTimeout(done, 50));
  }
  await document.fonts.ready;
  const fonts = mathFonts();
  return {
    typeset: label.querySelector("mjx-container mjx-math") !== null,
    raw: label.textContent.includes("$"),
    version: MathJax.version,
    loaded: fonts.filter((f) => f.status === "loaded").length,
  };
}
"""


@pytest.mark.browser
def test_widget_labels_are_typeset_by_mathjax_4_with_its_own_fonts(chromium, site, site_url):
    """A page with widgets: a label queued through MathJax.Hub.Queue is typeset, without an
    error, in the vendored MathJax 4's font, loaded from this site (a request to any other
    host is aborted and reported)."""
    page_name = next(
        p for p in PAGES
        if (site / p).exists() and "widgets-setup.js" in (site / p).read_text(encoding="utf-8")
    )  # fmt: skip
    context = chromium.new_context()
    page = context.new_page()
    watch = PageWatch().attach(page)
    try:
        page.goto(site_url + page_name, wait_until="load", timeout=60_000)
        page.wait_for_function("() => window.MathJax && MathJax.Hub", timeout=30_000)
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        label = page.evaluate(HUB_LABEL)
    finally:
        context.close()
    assert label["version"].startswith("4."), label
    assert label["typeset"] and not label["raw"], label
    assert label["loaded"] > 0, f"no MathJax font loaded on {page_name}: {label}"
    assert not watch.problems(), watch.problems()


# Equations typeset now, and those still waiting for MathJax's lazy typesetting.
TYPESET_COUNT = """
() => {
  const math = Array.from(document.querySelectorAll("div.math, span.math"));
  const typeset = math.filter((m) => m.querySelector("mjx-container mjx-math")).length;
  return { math: math.length, typeset };
}
"""


@pytest.mark.browser
def test_equations_are_typeset_near_the_window_and_all_before_printing(chromium, site, site_url):
    """Chapter 3 (about 600 equations): after loading, only those near the window are
    typeset (the rest would keep a phone's CPU busy for seconds before any explorer drew);
    scrolling to the end typesets what comes into sight; printing typesets all of them."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(site_url + "book/03_backpropagation.html", wait_until="load", timeout=60_000)
        page.wait_for_function("() => window.MathJax && MathJax.startup", timeout=30_000)
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        page.wait_for_function(  # lazy typesetting of what is in sight runs when idle
            f"() => ({TYPESET_COUNT.strip()})().typeset > 0", timeout=30_000
        )
        at_top = page.evaluate(TYPESET_COUNT)
        assert at_top["math"] > 300, at_top
        assert 0 < at_top["typeset"] < at_top["math"] / 2, at_top
        page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_function(
            f"() => ({TYPESET_COUNT.strip()})().typeset > {at_top['typeset']}", timeout=30_000
        )
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        page.wait_for_function(
            f"() => {{ const c = ({TYPESET_COUNT.strip()})(); return c.typeset === c.math; }}",
            timeout=60_000,
        )
    finally:
        context.close()


NOSCRIPT = re.compile(r'<noscript><p class="bpl-noscript">(.*?)</p></noscript>', re.S)
VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">')


@pytest.mark.browser
def test_without_javascript_each_explorer_shows_its_picture_and_says_what_it_shows(
    chromium, site, site_url
):
    """A reader with JavaScript off: in each explorer's place on every chapter, its
    starting picture drawn by the site build (the desktop one at 1280 px, the phone one at
    390 px, each within the column) and a paragraph that says that it needs JavaScript and
    gives its starting status line. With JavaScript on, that paragraph is not parsed, and
    once the explorers are there their static pictures are hidden."""
    chapters = [p for p in PAGES if p.startswith("book/0") and (site / p).exists()]
    expected = {}
    for page_name in chapters:
        html = (site / page_name).read_text(encoding="utf-8")
        views, notes = len(VIEW.findall(html)), NOSCRIPT.findall(html)
        assert len(notes) == views, f"{page_name}: {views} explorers, {len(notes)} notes"
        expected[page_name] = views
    assert sum(expected.values()) >= 12, expected  # every live explorer of chapters 1-7
    for width, shown, hidden in ((1280, "wide", "narrow"), (390, "narrow", "wide")):
        context = chromium.new_context(
            java_script_enabled=False, viewport={"width": width, "height": 900}
        )
        try:
            page = context.new_page()
            for page_name, views in expected.items():
                page.goto(site_url + page_name, wait_until="load", timeout=60_000)
                notes = page.locator("p.bpl-noscript")
                pictures = page.locator(f".bpl-fallback-{shown} svg")
                assert notes.count() == views == pictures.count(), page_name
                assert not page.locator(f".bpl-fallback-{hidden} svg").first.is_visible()
                column = page.locator("main").bounding_box()["width"]
                for k in range(views):
                    assert notes.nth(k).is_visible(), f"{page_name}: note {k} is hidden"
                    assert "JavaScript" in notes.nth(k).inner_text()
                    box = pictures.nth(k).bounding_box()
                    assert box and 100 < box["width"] <= column and box["height"] > 50, (
                        f"{page_name}: picture {k} at {width} px: {box}"
                    )
        finally:
            context.close()
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + "book/06_making_it_learn_well.html", wait_until="load", timeout=60_000)
        assert page.locator("p.bpl-noscript").count() == 0  # not parsed as HTML with JS on
        page.wait_for_function(
            "() => document.querySelectorAll('.bpl-live-explorer').length === "
            f"{expected['book/06_making_it_learn_well.html']}",
            timeout=60_000,
        )
        assert (
            page.locator(".bpl-fallback").count() == expected["book/06_making_it_learn_well.html"]
        )
        for k in range(page.locator(".bpl-fallback").count()):
            assert not page.locator(".bpl-fallback").nth(k).is_visible()
    finally:
        context.close()


# --- the site as a whole (no browser needed) -----------------------------------------------


def test_every_built_page_is_checked(site):
    """Each HTML page of the site is one of PAGES, so none escapes the browser test."""
    built = {
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith("_")
    }
    assert built - set(PAGES) == set(), "pages built but not checked in a browser"
    assert set(PAGES) - built == set(), "pages expected but not built"


def test_pages_with_math_and_widgets_exist(site):
    """The vendored assets are referenced: MathJax on pages with math, widgets JS on widget
    pages, and nothing from a CDN in any page's HTML source."""
    cdn = re.compile(r"""<script[^>]+src="https?://|<link[^>]+href="https?://[^"]+\.(css|js)""")
    for page in PAGES:
        path = site / page
        if not path.exists():
            continue
        html = path.read_text(encoding="utf-8")
        assert not cdn.search(html), f"{page} loads a script or stylesheet from another host"
        if 'class="math' in html:
            assert "_static/mathjax/tex-chtml.js" in html, f"{page}: MathJax is not the local one"
        if "application/vnd.jupyter.widget-view+json" in html:
            for asset in (
                "requirejs/require.js",
                "widgets-setup.js",
                "widgets/@jupyter-widgets/html-manager/dist/libembed-amd.js",
            ):
                assert f"_static/{asset}" in html, f"{page}: {asset} is not loaded"


def submodules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(backprop_lab.__path__, "backprop_lab.")
        if not info.name.rsplit(".", 1)[-1].startswith("_")
    )


def test_api_page_documents_every_module():
    """book/api.md has an automodule (inside an eval-rst block, so that autodoc's output is
    parsed as reStructuredText) for every public submodule of backprop_lab."""
    text = (REPO / "book" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. automodule::\s+(\S+)", text, flags=re.M))
    missing = [name for name in submodules() if name not in documented]
    assert not missing, f"add to book/api.md: {missing}"
    for name in documented:
        importlib.import_module(name)  # every documented module exists


# --- the browser helpers themselves ----------------------------------------------------------


def test_missing_browser_skips_locally_and_fails_under_ci(monkeypatch):
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        browser.require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        browser.require_chromium()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/_static/mathjax/tex-chtml.js", True),
        ("http://localhost:8888/lab", True),
        ("ws://127.0.0.1:8888/api/kernels/1/channels", True),
        ("data:image/png;base64,AAAA", True),
        (
            "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@1.0.15/dist/embed-amd.js",
            False,
        ),
        ("https://127.0.0.1.example.com/x.js", False),
        ("http://10.0.0.1/x.js", False),
    ],
)
def test_only_this_machine_counts_as_local(url, local):
    assert browser.is_local(url) is local
