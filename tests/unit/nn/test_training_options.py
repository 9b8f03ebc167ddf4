"""Training options of issue 10: momentum, validation loss, epochs, and their bad inputs.

Every run is compared with an independent computation: a hand-written numpy loop with the
same convention, or the network's own loss on held-out data after t updates.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from training_helpers import assert_same_bits as _assert_same_bits
from training_helpers import parameters as _params

import backprop_lab as bl
from backprop_lab.calc import datasets


def _moons_net(seed=0, dtype=np.float64):
    return bl.Network([2, 8, 1], activation="tanh", output_activation="sigmoid",
                      loss="binary_cross_entropy", seed=seed, dtype=dtype)  # fmt: skip


def _batches(n, batch_size, seed, updates):
    """The batches train draws: a fresh permutation per epoch, remainder left out."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < updates:
        order = rng.permutation(n)
        for start in range(0, n - batch_size + 1, batch_size):
            out.append(order[start : start + batch_size])
    return out[:updates]


def _momentum_by_hand(net, X, Y, eta, mu, updates, batch_size=None, seed=0, biases=True):
    """PyTorch SGD's heavy ball, written out: v <- mu v + g, w <- w - eta v, v_0 = 0."""
    net = net.copy()
    dtype = net.dtype
    eta, mu = dtype(eta), dtype(mu)
    X, Y = np.asarray(X, dtype), np.asarray(Y, dtype)
    weights = [w.copy() for w in net.weights]
    bias = [b.copy() for b in net.biases]
    vw = [np.zeros_like(w) for w in weights]
    vb = [np.zeros_like(b) for b in bias]
    index = _batches(len(X), batch_size, seed, updates) if batch_size else [slice(None)] * updates
    for rows in index:
        grads = net.gradients(X[rows], Y[rows])
        vw = [mu * v + g for v, g in zip(vw, grads.weights)]
        weights = [w - eta * v for w, v in zip(weights, vw)]
        if biases:
            vb = [mu * v + g for v, g in zip(vb, grads.biases)]
            bias = [b - eta * v for b, v in zip(bias, vb)]
        net.set_parameters(weights, bias)
    return net


# ------------------------------------------------------------------- momentum


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("batch_size", [None, 16])
def test_momentum_is_the_heavy_ball_loop_bit_for_bit(dtype, batch_size):
    data = datasets.two_moons(n_samples=40, seed=1)
    start = _moons_net(dtype=dtype)
    expected = _momentum_by_hand(start, data.X, data.Y, 0.3, 0.9, 25, batch_size, seed=4)
    net = start.copy()
    history = net.train(data.X, data.Y, learning_rate=0.3, iterations=25, momentum=0.9,
                        batch_size=batch_size, seed=4)  # fmt: skip
    _assert_same_bits(_params(net), _params(expected))
    assert history.momentum == 0.9 and "momentum 0.9" in history.message
    assert history.final_loss == pytest.approx(expected.loss(data.X, data.Y), rel=1e-6)


def test_momentum_with_fixed_biases_moves_only_the_weights():
    data = datasets.two_moons(n_samples=40, seed=1)
    start = _moons_net()
    net = start.copy()
    net.train(data.X, data.Y, learning_rate=0.2, iterations=15, momentum=0.5,
              update_biases=False)  # fmt: skip
    expected = _momentum_by_hand(start, data.X, data.Y, 0.2, 0.5, 15, biases=False)
    _assert_same_bits(_params(net), _params(expected))
    _assert_same_bits(net.biases, start.biases)


def test_the_first_momentum_step_is_plain_gradient_descent_and_zero_momentum_is_plain():
    data = datasets.two_moons(n_samples=40, seed=1)
    plain, heavy, zero = _moons_net(), _moons_net(), _moons_net()
    plain.train(data.X, data.Y, learning_rate=0.3, iterations=1)
    heavy.train(data.X, data.Y, learning_rate=0.3, iterations=1, momentum=0.9)
    _assert_same_bits(_params(plain), _params(heavy))
    plain.train(data.X, data.Y, learning_rate=0.3, iterations=30)
    zero.train(data.X, data.Y, learning_rate=0.3, iterations=31, momentum=0.0)
    _assert_same_bits(_params(plain), _params(zero))


def test_momentum_speeds_up_a_narrow_valley():
    """The textbook reason for momentum: on an ill-conditioned quadratic it gets much
    further in the same number of steps."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2)) * np.array([1.0, 0.1])
    Y = X @ np.array([[2.0], [-3.0]])
    net = bl.Network([2, 1], activation="identity", output_activation="identity",
                     loss="squared_error", seed=0)  # fmt: skip
    plain = net.copy().train(X, Y, learning_rate=0.5, iterations=200)
    heavy = net.copy().train(X, Y, learning_rate=0.5, iterations=200, momentum=0.9)
    assert heavy.final_loss < 0.01 * plain.final_loss


@given(
    mu=st.floats(0.0, 0.99),
    eta=st.floats(0.01, 1.9),
    w0=st.floats(-10.0, 10.0).filter(lambda w: abs(w) > 1e-3),
    steps=st.integers(0, 40),
)
def test_momentum_on_a_quadratic_follows_the_two_by_two_recursion(mu, eta, w0, steps):
    """E(w) = w^2 / 2 (one identity neuron, x = 1, y = 0, bias fixed at 0), so g = w and
    (w, v) after t steps is M^t (w0, 0) with M = [[1 - eta, -eta mu], [1, mu]]."""
    net = bl.Network.from_weights([[[w0]]], [[0.0]], activation="identity",
                                  output_activation="identity", loss="squared_error")  # fmt: skip
    history = net.train([[1.0]], [[0.0]], learning_rate=eta, iterations=steps, momentum=mu,
                        update_biases=False)  # fmt: skip
    M = np.array([[1 - eta, -eta * mu], [1.0, mu]])
    w = [(np.linalg.matrix_power(M, t) @ np.array([w0, 0.0]))[0] for t in range(steps + 1)]
    assert not history.diverged and history.iterations_run == steps
    np.testing.assert_allclose(net.weights[0][0, 0], w[-1], rtol=1e-9, atol=1e-12 * abs(w0))
    np.testing.assert_allclose(history.loss, 0.5 * np.square(w), rtol=1e-8,
                               atol=1e-20 * w0 * w0)  # fmt: skip


# ----------------------------------------------------------------- validation


@pytest.mark.parametrize(("batch_size", "momentum"), [(None, 0.0), (16, 0.0), (None, 0.8)])
def test_validation_loss_is_the_held_out_loss_after_t_updates(batch_size, momentum):
    train_data = datasets.two_moons(n_samples=48, noise=0.2, seed=1)
    held_out = datasets.two_moons(n_samples=30, noise=0.2, seed=2)
    kwargs = dict(learning_rate=0.5, batch_size=batch_size, seed=3, momentum=momentum)
    history = _moons_net().train(train_data.X, train_data.Y, iterations=20,
                                 validation=(held_out.X, held_out.Y), **kwargs)  # fmt: skip
    assert len(history.validation_loss) == len(history.loss) == 21
    for t in [0, 1, 6, 20]:
        fresh = _moons_net()
        fresh.train(train_data.X, train_data.Y, iterations=t, **kwargs)
        assert history.validation_loss[t] == pytest.approx(
            fresh.loss(held_out.X, held_out.Y), rel=1e-14
        )


def test_validation_does_not_change_the_run():
    data = datasets.two_moons(n_samples=48, seed=1)
    held_out = datasets.two_moons(n_samples=30, seed=2)
    a, b = _moons_net(), _moons_net()
    ha = a.train(data.X, data.Y, iterations=30, batch_size=10)
    hb = b.train(data.X, data.Y, iterations=30, batch_size=10, validation=held_out)
    _assert_same_bits(_params(a), _params(b))
    assert ha.loss.tobytes() == hb.loss.tobytes()
    assert ha.validation_loss is None and ha.best_iteration is None


def test_validation_on_the_training_data_repeats_the_full_batch_loss():
    data = datasets.two_moons(n_samples=48, seed=1)
    history = _moons_net().train(data.X, data.Y, iterations=25, validation=(data.X, data.Y))
    assert history.validation_loss.tobytes() == history.loss.tobytes()


def test_validation_best_iteration_is_the_lowest_validation_loss_at_epoch_ends():
    data = datasets.two_moons(n_samples=40, noise=0.3, seed=1)
    held_out = datasets.two_moons(n_samples=40, noise=0.3, seed=2)
    history = _moons_net().train(data.X, data.Y, learning_rate=1.0, iterations=60,
                                 batch_size=8, validation=held_out)  # fmt: skip
    m = history.updates_per_epoch
    assert m == 5
    ends = history.validation_loss[::m]
    assert history.best_iteration == m * int(np.argmin(ends))
    assert history.best_validation_loss == ends.min()


# --------------------------------------------------------------------- epochs


def test_epochs_count_passes_over_the_data():
    data = datasets.two_moons(n_samples=50, seed=1)
    mini = _moons_net().train(data.X, data.Y, iterations=35, batch_size=16)
    assert mini.updates_per_epoch == 3  # 50 // 16: the remainder of each shuffle is left out
    np.testing.assert_array_equal(mini.epoch, np.arange(36) / 3)
    assert mini.epochs_run == 35 / 3
    by_hand = [mini.loss[3 * e : 3 * e + 3].mean() for e in range(11)]
    np.testing.assert_array_equal(mini.epoch_loss, by_hand)
    full = _moons_net().train(data.X, data.Y, iterations=35)
    assert full.updates_per_epoch == 1 and full.epochs_run == 35
    np.testing.assert_array_equal(full.epoch, np.arange(36))
    np.testing.assert_array_equal(full.epoch_loss, full.loss[1:])


def test_one_epoch_of_mini_batches_visits_every_sample_once():
    """After one epoch with batch size n/k the run equals k updates on the k disjoint
    batches of one permutation: checked against those batches' gradients by hand."""
    data = datasets.two_moons(n_samples=40, seed=1)
    start = _moons_net()
    by_hand = _momentum_by_hand(start, data.X, data.Y, 0.3, 0.0, 4, batch_size=10, seed=5)
    batches = _batches(40, 10, 5, 4)
    assert sorted(np.concatenate(batches).tolist()) == list(range(40))
    net = start.copy()
    net.train(data.X, data.Y, learning_rate=0.3, iterations=4, batch_size=10, seed=5)
    _assert_same_bits(_params(net), _params(by_hand))


# ----------------------------------------------------------------- bad input

X = np.zeros((4, 2))
Y = np.zeros((4, 1))


def _net():
    return bl.Network([2, 3, 1], seed=0)


def _train(**kwargs):
    return lambda: _net().train(X, Y, iterations=3, **kwargs)


VALID = (np.zeros((3, 2)), np.zeros((3, 1)))

# (id, call, error type, words the message must contain: argument, expected, given)
BAD = [
    ("momentum as text", _train(momentum="0.9"), TypeError, ["momentum", "[0, 1)", "'0.9'"]),
    ("momentum as bool", _train(momentum=True), TypeError, ["momentum", "[0, 1)", "True"]),
    ("momentum of 1", _train(momentum=1.0), ValueError, ["momentum", "[0, 1)", "got 1"]),
    ("negative momentum", _train(momentum=-0.1), ValueError, ["momentum", "[0, 1)", "-0.1"]),
    ("momentum nan", _train(momentum=float("nan")), ValueError, ["momentum", "[0, 1)", "nan"]),
    ("tolerance zero", _train(tolerance=0.0), ValueError, ["tolerance", "> 0", "0.0"]),
    ("tolerance negative", _train(tolerance=-1e-3), ValueError, ["tolerance", "> 0", "-0.001"]),
    ("tolerance as text", _train(tolerance="1e-6"), TypeError, ["tolerance", "positive",
                                                                "'1e-6'"]),
    ("tolerance inf", _train(tolerance=float("inf")), ValueError, ["tolerance", "finite",
                                                                   "inf"]),
    ("patience zero", _train(patience=0, validation=VALID), ValueError, ["patience", ">= 1",
                                                                         "got 0"]),
    ("patience fractional", _train(patience=2.5, validation=VALID), TypeError,
     ["patience", "integer", "2.5"]),
    ("patience as bool", _train(patience=True, validation=VALID), TypeError,
     ["patience", "integer", "True"]),
    ("patience without validation", _train(patience=5), ValueError,
     ["patience=5", "validation=(X_val, Y_val)", "validation=None"]),
    ("validation an array", _train(validation=np.zeros((3, 2))), TypeError,
     ["validation", "pair (X_val, Y_val)", "ndarray"]),
    ("validation of three", _train(validation=(VALID[0], VALID[1], VALID[1])), TypeError,
     ["validation", "pair (X_val, Y_val)", "tuple"]),
    ("X_val wrong width", _train(validation=(np.zeros((3, 3)), VALID[1])), ValueError,
     ["validation", "X_val", "(n_samples, 2)", "(3, 3)"]),
    ("Y_val wrong length", _train(validation=(VALID[0], np.zeros((2, 1)))), ValueError,
     ["validation", "Y_val", "(3, 1)", "(2, 1)"]),
    ("X_val with nan", _train(validation=([[0.0, np.nan]], [[0.0]])), ValueError,
     ["validation", "X_val", "finite", "nan"]),
    ("X_val of strings", _train(validation=("ab", VALID[1])), TypeError,
     ["validation", "X_val", "'ab'"]),
    ("progress as text", _train(progress="yes"), TypeError, ["progress", "True, False or None",
                                                             "'yes'"]),
    ("callback not callable", _train(callback=3), TypeError, ["callback", "function", "3"]),
    ("float32 learning rate beyond float32", lambda: _net().astype(np.float32).train(
        X, Y, learning_rate=1e39), ValueError, ["learning_rate", "float32", "3.403e+38",
                                                "1e+39"]),
    ("float32 learning rate below float32", lambda: _net().astype(np.float32).train(
        X, Y, learning_rate=1e-50), ValueError, ["learning_rate", "float32", "1e-50",
                                                 "rounds to 0"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "call", "error", "words"), BAD, ids=[c[0] for c in BAD])
def test_bad_training_option_is_named_in_the_message(case, call, error, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "overflow encountered in cast" on the way
        with pytest.raises(error) as caught:
            call()
    message = str(caught.value)
    for word in words:
        assert word in message, (case, message)


def test_float64_takes_a_learning_rate_that_float32_refuses():
    history = _net().train(X, Y, learning_rate=1e39, iterations=2)
    assert history.learning_rate == 1e39
