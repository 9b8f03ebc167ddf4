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
from backprop_lab.explorers.minibatch import recording_marks
from backprop_lab.explorers.overfitting import overfitting_data, overfitting_start

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


def assert_controls_linked(explorer, menus: tuple[str, ...] = ()) -> None:
    """Every control is jslinked to the view's trait of its name: a menu (``menus``) by
    its ``index``, the value ipywidgets syncs, any other by its ``value``."""
    linked = {(link.source[0], link.source[1], link.target[1]) for link in explorer.links}
    for name, control in explorer.controls.items():
        synced = "index" if name in menus else "value"
        assert (control, synced, name) in linked, name


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
    assert_controls_linked(explorer)


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
    assert_controls_linked(explorer, menus=("activation",))


# ------------------------------------------------------------------ mini-batches


def minibatch_call(explorer: le.MiniBatchExplorer) -> dict:
    v = explorer.values()
    data = explorer.data
    args = [data.X.tolist(), data.Y.tolist(), v["batch_size"], v["learning_rate"], v["epochs"]]
    return {"fn": "miniBatchFor", "args": [*args, explorer.seed]}


def test_the_minibatch_status_and_curves_are_the_python_explorers(tmp_path: Path):
    explorers = [
        le.MiniBatchExplorer(batch, eta, epochs)
        for batch in (1, 5, 10, 20, 200)
        for eta in (0.01, 0.3, 1.0)
        for epochs in (1, 10, 50)
    ]
    explorers += [le.MiniBatchExplorer(b, 3.0, 10) for b in (10, 50, 100, 200)]
    explorers.append(le.MiniBatchExplorer(20, 1.0, 7, seed=5))
    calls = [minibatch_call(explorer) for explorer in explorers]
    answers = call_view("minibatch.js", ["miniBatchFor"], calls, tmp_path)["answers"]
    for explorer, got in zip(explorers, answers):
        result = got["result"]
        assert result["status"] == explorer.status, (result["status"], explorer.status)
        # the same update counts; the losses to 1e-6 over up to 10,000 updates
        updates = np.array(result["miniCurve"])[:, 0]
        np.testing.assert_array_equal(updates, explorer.mini_curve[:, 0])
        np.testing.assert_allclose(result["miniCurve"], explorer.mini_curve, rtol=1e-6)
        np.testing.assert_allclose(result["fullCurve"], explorer.full_curve, rtol=1e-9)
        # single-sample losses near 0 differ more in relative terms: 1e-6 of the loss scale
        np.testing.assert_allclose(result["miniLosses"], explorer.mini.loss, rtol=1e-6, atol=1e-6)


def test_single_samples_at_the_largest_learning_rate_are_chaotic_in_both(tmp_path: Path):
    """Batches of 1 at learning rate 3 jump between losses of 1e-14 and 20: the last bit
    in which numpy and the engine differ grows until the runs part (after about 150
    updates). Until then they agree, and both stay finite (no divergence)."""
    explorer = le.MiniBatchExplorer(1, 3.0, 1)
    result = call_view("minibatch.js", ["miniBatchFor"], [minibatch_call(explorer)], tmp_path)
    losses = np.array(result["answers"][0]["result"]["miniLosses"])
    np.testing.assert_allclose(losses[:100], explorer.mini.loss[:100], rtol=1e-6, atol=1e-12)
    assert np.all(np.isfinite(losses)) and not explorer.mini.diverged
    assert losses.max() > 10 and losses.min() < 1e-8


def test_the_page_words_a_diverged_run_as_the_package(tmp_path: Path):
    """``TrainingHistory.message`` of a diverged run, in the page (``divergedMessage``)."""
    from backprop_lab.nn.portable_random import portable_network

    data = bl.datasets.two_moons(n_samples=40, noise=0.1, seed=0)
    extra = (
        "function divergedFor(X, Y, sizes, eta, batchSize) {"
        " const net = portableNetwork({sizes, activation: 'relu', outputActivation: 'identity',"
        " loss: 'squared_error', seed: 0});"
        " return divergedMessage(train(net, X, Y, {learningRate: eta, iterations: 200,"
        " batchSize, seed: 0})); }"
    )
    cases = [([2, 16, 16, 1], 5.0, None), ([2, 16, 16, 1], 3.0, 4), ([2, 8, 1], 50.0, None)]
    calls, expected = [], []
    for sizes, eta, batch in cases:
        net = portable_network(sizes, "relu", "identity", "squared_error", seed=0)
        order = bl.nn.portable_random.batch_order(40, 200, 0) if batch else None
        run = net.train(
            *data, learning_rate=eta, iterations=200, batch_size=batch, batch_order=order
        )
        assert run.diverged, (sizes, eta)
        expected.append(run.message)
        calls.append(
            {"fn": "divergedFor", "args": [data.X.tolist(), data.Y.tolist(), sizes, eta, batch]}
        )
    answers = call_view("minibatch.js", ["divergedFor"], calls, tmp_path, extra)["answers"]
    assert [a.get("result", a) for a in answers] == expected


def test_recording_marks_are_epochs_and_a_log_grid():
    marks = recording_marks(2000, 200)
    assert marks[0] == 0 and marks[-1] == 2000
    assert set(range(0, 2001, 200)) <= set(marks)
    grid = sorted(set(marks) - set(range(0, 2001, 200)))
    assert grid[:3] == [1, 2, 3] and 45 <= len(grid) <= 60  # the low end's repeats merge
    steps = np.diff(np.log10(grid[20:]))
    assert np.all(steps < 2 * np.log10(2000) / 59)  # evenly spread on a log scale
    assert recording_marks(1, 1) == [0, 1]


def test_the_minibatch_view_holds_the_explorers_settings_and_data():
    explorer = le.MiniBatchExplorer(20, 1.0, 7, seed=5)
    view = explorer.view
    assert view.choices["batch_size"][view.batch_size] == "20"
    assert (view.epochs, view.seed) == (7, 5)
    np.testing.assert_array_equal(np.array(view.X), explorer.data.X)
    assert_controls_linked(explorer, menus=("batch_size",))


# ------------------------------------------------------------------ stopping


def stopping_call(explorer: le.StoppingExplorer) -> dict:
    v = explorer.values()
    setting = {
        "tolerance": v["tolerance"],
        "patience": v["patience"],
        "hidden": explorer.hidden_units,
        "maxIterations": explorer.max_iterations,
        "learningRate": explorer.learning_rate,
        "seed": explorer.view.seed,
        "train": [explorer.train_data.X.tolist(), explorer.train_data.Y.tolist()],
        "validation": [explorer.validation_data.X.tolist(), explorer.validation_data.Y.tolist()],
    }
    return {"fn": "stoppingFor", "args": [setting]}


def test_the_stopping_status_is_the_python_explorers(tmp_path: Path):
    explorer = le.StoppingExplorer()
    calls, expected = [], []
    for tolerance in (1e-6, 3e-6, 1e-5, 1e-4, 1e-3, 1e-2):
        for patience in (10, 100, 470, 2000):
            explorer.controls["tolerance"].value = tolerance
            explorer.controls["patience"].value = patience
            calls.append(stopping_call(explorer))
            expected.append(explorer.status)
    others = [
        le.StoppingExplorer(1e-4, 50, hidden_units=3, max_iterations=500, learning_rate=0.5),
        le.StoppingExplorer(1e-6, 30, hidden_units=1, weights_seed=9, seed=4),
    ]
    for other in others:
        calls.append(stopping_call(other))
        expected.append(other.status)
    answers = call_view("stopping.js", ["stoppingFor"], calls, tmp_path)["answers"]
    assert [a.get("result", a) for a in answers] == expected
    words = " ".join(expected)
    assert "never stopped early" in words and "not converged within" in words


def test_the_stopping_view_holds_the_explorers_settings_and_data():
    explorer = le.StoppingExplorer(1e-4, 50, hidden_units=3, max_iterations=500, weights_seed=2)
    view = explorer.view
    assert view.patience == 50 and view.tolerance == pytest.approx(1e-4)
    assert (view.hidden_units, view.max_iterations, view.seed) == (3, 500, 2)
    np.testing.assert_array_equal(np.array(view.train_X), explorer.train_data.X)
    np.testing.assert_array_equal(np.array(view.validation_Y), explorer.validation_data.Y)
    assert_controls_linked(explorer)


# ------------------------------------------------------------------ overfitting


def overfitting_call(explorer: le.OverfittingExplorer) -> dict:
    view, v = explorer.view, explorer.values()
    setting = {
        "hidden": v["hidden_units"],
        "iterations": v["iterations"],
        "maxIterations": explorer.max_iterations,
        "snapshotEvery": explorer.snapshot_every,
        "learningRate": explorer.learning_rate,
        "seed": explorer.weights_seed,
        "train": [view.train_X, view.train_Y],
        "validation": [view.validation_X, view.validation_Y],
        "floor": explorer.floor,
        "grid": view.grid,
        "truth": view.truth,
    }
    return {"fn": "overfittingFor", "args": [setting]}


def test_the_overfitting_status_and_fit_are_the_python_explorers(tmp_path: Path):
    explorer = le.OverfittingExplorer()
    calls, expected = [], []
    for hidden in (1, 2, 3, 7, 20, 50):
        for iterations in (0, 25, 475, 1000, 2000):
            explorer.controls["hidden_units"].value = hidden
            explorer.controls["iterations"].value = iterations
            calls.append(overfitting_call(explorer))
            fit = explorer.network.forward(np.linspace(-1, 1, 161)[:, None])[:, 0]
            expected.append((explorer.status, fit, explorer.history.loss))
    other = le.OverfittingExplorer(4, 130, n_samples=20, max_iterations=300, weights_seed=11)
    calls.append(overfitting_call(other))
    fit = other.network.forward(np.linspace(-1, 1, 161)[:, None])[:, 0]
    expected.append((other.status, fit, other.history.loss))
    answers = call_view("overfitting.js", ["overfittingFor"], calls, tmp_path)["answers"]
    for got, (status, fit, losses) in zip(answers, expected):
        result = got["result"]
        assert result["status"] == status, (result["status"], status)
        np.testing.assert_allclose(result["fit"], fit, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(result["loss"], losses, rtol=1e-6)
    assert "fits the noise" in expected[-2][0] and "fits the noise" not in expected[0][0]


def test_the_overfitting_view_holds_the_explorers_settings_and_data():
    explorer = le.OverfittingExplorer(4, 130, n_samples=20, max_iterations=300, weights_seed=11)
    view = explorer.view
    assert (view.max_iterations, view.snapshot_every, view.seed) == (300, 3, 11)
    assert explorer.controls["iterations"].value == 129  # on the slider's grid of 3
    assert view.floor == explorer.floor
    grid = np.linspace(-1, 1, 161)
    np.testing.assert_array_equal(view.grid, grid)
    np.testing.assert_allclose(view.truth, np.sin(np.pi * grid), atol=1e-15)
    np.testing.assert_array_equal(np.array(view.validation_X), explorer.validation_data.X)
    assert_controls_linked(explorer)


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
        (lambda: le.MomentumExplorer(momentum=float("nan")), ValueError, "momentum must be a"),
        (
            lambda: le.MomentumExplorer(momentum=-0.1),
            ValueError,
            "momentum must be within its slider's range, from 0 to 0.99; got -0.1",
        ),
        (lambda: le.GradientSizeExplorer(depth=True), TypeError, "depth must be an integer"),
        (
            lambda: le.GradientSizeExplorer(depth=0),
            ValueError,
            "depth must be within its slider's range, from 1 to 12; got 0",
        ),
        (
            lambda: le.MiniBatchExplorer(seed=2**32),
            ValueError,
            "seed must be an integer <= 4294967295",
        ),
        (
            lambda: le.StoppingExplorer(patience=5),
            ValueError,
            "patience must be within its slider's range, from 10 to 2000; got 5",
        ),
        (lambda: le.GradientSizeExplorer(activation="softmax"), ValueError, "activation"),
        (lambda: le.GradientSizeExplorer(weight_scale=10.0), ValueError, "weight_scale"),
        (lambda: le.GradientSizeExplorer(weight_scale="big"), TypeError, "weight_scale"),
        (lambda: le.GradientSizeExplorer(depth=13), ValueError, "depth"),
        (lambda: le.GradientSizeExplorer(depth=0), ValueError, "depth"),
        (lambda: le.GradientSizeExplorer(width=1), ValueError, "width"),
        (lambda: le.GradientSizeExplorer(seed=-1), ValueError, "seed"),
        (lambda: le.GradientSizeExplorer(seed=2**32), ValueError, "seed"),
        (lambda: le.MiniBatchExplorer(batch_size=7), ValueError, "batch_size must be one of"),
        (lambda: le.MiniBatchExplorer(batch_size=0), ValueError, "batch_size"),
        (lambda: le.MiniBatchExplorer(learning_rate=0.0), ValueError, "learning_rate"),
        (lambda: le.MiniBatchExplorer(learning_rate=5.0), ValueError, "learning_rate"),
        (lambda: le.MiniBatchExplorer(epochs=0), ValueError, "epochs"),
        (lambda: le.MiniBatchExplorer(epochs=51), ValueError, "epochs"),
        (lambda: le.MiniBatchExplorer(seed=-3), ValueError, "seed"),
        (lambda: le.StoppingExplorer(tolerance=0.5), ValueError, "tolerance"),
        (lambda: le.StoppingExplorer(tolerance=-1e-5), ValueError, "tolerance"),
        (lambda: le.StoppingExplorer(patience=0), ValueError, "patience"),
        (lambda: le.StoppingExplorer(patience=5000), ValueError, "patience"),
        (lambda: le.StoppingExplorer(hidden_units=0), ValueError, "hidden_units"),
        (lambda: le.StoppingExplorer(max_iterations=5), ValueError, "max_iterations"),
        (lambda: le.StoppingExplorer(learning_rate=0.0), ValueError, "learning_rate"),
        (lambda: le.StoppingExplorer(weights_seed=-1), ValueError, "weights_seed"),
        (lambda: le.OverfittingExplorer(hidden_units=0), ValueError, "hidden_units"),
        (lambda: le.OverfittingExplorer(hidden_units=51), ValueError, "hidden_units"),
        (lambda: le.OverfittingExplorer(hidden_units=2.5), TypeError, "hidden_units"),
        (lambda: le.OverfittingExplorer(iterations=5000), ValueError, "iterations"),
        (lambda: le.OverfittingExplorer(validation_share=1.0), ValueError, "validation_share"),
        (lambda: le.OverfittingExplorer(n_samples=3), ValueError, "n_samples"),
        (lambda: le.OverfittingExplorer(max_iterations=5), ValueError, "max_iterations"),
        (lambda: le.OverfittingExplorer(weights_seed=2**32), ValueError, "weights_seed"),
        (lambda: le.noise_floor(bl.datasets.xor()), ValueError, "regression"),
        (lambda: le.noise_floor("data"), TypeError, "Dataset"),
        (lambda: le.elongated_quadratic((1.0, -1.0)), ValueError, "curvatures"),
        (lambda: le.elongated_quadratic((1.0,)), ValueError, "two numbers"),
        (lambda: recording_marks(100, 0), ValueError, "updates_per_epoch"),
        (lambda: recording_marks(-1, 1), ValueError, "updates"),
        (lambda: recording_marks(10.5, 1), TypeError, "updates"),
        (lambda: overfitting_data(n_samples=2), ValueError, "n_samples"),
        (lambda: overfitting_start(0), ValueError, "hidden_units"),
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
