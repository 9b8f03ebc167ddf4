"""Chapter 7: backpropagation through time, by hand over 3 steps, by finite differences and
by a bl.Value graph of the unrolled network."""

import math

import numpy as np
import pytest
from finite_differences import central_differences as numerical_gradient
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl

small = st.floats(min_value=-1.5, max_value=1.5, allow_nan=False, allow_infinity=False)


@st.composite
def rnn_case(draw):
    steps, n_in, n_hidden = (
        draw(st.integers(1, 5)),
        draw(st.integers(1, 3)),
        draw(st.integers(1, 3)),
    )
    return (
        draw(arrays(np.float64, (steps, n_in), elements=small)),
        draw(arrays(np.float64, (n_in, n_hidden), elements=small)),
        draw(arrays(np.float64, (n_hidden, n_hidden), elements=small)),
        draw(arrays(np.float64, n_hidden, elements=small)),
        draw(arrays(np.float64, (steps, n_hidden), elements=small)),
        draw(arrays(np.float64, n_hidden, elements=small)),
    )


# ------------------------------------------------------------------ by hand


def test_three_steps_by_hand():
    """One input, one state: W_x = 0.8, W_h = 0.5, b = 0, x = 1, 0, 0, and E = h_3."""
    h1 = math.tanh(0.8 * 1)  # 0.6640
    h2 = math.tanh(0.5 * h1)  # tanh(0.3320) = 0.3203
    h3 = math.tanh(0.5 * h2)  # tanh(0.1602) = 0.1588
    hs = bl.rnn_forward([1, 0, 0], 0.8, 0.5, 0.0)
    np.testing.assert_allclose(hs[:, 0], [h1, h2, h3], rtol=1e-14)
    assert hs.shape == (3, 1)
    np.testing.assert_allclose(hs[:, 0], [0.6640, 0.3203, 0.1588], atol=5e-5)

    grads = bl.rnn_backward([1, 0, 0], 0.8, 0.5, 0.0, [0, 0, 1])
    d3 = 1 * (1 - h3**2)  # dE/dh_3 = 1
    d2 = (d3 * 0.5) * (1 - h2**2)  # dE/dh_2 = delta_3 W_h
    d1 = (d2 * 0.5) * (1 - h1**2)
    np.testing.assert_allclose(grads.deltas[:, 0], [d1, d2, d3], rtol=1e-14)
    np.testing.assert_allclose(grads.grad_states[:, 0], [d2 * 0.5, d3 * 0.5, 1.0], rtol=1e-14)
    assert grads.W_h[0, 0] == pytest.approx(0 * d1 + h1 * d2 + h2 * d3, rel=1e-14)
    assert grads.W_x[0, 0] == pytest.approx(1 * d1 + 0 * d2 + 0 * d3, rel=1e-14)
    assert grads.b[0] == pytest.approx(d1 + d2 + d3, rel=1e-14)
    assert grads.h0[0] == pytest.approx(d1 * 0.5, rel=1e-14)
    # the same to four places, as a reader works them with a calculator
    assert round(grads.W_h[0, 0], 4) == 0.6027
    assert round(grads.W_x[0, 0], 4) == 0.1223
    assert round(grads.b[0], 4) == 1.5344
    np.testing.assert_allclose(grads.W_h_steps[:, 0, 0], [0.0, 0.2904, 0.3123], atol=5e-5)


def test_rnn_forward_agrees_with_chapter_1():
    run = bl.recurrent_unroll([1, 0, 0, 1, 0], input_weights=0.8, recurrent_weights=0.5)
    np.testing.assert_array_equal(bl.rnn_forward([1, 0, 0, 1, 0], 0.8, 0.5, 0.0), run.states[1:])
    xs, w_x, w_h = np.ones((4, 2)), np.ones((2, 3)) * 0.3, np.eye(3) * 0.1
    np.testing.assert_allclose(
        bl.rnn_forward(xs, w_x, w_h, [0, 1, 2], h0=[0.5, 0, 0]),
        bl.recurrent_unroll(xs, w_x, w_h, [0, 1, 2], initial_state=[0.5, 0, 0]).states[1:],
    )


# ----------------------------------------------------------- against references


def _loss(xs, w_x, w_h, b, g, h0):
    return float(np.sum(g * bl.rnn_forward(xs, w_x, w_h, b, h0)))


@given(rnn_case())
def test_rnn_backward_equals_finite_differences(case):
    xs, w_x, w_h, b, g, h0 = (a.copy() for a in case)
    grads = bl.rnn_backward(xs, w_x, w_h, b, g, h0)

    def loss():
        return _loss(xs, w_x, w_h, b, g, h0)

    for name, array in (("W_x", w_x), ("W_h", w_h), ("b", b), ("h0", h0)):
        expected = numerical_gradient(loss, array)
        np.testing.assert_allclose(getattr(grads, name), expected, atol=1e-6, err_msg=name)


def _value_rnn(xs, w_x, w_h, b, h0):
    """The unrolled network built from scratch with bl.Value, one number at a time."""
    V = bl.Value
    leaves = {
        "W_x": [[V(v) for v in row] for row in w_x],
        "W_h": [[V(v) for v in row] for row in w_h],
        "b": [V(v) for v in b],
        "h0": [V(v) for v in h0],
    }
    n_hidden = len(b)
    h = leaves["h0"]
    states = []
    for x_t in xs:
        z = [
            sum((x_t[i] * leaves["W_x"][i][j] for i in range(len(x_t))), leaves["b"][j])
            + sum(h[k] * leaves["W_h"][k][j] for k in range(n_hidden))
            for j in range(n_hidden)
        ]
        h = [z_j.tanh() for z_j in z]
        states.append(h)
    return leaves, states


@given(rnn_case())
def test_rnn_backward_equals_a_value_graph(case):
    xs, w_x, w_h, b, g, h0 = case
    leaves, states = _value_rnn(xs, w_x, w_h, b, h0)
    loss = sum(
        (g[t, j] * states[t][j] for t in range(len(states)) for j in range(len(b))),
        bl.Value(0.0),
    )
    loss.backward()
    grads = bl.rnn_backward(xs, w_x, w_h, b, g, h0)
    np.testing.assert_allclose(
        [[s.data for s in h] for h in states], bl.rnn_forward(xs, w_x, w_h, b, h0)
    )
    for name in ("W_x", "W_h", "b", "h0"):
        got = np.vectorize(lambda v: v.grad, otypes=[float])(np.array(leaves[name], dtype=object))
        np.testing.assert_allclose(getattr(grads, name), got, atol=1e-12, err_msg=name)


@given(rnn_case())
def test_step_contributions_add_up_to_the_gradients(case):
    xs, w_x, w_h, b, g, h0 = case
    grads = bl.rnn_backward(xs, w_x, w_h, b, g, h0)
    np.testing.assert_allclose(grads.W_h_steps.sum(axis=0), grads.W_h, atol=1e-12)
    np.testing.assert_allclose(grads.W_x_steps.sum(axis=0), grads.W_x, atol=1e-12)
    np.testing.assert_allclose(grads.b_steps.sum(axis=0), grads.b, atol=1e-12)
    np.testing.assert_allclose(grads.deltas, grads.grad_states * (1 - grads.states[1:] ** 2))
    assert grads.steps == len(xs)
    assert [a.shape for a in grads.as_list()] == [w_x.shape, w_h.shape, b.shape]


def test_gradient_reaching_early_steps_vanishes_or_explodes():
    """With the loss on the last of 50 steps, dE/dh_1 shrinks for a small W_h and grows for
    a large one (the product of W_h and tanh' over the steps)."""
    xs = np.zeros(50)
    grad_hs = np.zeros(50)
    grad_hs[-1] = 1.0
    small_w = bl.rnn_backward(xs, 1.0, 0.5, 0.0, grad_hs, h0=0.1).grad_states[:, 0]
    large_w = bl.rnn_backward(xs, 1.0, 3.0, 0.0, grad_hs, h0=0.0).grad_states[:, 0]
    assert abs(small_w[0]) < 1e-14  # 0.5^49 with slopes <= 1
    assert abs(large_w[0]) == pytest.approx(3.0**49)  # h stays 0, slope 1: 3^49


# -------------------------------------------------------------------- errors


def test_rnn_errors_name_the_argument():
    xs, w_x, w_h, b = np.ones((3, 2)), np.ones((2, 2)), np.eye(2), np.zeros(2)
    with pytest.raises(ValueError, match=r"W_h must have shape \(2, 2\); got \(3, 3\)"):
        bl.rnn_forward(xs, w_x, np.eye(3), b)
    with pytest.raises(ValueError, match=r"W_x must have shape \(2, n_hidden\) to match xs"):
        bl.rnn_forward(xs, np.ones((3, 2)), w_h, b)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\) or be a number; got \(3,\)"):
        bl.rnn_forward(xs, w_x, w_h, np.zeros(3))
    with pytest.raises(ValueError, match=r"h0 must have shape \(2,\) or be a number; got \(1,\)"):
        bl.rnn_forward(xs, w_x, w_h, b, h0=[1.0])
    with pytest.raises(ValueError, match=r"xs must have shape \(T,\) or \(T, n_in\) with T >= 1"):
        bl.rnn_forward(np.ones((0, 2)), w_x, w_h, b)
    with pytest.raises(ValueError, match="xs must contain only finite numbers; found nan"):
        bl.rnn_forward([[np.nan, 1.0]], w_x, w_h, b)
    with pytest.raises(TypeError, match="W_h must be an array of numbers; got 'eye'"):
        bl.rnn_forward(xs, w_x, "eye", b)
    with pytest.raises(ValueError, match=r"grad_hs must have shape \(3, 2\), one dE/dh_t per step"):
        bl.rnn_backward(xs, w_x, w_h, b, np.ones((2, 2)))
