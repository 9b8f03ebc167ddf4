"""Activations and losses: closed forms, derivatives, and stability at |z| = 1000."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl
from backprop_lab.nn import activations as act
from backprop_lab.nn.losses import LOSSES, softmax_cross_entropy

moderate = st.floats(-30, 30, allow_nan=False)
rows = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 5)), elements=moderate)


@given(z=moderate)
def test_sigmoid_closed_form_and_derivative(z):
    s = 1.0 / (1.0 + math.exp(-z))
    assert float(act.sigmoid(np.array(z))) == pytest.approx(s, rel=1e-14, abs=1e-300)
    assert float(act.sigmoid_derivative(np.array(z))) == pytest.approx(s * (1 - s), rel=1e-12)
    # the derivative written with the output agrees with the derivative in z
    a = act.sigmoid(np.array(z))
    got = act.ACTIVATIONS["sigmoid"].derivative_from_output(a)
    assert got == pytest.approx(act.sigmoid_derivative(np.array(z)), rel=1e-15)


@given(z=moderate)
def test_tanh_relu_identity_closed_forms(z):
    assert float(act.tanh(np.array(z))) == pytest.approx(math.tanh(z), rel=1e-15)
    # 1 - tanh^2 is exact to rounding in absolute terms (relative accuracy is lost where
    # tanh is within rounding of 1, which backpropagation does not need)
    assert float(act.tanh_derivative(np.array(z))) == pytest.approx(
        1 / math.cosh(z) ** 2, rel=1e-12, abs=1e-15
    )
    assert float(act.relu(np.array(z))) == max(z, 0.0)
    assert float(act.relu_derivative(np.array(z))) == (1.0 if z > 0 else 0.0)
    assert float(act.identity(np.array(z))) == z
    assert float(act.identity_derivative(np.array(z))) == 1.0


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "identity"])
@given(z=st.floats(-8, 8))
def test_derivatives_match_finite_differences(name, z):
    f = act.ACTIVATIONS[name]
    h = 1e-6
    numeric = (float(f(np.array(z + h))) - float(f(np.array(z - h)))) / (2 * h)
    assert float(f.derivative(np.array(z))) == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_relu_derivative_at_the_kink_is_zero_by_convention():
    assert act.relu_derivative(np.array([0.0, -0.0, 1e-300])).tolist() == [0.0, 0.0, 1.0]


@given(z=rows)
def test_softmax_rows_are_probabilities_and_match_the_formula(z):
    p = act.softmax(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-14)
    assert np.all(p >= 0)
    e = np.exp(z)
    np.testing.assert_allclose(p, e / e.sum(axis=1, keepdims=True), rtol=1e-12, atol=1e-300)
    # invariant to adding a constant to a row
    np.testing.assert_allclose(act.softmax(z + 7.5), p, rtol=1e-12, atol=1e-300)


@given(z=rows, g=rows)
def test_softmax_backward_is_the_jacobian_transpose_product(z, g):
    g = np.resize(g, z.shape)
    a = act.softmax(z)
    expected = np.empty_like(z)
    for s in range(z.shape[0]):
        jacobian = np.diag(a[s]) - np.outer(a[s], a[s])  # d a_k / d z_m
        expected[s] = jacobian.T @ g[s]
    got = act.ACTIVATIONS["softmax"].backward(z, a, g)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@given(z=rows, g=rows)
def test_elementwise_backward_multiplies_by_the_derivative(z, g):
    g = np.resize(g, z.shape)
    for name in ["sigmoid", "tanh", "relu", "identity"]:
        f = act.ACTIVATIONS[name]
        got = f.backward(z, f(z), g)
        np.testing.assert_allclose(got, g * f.derivative(z), rtol=1e-12, atol=1e-300)


def test_activations_keep_float32():
    z = np.linspace(-3, 3, 7, dtype=np.float32)
    for name, f in act.ACTIVATIONS.items():
        assert f(z).dtype == np.float32, name
        if f.derivative is not None:
            assert f.derivative(z).dtype == np.float32, name


def test_activations_of_integers_are_floats():
    # a reader typing bl.activations.sigmoid(0) in chapter 1 must see 0.5, not 0
    assert act.sigmoid(0) == 0.5
    np.testing.assert_allclose(act.sigmoid(np.array([0, 1, -2])), [0.5, 0.7310585786, 0.1192029220])
    assert act.sigmoid_derivative(0) == 0.25
    assert act.tanh_derivative(0) == 1.0


def test_get_activation_refuses_softmax_in_hidden_layers():
    assert bl.get_activation("softmax", output=True).name == "softmax"
    with pytest.raises(ValueError, match="activation must be one of"):
        bl.get_activation("softmax")


# ----------------------------------------------------------------------- losses


@given(z=rows, y=rows)
def test_squared_error_and_mse_closed_forms(z, y):
    y = np.resize(y, z.shape)
    a = z  # identity output
    se = LOSSES["squared_error"]
    mse = LOSSES["mse"]
    n, k = z.shape
    expected_se = sum(0.5 * (y[s, j] - a[s, j]) ** 2 for s in range(n) for j in range(k)) / n
    expected_mse = sum((y[s, j] - a[s, j]) ** 2 for s in range(n) for j in range(k)) / (n * k)
    assert se.value(z, a, y) == pytest.approx(expected_se, rel=1e-12, abs=1e-300)
    assert mse.value(z, a, y) == pytest.approx(expected_mse, rel=1e-12, abs=1e-300)
    np.testing.assert_allclose(se.output_gradient(z, a, y), a - y, rtol=1e-15)
    np.testing.assert_allclose(mse.output_gradient(z, a, y), 2 * (a - y) / k, rtol=1e-15)


@given(z=rows, y=rows)
def test_binary_cross_entropy_closed_form_and_delta(z, y):
    z = np.clip(z, -15, 15)  # keep the naive formula accurate
    y = np.resize(np.abs(np.tanh(y)), z.shape)  # targets in [0, 1]
    a = 1 / (1 + np.exp(-z))
    loss = LOSSES["binary_cross_entropy"]
    naive = np.mean(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=1))
    assert loss.value(z, a, y) == pytest.approx(naive, rel=1e-9, abs=1e-12)
    # the fused delta is dE/da * da/dz = (a - y)
    np.testing.assert_allclose(loss.output_delta(z, a, y), a - y, rtol=1e-12, atol=1e-15)
    chained = loss.output_gradient(z, a, y) * a * (1 - a)
    np.testing.assert_allclose(chained, a - y, rtol=1e-6, atol=1e-9)


@given(z=rows, y=rows)
def test_cross_entropy_closed_form_and_delta(z, y):
    z = np.clip(z, -15, 15)
    y = np.resize(np.abs(y), z.shape)  # non-negative weights, not necessarily summing to 1
    a = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = LOSSES["cross_entropy"]
    naive = np.mean(-np.sum(y * np.log(a), axis=1))
    assert loss.value(z, a, y) == pytest.approx(naive, rel=1e-9, abs=1e-12)
    expected = a * y.sum(axis=1, keepdims=True) - y
    np.testing.assert_allclose(loss.output_delta(z, a, y), expected, rtol=1e-10, atol=1e-12)
    through_softmax = act.ACTIVATIONS["softmax"].backward(z, a, loss.output_gradient(z, a, y))
    np.testing.assert_allclose(through_softmax, expected, rtol=1e-7, atol=1e-9)


@given(z=st.floats(-20, 20), y=st.floats(0, 1))
def test_loss_derivatives_match_finite_differences_in_the_output(z, y):
    """dE/da for the losses defined on the output a (squared error, mse)."""
    for name in ["squared_error", "mse"]:
        loss = LOSSES[name]
        a = np.array([[math.tanh(z)]])
        h = 1e-6
        up = loss.value(a + h, a + h, np.array([[y]]))
        down = loss.value(a - h, a - h, np.array([[y]]))
        analytic = float(loss.output_gradient(a, a, np.array([[y]]))[0, 0])
        assert analytic == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8)


# -------------------------------------------------------------------- stability


def test_no_warnings_and_exact_limits_at_plus_minus_1000():
    z = np.array([[-1000.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.sigmoid(z).tolist() == [[0.0, 1.0]]
        assert act.sigmoid_derivative(z).tolist() == [[0.0, 0.0]]
        assert act.tanh(z).tolist() == [[-1.0, 1.0]]
        assert act.tanh_derivative(z).tolist() == [[0.0, 0.0]]
        assert act.softmax(z).tolist() == [[0.0, 1.0]]
        assert act.softmax(np.array([[1000.0, 1000.0]])).tolist() == [[0.5, 0.5]]
        assert act.relu(z).tolist() == [[0.0, 1000.0]]
        bce = LOSSES["binary_cross_entropy"]
        a = act.sigmoid(z)
        # y = 1 at z = -1000 costs 1000, y = 0 at z = 1000 costs 1000, the right ones cost 0
        assert bce.value(z, a, np.array([[1.0, 0.0]])) == 2000.0
        assert bce.value(z, a, np.array([[0.0, 1.0]])) == 0.0
        assert bce.output_delta(z, a, np.array([[1.0, 0.0]])).tolist() == [[-1.0, 1.0]]
        ce = LOSSES["cross_entropy"]
        p = act.softmax(z)
        assert ce.value(z, p, np.array([[1.0, 0.0]])) == 2000.0
        assert ce.value(z, p, np.array([[0.0, 1.0]])) == 0.0
        assert ce.output_delta(z, p, np.array([[1.0, 0.0]])).tolist() == [[-1.0, 1.0]]


def test_network_with_huge_net_inputs_gives_finite_gradients_without_warnings():
    for output, loss in [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy"),
                         ("sigmoid", "squared_error"), ("tanh", "mse")]:  # fmt: skip
        net = bl.Network.from_weights(
            [np.array([[1.0, -1.0]])], [np.zeros(2)], output_activation=output, loss=loss
        )
        X = np.array([[1000.0], [-1000.0]])
        Y = np.array([[1.0, 0.0], [1.0, 0.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            value = net.loss(X, Y)
            grads = net.gradients(X, Y)
        assert np.isfinite(value)
        assert all(np.all(np.isfinite(g)) for g in grads.weights + grads.biases), (output, loss)


def test_float32_stability():
    z = np.array([[-1000.0, 1000.0, 0.0]], dtype=np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act.sigmoid(z).tolist() == [[0.0, 1.0, 0.5]]
        assert act.softmax(z)[0, 1] == 1.0
        bce = LOSSES["binary_cross_entropy"]
        value = bce.value(z, act.sigmoid(z), np.array([[1.0, 0.0, 1.0]], dtype=np.float32))
    assert value == pytest.approx(2000 + math.log(2), rel=1e-6)


@given(z=rows, y=rows)
def test_fused_softmax_cross_entropy_gives_the_same_numbers(z, y):
    """Training shares one pass between softmax and cross-entropy: bit for bit the same."""
    y = np.resize(np.abs(y), z.shape)
    for dtype in (np.float64, np.float32):
        zd, yd = (1000 * z).astype(dtype), y.astype(dtype)
        a, per_sample = softmax_cross_entropy(zd, yd)
        separate_a = act.softmax(zd)
        separate = LOSSES["cross_entropy"].per_sample(zd, separate_a, yd)
        assert a.dtype == per_sample.dtype == dtype
        assert a.tobytes() == separate_a.tobytes()
        assert per_sample.tobytes() == separate.tobytes()
