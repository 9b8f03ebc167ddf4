"""Three classes and more: softmax networks, coloured regions, the training explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

import backprop_lab as bl
from backprop_lab.plotting.figures import MULTICLASS_COLORS
from backprop_lab.plotting.surfaces import class_probabilities, draw_classes


def three_class_network() -> bl.Network:
    """Class 0 on the left, 1 on the right, 2 at the top: linear scores, softmax."""
    weights = [np.array([[-4.0, 4.0, 0.0], [0.0, 0.0, 6.0]])]
    return bl.Network.from_weights(
        weights, [np.array([0.0, 0.0, -2.0])], output_activation="softmax", loss="cross_entropy"
    )


def test_class_probabilities_are_the_softmax_rows():
    net = three_class_network()
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    p = class_probabilities(net, X)
    np.testing.assert_allclose(p, net.forward(X), rtol=1e-12)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert list(np.argmax(p, axis=1)) == [0, 1, 2]


def test_regions_take_the_colour_of_the_most_probable_class():
    net = three_class_network()
    X = np.array([[-1.0, -1.0], [1.0, -1.0], [0.0, 1.5]])
    Y = np.eye(3)
    fig, ax = plt.subplots()
    bl.plotting.plot_decision_boundary(net, X, Y, ax=ax, resolution=60, padding=0.5)
    (image,) = ax.images
    rgb = np.asarray(image.get_array())
    (x0, x1, y0, y1) = image.get_extent()
    for (x, y), k in zip(X, range(3)):
        col = round((x - x0) / (x1 - x0) * (rgb.shape[1] - 1))
        row = round((y - y0) / (y1 - y0) * (rgb.shape[0] - 1))
        pixel = rgb[row, col]
        # a blend of white and the class colour: closest to its own class's colour
        colours = [np.asarray(to_rgb(c)) for c in MULTICLASS_COLORS[:3]]
        direction = 1.0 - pixel
        scores = [np.dot(direction, 1.0 - c) / np.linalg.norm(1.0 - c) for c in colours]
        assert int(np.argmax(scores)) == k
    boundaries = [c for c in ax.collections if hasattr(c, "levels")]
    assert len(boundaries) == 3  # one outline per region
    points = ax.collections[-1].get_facecolors()[:, :3]
    np.testing.assert_allclose(points, [to_rgb(c) for c in MULTICLASS_COLORS[:3]])
    plt.close(fig)


def test_too_many_classes_to_colour_are_refused():
    fig, ax = plt.subplots()
    grid = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
    with pytest.raises(ValueError, match="at most 8 classes"):
        draw_classes(ax, *grid, np.full((3, 3, 9), 1 / 9))
    plt.close(fig)


def test_three_spirals_train_a_softmax_network_in_the_explorer():
    explorer = bl.TrainingExplorer(
        dataset="three_spirals", hidden_layers=(8, 8), learning_rate=0.2, max_iterations=300,
        iterations=300,
    )  # fmt: skip
    net = explorer.network
    assert net.layer_sizes == [2, 8, 8, 3]
    assert (net.output_activation, net.loss_name) == ("softmax", "cross_entropy")
    train, _ = explorer.data()
    assert train.Y.shape == (100, 3) and train.name == "three_spirals"
    accuracy = net.accuracy(train.X, train.Y)
    assert f"accuracy {accuracy:.1%} (training)" in explorer.status
    assert accuracy > 0.45  # above the 1/3 of guessing, after 300 iterations
