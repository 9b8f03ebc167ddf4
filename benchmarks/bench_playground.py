"""The playground's budgets (chapter 5's `TrainingExplorer`, issue 15), in Chromium.

- **Retrain**: the reader adds a hidden layer (the two moons' 2-8-1 becomes 2-8-8-1, 1000
  full-batch updates on the chapter's training points); the time from the click to the
  finished picture (the end of the last measure of the run, `bpl frame` or
  `bpl playground update`, once no new one comes for half a second). Target: median at
  most 100 ms.
- **Play**: the reader presses play; the pictures drawn per second while it plays (each a
  new status line). Target: at least 30 frames/s.

Run after ``make site``: ``.venv/bin/python benchmarks/bench_playground.py [--repeats N]
[--cpu-slowdown 4]`` (``BENCH_SITE=<folder>`` measures another build of the site).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cpu-slowdown", type=float, default=1.0)
    args = parser.parse_args()
    if not (SITE / PAGE).is_file():
        sys.exit("build the site first: make site")
    retrains, rates = [], []
    with serve_directory(SITE) as url, launch_chromium() as browser:
        for _ in range(args.repeats):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            if args.cpu_slowdown > 1:
                session = page.context.new_cdp_session(page)
                session.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu_slowdown})
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
            retrains.append(page.evaluate(RETRAIN, [handle, "add a hidden layer", 500]))
            page.wait_for_timeout(500)
            rates.append(page.evaluate(PLAY, [handle, 2.0]))
            page.close()
    done = [t for t in retrains if t is not None]
    median = statistics.median(done) if done else float("nan")
    print(f"CPU slowdown {args.cpu_slowdown:g}x, {args.repeats} page loads")
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
