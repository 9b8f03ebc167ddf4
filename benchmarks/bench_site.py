"""The static website's budgets (issue 8): response time, page bytes, build time.

- **Response**: on the built site in headless Chromium, for every precomputed control of
  every explorer, the time from a keypress on the slider (a keydown dispatched to its
  handle; a change event for a menu) to the new frame shown with its picture decoded,
  measured inside the page with ``performance.now()``. Target: median at most 50 ms.
- **Page bytes**: each chapter page's own bytes, its HTML (with the saved widget state and
  every precomputed frame) and the images it references in ``_images/``; not the shared
  vendored JavaScript. Target: at most 4 MB a page.
- **Build time** (``--build``): ``jupyter-book build`` into two temporary folders, once with
  ``BACKPROP_LAB_SITE=0`` (explorers show their default picture only, as before this
  round) and once as the site is built; the ratio is the cost of precomputing. Target: at
  most 2.

Run after ``make site``: ``.venv/bin/python benchmarks/bench_site.py [--build] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import launch_chromium, serve_directory  # noqa: E402

SITE = Path(os.environ.get("BENCH_SITE", REPO / "_build" / "html"))
CHAPTERS = sorted(
    p.relative_to(SITE).as_posix()
    for p in (SITE / "book").glob("*.html")
    if "bpl-static-view" in p.read_text(encoding="utf-8")
)

# Move one control of one view, then wait for a different frame with its picture decoded.
RESPOND = """
async ([view, selector, key]) => {
  const shown = () => Array.from(view.querySelectorAll(".bpl-frame"))
                           .find((f) => f.offsetParent !== null);
  const before = shown();
  const control = Array.from(view.querySelectorAll(selector))
                       .find((c) => c.offsetParent !== null);
  const start = performance.now();
  const select = control.querySelector("select");
  if (select) {
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  } else {
    control.querySelector(".noUi-handle").dispatchEvent(
      new KeyboardEvent("keydown", { key: key, bubbles: true }));
  }
  for (;;) {
    const now = shown();
    const image = now && now.querySelector("img");
    if (now && now !== before && image && image.complete && image.naturalWidth > 0) {
      await image.decode();
      return performance.now() - start;
    }
    if (performance.now() - start > 5000) return null;
    await new Promise((done) => requestAnimationFrame(done));
  }
}
"""

AXES = """
(view) => Array.from(new Set(Array.from(view.querySelectorAll("[class*='bpl-axis-']"))
  .map((e) => Array.from(e.classList).find((c) => c.startsWith("bpl-axis-")))))
"""


def page_bytes(page: str) -> int:
    html = (SITE / page).read_text(encoding="utf-8")
    images = set(re.findall(r'src="(?:\.\./)*_images/([^"]+)"', html))
    return len(html.encode("utf-8")) + sum((SITE / "_images" / i).stat().st_size for i in images)


def response_times(repeats: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with launch_chromium() as chromium, serve_directory(SITE) as url:
        for page_name in CHAPTERS:
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url + page_name, wait_until="load", timeout=60_000)
            views = page.locator(".bpl-static-view")
            try:
                page.wait_for_function(
                    "() => document.querySelectorAll('.bpl-static-view .bpl-frame img').length",
                    timeout=60_000,
                )
            except Exception:
                context.close()
                continue
            for k in range(views.count()):
                view = views.nth(k)
                view.scroll_into_view_if_needed()
                handle = view.element_handle()
                for axis in page.evaluate(AXES, handle):
                    for r in range(repeats):
                        key = "ArrowLeft" if r % 2 else "ArrowRight"
                        ms = page.evaluate(RESPOND, [handle, f".{axis}", key])
                        if ms is None:  # at the end of its range: go the other way
                            ms = page.evaluate(RESPOND, [handle, f".{axis}", "ArrowLeft"])
                        if ms is not None:
                            times.setdefault(f"{page_name} view {k + 1} {axis[9:]}", []).append(ms)
            context.close()
    return times


def build_seconds(site_variable: str) -> float:
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "BACKPROP_LAB_SITE": site_variable}
        start = time.perf_counter()
        subprocess.run(
            [
                str(REPO / ".venv" / "bin" / "jupyter-book"),
                "build",
                str(REPO),
                "--all",
                "--path-output",
                out,
                "-q",
            ],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
            cwd=REPO,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=6, help="key presses per control")
    parser.add_argument("--build", action="store_true", help="also time the site build")
    args = parser.parse_args()
    if not CHAPTERS:
        sys.exit("build the site first: make site")

    print("Page bytes (HTML with widget state + its images; target <= 4 MB)")
    for page in CHAPTERS:
        size = page_bytes(page)
        print(f"  {page:40s} {size / 1e6:6.2f} MB  {'ok' if size <= 4e6 else 'OVER'}")

    times = response_times(args.repeats)
    every = [t for ts in times.values() for t in ts]
    print("\nResponse, keypress to new picture (ms; target median <= 50)")
    for name, ts in times.items():
        print(f"  {name:58s} median {statistics.median(ts):6.1f}  max {max(ts):6.1f}")
    if every:
        median = statistics.median(every)
        verdict = "met" if median <= 50 else "MISSED"
        print(
            f"  all {len(every)} moves: median {median:.1f} ms, max {max(every):.1f} ms: {verdict}"
        )

    if args.build:
        plain = build_seconds("0")
        site = build_seconds("1")
        print(
            f"\nBuild: {plain:.0f} s without precomputed views, {site:.0f} s with them: "
            f"ratio {site / plain:.2f} (target <= 2): {'met' if site <= 2 * plain else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
