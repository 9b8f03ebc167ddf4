"""The playground's data sets (backprop_lab.calc.playground_data).

Their agreement with the JavaScript engine is tested in tests/unit/explorers/test_engine.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backprop_lab.calc.playground_data import (
    PLAYGROUND_NAMES,
    playground_data,
    playground_points,
)


@pytest.mark.parametrize("name", PLAYGROUND_NAMES)
def test_every_set_has_its_shape_and_split(name: str) -> None:
    train, test = playground_data(name, n_samples=101, noise=0.3, test_fraction=0.3, seed=2)
    assert len(train.X) + len(test.X) == 101
    assert len(test.X) == math.floor(0.3 * 101 + 0.5)
    n_in = 1 if name == "regression_1d" else 2
    assert train.X.shape[1] == test.X.shape[1] == n_in
    if name == "regression_1d":
        assert train.task == "regression" and train.Y.shape[1] == 1
    elif name == "three_spirals":
        assert train.n_classes == 3 and np.all(train.Y.sum(axis=1) == 1)
    else:
        assert train.n_classes == 2 and set(np.unique(train.Y)) <= {0.0, 1.0}
    assert np.all(np.abs(train.X) <= 8)


@pytest.mark.parametrize("name", PLAYGROUND_NAMES)
def test_the_split_shares_out_all_the_points(name: str) -> None:
    X, _, _ = playground_points(name, 60, 0.1, seed=4)
    train, test = playground_data(name, 60, 0.1, seed=4)
    together = np.concatenate([train.X, test.X])
    assert sorted(map(tuple, together)) == sorted(map(tuple, X))


def test_one_seed_one_data_set() -> None:
    a, _ = playground_data("spirals", 80, 0.2, seed=1)
    b, _ = playground_data("spirals", 80, 0.2, seed=1)
    c, _ = playground_data("spirals", 80, 0.2, seed=2)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)


def test_noise_free_labels_follow_the_rule() -> None:
    X, Y, _ = playground_points("xor", 300, 0.0, seed=0)
    assert np.array_equal(Y[:, 0], (X[:, 0] * X[:, 1] >= 0).astype(float))
    assert np.all(np.abs(X) >= 0.3)
    X, Y, _ = playground_points("circles", 300, 0.0, seed=0)
    assert np.array_equal(Y[:, 0], (np.hypot(X[:, 0], X[:, 1]) < 2.5).astype(float))
    X, Y, _ = playground_points("regression_1d", 50, 0.0, seed=0)
    assert np.allclose(Y[:, 0], np.sin(np.pi * X[:, 0] / 5))


def test_noise_blurs_the_labels() -> None:
    X, Y, _ = playground_points("xor", 500, 0.5, seed=0)
    assert 0 < np.mean(Y[:, 0] != (X[:, 0] * X[:, 1] >= 0)) < 0.5


@pytest.mark.parametrize("name", ["spirals", "three_spirals", "two_moons", "circles"])
def test_classes_are_balanced(name: str) -> None:
    _, Y, _ = playground_points(name, 100, 0.0, seed=0)
    counts = Y.sum(axis=0) if Y.shape[1] > 1 else np.array([len(Y) - Y.sum(), Y.sum()])
    if name != "circles":  # circles' labels come from the (noisy) radius
        assert counts.max() - counts.min() <= 1


@given(st.integers(6, 300), st.floats(0.01, 0.99), st.integers(0, 2**32 - 1))
def test_split_sizes(n: int, fraction: float, seed: int) -> None:
    n_test = math.floor(fraction * n + 0.5)
    if not 1 <= n_test <= n - 1:
        with pytest.raises(ValueError, match="test_fraction"):
            playground_data("three_spirals", n, 0.1, fraction, seed)
        return
    train, test = playground_data("three_spirals", n, 0.1, fraction, seed)
    assert (len(train.X), len(test.X)) == (n - n_test, n_test)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"name": "moons"}, ValueError, "name"),
        ({"name": 3}, TypeError, "name"),
        ({"name": "xor", "n_samples": 3}, ValueError, "n_samples"),
        ({"name": "three_spirals", "n_samples": 5}, ValueError, "n_samples"),
        ({"name": "xor", "n_samples": 10**6}, ValueError, "n_samples"),
        ({"name": "xor", "n_samples": 20.0}, TypeError, "n_samples"),
        ({"name": "xor", "noise": -0.1}, ValueError, "noise"),
        ({"name": "xor", "noise": 1.5}, ValueError, "noise"),
        ({"name": "xor", "noise": "low"}, TypeError, "noise"),
        ({"name": "xor", "test_fraction": 0.0}, ValueError, "test_fraction"),
        ({"name": "xor", "test_fraction": 1.0}, ValueError, "test_fraction"),
        ({"name": "xor", "test_fraction": 2.0}, ValueError, "test_fraction"),
        ({"name": "xor", "seed": -1}, ValueError, "seed"),
        ({"name": "xor", "seed": 2**32}, ValueError, "seed"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, words: str) -> None:
    with pytest.raises(error, match=words):
        playground_data(**kwargs)
