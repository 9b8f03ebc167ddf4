"""The playground's budgets (chapter 5's `TrainingExplorer`, issue 15), in Chromium.

- **Retrain**: the reader adds a hidden layer (the two moons' 2-8-1 becomes 2-8-8-1, 1000
  full-batch updates on the chapter's training points); the time from the click to the
  finished picture (the end of the last measure of the run, `bpl frame` or
  `bpl playground update`, once no new one comes for half a second). Target: median at
  most 100 ms.
- **Play**: the reader presses play; the pictures drawn per second while it plays (each a
  new status line). Target: at least 30 frames/s.

Run after ``make site``: ``.venv/bin/python benchmarks/bench_playground.py [--repeats N]
[--cpu-slowdown 4]`` (``BENCH_SITE=<folder>`` measures another build of the site;
``--site A --site B`` measures several builds in one run, their page loads taken in turn,
so that a change of the machine's load falls on each alike: an A/B comparison).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import SITE, launch_chromium, serve_directory  # noqa: E402

SITE = Path(os.environ.get("BENCH_SITE", SITE))  # another build, to compare two in one run

PAGE = "book/05_putting_it_together.html"

# Click a button of the playground and resolve, once the page is quiet for `quiet` ms,
# with the time from the click to the end of the last measure of our own code.
RETRAIN = """
async ([view, label, quiet]) => {
  const button = view.querySelector(`button[aria-label="${label}"]`);
  const start = performance.now();
  button.click();
  const ours = () => performance.getEntriesByType("measure")
    .filter((m) => m.name.startsWith("bpl ") && m.startTime >= start);
  let seen = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, quiet));
    const now = ours().length;
    if (now === seen) break;
    seen = now;
  }
  const ends = ours().map((m) => m.startTime + m.duration);
  return ends.length ? Math.max(...ends) - start : null;
}
"""

PLAY = """
async ([view, seconds]) => {
  const status = view.querySelector(".bpl-live-status");
  let changes = 0;
  const watch = new MutationObserver(() => { changes += 1; });
  watch.observe(status, { childList: true, characterData: true, subtree: true });
  view.querySelector(".bpl-playground-play").click();
  await new Promise((r) => setTimeout(r, 1000 * seconds));
  watch.disconnect();
  const button = view.querySelector(".bpl-playground-play");
  if (button.getAttribute("aria-pressed") === "true") button.click();
  return changes / seconds;
}
"""


def measure(browser: Any, url: str, cpu_slowdown: float) -> tuple[float | None, float]:
    """One page load: the retrain's time (ms) and the pictures per second while playing."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    if cpu_slowdown > 1:
        session = page.context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    page.goto(url + PAGE, wait_until="load", timeout=120_000)
    view = page.locator(".bpl-live-playground").first
    view.wait_for(timeout=120_000)
    view.scroll_into_view_if_needed()
    page.wait_for_function(
        "(v) => v.querySelector('.bpl-live-status').textContent",
        arg=view.element_handle(),
    )
    page.wait_for_timeout(1500)  # the first run finishes
    handle = view.element_handle()
    retrain = page.evaluate(RETRAIN, [handle, "add a hidden layer", 500])
    page.wait_for_timeout(500)
    rate = page.evaluate(PLAY, [handle, 2.0])
    page.close()
    return retrain, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0)
    parser.add_argument(
        "--site",
        type=Path,
        action="append",
        help="a built site's folder (repeat to compare builds; default: BENCH_SITE or "
        "this tree's _build/html)",
    )
    args = parser.parse_args()
    sites = args.site or [SITE]
    for site in sites:
        if not (site / PAGE).is_file():
            sys.exit(f"no {PAGE} in {site}: build the site first (make site)")
    results: dict[Path, list[tuple[float | None, float]]] = {site: [] for site in sites}
    with contextlib.ExitStack() as stack:
        urls = {site: stack.enter_context(serve_directory(site)) for site in sites}
        browser = stack.enter_context(launch_chromium())
        for _ in range(args.repeats):
            for site in sites:
                results[site].append(measure(browser, urls[site], args.cpu_slowdown))
    print(f"CPU slowdown {args.cpu_slowdown:g}x, {args.repeats} page loads per site")
    for site in sites:
        if len(sites) > 1:
            print(f"-- {site}")
        report([r for r, _ in results[site]], [p for _, p in results[site]])


def report(retrains: list[float | None], rates: list[float]) -> None:
    """Print the medians and each run against the budgets."""
    done = [t for t in retrains if t is not None]
    median = statistics.median(done) if done else float("nan")
    print(
        f"Retrain 2-8-8-1, 1000 full-batch updates, click to finished picture: median "
        f"{median:.0f} ms (runs {', '.join(f'{t:.0f}' for t in done)}; target <= 100): "
        f"{'met' if median <= 100 else 'MISSED'}"
    )
    rate = statistics.median(rates)
    print(
        f"Play: median {rate:.0f} pictures/s (runs {', '.join(f'{r:.0f}' for r in rates)}; "
        f"target >= 30): {'met' if rate >= 30 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
