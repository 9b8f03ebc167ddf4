"""Data sets: shapes, balance, geometry, seeding, the worked example, and bad arguments."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab import datasets

GENERATED = ["two_moons", "circles", "spirals"]


def test_xor_is_the_truth_table():
    X, Y = datasets.xor()
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.shape == (4, 2) and Y.shape == (4, 1)
    for (a, b), (y,) in zip(X, Y):
        assert y == float(int(a) ^ int(b))
    data = datasets.xor()
    assert data.name == "xor" and data.task == "classification"
    assert data.labels.tolist() == [0, 1, 1, 0]
    assert data.one_hot().tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]]


@pytest.mark.parametrize("name", GENERATED)
@given(n=st.integers(4, 301), seed=st.integers(0, 2**32), noise=st.floats(0, 1))
def test_classification_sets_are_balanced_and_well_formed(name, n, seed, noise):
    data = datasets.load(name, n_samples=n, noise=noise, seed=seed)
    X, Y = data
    assert X.shape == (n, 2) and Y.shape == (n, 1)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert set(np.unique(Y)) <= {0.0, 1.0}
    ones = int(Y.sum())
    assert abs(ones - (n - ones)) <= 1
    assert data.task == "classification" and data.name == name


@pytest.mark.parametrize("name", [*GENERATED, "regression_1d"])
def test_same_seed_same_points_other_seed_other_points(name):
    a, b = datasets.load(name, seed=3), datasets.load(name, seed=3)
    assert np.array_equal(a.X, b.X) and np.array_equal(a.Y, b.Y)
    c = datasets.load(name, seed=4)
    assert not np.array_equal(a.X, c.X)


def test_circles_without_noise_lie_on_their_circles():
    data = datasets.circles(n_samples=101, noise=0.0, factor=0.3)
    radius = np.hypot(data.X[:, 0], data.X[:, 1])
    np.testing.assert_allclose(radius[data.labels == 0], 1.0, rtol=1e-12)
    np.testing.assert_allclose(radius[data.labels == 1], 0.3, rtol=1e-12)
    # no point repeated (the angle 2 pi is not drawn twice)
    assert len(np.unique(data.X.round(12), axis=0)) == 101


def test_two_moons_without_noise_lie_on_their_half_circles():
    data = datasets.two_moons(n_samples=60, noise=0.0)
    X = data.X + np.array([0.5, 0.25])  # undo the centring
    outer, inner = X[data.labels == 0], X[data.labels == 1]
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0, rtol=1e-12)
    assert np.all(outer[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(inner[:, 0] - 1.0, inner[:, 1] - 0.5), 1.0, rtol=1e-12)
    assert np.all(inner[:, 1] <= 0.5 + 1e-12)
    np.testing.assert_allclose(
        datasets.two_moons(n_samples=60, noise=0.0).X.mean(axis=0), 0, atol=0.1
    )


def test_spirals_without_noise_are_two_arms_half_a_turn_apart():
    data = datasets.spirals(n_samples=80, noise=0.0, turns=1.5)
    arm0 = data.X[data.labels == 0]
    arm1 = data.X[data.labels == 1]
    r0 = np.hypot(arm0[:, 0], arm0[:, 1])
    assert r0.min() == pytest.approx(0.1) and r0.max() == pytest.approx(1.0)
    angle0 = np.arctan2(arm0[:, 1], arm0[:, 0])
    expected = 2 * np.pi * 1.5 * r0
    np.testing.assert_allclose(np.cos(angle0), np.cos(expected), atol=1e-12)
    np.testing.assert_allclose(np.sin(angle0), np.sin(expected), atol=1e-12)
    # arm 1 is arm 0 rotated by pi: the set of points -arm1 equals arm0
    key = np.lexsort(arm0.T)
    np.testing.assert_allclose(arm0[key], (-arm1)[np.lexsort((-arm1).T)], atol=1e-12)


@given(n=st.integers(2, 300), seed=st.integers(0, 10**6))
def test_regression_is_sorted_and_noise_free_targets_match(n, seed):
    data = datasets.regression_1d(n_samples=n, noise=0.0, seed=seed)
    assert data.X.shape == (n, 1) and data.Y.shape == (n, 1)
    assert np.all(np.diff(data.X[:, 0]) >= 0)
    assert np.all(np.abs(data.X) <= 1)
    np.testing.assert_array_equal(data.Y, np.sin(np.pi * data.X))
    np.testing.assert_array_equal(data.target_function(data.X), data.Y)
    assert data.task == "regression"


def test_regression_noise_has_the_requested_size():
    data = datasets.regression_1d(n_samples=20000, noise=0.3, seed=1)
    residual = data.Y - data.target_function(data.X)
    assert residual.std() == pytest.approx(0.3, rel=0.03)
    with pytest.raises(ValueError, match="labels are defined for classification"):
        _ = data.labels


def test_load_matches_the_generators_and_names_lists_them():
    assert set(datasets.NAMES) == {"xor", "two_moons", "circles", "spirals", "regression_1d"}
    assert set(datasets.CLASSIFICATION_NAMES) < set(datasets.NAMES)
    a = datasets.load("circles", n_samples=50, factor=0.4, seed=2)
    b = datasets.circles(n_samples=50, factor=0.4, seed=2)
    assert np.array_equal(a.X, b.X)
    for name in datasets.NAMES:
        assert datasets.load(name).name == name


def test_worked_example_network_and_names():
    example = datasets.worked_example()
    classic = {
        "w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30,
        "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b1": 0.35, "b2": 0.60,
    }  # fmt: skip
    for name, value in classic.items():
        assert example.value(name) == value
        assert example.network.parameter(example.names[name]) == value
    for shared, names in example.bias_units.items():
        assert all(example.network.parameter(n) == classic[shared] for n in names)
    assert example.x.tolist() == [0.05, 0.10] and example.y.tolist() == [0.01, 0.99]
    assert example.X.shape == (1, 2) and example.Y.shape == (1, 2)
    assert example.learning_rate == 0.5 and example.update_biases is False
    net = example.network
    assert net.layer_sizes == [2, 2, 2] and net.activation == "sigmoid"
    assert net.output_activation == "sigmoid" and net.loss_name == "squared_error"
    x, y = example
    assert x is example.x and y is example.y


def test_worked_example_is_fresh_every_call():
    first = datasets.worked_example()
    first.network.train(first.X, first.Y, learning_rate=0.5, iterations=3)
    second = datasets.worked_example()
    assert second.network.parameter("W2[0,0]") == 0.40
    assert first.network.parameter("W2[0,0]") != 0.40


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: datasets.two_moons(n_samples=3), ValueError, ["n_samples", ">= 4", "3"]),
        (lambda: datasets.two_moons(n_samples=10.0), TypeError, ["n_samples", "10.0"]),
        (lambda: datasets.circles(noise=-0.1), ValueError, ["noise", ">= 0", "-0.1"]),
        (lambda: datasets.circles(noise=float("nan")), ValueError, ["noise", "nan"]),
        (lambda: datasets.circles(noise="big"), TypeError, ["noise", "'big'"]),
        (lambda: datasets.circles(factor=1.0), ValueError, ["factor", "between 0 and 1", "1.0"]),
        (lambda: datasets.spirals(turns=0), ValueError, ["turns", "> 0", "0"]),
        (lambda: datasets.spirals(seed=-1), ValueError, ["seed", ">= 0", "-1"]),
        (lambda: datasets.regression_1d(seed=1.5), TypeError, ["seed", "1.5"]),
        (lambda: datasets.regression_1d(n_samples=1), ValueError, ["n_samples", ">= 2", "1"]),
        (lambda: datasets.load("moons"), ValueError, ["name", "two_moons", "'moons'"]),
        (lambda: datasets.load("xor", n_samples=3), TypeError, ["no keyword", "n_samples"]),
        (lambda: datasets.load("circles", turns=2), TypeError, ["factor", "turns"]),
        (lambda: datasets.worked_example().value("w9"), ValueError, ["classic_name", "'w9'"]),
    ],
)
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)
