"""``train``'s batch_order=, l2= and l1= (backprop_lab.nn.training), against hand-written
numpy loops and finite differences of the penalised loss."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_lab as bl
from backprop_lab.nn.portable_random import batch_order, portable_network


def problem(seed: int = 0, n: int = 24):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    return X, Y


def network(seed: int = 1) -> bl.Network:
    net = portable_network([2, 4, 3, 1], "tanh", "sigmoid", "binary_cross_entropy", seed)
    net.biases = [np.full(b.shape, 0.1) for b in net.biases]
    return net


def manual_run(net, X, Y, eta, iterations, l2=0.0, l1=0.0, mu=0.0, batches=None):
    """Simultaneous updates written out: g + l2 w + l1 sign(w) on weights, momentum
    v = mu v + g, w = w - eta v; ``batches`` yields the row indices of each update."""
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    vw = [np.zeros_like(w) for w in weights]
    vb = [np.zeros_like(b) for b in biases]
    for t in range(iterations):
        rows = slice(None) if batches is None else batches[t]
        current = bl.Network.from_weights(weights, biases, "tanh", "sigmoid", net.loss_name)
        grads = current.gradients(X[rows], Y[rows])
        for k in range(len(weights)):
            g = grads.weights[k]
            if l2:
                g = g + l2 * weights[k]
            if l1:
                g = g + l1 * np.sign(weights[k])
            vw[k] = mu * vw[k] + g if mu else g
            vb[k] = mu * vb[k] + grads.biases[k] if mu else grads.biases[k]
            weights[k] = weights[k] - eta * vw[k]
            biases[k] = biases[k] - eta * vb[k]
    return weights, biases


def assert_parameters(net, weights, biases, rtol=1e-14):
    for mine, theirs in zip(net.weights + net.biases, weights + biases):
        np.testing.assert_allclose(mine, theirs, rtol=rtol, atol=1e-15)


@pytest.mark.parametrize(
    ("l2", "l1", "mu"), [(0.05, 0.0, 0.0), (0.0, 0.02, 0.0), (0.05, 0.02, 0.0), (0.01, 0.01, 0.9)]
)
def test_penalties_match_a_hand_written_loop(l2: float, l1: float, mu: float) -> None:
    X, Y = problem()
    net = network()
    weights, biases = manual_run(net, X, Y, 0.3, 25, l2=l2, l1=l1, mu=mu)
    net.train(X, Y, learning_rate=0.3, iterations=25, l2=l2, l1=l1, momentum=mu)
    assert_parameters(net, weights, biases)


def penalised_loss(net, X, Y, l2, l1) -> float:
    squares = sum(float(np.sum(w * w)) for w in net.weights)
    sizes = sum(float(np.sum(np.abs(w))) for w in net.weights)
    return net.loss(X, Y) + 0.5 * l2 * squares + l1 * sizes


def test_one_update_follows_the_gradient_of_the_penalised_loss() -> None:
    """(w0 - w1) / eta is the central-difference gradient of E + l2/2 |w|^2 + l1 |w|_1."""
    X, Y = problem(3)
    net = network(4)
    l2, l1, eta, h = 0.1, 0.03, 1e-3, 1e-6
    trained = net.copy()
    trained.train(X, Y, learning_rate=eta, iterations=1, l2=l2, l1=l1)
    for layer, w in enumerate(net.weights):
        for index in np.ndindex(w.shape):
            step = (w[index] - trained.weights[layer][index]) / eta
            up, down = net.copy(), net.copy()
            up.weights[layer] = w.copy()
            up.weights[layer][index] += h
            down.weights[layer] = w.copy()
            down.weights[layer][index] -= h
            slope = (penalised_loss(up, X, Y, l2, l1) - penalised_loss(down, X, Y, l2, l1)) / (
                2 * h
            )
            assert step == pytest.approx(slope, rel=1e-6, abs=1e-9)
    # biases carry no penalty: their step is the data gradient alone
    data = net.gradients(X, Y)
    for b0, b1, g in zip(net.biases, trained.biases, data.biases):
        np.testing.assert_allclose((b0 - b1) / eta, g, rtol=1e-9)


def test_the_loss_recorded_is_the_data_loss() -> None:
    X, Y = problem()
    net = network()
    history = net.copy().train(X, Y, learning_rate=0.1, iterations=3, l2=10.0, l1=1.0)
    assert history.loss[0] == net.loss(X, Y)


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_a_penalty_shrinks_the_weights_from_where_plain_descent_goes(l2, l1) -> None:
    """One update with penalties = the plain update minus eta (l2 w + l1 sign w)."""
    X, Y = problem(5, n=8)
    net = network(6)
    eta = 0.1
    plain, penalised = net.copy(), net.copy()
    plain.train(X, Y, learning_rate=eta, iterations=1)
    penalised.train(X, Y, learning_rate=eta, iterations=1, l2=l2, l1=l1)
    for w, p, q in zip(net.weights, plain.weights, penalised.weights):
        expected = p - eta * (l2 * w + l1 * np.sign(w))
        np.testing.assert_allclose(q, expected, rtol=1e-12, atol=1e-15)


def test_zero_penalties_change_nothing() -> None:
    X, Y = problem()
    a, b = network(), network()
    a.train(X, Y, learning_rate=0.5, iterations=30, momentum=0.5)
    b.train(X, Y, learning_rate=0.5, iterations=30, momentum=0.5, l2=0.0, l1=0)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases))


def batches_from(orders, n, batch_size, updates):
    per_epoch = n // batch_size
    return [
        orders[(t // per_epoch) % len(orders)][
            (t % per_epoch) * batch_size : (t % per_epoch + 1) * batch_size
        ]
        for t in range(updates)
    ]


@pytest.mark.parametrize(("epochs", "batch_size"), [(1, 5), (3, 5), (2, 7), (9, 24 // 2)])
def test_batch_order_matches_a_hand_written_loop(epochs: int, batch_size: int) -> None:
    X, Y = problem()
    net = network()
    orders = batch_order(len(X), epochs, seed=8)
    batches = batches_from(orders, len(X), batch_size, 30)
    weights, biases = manual_run(net, X, Y, 0.2, 30, l2=0.01, mu=0.5, batches=batches)
    history = net.train(
        X, Y, learning_rate=0.2, iterations=30, batch_size=batch_size,
        batch_order=orders, l2=0.01, momentum=0.5, seed=123,
    )  # fmt: skip
    assert_parameters(net, weights, biases)
    first = batches[0]
    assert history.loss[0] == pytest.approx(network().loss(X[first], Y[first]), rel=1e-15)


def test_one_permutation_is_cycled() -> None:
    X, Y = problem()
    order = batch_order(len(X), 1, seed=2)
    a, b = network(), network()
    a.train(X, Y, learning_rate=0.2, iterations=20, batch_size=6, batch_order=order)
    b.train(X, Y, learning_rate=0.2, iterations=20, batch_size=6, batch_order=order * 5)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))


def test_an_interrupted_run_replays_the_given_order_exactly() -> None:
    """Past a checkpoint (every 64 updates) the run is rebuilt by replaying the batches."""
    X, Y = problem()
    orders = batch_order(len(X), 4, seed=3)

    def stop(t, loss):
        if t == 150:
            raise KeyboardInterrupt

    a, b = network(), network()
    history = a.train(
        X, Y, learning_rate=0.1, iterations=400, batch_size=5, batch_order=orders, callback=stop
    )
    assert history.interrupted and history.iterations_run == 150
    b.train(X, Y, learning_rate=0.1, iterations=150, batch_size=5, batch_order=orders)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))


def test_batch_order_with_a_full_batch_is_checked_and_unused() -> None:
    X, Y = problem()
    a, b = network(), network()
    a.train(X, Y, learning_rate=0.2, iterations=5)
    b.train(X, Y, learning_rate=0.2, iterations=5, batch_size=100, batch_order=[range(24)])
    assert all(np.array_equal(p, q) for p, q in zip(a.weights, b.weights))


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"batch_order": [list(range(24))]}, ValueError, "batch_order.*batch_size"),
        ({"batch_size": 4, "batch_order": []}, ValueError, "batch_order"),
        ({"batch_size": 4, "batch_order": "0123"}, TypeError, "batch_order"),
        ({"batch_size": 4, "batch_order": 7}, TypeError, "batch_order"),
        ({"batch_size": 4, "batch_order": [list(range(23))]}, ValueError, r"batch_order\[0\]"),
        ({"batch_size": 4, "batch_order": [[0] * 24]}, ValueError, r"batch_order\[0\]"),
        (
            {"batch_size": 4, "batch_order": [list(range(24)), list(range(1, 25))]},
            ValueError,
            r"batch_order\[1\]",
        ),
        ({"batch_size": 4, "batch_order": [[0.5] * 24]}, TypeError, r"batch_order\[0\]"),
        ({"batch_size": 4, "batch_order": [np.zeros((2, 12), int)]}, TypeError, "batch_order"),
        ({"l2": -0.1}, ValueError, "l2"),
        ({"l2": float("nan")}, ValueError, "l2"),
        ({"l1": "0.1"}, TypeError, "l1"),
        ({"l1": True}, TypeError, "l1"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words: str) -> None:
    X, Y = problem()
    with pytest.raises(error, match=words):
        network().train(X, Y, iterations=2, **kwargs)
