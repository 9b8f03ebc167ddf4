"""The website's page budgets now that the explorers compute in the page (issue 15).

- **Page bytes**: each chapter page's own bytes, its HTML (with the saved widget state
  and the explorers' static pictures) and the images it references in ``_images/``;
  not the JavaScript the site shares (vendored, and the explorers' modules in
  ``_static/views/``, whose total is printed). Target: at most 1.5 MB a page.
- **First explorer** (with ``--cpu-slowdown 4``, Chromium's DevTools CPU throttling, as a
  phone): the time from navigation to the first explorer's first picture, for a reader
  who looks at it the moment it is on the page (it is scrolled into view then: views
  draw when they come into sight). Target: at most 3 s. Printed beside it, with the
  page's other phases: ``picture``, when the first explorer's static picture (drawn by
  the site build, ``tools/fallback_pictures.py``) was painted; the reader sees that
  picture until the live one replaces it.
- **Longest task of our own code**: the views record each redraw and each slice of
  training as a User Timing measure (``bpl ...``, see ``timed`` in
  ``backprop_lab/explorers/js/draw.js``); the page is scrolled to every explorer and the
  longest measure is reported. The vendored widget manager's own parse is outside this
  budget. Target: at most 200 ms.
- **Build time** (``--build-against REF``): ``jupyter-book build --all`` of this tree and
  of the git revision ``REF`` (checked out into a temporary worktree), one after the other
  on the same machine; the ratio is what this tree saves. Target: at least 30% faster
  than the revision before the explorers computed in the page.

Run after ``make site``::

    .venv/bin/python benchmarks/bench_pages.py [--cpu-slowdown 4] [--build-against REF]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import launch_chromium, serve_directory  # noqa: E402

NPM_CI = ["ci", "--ignore-scripts", "--no-audit", "--no-fund"]

SITE = Path(os.environ.get("BENCH_SITE", REPO / "_build" / "html"))

FIRST_DRAWN = """
() => {
  const drawn = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("bpl "));
  return drawn.length ? Math.min(...drawn.map((m) => m.startTime + m.duration)) : null;
}
"""

# A reader who looks at the first explorer as soon as it is on the page: scroll it into
# view the moment the widget manager puts it there (views draw when they come into sight).
LOOK_AT_FIRST = """
window.__bplPhases = {};
new MutationObserver((_, observer) => {
  if (!window.__bplPhases.pictureParsed && document.querySelector(".bpl-fallback svg")) {
    // the build's static picture (tools/fallback_pictures.py): parsed now, painted by the
    // end of the next frame
    window.__bplPhases.pictureParsed = performance.now();
    const painted = () => { window.__bplPhases.picture = performance.now(); };
    requestAnimationFrame(() => setTimeout(painted));
  }
  if (!window.__bplPhases.widgets && document.querySelector(".widget-subarea")) {
    window.__bplPhases.widgets = performance.now();
  }
  const first = document.querySelector(".bpl-live-explorer");
  if (first) {
    observer.disconnect();
    first.scrollIntoView({ block: "center" });
  }
}).observe(document, { childList: true, subtree: true });
document.addEventListener("DOMContentLoaded", () => {
  const mathjax = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
  if (mathjax) mathjax.then(() => { window.__bplPhases.math = performance.now(); });
});
"""

# Where the time before the first picture goes: the first explorer's static picture drawn
# by the site build (painted; the reader sees it until the live one is there), the
# navigation's DOMContentLoaded and load events (the widget manager starts rendering at
# DOMContentLoaded), MathJax's first typesetting, and the first widget area the manager
# inserts.
PHASES = """
() => {
  const [nav] = performance.getEntriesByType("navigation");
  return { picture: window.__bplPhases.picture ?? null,
           ready: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
           math: window.__bplPhases.math ?? null, widgets: window.__bplPhases.widgets ?? null };
}
"""

LONGEST = """
() => {
  const ours = performance.getEntriesByType("measure").filter((m) => m.name.startsWith("bpl "));
  if (!ours.length) return null;
  const longest = ours.reduce((a, b) => (b.duration > a.duration ? b : a));
  return [longest.name, longest.duration, ours.length];
}
"""


def chapter_pages(containing: str = "") -> list[str]:
    return sorted(
        p.relative_to(SITE).as_posix()
        for p in (SITE / "book").glob("[0-9]*.html")
        if containing in p.name
    )


def page_bytes(page: str) -> int:
    """The page's HTML and the images it references."""
    html = (SITE / page).read_text(encoding="utf-8")
    images = set(re.findall(r'src="(?:\.\./)*_images/([^"]+)"', html))
    return len(html.encode("utf-8")) + sum((SITE / "_images" / i).stat().st_size for i in images)


def page_timings(
    slowdown: float, containing: str = ""
) -> dict[str, tuple[float | None, list | None, dict]]:
    """For each chapter page: navigation to the first picture (ms), the longest measure of
    our own code once every explorer has been scrolled into view, and the page's phases."""
    found = {}
    with serve_directory(SITE) as url, launch_chromium() as browser:
        for page_name in chapter_pages(containing):
            if "bpl-live-explorer" not in (SITE / page_name).read_text(encoding="utf-8"):
                continue
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.add_init_script(LOOK_AT_FIRST)
            if slowdown > 1:
                session = page.context.new_cdp_session(page)
                session.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
            page.goto(url + page_name, wait_until="load", timeout=120_000)
            page.wait_for_selector(".bpl-live-explorer canvas", timeout=120_000)
            explorers = page.locator(".bpl-live-explorer")
            first = None
            for k in range(explorers.count()):
                explorers.nth(k).scroll_into_view_if_needed()
                page.wait_for_function(
                    "(e) => e.querySelector('.bpl-live-status')?.textContent",
                    arg=explorers.nth(k).element_handle(),
                    timeout=120_000,
                )
                if first is None:
                    first = page.evaluate(FIRST_DRAWN)
                    phases = page.evaluate(PHASES)
            page.wait_for_timeout(1500)  # training that draws as it goes
            found[page_name] = (first, page.evaluate(LONGEST), phases)
            page.close()
    return found


def build_seconds(tree: Path, out: Path) -> float:
    # the tree's own package in its kernels, not the one installed in the virtualenv
    env = dict(os.environ, BACKPROP_LAB_SITE="1", PYTHONPATH=str(tree))
    start = time.perf_counter()
    subprocess.run(
        [str(REPO / ".venv" / "bin" / "jupyter-book"), "build", str(tree), "--all", "-q",
         "--path-output", str(out)],
        check=True, env=env, stdout=subprocess.DEVNULL, cwd=tree,
    )  # fmt: skip
    return time.perf_counter() - start


def build_ratio(ref: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", str(old), ref], cwd=REPO, check=True)
        try:
            lock = "package-lock.json"
            if (old / lock).read_bytes() == (REPO / lock).read_bytes():
                (old / "node_modules").symlink_to(REPO / "node_modules")
            else:  # other pinned packages (e.g. MathJax 3 before 4): the old tree's own
                subprocess.run(["npm", *NPM_CI], cwd=old, check=True, stdout=subprocess.DEVNULL)
            subprocess.run(
                [str(REPO / ".venv" / "bin" / "python"), "tools/vendor_js.py"], cwd=old, check=True
            )
            before = build_seconds(old, Path(tmp) / "out-old")
            now = build_seconds(REPO, Path(tmp) / "out-now")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO)
    return before, now


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu-slowdown", type=float, default=1.0, help="DevTools CPU rate")
    parser.add_argument("--build-against", metavar="REF", help="also time both site builds")
    parser.add_argument("--page", default="", help="only the chapter pages whose name has this")
    args = parser.parse_args()
    if not chapter_pages():
        sys.exit("build the site first: make site")

    print("Page bytes (HTML with widget state + its images; target <= 1.5 MB)")
    for page in chapter_pages(args.page):
        size = page_bytes(page)
        print(f"  {page:40s} {size / 1e6:6.2f} MB  {'ok' if size <= 1.5e6 else 'OVER'}")
    views = sorted((SITE / "_static" / "views").glob("*.js"))
    if views:
        shared = sum(p.stat().st_size for p in views) / 1e6
        print(f"  the explorers' modules, shared by every page (_static/views): {shared:.2f} MB")

    print(f"\nCPU slowdown {args.cpu_slowdown:g}x: first picture (target <= 3000 ms), longest task")
    print("of our own code (target <= 200 ms)")
    for page, (first, longest, phases) in page_timings(args.cpu_slowdown, args.page).items():
        if first is None or longest is None:  # a site built before the views measured
            print(f"  {page:40s} no measures: rebuild the site (make site)")
            continue
        name, ms, count = longest
        verdict = "ok" if first <= 3000 and ms <= 200 else "OVER"
        print(f"  {page:40s} first {first:7.0f} ms  longest {ms:6.1f} ms ({name}; "
              f"{count} measures)  {verdict}")  # fmt: skip
        print(
            "  "
            + " " * 40
            + "  ".join(f"{k} {v:.0f}" if v is not None else f"{k} -" for k, v in phases.items())
        )

    if args.build_against:
        before, now = build_ratio(args.build_against)
        saved = 1 - now / before
        print(
            f"\nBuild: {before:.0f} s at {args.build_against}, {now:.0f} s now: "
            f"{saved:.0%} faster (target >= 30%): {'met' if saved >= 0.3 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
