"""Tests of backprop_lab.calc.gradcheck: the backward pass against finite differences (chapter 3).

The check must pass on correct networks of every kind, fail on a deliberately broken
gradient, call ReLU kinks and rounding noise by their names, and reject bad input.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_lab.calc.gradcheck as gradcheck
from backprop_lab.calc.gradcheck import (
    CORRECT_BELOW,
    WRONG_ABOVE,
    GradientCheck,
    check_gradients,
    loss_magnitude,
)
from backprop_lab.nn.network import Network

HIDDEN = ("sigmoid", "tanh", "relu", "identity")
OUTPUT_AND_LOSS = (
    *((out, "squared_error") for out in HIDDEN),
    *((out, "mse") for out in HIDDEN),
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "cross_entropy"),
    ("softmax", "squared_error"),
)


def random_problem(sizes, hidden, output, loss, seed, n_samples):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, 1.0, size=(m, n)) for m, n in itertools.pairwise(sizes)]
    biases = [rng.normal(0.0, 0.5, size=n) for n in sizes[1:]]
    net = Network.from_weights(
        weights, biases, activation=hidden, output_activation=output, loss=loss
    )
    X = rng.normal(0.0, 1.5, size=(n_samples, sizes[0]))
    n_out = sizes[-1]
    if loss == "binary_cross_entropy":
        Y = rng.uniform(0.0, 1.0, size=(n_samples, n_out))
    elif loss == "cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, size=n_samples)]
    else:
        Y = rng.normal(0.0, 1.0, size=(n_samples, n_out))
    return net, X, Y


@st.composite
def problems(draw):
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    hidden = draw(st.sampled_from(HIDDEN))
    output, loss = draw(st.sampled_from(OUTPUT_AND_LOSS))
    if output == "softmax":  # a softmax over one unit is refused: it cannot learn
        sizes[-1] = max(sizes[-1], 2)
    seed = draw(st.integers(0, 2**32 - 1))
    n_samples = draw(st.integers(1, 4))
    return random_problem(sizes, hidden, output, loss, seed, n_samples)


@pytest.fixture
def classic():
    net = Network.from_weights(
        weights=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]],
        biases=[0.35, 0.60],
    )
    return net, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]])


# ---------------------------------------------------------------- it can pass


@given(problems())
def test_correct_networks_pass(problem):
    net, X, Y = problem
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    check = check_gradients(net, X, Y)
    assert check.passed, check
    assert [row.name for row in check.rows] == net.parameter_names()
    grads = net.gradients(X, Y)
    for row in check.rows:
        assert row.analytic == grads[row.name]
        assert row.verdict in ("correct", "suspicious", "kink")
        if row.verdict != "kink":
            # an independent look at the same numbers: they agree closely
            assert abs(row.analytic - row.numeric) <= WRONG_ABOVE * max(
                abs(row.analytic), abs(row.numeric)
            ) + 1e-8 * max(1.0, check.loss)
    assert sum(check.counts.values()) == len(check) == net.n_parameters
    # the network is left exactly as it was
    after = [w for w in net.weights] + [b for b in net.biases]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_classic_example_is_correct_everywhere(classic):
    net, X, Y = classic
    check = check_gradients(net, X, Y)
    assert check.passed
    assert check.counts == {"correct": 12, "suspicious": 0, "wrong": 0, "kink": 0}
    # the smallest gradients (about 5e-4) carry visible rounding noise, so a row may be
    # correct by the noise rule; every other row is correct by its relative error alone
    assert check.max_relative_error < 1e-6
    assert [row.name for row in check.rows if row.relative_error >= CORRECT_BELOW] == [
        row.name for row in check.rows if row.note
    ]
    row = check["W2[0,0]"]
    assert row.analytic == pytest.approx(0.082167041, abs=1e-9)
    assert row.numeric == pytest.approx(0.082167041, abs=1e-9)
    assert check["W2[ 0, 0 ]"] is row  # names are parsed, not matched as strings
    assert check.loss == pytest.approx(0.298371109, abs=1e-9)
    assert check.n_samples == 1


def test_float32_network_is_checked_through_float64():
    net, X, Y = random_problem([3, 4, 2], "tanh", "sigmoid", "squared_error", seed=3, n_samples=5)
    net32 = net.astype(np.float32)
    check = check_gradients(net32, X, Y)
    assert check.passed and check.counts["correct"] == net.n_parameters
    assert check.dtype == "float32"
    assert "float32" in check.note and "float64 copy" in check.note
    assert check.note in check.summary and check.note in repr(check)
    assert "float64 copy" in check._repr_html_()
    # the gradients checked are those of the float64 copy
    grads64 = net32.astype(np.float64).gradients(X, Y)
    assert all(row.analytic == grads64[row.name] for row in check.rows)
    assert net32.dtype == np.float32 and net32.weights[0].dtype == np.float32
    assert check_gradients(net, X, Y).note == ""


# ---------------------------------------------------------------- it can fail


class ScaledGradient(Network):
    """A network whose backward pass is wrong by 10 % on one weight."""

    def gradients(self, X, Y):
        grads = super().gradients(X, Y)
        grads.weights[0][1, 0] *= 1.1
        return grads


def test_a_broken_gradient_fails(classic):
    net, X, Y = classic
    broken = ScaledGradient.from_weights(net.weights, net.biases)
    check = check_gradients(broken, X, Y)
    assert not check.passed
    row = check["W1[1,0]"]
    assert row.verdict == "wrong"
    assert row.relative_error == pytest.approx(0.1 / 1.1, rel=1e-5)
    assert row.analytic == pytest.approx(1.1 * row.numeric, rel=1e-6)
    assert [r.name for r in check.failures] == ["W1[1,0]"]
    assert check.counts == {"correct": 11, "suspicious": 0, "wrong": 1, "kink": 0}
    assert check.summary.startswith("Gradient check FAILED: 12 parameters (11 correct, 1 wrong")
    html = check._repr_html_()
    assert "FAILED" in html and "#a40e26" in html  # red summary and verdict
    assert html.count(">wrong</td>") == 1 and html.count(">correct</td>") == 11


def test_a_monkeypatched_bias_gradient_fails_even_in_float32(classic, monkeypatch):
    net, X, Y = classic
    net32 = net.astype(np.float32)
    honest = Network.gradients

    def scaled(self, X, Y):
        grads = honest(self, X, Y)
        grads.biases[1][1] *= 1.1
        return grads

    monkeypatch.setattr(Network, "gradients", scaled)
    check = check_gradients(net32, X, Y)
    assert not check.passed
    assert [r.name for r in check.failures] == ["b2[1]"]


def test_a_slightly_wrong_gradient_is_suspicious_but_passes(classic):
    net, X, Y = classic

    class Nudged(Network):
        def gradients(self, X, Y):
            grads = super().gradients(X, Y)
            grads.weights[1][0, 0] *= 1 + 1e-6
            return grads

    check = check_gradients(Nudged.from_weights(net.weights, net.biases), X, Y)
    row = check["W2[0,0]"]
    assert row.verdict == "suspicious"
    assert CORRECT_BELOW < row.relative_error < WRONG_ABOVE
    assert check.passed
    assert "1 suspicious" in check.summary


# ------------------------------------------------------- kinks and rounding noise


def kinked_network(bias=0.0):
    """ReLU unit 0 of layer 1 gets net input x0 - x1 + bias: exactly 0 at x = (1, 1)."""
    return Network.from_weights(
        weights=[[[1.0], [-1.0]], [[2.0]]],
        biases=[[bias], [0.1]],
        activation="relu",
        output_activation="identity",
    )


@pytest.mark.parametrize("bias", [0.0, 3e-7, -5e-7])
def test_relu_kink_is_reported_not_failed(bias):
    net = kinked_network(bias)
    X, Y = np.array([[1.0, 1.0]]), np.array([[0.5]])
    check = check_gradients(net, X, Y)
    assert check.passed
    for name in ("W1[0,0]", "W1[1,0]", "b1[0]"):
        row = check[name]
        assert row.verdict == "kink"
        assert "ReLU unit 0 of layer 1 on sample 0" in row.note
        # without the rule it would have been called wrong: the difference straddles the kink
        assert row.relative_error > WRONG_ABOVE
    assert check["W2[0,0]"].verdict == "correct" and check["b2[0]"].verdict == "correct"
    assert check.counts["kink"] == 3
    assert check.max_relative_error < WRONG_ABOVE  # kink rows are left out
    assert "kink" in check.summary and "#0550ae" in check._repr_html_()


def test_no_kink_away_from_zero():
    net = kinked_network(bias=0.01)  # the net input is 0.01, far beyond epsilon
    check = check_gradients(net, [[1.0, 1.0]], [[0.5]])
    assert check.counts["kink"] == 0 and check.passed


def test_tiny_gradients_within_rounding_noise_are_correct(classic):
    net, _, Y = classic
    # an input of 1e-12 makes dE/dW1[0,j] about 1e-14: far below what a difference of
    # two losses of size 0.3 can resolve with epsilon = 1e-6
    check = check_gradients(net, [[1e-12, 0.10]], Y)
    row = check["W1[0,0]"]
    assert abs(row.analytic) < 1e-13
    assert row.relative_error > CORRECT_BELOW
    assert row.verdict == "correct"
    assert "within the finite difference's own error" in row.note
    assert check.passed
    assert "; 2 of the correct only within the finite-difference error)" in check.summary


def without_error_allowance(monkeypatch):
    """Judge by the relative error alone, as a naive check would."""
    monkeypatch.setattr(gradcheck, "NOISE_FACTOR", 0.0)
    monkeypatch.setattr(gradcheck, "TRUNCATION_FACTOR", 0.0)


def test_a_network_trained_to_a_minimum_passes(monkeypatch):
    # at an exact fit every gradient is ~0 and the finite differences are pure error
    net = Network([2, 3, 1], activation="tanh", output_activation="identity", loss="mse", seed=0)
    X, Y = np.array([[0.5, -1.0], [1.0, 0.3]]), np.array([[0.2], [-0.4]])
    net.train(X, Y, learning_rate=0.5, iterations=3000)
    assert net.loss(X, Y) < 1e-28
    check = check_gradients(net, X, Y)
    assert check.passed and check.counts["correct"] == 13
    assert all(row.tolerance > 0 for row in check.rows)
    without_error_allowance(monkeypatch)
    assert not check_gradients(net, X, Y).passed


def test_a_confident_softmax_passes_despite_visible_rounding(monkeypatch):
    # E is about 1.5e-8, yet log-softmax rounds at the size of 1: the quotient's rounding
    # (about 1e-16 / 1e-6) is visible against gradients of about 1e-8
    net = Network.from_weights(
        [[[10.0, -5.0, -6.0]]], [0.0], output_activation="softmax", loss="cross_entropy"
    )
    X, Y = [[1.2]], [[1.0, 0.0, 0.0]]
    check = check_gradients(net, X, Y)
    assert check.passed
    assert check.max_relative_error > WRONG_ABOVE  # would be wrong without the allowance
    assert all("own error" in row.note for row in check.rows)
    without_error_allowance(monkeypatch)
    assert not check_gradients(net, X, Y).passed


def test_loss_magnitude_counts_what_the_loss_is_made_of():
    a, y = np.array([[0.9, 0.2]]), np.array([[1.0, 0.0]])
    z = np.array([[2.0, -1.0]])
    expected = 0.1 * 1.9 + 0.2 * 0.2
    assert loss_magnitude("squared_error", z, a, y) == pytest.approx(expected)
    assert loss_magnitude("mse", z, a, y) == pytest.approx(expected)  # 2/K = 1 for K = 2
    z_size = np.array([[3.0, 5.0]])
    assert loss_magnitude("squared_error", z, a, y, z_size) == pytest.approx(
        expected + 0.1 * 3.0 + 0.2 * 5.0
    )
    # the log-losses: softplus and y z terms; the log of a sum of at least 1
    bce = np.log1p(np.exp(2.0)) + 2.0 + np.log1p(np.exp(-1.0))
    assert loss_magnitude("binary_cross_entropy", z, a, y) == pytest.approx(bce)
    confident = np.array([[30.0, 0.0]])
    assert loss_magnitude("cross_entropy", confident, a, y) == pytest.approx(1.0)
    # averaged over samples; an overflow gives no allowance at all
    two = loss_magnitude("squared_error", np.vstack([z, z]), np.vstack([a, a]), np.vstack([y, y]))
    assert two == pytest.approx(expected)
    assert loss_magnitude("squared_error", z, np.array([[1e200, 0.0]]), y) == 0.0
    assert loss_magnitude("unknown", z, a, y) == 0.0


# -------------------------------------------------------------------- display


def test_text_and_html_display(classic):
    net, X, Y = classic
    check = check_gradients(net, X, Y)
    text = repr(check)
    lines = text.splitlines()
    assert lines[0] == check.summary
    assert lines[0].startswith("Gradient check passed: 12 parameters (12 correct, 0 wrong")
    assert "epsilon = 1e-06, 1 sample." in lines[0]
    assert lines[1].split() == ["parameter", "analytic", "numeric", "rel.", "error", "verdict"]
    assert lines[2].startswith("W1[0,0]") and lines[2].endswith("correct")
    html = check._repr_html_()
    assert html.startswith('<div class="backprop-lab-gradcheck"><p ')
    assert html.index(check.summary) < html.index("<table")
    for name in net.parameter_names():
        assert f"<code>{name}</code>" in html
    assert html.count("<tr>") == 1 + 12
    assert html.count("#1a7f37") == 1 + 12  # green summary and 12 green verdicts
    assert isinstance(check, GradientCheck)


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("epsilon", [0, 0.0, -1e-6, float("nan"), float("inf")])
def test_epsilon_must_be_positive(classic, epsilon):
    net, X, Y = classic
    with pytest.raises(ValueError, match=r"epsilon must be a finite number > 0; got"):
        check_gradients(net, X, Y, epsilon=epsilon)


@pytest.mark.parametrize("epsilon", ["1e-6", None, True, [1e-6]])
def test_epsilon_must_be_a_number(classic, epsilon):
    net, X, Y = classic
    with pytest.raises(TypeError, match=r"epsilon must be a positive number; got"):
        check_gradients(net, X, Y, epsilon=epsilon)


def test_inputs_and_targets_are_validated(classic):
    net, X, Y = classic
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\) or \(2,\); got"):
        check_gradients(net, np.ones((3, 3)), Y)
    with pytest.raises(ValueError, match=r"X must contain only finite numbers"):
        check_gradients(net, [[np.inf, 0.0]], Y)
    with pytest.raises(ValueError, match=r"Y must have shape \(1, 2\) to match"):
        check_gradients(net, X, [[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(TypeError, match=r"net must be a backprop_lab.Network; got str"):
        check_gradients("net", X, Y)
    check = check_gradients(net, X, Y)
    with pytest.raises(ValueError, match=r"'W3\[0,0\]' names layer 3"):
        check["W3[0,0]"]
    with pytest.raises(TypeError, match=r"name must be a parameter name"):
        check[0]


def test_epsilon_too_small_for_a_huge_parameter():
    net = Network.from_weights([[[1e12]]], [0.0], output_activation="identity")
    with pytest.raises(ValueError, match=r"epsilon=1e-06 is too small to change parameter W1"):
        check_gradients(net, [[1.0]], [[0.0]])
    assert check_gradients(net, [[1e-12]], [[0.0]], epsilon=1e-2).passed
