"""Explorers and helpers of chapter 6, "Making it learn well".

==================================  ===========================================  =========
explorer                            what the reader moves                        section
==================================  ===========================================  =========
:class:`OverfittingExplorer`        hidden units, iterations (training vs        6.1
                                    validation loss, the fit)
:class:`GradientSizeExplorer`       hidden activation, weight scale, depth       6.2
                                    (per-layer gradient sizes)
:class:`MiniBatchExplorer`          batch size, learning rate (loss per update   6.3
                                    and per epoch)
:class:`MomentumExplorer`           momentum, learning rate, steps (paths on an  6.4
                                    elongated quadratic)
:class:`StoppingExplorer`           tolerance, patience (where each stopping     6.6
                                    rule ends a run)
==================================  ===========================================  =========

Every explorer follows :class:`backprop_lab.explorer.Explorer`: controls in ``controls``,
a figure redrawn in place, a status line that says what the picture shows, and
:meth:`~backprop_lab.explorer.Explorer.static_axes` naming the controls the website
precomputes. The training itself is :meth:`backprop_lab.network.Network.train`, called with
the explorer's settings; nothing here re-implements it.

This module gathers them in one namespace (``bl.learning_explorers``); each lives in the
module of its idea: :mod:`~backprop_lab.overfitting_explorer` (with :func:`noise_floor`),
:mod:`~backprop_lab.gradient_size_explorer`, :mod:`~backprop_lab.minibatch_explorer`,
:mod:`~backprop_lab.momentum_explorer` (with :func:`elongated_quadratic` and
:func:`linear_neuron`) and :mod:`~backprop_lab.stopping_explorer`.
"""

from backprop_lab.gradient_size_explorer import GradientSizeExplorer
from backprop_lab.minibatch_explorer import MiniBatchExplorer
from backprop_lab.momentum_explorer import MomentumExplorer, elongated_quadratic, linear_neuron
from backprop_lab.overfitting_explorer import OverfittingExplorer, noise_floor
from backprop_lab.stopping_explorer import StoppingExplorer

__all__ = [
    "GradientSizeExplorer",
    "MiniBatchExplorer",
    "MomentumExplorer",
    "OverfittingExplorer",
    "StoppingExplorer",
    "elongated_quadratic",
    "linear_neuron",
    "noise_floor",
]
