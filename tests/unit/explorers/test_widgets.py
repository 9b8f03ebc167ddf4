"""Tests of the explorers of chapters 1-5 (backprop_lab.explorers), driven headless.

Every explorer builds with no arguments; every control is moved across its range and to its
extremes; the picture (the Image widget's PNG bytes and the figure's data) follows; nothing
raises and nothing NaN reaches the axes; the numbers in the status lines and on the diagrams
are checked against independent computations.
"""

from __future__ import annotations

import figure_state
import numpy as np
import pytest
from ipywidgets import Button, FloatLogSlider, Image, Widget

import backprop_lab as bl
from backprop_lab import explorers
from backprop_lab.calc import datasets
from backprop_lab.nn.network import Network


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def assert_clean(explorer):
    """No NaN on any axes, no 'nan' in the status, a PNG shown."""
    for ax in explorer.figure.axes:
        for line in ax.get_lines():
            assert np.all(np.isfinite(np.asarray(line.get_xdata(), dtype=float)))
            assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float)))
        for collection in ax.collections:
            assert np.all(np.isfinite(np.asarray(collection.get_offsets(), dtype=float)))
    assert "nan" not in explorer.status.lower().replace("nan or infinite", "")
    assert explorer.png.startswith(b"\x89PNG")


def sweep(control, n=5):
    """Values across a slider's whole range, extremes included."""
    if isinstance(control, FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    if hasattr(control, "options"):
        return list(control.options)
    return list(np.linspace(control.min, control.max, n).astype(type(control.value)))


no_global_state = figure_state.no_global_state  # autouse: no test leaves matplotlib changed


def test_every_explorer_builds_with_no_arguments_and_displays():
    expected = {
        explorers.TrainingExplorer: {
            "dataset",
            "hidden_layers",
            "activation",
            "learning_rate",
            "iterations",
            "seed",
            "reset",
        },
    }
    for cls, names in expected.items():
        explorer = cls()
        assert set(explorer.controls) == names
        assert all(isinstance(c, Widget) for c in explorer.controls.values())
        assert explorer.image in explorer.widget.children
        assert isinstance(explorer.image, Image) and explorer.png.startswith(b"\x89PNG")
        assert explorer.status and explorer.status_level == "ok", (cls, explorer.status)
        bundle = explorer._repr_mimebundle_()
        assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
            explorer.widget.model_id
        )
        assert "image/png" in bundle and cls.__name__ in bundle["text/plain"]
        assert_clean(explorer)


# ------------------------------------------------------------------------ neuron


def test_neuron_explorer_is_live_and_computes_the_neuron():
    explorer = explorers.NeuronExplorer(w1=2.0, w2=-1.0, b=0.5, x1=1.0, x2=0.5)
    assert set(explorer.controls) == {"w1", "w2", "b", "activation", "x1", "x2"}
    assert explorer.view in explorer.widget.children
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        explorer.widget.model_id
    )
    z = 2.0 * 1.0 - 1.0 * 0.5 + 0.5
    assert explorer.z == pytest.approx(z)
    assert explorer.a == pytest.approx(sigmoid(z))
    assert explorer.status == (
        "z = w1·x1 + w2·x2 + b = 2.00·1.00 + (-1.00)·0.50 + 0.50 = 2;  "
        f"a = sigmoid(z) = {sigmoid(z):.4g}"
    )


def test_neuron_explorer_every_control_across_its_range():
    explorer = explorers.NeuronExplorer()
    for name, control in explorer.controls.items():
        for value in sweep(control):
            control.value = value
            v = {n: c.value for n, c in explorer.controls.items()}
            z = v["w1"] * v["x1"] + v["w2"] * v["x2"] + v["b"]
            assert explorer.z == pytest.approx(z)
            a = bl.get_activation(v["activation"]).function(z)
            assert explorer.a == pytest.approx(a)
            assert explorer.status.endswith(f"a = {v['activation']}(z) = {float(a):.4g}"), name


def test_neuron_explorer_rejects_bad_arguments():
    with pytest.raises(ValueError, match="activation must be one of"):
        explorers.NeuronExplorer(activation="softmax")
    with pytest.raises(TypeError, match="w1 must be a number"):
        explorers.NeuronExplorer(w1="big")


# The steppers (live): tests/unit/explorers/test_stepper_views.py


# ----------------------------------------------------------------- 1-D descent


def test_gradient_descent_explorer_names_every_regime():
    explorer = explorers.GradientDescentExplorer(learning_rate=0.1, steps=100)
    assert set(explorer.controls) == {"learning_rate", "steps", "function", "start"}
    assert explorer.status.startswith("Good") and explorer.path.regime == "good"
    rate = explorer.controls["learning_rate"]
    expected = {0.001: "too small", 0.9: "oscillating"}
    for value, regime in expected.items():
        rate.value = value
        assert explorer.path.regime == regime
        assert explorer.status.lower().startswith(regime)
    rate.value = rate.base**rate.max  # the largest learning rate diverges
    assert explorer.path.regime == "diverging" and explorer.status.startswith("Diverging")


def test_gradient_descent_explorer_every_control_across_its_range():
    explorer = explorers.GradientDescentExplorer()
    for control in explorer.controls.values():
        for value in sweep(control):
            control.value = value
            v = explorer.values()
            path = bl.descent.get_function(v["function"]).descend(
                v["learning_rate"], int(v["steps"]), v["start"]
            )
            assert explorer.status == path.message
    explorer.controls["function"].value = "quadratic"
    explorer.controls["function"].value = "double_well"
    assert explorer.controls["start"].value == 1.8  # the double well's own start
    explorer.controls["steps"].value = 0
    assert explorer.path.steps_run == 0 and explorer.status.startswith("Too small")


# --------------------------------------------------------------------- training


def small(**kwargs):
    kwargs.setdefault("max_iterations", 200)
    return explorers.TrainingExplorer(**kwargs)


def test_training_explorer_iterations_slider_shows_snapshots_without_retraining():
    explorer = small(dataset="two_moons", hidden_layers=(8,), learning_rate=0.5, iterations=0)
    history = explorer.history
    slider = explorer.controls["iterations"]
    assert slider.max == 200 and slider.step == explorer.snapshot_every == 2
    assert slider.continuous_update  # light: follows the mouse
    images = set()
    for value in range(0, 201, 40):
        slider.value = value
        assert explorer.history is history  # same run: nothing retrained
        assert explorer.view.iteration == value
        snap = history.snapshot(value)
        np.testing.assert_array_equal(explorer.network.weights[0], snap.weights[0])
        accuracy = explorer.network.accuracy(explorer.data.X, explorer.data.Y)
        assert f"Iteration {value}: loss {history.loss[value]:.4g}" in explorer.status
        assert f"accuracy {accuracy:.1%}" in explorer.status
        images.add(explorer.png)
        assert_clean(explorer)
    assert len(images) == 6
    loss_line = explorer.loss_ax.get_lines()[0]
    np.testing.assert_array_equal(loss_line.get_ydata(), history.loss)


def test_training_explorer_heavy_controls_do_not_follow_every_mouse_move():
    explorer = small()
    for name in ("learning_rate", "seed", "hidden_layers"):
        assert explorer.controls[name].continuous_update is False


def test_training_explorer_largest_learning_rate_diverges_with_a_message():
    explorer = small(dataset="regression_1d", hidden_layers=(8,), iterations=200)
    rate = explorer.controls["learning_rate"]
    rate.value = rate.base**rate.max
    history = explorer.history
    assert history.diverged
    assert f"Diverged at iteration {history.diverged_at}" in explorer.status
    assert explorer.status_level == "warning"
    assert explorer.view.iteration == history.iterations_run
    assert_clean(explorer)


def test_training_explorer_every_control_across_its_range():
    explorer = small(hidden_layers=(4,))
    for name, control in explorer.controls.items():
        if isinstance(control, Button) or name == "hidden_layers":
            continue
        for value in sweep(control, n=3):
            before = explorer.png
            changed = value != control.value
            control.value = value
            assert_clean(explorer)
            assert explorer.status_level in ("ok", "warning"), (name, value, explorer.status)
            beyond_divergence = name == "iterations" and explorer.history.diverged
            if changed and not beyond_divergence:
                assert explorer.png != before, (name, value)
    for text in ("16,16", "2", "", "3, 3, 3"):
        explorer.controls["hidden_layers"].value = text
        assert explorer.status_level != "error", (text, explorer.status)
        sizes = tuple(int(s) for s in text.split(",") if s.strip())
        assert explorer.initial_network.layer_sizes[1:-1] == list(sizes)
        assert_clean(explorer)


def test_training_explorer_bad_hidden_layers_is_a_message_not_an_error():
    explorer = small()
    picture = explorer.png
    for text in ("abc", "0", "8,,x", "500"):
        explorer.controls["hidden_layers"].value = text
        assert explorer.status_level == "error"
        assert "hidden_layers must" in explorer.status
        assert_clean(explorer)
    assert explorer.png == picture
    explorer.controls["hidden_layers"].value = "8"
    assert explorer.status_level == "ok"


def test_training_explorer_reset_restores_the_initial_weights():
    explorer = small(dataset="circles", hidden_layers=(6,), activation="relu", seed=3)
    fresh = Network([2, 6, 1], activation="relu", loss="binary_cross_entropy", seed=3)
    for ours, theirs in zip(explorer.initial_network.weights, fresh.weights):
        np.testing.assert_array_equal(ours, theirs)
    explorer.controls["iterations"].value = 200
    assert not np.array_equal(explorer.network.weights[0], fresh.weights[0])
    explorer.controls["reset"].click()
    assert explorer.controls["iterations"].value == 0
    for ours, theirs in zip(explorer.network.weights, fresh.weights):
        np.testing.assert_array_equal(ours, theirs)
    explorer.controls["iterations"].value = 200  # retrained from the same start: same run
    again = explorer.history
    assert again.final_loss == pytest.approx(explorer.history.final_loss)
    explorer.controls["seed"].value = 4
    assert not np.array_equal(explorer.initial_network.weights[0], fresh.weights[0])


def test_training_explorer_matches_the_chapter_calls():
    explorer = explorers.TrainingExplorer(
        dataset="two_moons", hidden_layers=(8,), learning_rate=1.0, iterations=300
    )
    assert explorer.controls["learning_rate"].value == pytest.approx(1.0)
    assert explorer.controls["iterations"].value == 300
    assert explorer.initial_network.layer_sizes == [2, 8, 1]
    assert explorer.history.iterations_requested == 1000
    explorer.controls["learning_rate"].value = 0.1
    assert explorer.history.learning_rate == pytest.approx(0.1)
    with pytest.raises(ValueError, match="dataset must be one of"):
        explorers.TrainingExplorer(dataset="mnist")
    with pytest.raises(ValueError, match="hidden_layers"):
        explorers.TrainingExplorer(hidden_layers="x")


def test_parse_hidden_layers():
    assert explorers.parse_hidden_layers("16, 16") == (16, 16)
    assert explorers.parse_hidden_layers(8) == (8,)
    assert explorers.parse_hidden_layers((4, 2)) == (4, 2)
    assert explorers.parse_hidden_layers("") == ()
    with pytest.raises(ValueError, match="at most 5 sizes, each from 1 to 128"):
        explorers.parse_hidden_layers("0")
    with pytest.raises(TypeError, match="hidden_layers must be a string"):
        explorers.parse_hidden_layers(2.5)


def test_every_dataset_trains_in_the_explorer():
    explorer = small(hidden_layers=(4,), iterations=100)
    for name in datasets.NAMES:
        explorer.controls["dataset"].value = name
        assert explorer.data.name == name
        assert explorer.status_level == "ok", explorer.status
        if datasets.load(name).task == "regression":
            assert "accuracy" not in explorer.status
        else:
            assert "accuracy" in explorer.status
        assert_clean(explorer)


# --- careless starting values and settings (issue 11) -------------------------------------


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: bl.GradientDescentExplorer(learning_rate=100), "learning_rate must be within"),
        (lambda: bl.GradientDescentExplorer(steps=101), "steps must be within"),
        (lambda: bl.GradientDescentExplorer(start=50.0), "start must be within"),
        (lambda: bl.NeuronExplorer(w1=6.0), "w1 must be within its slider's range, from -5"),
        (lambda: bl.NeuronExplorer(x2=-3.5), "x2 must be within"),
        (lambda: bl.TrainingExplorer(learning_rate=20.0), "learning_rate must be within"),
        (lambda: bl.TrainingExplorer(iterations=5000), "iterations must be within"),
        (lambda: bl.ForwardStepper(step=9), "step must be from 0 to 5"),
        (lambda: bl.BackpropStepper(step=9), "step must be from 0 to 3"),
        (lambda: bl.TrainingExplorer(hidden_layers=(128,) * 5), "would take about"),
    ],
)
def test_starting_values_a_slider_cannot_show_are_refused_not_moved(make, match):
    with pytest.raises(ValueError, match=match):
        make()


@pytest.mark.parametrize("typed", ["8,²", "８", "8,-1", "8.5", "x"])
def test_hidden_layers_box_answers_in_words(typed):
    explorer = bl.TrainingExplorer(dataset="xor", hidden_layers=(3,), max_iterations=50)
    picture = explorer.png
    explorer.controls["hidden_layers"].value = typed
    assert explorer.status_level == "error"
    assert "hidden_layers" in explorer.status and "last valid setting" in explorer.status
    assert explorer.png == picture


def test_a_setting_that_would_train_for_long_is_refused_with_its_estimate():
    explorer = bl.TrainingExplorer(dataset="xor", hidden_layers=(3,), max_iterations=50)
    explorer.max_iterations = 10**6  # as if the slider went that far
    explorer.controls["hidden_layers"].value = "64,64"
    assert explorer.status_level == "error"
    seconds = explorer.training_seconds((64, 64))
    assert seconds > explorer.MAX_SECONDS
    assert f"about {seconds:.0f} s" in explorer.status


def test_an_exploding_loss_is_reported_as_divergence():
    """The loss of this run stays finite but grows a hundred-thousandfold: divergence too."""
    explorer = bl.TrainingExplorer(
        dataset="regression_1d", hidden_layers=(4,), learning_rate=10.0, max_iterations=100
    )
    history = explorer.history
    assert history.diverged and np.all(np.isfinite(history.loss))
    assert explorer.status_level == "warning"
    assert history.message in explorer.status and "smaller learning rate" in explorer.status


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"x": np.zeros((4, 2))}, ["x must be one sample", "(2,) or (1, 2)", "got shape (4, 2)"]),
        ({"x": [0.1, 0.2], "y": np.zeros((2, 2))}, ["y must be one sample", "got shape (2, 2)"]),
        ({"x": [0.1, 0.2, 0.3]}, ["X", "(3,)"]),
    ],
)
def test_steppers_name_the_shape_the_reader_gave(kwargs, words):
    for stepper in (explorers.ForwardStepper, explorers.BackpropStepper):
        with pytest.raises(ValueError) as error:
            stepper(network=Network([2, 2, 2], seed=0), **kwargs)
        assert all(word in str(error.value) for word in words), str(error.value)


def test_descent_explorer_names_its_function_argument():
    with pytest.raises(ValueError, match="function must be one of 'quadratic', 'double_well'"):
        explorers.GradientDescentExplorer(function="cubic")
