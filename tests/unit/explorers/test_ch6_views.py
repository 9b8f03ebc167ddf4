"""Chapter 6's live explorers under Node: each view writes, for many settings, the status
line the Python explorer computes (its numbers from the engine's runs, Python's from the
package's), word for word; the views hold the explorers' settings; bad constructor values
are refused with messages naming the argument.

Node 20 is a prerequisite (see ``test_live_views.py``, whose ``call_view`` runs the module).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from test_live_views import call_view

import backprop_lab as bl
from backprop_lab import explorers as le

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?")


def same_status(got: str, expected: str, floor: float = 0.0) -> bool:
    """Equal word for word; where ``floor`` is given, numbers both below it in size (losses
    at the float's rounding floor, where numpy and JavaScript add in another order) may
    differ."""
    if got == expected:
        return True
    if not floor or NUMBER.sub("#", got) != NUMBER.sub("#", expected):
        return False
    for a, b in zip(NUMBER.findall(got), NUMBER.findall(expected)):
        if a != b and not (abs(float(a)) < floor and abs(float(b)) < floor):
            return False
    return True


def linked_traits(explorer) -> set[tuple]:
    return {(link.source[0], link.source[1], link.target[1]) for link in explorer.links}


# ------------------------------------------------------------------ momentum


def test_the_momentum_status_is_the_python_explorers(tmp_path: Path):
    explorers, calls = [], []
    for mu in (0.0, 0.3, 0.8, 0.9, 0.99):
        for eta in (0.05, 0.3, 1.0, 1.9, 2.2, 3.0):
            for steps in (5, 37, 60, 200):
                explorer = le.MomentumExplorer(momentum=mu, learning_rate=eta, steps=steps)
                v = explorer.values()  # on the sliders' grid
                explorers.append(explorer)
                data = explorer.data
                calls.append(
                    {
                        "fn": "momentumStatusFor",
                        "args": [
                            data.X.tolist(),
                            data.Y.tolist(),
                            list(explorer.START),
                            v["momentum"],
                            v["learning_rate"],
                            v["steps"],
                        ],
                    }
                )
    answers = call_view("momentum.js", ["momentumStatusFor"], calls, tmp_path)["answers"]
    diverged = 0
    for explorer, got in zip(explorers, answers):
        expected = explorer.status
        diverged += "diverged" in expected
        # a loss of 1e-30 is the weights a few units in the last place from the minimum
        assert same_status(got["result"], expected, floor=1e-28), (got, expected)
    assert diverged >= 10


def test_the_momentum_view_holds_the_explorers_settings_and_data():
    explorer = le.MomentumExplorer(momentum=0.5, learning_rate=0.3, steps=40)
    view = explorer.view
    assert (view.momentum, view.steps) == (0.5, 40)
    assert view.learning_rate == pytest.approx(0.3, rel=0.03)  # the log slider's grid
    np.testing.assert_array_equal(np.array(view.X), explorer.data.X)
    np.testing.assert_array_equal(np.array(view.Y), explorer.data.Y)
    assert tuple(view.start) == explorer.START
    linked = linked_traits(explorer)
    for name, control in explorer.controls.items():
        assert (control, "value", name) in linked


def test_the_momentum_path_in_the_page_is_the_packages(tmp_path: Path):
    explorer = le.MomentumExplorer(momentum=0.9, learning_rate=1.0, steps=60)
    v = explorer.values()
    extra = (
        "function momentumPathFor(X, Y, start, mu, eta, steps) {"
        " return momentumRun(X, Y, start, eta, mu, steps)"
        ".snapshots.map((s) => Array.from(s.weights[0])); }"
    )
    data = explorer.data
    calls = [
        {
            "fn": "momentumPathFor",
            "args": [
                data.X.tolist(),
                data.Y.tolist(),
                list(explorer.START),
                mu,
                v["learning_rate"],
                60,
            ],
        }
        for mu in (0.0, v["momentum"])
    ]
    plain, heavy = call_view("momentum.js", ["momentumPathFor"], calls, tmp_path, extra)["answers"]
    np.testing.assert_allclose(plain["result"], explorer.path(explorer.plain), rtol=1e-12)
    np.testing.assert_allclose(heavy["result"], explorer.path(explorer.heavy), rtol=1e-12)


# ------------------------------------------------------------------ gradient sizes


def test_the_gradient_size_status_and_numbers_are_the_python_explorers(tmp_path: Path):
    explorers, calls = [], []
    data = le.GradientSizeExplorer().data
    for activation in le.GradientSizeExplorer.ACTIVATIONS:
        for scale in (0.25, 0.4, 1.0, 1.7, 4.0):
            for depth in (1, 2, 5, 8, 12):
                explorer = le.GradientSizeExplorer(activation, scale, depth)
                v = explorer.values()
                explorers.append(explorer)
                calls.append(
                    {
                        "fn": "gradientSizeFor",
                        "args": [
                            data.X.tolist(),
                            data.Y.tolist(),
                            activation,
                            v["weight_scale"],
                            depth,
                            explorer.width,
                            explorer.seed,
                        ],
                    }
                )
    answers = call_view("gradient_size.js", ["gradientSizeFor"], calls, tmp_path)["answers"]
    endings = set()
    for explorer, got in zip(explorers, answers):
        result = got["result"]
        assert result["status"] == explorer.status, (result["status"], explorer.status)
        np.testing.assert_allclose(result["sizes"], explorer.sizes, rtol=1e-10)
        np.testing.assert_allclose(result["spreads"], explorer.spreads, rtol=1e-10)
        endings.add(explorer.status.rsplit(".", 2)[-2].split(":")[0].strip())
    # every verdict of the status line is reached
    assert {"The gradient vanishes on its way back to the inputs", "Every gradient is huge"} <= (
        endings
    ) and {"Every gradient is tiny", "The gradient grows on its way back to the inputs"} <= (
        endings
    )


def test_the_gradient_size_view_holds_the_explorers_settings_and_data():
    explorer = le.GradientSizeExplorer("relu", 2.0, 5, width=8, seed=7)
    view = explorer.view
    assert view.choices["activation"][view.activation] == "relu"
    assert (view.weight_scale, view.depth, view.width, view.seed) == (2.0, 5, 8, 7)
    np.testing.assert_array_equal(np.array(view.X), explorer.data.X)
    np.testing.assert_array_equal(np.array(view.Y), explorer.data.Y)
    linked = linked_traits(explorer)
    for name, control in explorer.controls.items():
        synced = "index" if name == "activation" else "value"
        assert (control, synced, name) in linked


# ------------------------------------------------------------------ bad values


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: le.MomentumExplorer(momentum=1.0), ValueError, "momentum"),
        (lambda: le.MomentumExplorer(momentum=-0.1), ValueError, "momentum"),
        (lambda: le.MomentumExplorer(momentum="fast"), TypeError, "momentum"),
        (lambda: le.MomentumExplorer(learning_rate=0.01), ValueError, "learning_rate"),
        (lambda: le.MomentumExplorer(steps=1000), ValueError, "steps"),
        (lambda: le.MomentumExplorer(steps=2.5), TypeError, "steps"),
        (lambda: le.MomentumExplorer(curvatures=(1.0, -1.0)), ValueError, "curvatures"),
        (lambda: le.GradientSizeExplorer(activation="softmax"), ValueError, "activation"),
        (lambda: le.GradientSizeExplorer(weight_scale=10.0), ValueError, "weight_scale"),
        (lambda: le.GradientSizeExplorer(weight_scale="big"), TypeError, "weight_scale"),
        (lambda: le.GradientSizeExplorer(depth=13), ValueError, "depth"),
        (lambda: le.GradientSizeExplorer(depth=0), ValueError, "depth"),
        (lambda: le.GradientSizeExplorer(width=1), ValueError, "width"),
        (lambda: le.GradientSizeExplorer(seed=-1), ValueError, "seed"),
        (lambda: le.GradientSizeExplorer(seed=2**32), ValueError, "seed"),
    ],
)
def test_bad_values_are_refused_with_clear_messages(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_the_chapters_momentum_path_is_unchanged():
    """Chapter 6 calls ``MomentumExplorer.path`` on its own runs."""
    valley = le.elongated_quadratic(curvatures=(1.0, 0.05))
    run = le.linear_neuron((-1.5, -1.5)).train(
        *valley, learning_rate=1.0, iterations=3, update_biases=False, snapshot_every=1
    )
    path = bl.explorers.MomentumExplorer.path(run)
    assert path.shape == (4, 2) and tuple(path[0]) == (-1.5, -1.5)
