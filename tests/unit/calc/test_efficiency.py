"""Tests for backprop_lab.calc.efficiency: the per-sample loop and the timing comparison (ch. 5).

The loop's gradients are checked against the vectorised pass, against central finite
differences (an independent computation), and against the worked example's published
gradient for w5. Timings are checked for structure only, never for their values.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import backprop_lab as bl
from backprop_lab.calc import datasets
from backprop_lab.calc.efficiency import (
    TimingComparison,
    compare_gradient_timings,
    loop_gradients,
    timings_by_samples,
)
from backprop_lab.plotting.costs import plot_timings

CONFIGS = [
    ("sigmoid", "sigmoid", "squared_error"),
    ("tanh", "identity", "mse"),
    ("relu", "sigmoid", "binary_cross_entropy"),
    ("tanh", "softmax", "cross_entropy"),
    ("identity", "tanh", "squared_error"),
]


def _data(sizes, n=7, seed=1, loss="squared_error"):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, sizes[0]))
    n_out = sizes[-1]
    if loss == "cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, size=n)]
    elif loss == "binary_cross_entropy":
        Y = rng.integers(0, 2, size=(n, n_out)).astype(float)
    else:
        Y = rng.uniform(-0.5, 1.0, size=(n, n_out))
    return X, Y


def _finite_differences(net, X, Y, h=1e-6):
    values = []
    for name in net.parameter_names():
        base = net.parameter(name)
        net.set_parameter(name, base + h)
        up = net.loss(X, Y)
        net.set_parameter(name, base - h)
        down = net.loss(X, Y)
        net.set_parameter(name, base)
        values.append((up - down) / (2 * h))
    return np.array(values)


@pytest.mark.parametrize(("activation", "output", "loss"), CONFIGS)
def test_loop_matches_vectorised_and_finite_differences(activation, output, loss):
    sizes = [3, 4, 3, 2]
    net = bl.Network(sizes, activation=activation, output_activation=output, loss=loss, seed=3)
    net.biases = [np.full_like(b, 0.1) for b in net.biases]
    X, Y = _data(sizes, loss=loss)
    looped = loop_gradients(net, X, Y)
    vectorised = net.gradients(X, Y)
    for a, b in zip(looped.weights + looped.biases, vectorised.weights + vectorised.biases):
        assert a.shape == b.shape
    np.testing.assert_allclose(looped.flat(), vectorised.flat(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(looped.flat(), _finite_differences(net, X, Y), atol=1e-6)


def test_loop_reproduces_worked_example_gradient_for_w5():
    example = datasets.worked_example()
    grads = loop_gradients(example.network, example.X, example.Y)
    # dE/dw5 = (out_o1 - target_o1) * out_o1 (1 - out_o1) * out_h1, the published 0.082167041
    np.testing.assert_allclose(grads["W2[0,0]"], 0.082167041, atol=1e-9)
    np.testing.assert_allclose(grads["W1[0,0]"], 0.000438568, atol=1e-9)


def test_loop_accepts_one_sample_and_matches_batch_of_one():
    net = bl.Network([2, 3, 1], seed=0)
    x, y = np.array([0.3, -0.2]), np.array([1.0])
    single = loop_gradients(net, x, y)
    batch = loop_gradients(net, x[None, :], y[None, :])
    np.testing.assert_array_equal(single.flat(), batch.flat())


def test_loop_gradient_is_the_mean_of_per_sample_gradients():
    net = bl.Network([2, 3, 2], seed=5)
    X, Y = _data([2, 3, 2], n=5, seed=2)
    whole = loop_gradients(net, X, Y).flat()
    parts = np.mean([loop_gradients(net, X[i], Y[i]).flat() for i in range(5)], axis=0)
    np.testing.assert_allclose(whole, parts, rtol=1e-12, atol=1e-15)


def test_loop_keeps_float32():
    net = bl.Network([2, 3, 1], seed=0, dtype=np.float32)
    X, Y = _data([2, 3, 1])
    grads = loop_gradients(net, X, Y)
    assert all(g.dtype == np.float32 for g in grads.weights + grads.biases)
    np.testing.assert_allclose(grads.flat(), net.gradients(X, Y).flat(), rtol=1e-4, atol=1e-6)


@given(
    hidden=st.integers(1, 5),
    n=st.integers(1, 12),
    seed=st.integers(0, 10_000),
    activation=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
)
def test_loop_equals_vectorised_for_any_network(hidden, n, seed, activation):
    net = bl.Network([2, hidden, 2], activation=activation, seed=seed)
    X, Y = _data([2, hidden, 2], n=n, seed=seed)
    np.testing.assert_allclose(
        loop_gradients(net, X, Y).flat(), net.gradients(X, Y).flat(), rtol=1e-10, atol=1e-13
    )


def test_loop_errors_name_the_argument():
    net = bl.Network([2, 3, 1], seed=0)
    with pytest.raises(TypeError, match=r"net must be a backprop_lab\.Network; got list"):
        loop_gradients([1, 2], np.zeros((3, 2)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        loop_gradients(net, np.zeros((3, 4)), np.zeros((3, 1)))
    with pytest.raises(ValueError, match=r"Y must have shape \(3, 1\)"):
        loop_gradients(net, np.zeros((3, 2)), np.zeros((4, 1)))
    with pytest.raises(ValueError, match="X must contain only finite numbers"):
        loop_gradients(net, np.array([[np.nan, 0.0]]), np.zeros((1, 1)))


def test_compare_gradient_timings_structure():
    net = bl.Network([2, 4, 1], seed=0)
    X, Y = datasets.two_moons(n_samples=20, seed=0)
    result = compare_gradient_timings(net, X, Y, repeats=1)
    assert isinstance(result, TimingComparison)
    assert result.n_samples == 20
    assert result.repeats == 1
    assert result.loop_seconds > 0 and result.vectorised_seconds > 0
    assert result.ratio == pytest.approx(result.loop_seconds / result.vectorised_seconds)
    assert result.agree and result.max_difference <= 1e-12
    assert "20 samples" in result.message and "machine" in result.message
    assert "TimingComparison(" in repr(result)


def test_compare_gradient_timings_checks_repeats():
    net = bl.Network([2, 2, 1], seed=0)
    X, Y = datasets.xor()
    with pytest.raises(ValueError, match="repeats must be an integer >= 1; got 0"):
        compare_gradient_timings(net, X, Y, repeats=0)
    with pytest.raises(TypeError, match="repeats must be an integer"):
        compare_gradient_timings(net, X, Y, repeats=1.5)


def test_timings_by_samples_and_plot():
    net = bl.Network([2, 3, 1], seed=0)
    X, Y = datasets.two_moons(n_samples=16, seed=1)
    results = timings_by_samples(net, X, Y, sizes=[8, 2, 16], repeats=1)
    assert [r.n_samples for r in results] == [8, 2, 16]
    assert all(r.agree for r in results)
    fig, ax = plt.subplots()
    drawn = plot_timings(results, ax=ax)
    assert drawn["ax"] is ax
    np.testing.assert_array_equal(drawn["loop"].get_xdata(), [2, 8, 16])
    np.testing.assert_allclose(
        drawn["vectorised"].get_ydata(),
        [r.vectorised_seconds * 1e3 for r in sorted(results, key=lambda r: r.n_samples)],
    )
    assert [t.get_text() for t in drawn["labels"]] == [
        f"×{r.ratio:.0f}" for r in sorted(results, key=lambda r: r.n_samples)
    ]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "per-sample Python loop",
        "vectorised (one batch)",
    }
    plt.close(fig)


def test_timings_by_samples_errors():
    net = bl.Network([2, 3, 1], seed=0)
    X, Y = datasets.xor()
    with pytest.raises(ValueError, match=r"sizes\[1\] must be at most the number of samples"):
        timings_by_samples(net, X, Y, sizes=[2, 5])
    with pytest.raises(TypeError, match="sizes must be a non-empty list"):
        timings_by_samples(net, X, Y, sizes=[])
    with pytest.raises(ValueError, match=r"sizes\[0\] must be an integer >= 1; got 0"):
        timings_by_samples(net, X, Y, sizes=[0])


def test_plot_timings_rejects_other_things():
    with pytest.raises(TypeError, match="results must be a non-empty list"):
        plot_timings([])
    with pytest.raises(TypeError, match=r"results\[0\] must be a TimingComparison; got int"):
        plot_timings([3])
