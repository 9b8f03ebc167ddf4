"""Chapter 1's computed examples and figures: neuron, recurrent unit, convolution,
gradient cost, sum of bumps."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import backprop_lab as bl

finite = st.floats(min_value=-3, max_value=3, allow_nan=False)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def _sine(x):
    return np.sin(np.pi * x)


# ------------------------------------------------------------------------ neuron


def test_draw_neuron_shows_the_worked_example_numbers(ax):
    drawing = bl.plotting.draw_neuron([0.05, 0.10], [0.15, 0.20], 0.35, ax=ax)
    assert drawing.values["z"] == pytest.approx(0.3775)
    assert drawing.values["a"] == pytest.approx(0.593269992, abs=1e-9)
    text = " ".join(drawing.labels)
    assert "0.3775" in text and "0.59327" in text and "0.15" in text and "0.35" in text
    assert len(ax.patches) >= 5


def test_draw_neuron_checks_lengths(ax):
    with pytest.raises(ValueError, match="weights must have one entry per input"):
        bl.plotting.draw_neuron([1, 2], [1, 2, 3], 0.0, ax=ax)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        bl.plotting.draw_neuron([1], [1], 0.0, ax=None)


def test_neuron_responses_are_sigmoid_of_wx_plus_b(ax):
    lines = bl.plotting.plot_neuron_responses([(2.0, -1.0), (-1.0, 0.5)], ax=ax)
    assert len(lines) == 2
    x, y = lines[0].get_data()
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-(2 * x - 1))), atol=1e-12)
    assert lines[1].get_label() == "w=-1, b=0.5"
    # the legend names every pair in text as large as the tick labels (phone-sized figures)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["w=2, b=-1", "w=-1, b=0.5"]
    assert legend.get_texts()[0].get_fontsize() == ax.xaxis.get_ticklabels()[0].get_fontsize()
    with pytest.raises(ValueError, match="at least one"):
        bl.plotting.plot_neuron_responses([], ax=ax)


def test_draw_feedforward_draws_every_connection(ax):
    drawing = bl.plotting.draw_feedforward([2, 3, 1], ax=ax)
    assert drawing.values["n_edges"] == 2 * 3 + 3 * 1
    assert [len(layer) for layer in drawing.values["nodes"]] == [2, 3, 1]
    assert drawing.labels == ["input", "hidden", "output"]
    with pytest.raises(ValueError, match="at least two layers"):
        bl.plotting.draw_feedforward([3], ax=ax)
    with pytest.raises(ValueError, match="layer_names must have one name per layer"):
        bl.plotting.draw_feedforward([2, 1], ax=ax, layer_names=["a"])


# --------------------------------------------------------------------- recurrent


def test_recurrent_unroll_matches_a_hand_loop():
    run = bl.recurrent_unroll([1.0, 0.0, 0.5], 0.8, 0.5, bias=0.1)
    h, expected = 0.0, [0.0]
    for x in [1.0, 0.0, 0.5]:
        h = np.tanh(0.8 * x + 0.5 * h + 0.1)
        expected.append(h)
    np.testing.assert_allclose(run.states[:, 0], expected, rtol=1e-15)
    assert run.steps == 3
    assert run.final_state == pytest.approx(expected[-1])


def test_recurrent_state_remembers_order():
    a = bl.recurrent_unroll([1.0, 0.0, 0.0], 0.8, 0.5).final_state
    b = bl.recurrent_unroll([0.0, 0.0, 1.0], 0.8, 0.5).final_state
    assert not np.allclose(a, b)


@given(arrays(np.float64, st.integers(1, 6), elements=finite), finite, finite)
def test_without_recurrent_weight_each_step_is_a_feedforward_neuron(xs, w, b):
    run = bl.recurrent_unroll(xs, w, 0.0, bias=b)
    np.testing.assert_allclose(run.states[1:, 0], np.tanh(w * xs + b), rtol=1e-12, atol=1e-15)


def test_recurrent_vector_state_shapes():
    run = bl.recurrent_unroll(np.ones((4, 2)), np.ones((2, 3)), np.eye(3) * 0.1, bias=[0, 1, 2])
    assert run.states.shape == (5, 3) and run.net_inputs.shape == (4, 3)
    with pytest.raises(ValueError, match=r"recurrent_weights must have shape \(3, 3\)"):
        bl.recurrent_unroll(np.ones((4, 2)), np.ones((2, 3)), np.eye(2))
    with pytest.raises(ValueError, match=r"input_weights must have shape \(2, n_hidden\)"):
        bl.recurrent_unroll(np.ones((4, 2)), np.ones((3, 3)), np.eye(3))


def test_draw_recurrent_labels_states(ax):
    run = bl.recurrent_unroll([1.0, 0.0], 0.8, 0.5)
    drawing = bl.plotting.draw_recurrent(run, ax=ax)
    text = " ".join(drawing.labels)
    assert f"{run.states[1, 0]:.3g}" in text and f"{run.states[2, 0]:.3g}" in text
    with pytest.raises(ValueError, match="one input and one state"):
        bl.plotting.draw_recurrent(
            bl.recurrent_unroll(np.ones((2, 2)), np.ones((2, 1)), 0.5), ax=ax
        )


# ------------------------------------------------------------------- convolution


def test_conv1d_small_example_by_hand():
    run = bl.conv1d_run([0, 0, 1, 1, 1, 0], [-1, 0, 1])
    np.testing.assert_array_equal(run.outputs, [1, 1, 0, -1])
    np.testing.assert_array_equal(run.window(1), [0, 1, 1])


@given(
    arrays(np.float64, st.integers(3, 12), elements=finite),
    arrays(np.float64, st.integers(1, 3), elements=finite),
    finite,
)
def test_conv1d_equals_numpy_and_its_dense_matrix(signal, kernel, bias):
    run = bl.conv1d_run(signal, kernel, bias=bias)
    expected = np.convolve(signal, kernel[::-1], mode="valid") + bias
    np.testing.assert_allclose(run.outputs, expected, atol=1e-12)
    matrix = bl.convolution_matrix(kernel, signal.size)
    np.testing.assert_allclose(signal @ matrix + bias, run.outputs, atol=1e-12)


@given(arrays(np.float64, 10, elements=finite), arrays(np.float64, 3, elements=finite))
def test_conv1d_is_shift_equivariant(signal, kernel):
    shifted = np.concatenate([[0.0], signal[:-1]])
    out = bl.conv1d_run(signal, kernel).outputs
    out_shifted = bl.conv1d_run(shifted, kernel).outputs
    np.testing.assert_allclose(out_shifted[1:], out[:-1], atol=1e-12)


def test_convolution_matrix_shares_weights():
    matrix = bl.convolution_matrix([1.0, 2.0], 4)
    np.testing.assert_array_equal(matrix, [[1, 0, 0], [2, 1, 0], [0, 2, 1], [0, 0, 2]])


def test_conv1d_errors(ax):
    with pytest.raises(ValueError, match="kernel must not be longer than the signal"):
        bl.conv1d_run([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="j must be below the number of outputs 2"):
        bl.conv1d_run([1, 2, 3], [1, 1]).window(2)
    with pytest.raises(ValueError, match="activation must be one of"):
        bl.conv1d_run([1, 2, 3], [1, 1], activation="softmax")


def test_draw_convolution_labels_kernel_and_outputs(ax):
    run = bl.conv1d_run([0, 0, 1, 1, 1, 0], [-1, 0, 2])
    drawing = bl.plotting.draw_convolution(run, highlight=1, ax=ax)
    assert drawing.labels.count("2") >= 1 and "-1" in drawing.labels
    np.testing.assert_array_equal(drawing.values["outputs"], run.outputs)


# -------------------------------------------------------------- gradient cost


def test_finite_differences_agree_with_backprop_and_count_passes():
    X, Y = bl.datasets.xor()
    net = bl.Network([2, 3, 1], seed=1)
    before = [w.copy() for w in net.weights]
    central = bl.efficiency.finite_difference_gradients(net, X, Y)
    assert central.forward_passes == 2 * net.n_parameters
    np.testing.assert_allclose(central.gradient, net.gradients(X, Y).flat(), atol=1e-8)
    one_sided = bl.efficiency.finite_difference_gradients(net, X, Y, epsilon=1e-7, central=False)
    assert one_sided.forward_passes == net.n_parameters + 1
    np.testing.assert_allclose(one_sided.gradient, net.gradients(X, Y).flat(), atol=1e-5)
    for w, w0 in zip(net.weights, before):
        np.testing.assert_array_equal(w, w0)
    assert central.names == net.parameter_names()


def test_gradient_cost_counts():
    p = np.array([1, 10, 1000])
    np.testing.assert_array_equal(
        bl.efficiency.gradient_cost(p, "central differences"), [2, 20, 2000]
    )
    np.testing.assert_array_equal(
        bl.efficiency.gradient_cost(p, "forward differences"), [2, 11, 1001]
    )
    np.testing.assert_array_equal(bl.efficiency.gradient_cost(p, "backpropagation"), [3, 3, 3])
    with pytest.raises(ValueError, match="method must be one of"):
        bl.efficiency.gradient_cost(p, "guessing")
    with pytest.raises(ValueError, match="n_parameters must be whole numbers >= 1"):
        bl.efficiency.gradient_cost([0, 1], "backpropagation")


def test_measure_gradient_cost_reports_every_entry():
    X, Y = bl.datasets.xor()
    result = bl.efficiency.measure_gradient_cost(bl.Network([2, 2, 1]), X, Y, repeats=1)
    assert result["n_parameters"] == 9
    assert all(result[k] > 0 for k in ("forward seconds", "backpropagation", "central differences"))


def test_plot_gradient_cost_draws_the_counts(ax):
    p = np.array([10, 100, 1000])
    lines = bl.plotting.plot_gradient_cost(
        p,
        ax=ax,
        measured={"n_parameters": [9], "central differences": [20], "backpropagation": [3]},
    )
    np.testing.assert_array_equal(lines["central differences"].get_ydata(), 2 * p)
    np.testing.assert_array_equal(lines["backpropagation"].get_ydata(), [3, 3, 3])
    assert "measured backpropagation" in lines
    assert ax.get_xscale() == "log"


# ---------------------------------------------------- universal approximation


def test_bump_network_is_the_sum_of_sigmoid_bumps():
    net = bl.bump_network(_sine, 4, steepness=30.0)
    assert net.layer_sizes == [1, 8, 1]
    x = np.linspace(-1, 1, 50)
    edges = np.linspace(-1, 1, 5)
    heights = _sine(0.5 * (edges[:-1] + edges[1:]))
    edges[0] -= 4 / 30
    edges[-1] += 4 / 30
    s = bl.activations.sigmoid
    by_hand = sum(
        h * (s(30 * (x - lo)) - s(30 * (x - hi)))
        for h, lo, hi in zip(heights, edges[:-1], edges[1:])
    )
    np.testing.assert_allclose(net.forward(x[:, None])[:, 0], by_hand, atol=1e-12)
    np.testing.assert_allclose(bump_sum := bl.bump_contributions(net, x).sum(axis=0), by_hand)
    assert bump_sum.shape == (50,)


def test_more_bumps_fit_better():
    x = np.linspace(-1, 1, 801)
    errors = [
        np.max(np.abs(bl.bump_network(_sine, n).forward(x[:, None])[:, 0] - _sine(x)))
        for n in (3, 10, 40)
    ]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 0.1


def test_bump_network_errors():
    with pytest.raises(ValueError, match="high must be greater than low"):
        bl.bump_network(_sine, 3, low=1.0, high=0.0)
    with pytest.raises(TypeError, match="function must be callable"):
        bl.bump_network(3.0, 3)
    with pytest.raises(ValueError, match=r"net must have layers \[1, 2m, 1\]"):
        bl.bump_contributions(bl.Network([2, 2, 1]), [0.0])


def test_plot_bumps_reports_error(ax):
    net = bl.bump_network(_sine, 5)
    drawn = bl.plotting.plot_bumps(net, _sine, ax=ax)
    assert len(drawn.bumps) == 5
    x, y = drawn.total.get_data()
    np.testing.assert_allclose(y, net.forward(x[:, None])[:, 0])
    assert drawn.max_error == pytest.approx(np.max(np.abs(y - _sine(x))))
    assert "5 bumps" in ax.get_title()


def test_helpers_leave_global_state_alone(ax):
    before = dict(matplotlib.rcParams)
    bl.plotting.draw_neuron([1.0], [1.0], 0.0, ax=ax)
    bl.plotting.plot_bumps(bl.bump_network(_sine, 2), ax=ax)
    assert dict(matplotlib.rcParams) == before


# ------------------------------------------------- output plane, matrix product, timing


def test_plot_output_plane_draws_the_neuron_line(ax):
    neuron = bl.Network.from_weights([[[1.0], [1.0]]], [[-1.0]])
    drawn = bl.plotting.plot_output_plane(neuron, *bl.datasets.xor(), ax=ax, resolution=41)
    xx, yy, out = drawn.grid
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-(xx + yy - 1))), atol=1e-12)
    assert drawn.boundary is not None
    line = drawn.boundary.allsegs[0][0]
    np.testing.assert_allclose(line[:, 0] + line[:, 1], 1.0, atol=1e-6)
    assert len(drawn.points) == 2
    with pytest.raises(ValueError, match="net must have 2 inputs and 1 output"):
        bl.plotting.plot_output_plane(bl.Network([2, 2]), ax=ax)


def test_plot_output_plane_draws_no_boundary_for_a_flat_output(ax):
    flat = bl.Network.from_weights([[[1e-6], [0.0]]], [[0.0]])
    drawn = bl.plotting.plot_output_plane(flat, ax=ax)
    assert drawn.boundary is None
    np.testing.assert_allclose(drawn.surface.levels, np.linspace(0, 1, 21))


def test_draw_matrix_product_computes_the_worked_example(ax):
    W1 = [[0.15, 0.25], [0.20, 0.30]]
    drawing = bl.plotting.draw_matrix_product([0.05, 0.10], W1, [0.35, 0.35], ax=ax)
    np.testing.assert_allclose(drawing.values["Z"], [[0.3775, 0.3925]])
    assert "0.3775" in drawing.labels and "0.3925" in drawing.labels
    assert any("(2 × 2)" in label for label in drawing.labels)
    with pytest.raises(ValueError, match="W must have as many rows as A has columns"):
        bl.plotting.draw_matrix_product(np.ones((2, 3)), np.ones((2, 2)), np.ones(2), ax=ax)
    with pytest.raises(ValueError, match=r"b must have shape \(2,\)"):
        bl.plotting.draw_matrix_product(np.ones((2, 2)), np.ones((2, 2)), np.ones(3), ax=ax)


def test_time_forward_loop_vs_batch_reports_every_entry():
    net = bl.Network([2, 4, 1])
    X = np.random.default_rng(0).normal(size=(20, 2))
    result = bl.efficiency.time_forward_loop_vs_batch(net, X, repeats=1)
    assert result["n_samples"] == 20
    assert result["loop seconds"] > 0 and result["batch seconds"] > 0
    assert result["speed-up"] == pytest.approx(result["loop seconds"] / result["batch seconds"])
