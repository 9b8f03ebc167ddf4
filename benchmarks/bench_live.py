"""The live explorers' response on the built site (issue 15's first budget).

In headless Chromium, for every control of every explorer that computes in the page
(`.bpl-live-explorer`), the time from a keypress on a slider's handle (a keydown
dispatched to it; a change event for a menu) to the next painted frame after the
explorer's status line has changed, measured inside the page with ``performance.now()``
(the paint: a ``requestAnimationFrame`` callback and a message posted from it, which runs
after the frame). Target: median at most 30 ms for every control.

Run after ``make site``: ``.venv/bin/python benchmarks/bench_live.py [--repeats N]``
(``--cpu-slowdown 4`` throttles the CPU as a phone would be, through DevTools).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser import launch_chromium, serve_directory  # noqa: E402

SITE = Path(os.environ.get("BENCH_SITE", REPO / "_build" / "html"))
CHAPTERS = sorted(
    p.relative_to(SITE).as_posix()
    for p in (SITE / "book").glob("*.html")
    if "bpl-live" in p.read_text(encoding="utf-8") or "anywidget" in p.read_text(encoding="utf-8")
)

# Move one control of one explorer; resolve with the milliseconds to the painted frame.
RESPOND = """
async ([explorer, name, key]) => {
  const status = explorer.querySelector(".bpl-live-status");
  const before = status.textContent;
  const control = explorer.querySelector(".bpl-control-" + name);
  const start = performance.now();
  const select = control.querySelector("select");
  if (select) {
    select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  } else {
    control.querySelector(".noUi-handle").dispatchEvent(
      new KeyboardEvent("keydown", { key: key, bubbles: true }));
  }
  while (status.textContent === before) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (performance.now() - start > 5000) return null;
  }
  await new Promise((resolve) => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  }));
  return performance.now() - start;
}
"""

CONTROLS = """
(explorer) => Array.from(explorer.querySelectorAll("[class*='bpl-control-']")).map((c) =>
  Array.from(c.classList).find((k) => k.startsWith("bpl-control-")).slice(12))
"""


def measure(repeats: int, slowdown: float) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with serve_directory(SITE) as url, launch_chromium() as browser:
        for chapter in CHAPTERS:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            if slowdown > 1:
                session = page.context.new_cdp_session(page)
                session.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
            page.goto(url + chapter, wait_until="load")
            try:
                page.wait_for_selector(".bpl-live-explorer .bpl-live-status", timeout=30_000)
            except Exception:  # a page without a live explorer
                page.close()
                continue
            explorers = page.locator(".bpl-live-explorer")
            for k in range(explorers.count()):
                explorers.nth(k).scroll_into_view_if_needed()  # views start when in sight
                explorer = explorers.nth(k).element_handle()
                page.wait_for_function(
                    "(e) => e.querySelector('.bpl-live-status').textContent !== ''", arg=explorer
                )
                for name in page.evaluate(CONTROLS, explorer):
                    label = f"{chapter} #{k + 1} {name}"
                    for r in range(repeats):
                        key = "ArrowRight" if r % 2 == 0 else "ArrowLeft"
                        ms = page.evaluate(RESPOND, [explorer, name, key])
                        if ms is not None:
                            times.setdefault(label, []).append(ms)
            page.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=12, help="moves per control")
    parser.add_argument("--cpu-slowdown", type=float, default=1.0, help="DevTools CPU rate")
    args = parser.parse_args()
    times = measure(args.repeats, args.cpu_slowdown)
    if not times:
        sys.exit(f"no live explorer found under {SITE}: run `make site` first")
    print(f"{'control':58s} {'median ms':>9s} {'max ms':>8s}")
    for label, values in times.items():
        print(f"{label:58s} {statistics.median(values):9.1f} {max(values):8.1f}")
    medians = [statistics.median(v) for v in times.values()]
    worst = max(medians)
    print(
        f"worst median {worst:.1f} ms over {len(times)} controls (target <= 30 ms): "
        f"{'met' if worst <= 30 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
