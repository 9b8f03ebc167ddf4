"""The explorers: ipywidgets a reader moves to watch a network compute and learn (top layer).

======================================  ==========================================  =========
explorer                                what the reader moves                       chapter
======================================  ==========================================  =========
:class:`NeuronExplorer`                 one neuron's weights, bias, activation      1
:class:`ForwardStepper`                 a forward pass, layer by layer              2
:class:`BackpropStepper`                the chain rule for one parameter, factor    3
                                        by factor
:class:`GradientDescentExplorer`        learning rate, steps, start, function       4
:class:`TrainingExplorer`               the playground: data set, noise, split,     4-6
                                        layers, inputs, activation, learning
                                        rate, batch size, momentum, L1/L2,
                                        iterations, seed, play, step, reset
:class:`OverfittingExplorer`            hidden units, iterations (training vs       6
                                        validation loss, the fit)
:class:`GradientSizeExplorer`           hidden activation, weight scale, depth      6
:class:`MiniBatchExplorer`              batch size, learning rate                   6
:class:`MomentumExplorer`               momentum, learning rate, steps              6
:class:`StoppingExplorer`               tolerance, patience                         6
:class:`ConvolutionKernelExplorer`      a kernel's 2 or 3 taps (outputs, dE/dw,     7
                                        dE/dx)
:class:`GradientThroughTimeExplorer`    W_h, sequence length, clipping on or        7
                                        off, its threshold
======================================  ==========================================  =========

Every explorer is a :class:`~backprop_lab.explorers.live.LiveExplorer`: its picture is
computed and drawn in the reader's browser by the JavaScript engine (``js/``), in
JupyterLab, on Binder and on the static website alike; its controls (``controls``, a dict
keyed by parameter name) are ipywidgets linked to the picture in the page; its ``status``
is the line under the picture, which the page writes word for word as Python computes it.
Python checks what Python code sets, and nothing a reader does raises: problems are said
in words in the status line.
"""

from backprop_lab.explorers.descent import GradientDescentExplorer
from backprop_lab.explorers.gradient_size import GradientSizeExplorer
from backprop_lab.explorers.kernel import ConvolutionKernelExplorer
from backprop_lab.explorers.minibatch import MiniBatchExplorer
from backprop_lab.explorers.momentum import MomentumExplorer, elongated_quadratic, linear_neuron
from backprop_lab.explorers.neuron import NeuronExplorer
from backprop_lab.explorers.overfitting import OverfittingExplorer, noise_floor
from backprop_lab.explorers.steppers import BackpropStepper, ForwardStepper
from backprop_lab.explorers.stopping import StoppingExplorer
from backprop_lab.explorers.through_time import GradientThroughTimeExplorer
from backprop_lab.explorers.training import TrainingExplorer, parse_hidden_layers

__all__ = [
    "BackpropStepper",
    "ConvolutionKernelExplorer",
    "ForwardStepper",
    "GradientDescentExplorer",
    "GradientSizeExplorer",
    "GradientThroughTimeExplorer",
    "MiniBatchExplorer",
    "MomentumExplorer",
    "NeuronExplorer",
    "OverfittingExplorer",
    "StoppingExplorer",
    "TrainingExplorer",
    "elongated_quadratic",
    "linear_neuron",
    "noise_floor",
    "parse_hidden_layers",
]
