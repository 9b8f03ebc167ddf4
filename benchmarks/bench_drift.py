"""How far the playground's run in the page and Python's run of it part (issue 15).

Run from the repository root::

    .venv/bin/python benchmarks/bench_drift.py              # the default grid, about 2 min
    .venv/bin/python benchmarks/bench_drift.py --per-cell 1 # half the grid
    .venv/bin/python benchmarks/bench_drift.py --chapters-only

A measurement, not a test. For each setting of chapter 5's playground
(:class:`~backprop_lab.explorers.training.TrainingExplorer`) the run is trained twice from
the same portable start on the same points:

- in Python, through the explorer itself: ``explorer.history``, ``explorer.network`` and
  ``explorer.status`` (the package's ``Network.train``), at the iteration the explorer
  shows by default and at the end of the run;
- in the browser engine under Node, through the page's own functions in the view's ES
  module (``playgroundSetup``, ``playgroundRunAll``, ``playgroundNumbers``,
  ``playgroundStatus``, ``playgroundExport`` of ``js/playground.js``), loaded and called
  with the runner of ``tests/unit/explorers/test_playground_view.py``
  (``tests/unit/explorers/views_runner.mjs``).

Both add the same numbers in different orders, so they differ in the last bits from the
first update, and training amplifies that. Reported: the relative difference of the final
training loss, the largest parameter difference (over the largest parameter), the
relative loss difference along the run, the share of status lines that differ, and the
settings that part most. The grid: every data set, every hidden activation and a range of
learning rates, each with ``--per-cell`` seeded draws of the hidden layers (1 to 3 layers
of 4 to 8), momentum (0 or 0.9), L2 (none or 0.01) and the seed (0 to 2); then the
settings the chapters show, for every seed of the seed slider and with one control moved
(the activation, the learning rate a few slider steps either way). The full record goes to
``benchmarks/results/drift.json``. See benchmarks/README.md.
"""

from __future__ import annotations

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from backprop_lab.calc.features import input_features  # noqa: E402
from backprop_lab.calc.playground_data import PLAYGROUND_NAMES  # noqa: E402
from backprop_lab.explorers.live import view_module  # noqa: E402
from backprop_lab.explorers.training import PlaygroundView, TrainingExplorer  # noqa: E402
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from training_helpers import page_settings  # noqa: E402  (as the page reads the settings)

RUNNER = ROOT / "tests" / "unit" / "explorers" / "views_runner.mjs"
RESULTS = ROOT / "benchmarks" / "results"

LEARNING_RATES = (0.03, 0.3, 1.0, 3.0, 10.0)
HIDDEN = ((4,), (8,), (6, 6), (8, 8), (4, 4, 4), (8, 8, 8))
MOMENTA = (0.0, 0.9)
L2_RATES = (None, 0.01)
SEEDS = (0, 1, 2)

CHAPTERS = {
    # the explorers the chapters show, as their cells build them
    "ch04 xor": dict(dataset="xor", hidden_layers=(4,), learning_rate=0.5, iterations=1000),
    "ch05 two_moons": dict(
        dataset="two_moons", hidden_layers=(8,), learning_rate=1.0, iterations=1000
    ),
    "ch06 three_spirals": dict(
        dataset="three_spirals",
        hidden_layers=(8, 8),
        learning_rate=0.03,
        momentum=0.5,
        n_samples=300,
        max_iterations=2000,
        iterations=2000,
    ),
    "default (no arguments)": {},
}

# The page's side: one run through the page's functions, its status at the iteration
# shown and at the end, the loss history and the final parameters.
PAGE_RUN = """
function driftRun(s, shownIteration) {
  const features = playgroundUsableFeatures(s.features, s.dataset);
  const setup = playgroundSetup({ start: "", ...s, features });
  const run = playgroundRunAll(setup);
  const shown = playgroundNumbers(run, shownIteration);
  const end = playgroundNumbers(run, run.history.iterationsRun);
  const final = playgroundExport(playgroundNet(run, run.history.iterationsRun), setup.s);
  return { statusShown: playgroundStatus(shown), statusEnd: playgroundStatus(end), end,
           iterationsRun: run.history.iterationsRun, diverged: Boolean(run.history.diverged),
           loss: Array.from(run.history.loss, (v) => (Number.isFinite(v) ? v : null)),
           weights: final.weights, biases: final.biases };
}
"""


def grid(per_cell: int, seed: int = 0) -> list[tuple[str, dict[str, Any]]]:
    """Every (data set, activation, learning rate), each with ``per_cell`` seeded draws of
    the hidden layers, momentum, L2 and seed; then the chapters' settings for every seed."""
    rng = np.random.default_rng(seed)
    settings = []
    for dataset, activation, rate in itertools.product(
        PLAYGROUND_NAMES, HIDDEN_ACTIVATIONS, LEARNING_RATES
    ):
        others = list(itertools.product(range(len(HIDDEN)), MOMENTA, L2_RATES, SEEDS))
        for k in rng.choice(len(others), size=per_cell, replace=False):
            hidden, momentum, l2, s = others[k]
            kwargs = dict(
                dataset=dataset,
                activation=activation,
                learning_rate=rate,
                hidden_layers=HIDDEN[hidden],
                momentum=momentum,
                seed=s,
            )
            if l2 is not None:
                kwargs.update(regularization="L2", regularization_rate=l2)
            settings.append(("grid", kwargs))
    return settings


def chapter_settings() -> list[tuple[str, dict[str, Any]]]:
    """The chapters' explorers with every seed a reader can choose (0 to 20)."""
    return [(name, {**kwargs, "seed": s}) for name, kwargs in CHAPTERS.items() for s in range(21)]


def neighbour_settings() -> list[tuple[str, dict[str, Any]]]:
    """The chapters' explorers with one control moved: the other hidden activations, and
    the learning rate 1, 2 and 4 slider steps (a factor 10**0.05 each) either way."""
    found = []
    for name, kwargs in CHAPTERS.items():
        rate = kwargs.get("learning_rate", 0.3)
        for activation in HIDDEN_ACTIVATIONS:
            if activation != kwargs.get("activation", "tanh"):
                found.append((f"{name} moved", {**kwargs, "activation": activation}))
        for k in (-4, -2, -1, 1, 2, 4):
            found.append((f"{name} moved", {**kwargs, "learning_rate": rate * 10 ** (0.05 * k)}))
    return found


def page_runs(calls: list[dict], folder: Path) -> list[dict]:
    """Run ``driftRun`` for each call in one Node process, through the view's module."""
    node = shutil.which("node")
    if node is None:
        sys.exit("node (Node 20) must be on PATH")
    module = folder / "playground_drift.mjs"
    if not module.exists():
        code = view_module("playground.js", PlaygroundView._shared_files)
        module.write_text(f"{code}\n{PAGE_RUN}\nexport {{ driftRun }};\n", encoding="utf-8")
    done = subprocess.run(
        [node, str(RUNNER), str(module)],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(done.stderr)
    return json.loads(done.stdout)["answers"]


def relative(a: float, b: float) -> float:
    """|a - b| / |b| (0 when both are 0; inf when only one is finite)."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return 0.0 if (math.isfinite(a) == math.isfinite(b)) else math.inf
    return abs(a - b) / abs(b) if b else abs(a)


def python_run(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], int]:
    """The explorer's own run: its page settings, and its numbers and status lines."""
    with TrainingExplorer(**kwargs) as explorer:
        shown = int(explorer.controls["iterations"].value)
        settings = page_settings(explorer)
        status_shown = explorer.status
        history = explorer.history
        explorer.controls["iterations"].value = explorer.setting().max_iterations
        status_end = explorer.status
        net = explorer.network
        train, _ = explorer.data()
        X = input_features(train.X, explorer.setting().features)
        return (
            settings,
            {
                "status_shown": status_shown,
                "status_end": status_end,
                "loss_end": float(net.loss(X, train.Y)),
                "iterations_run": history.iterations_run,
                "diverged": bool(history.diverged),
                "loss": [float(v) for v in history.loss],
                "parameters": np.concatenate(
                    [np.ravel(a) for a in (*net.weights, *net.biases)]
                ).tolist(),
            },
            shown,
        )


def compare(python: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    """The differences between one setting's two runs."""
    py_loss = np.array(python["loss"], dtype=float)
    js_loss = np.array([np.nan if v is None else v for v in page["loss"]], dtype=float)
    n = min(len(py_loss), len(js_loss))
    with np.errstate(invalid="ignore", divide="ignore"):
        along = np.abs(js_loss[:n] - py_loss[:n]) / np.abs(py_loss[:n])
    past = np.flatnonzero(~(along <= 1e-6))  # NaN counts as past
    small, large = np.flatnonzero(~(along <= 1e-12)), np.flatnonzero(~(along <= 1e-3))
    growth = int(large[0] - small[0]) if large.size else None
    checkpoints = {
        str(t): (float(along[t - 1]) if t <= n else None) for t in (1, 10, 100, 1000, 2000)
    }
    p_py = np.array(python["parameters"])
    p_js = np.concatenate(
        [np.ravel(np.array(w, dtype=float)) for w in page["weights"]]
        + [np.ravel(np.array(b, dtype=float)) for b in page["biases"]]
    )
    scale = float(np.max(np.abs(p_py))) if p_py.size else 1.0
    return {
        "final_loss_rel": relative(
            math.nan if page["end"]["train"] is None else page["end"]["train"], python["loss_end"]
        ),
        "param_max_abs": float(np.max(np.abs(p_js - p_py))),
        "param_max_rel": float(np.max(np.abs(p_js - p_py)) / scale) if scale else 0.0,
        "loss_rel_at": checkpoints,
        "first_past_1e-6": int(past[0]) + 1 if past.size else None,
        "updates_1e-12_to_1e-3": growth,
        "status_shown_differs": page["statusShown"] != python["status_shown"],
        "status_end_differs": page["statusEnd"] != python["status_end"],
        "iterations_run_differs": page["iterationsRun"] != python["iterations_run"],
        "diverged": python["diverged"] or page["diverged"],
        "status_shown": [python["status_shown"], page["statusShown"]],
        "status_end": [python["status_end"], page["statusEnd"]],
    }


def quantiles(values: list[float]) -> str:
    a = np.array([v for v in values if v is not None and math.isfinite(v)])
    if not a.size:
        return "(none)"
    q = np.quantile(a, [0.5, 0.9, 0.99, 1.0])
    return "median {:.1e}  90% {:.1e}  99% {:.1e}  max {:.1e}".format(*q)


def describe(kwargs: dict[str, Any]) -> str:
    keys = ("dataset", "activation", "hidden_layers", "learning_rate", "momentum", "seed")
    words = [
        f"{k}={kwargs[k]:.3g}" if isinstance(kwargs[k], float) else f"{k}={kwargs[k]}"
        for k in keys
        if k in kwargs
    ]
    if kwargs.get("regularization") == "L2":
        words.append(f"l2={kwargs['regularization_rate']}")
    return " ".join(words)


def report(rows: list[dict[str, Any]], title: str) -> None:
    if not rows:
        return
    ok = [r for r in rows if not r["diff"]["diverged"]]
    print(f"\n== {title}: {len(rows)} settings ({len(rows) - len(ok)} diverged in either run)")
    d = [r["diff"] for r in ok]
    print(
        "final training loss, relative difference:  ", quantiles([x["final_loss_rel"] for x in d])
    )
    print(
        "max |parameter difference| / max |parameter|:", quantiles([x["param_max_rel"] for x in d])
    )
    for t in ("10", "100", "1000"):
        print(
            f"loss history, relative difference at t={t:>4}:",
            quantiles([x["loss_rel_at"][t] for x in d]),
        )
    past = [x["first_past_1e-6"] for x in d]
    print(
        f"runs whose loss history parts by more than 1e-6: {sum(p is not None for p in past)}"
        f" of {len(d)}; earliest at update {min((p for p in past if p), default='-')}"
    )
    growth = [x["updates_1e-12_to_1e-3"] for x in d if x["updates_1e-12_to_1e-3"] is not None]
    if growth:
        print(
            f"updates from a 1e-12 to a 1e-3 relative loss difference (the {len(growth)} runs "
            f"that get there): median {np.median(growth):.0f}, {min(growth)} to {max(growth)}"
        )
    bands = [1e-12, 1e-6, 1e-3, 1e-2, math.inf]
    final = [x["final_loss_rel"] for x in d]
    counts, low = [], 0.0
    for high in bands:
        counts.append(
            f"<= {high:.0e}: {sum(low < v <= high or (low == 0 and v == 0) for v in final)}"
        )
        low = high
    print("final training loss, relative difference, runs by band:", ", ".join(counts))
    for key, words in (
        ("status_shown_differs", "status line at the iteration shown by default"),
        ("status_end_differs", "status line at the end of the run"),
        ("iterations_run_differs", "iterations run (where one diverged earlier)"),
    ):
        k = sum(r["diff"][key] for r in rows)
        print(f"{words} differs: {k} of {len(rows)} ({k / len(rows):.1%})")


def _level_order(level: str) -> tuple[int, float, str]:
    """Numbers by size, then the other levels by name."""
    try:
        return (0, float(level), level)
    except ValueError:
        return (1, 0.0, level)


def by_factor(rows: list[dict[str, Any]]) -> None:
    """Median and largest final-loss difference, and status differences, by each factor."""
    ok = [r for r in rows if not r["diff"]["diverged"]]
    factors = {
        "dataset": lambda k: k["dataset"],
        "activation": lambda k: k["activation"],
        "learning_rate": lambda k: f"{k['learning_rate']:.3g}",
        "hidden_layers": lambda k: k["hidden_layers"],
        "momentum": lambda k: k["momentum"],
        "l2": lambda k: k.get("regularization_rate") if k.get("regularization") else 0,
    }
    print("\nby factor (grid, runs that did not diverge): final-loss rel. difference median / max;")
    print("share of status lines (shown or end) that differ, over all grid runs")
    for name, key in factors.items():
        levels = sorted({str(key(r["kwargs"])) for r in rows}, key=_level_order)
        for level in levels:
            sel = [r for r in ok if str(key(r["kwargs"])) == level]
            every = [r for r in rows if str(key(r["kwargs"])) == level]
            loss = [r["diff"]["final_loss_rel"] for r in sel]
            status = sum(
                r["diff"]["status_shown_differs"] or r["diff"]["status_end_differs"] for r in every
            )
            med = f"{np.median(loss):.1e}" if loss else "-"
            top = f"{np.max(loss):.1e}" if loss else "-"
            print(
                f"  {name:>13} {level:<10} n={len(every):>3}  {med:>8} / {top:>8}   "
                f"status differs {status}/{len(every)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--per-cell",
        type=int,
        default=2,
        help="draws per (data set, activation, learning rate); default 2",
    )
    parser.add_argument("--chapters-only", action="store_true")
    parser.add_argument("--no-chapters", action="store_true")
    parser.add_argument("--chunk", type=int, default=40, help="settings per Node process")
    args = parser.parse_args()

    settings = [] if args.chapters_only else grid(args.per_cell)
    if not args.no_chapters:
        settings += chapter_settings() + neighbour_settings()
    began = time.perf_counter()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for k in range(0, len(settings), args.chunk):
            chunk = settings[k : k + args.chunk]
            pythons = [python_run(kwargs) for _, kwargs in chunk]
            calls = [{"fn": "driftRun", "args": [s, shown]} for s, _, shown in pythons]
            pages = page_runs(calls, Path(folder))
            for (group, kwargs), (sent, python, _), page in zip(chunk, pythons, pages):
                if "error" in page:
                    sys.exit(f"the page's run failed for {kwargs}: {page['error']}")
                used = {**kwargs, "learning_rate": sent["learningRate"]}  # on the slider's grid
                rows.append(
                    {"group": group, "kwargs": used, "diff": compare(python, page["result"])}
                )
            print(
                f"{len(rows)}/{len(settings)} settings, {time.perf_counter() - began:.0f} s",
                file=sys.stderr,
            )

    grid_rows = [r for r in rows if r["group"] == "grid"]
    report(grid_rows, "grid")
    if grid_rows:
        by_factor(grid_rows)
        ranked = sorted(
            (r for r in grid_rows if not r["diff"]["diverged"]),
            key=lambda r: -r["diff"]["final_loss_rel"],
        )
        print("\nthe ten grid settings that part most (final training loss):")
        for r in ranked[:10]:
            d = r["diff"]
            print(
                f"  {d['final_loss_rel']:.1e}  params {d['param_max_rel']:.1e}  "
                f"{describe(r['kwargs'])}"
            )
    for name in CHAPTERS:
        report([r for r in rows if r["group"] == name], f"chapter setting '{name}', seeds 0-20")
        report(
            [r for r in rows if r["group"] == f"{name} moved"],
            f"chapter setting '{name}', another activation or learning rate",
        )
    shown_ones = [
        r
        for r in rows
        if r["group"] != "grid"
        and (r["diff"]["status_shown_differs"] or r["diff"]["status_end_differs"])
    ]
    if shown_ones:
        print("\n!! the chapters' settings whose status line differs:")
        for r in shown_ones:
            print(f"  {r['group']}: {describe(r['kwargs'])}")
            pairs = {tuple(r["diff"]["status_shown"]), tuple(r["diff"]["status_end"])}
            for py, js in sorted(pairs):
                if py != js:
                    print(f"    python: {py}\n    page:   {js}")
    print(f"\n{len(rows)} settings in {time.perf_counter() - began:.0f} s")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "drift.json").write_text(json.dumps(rows, indent=1, default=str))


if __name__ == "__main__":
    main()
