"""The network's forward and backward passes, against an independent reference.

The reference below re-implements the forward pass and every loss in a few lines of
plain numpy (sigmoid written as (1 + tanh(z/2)) / 2, log-losses through logaddexp), and
differentiates it by central finite differences. The package's analytic gradients must
agree for random architectures, every hidden activation and every valid output/loss pair,
in float64 (tightly) and in float32 (to single precision).
"""

import json

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import backprop_lab as bl

HIDDEN = ["sigmoid", "tanh", "relu", "identity"]
PAIRS = [
    ("sigmoid", "binary_cross_entropy"),
    ("softmax", "cross_entropy"),
    ("softmax", "squared_error"),
    ("softmax", "mse"),
] + [
    (out, loss)
    for out in ["identity", "tanh", "relu", "sigmoid"]
    for loss in ["squared_error", "mse"]
]


# ------------------------------------------------------------------ the reference


def ref_activation(name, z):
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * z))
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.where(z > 0, z, 0.0)
    if name == "identity":
        return z
    if name == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    raise AssertionError(name)


def ref_forward(weights, biases, X, hidden, output):
    """Returns every net input and the final (z, a)."""
    a, zs = X, []
    for layer, (w, b) in enumerate(zip(weights, biases)):
        z = a @ w + b
        zs.append(z)
        a = ref_activation(output if layer == len(weights) - 1 else hidden, z)
    return zs, a


def ref_loss(weights, biases, X, Y, hidden, output, loss):
    zs, a = ref_forward(weights, biases, X, hidden, output)
    z = zs[-1]
    if loss == "squared_error":
        return np.mean(0.5 * np.sum((Y - a) ** 2, axis=1))
    if loss == "mse":
        return np.mean((Y - a) ** 2)
    if loss == "binary_cross_entropy":
        log_a, log_1ma = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
        return np.mean(-np.sum(Y * log_a + (1 - Y) * log_1ma, axis=1))
    if loss == "cross_entropy":
        m = z.max(axis=1, keepdims=True)
        log_p = z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))
        return np.mean(-np.sum(Y * log_p, axis=1))
    raise AssertionError(loss)


def finite_differences(weights, biases, X, Y, hidden, output, loss, h=1e-6):
    """Central differences (L(p + h) - L(p - h)) / 2h for every parameter, in float64."""
    weights = [np.array(w, dtype=np.float64) for w in weights]
    biases = [np.array(b, dtype=np.float64) for b in biases]
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    result = []
    for arrays in (weights, biases):
        grads = []
        for p in arrays:
            g = np.zeros_like(p)
            for index in np.ndindex(p.shape):
                keep = p[index]
                p[index] = keep + h
                up = ref_loss(weights, biases, X, Y, hidden, output, loss)
                p[index] = keep - h
                down = ref_loss(weights, biases, X, Y, hidden, output, loss)
                p[index] = keep
                g[index] = (up - down) / (2 * h)
            grads.append(g)
        result.append(grads)
    return result


@st.composite
def problems(draw):
    n_layers = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 8), min_size=n_layers + 1, max_size=n_layers + 1))
    hidden = draw(st.sampled_from(HIDDEN))
    output, loss = draw(st.sampled_from(PAIRS))
    if output == "softmax":  # a softmax over one unit is refused: it cannot learn
        sizes[-1] = max(sizes[-1], 2)
    seed = draw(st.integers(0, 2**16))
    n_samples = draw(st.integers(1, 5))
    rng = np.random.default_rng(seed)
    net = bl.Network(sizes, activation=hidden, output_activation=output, loss=loss, seed=seed)
    biases = [rng.normal(0.0, 0.5, size=b.shape) for b in net.biases]
    net.set_parameters(net.weights, biases)
    X = rng.normal(0.0, 1.0, size=(n_samples, sizes[0]))
    if loss in ("binary_cross_entropy", "cross_entropy"):
        Y = rng.uniform(0.0, 1.0, size=(n_samples, sizes[-1]))
    else:
        Y = rng.normal(0.0, 1.0, size=(n_samples, sizes[-1]))
    return net, X, Y


def _away_from_kinks(net, X):
    """True unless a ReLU net input sits within 1e-4 of its kink (finite differences
    straddling the kink would measure an average of the two one-sided slopes)."""
    if "relu" not in (net.activation, net.output_activation):
        return True
    trace = net.forward_trace(X)
    for layer in range(1, net.n_layers + 1):
        if net.activation_of(layer).name == "relu" and np.any(np.abs(trace.z(layer)) < 1e-4):
            return False
    return True


def _describe(net):
    return f"{net!r}"


# ------------------------------------------------------------------ the properties


@given(problems())
def test_forward_and_loss_match_the_reference(problem):
    net, X, Y = problem
    _, a = ref_forward(net.weights, net.biases, X, net.activation, net.output_activation)
    np.testing.assert_allclose(net.forward(X), a, rtol=1e-12, atol=1e-14)
    expected = ref_loss(net.weights, net.biases, X, Y, net.activation, net.output_activation,
                        net.loss_name)  # fmt: skip
    assert net.loss(X, Y) == pytest.approx(expected, rel=1e-12, abs=1e-14)


@given(problems())
def test_float64_gradients_match_finite_differences(problem):
    net, X, Y = problem
    assume(_away_from_kinks(net, X))
    grads = net.gradients(X, Y)
    fd_w, fd_b = finite_differences(
        net.weights, net.biases, X, Y, net.activation, net.output_activation, net.loss_name
    )
    scale = max(1.0, max(float(np.abs(g).max()) for g in fd_w + fd_b))
    for analytic, numeric in zip(grads.weights + grads.biases, fd_w + fd_b):
        assert analytic.dtype == np.float64
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7 * scale,
                                   err_msg=_describe(net))  # fmt: skip


@given(problems())
def test_float32_gradients_match_float64_finite_differences(problem):
    net, X, Y = problem
    net32 = net.astype(np.float32)
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    reference = net32.astype(np.float64)  # the same (float32-representable) parameters
    assume(_away_from_kinks(reference, X32.astype(np.float64)))
    grads = net32.gradients(X32, Y32)
    fd_w, fd_b = finite_differences(
        reference.weights, reference.biases, X32, Y32,
        net.activation, net.output_activation, net.loss_name,
    )  # fmt: skip
    scale = max(1.0, max(float(np.abs(g).max()) for g in fd_w + fd_b))
    for analytic, numeric in zip(grads.weights + grads.biases, fd_w + fd_b):
        assert analytic.dtype == np.float32
        np.testing.assert_allclose(analytic, numeric, rtol=2e-3, atol=2e-4 * scale,
                                   err_msg=_describe(net))  # fmt: skip


@given(problems())
def test_batch_gradient_is_the_mean_of_sample_gradients(problem):
    net, X, Y = problem
    whole = net.gradients(X, Y).flat()
    singles = np.mean([net.gradients(x, y).flat() for x, y in zip(X, Y)], axis=0)
    np.testing.assert_allclose(whole, singles, rtol=1e-10, atol=1e-13)


@given(problems())
def test_batch_forward_equals_one_sample_at_a_time(problem):
    net, X, _ = problem
    rows = np.array([net.forward(x) for x in X])
    np.testing.assert_allclose(net.forward(X), rows, rtol=1e-13, atol=1e-15)
    assert net.forward(X[0]).shape == (net.layer_sizes[-1],)


@given(problems())
def test_backward_trace_deltas_give_the_gradients(problem):
    """dE/dW^(l) is the mean over samples of a^(l-1)^T delta^(l); dE/db^(l) of delta^(l)."""
    net, X, Y = problem
    trace = net.backward_trace(X, Y)
    grads = net.gradients(X, Y)
    n = X.shape[0]
    for layer in range(1, net.n_layers + 1):
        delta = trace.delta(layer)
        assert delta.shape == (n, net.layer_sizes[layer])
        np.testing.assert_allclose(trace.forward.a(layer - 1).T @ delta / n,
                                   grads.weights[layer - 1], rtol=1e-12, atol=1e-15)  # fmt: skip
        np.testing.assert_allclose(delta.mean(axis=0), grads.biases[layer - 1],
                                   rtol=1e-12, atol=1e-15)  # fmt: skip
    assert trace.loss == pytest.approx(net.loss(X, Y), rel=1e-15)


# --------------------------------------------------------------- initialisation


def test_same_seed_same_weights_bitwise_and_other_seeds_differ():
    a = bl.Network([3, 5, 2], seed=7)
    b = bl.Network([3, 5, 2], seed=7)
    c = bl.Network([3, 5, 2], seed=8)
    for wa, wb, wc in zip(a.weights, b.weights, c.weights):
        assert wa.tobytes() == wb.tobytes()
        assert not np.array_equal(wa, wc)
    assert all(np.all(bias == 0) for bias in a.biases)


def test_initialisation_scales():
    net = bl.Network([200, 300, 100], activation="tanh", seed=1)
    for w in net.weights:
        limit = np.sqrt(6 / sum(w.shape))
        assert np.abs(w).max() <= limit
        assert np.abs(w).max() > 0.95 * limit  # uniform: the bound is nearly reached
    relu = bl.Network([400, 300], activation="relu", seed=1)
    assert relu.weights[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    glorot = bl.Network([400, 300], activation="relu", init="glorot", seed=1)
    assert np.abs(glorot.weights[0]).max() <= np.sqrt(6 / 700)


def test_float32_network_computes_in_float32():
    net = bl.Network([2, 3, 1], dtype=np.float32, seed=0)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    X = np.ones((4, 2))
    assert net.forward(X).dtype == np.float32
    assert net.gradients(X, np.ones((4, 1))).weights[0].dtype == np.float32
    # float32 initial weights are the float64 ones rounded
    net64 = bl.Network([2, 3, 1], seed=0)
    np.testing.assert_array_equal(net.weights[0], net64.weights[0].astype(np.float32))


# ------------------------------------------------------------------- parameters


def test_parameter_names_order_matches_gradients_flat():
    net = bl.Network([2, 3, 2], seed=0)
    names = net.parameter_names()
    assert len(names) == net.n_parameters == 2 * 3 + 3 + 3 * 2 + 2
    X, Y = np.ones((2, 2)), np.zeros((2, 2))
    grads = net.gradients(X, Y)
    np.testing.assert_array_equal(grads.flat(), [grads[name] for name in names])
    assert names[0] == "W1[0,0]" and names[-1] == "b2[1]"


def test_set_parameter_changes_exactly_one_entry():
    net = bl.Network([2, 3, 2], seed=0)
    before = net.copy()
    net.set_parameter("W2[2,1]", 0.125)
    assert net.parameter("W2[2,1]") == 0.125 == net.weights[1][2, 1]
    net.set_parameter("b1[0]", -3.0)
    assert net.biases[0][0] == -3.0
    for name in net.parameter_names():
        if name not in ("W2[2,1]", "b1[0]"):
            assert net.parameter(name) == before.parameter(name)


# ---------------------------------------------------------------- copy and JSON


def test_copy_is_independent():
    net = bl.Network([2, 4, 1], seed=3)
    twin = net.copy()
    X, Y = np.eye(2), np.ones((2, 1))
    twin.train(X, Y, iterations=5)
    twin.set_parameter("b1[0]", 9.0)
    fresh = bl.Network([2, 4, 1], seed=3)
    for w, f in zip(net.weights + net.biases, fresh.weights + fresh.biases):
        np.testing.assert_array_equal(w, f)
    net.weights[0][0, 0] = 42.0  # in-place edit of the original does not reach the copy
    assert twin.weights[0][0, 0] != 42.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_json_round_trip_is_exact(dtype, tmp_path):
    rng = np.random.default_rng(5)
    net = bl.Network([3, 4, 2], activation="tanh", output_activation="softmax",
                     loss="cross_entropy", seed=5, dtype=dtype)  # fmt: skip
    awkward = [rng.normal(size=b.shape) * 10.0 ** rng.integers(-300, 300, size=b.shape)
               for b in net.biases]  # fmt: skip
    awkward[0][0] = 0.1
    awkward[1][0] = -5e-324
    if dtype == np.float32:
        awkward = [np.clip(b, -1e38, 1e38) for b in awkward]
    net.set_parameters(net.weights, awkward)
    for rebuilt in (
        bl.Network.from_json(net.to_json()),
        bl.Network.load(net.save(tmp_path / "net.json")),
        bl.Network.from_dict(json.loads(json.dumps(net.to_dict()))),
    ):
        assert rebuilt.dtype == net.dtype
        assert repr(rebuilt) == repr(net)
        for a, b in zip(net.weights + net.biases, rebuilt.weights + rebuilt.biases):
            assert a.dtype == b.dtype == dtype
            assert a.tobytes() == b.tobytes()


def test_astype_round_trip():
    net = bl.Network([2, 3, 1], seed=0)
    back = net.astype(np.float32).astype(np.float64)
    np.testing.assert_allclose(back.weights[0], net.weights[0], rtol=1e-7)
    assert net.dtype == np.float64


def test_predict_classes_and_accuracy():
    net = bl.Network.from_weights([[[1.0], [1.0]]], [[-1.5]], output_activation="sigmoid")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # an AND gate
    assert net.predict_classes(X).tolist() == [0, 0, 0, 1]
    assert net.accuracy(X, [[0], [0], [0], [1]]) == 1.0
    assert net.accuracy(X, [[0], [1], [1], [0]]) == 0.25
    soft = bl.Network.from_weights([np.eye(2)], [np.zeros(2)], output_activation="softmax",
                                   loss="cross_entropy")  # fmt: skip
    assert soft.predict_classes(np.array([[2.0, 1.0], [0.0, 3.0]])).tolist() == [0, 1]
    assert soft.accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.eye(2)) == 1.0
