"""The classic 2-2-2 worked example, against a hand computation in plain Python floats.

The hand computation below uses only ``math.exp`` and the walk-through's names
(i1, i2 inputs; h1, h2 hidden; o1, o2 outputs; w1..w8; b1, b2 shared biases), so it is
independent of the package. Published values of the walk-through are checked too, to the
digits it prints.
"""

import math

import numpy as np
import pytest

import backprop_lab as bl
from backprop_lab.calc import datasets


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def hand_computation() -> dict[str, float]:
    i1, i2 = 0.05, 0.10
    t1, t2 = 0.01, 0.99
    w1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30
    w5, w6, w7, w8 = 0.40, 0.45, 0.50, 0.55
    b1, b2 = 0.35, 0.60
    eta = 0.5

    # forward pass
    net_h1 = w1 * i1 + w2 * i2 + b1 * 1
    net_h2 = w3 * i1 + w4 * i2 + b1 * 1
    out_h1, out_h2 = _sigmoid(net_h1), _sigmoid(net_h2)
    net_o1 = w5 * out_h1 + w6 * out_h2 + b2 * 1
    net_o2 = w7 * out_h1 + w8 * out_h2 + b2 * 1
    out_o1, out_o2 = _sigmoid(net_o1), _sigmoid(net_o2)
    e_o1 = 0.5 * (t1 - out_o1) ** 2
    e_o2 = 0.5 * (t2 - out_o2) ** 2

    # output layer: dE/dw = dE/dout * dout/dnet * dnet/dw
    dE_dout_o1 = -(t1 - out_o1)
    dE_dout_o2 = -(t2 - out_o2)
    dout_dnet_o1 = out_o1 * (1 - out_o1)
    dout_dnet_o2 = out_o2 * (1 - out_o2)
    delta_o1 = dE_dout_o1 * dout_dnet_o1
    delta_o2 = dE_dout_o2 * dout_dnet_o2
    g = {
        "w5": delta_o1 * out_h1,
        "w6": delta_o1 * out_h2,
        "w7": delta_o2 * out_h1,
        "w8": delta_o2 * out_h2,
    }
    # hidden layer: dE/dout_h sums over both outputs (with the OLD output weights)
    dE_dout_h1 = delta_o1 * w5 + delta_o2 * w7
    dE_dout_h2 = delta_o1 * w6 + delta_o2 * w8
    delta_h1 = dE_dout_h1 * out_h1 * (1 - out_h1)
    delta_h2 = dE_dout_h2 * out_h2 * (1 - out_h2)
    g.update(
        {
            "w1": delta_h1 * i1,
            "w2": delta_h1 * i2,
            "w3": delta_h2 * i1,
            "w4": delta_h2 * i2,
            # per-neuron biases (the package keeps one per neuron)
            "b1[0]": delta_h1,
            "b1[1]": delta_h2,
            "b2[0]": delta_o1,
            "b2[1]": delta_o2,
        }
    )
    old = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "w7": w7, "w8": w8}
    new = {name: value - eta * g[name] for name, value in old.items()}

    # the loss after the update (biases fixed), by the same forward pass
    h1 = _sigmoid(new["w1"] * i1 + new["w2"] * i2 + b1)
    h2 = _sigmoid(new["w3"] * i1 + new["w4"] * i2 + b1)
    o1 = _sigmoid(new["w5"] * h1 + new["w6"] * h2 + b2)
    o2 = _sigmoid(new["w7"] * h1 + new["w8"] * h2 + b2)
    e_after = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2
    return {
        "E_after": e_after,
        "net_h1": net_h1,
        "net_h2": net_h2,
        "out_h1": out_h1,
        "out_h2": out_h2,
        "net_o1": net_o1,
        "net_o2": net_o2,
        "out_o1": out_o1,
        "out_o2": out_o2,
        "E": e_o1 + e_o2,
        "dE_dout_o1": dE_dout_o1,
        "dout_dnet_o1": dout_dnet_o1,
        "delta_o1": delta_o1,
        "delta_o2": delta_o2,
        "delta_h1": delta_h1,
        "delta_h2": delta_h2,
        **{f"grad_{k}": v for k, v in g.items()},
        **{f"new_{k}": v for k, v in new.items()},
    }


HAND = hand_computation()

PUBLISHED = {
    "out_h1": 0.593269992,
    "out_h2": 0.596884378,
    "out_o1": 0.75136507,
    "out_o2": 0.772928465,
    "E": 0.298371109,
    "dE_dout_o1": 0.74136507,
    "dout_dnet_o1": 0.186815602,
    "grad_w5": 0.082167041,
    "grad_w1": 0.000438568,
    "new_w5": 0.35891648,
    "new_w6": 0.408666186,
    "new_w7": 0.511301270,
    "new_w8": 0.561370121,
    "new_w1": 0.149780716,
    "new_w2": 0.19956143,
    "new_w3": 0.24975114,
    "new_w4": 0.29950229,
}


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_hand_computation_reproduces_the_published_numbers(name):
    digits = len(repr(PUBLISHED[name]).split(".")[1])
    assert HAND[name] == pytest.approx(PUBLISHED[name], abs=10.0 ** (-digits))


def test_forward_pass_matches_the_hand_computation():
    example = datasets.worked_example()
    trace = example.network.forward_trace(example.x)
    np.testing.assert_allclose(trace.z(1), [HAND["net_h1"], HAND["net_h2"]], rtol=1e-15)
    np.testing.assert_allclose(trace.a(1), [HAND["out_h1"], HAND["out_h2"]], rtol=1e-15)
    np.testing.assert_allclose(trace.z(2), [HAND["net_o1"], HAND["net_o2"]], rtol=1e-15)
    np.testing.assert_allclose(trace.output, [HAND["out_o1"], HAND["out_o2"]], rtol=1e-15)
    np.testing.assert_allclose(example.network.forward(example.x), trace.output, rtol=0)
    assert example.network.loss(example.x, example.y) == pytest.approx(HAND["E"], rel=1e-14)


def test_every_gradient_and_delta_matches_the_hand_computation():
    example = datasets.worked_example()
    grads = example.network.gradients(example.x, example.y)
    for classic in ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]:
        assert grads[example.names[classic]] == pytest.approx(HAND[f"grad_{classic}"], rel=1e-12)
    for name in ["b1[0]", "b1[1]", "b2[0]", "b2[1]"]:
        assert grads[name] == pytest.approx(HAND[f"grad_{name}"], rel=1e-12)
    trace = example.network.backward_trace(example.x, example.y)
    np.testing.assert_allclose(trace.delta(2), [HAND["delta_o1"], HAND["delta_o2"]], rtol=1e-13)
    np.testing.assert_allclose(trace.delta(1), [HAND["delta_h1"], HAND["delta_h2"]], rtol=1e-12)
    assert trace.loss == pytest.approx(HAND["E"], rel=1e-14)


def test_one_update_with_fixed_biases_gives_the_published_weights():
    example = datasets.worked_example()
    history = example.network.train(
        example.X,
        example.Y,
        learning_rate=example.learning_rate,
        iterations=1,
        update_biases=example.update_biases,
    )
    assert history.iterations_run == 1 and not history.diverged
    for classic in ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8"]:
        assert example.value(classic) == pytest.approx(HAND[f"new_{classic}"], rel=1e-14)
        assert example.value(classic) == pytest.approx(PUBLISHED[f"new_{classic}"], abs=1e-8)
    assert example.value("b1") == 0.35 and example.value("b2") == 0.60
    assert example.network.biases[0].tolist() == [0.35, 0.35]
    assert history.loss[0] == pytest.approx(HAND["E"], rel=1e-14)
    assert history.loss[1] == pytest.approx(HAND["E_after"], rel=1e-14)
    # the walk-through prints 0.291027924, computed from weights rounded to 9 digits
    assert HAND["E_after"] == pytest.approx(0.291027924, abs=1e-6)
    assert history.loss[1] < history.loss[0]


def test_hidden_gradients_use_the_weights_before_the_update():
    """All parameters move together: the hidden gradients must not see w5+..w8+."""
    example = datasets.worked_example()
    example.network.train(example.X, example.Y, learning_rate=0.5, iterations=1)
    # with the new output weights the w1 gradient would be noticeably different
    assert example.value("w1") == pytest.approx(0.15 - 0.5 * HAND["grad_w1"], rel=1e-15)


def test_ten_thousand_updates_reach_the_published_error():
    """The walk-through reports E = 0.0000351085 after 10,000 updates (biases fixed).

    Its figures agree with exact arithmetic to about 4 significant digits (it rounds
    along the way), so this checks the order of agreement, not the last digits.
    """
    example = datasets.worked_example()
    history = example.network.train(
        example.X, example.Y, learning_rate=0.5, iterations=10_000, update_biases=False
    )
    assert history.final_loss == pytest.approx(0.0000351085, rel=1e-3)
    np.testing.assert_allclose(
        example.network.forward(example.x), [0.015912196, 0.984065734], atol=1e-5
    )
    assert np.all(np.diff(history.loss) < 0)  # a small enough rate: the loss always falls


def test_float32_worked_example_agrees_to_single_precision():
    example = datasets.worked_example()
    net32 = example.network.astype(np.float32)
    out = net32.forward(example.x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [HAND["out_o1"], HAND["out_o2"]], rtol=1e-6)
    grads = net32.gradients(example.x, example.y)
    assert grads.weights[0].dtype == np.float32
    assert grads["W2[0,0]"] == pytest.approx(HAND["grad_w5"], rel=1e-5)
    assert isinstance(bl.Network, type)
