"""Data sets: shapes, balance, geometry, seeding, the worked example, and bad arguments."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.calc import datasets

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
    assert set(datasets.NAMES) == {
        "xor",
        "two_moons",
        "circles",
        "spirals",
        "three_spirals",
        "regression_1d",
    }
    three = datasets.load("three_spirals", n_samples=90, seed=4)
    spirals = datasets.spirals(n_samples=90, seed=4, n_classes=3)
    np.testing.assert_array_equal(three.X, spirals.X)
    np.testing.assert_array_equal(three.Y, spirals.Y)
    assert three.name == "three_spirals" and three.n_classes == 3
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


# ------------------------------------------------------------ spirals, K classes


def spirals_before_n_classes(n_samples=200, noise=0.1, turns=1.0, seed=0):
    """The two-arm spirals as written before n_classes existed (frozen reference)."""
    rng = np.random.default_rng(seed)
    n0 = n_samples // 2
    n1 = n_samples - n0

    def arm(n, phase):
        r = np.linspace(0.1, 1.0, n)
        angle = 2.0 * np.pi * turns * r + phase
        return r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])

    X = np.concatenate([arm(n0, 0.0), arm(n1, np.pi)])
    Y = np.concatenate([np.zeros(n0), np.ones(n1)])[:, None]
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return X[order], Y[order]


@given(
    n=st.integers(4, 400),
    noise=st.floats(0, 1),
    turns=st.floats(0.1, 5),
    seed=st.integers(0, 2**32),
)
def test_two_arm_spirals_are_bitwise_what_they_were(n, noise, turns, seed):
    X, Y = spirals_before_n_classes(n, noise, turns, seed)
    for data in (
        datasets.spirals(n_samples=n, noise=noise, turns=turns, seed=seed),
        datasets.spirals(n_samples=n, noise=noise, turns=turns, seed=seed, n_classes=2),
    ):
        assert data.X.tobytes() == X.tobytes() and data.Y.tobytes() == Y.tobytes()
        assert data.Y.shape == (n, 1) and data.n_classes == 2
    assert datasets.spirals().description == (
        "Spirals: 200 points on two interleaved arms of 1 turn(s) (noise 0.1, seed 0)."
    )


@given(k=st.integers(3, 8), n=st.integers(16, 401), seed=st.integers(0, 2**32))
def test_k_arm_spirals_are_one_hot_balanced_and_seeded(k, n, seed):
    data = datasets.spirals(n_samples=n, n_classes=k, seed=seed)
    assert data.X.shape == (n, 2) and data.Y.shape == (n, k)
    assert data.X.dtype == np.float64 and data.Y.dtype == np.float64
    assert set(np.unique(data.Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(data.Y.sum(axis=1), 1.0)
    counts = data.Y.sum(axis=0)
    assert counts.sum() == n and counts.max() - counts.min() <= 1
    assert data.n_classes == k and data.n_outputs == k and data.task == "classification"
    np.testing.assert_array_equal(data.one_hot(), data.Y)
    np.testing.assert_array_equal(np.eye(k)[data.labels], data.Y)
    again = datasets.load("spirals", n_samples=n, n_classes=k, seed=seed)
    assert again.X.tobytes() == data.X.tobytes() and again.Y.tobytes() == data.Y.tobytes()
    assert not np.array_equal(datasets.spirals(n_samples=n, n_classes=k, seed=seed + 1).X, data.X)


def test_three_arm_spirals_are_one_arm_rotated_by_thirds_of_a_turn():
    data = datasets.spirals(n_samples=90, noise=0.0, turns=1.25, n_classes=3)
    arms = [data.X[data.labels == k] for k in range(3)]
    assert [len(a) for a in arms] == [30, 30, 30]
    assert "3 interleaved arms" in data.description
    for k, points in enumerate(arms):
        r = np.hypot(points[:, 0], points[:, 1])
        assert r.min() == pytest.approx(0.1) and r.max() == pytest.approx(1.0)
        angle = np.arctan2(points[:, 1], points[:, 0])
        expected = 2 * np.pi * 1.25 * r + 2 * np.pi * k / 3
        np.testing.assert_allclose(np.cos(angle), np.cos(expected), atol=1e-12)
        np.testing.assert_allclose(np.sin(angle), np.sin(expected), atol=1e-12)


def test_uneven_classes_give_their_extra_points_to_the_last_arms():
    data = datasets.spirals(n_samples=11, n_classes=4)
    assert data.Y.sum(axis=0).tolist() == [2, 3, 3, 3]


def test_every_set_says_how_many_classes_it_has():
    assert datasets.xor().n_classes == 2
    assert datasets.two_moons().n_classes == datasets.circles().n_classes == 2
    assert datasets.regression_1d().n_classes is None
    assert datasets.regression_1d().n_outputs == 1
    assert datasets.two_moons().one_hot().shape == (200, 2)


# ---------------------------------------------------------------------- split


def rows(X):
    return sorted(map(tuple, X.tolist()))


@pytest.mark.parametrize(
    ("data", "fraction", "sizes"),
    [
        (datasets.two_moons(n_samples=200), 0.25, (150, 50)),
        (datasets.spirals(n_samples=301, n_classes=3), 0.2, (241, 60)),
        (datasets.regression_1d(n_samples=100), 0.3, (70, 30)),
        (datasets.circles(n_samples=10), 0.25, (7, 3)),  # 2.5 rounds up
        (datasets.xor(), 0.25, (3, 1)),
    ],
)
def test_split_sizes_disjoint_and_together_the_whole(data, fraction, sizes):
    train, validation = datasets.split(data, fraction=fraction, seed=3)
    assert (train.n_samples, validation.n_samples) == sizes
    assert rows(np.concatenate([train.X, validation.X])) == rows(data.X)
    together = np.concatenate(
        [np.hstack([train.X, train.Y]), np.hstack([validation.X, validation.Y])]
    )
    assert rows(together) == rows(np.hstack([data.X, data.Y]))
    assert not set(map(tuple, train.X.tolist())) & set(map(tuple, validation.X.tolist()))
    for part in (train, validation):
        assert part.name == data.name and part.task == data.task
        assert part.X.flags.c_contiguous and part.Y.shape[1] == data.Y.shape[1]
    assert validation.description.startswith(f"Validation set ({sizes[1]} of {data.n_samples}")
    assert data.description in train.description


def test_split_keeps_the_original_order_and_the_target_function():
    data = datasets.regression_1d(n_samples=50)
    train, validation = datasets.split(data, fraction=0.4, seed=1)
    assert np.all(np.diff(train.X[:, 0]) >= 0) and np.all(np.diff(validation.X[:, 0]) >= 0)
    assert train.target_function is data.target_function


@given(
    k=st.integers(2, 8),
    n=st.integers(20, 300),
    fraction=st.floats(0.05, 0.95),
    seed=st.integers(0, 2**32),
)
def test_split_is_stratified_and_seeded(k, n, fraction, seed):
    data = datasets.spirals(n_samples=n, n_classes=k, seed=1)
    train, validation = datasets.split(data, fraction=fraction, seed=seed)
    assert validation.n_samples == int(np.floor(fraction * n + 0.5))
    per_class = np.bincount(data.labels, minlength=k)
    held = np.bincount(validation.labels, minlength=k)
    assert np.all(np.abs(held - fraction * per_class) < 1)  # each class gives its share
    assert np.array_equal(np.bincount(train.labels, minlength=k) + held, per_class)
    again = datasets.split(data, fraction=fraction, seed=seed)
    assert again[1].X.tobytes() == validation.X.tobytes()
    assert again[0].Y.tobytes() == train.Y.tobytes()


def test_another_seed_holds_out_other_samples():
    data = datasets.two_moons()
    a = datasets.split(data, seed=0)[1]
    b = datasets.split(data, seed=1)[1]
    assert rows(a.X) != rows(b.X)


def split_xor(*args, **kwargs):
    return datasets.split(datasets.xor(), *args, **kwargs)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: split_xor(0.0), ValueError, ["fraction", "between 0 and 1", "0.0"]),
        (lambda: split_xor(1.0), ValueError, ["fraction", "between 0 and 1", "1.0"]),
        (lambda: split_xor(-0.25), ValueError, ["fraction", "-0.25"]),
        (lambda: split_xor(1.5), ValueError, ["fraction", "1.5"]),
        (lambda: split_xor(float("nan")), ValueError, ["fraction", "nan"]),
        (lambda: split_xor("half"), TypeError, ["fraction", "'half'"]),
        (lambda: split_xor(True), TypeError, ["fraction", "True"]),
        (lambda: split_xor(0.1), ValueError, ["fraction=0.1 of 4", "0 validation", "at least one"]),
        (lambda: split_xor(0.9), ValueError, ["fraction=0.9 of 4", "0 training"]),
        (lambda: split_xor(0.5, seed=-1), ValueError, ["seed", ">= 0", "-1"]),
        (lambda: split_xor(0.5, seed=0.5), TypeError, ["seed", "0.5"]),
        (lambda: datasets.split(tuple(datasets.xor())), TypeError, ["must be a Dataset", "tuple"]),
        (lambda: datasets.spirals(n_classes=1), ValueError, ["n_classes", "from 2 to 8", "1"]),
        (lambda: datasets.spirals(n_classes=9), ValueError, ["n_classes", "from 2 to 8", "9"]),
        (lambda: datasets.spirals(n_classes=3.0), TypeError, ["n_classes", "integer", "3.0"]),
        (lambda: datasets.spirals(n_classes=True), TypeError, ["n_classes", "True"]),
        (lambda: datasets.spirals(n_classes="3"), TypeError, ["n_classes", "'3'"]),
        (lambda: datasets.spirals(n_samples=7, n_classes=4), ValueError, ["n_classes = 8", "7"]),
    ],
)  # fmt: skip
def test_bad_split_and_class_arguments_are_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


# ---------------------------------------------------------------------- memory


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("two_moons", {}),
        ("circles", {}),
        ("spirals", {}),
        ("spirals", {"n_classes": 8}),
        ("regression_1d", {}),
    ],
)
def test_a_set_too_big_for_memory_is_refused_at_once(name, kwargs):
    with pytest.raises(ValueError) as info:
        datasets.load(name, n_samples=10**12, **kwargs)
    message = str(info.value)
    assert "n_samples=1000000000000 needs about" in message and " TB of memory" in message
    assert "available; choose fewer samples" in message


def test_memory_guard_uses_the_available_memory(monkeypatch):
    monkeypatch.setattr(datasets, "available_memory", lambda: 10_000)
    with pytest.raises(ValueError, match=r"needs about 38.4 kB .* about 10 kB available"):
        datasets.spirals(n_samples=300, n_classes=3)
    datasets.xor()  # fixed-size sets are not checked
    monkeypatch.setattr(datasets, "available_memory", lambda: None)
    assert datasets.two_moons(n_samples=300).n_samples == 300  # unknown: no refusal
    monkeypatch.undo()
    assert datasets.available_memory() is None or datasets.available_memory() > 10**6
