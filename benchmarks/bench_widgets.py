"""How fast the explorers answer a reader (issue 3's speed targets).

Each row is the median time of programmatic control changes, each including the redraw
and the rendering of the figure to PNG bytes (what the reader's browser receives), like
the inline backend would render a figure. Targets:

- moving the iterations slider of TrainingExplorer: at most 100 ms (no retraining);
- changing the learning rate of a 2-16-16-1 network, 1000 iterations on 200 points
  (training included): at most 250 ms.

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


def iterations_slider(repeats: int) -> list[float]:
    explorer = explorers.TrainingExplorer(dataset="two_moons", hidden_layers=(8,))
    slider = explorer.controls["iterations"]
    rng = np.random.default_rng(0)
    values = rng.permutation(np.arange(slider.min + slider.step, slider.max + 1, slider.step))
    history = explorer.history
    times = timed([setter(slider, int(v)) for v in values[:repeats]])
    assert explorer.history is history, "the iterations slider must not retrain"
    return times


def learning_rate_16_16(repeats: int) -> list[float]:
    explorer = explorers.TrainingExplorer(
        dataset="two_moons", hidden_layers=(16, 16), max_iterations=1000, iterations=1000
    )
    assert explorer.data.n_samples == 200 and explorer.initial_network.layer_sizes == [2, 16, 16, 1]
    rate = explorer.controls["learning_rate"]
    values = np.geomspace(0.011, 2.9, repeats)  # all different: every change trains anew
    times = timed([setter(rate, float(v)) for v in values])
    assert explorer.history.iterations_requested == 1000
    return times


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
    ("TrainingExplorer: iterations slider (two_moons, 2-8-1)", iterations_slider, 0.100),
    ("TrainingExplorer: learning rate, 2-16-16-1, 1000 it, 200 pts", learning_rate_16_16, 0.250),
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
