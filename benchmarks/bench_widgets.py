"""How fast the explorers answer a reader (issue 3's speed targets).

Each row is the median time of programmatic control changes, each including the redraw
and the rendering of the figure to PNG bytes (what the reader's browser receives), like
the inline backend would render a figure. The playground (``TrainingExplorer``) trains and
draws in the page: ``benchmarks/bench_live.py`` measures it in Chromium.

Run: ``.venv/bin/python benchmarks/bench_widgets.py`` (``--repeats N`` for more changes).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

import matplotlib

matplotlib.use("Agg")

import numpy as np

from backprop_lab import explorers


def timed(changes: Sequence[Callable[[], None]]) -> list[float]:
    times = []
    for change in changes:
        start = time.perf_counter()
        change()
        times.append(time.perf_counter() - start)
    return times


def setter(control, value) -> Callable[[], None]:
    def change() -> None:
        control.value = value

    return change


def descent_learning_rate(repeats: int) -> list[float]:
    explorer = explorers.GradientDescentExplorer(steps=30)
    values = np.geomspace(0.002, 1.5, repeats)
    return timed([setter(explorer.controls["learning_rate"], float(v)) for v in values])


def backprop_step(repeats: int) -> list[float]:
    explorer = explorers.BackpropStepper(param="W1[0,0]")
    slider = explorer.controls["step"]
    values = [(k % (slider.max + 1)) for k in range(1, repeats + 1)]
    return timed([setter(slider, v) for v in values])


BENCHMARKS = [
    ("GradientDescentExplorer: learning rate", descent_learning_rate, None),
    ("BackpropStepper: step slider", backprop_step, None),
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=25, help="control changes per row")
    args = parser.parse_args(argv)
    if args.repeats < 20:
        parser.error("--repeats must be at least 20")
    rows, failed = [], False
    for name, bench, target in BENCHMARKS:
        times = bench(args.repeats)
        median = statistics.median(times) * 1000
        verdict = "-"
        if target is not None:
            ok = median <= target * 1000
            failed |= not ok
            verdict = f"{'ok' if ok else 'SLOW'} (<= {target * 1000:.0f} ms)"
        rows.append((name, len(times), median, min(times) * 1000, max(times) * 1000, verdict))
    width = max(len(r[0]) for r in rows)
    head = f"{'explorer and control':<{width}}  {'n':>3}  {'median':>8}  {'min':>7}  {'max':>7}"
    print(f"{head}  target")
    for name, n, median, low, high, verdict in rows:
        print(
            f"{name:<{width}}  {n:>3}  {median:>6.1f}ms  {low:>5.1f}ms  {high:>5.1f}ms  {verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
