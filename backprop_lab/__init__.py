"""backprop_lab: the tested numpy package behind the backprop-lab textbook.

Everything a chapter computes, plots or lets the reader move lives here:

- :class:`Network` (forward, backward, train), in :mod:`backprop_lab.network`;
- activations and losses with their derivatives;
- :func:`chain_rule`, a step-by-step derivative calculator;
- :func:`check_gradients`, analytic against finite-difference gradients;
- :class:`Value`, scalar automatic differentiation on a computational graph;
- data sets, plots and interactive explorers.
"""

from importlib import metadata as _metadata

from backprop_lab import datasets, descent, efficiency, illustrations, plotting, widgets
from backprop_lab.activations import ACTIVATIONS, Activation, get_activation
from backprop_lab.autodiff import Value
from backprop_lab.chain_rule import ChainRule, chain_rule
from backprop_lab.exercises import CodeExercise, Exercise, Feedback
from backprop_lab.gradcheck import GradientCheck, check_gradients
from backprop_lab.losses import LOSSES, Loss, get_loss
from backprop_lab.network import Network
from backprop_lab.parameters import ParameterRef, parameter_names, parse_parameter
from backprop_lab.traces import BackwardTrace, ForwardTrace, Gradients
from backprop_lab.training import Snapshot, TrainingHistory, train
from backprop_lab.widgets import (
    BackpropStepper,
    ForwardStepper,
    GradientDescentExplorer,
    NeuronExplorer,
    TrainingExplorer,
)

# The version is written once, in pyproject.toml; the installed metadata carries it here.
try:
    __version__ = _metadata.version("backprop_lab")
except _metadata.PackageNotFoundError:  # imported from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Activation",
    "BackpropStepper",
    "BackwardTrace",
    "ChainRule",
    "CodeExercise",
    "Exercise",
    "Feedback",
    "ForwardStepper",
    "ForwardTrace",
    "GradientCheck",
    "GradientDescentExplorer",
    "Gradients",
    "Loss",
    "Network",
    "NeuronExplorer",
    "ParameterRef",
    "Snapshot",
    "TrainingExplorer",
    "TrainingHistory",
    "Value",
    "chain_rule",
    "check_gradients",
    "datasets",
    "descent",
    "efficiency",
    "get_activation",
    "get_loss",
    "illustrations",
    "parameter_names",
    "parse_parameter",
    "plotting",
    "train",
    "widgets",
]
