"""The steppers of chapters 2 and 3 as live explorers (backprop_lab.explorers.steppers).

The page (``js/steppers.js``, run under Node) and Python write the same status line,
explanation and diagram labels, word for word, for every step of every parameter of
several networks (the worked example, a 2-3-1 tanh network, softmax, binary
cross-entropy, mean squared error, no hidden layer); Python's words come from the
package (``Network.backward_trace``, ``bl.chain_rule``), so every number the page shows is
the package's. The worked example's numbers are also checked against a hand computation.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from ipywidgets import Dropdown, IntSlider
from test_live_views import call_view

import backprop_lab as bl
from backprop_lab.explorers.steppers import (
    BackpropStepper,
    BackpropStepperView,
    ForwardStepper,
    ForwardStepperView,
)

WORDS = """
function stepperWords(d) {
  const s = d.kind === "backprop" ? backpropStepper(d) : forwardStepper(d);
  return { status: s.status, explanation: s.explanation, labels: s.labels, nSteps: s.nSteps,
           step: s.step, path: s.path.edges };
}
function namesOf(sizes) { return parameterNames(sizes); }
function stepperStatusOf(d) { return stepperState({ get: (name) => d[name] }).status; }
"""

DATA = ["kind", "sizes", "activation", "output_activation", "loss", "weights", "biases", "x", "y"]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def data_of(stepper: Any) -> dict[str, Any]:
    """What the page's view holds for the stepper's state now (the traits, with the
    controls' values as jslink sets them in the page)."""
    d = {name: getattr(stepper.view, name) for name in DATA}
    d["step"] = stepper.controls["step"].value
    if "param" in stepper.controls:
        d["param"] = stepper.controls["param"].index
    return d


def networks() -> dict[str, tuple[bl.Network, Any, Any]]:
    """Networks with one sample and target: every kind of output end of a chain."""
    rng = np.random.default_rng(3)
    nets = {
        "tanh 2-3-1": (bl.Network([2, 3, 1], activation="tanh", seed=1), [0.3, -0.8], [0.5]),
        "relu softmax 3-4-3": (
            bl.Network(
                [3, 4, 3],
                activation="relu",
                output_activation="softmax",
                loss="cross_entropy",
                seed=2,
            ),
            [0.2, -0.4, 1.1],
            [0.0, 1.0, 0.0],
        ),
        "sigmoid bce 2-2-2-1": (
            bl.Network(
                [2, 2, 2, 1],
                activation="sigmoid",
                output_activation="sigmoid",
                loss="binary_cross_entropy",
                seed=4,
            ),
            [1.5, -0.5],
            [1.0],
        ),
        "identity mse 2-3-2": (
            bl.Network([2, 3, 2], activation="tanh", output_activation="identity", loss="mse"),
            rng.normal(size=2),
            rng.normal(size=2),
        ),
        "no hidden softmax 2-3": (
            bl.Network([2, 3], output_activation="softmax", loss="cross_entropy", seed=5),
            [0.7, 0.1],
            [0.2, 0.3, 0.5],
        ),
        "wide 2-5-3-1": (bl.Network([2, 5, 3, 1], activation="tanh", seed=6), [0.9, 0.1], [0.3]),
    }
    return nets


def forward_cases() -> list[ForwardStepper]:
    cases = [ForwardStepper()]
    for net, x, y in networks().values():
        cases.append(ForwardStepper(network=net, x=x, y=y))
    net, x, _ = networks()["tanh 2-3-1"]
    cases.append(ForwardStepper(network=net, x=x))  # no target: no loss step
    return cases


def backprop_cases() -> list[BackpropStepper]:
    cases = [BackpropStepper()]
    for net, x, y in networks().values():
        cases.append(BackpropStepper(network=net, x=x, y=y))
    return cases


def compare(states: list[tuple[Any, dict]], tmp_path) -> int:
    """Run every state in the page's code; each must say what Python says."""
    calls = [{"fn": "stepperWords", "args": [d]} for _, d in states]
    answers = call_view("steppers.js", ["stepperWords"], calls, tmp_path, WORDS)["answers"]
    for (expected, d), got in zip(states, answers):
        assert "error" not in got, (d, got)
        result = got["result"]
        where = (d["sizes"], d["step"], d.get("param"))
        assert result["status"] == expected["status"], where
        assert result["explanation"] == expected["explanation"], where
        assert result["labels"] == expected["labels"], where
        assert result["nSteps"] == expected["n_steps"], where
        if "highlighted" in expected:
            assert result["path"] == expected["highlighted"], where
    return len(states)


def said(stepper: Any) -> dict[str, Any]:
    words = {
        "status": stepper.status,
        "explanation": stepper.explanation,
        "labels": stepper.labels,
        "n_steps": stepper.n_steps,
    }
    if isinstance(stepper, BackpropStepper):
        words["highlighted"] = stepper.highlighted
    return words


def test_the_forward_stepper_in_the_page_says_what_python_says(tmp_path):
    states = []
    for stepper in forward_cases():
        for step in range(stepper.n_steps + 1):
            stepper.controls["step"].value = step
            states.append((said(stepper), data_of(stepper)))
    # 2-2-2, 2-3-1, 3-4-3, 2-2-2-1, 2-3-2, 2-3, 2-5-3-1, then 2-3-1 without a target
    assert compare(states, tmp_path) == 6 + 6 + 6 + 8 + 6 + 4 + 8 + 5


def test_the_backprop_stepper_in_the_page_says_what_python_says(tmp_path):
    states = []
    for stepper in backprop_cases():
        for name in stepper.controls["param"].options:
            stepper.controls["param"].value = name
            for step in range(stepper.controls["step"].max + 1):
                stepper.controls["step"].value = step
                states.append((said(stepper), data_of(stepper)))
    assert len(states) > 300
    compare(states, tmp_path)


def test_every_output_end_of_a_chain_is_stepped_through():
    """The cases above meet the split output end, softmax's one delta and the sum."""
    texts = set()
    for stepper in backprop_cases():
        for name in stepper.controls["param"].options:
            stepper.controls["param"].value = name
            texts |= {f.text.split("_")[0] for f in stepper.chain.factors}
    assert {"dE/dyhat", "dyhat", "delta(1)", "dE/da(1)", "dE/da(2)", "da(1)"} <= texts


def test_the_parameter_menu_is_the_engines_parameter_names(tmp_path):
    steppers = backprop_cases()
    calls = [{"fn": "namesOf", "args": [s.view.sizes]} for s in steppers]
    answers = call_view("steppers.js", ["namesOf"], calls, tmp_path, WORDS)["answers"]
    for stepper, got in zip(steppers, answers):
        assert list(stepper.controls["param"].options) == got["result"]
        assert stepper.view.choices["param"] == got["result"]


# ------------------------------------------------------------------ the numbers


def test_the_worked_example_forward_numbers_are_the_hand_computation():
    stepper = ForwardStepper()
    assert stepper.n_steps == 5 and stepper.controls["step"].max == 5
    z1 = np.array([0.05, 0.10]) @ np.array([[0.15, 0.25], [0.20, 0.30]]) + 0.35
    a1 = sigmoid(z1)
    z2 = a1 @ np.array([[0.40, 0.50], [0.45, 0.55]]) + 0.60
    a2 = sigmoid(z2)
    loss = 0.5 * np.sum((np.array([0.01, 0.99]) - a2) ** 2)
    seen = []
    for step in range(6):
        stepper.controls["step"].value = step
        labels = stepper.labels
        above = labels.get("neuron 1,0", "") + labels.get("neuron 2,1", "")
        assert (f"z={z1[0]:.4g}" in above) == (step >= 1)
        assert (f"a={a1[0]:.4g}" in above) == (step >= 2)
        assert (f"z={z2[1]:.4g}" in above) == (step >= 3)
        assert (f"a={a2[1]:.4g}" in above) == (step >= 4)
        assert (labels.get("loss") == f"E={loss:.4g}") == (step == 5)
        assert labels["below 1,0"] == "b=0.35" and labels["W2[1,0]"] == "w=0.45"
        assert stepper.status.startswith(f"Step {step} of 5: ")
        seen.append(stepper.status)
    assert len(set(seen)) == 6
    stepper.controls["step"].value = 1
    assert "z(1)_0 = 0.05 · 0.15 + 0.1 · 0.2 + 0.35 = 0.3775" in stepper.explanation
    assert stepper.status.endswith(f"z(1) = ({z1[0]:.4g}, {z1[1]:.4g}).")
    stepper.controls["step"].value = 5
    assert stepper.explanation.endswith(f"= {loss:.4g}")
    assert stepper.status.endswith(f"E = {loss:.4g}.") and f"{loss:.4g}" == "0.2984"


def test_the_backprop_stepper_walks_back_to_the_gradient():
    stepper = BackpropStepper(param="W1[0,0]")
    net, x, y = stepper.net, stepper.x, stepper.y
    trace = net.backward_trace(x, y)
    grad = net.gradients(x, y)["W1[0,0]"]
    assert f"{grad:.4g}" == "0.0004386"
    delta_out = f"δ={trace.deltas[1][0, 0]:.4g}"
    delta_hidden = f"δ={trace.deltas[0][0, 0]:.4g}"
    below = lambda: "\n".join(v for k, v in stepper.labels.items() if k.startswith("below"))  # noqa: E731
    assert stepper.controls["step"].max == 3 and stepper.n_steps == 3
    assert stepper.highlighted == ["W1[0,0]", "W2[0,0]", "W2[0,1]"]
    assert "W1[0,0]" in stepper.status and below() == ""
    stepper.controls["step"].value = 1  # dE/da: the output deltas are known
    assert delta_out in below() and delta_hidden not in below()
    assert "sum over the next layer" in stepper.explanation
    stepper.controls["step"].value = 2  # da/dz: this neuron's delta
    assert delta_hidden in below()
    assert "∂E/∂w" not in stepper.labels["W1[0,0]"]
    stepper.controls["step"].value = 3
    assert stepper.labels["W1[0,0]"] == f"w=0.15\n∂E/∂w={grad:.4g}"
    assert f"dE/dW1[0,0] = {grad:.6g}" in stepper.status
    assert stepper.explanation.endswith(f"= {grad:.6g}")


def test_a_stepper_over_a_2_3_1_tanh_network_shows_the_packages_numbers(tmp_path):
    """The data path of issue item 5: any network (e.g. the playground's) in the page."""
    net = bl.Network([2, 3, 1], activation="tanh", output_activation="identity", seed=7)
    x, y = [0.4, -1.2], [0.25]
    stepper = BackpropStepper(network=net, x=x, y=y, param="W1[1,2]")
    forward = ForwardStepper(network=net, x=x, y=y, step=4)
    gradients = net.gradients(x, y)
    trace = net.forward_trace(x)
    calls, expected = [], []
    for name in net.parameter_names():
        stepper.controls["param"].value = name
        stepper.controls["step"].value = 3
        expected.append(f"Step 3 of 3: dE/d{name} = {gradients[name]:.6g}, ")
        calls.append({"fn": "stepperWords", "args": [data_of(stepper)]})
    calls.append({"fn": "stepperWords", "args": [data_of(forward)]})
    answers = call_view("steppers.js", ["stepperWords"], calls, tmp_path, WORDS)["answers"]
    for want, got in zip(expected, answers):
        assert got["result"]["status"].startswith(want)
    hidden = answers[-1]["result"]["labels"]
    for j in range(3):
        assert hidden[f"neuron 1,{j}"] == (
            f"z={trace.net_inputs[0][0, j]:.4g}\na={trace.activations[1][0, j]:.4g}"
        )
    assert hidden["neuron 2,0"] == f"z={trace.net_inputs[1][0, 0]:.4g}\na={net.forward(x)[0]:.4g}"
    assert stepper.net is not net and stepper.network is stepper.net  # a copy


def test_the_page_says_in_words_when_the_data_cannot_be_stepped_through(tmp_path):
    d = data_of(BackpropStepper())
    calls = [
        {"fn": "stepperStatusOf", "args": [{**d, "y": []}]},
        {"fn": "stepperStatusOf", "args": [{**d, "weights": d["weights"][:1]}]},
        {"fn": "stepperStatusOf", "args": [{**d, "step": 99}]},
    ]
    answers = call_view("steppers.js", ["stepperStatusOf"], calls, tmp_path, WORDS)["answers"]
    cannot = "This network cannot be stepped through: "
    assert answers[0]["result"].startswith(cannot + "y must be given")
    assert answers[1]["result"].startswith(cannot)
    assert answers[2]["result"].startswith("Step 3 of 3: dE/dW1[0,0] = 0.000438568")


# -------------------------------------------------------------- the explorers


def test_the_views_hold_the_network_as_data_and_the_controls_are_linked():
    forward = ForwardStepper(step=2)
    backprop = BackpropStepper(param="W2[1,0]", step=1)
    net = bl.calc.datasets.worked_example().network
    for stepper, view_class in ((forward, ForwardStepperView), (backprop, BackpropStepperView)):
        view = stepper.view
        assert isinstance(view, view_class) and view in stepper.widget.children
        assert view.sizes == [2, 2, 2]
        assert (view.activation, view.output_activation, view.loss) == (
            "sigmoid",
            "sigmoid",
            "squared_error",
        )
        assert view.weights == [w.tolist() for w in net.weights]
        assert view.biases == [b.tolist() for b in net.biases]
        assert (view.x, view.y) == ([0.05, 0.1], [0.01, 0.99])
        linked = {(link.source[0], link.source[1], link.target[1]) for link in stepper.links}
        assert (stepper.controls["step"], "value", "step") in linked
    assert (forward.view.kind, backprop.view.kind) == ("forward", "backprop")
    assert forward.view.step == 2 and backprop.view.step == 1
    assert (backprop.controls["param"], "index", "param") in {
        (link.source[0], link.source[1], link.target[1]) for link in backprop.links
    }
    assert backprop.view.choices["param"][backprop.view.param] == "W2[1,0]"
    assert set(forward.controls) == {"step"} and isinstance(forward.controls["step"], IntSlider)
    assert set(backprop.controls) == {"param", "step"}
    assert isinstance(backprop.controls["param"], Dropdown)
    bundle = forward._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == (
        forward.widget.model_id
    )


def test_another_parameter_starts_again_at_step_zero():
    stepper = BackpropStepper(step=2)
    stepper.controls["param"].value = "b2[1]"
    assert stepper.step == 0 and stepper.chain.param == "b2[1]"
    assert stepper.highlighted == []  # an output bias: its neuron only
    stepper.controls["step"].value = 3
    gradient = stepper.net.gradients(stepper.x, stepper.y)["b2[1]"]
    assert stepper.labels["below 2,1"].endswith(f"∂E/∂b={gradient:.4g}")


def test_a_shorter_chain_stops_at_its_own_last_step():
    net, x, y = networks()["relu softmax 3-4-3"]
    stepper = BackpropStepper(network=net, x=x, y=y, param="W2[0,0]")
    assert stepper.controls["step"].max == 3 and stepper.n_steps == 2  # softmax: one delta
    stepper.controls["step"].value = 3
    assert stepper.step == 2 and stepper.status.startswith("Step 2 of 2: dE/dW2[0,0]")


def test_a_wide_network_writes_only_the_paths_weights():
    net, x, y = networks()["wide 2-5-3-1"]
    forward = ForwardStepper(network=net, x=x, y=y)
    assert not [key for key in forward.labels if key.startswith("W")]
    stepper = BackpropStepper(network=net, x=x, y=y, param="W2[4,1]")
    assert stepper.highlighted == ["W2[4,1]", "W3[1,0]"]
    assert sorted(key for key in stepper.labels if key.startswith("W")) == ["W2[4,1]", "W3[1,0]"]
    small = BackpropStepper(param="W2[0,0]")
    assert len([key for key in small.labels if key.startswith("W")]) == 8  # 2-2-2: all


def test_a_float32_network_is_stepped_through_in_float64():
    net = bl.Network([2, 2, 1], dtype="float32", seed=0)
    stepper = ForwardStepper(network=net, x=[0.5, 0.5], y=[1.0])
    assert stepper.net.dtype == np.float64 and net.dtype == np.float32


def test_bad_arguments_are_refused_with_their_name():
    net = bl.Network([3, 4, 2], activation="tanh", seed=5)
    with pytest.raises(TypeError, match=r"network must be a backprop_lab\.Network; got list"):
        ForwardStepper(network=[[1.0]], x=[1.0])
    with pytest.raises(ValueError, match="x must be given with network"):
        ForwardStepper(network=net)
    with pytest.raises(ValueError, match=r"x must be one sample of shape \(3,\) or \(1, 3\); got"):
        ForwardStepper(network=net, x=np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"y must be one sample of shape \(2,\)"):
        ForwardStepper(network=net, x=[0.5, -1.0, 2.0], y=[1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="x"):
        ForwardStepper(network=net, x=[0.5, np.nan, 2.0])
    with pytest.raises(ValueError, match=r"step must be from 0 to 4 .*; got 5"):
        ForwardStepper(network=net, x=[0.5, -1.0, 2.0], step=5)
    with pytest.raises(ValueError, match="step must be"):
        ForwardStepper(step=-1)
    with pytest.raises(TypeError, match="step must be"):
        ForwardStepper(step=1.5)
    with pytest.raises(ValueError, match="y must be given: the backward pass needs the target"):
        BackpropStepper(network=bl.Network([2, 2, 1]), x=[0.1, 0.2])
    with pytest.raises(ValueError, match="W7"):
        BackpropStepper(param="W7[0,0]")
    with pytest.raises(ValueError, match="step must be from 0 to 3"):
        BackpropStepper(step=4)
