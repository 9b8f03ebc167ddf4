"""Training: it learns, it is reproducible bit for bit, and it survives blow-ups."""

import math
import warnings

import numpy as np
import pytest
from training_helpers import assert_same_bits as _assert_same_bits
from training_helpers import parameters as _params

import backprop_lab as bl
from backprop_lab.calc import datasets


def _moons_net(seed=0, dtype=np.float64):
    return bl.Network([2, 16, 16, 1], activation="tanh", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=seed, dtype=dtype)  # fmt: skip


# ------------------------------------------------------------------- it learns


def test_xor_is_learned():
    X, Y = datasets.xor()
    net = bl.Network([2, 4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    history = net.train(X, Y, learning_rate=2.0, iterations=3000)
    assert history.final_loss < 0.01 * history.initial_loss
    assert net.accuracy(X, Y) == 1.0
    assert history.final_loss == net.loss(X, Y)
    assert len(history.loss) == 3001 and history.iterations_run == 3000
    assert not history.diverged and "3000 iterations" in history.message


@pytest.mark.parametrize("batch_size", [None, 32])
def test_two_moons_is_learned(batch_size):
    data = datasets.two_moons(n_samples=200, noise=0.1, seed=0)
    net = _moons_net()
    history = net.train(data.X, data.Y, learning_rate=0.5, iterations=400,
                        batch_size=batch_size, seed=1)  # fmt: skip
    assert history.final_loss < 0.1 * history.initial_loss
    assert net.accuracy(data.X, data.Y) >= 0.97
    assert history.final_loss == pytest.approx(net.loss(data.X, data.Y), rel=1e-15)


def test_linear_network_converges_to_least_squares():
    """An identity network with squared error is linear regression: gradient descent
    must reach the least-squares solution that numpy's lstsq computes directly."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3 + 0.1 * rng.normal(size=(50, 1))
    net = bl.Network([3, 1], activation="identity", output_activation="identity",
                     loss="squared_error", seed=0)  # fmt: skip
    history = net.train(X, Y, learning_rate=0.2, iterations=2000)
    design = np.column_stack([X, np.ones(50)])
    solution = np.linalg.lstsq(design, Y, rcond=None)[0]
    np.testing.assert_allclose(net.weights[0], solution[:3], rtol=1e-8)
    np.testing.assert_allclose(net.biases[0], solution[3], rtol=1e-8)
    # convex and a small step: never up (beyond rounding once converged)
    assert np.all(np.diff(history.loss) <= 1e-14 * history.loss[:-1])


def test_float32_training_stays_float32_and_tracks_float64():
    data = datasets.two_moons(n_samples=100, seed=2)
    net64 = _moons_net()
    net32 = net64.astype(np.float32)
    h64 = net64.train(data.X, data.Y, learning_rate=0.5, iterations=50)
    h32 = net32.train(data.X, data.Y, learning_rate=0.5, iterations=50)
    assert all(p.dtype == np.float32 for p in net32.weights + net32.biases)
    np.testing.assert_allclose(h32.loss, h64.loss, rtol=1e-4)
    for a, b in zip(net32.weights, net64.weights):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-4)


# ------------------------------------------------------- exactly what it should do


def test_one_full_batch_iteration_is_the_update_rule():
    data = datasets.two_moons(n_samples=40, seed=1)
    net = _moons_net()
    grads = net.gradients(data.X, data.Y)
    before = net.copy()
    net.train(data.X, data.Y, learning_rate=0.3, iterations=1)
    for new, old, g in zip(net.weights + net.biases, before.weights + before.biases,
                           grads.weights + grads.biases):  # fmt: skip
        np.testing.assert_array_equal(new, old - 0.3 * g)


def test_one_mini_batch_iteration_uses_the_first_batch_of_a_seeded_permutation():
    data = datasets.two_moons(n_samples=40, seed=1)
    net = _moons_net()
    index = np.random.default_rng(5).permutation(40)[:8]
    grads = net.gradients(data.X[index], data.Y[index])
    expected = [w - 0.3 * g for w, g in zip(net.weights, grads.weights)]
    history = net.train(data.X, data.Y, learning_rate=0.3, iterations=1, batch_size=8, seed=5)
    for new, want in zip(net.weights, expected):
        np.testing.assert_array_equal(new, want)
    assert history.batch_size == 8
    assert history.loss[0] == pytest.approx(_moons_net().loss(data.X[index], data.Y[index]))


def test_loss_history_is_the_loss_after_each_number_of_updates():
    X, Y = datasets.xor()
    history = bl.Network([2, 3, 1], seed=4).train(X, Y, learning_rate=1.0, iterations=20)
    for t in [0, 1, 7, 20]:
        net = bl.Network([2, 3, 1], seed=4)
        net.train(X, Y, learning_rate=1.0, iterations=t)
        assert history.loss[t] == net.loss(X, Y)


@pytest.mark.parametrize("batch_size", [None, 16])
def test_same_seed_same_run_bitwise(batch_size):
    data = datasets.two_moons(n_samples=60, seed=3)
    runs = []
    for _ in range(2):
        net = _moons_net(seed=11)
        history = net.train(data.X, data.Y, learning_rate=0.4, iterations=60,
                            batch_size=batch_size, seed=7)  # fmt: skip
        runs.append((_params(net), history.loss))
    _assert_same_bits(runs[0][0], runs[1][0])
    assert runs[0][1].tobytes() == runs[1][1].tobytes()


def test_another_seed_gives_another_run():
    data = datasets.two_moons(n_samples=60, seed=3)
    a, b, c = _moons_net(seed=11), _moons_net(seed=11), _moons_net(seed=12)
    a.train(data.X, data.Y, iterations=20, batch_size=16, seed=7)
    b.train(data.X, data.Y, iterations=20, batch_size=16, seed=8)  # other shuffling
    c.train(data.X, data.Y, iterations=20, batch_size=16, seed=7)  # other initial weights
    assert not np.array_equal(a.weights[0], b.weights[0])
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_fixed_biases_stay_fixed():
    data = datasets.two_moons(n_samples=60, seed=3)
    net = _moons_net()
    net.set_parameters(net.weights, [np.full(b.shape, 0.25) for b in net.biases])
    biases = [b.copy() for b in net.biases]
    weights = [w.copy() for w in net.weights]
    history = net.train(data.X, data.Y, iterations=30, update_biases=False)
    _assert_same_bits(net.biases, biases)
    assert not np.array_equal(net.weights[0], weights[0])
    assert history.update_biases is False


def test_zero_iterations_change_nothing():
    data = datasets.two_moons(n_samples=60, seed=3)
    net = _moons_net()
    before = _params(net)
    X_before = data.X.copy()
    history = net.train(data.X, data.Y, iterations=0)
    _assert_same_bits(_params(net), before)
    assert history.iterations_run == 0 and history.loss.tolist() == [net.loss(data.X, data.Y)]
    np.testing.assert_array_equal(data.X, X_before)  # inputs are never modified


@pytest.mark.parametrize("batch_size", [None, 16])
def test_snapshots_are_the_parameters_after_that_many_updates(batch_size):
    data = datasets.two_moons(n_samples=60, seed=3)
    history = _moons_net().train(data.X, data.Y, learning_rate=0.5, iterations=25,
                                 batch_size=batch_size, seed=2, snapshot_every=10)  # fmt: skip
    assert [s.iteration for s in history.snapshots] == [0, 10, 20, 25]
    for snap in history.snapshots:
        fresh = _moons_net()
        fresh.train(data.X, data.Y, learning_rate=0.5, iterations=snap.iteration,
                    batch_size=batch_size, seed=2)  # fmt: skip
        _assert_same_bits(snap.weights + snap.biases, _params(fresh))
    assert history.snapshot(19).iteration == 10
    assert history.snapshot(20).iteration == 20
    assert history.snapshot(1000).iteration == 25


def test_snapshots_are_copies():
    X, Y = datasets.xor()
    net = bl.Network([2, 2, 1], seed=0)
    history = net.train(X, Y, iterations=4, snapshot_every=2)
    history.snapshots[0].weights[0][0, 0] = 99.0
    assert net.weights[0][0, 0] != 99.0
    assert bl.Network([2, 2, 1], seed=0).weights[0][0, 0] != 99.0


def test_batch_size_at_least_the_data_is_full_batch():
    X, Y = datasets.xor()
    a, b = bl.Network([2, 2, 1], seed=0), bl.Network([2, 2, 1], seed=0)
    history = a.train(X, Y, iterations=10, batch_size=4)
    b.train(X, Y, iterations=10)
    _assert_same_bits(_params(a), _params(b))
    assert history.batch_size is None


# ----------------------------------------------------------------- stability


@pytest.mark.parametrize(
    ("hidden", "output", "loss"),
    [
        ("sigmoid", "sigmoid", "squared_error"),
        ("tanh", "sigmoid", "binary_cross_entropy"),
        ("relu", "softmax", "cross_entropy"),
        ("tanh", "tanh", "mse"),
        ("relu", "identity", "mse"),
        ("identity", "identity", "squared_error"),
    ],
)
def test_huge_inputs_and_learning_rate_give_no_warnings_and_finite_parameters(hidden, output, loss):
    rng = np.random.default_rng(0)
    X = 1000.0 * rng.choice([-1.0, 1.0], size=(20, 3))
    labels = rng.integers(0, 2, size=20)
    Y = np.eye(2)[labels]
    net = bl.Network([3, 5, 2], activation=hidden, output_activation=output, loss=loss, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = net.train(X, Y, learning_rate=10000.0, iterations=50)
        loss_now = net.loss(X, Y)
        net.forward(X)
        net.gradients(X, Y)
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)
    assert np.all(np.isfinite(history.loss))
    assert np.isfinite(loss_now) and loss_now == pytest.approx(history.final_loss)
    assert history.diverged == (history.iterations_run < 50)


def _diverging_problem():
    net = bl.Network([1, 1], activation="identity", output_activation="identity", loss="mse")
    X = np.array([[1000.0], [-1000.0], [500.0]])
    Y = np.array([[1.0], [2.0], [3.0]])
    return net, X, Y


@pytest.mark.parametrize("checkpoint_every", [1, 3, 4, 64])
def test_divergence_is_reported_and_the_last_finite_parameters_kept(checkpoint_every, monkeypatch):
    # the run goes back to a checkpoint and replays: every spacing must give the same
    monkeypatch.setattr(bl.nn.training, "_CHECKPOINT_EVERY", checkpoint_every)
    # this loss explodes at the first update; switch that rule off to reach the overflow
    # (tests/unit/nn/test_training_stopping.py tests the explosion rule)
    monkeypatch.setattr(bl.nn.training, "_DIVERGENCE_FACTOR", math.inf)
    net, X, Y = _diverging_problem()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = net.train(X, Y, learning_rate=10000.0, iterations=100)
    assert history.diverged
    k = history.diverged_at
    assert 1 < k < 100
    assert history.iterations_run == k - 1
    assert len(history.loss) == k and np.all(np.isfinite(history.loss))
    assert f"iteration {k}" in history.message and f"iteration {k - 1}" in history.message
    # the parameters are those after k - 1 updates, bitwise
    separate, _, _ = _diverging_problem()
    check = separate.train(X, Y, learning_rate=10000.0, iterations=k - 1)
    assert not check.diverged
    _assert_same_bits(_params(net), _params(separate))
    assert history.final_loss == net.loss(X, Y)
    # and one more update from there is indeed the one that overflows
    with np.errstate(all="ignore"):
        separate.train(X, Y, learning_rate=10000.0, iterations=1)
    _assert_same_bits(_params(net), _params(separate))
    # the network is still usable: a sensible learning rate trains it further
    net.set_parameters([np.zeros((1, 1))], [np.zeros(1)])
    assert not net.train(X, Y, learning_rate=1e-7, iterations=10).diverged


@pytest.mark.parametrize("checkpoint_every", [1, 2, 5, 64])
def test_divergence_with_mini_batches_reports_the_full_data_loss(checkpoint_every, monkeypatch):
    monkeypatch.setattr(bl.nn.training, "_CHECKPOINT_EVERY", checkpoint_every)
    net, X, Y = _diverging_problem()
    X = np.repeat(X, 4, axis=0)
    Y = np.repeat(Y, 4, axis=0)
    history = net.train(X, Y, learning_rate=10000.0, iterations=200, batch_size=5, seed=0)
    assert history.diverged and np.all(np.isfinite(history.loss))
    assert history.final_loss == net.loss(X, Y)
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)
    # the same parameters as a separate run of one update fewer (same batches)
    separate, _, _ = _diverging_problem()
    separate.train(X, Y, learning_rate=10000.0, iterations=history.diverged_at - 1,
                   batch_size=5, seed=0)  # fmt: skip
    _assert_same_bits(_params(net), _params(separate))


def test_a_non_finite_starting_loss_is_divergence_at_zero():
    net = bl.Network.from_weights([[[1e300]]], [[0.0]], activation="identity",
                                  output_activation="identity", loss="mse")  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = net.train([[1e10]], [[0.0]], iterations=5)
    assert history.diverged and history.diverged_at == 0 and history.iterations_run == 0
    assert "before the first update" in history.message
    assert net.weights[0][0, 0] == 1e300


def test_mini_batch_divergence_whose_kept_parameters_overflow_on_all_the_data(monkeypatch):
    """The kept parameters had a finite loss on their batch of one sample, but the
    full-data loss (the history's last entry) overflows: the message must not claim a
    finite loss, and the parameters must still be finite. (With the explosion rule on,
    this run is stopped long before any overflow; it is switched off here.)"""
    monkeypatch.setattr(bl.nn.training, "_DIVERGENCE_FACTOR", math.inf)
    X = np.array([[-803.0], [243.0], [-1656.0], [656.0]])
    Y = np.array([[1.1], [-0.5], [0.4], [0.3]])
    net = bl.Network([1, 1], activation="identity", output_activation="identity", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = net.train(X, Y, learning_rate=100.0, iterations=200, batch_size=1, seed=9)
    assert history.diverged and history.iterations_run == history.diverged_at - 1
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)
    assert np.all(np.isfinite(history.loss[:-1]))
    assert history.final_loss == np.inf
    assert "overflows" in history.message and "loss inf" not in history.message


def test_training_never_writes_into_arrays_a_reader_holds():
    """Training reuses its own buffers, but never the arrays the network had before."""
    data = datasets.two_moons(n_samples=60, seed=3)
    net = _moons_net()
    held = list(net.weights) + list(net.biases)
    copies = [p.copy() for p in held]
    net.train(data.X, data.Y, iterations=9, batch_size=16)
    after_first = list(net.weights) + list(net.biases)
    after_copies = [p.copy() for p in after_first]
    net.train(data.X, data.Y, iterations=9)
    _assert_same_bits(held, copies)
    _assert_same_bits(after_first, after_copies)
    assert not np.array_equal(net.weights[0], after_first[0])
