"""When a run stops before its last iteration: convergence, early stopping, an exploding
loss, an interrupt. Each stopping point is recomputed from the recorded curves by the
documented rule, and the state left behind is compared with a separate run of that many
updates."""

import math
import os
import signal
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from training_helpers import assert_same_bits as _assert_same_bits
from training_helpers import parameters as _params

import backprop_lab as bl
from backprop_lab.calc import datasets


def _regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3))
    Y = X @ np.array([[1.0], [-2.0], [0.5]]) + 0.3 + 0.1 * rng.normal(size=(50, 1))
    net = bl.Network([3, 1], activation="identity", output_activation="identity",
                     loss="squared_error", seed=0)  # fmt: skip
    return net, X, Y


def _moons_net(seed=0, hidden=8):
    return bl.Network([2, hidden, 1], activation="tanh", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=seed)  # fmt: skip


def _first_converged(values, tolerance, start):
    """The documented rule applied to a sequence of epoch losses L_0, L_1, ...: the first
    e >= start with |L_e - L_{e-1}| < tolerance * max(|L_{e-1}|, 1), SciPy's convention."""
    for e in range(start, len(values)):
        if abs(values[e] - values[e - 1]) < tolerance * max(abs(values[e - 1]), 1.0):
            return e
    return None


# ------------------------------------------------------------------ tolerance


def test_tolerance_stops_a_converging_run_at_the_first_small_change():
    net, X, Y = _regression()
    long_run = net.copy().train(X, Y, learning_rate=0.2, iterations=2000)
    expected = _first_converged(long_run.loss, 1e-6, start=1)
    assert expected is not None and expected < 2000
    history = net.train(X, Y, learning_rate=0.2, iterations=2000, tolerance=1e-6)
    assert history.converged and history.converged_at == history.iterations_run == expected
    assert history.loss.tobytes() == long_run.loss[: expected + 1].tobytes()
    separate, _, _ = _regression()
    separate.train(X, Y, learning_rate=0.2, iterations=expected)
    _assert_same_bits(_params(net), _params(separate))
    assert history.final_loss == net.loss(X, Y)
    assert f"Converged after {expected} iterations" in history.message


def test_tolerance_not_reached_says_not_converged():
    X, Y = datasets.xor()
    net = bl.Network([2, 4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    history = net.train(X, Y, learning_rate=2.0, iterations=50, tolerance=1e-12)
    assert not history.converged and history.converged_at is None
    assert history.iterations_run == 50
    assert _first_converged(history.loss, 1e-12, start=1) is None
    assert "not converged to tolerance 1e-12" in history.message


@given(tolerance=st.floats(1e-7, 1e-1))
def test_tolerance_stop_is_the_rule_applied_to_the_full_run(tolerance):
    net, X, Y = _regression()
    long_run = net.copy().train(X, Y, learning_rate=0.05, iterations=300)
    history = net.train(X, Y, learning_rate=0.05, iterations=300, tolerance=tolerance)
    expected = _first_converged(long_run.loss, tolerance, start=1)
    assert history.converged_at == expected
    assert history.iterations_run == (300 if expected is None else expected)


def test_tolerance_with_mini_batches_watches_the_epoch_mean_loss():
    data = datasets.two_moons(n_samples=100, noise=0.1, seed=0)
    kwargs = dict(learning_rate=0.5, batch_size=20, seed=1)
    long_run = _moons_net().train(data.X, data.Y, iterations=4000, **kwargs)
    m = long_run.updates_per_epoch
    assert m == 5
    epoch_means = [long_run.loss[e * m : (e + 1) * m].mean() for e in range(800)]
    # epoch e's mean is epoch_means[e - 1]; the rule needs two epochs
    first = _first_converged(epoch_means, 1e-3, start=1)
    assert first is not None
    net = _moons_net()
    history = net.train(data.X, data.Y, iterations=4000, tolerance=1e-3, **kwargs)
    assert history.converged and history.iterations_run == (first + 1) * m
    assert history.iterations_run % m == 0
    np.testing.assert_array_equal(history.epoch_loss, epoch_means[: first + 1])
    assert history.loss[:-1].tobytes() == long_run.loss[: history.iterations_run].tobytes()
    # the last entry is the loss on all the data, of the parameters kept
    assert history.final_loss == pytest.approx(net.loss(data.X, data.Y), rel=1e-15)
    separate = _moons_net()
    separate.train(data.X, data.Y, iterations=history.iterations_run, **kwargs)
    _assert_same_bits(_params(net), _params(separate))


# ------------------------------------------------------------- early stopping


def _overfitting():
    """Few noisy training points and a wide network: the validation loss turns up."""
    train_data = datasets.two_moons(n_samples=30, noise=0.35, seed=3)
    held_out = datasets.two_moons(n_samples=200, noise=0.35, seed=4)
    return train_data, held_out


def _first_patience_stop(values, patience, m):
    """Early stopping on a validation curve, checked at t = 0, m, 2m, ...: the first
    check at which the best (strictly lower) value is `patience` epochs old."""
    best_t, best = 0, math.inf
    for t in range(0, len(values), m):
        if values[t] < best:
            best_t, best = t, values[t]
        elif t - best_t >= patience * m:
            return t, best_t
    return None, best_t


def test_early_stopping_keeps_the_best_parameters():
    train_data, held_out = _overfitting()
    kwargs = dict(learning_rate=1.0, validation=(held_out.X, held_out.Y))
    long_run = _moons_net(hidden=32).train(train_data.X, train_data.Y, iterations=3000,
                                           **kwargs)  # fmt: skip
    stop, best = _first_patience_stop(long_run.validation_loss, 50, 1)
    assert stop is not None, "the problem must overfit for this test to mean anything"
    net = _moons_net(hidden=32)
    history = net.train(train_data.X, train_data.Y, iterations=3000, patience=50, **kwargs)
    assert history.stopped_early and not history.converged
    assert history.iterations_run == stop and history.best_iteration == best
    assert history.validation_loss.tobytes() == long_run.validation_loss[: stop + 1].tobytes()
    assert history.validation_loss[best] == history.validation_loss.min()
    # the network holds the parameters after best_iteration updates
    separate = _moons_net(hidden=32)
    separate.train(train_data.X, train_data.Y, iterations=best, learning_rate=1.0)
    _assert_same_bits(_params(net), _params(separate))
    assert net.loss(held_out.X, held_out.Y) == history.validation_loss[best]
    assert history.final_loss == net.loss(train_data.X, train_data.Y) == history.loss[best]
    assert f"keeps the parameters from iteration {best}" in history.message


def test_early_stopping_with_mini_batches_counts_epochs():
    train_data, held_out = _overfitting()
    kwargs = dict(learning_rate=1.0, batch_size=10, seed=2, validation=held_out)
    long_run = _moons_net(hidden=32).train(train_data.X, train_data.Y, iterations=4000,
                                           **kwargs)  # fmt: skip
    m = long_run.updates_per_epoch
    assert m == 3
    stop, best = _first_patience_stop(long_run.validation_loss, 20, m)
    assert stop is not None
    net = _moons_net(hidden=32)
    history = net.train(train_data.X, train_data.Y, iterations=4000, patience=20, **kwargs)
    assert history.stopped_early
    assert (history.iterations_run, history.best_iteration) == (stop, best)
    assert stop - best == 20 * m and best % m == 0
    assert "20 epochs" in history.message
    separate = _moons_net(hidden=32)
    separate.train(train_data.X, train_data.Y, iterations=best, learning_rate=1.0,
                   batch_size=10, seed=2)  # fmt: skip
    _assert_same_bits(_params(net), _params(separate))
    assert history.final_loss == pytest.approx(net.loss(train_data.X, train_data.Y), rel=1e-15)


def test_patience_that_never_runs_out_keeps_the_final_parameters():
    data = datasets.two_moons(n_samples=100, noise=0.1, seed=0)
    held_out = datasets.two_moons(n_samples=100, noise=0.1, seed=1)
    net = _moons_net()
    history = net.train(data.X, data.Y, learning_rate=0.5, iterations=100,
                        validation=held_out, patience=100)  # fmt: skip
    assert not history.stopped_early and history.iterations_run == 100
    separate = _moons_net()
    separate.train(data.X, data.Y, learning_rate=0.5, iterations=100)
    _assert_same_bits(_params(net), _params(separate))
    assert history.best_iteration == int(np.argmin(history.validation_loss))


# ------------------------------------------------------- an exploding loss


def _bowl(rate_share):
    """Chapter 4's linear neuron on correlated inputs, just past its stability limit:
    the zig-zag grows by about 1.1 a step, so the loss climbs but stays finite for long."""
    rng = np.random.default_rng(0)
    x1 = rng.normal(size=50)
    x2 = 0.6 * x1 + 0.5 * rng.normal(size=50)
    X = np.column_stack([x1, x2])
    Y = (X @ np.array([1.5, -0.5]))[:, None]
    limit = 2 / np.linalg.eigvalsh(X.T @ X / len(X)).max()
    net = bl.Network.from_weights([[[-1.0], [2.0]]], [[0.0]], output_activation="identity")
    return net, X, Y, rate_share * limit


@pytest.mark.parametrize("checkpoint_every", [1, 5, 64])
def test_a_finite_loss_that_explodes_is_divergence(checkpoint_every, monkeypatch):
    monkeypatch.setattr(bl.nn.training, "_CHECKPOINT_EVERY", checkpoint_every)
    net, X, Y, eta = _bowl(1.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        unguarded = net.copy()
        with monkeypatch.context() as patched:
            patched.setattr(bl.nn.training, "_DIVERGENCE_FACTOR", math.inf)
            free = unguarded.train(X, Y, learning_rate=eta, iterations=300, update_biases=False)
        history = net.train(X, Y, learning_rate=eta, iterations=300, update_biases=False)
    assert np.all(np.isfinite(free.loss)) and not free.diverged  # finite all along
    threshold = 1000 * max(free.loss[0], 1.0)
    k = int(np.argmax(free.loss > threshold))
    assert k > 5  # so that spacings 1 and 5 replay from a later checkpoint
    assert history.diverged and history.diverged_at == k and history.iterations_run == k - 1
    assert history.divergence_threshold == threshold
    assert history.diverged_loss == free.loss[k]
    assert history.loss.tobytes() == free.loss[:k].tobytes()
    separate, _, _, _ = _bowl(1.05)
    separate.train(X, Y, learning_rate=eta, iterations=k - 1, update_biases=False)
    _assert_same_bits(_params(net), _params(separate))
    assert "exploded" in history.message and "Trained" not in history.message
    assert f"kept the parameters from iteration {k - 1}" in history.message


def test_the_issue_case_loss_0_69_to_a_million_is_divergence():
    data = datasets.two_moons(n_samples=200, seed=0)
    net = bl.Network([2, 8, 1], activation="tanh", output_activation="sigmoid",
                     loss="binary_cross_entropy", seed=0)  # fmt: skip
    start = net.copy()
    history = net.train(data.X, data.Y, learning_rate=1e6, iterations=100)
    assert history.initial_loss == pytest.approx(0.7289, abs=1e-4)
    assert history.diverged and history.diverged_at == 1 and "Trained" not in history.message
    _assert_same_bits(_params(net), _params(start))  # the last good parameters: the start
    assert np.all(history.loss <= history.divergence_threshold)


def test_mini_batch_explosion_threshold_allows_for_one_batch_and_uses_the_full_loss(
    monkeypatch,
):
    net, X, Y, eta = _bowl(1.2)
    full_start = net.loss(X, Y)
    kwargs = dict(learning_rate=eta, iterations=400, batch_size=10, seed=0, update_biases=False)
    with monkeypatch.context() as patched:
        patched.setattr(bl.nn.training, "_DIVERGENCE_FACTOR", math.inf)
        free = net.copy().train(X, Y, **kwargs)
    assert not free.diverged and np.all(np.isfinite(free.loss))
    history = net.train(X, Y, **kwargs)
    threshold = 1000 * max(full_start, 1.0) * (50 / 10)  # one batch can carry n / b times
    assert history.divergence_threshold == threshold
    k = int(np.argmax(free.loss[:-1] > threshold))  # batch losses, the same batches
    assert k > 1 and history.diverged_at == k and history.diverged_loss == free.loss[k]
    assert history.loss[:-1].tobytes() == free.loss[: k - 1].tobytes()
    assert history.final_loss == net.loss(X, Y)  # the last entry: on all the data
    separate, _, _, _ = _bowl(1.2)
    separate.train(X, Y, **{**kwargs, "iterations": k - 1})
    _assert_same_bits(_params(net), _params(separate))
    assert "times n_samples / batch_size" in history.message


def test_a_loss_that_rises_less_than_a_thousandfold_is_still_trained():
    net, X, Y, eta = _bowl(1.05)
    history = net.train(X, Y, learning_rate=eta, iterations=40, update_biases=False)
    assert not history.diverged and history.final_loss > 100 * history.initial_loss
    assert history.message.startswith("Trained 40 iterations")


# ------------------------------------------------------------------ interrupt


def _interrupt_at(k):
    def callback(t, loss):
        if t == k:
            raise KeyboardInterrupt

    return callback


@pytest.mark.parametrize(
    "options",
    [{}, {"batch_size": 8, "seed": 3}, {"momentum": 0.9}, {"momentum": 0.5, "batch_size": 8}],
    ids=["full batch", "mini-batch", "momentum", "momentum mini-batch"],
)
@pytest.mark.parametrize("k", [0, 1, 70, 130])
def test_an_interrupt_keeps_the_last_completed_update(k, options):
    data = datasets.two_moons(n_samples=40, seed=1)
    held_out = datasets.two_moons(n_samples=20, seed=2)
    net = _moons_net()
    history = net.train(data.X, data.Y, learning_rate=0.3, iterations=10**12,
                        validation=held_out, callback=_interrupt_at(k), **options)  # fmt: skip
    assert history.interrupted and history.iterations_run == k
    assert history.iterations_requested == 10**12
    assert f"Interrupted at iteration {k}" in history.message
    separate = _moons_net()
    check = separate.train(data.X, data.Y, learning_rate=0.3, iterations=k,
                           validation=held_out, **options)  # fmt: skip
    _assert_same_bits(_params(net), _params(separate))
    assert history.loss.tobytes() == check.loss.tobytes()
    assert history.validation_loss.tobytes() == check.validation_loss.tobytes()
    assert history.final_loss == pytest.approx(net.loss(data.X, data.Y), rel=1e-15)


def test_an_interrupt_keeps_the_snapshots_so_far():
    X, Y = datasets.xor()
    net = bl.Network([2, 3, 1], seed=0)
    history = net.train(X, Y, iterations=1000, snapshot_every=10, callback=_interrupt_at(35))
    assert [s.iteration for s in history.snapshots] == [0, 10, 20, 30, 35]
    _assert_same_bits(history.snapshots[-1].weights + history.snapshots[-1].biases, _params(net))


@pytest.mark.parametrize("options", [{}, {"batch_size": 8, "seed": 3, "momentum": 0.9}])
def test_sigint_during_a_long_run_stops_it_cleanly(options):
    """A real SIGINT, as the kernel's stop button sends, lands wherever the loop is (maybe
    half-way through an update); the network must still equal a run of that many updates."""
    data = datasets.two_moons(n_samples=40, seed=1)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    try:
        net = _moons_net()
        timer.start()
        history = net.train(data.X, data.Y, learning_rate=0.1, iterations=3_000_000, **options)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert history.interrupted, "the run ended before the signal came"
    k = history.iterations_run
    assert 0 < k < 3_000_000 and len(history.loss) == k + 1
    separate = _moons_net()
    check = separate.train(data.X, data.Y, learning_rate=0.1, iterations=k, **options)
    _assert_same_bits(_params(net), _params(separate))
    assert history.loss.tobytes() == check.loss.tobytes()
    # the network is fine to train on
    assert not net.train(data.X, data.Y, learning_rate=0.1, iterations=5).interrupted


def test_an_interrupt_half_way_through_an_update_is_undone(monkeypatch):
    """The interrupt lands after the first layer's weights moved and before the rest:
    the network must not keep that half update."""
    data = datasets.two_moons(n_samples=40, seed=1)
    real = bl.nn.training._update
    calls = []

    def cut(params, grads, eta):
        calls.append(1)
        if len(calls) == 2 * 40 + 1:  # weights, then biases, per update: update 41's weights
            real(params[:1], grads[:1], eta)
            raise KeyboardInterrupt
        real(params, grads, eta)

    net = _moons_net()
    with monkeypatch.context() as patched:
        patched.setattr(bl.nn.training, "_update", cut)
        history = net.train(data.X, data.Y, learning_rate=0.3, iterations=1000)
    assert history.interrupted and history.iterations_run == 40
    separate = _moons_net()
    separate.train(data.X, data.Y, learning_rate=0.3, iterations=40)
    _assert_same_bits(_params(net), _params(separate))


def test_a_loss_falling_towards_zero_stops_by_the_absolute_rule():
    """SciPy's convention: below a loss of 1 the tolerance is an absolute change, so a
    run whose loss shrinks by the same factor every update (where a purely relative rule
    would never stop) stops once the change is small."""
    net = bl.Network.from_weights(
        weights=[np.array([[0.0]])],
        biases=[np.array([0.0])],
        activation="identity",
        output_activation="identity",
        loss="squared_error",
    )
    X = np.array([[1.0], [2.0]])
    Y = 2.0 * X
    history = net.train(X, Y, learning_rate=0.05, iterations=10_000, tolerance=1e-8)
    assert history.converged
    t = history.converged_at
    change = abs(history.loss[t] - history.loss[t - 1])
    assert change < 1e-8 <= abs(history.loss[t - 1] - history.loss[t - 2])
    assert change / history.loss[t - 1] > 1e-8  # a relative rule would have gone on
