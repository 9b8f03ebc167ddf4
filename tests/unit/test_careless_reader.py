"""Issue 11: a careless reader calls the public API with junk in every argument.

For each public function (network, parameters, chain rule, gradient check, plots,
figures, timings) and each of its arguments, the argument is replaced in turn by
every value of ``JUNK`` while the others stay valid. Whatever happens, only a ``ValueError``
or ``TypeError`` may escape: never a ``KeyError``, ``IndexError``, ``AttributeError``,
``MemoryError``, ``OverflowError``, a matplotlib or numpy error, and no warning at all
(warnings are errors here). Each call must also finish within a few seconds: a size
argument such as ``repeats=10**12`` must be refused, not obeyed. And an error must speak
the package's words, not Python's or numpy's.
"""

import signal
import warnings

import matplotlib
import numpy as np
import pytest
from junk import JUNK, RAW

import backprop_lab as bl
from backprop_lab.calc import efficiency as ef
from backprop_lab.plotting import animation, curves, diagram, surfaces

matplotlib.use("Agg")
import matplotlib.pyplot as plt

X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
Y = np.array([[1.0], [1.0], [0.0], [0.0]])
X1 = np.linspace(-1.0, 1.0, 5)[:, None]


def net():
    return bl.Network([2, 3, 1], seed=0)


NET1 = bl.Network([1, 4, 1], seed=0)
HISTORY = net().train(X, Y, iterations=5, snapshot_every=1)
PATH = type("Path", (), {"x": np.array([1.0, 0.5]), "fx": np.array([1.0, 0.25])})()

# name: (function, valid keyword arguments, needs an ax)
FUNCTIONS = {
    "Network": (bl.Network, {"layer_sizes": [2, 3, 1], "seed": 0}, False),
    "Network.from_weights": (
        bl.Network.from_weights,
        {"weights": [np.ones((2, 1))], "biases": [np.zeros(1)]},
        False,
    ),
    "Network.forward": (lambda X: net().forward(X), {"X": X}, False),
    "Network.loss": (lambda X, Y: net().loss(X, Y), {"X": X, "Y": Y}, False),
    "Network.gradients": (lambda X, Y: net().gradients(X, Y), {"X": X, "Y": Y}, False),
    "Network.backward_trace": (lambda X, Y: net().backward_trace(X, Y), {"X": X, "Y": Y}, False),
    "Network.accuracy": (lambda X, Y: net().accuracy(X, Y), {"X": X, "Y": Y}, False),
    "Network.set_parameter": (
        lambda name, value: net().set_parameter(name, value),
        {"name": "W1[0,0]", "value": 1.0},
        False,
    ),
    "Network.parameter": (lambda name: net().parameter(name), {"name": "W1[0,0]"}, False),
    "Network.from_json": (bl.Network.from_json, {"text": net().to_json()}, False),
    "Network.from_dict": (bl.Network.from_dict, {"data": net().to_dict()}, False),
    "Network.save": (lambda path: net().save(path), {"path": "net.json"}, False),
    "Network.load": (bl.Network.load, {"path": "saved.json"}, False),
    "Network.astype": (lambda dtype: net().astype(dtype), {"dtype": "float32"}, False),
    "parameter_names": (bl.parameter_names, {"layer_sizes": [2, 1]}, False),
    "parse_parameter": (bl.parse_parameter, {"name": "W1[0,0]", "layer_sizes": [2, 1]}, False),
    "get_activation": (bl.get_activation, {"name": "tanh"}, False),
    "get_loss": (bl.get_loss, {"name": "mse"}, False),
    "chain_rule": (
        bl.chain_rule,
        {"net": net(), "x": [0.0, 1.0], "y": [1.0], "param": "W1[0,0]"},
        False,
    ),
    "check_gradients": (bl.check_gradients, {"net": net(), "X": X, "Y": Y, "epsilon": 1e-6}, False),
    "draw_network": (
        diagram.draw_network,
        {"net": net(), "x": [0.0, 1.0], "y": [1.0], "digits": 4, "highlight": "W1[0,0]",
         "fontsize": 8.0, "title": "t", "deltas": True, "loss": True},
        True,
    ),
    "chain_rule_path": (diagram.chain_rule_path, {"layer_sizes": [2, 3, 1], "param": "W1[0,0]"},
                        False),
    "plot_activation": (
        curves.plot_activation,
        {"activation": "tanh", "z_range": (-1, 1), "n_points": 10, "derivative": True},
        True,
    ),
    "plot_loss_curve": (
        curves.plot_loss_curve,
        {"history": HISTORY, "log": True, "mark": 2, "label": "a", "color": "red",
         "step_name": "s"},
        True,
    ),
    "plot_learning_rates": (
        curves.plot_learning_rates, {"histories": [HISTORY], "clip": 3.0, "log": None}, True
    ),
    "plot_descent_path": (
        curves.plot_descent_path,
        {"function": np.square, "path": PATH, "domain": (-1, 1), "max_arrows": 5},
        True,
    ),
    "class_probability": (surfaces.class_probability, {"net": net(), "X": X}, False),
    "plot_decision_boundary": (
        surfaces.plot_decision_boundary,
        {"net": net(), "X": X, "Y": Y, "resolution": 10, "padding": 0.4, "data": True},
        True,
    ),
    "plot_regression_fit": (
        surfaces.plot_regression_fit,
        {"net": NET1, "X": X1, "Y": X1**2, "n_points": 10, "padding": 0.1,
         "target_function": np.sin},
        True,
    ),
    "loss_surface": (
        surfaces.loss_surface,
        {"net": net(), "X": X, "Y": Y, "params": ("W1[0,0]", "W1[1,0]"), "history": HISTORY,
         "span": 4.0, "resolution": 5},
        False,
    ),
    "plot_loss_surface": (
        surfaces.plot_loss_surface,
        {"net": net(), "X": X, "Y": Y, "history": HISTORY, "span": 4.0, "resolution": 5,
         "levels": 5, "colorbar": True},
        True,
    ),
    "snapshot_network": (
        animation.snapshot_network, {"net": net(), "history": HISTORY, "iteration": 2}, False
    ),
    "plot_training_state": (
        animation.plot_training_state,
        {"net": net(), "X": X, "Y": Y, "history": HISTORY, "iteration": 2, "log": True,
         "resolution": 10},
        False,
    ),
    "animate_training": (
        animation.animate_training,
        {"net": net(), "X": X, "Y": Y, "history": HISTORY, "max_frames": 2, "dpi": 20,
         "interval": 100, "figsize": (3, 2), "resolution": 5},
        False,
    ),
    "loop_gradients": (ef.loop_gradients, {"net": net(), "X": X, "Y": Y}, False),
    "compare_gradient_timings": (
        ef.compare_gradient_timings, {"net": net(), "X": X, "Y": Y, "repeats": 1}, False
    ),
    "timings_by_samples": (
        ef.timings_by_samples, {"net": net(), "X": X, "Y": Y, "sizes": [1, 2], "repeats": 1},
        False,
    ),
    "draw_neuron": (
        bl.plotting.draw_neuron,
        {"inputs": [1.0, 2.0], "weights": [0.5, 0.5], "bias": 0.1, "activation": "sigmoid"},
        True,
    ),
    "plot_neuron_responses": (
        bl.plotting.plot_neuron_responses,
        {"parameters": [(1.0, 0.0)], "activation": "sigmoid"},
        True,
    ),
    "draw_feedforward": (bl.plotting.draw_feedforward, {"layer_sizes": [2, 3, 1]}, True),
    "recurrent_unroll": (
        bl.recurrent_unroll,
        {"inputs": [1.0, 2.0], "input_weights": [[0.5]], "recurrent_weights": [[0.5]],
         "bias": 0.0, "activation": "tanh"},
        False,
    ),
    "conv1d": (
        bl.conv1d_run, {"signal": [1.0, 2.0, 3.0], "kernel": [1.0, -1.0], "bias": 0.0}, False
    ),
    "convolution_matrix": (bl.convolution_matrix, {"kernel": [1.0, -1.0], "n_inputs": 4}, False),
    "finite_difference_gradients": (
        bl.efficiency.finite_difference_gradients,
        {"net": net(), "X": X, "Y": Y, "epsilon": 1e-6, "central": True},
        False,
    ),
    "gradient_cost": (
        bl.efficiency.gradient_cost,
        {"n_parameters": [10, 100], "method": "finite differences"},
        False,
    ),
    "measure_gradient_cost": (
        bl.efficiency.measure_gradient_cost, {"net": net(), "X": X, "Y": Y, "repeats": 1}, False
    ),
    "plot_gradient_cost": (bl.plotting.plot_gradient_cost, {"n_parameters": [10, 100]}, True),
    "bump_network": (bl.bump_network, {"function": np.sin, "n_bumps": 3, "low": -1.0,
                                       "high": 1.0}, False),
    "plot_output_plane": (
        bl.plotting.plot_output_plane,
        {"net": net(), "extent": (-0.5, 1.5, -0.5, 1.5), "resolution": 20, "threshold": 0.5},
        True,
    ),
    "draw_matrix_product": (
        bl.plotting.draw_matrix_product, {"A": [[1.0, 2.0]], "W": [[1.0], [2.0]], "b": [0.0],
                                 "digits": 4}, True
    ),
    "time_forward_loop_vs_batch": (
        bl.efficiency.time_forward_loop_vs_batch, {"net": net(), "X": X, "repeats": 1}, False
    ),
}  # fmt: skip

PAIRS = [(name, argument) for name, (_, good, _) in FUNCTIONS.items() for argument in good]


class TooSlow(Exception):
    pass


def _alarm(*_):
    raise TooSlow


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    net().save("saved.json")
    yield
    plt.close("all")


@pytest.mark.parametrize(("name", "argument"), PAIRS, ids=[f"{n}-{a}" for n, a in PAIRS])
def test_junk_gives_only_value_or_type_errors(name, argument):
    function, good, needs_ax = FUNCTIONS[name]
    previous = signal.signal(signal.SIGALRM, _alarm)
    problems = []
    try:
        for junk_name, junk in JUNK.items():
            kwargs = dict(good, **{argument: junk})
            if needs_ax:
                kwargs["ax"] = plt.figure().add_subplot()
            signal.alarm(10)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    function(**kwargs)
            except (ValueError, TypeError) as error:
                message = str(error)
                raw = [word for word in RAW if word in message]
                if raw or not message:
                    problems.append(f"{junk_name}: raw message {message!r}")
            except TooSlow:
                problems.append(f"{junk_name}: still running after 10 s")
            except Exception as error:
                problems.append(f"{junk_name}: {type(error).__name__}: {error}")
            finally:
                signal.alarm(0)
                plt.close("all")
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not problems, f"{name}({argument}=...): " + "; ".join(problems)


def test_the_sweep_is_large():
    assert len(PAIRS) * len(JUNK) >= 2000
