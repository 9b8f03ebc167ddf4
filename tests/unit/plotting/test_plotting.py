"""Tests of the book's figures: backprop_lab.plotting and the modules it gathers.

Each helper must draw what it says (neurons and edges counted, labels read back against
hand-worked numbers, line data equal to the computation they show, contours present),
never plot NaN, and leave matplotlib's global state (rcParams, pyplot's figures) alone.
"""

from __future__ import annotations

import base64
import io
import itertools
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from backprop_lab import plotting
from backprop_lab.calc import datasets, descent
from backprop_lab.calc.autodiff import Value, worked_example_graph
from backprop_lab.nn.network import Network
from backprop_lab.nn.parameters import parameter_names, parse_parameter
from backprop_lab.plotting import diagram as diagram_module
from backprop_lab.plotting import graph_drawing

# the classic worked example, by hand: z = x W + b, a = sigmoid(z)
X0 = np.array([0.05, 0.10])
Y0 = np.array([0.01, 0.99])
W1 = np.array([[0.15, 0.25], [0.20, 0.30]])
W2 = np.array([[0.40, 0.50], [0.45, 0.55]])


def worked_net() -> Network:
    return Network.from_weights([W1, W2], [0.35, 0.60])


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def hand_forward():
    z1 = X0 @ W1 + 0.35
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + 0.60
    a2 = sigmoid(z2)
    return z1, a1, z2, a2


def new_axes(figsize=(8.0, 4.0)):
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)
    return fig.add_subplot()


def all_text(ax) -> str:
    return "\n".join(t.get_text() for t in ax.texts if t.get_text())


def assert_nothing_nan(ax):
    for line in ax.get_lines():
        assert np.all(np.isfinite(np.asarray(line.get_xdata(), dtype=float))), line
        assert np.all(np.isfinite(np.asarray(line.get_ydata(), dtype=float))), line
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        assert np.all(np.isfinite(offsets))


@pytest.fixture
def untouched_global_state():
    """Fails a test that changes rcParams or leaves a pyplot figure behind."""
    before = dict(matplotlib.rcParams)
    figures = plt.get_fignums()
    yield
    assert plt.get_fignums() == figures
    after = dict(matplotlib.rcParams)
    changed = {k for k in before if before[k] != after[k] and not (before[k] != before[k])}
    assert not changed


# ----------------------------------------------------------------------- diagram


def test_diagram_counts_neurons_and_edges(untouched_global_state):
    net = Network([2, 3, 4, 1], seed=1)
    diagram = plotting.draw_network(net, ax=new_axes())
    assert len(diagram.neurons) == 2 + 3 + 4 + 1
    assert len(diagram.edges) == 2 * 3 + 3 * 4 + 4 * 1
    assert set(diagram.edges) == {n for n in parameter_names(net.layer_sizes) if n[0] == "W"}
    from matplotlib.patches import Circle

    circles = [p for p in diagram.ax.patches if isinstance(p, Circle)]
    assert len(circles) == 10
    # layers as columns, left to right
    columns = [
        {diagram.positions[(layer, j)][0] for j in range(n)} for layer, n in enumerate([2, 3, 4, 1])
    ]
    assert all(len(column) == 1 for column in columns)
    assert [c.pop() for c in columns] == sorted(
        diagram.positions[(layer, 0)][0] for layer in range(4)
    )
    titles = [diagram.labels[f"layer {i}"].get_text() for i in range(4)]
    assert titles[0].startswith("input") and titles[-1].startswith("output")
    assert all(t.startswith("hidden") for t in titles[1:3])


def test_diagram_edges_show_sign_and_size():
    net = Network.from_weights([[[2.0, -0.5], [0.25, -2.0]]], [[0.0, 0.0]])
    diagram = plotting.draw_network(net, ax=new_axes())
    widths = {name: line.get_linewidth() for name, line in diagram.edges.items()}
    assert widths["W1[0,0]"] == pytest.approx(widths["W1[1,1]"])  # |2| = |-2|
    assert widths["W1[0,0]"] > widths["W1[0,1]"] > widths["W1[1,0]"]
    colors = {name: line.get_color() for name, line in diagram.edges.items()}
    assert colors["W1[0,0]"] == colors["W1[1,0]"] == diagram_module.POSITIVE_COLOR
    assert colors["W1[0,1]"] == colors["W1[1,1]"] == diagram_module.NEGATIVE_COLOR


def test_diagram_forward_labels_are_the_hand_worked_numbers():
    z1, a1, z2, a2 = hand_forward()
    diagram = plotting.draw_network(
        worked_net(), X0, Y0, ax=new_axes(), net_inputs=True, activations=True, loss=True
    )
    for layer, (z, a) in enumerate([(z1, a1), (z2, a2)], start=1):
        for j in range(2):
            text = diagram.labels[f"neuron {layer},{j}"].get_text()
            assert f"$z$={z[j]:.4g}" in text and f"$a$={a[j]:.4g}" in text
    assert diagram.labels["neuron 1,0"].get_text() == "$z$=0.3775\n$a$=0.5933"
    loss = 0.5 * np.sum((Y0 - a2) ** 2)
    assert diagram.labels["loss"].get_text() == f"$E$={loss:.4g}"
    assert f"{loss:.4g}" == "0.2984"
    assert "y_{1}$=0.99" in diagram.labels["y[1]"].get_text()
    assert diagram.labels["W1[0,0]"].get_text() == "$w$=0.15"


def test_diagram_backward_labels_are_the_backward_pass():
    net = worked_net()
    _, a1, _, a2 = hand_forward()
    delta2 = (a2 - Y0) * a2 * (1 - a2)
    delta1 = (W2 @ delta2) * a1 * (1 - a1)
    diagram = plotting.draw_network(net, X0, Y0, ax=new_axes(), deltas=True, gradients=True)
    for layer, delta in ((1, delta1), (2, delta2)):
        for j in range(2):
            text = diagram.labels[f"below {layer},{j}"].get_text()
            assert f"$\\delta$={delta[j]:.4g}" in text
    grad = X0[0] * delta1[0]  # dE/dw1 of the classic example
    assert f"{grad:.4g}" == "0.0004386"
    assert f"$\\partial E/\\partial w$={grad:.4g}" in diagram.labels["W1[0,0]"].get_text()
    # a chosen subset: one neuron's delta, one parameter's gradient
    some = plotting.draw_network(
        net, X0, Y0, ax=new_axes(), weights=False, deltas=[(2, 1)], gradients=["W2[1,1]"]
    )
    assert [k for k in some.labels if k.startswith("below")] == ["below 2,1"]
    assert list(k for k in some.labels if k.startswith("W")) == ["W2[1,1]"]


def test_diagram_highlights_the_chain_rule_path():
    net = Network([2, 3, 2, 2], seed=0)
    diagram = plotting.draw_network(net, ax=new_axes(), highlight="W1[1,2]")
    expected = ["W1[1,2]"] + [f"W2[2,{k}]" for k in range(2)]
    expected += [f"W3[{i},{k}]" for i in range(2) for k in range(2)]
    assert diagram.highlighted == expected
    for name, line in diagram.edges.items():
        assert (line.get_alpha() == 1.0) == (name in expected)
        assert bool(line.get_path_effects()) == (name in expected)
    bias = plotting.draw_network(net, ax=new_axes(), highlight="b3[0]")
    assert bias.highlighted == []


@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=5),
    pick=st.integers(0, 10_000),
)
def test_chain_rule_path_is_every_route_to_the_outputs(sizes, pick):
    names = parameter_names(sizes)
    name = names[pick % len(names)]
    ref = parse_parameter(name, sizes)
    edges, neurons = plotting.chain_rule_path(sizes, name)
    later = sizes[ref.layer + 1 :]
    expected = (1 if ref.is_weight else 0) + sum(
        (1 if m == 0 else sizes[ref.layer + m]) * n for m, n in enumerate(later)
    )
    assert len(edges) == len(set(edges)) == expected
    for edge in edges[1 if ref.is_weight else 0 :]:
        e = parse_parameter(edge, sizes)
        assert e.layer > ref.layer
        if e.layer == ref.layer + 1:
            assert e.index[0] == ref.to_unit
    assert (ref.layer, ref.to_unit) in neurons
    if ref.layer < len(sizes) - 1:  # every output is reached
        assert all((len(sizes) - 1, k) in neurons for k in range(sizes[-1]))


def test_worked_example_with_every_label_has_no_overlapping_text(tmp_path):
    """The 2-2-2 example with all labels on: no two pieces of text touch."""
    diagram = plotting.draw_network(
        worked_net(),
        X0,
        Y0,
        ax=new_axes((9.5, 5.0)),
        weights=True,
        biases=True,
        net_inputs=True,
        activations=True,
        deltas=True,
        gradients=True,
        loss=True,
        highlight="W1[0,0]",
    )
    fig = diagram.figure
    fig.savefig(tmp_path / "worked.png")
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in diagram.ax.texts:
        patch = text.get_bbox_patch()
        box = patch.get_window_extent(renderer) if patch else text.get_window_extent(renderer)
        boxes.append((text.get_text(), box))
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if a.startswith("$a^") or b.startswith("$a^") or a.startswith("$x_") or b.startswith("$x_"):
            continue  # the neuron's own symbol, inside its circle
        assert not box_a.overlaps(box_b), (a, b)
    axes_box = diagram.ax.get_window_extent(renderer)
    for text, box in boxes:
        assert axes_box.x0 - 1 <= box.x0 and box.x1 <= axes_box.x1 + 1, text
        assert axes_box.y0 - 1 <= box.y0 and box.y1 <= axes_box.y1 + 1, text


def test_diagram_rejects_bad_input():
    net = worked_net()
    with pytest.raises(ValueError, match="x must be given"):
        plotting.draw_network(net, net_inputs=True, ax=new_axes())
    with pytest.raises(ValueError, match="y must be given"):
        plotting.draw_network(net, X0, deltas=True, ax=new_axes())
    with pytest.raises(ValueError, match="W9"):
        plotting.draw_network(net, highlight="W9[0,0]", ax=new_axes())
    with pytest.raises(TypeError, match="net_inputs must be True, False"):
        plotting.draw_network(net, X0, net_inputs="all", ax=new_axes())
    with pytest.raises(ValueError, match="layer numbers from 1 to 2"):
        plotting.draw_network(net, X0, net_inputs=[3], ax=new_axes())
    with pytest.raises(ValueError, match=r"x must be one sample of shape \(2,\)"):
        plotting.draw_network(net, [[0.1, 0.2]], net_inputs=True, ax=new_axes())


def test_diagram_without_ax_makes_one_pyplot_figure():
    before = set(plt.get_fignums())
    diagram = plotting.draw_network(worked_net())
    try:
        assert set(plt.get_fignums()) - before == {diagram.figure.number}
        assert "6 neurons, 8 edges" in repr(diagram)
    finally:
        plt.close(diagram.figure)


# ------------------------------------------------------------ computational graph


def text_boxes(ax):
    """(text, window extent of its box) of every non-empty text of ``ax``, once drawn."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for text in ax.texts:
        if text.get_text():
            patch = text.get_bbox_patch()
            box = patch.get_window_extent(renderer) if patch else text.get_window_extent(renderer)
            boxes.append((text.get_text(), box))
    return boxes


@pytest.mark.parametrize("hidden_as_inputs", [True, False])
def test_graph_shows_every_op_value_and_grad(hidden_as_inputs, untouched_global_state):
    graph = worked_example_graph(hidden_as_inputs=hidden_as_inputs).backward()
    nodes = graph.loss.topological_order()
    drawing = plotting.draw_graph(graph.loss, ax=new_axes((14.0, 5.0)))
    texts = [t.get_text() for t in drawing.ax.texts if t.get_text()]
    assert len(texts) == len(nodes) + sum(not n.is_leaf for n in nodes)
    for node in nodes:
        box = drawing.boxes[node].get_text()
        assert box in texts
        assert f"data {node.data:.4g}" in box and f"grad {node.grad:.4g}" in box
        if node.label is not None:
            assert box.splitlines()[0] == node.label
        if not node.is_leaf:
            assert drawing.ops[node].get_text() == graph_drawing.op_symbol(node.op)
            assert drawing.ops[node].get_text() in texts
    # the walk-through's numbers, as they appear
    assert drawing.boxes[graph["w5"]].get_text() == "w5\ndata 0.4\ngrad 0.08217"
    assert drawing.boxes[graph["E"]].get_text() == "E\ndata 0.2984\ngrad 1"
    assert drawing.ops[graph["out_o1"]].get_text() == "σ"
    # one arrow per distinct input of each operation, one from each operation to its result
    ops = [n for n in nodes if not n.is_leaf]
    assert len(drawing.arrows) == sum(len(set(n.children)) + 1 for n in ops)


def test_graph_layout_runs_left_to_right_from_the_leaves():
    graph = worked_example_graph()
    layout = graph_drawing.graph_layout(graph.loss)
    columns = {node: x for node, (x, _) in layout.items()}
    assert columns[graph.loss] == max(columns.values())
    for node in layout:
        for child in node.children:
            assert columns[child] < columns[node]
        if not node.is_leaf:  # depth from the leaves: one more than the deepest input
            assert columns[node] == 1 + max(columns[c] for c in node.children)
    assert columns[graph["out_h1"]] == columns[graph["out_h2"]]
    # a leaf sits just left of its first use: the targets next to the differences
    assert columns[graph["y1"]] == columns[graph["out_o1"]]
    positions = {(x, round(y, 9)) for x, y in layout.values()}
    assert len(positions) == len(layout)  # no two boxes in one place


@pytest.mark.parametrize("hidden_as_inputs", [True, False])
def test_worked_example_graph_has_no_overlapping_boxes(hidden_as_inputs):
    graph = worked_example_graph(hidden_as_inputs=hidden_as_inputs).backward()
    drawing = plotting.draw_graph(graph.loss, ax=None, highlight=graph["w5"])
    try:
        boxes = text_boxes(drawing.ax)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
            assert not box_a.overlaps(box_b), (a, b)
        figure_box = drawing.figure.bbox
        for text, box in boxes:
            assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1, text
            assert figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1, text
        assert drawing.figure.get_size_inches()[0] <= 18
    finally:
        plt.close(drawing.figure)


def test_graph_highlights_the_paths_from_a_weight_to_the_loss():
    graph = worked_example_graph(hidden_as_inputs=True).backward()
    drawing = plotting.draw_graph(graph.loss, ax=new_axes(), highlight=graph["w5"])
    on_path = set(drawing.highlighted)
    assert {graph[n] for n in ("w5", "net_o1", "out_o1", "E_o1", "E")} <= on_path
    assert not {graph[n] for n in ("w7", "net_o2", "out_o2", "E_o2", "out_h1")} & on_path
    colors = [matplotlib.colors.to_hex(a.arrow_patch.get_edgecolor()) for a in drawing.arrows]
    assert colors.count(graph_drawing.HIGHLIGHT_COLOR) == 2 * 8  # 8 operations, 2 arrows each
    plotting.png_bytes(drawing.figure)  # the arrows clip to their boxes when drawn


def test_graph_takes_ax_and_leaves_pyplot_alone(untouched_global_state):
    current = plt.figure()
    try:
        a = Value(2.0, label="a")
        y = a * a + 1
        y.backward()
        ax = new_axes()
        drawing = plotting.draw_graph(y, ax=ax)
        assert drawing.ax is ax and drawing.figure is ax.figure
        assert plt.gcf() is current and not current.axes
        assert len(drawing.arrows) == 1 + 1 + 2 + 1  # a * a: one arrow from a
        assert drawing.boxes[a].get_text() == "a\ndata 2\ngrad 4"
        assert repr(drawing) == "GraphDrawing(4 values, 2 operations, 5 arrows)"
    finally:
        plt.close(current)


def test_graph_without_ax_makes_one_pyplot_figure():
    before = set(plt.get_fignums())
    drawing = plotting.draw_graph(Value(1.0, label="x").exp())
    try:
        assert set(plt.get_fignums()) - before == {drawing.figure.number}
    finally:
        plt.close(drawing.figure)


def test_graph_refuses_graphs_too_big_to_read():
    y = Value(0.5)
    for _ in range(75):
        y = y * 1.01  # two Values per step: the product and its constant
    with pytest.raises(ValueError, match=r"151 Values; draw_graph draws at most 150"):
        plotting.draw_graph(y, ax=new_axes())
    plotting.draw_graph(y * 1.0, ax=new_axes(), max_nodes=200)
    small = Value(1.0) + 2
    with pytest.raises(ValueError, match="3 Values; draw_graph draws at most 2"):
        plotting.draw_graph(small, ax=new_axes(), max_nodes=2)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"value": 1.0}, TypeError, ["value must be a backprop_lab.Value", "float"]),
        ({"highlight": Value(3.0)}, ValueError, ["highlight", "not in it"]),
        ({"highlight": [1.0]}, ValueError, ["highlight", "1.0"]),
        ({"highlight": "w5"}, TypeError, ["highlight must be a Value", "'w5'"]),
        ({"digits": 0}, ValueError, ["digits", ">= 1", "0"]),
        ({"digits": 18}, ValueError, ["digits", "1 to 17", "18"]),
        ({"digits": 2.5}, TypeError, ["digits", "integer", "2.5"]),
        ({"fontsize": -1}, ValueError, ["fontsize", "> 0", "-1"]),
        ({"max_nodes": "many"}, TypeError, ["max_nodes", "integer", "'many'"]),
        ({"ax": "left"}, TypeError, ["ax must be a matplotlib Axes", "str"]),
    ],
)
def test_graph_rejects_bad_input(kwargs, error, words):
    arguments = {"value": Value(1.0) * 2, "ax": new_axes(), **kwargs}
    with pytest.raises(error) as info:
        plotting.draw_graph(**arguments)
    for word in words:
        assert word in str(info.value)


# ----------------------------------------------------------------------- curves


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_activation_and_derivative_lines(name, untouched_global_state):
    ax = plotting.plot_activation(name, ax=new_axes(), z_range=(-3, 3))
    f, df = ax.get_lines()[:2]
    z = f.get_xdata()
    assert z[0] == -3 and z[-1] == 3
    expected = {
        "sigmoid": (sigmoid(z), sigmoid(z) * (1 - sigmoid(z))),
        "tanh": (np.tanh(z), 1 - np.tanh(z) ** 2),
        "relu": (np.maximum(z, 0), (z > 0).astype(float)),
        "identity": (z, np.ones_like(z)),
    }[name]
    np.testing.assert_allclose(f.get_ydata(), expected[0], atol=1e-12)
    np.testing.assert_allclose(df.get_ydata(), expected[1], atol=1e-12)
    assert [f.get_label(), df.get_label()] == ["f(z)", "f'(z)"]
    # the title: the name, then the formulas on a line of their own (narrow panels)
    name_line, formulas = ax.get_title().split("\n")
    assert name_line == name and formulas.startswith("$f(z) = ") and "$f'(z) = " in formulas


def test_activation_rejects_softmax_and_bad_range():
    with pytest.raises(ValueError, match="activation must be one of"):
        plotting.plot_activation("softmax", ax=new_axes())
    with pytest.raises(ValueError, match="z_range"):
        plotting.plot_activation("tanh", ax=new_axes(), z_range=(2, 1))


def test_loss_curve_is_the_history(untouched_global_state):
    d = datasets.xor()
    history = Network([2, 3, 1], seed=0).train(d.X, d.Y, learning_rate=1.0, iterations=50)
    ax = plotting.plot_loss_curve(history, ax=new_axes(), log=True, mark=20)
    line = ax.get_lines()[0]
    np.testing.assert_array_equal(line.get_xdata(), np.arange(51))
    np.testing.assert_array_equal(line.get_ydata(), history.loss)
    assert ax.get_yscale() == "log"
    marker = ax.get_lines()[-1]
    assert marker.get_xdata()[0] == 20 and marker.get_ydata()[0] == history.loss[20]


def diverging_history():
    d = datasets.regression_1d()
    net = Network([1, 8, 1], activation="tanh", output_activation="identity", seed=0)
    history = net.train(d.X, d.Y, learning_rate=30.0, iterations=300)
    assert history.diverged
    return history


def test_loss_curve_marks_divergence_and_never_plots_nan():
    history = diverging_history()
    for log in (False, True):
        ax = plotting.plot_loss_curve(history, ax=new_axes(), log=log)
        assert_nothing_nan(ax)
        assert f"diverged at iteration {history.diverged_at}" in all_text(ax)
        top = ax.get_lines()[0].get_ydata().max()
        assert top <= 1e4 * history.loss[0] * (1 + 1e-12)
    nan_start = np.array([np.nan])
    ax = plotting.plot_loss_curve(nan_start, ax=new_axes())
    assert_nothing_nan(ax)


def test_learning_rates_on_one_axes_clipped_and_labelled(untouched_global_state):
    d = datasets.regression_1d()
    runs = {}
    for rate in (0.01, 0.3, 30.0):
        net = Network([1, 8, 1], activation="tanh", output_activation="identity", seed=0)
        runs[rate] = net.train(d.X, d.Y, learning_rate=rate, iterations=200)
    ax = plotting.plot_learning_rates(list(runs.values()), ax=new_axes())
    assert_nothing_nan(ax)
    labels = [text.get_text() for text in ax.get_legend().get_texts()]
    assert labels[:2] == ["η = 0.01", "η = 0.3"]
    assert labels[2] == f"η = 30 (diverged at iteration {runs[30.0].diverged_at})"
    curves = [line for line in ax.get_lines() if line.get_label() in labels]
    np.testing.assert_array_equal(curves[0].get_ydata(), runs[0.01].loss)
    top = ax.get_ylim()[1]
    assert top <= 3.0 * max(h.loss[0] for h in runs.values()) * 1.5
    named = plotting.plot_learning_rates({"slow": runs[0.01]}, ax=new_axes(), log=False)
    assert named.get_legend().get_texts()[0].get_text() == "slow"
    with pytest.raises(ValueError, match="at least one run"):
        plotting.plot_learning_rates({}, ax=new_axes())
    with pytest.raises(TypeError, match="histories must be"):
        plotting.plot_learning_rates(3, ax=new_axes())


def test_descent_path_points_are_the_path(untouched_global_state):
    fn = descent.QUADRATIC
    path = fn.descend(0.1, 15)
    ax = plotting.plot_descent_path(fn, path, ax=new_axes())
    curve, points = ax.get_lines()[:2]
    np.testing.assert_allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    np.testing.assert_array_equal(points.get_xdata(), path.x)
    np.testing.assert_array_equal(points.get_ydata(), path.x**2)
    assert all_text(ax) == ""


def test_descent_path_that_diverges_is_cut_and_marked():
    fn = descent.QUADRATIC
    path = fn.descend(1.5, 100)
    assert path.diverged
    ax = plotting.plot_descent_path(fn, path, ax=new_axes())
    assert_nothing_nan(ax)
    points = ax.get_lines()[1]
    low, high = ax.get_xlim()
    assert np.all((points.get_xdata() >= low) & (points.get_xdata() <= high))
    assert "leaves the picture" in all_text(ax)
    assert f"diverged at step {path.diverged_at}" in all_text(ax)
    callable_ax = plotting.plot_descent_path(fn.f, fn.descend(0.2, 5), ax=new_axes())
    assert len(callable_ax.get_lines()) >= 2


# ---------------------------------------------------------- gradient sizes per layer


def deep_gradients(activation: str):
    X, Y = datasets.two_moons(n_samples=100, seed=0)
    net = Network(
        [2, *[16] * 8, 1],
        activation=activation,
        output_activation="sigmoid",
        loss="binary_cross_entropy",
        seed=0,
    )
    return net.gradients(X, Y)


def test_layer_norms_are_each_weight_gradients_size():
    grads = worked_net().gradients(X0, Y0)
    norms = grads.layer_norms()
    assert norms.shape == (2,)
    for layer, g in enumerate(grads.weights):
        assert norms[layer] == pytest.approx(np.sqrt(np.sum(g**2)), rel=1e-15)
        assert grads.layer_norms("mean_abs")[layer] == pytest.approx(np.mean(np.abs(g)))
    # the worked example by hand: dE/dw5..w8, then dE/dw1..w4
    w2 = [0.082167041, 0.082667628, -0.022602540, -0.022740242]
    assert norms[1] == pytest.approx(np.sqrt(np.sum(np.square(w2))), rel=1e-7)
    for bad in ("frobenius", 2, None):
        with pytest.raises(ValueError, match="measure must be 'norm' or 'mean_abs'; got"):
            grads.layer_norms(bad)


def test_deep_sigmoid_gradients_vanish_towards_the_inputs_relu_less():
    sigmoid = deep_gradients("sigmoid").layer_norms()
    relu = deep_gradients("relu").layer_norms()
    assert np.all(np.diff(sigmoid) > 0)  # smaller at every step back towards the inputs
    assert sigmoid[0] < 1e-4 * sigmoid[-1]
    assert relu[0] > 1e-2 * relu[-1]


def test_layer_gradient_plot_is_the_layer_norms(untouched_global_state):
    runs = {"sigmoid": deep_gradients("sigmoid"), "relu": deep_gradients("relu")}
    ax = plotting.plot_layer_gradients(runs, ax=new_axes())
    assert [line.get_label() for line in ax.lines] == ["sigmoid", "relu"]
    for line, grads in zip(ax.lines, runs.values()):
        np.testing.assert_array_equal(line.get_xdata(), np.arange(1, 10))
        np.testing.assert_array_equal(line.get_ydata(), grads.layer_norms())
    assert ax.get_yscale() == "log" and "W^{(l)}" in ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "relu"]
    single = plotting.plot_layer_gradients(runs["relu"], ax=new_axes(), measure="mean_abs")
    np.testing.assert_array_equal(single.lines[0].get_ydata(), runs["relu"].layer_norms("mean_abs"))
    assert single.get_legend() is None and "mean" in single.get_ylabel()
    assert_nothing_nan(single)


def test_layer_gradient_plot_leaves_out_zeros_on_a_log_axis():
    ax = plotting.plot_layer_gradients([0.0, 1e-3, 0.1], ax=new_axes())
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [2, 3])
    linear = plotting.plot_layer_gradients([0.0, 1e-3, 0.1], ax=new_axes(), log=False)
    np.testing.assert_array_equal(linear.lines[0].get_ydata(), [0.0, 1e-3, 0.1])
    assert linear.get_yscale() == "linear"
    assert_nothing_nan(ax)


@pytest.mark.parametrize(
    ("gradients", "kwargs", "error", "words"),
    [
        ("big", {}, TypeError, ["gradients must be Gradients or numbers", "'big'"]),
        (object(), {}, TypeError, ["gradients must be a Gradients", "object"]),
        ([[1.0, 2.0]], {}, ValueError, ["1-D", "(1, 2)"]),
        ([], {}, ValueError, ["non-empty", "(0,)"]),
        ([1.0, -1.0], {}, ValueError, ["finite and >= 0"]),
        ([1.0, float("nan")], {}, ValueError, ["finite and >= 0"]),
        ({}, {}, ValueError, ["at least one network", "empty dict"]),
        ([1.0], {"measure": "l2"}, ValueError, ["measure", "'norm' or 'mean_abs'", "'l2'"]),
        ([1.0], {"ax": "left"}, TypeError, ["ax must be a matplotlib Axes"]),
    ],
)
def test_layer_gradient_plot_rejects_bad_input(gradients, kwargs, error, words):
    kwargs = {"ax": new_axes(), **kwargs}
    with pytest.raises(error) as info:
        plotting.plot_layer_gradients(gradients, **kwargs)
    for word in words:
        assert word in str(info.value)


# --------------------------------------------------------------------- surfaces


def trained_moons(iterations=300):
    d = datasets.two_moons(n_samples=80)
    net = Network([2, 8, 1], activation="tanh", loss="binary_cross_entropy", seed=0)
    history = net.copy().train(
        d.X, d.Y, learning_rate=0.5, iterations=iterations, snapshot_every=20
    )
    return d, net, history


def test_decision_boundary_draws_contours_and_data(untouched_global_state):
    d, net, history = trained_moons()
    model = plotting.snapshot_network(net, history, 300)
    ax = plotting.plot_decision_boundary(model, d.X, d.Y, ax=new_axes(), resolution=40)
    contours = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert len(contours) == 2  # filled probability and the 0.5 line
    filled, boundary = contours
    assert filled.filled and list(boundary.levels) == [0.5]
    np.testing.assert_allclose(filled.levels, np.linspace(0, 1, 11))
    points = next(c for c in ax.collections if isinstance(c, PathCollection))
    np.testing.assert_array_equal(points.get_offsets(), d.X)
    colors = points.get_facecolors()
    class_one = matplotlib.colors.to_rgba(plotting.CLASS_COLORS[1])
    assert np.all(np.all(np.isclose(colors, class_one), axis=1) == (d.Y[:, 0] == 1))
    p = plotting.class_probability(model, d.X)
    np.testing.assert_allclose(p, model.forward(d.X)[:, 0])


def test_decision_boundary_needs_two_inputs():
    d = datasets.regression_1d()
    net = Network([1, 4, 1], seed=0)
    with pytest.raises(ValueError, match="needs two inputs"):
        plotting.plot_decision_boundary(net, d.X, d.Y, ax=new_axes())


def test_regression_fit_lines(untouched_global_state):
    d = datasets.regression_1d(n_samples=40)
    net = Network([1, 6, 1], activation="tanh", output_activation="identity", seed=2)
    ax = plotting.plot_regression_fit(
        net, d.X, d.Y, ax=new_axes(), target_function=d.target_function
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    grid = lines["network"].get_xdata()
    np.testing.assert_allclose(lines["network"].get_ydata(), net.forward(grid[:, None])[:, 0])
    np.testing.assert_allclose(lines["target"].get_ydata(), np.sin(np.pi * grid))
    with pytest.raises(ValueError, match="1 input"):
        plotting.plot_regression_fit(Network([2, 2, 1]), d.X, d.Y, ax=new_axes())


def test_loss_surface_values_and_path(untouched_global_state):
    d = datasets.xor()
    net = Network([2, 2, 1], activation="tanh", seed=3)
    surface = plotting.loss_surface(net, d.X, d.Y, ("W2[0,0]", "b1[1]"), resolution=5, span=2.0)
    assert surface.loss.shape == (5, 5)
    assert surface.loss[2, 2] == pytest.approx(net.loss(d.X, d.Y), rel=1e-12)
    corner = net.copy()
    corner.set_parameter("W2[0,0]", surface.u[0])
    corner.set_parameter("b1[1]", surface.v[4])
    assert surface.loss[4, 0] == pytest.approx(corner.loss(d.X, d.Y), rel=1e-12)
    history = net.copy().train(d.X, d.Y, learning_rate=1.0, iterations=100, snapshot_every=10)
    end = plotting.snapshot_network(net, history, 100)
    drawn = plotting.plot_loss_surface(
        end, d.X, d.Y, ("W2[0,0]", "b1[1]"), history=history, ax=new_axes(), resolution=15
    )
    expected = [[s.weights[1][0, 0], s.biases[0][1]] for s in history.snapshots]
    np.testing.assert_array_equal(drawn.path, expected)
    np.testing.assert_array_equal(drawn.path_line.get_xydata(), expected)
    assert isinstance(drawn.contour, ContourSet)
    assert drawn.u.min() <= drawn.path[:, 0].min() and drawn.path[:, 0].max() <= drawn.u.max()
    assert "path of 11 points" in repr(drawn)
    drawn.ax.figure.clear()  # the colorbar axes belong to that figure only


def test_loss_surface_rejects_bad_params():
    d = datasets.xor()
    net = Network([2, 2, 1], seed=0)
    with pytest.raises(TypeError, match="two parameter names"):
        plotting.loss_surface(net, d.X, d.Y, "W1[0,0]")
    with pytest.raises(ValueError, match="two different"):
        plotting.loss_surface(net, d.X, d.Y, ("W1[0,0]", "W1[0,0]"))
    with pytest.raises(ValueError, match="does not exist"):
        plotting.loss_surface(net, d.X, d.Y, ("W1[0,0]", "W1[5,0]"))


# ------------------------------------------------------------ training pictures


def test_training_view_moves_between_snapshots_without_retraining():
    d, net, history = trained_moons()
    fig = Figure()
    axes = fig.subplots(1, 2)
    view = plotting.plot_training_state(net, d.X, d.Y, history, 0, axes=axes, resolution=20)
    first = next(c for c in axes[0].collections if isinstance(c, ContourSet))
    marker = view._marker
    assert list(marker.get_xdata()) == [0]
    assert axes[0].get_title() == "iteration 0"
    view.show(250)  # between snapshots: the one at 240
    assert view.iteration == 240 and axes[0].get_title() == "iteration 240"
    assert marker.get_ydata()[0] == history.loss[240]
    assert first not in axes[0].collections
    np.testing.assert_array_equal(view.model.weights[0], history.snapshot(240).weights[0])
    loss_line = axes[1].get_lines()[0]
    np.testing.assert_array_equal(loss_line.get_ydata(), history.loss)
    assert_nothing_nan(axes[1])


def test_training_view_follows_a_regression_fit():
    d = datasets.regression_1d(n_samples=30)
    net = Network([1, 6, 1], activation="tanh", output_activation="identity", seed=0)
    history = net.copy().train(d.X, d.Y, learning_rate=0.2, iterations=100, snapshot_every=50)
    fig = Figure()
    view = plotting.plot_training_state(net, d.X, d.Y, history, 50, axes=fig.subplots(1, 2))
    fit = view._fit_line
    model = plotting.snapshot_network(net, history, 50)
    np.testing.assert_allclose(fit.get_ydata(), model.forward(fit.get_xdata()[:, None])[:, 0])


def test_training_view_is_drawn_for_the_column():
    """Without axes, a new figure no wider than the book's column (720 px at 100 dpi): a
    wider one is shrunk on a phone until its text is unreadable (the site layout test)."""
    import matplotlib.pyplot as plt

    d, net, history = trained_moons(iterations=100)
    view = plotting.plot_training_state(net, d.X, d.Y, history, 50, resolution=10)
    fig = view.model_ax.figure
    try:
        assert fig.get_size_inches()[0] <= 7.2
        assert view.loss_ax.figure is fig and fig.get_layout_engine() is not None
    finally:
        plt.close(fig)


def test_animation_is_bounded_javascript_html(untouched_global_state):
    d, net, history = trained_moons(iterations=200)
    animation = plotting.animate_training(
        net, d.X, d.Y, history, max_frames=4, dpi=30, resolution=15
    )
    assert animation.iterations == [0, 60, 140, 200]
    assert animation.n_frames == 4
    html = animation._repr_html_()
    assert "<script" in html and "Animation" in html
    assert len(re.findall(r"data:image/png;base64", html)) == 4
    # plays offline: no CDN stylesheet (matplotlib links Font Awesome), no icon font classes
    assert not re.search(r"""(?:href|src)=["']?https?://""", html)
    assert 'class="fa ' not in html and "&#9654;" in html
    with pytest.raises(ValueError, match="snapshots"):
        plotting.animate_training(net, d.X, d.Y, net.copy().train(d.X, d.Y, iterations=2))


def embedded_frames(html):
    """The frames of to_jshtml output, as PIL images."""
    from PIL import Image

    payloads = re.findall(r'data:image/png;base64,([A-Za-z0-9+/=\\\n]+)"', html)
    return [Image.open(io.BytesIO(base64.b64decode(p.replace("\\\n", "")))) for p in payloads]


def test_palette_frames_are_smaller_and_look_the_same(untouched_global_state):
    d, net, history = trained_moons(iterations=200)
    options = dict(max_frames=3, dpi=50, resolution=30)
    full = plotting.animate_training(net, d.X, d.Y, history, **options)
    reduced = plotting.animate_training(net, d.X, d.Y, history, palette=64, **options)
    assert reduced.iterations == full.iterations
    before, after = embedded_frames(full.html), embedded_frames(reduced.html)
    assert len(before) == len(after) == 3
    for original, small in zip(before, after):
        assert small.mode == "P" and small.size == original.size
        # the frame keeps its resolution (pHYs): 50 dpi, stored as whole dots per metre
        assert small.info["dpi"] == pytest.approx(original.info["dpi"], abs=0.01)
        assert small.info["dpi"] == pytest.approx((50, 50), abs=0.05)
        assert len(small.getcolors()) <= 64
        # the same picture: on average under 2 of 255 levels off in every channel
        difference = np.abs(
            np.asarray(small.convert("RGB"), dtype=float)
            - np.asarray(original.convert("RGB"), dtype=float)
        )
        assert difference.mean() < 2.0, difference.mean()
    assert len(reduced.html) < 0.5 * len(full.html)

    # the player around the frames is untouched (but for its random element ids)
    def player(html):
        return re.sub(r"[0-9a-f]{32}", "ID", re.sub(r"base64,[^\"]*", "", html))

    assert player(reduced.html) == player(full.html)
    for bad, error in (("64", TypeError), (1, ValueError), (257, ValueError)):
        with pytest.raises(error, match="palette"):
            plotting.animate_training(net, d.X, d.Y, history, palette=bad, **options)


def test_helpers_without_ax_use_one_new_pyplot_figure():
    before = set(plt.get_fignums())
    ax = plotting.plot_activation("tanh")
    try:
        assert set(plt.get_fignums()) - before == {ax.figure.number}
    finally:
        plt.close(ax.figure)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plotting.plot_activation("tanh", ax="left")
