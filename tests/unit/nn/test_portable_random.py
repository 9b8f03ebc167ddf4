"""The portable generator and what is drawn from it (backprop_lab.nn.portable_random).

Its agreement with the JavaScript engine is tested in tests/unit/explorers/test_engine.py;
here its own laws and its argument checks.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_lab as bl
from backprop_lab.nn.portable_random import (
    MAX_SEED,
    PortableRandom,
    batch_order,
    initial_parameters,
    portable_network,
)

seeds = st.integers(min_value=0, max_value=MAX_SEED)


def test_the_stream_is_mulberry32() -> None:
    # the reference's first numbers for seed 0 (the JavaScript engine gives the same)
    assert PortableRandom(0).uint32(3).tolist() == [1144304738, 1416247, 958946056]
    rng = PortableRandom(0)
    assert [rng.uint32() for _ in range(3)] == [1144304738, 1416247, 958946056]
    assert rng.count == 3


@given(seeds, st.integers(0, 40), st.integers(0, 40))
def test_the_state_is_a_counter(seed: int, first: int, second: int) -> None:
    """Drawing in two blocks gives the numbers of one block."""
    rng = PortableRandom(seed)
    split = np.concatenate([rng.uint32(first), rng.uint32(second)])
    assert split.tolist() == PortableRandom(seed).uint32(first + second).tolist()


@given(seeds)
def test_floats_are_integers_over_two_to_the_32(seed: int) -> None:
    integers = PortableRandom(seed).uint32(50)
    floats = PortableRandom(seed).random(50)
    assert np.all((integers >= 0) & (integers < 2**32))
    assert floats.tolist() == (integers / 2**32).tolist()
    assert np.all((floats >= 0) & (floats < 1))
    low, high = -3.0, 0.5
    values = PortableRandom(seed).uniform(low, high, 50)
    assert values.tolist() == (low + (high - low) * floats).tolist()
    assert np.all((values >= low) & (values < high))


def test_normal_deviates_are_standard_normal() -> None:
    z = PortableRandom(1).normal(40000)
    assert abs(z.mean()) < 0.02 and abs(z.std() - 1) < 0.02
    u = PortableRandom(1).random(2)
    expected = math.sqrt(-2 * math.log(1 - u[0])) * math.cos(2 * math.pi * u[1])
    assert PortableRandom(1).normal() == pytest.approx(expected, rel=1e-15)


@given(seeds, st.integers(0, 60))
def test_permutation_is_a_permutation(seed: int, n: int) -> None:
    order = PortableRandom(seed).permutation(n)
    assert sorted(order.tolist()) == list(range(n))


def test_batch_order_is_epochs_permutations_from_one_generator() -> None:
    orders = batch_order(10, 3, seed=5)
    rng = PortableRandom(5)
    assert [o.tolist() for o in orders] == [rng.permutation(10).tolist() for _ in range(3)]


def test_initial_parameters_follow_the_package_rule() -> None:
    weights, biases = initial_parameters([2, 50, 40, 3], "tanh", seed=3)
    assert [w.shape for w in weights] == [(2, 50), (50, 40), (40, 3)]
    assert all(np.all(b == 0) for b in biases)
    for w, (n_in, n_out) in zip(weights, [(2, 50), (50, 40), (40, 3)]):
        assert np.abs(w).max() < math.sqrt(6 / (n_in + n_out))  # Glorot, uniform
    he, _ = initial_parameters([400, 300, 1], "relu", seed=3)  # auto: He for relu
    assert he[0].std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    # drawn layer by layer, row by row, from one generator
    rng = PortableRandom(3)
    limit = math.sqrt(6 / 52)
    assert weights[0].ravel().tolist() == rng.uniform(-limit, limit, 100).tolist()
    forced, _ = initial_parameters([2, 3, 1], "tanh", seed=0, init="he")
    assert forced[0].ravel()[0] == pytest.approx(math.sqrt(2 / 2) * PortableRandom(0).normal())


def test_portable_network_holds_those_parameters() -> None:
    net = portable_network([2, 4, 1], "tanh", "sigmoid", "binary_cross_entropy", seed=9)
    weights, _ = initial_parameters([2, 4, 1], "tanh", seed=9)
    assert all(np.array_equal(a, b) for a, b in zip(net.weights, weights))
    assert net.loss_name == "binary_cross_entropy"


def test_network_seeds_are_unchanged() -> None:
    """Network(seed=...) keeps drawing from numpy: the chapters' numbers stay."""
    rng = np.random.default_rng(0)
    limit = np.sqrt(6.0 / 5)
    expected = rng.uniform(-limit, limit, size=(2, 3))
    assert np.array_equal(bl.Network([2, 3, 1], seed=0).weights[0], expected)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: PortableRandom(-1), ValueError, "seed"),
        (lambda: PortableRandom(2**32), ValueError, "seed"),
        (lambda: PortableRandom(1.5), TypeError, "seed"),
        (lambda: PortableRandom("0"), TypeError, "seed"),
        (lambda: PortableRandom(0).random(-1), ValueError, "size"),
        (lambda: PortableRandom(0).permutation(2.0), TypeError, "n"),
        (lambda: initial_parameters([2], "tanh"), ValueError, "layer_sizes"),
        (lambda: initial_parameters([2, 1], "softmax"), ValueError, "activation"),
        (lambda: initial_parameters([2, 1], "tanh", init="xavier"), ValueError, "init"),
        (lambda: initial_parameters([2, 1], "tanh", seed=-3), ValueError, "seed"),
        (lambda: batch_order(0, 2), ValueError, "n_samples"),
        (lambda: batch_order(5, 0), ValueError, "epochs"),
    ],
)
def test_bad_arguments_are_named(call, error, words: str) -> None:
    with pytest.raises(error, match=words):
        call()
