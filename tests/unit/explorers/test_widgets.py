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
from ipywidgets import FloatLogSlider

import backprop_lab as bl
from backprop_lab import explorers
from backprop_lab.calc.playground_data import PLAYGROUND_NAMES
from backprop_lab.nn.network import Network


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sweep(control, n=5):
    """Values across a slider's whole range, extremes included."""
    if isinstance(control, FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    if hasattr(control, "options"):
        return list(control.options)
    return list(np.linspace(control.min, control.max, n).astype(type(control.value)))


no_global_state = figure_state.no_global_state  # autouse: no test leaves matplotlib changed


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
# The playground trains in the page (tests/unit/explorers/test_playground_view.py checks the
# page's numbers against these); here the Python half, against direct calls of the package.


def small(**kwargs):
    kwargs.setdefault("max_iterations", 200)
    return explorers.TrainingExplorer(**kwargs)


def package_run(dataset, hidden, activation, learning_rate, iterations, seed=0, **train):
    """The run the explorer describes, built from the package's own functions."""
    from backprop_lab.calc.playground_data import playground_data
    from backprop_lab.nn.portable_random import portable_network

    data, test = playground_data(dataset, 200, 0.0, 0.5, seed)
    outputs = data.Y.shape[1]
    if dataset == "regression_1d":
        output, loss = "identity", "squared_error"
    elif outputs > 1:
        output, loss = "softmax", "cross_entropy"
    else:
        output, loss = "sigmoid", "binary_cross_entropy"
    net = portable_network([data.X.shape[1], *hidden, outputs], activation, output, loss, seed)
    history = net.train(
        data.X, data.Y, learning_rate=learning_rate, iterations=iterations,
        validation=(test.X, test.Y), progress=False, **train,
    )  # fmt: skip
    return net, history, data, test


def test_training_explorer_is_live_with_its_settings_in_the_view():
    explorer = small()
    names = {
        "dataset", "noise", "test_fraction", "seed", "activation", "learning_rate",
        "batch_size", "momentum", "regularization", "regularization_rate", "iterations",
    }  # fmt: skip
    assert set(explorer.controls) == names
    assert explorer.view in explorer.widget.children
    bundle = explorer._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        explorer.widget.model_id
    )
    assert explorer.view.choices["dataset"][explorer.view.dataset] == "two_moons"
    assert explorer.view.hidden_layers == [8] and explorer.view.features == ["x1", "x2"]
    assert explorer.view.learning_rate == explorer.controls["learning_rate"].value
    assert len(explorer.links) == len(names)  # each control jslink-ed to the view


def test_training_explorer_network_at_every_iteration_is_the_packages():
    explorer = small(dataset="two_moons", hidden_layers=(8,), learning_rate=1.0, iterations=0)
    rate = explorer.controls["learning_rate"].value
    whole, history, data, test = package_run("two_moons", (8,), "tanh", rate, 200)
    np.testing.assert_array_equal(explorer.history.loss, history.loss)
    np.testing.assert_array_equal(explorer.history.validation_loss, history.validation_loss)
    for t in (0, 1, 37, 200):
        explorer.controls["iterations"].value = t
        net, *_ = package_run("two_moons", (8,), "tanh", rate, t)
        for ours, theirs in zip(explorer.network.weights, net.weights, strict=True):
            np.testing.assert_array_equal(ours, theirs)
        assert explorer.status.startswith(
            f"Iteration {t}: training loss {net.loss(data.X, data.Y):.4g}, test loss "
            f"{net.loss(test.X, test.Y):.4g}; accuracy {net.accuracy(data.X, data.Y):.1%} "
            f"(training), {net.accuracy(test.X, test.Y):.1%} (test)."
        )
        assert explorer.status.endswith(
            f"After 200 iterations the training loss is {whole.loss(data.X, data.Y):.4g} "
            f"and the test loss {whole.loss(test.X, test.Y):.4g}."
        )
    explorer.reset()
    assert explorer.controls["iterations"].value == 0 and explorer.shown == 0
    for ours, theirs in zip(explorer.network.weights, explorer.initial_network.weights):
        np.testing.assert_array_equal(ours, theirs)


def test_training_explorer_mini_batches_momentum_and_penalties_are_the_packages():
    from backprop_lab.nn.portable_random import batch_order

    explorer = small(batch_size=8, momentum=0.5, regularization="L2", regularization_rate=0.01)
    rate = explorer.controls["learning_rate"].value
    l2 = explorer.controls["regularization_rate"].value
    orders = batch_order(100, 200 // (100 // 8) + 1, 0)
    *_, history = package_run(
        "two_moons", (8,), "tanh", rate, 200, batch_size=8, batch_order=orders,
        momentum=0.5, l2=l2,
    )[:2]  # fmt: skip
    np.testing.assert_array_equal(explorer.history.loss, history.loss)
    assert explorer.history.batch_size == 8


def test_training_explorer_every_control_across_its_range():
    explorer = small(hidden_layers=(4,))
    for name, control in explorer.controls.items():
        menu = hasattr(control, "options")
        for value in range(len(control.options)) if menu else sweep(control, n=3):
            setattr(control, "index" if menu else "value", value)
            status = explorer.status
            assert status.startswith("Iteration ") and "nan" not in status, (name, value)
            assert all(np.all(np.isfinite(w)) for w in explorer.network.weights), (name, value)
            if explorer.history.diverged:
                assert "Try a smaller learning rate." in status


def test_training_explorer_layers_and_features_change_the_network():
    explorer = small(dataset="circles")
    explorer.hidden_layers = (3, 2)
    assert explorer.network.layer_sizes == [2, 3, 2, 1]
    explorer.hidden_layers = ()
    assert explorer.network.layer_sizes == [2, 1]
    explorer.features = ["x1^2", "x2^2", "x1"]
    assert explorer.features == ("x1", "x1^2", "x2^2")  # in the column's order
    assert explorer.network.layer_sizes == [3, 1]
    explorer.controls["dataset"].value = "regression_1d"  # x2's features are left out
    assert explorer.setting().features == ("x1", "x1^2")
    assert explorer.network.layer_sizes == [2, 1]
    assert "accuracy" not in explorer.status


@pytest.mark.parametrize("typed", ["8,²", "８", "8,-1", "8.5", "x", (9,), (1,) * 7])
def test_hidden_layers_set_from_python_are_checked(typed):
    explorer = small()
    with pytest.raises((ValueError, TypeError), match="hidden_layers"):
        explorer.hidden_layers = typed
    assert explorer.hidden_layers == (8,)


def test_a_closed_training_explorer_leaves_no_widget_behind():
    from ipywidgets.widgets.widget import _instances  # the open widgets a page would embed

    before = set(_instances)
    explorer = small(iterations=10)
    assert set(_instances) - before  # its controls, view, boxes, layouts, styles
    status = explorer.status
    explorer.close()
    assert set(_instances) == before  # nothing left for a page's widget state
    assert explorer.status == status  # still readable in Python


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


def test_parse_hidden_layers():
    assert explorers.parse_hidden_layers("8, 8") == (8, 8)
    assert explorers.parse_hidden_layers(8) == (8,)
    assert explorers.parse_hidden_layers((4, 2)) == (4, 2)
    assert explorers.parse_hidden_layers("") == ()
    with pytest.raises(ValueError, match="at most 6 sizes, each from 1 to 8"):
        explorers.parse_hidden_layers("0")
    with pytest.raises(ValueError, match="at most 6 sizes, each from 1 to 8"):
        explorers.parse_hidden_layers("16,16")
    with pytest.raises(TypeError, match="hidden_layers must be a string"):
        explorers.parse_hidden_layers(2.5)


def test_every_dataset_trains_in_the_explorer():
    explorer = small(hidden_layers=(4,), iterations=100)
    for name in PLAYGROUND_NAMES:
        explorer.controls["dataset"].value = name
        train, _ = explorer.data()
        assert train.name == name
        assert ("accuracy" in explorer.status) == (name != "regression_1d"), explorer.status
        assert explorer.history.iterations_run == 200


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
        (lambda: bl.TrainingExplorer(hidden_layers=(9,)), "each from 1 to 8"),
    ],
)
def test_starting_values_a_slider_cannot_show_are_refused_not_moved(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_an_exploding_loss_is_reported_as_divergence():
    """The loss of this run stays finite but grows a hundred-thousandfold: divergence too."""
    explorer = bl.TrainingExplorer(
        dataset="regression_1d", hidden_layers=(4,), learning_rate=10.0, max_iterations=100
    )
    history = explorer.history
    assert history.diverged and np.all(np.isfinite(history.loss))
    assert explorer.shown == history.iterations_run  # the last parameters it kept
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
