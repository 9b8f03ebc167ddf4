"""Every figure of the book, in one place (chapters 1 to 5).

All helpers take ``ax=`` (or make a new figure), return what they drew, and never change
matplotlib's global state. They live in modules by idea and are gathered here:

==============================  ==========================================  =====================
function                        draws                                       module
==============================  ==========================================  =====================
:func:`draw_network`            neurons, weighted edges, forward/backward   :mod:`.diagram`
                                numbers, a chain-rule path
:func:`draw_graph`              a computational graph of Values, with       :mod:`.graph_drawing`
                                every data and grad
:func:`plot_activation`         an activation and its derivative            :mod:`.curves`
:func:`plot_loss_curve`         loss over iterations, divergence marked     :mod:`.curves`
:func:`plot_learning_rates`     several runs on one axes, clipped           :mod:`.curves`
:func:`plot_descent_path`       1-D gradient descent on a function          :mod:`.curves`
:func:`plot_layer_gradients`    each layer's gradient size (vanishing)      :mod:`.curves`
:func:`plot_decision_boundary`  a 2-D classifier's output and its data      :mod:`.surfaces`
:func:`plot_regression_fit`     a 1-D fit, its data and target              :mod:`.surfaces`
:func:`plot_loss_surface`       loss over two weights, with a descent path  :mod:`.surfaces`
:func:`plot_training_state`     model and loss curve at one iteration       :mod:`.animation`
:func:`animate_training`        frames over iterations as JavaScript HTML   :mod:`.animation`
==============================  ==========================================  =====================
"""

from backprop_lab.plotting.animation import (
    TrainingAnimation,
    animate_training,
    plot_training_state,
    snapshot_network,
)
from backprop_lab.plotting.architectures import draw_convolution, draw_feedforward, draw_recurrent
from backprop_lab.plotting.costs import plot_gradient_cost, plot_timings
from backprop_lab.plotting.curves import (
    plot_activation,
    plot_descent_path,
    plot_layer_gradients,
    plot_learning_rates,
    plot_loss_curve,
)
from backprop_lab.plotting.diagram import NetworkDiagram, chain_rule_path, draw_network
from backprop_lab.plotting.figures import CLASS_COLORS, png_bytes
from backprop_lab.plotting.graph_drawing import GraphDrawing, draw_graph
from backprop_lab.plotting.matrix_product import draw_matrix_product
from backprop_lab.plotting.neuron import (
    PlaneDrawing,
    draw_neuron,
    plot_neuron_responses,
    plot_output_plane,
)
from backprop_lab.plotting.surfaces import (
    LossSurface,
    class_probability,
    loss_surface,
    plot_decision_boundary,
    plot_loss_surface,
    plot_regression_fit,
)
from backprop_lab.plotting.universal import BumpDrawing, plot_bumps

__all__ = [
    "CLASS_COLORS",
    "BumpDrawing",
    "GraphDrawing",
    "LossSurface",
    "NetworkDiagram",
    "PlaneDrawing",
    "TrainingAnimation",
    "animate_training",
    "chain_rule_path",
    "class_probability",
    "draw_convolution",
    "draw_feedforward",
    "draw_graph",
    "draw_matrix_product",
    "draw_network",
    "draw_neuron",
    "draw_recurrent",
    "loss_surface",
    "plot_activation",
    "plot_bumps",
    "plot_decision_boundary",
    "plot_descent_path",
    "plot_gradient_cost",
    "plot_layer_gradients",
    "plot_learning_rates",
    "plot_loss_curve",
    "plot_loss_surface",
    "plot_neuron_responses",
    "plot_output_plane",
    "plot_regression_fit",
    "plot_timings",
    "plot_training_state",
    "png_bytes",
    "snapshot_network",
]
