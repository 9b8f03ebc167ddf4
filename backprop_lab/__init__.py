"""backprop_lab: the tested numpy package behind the backprop-lab textbook.

The package is built in layers; each imports only the layers below it (``make lint``
enforces this, ``docs/architecture.md`` explains it):

- :mod:`backprop_lab.checks`: argument and memory checks;
- :mod:`backprop_lab.nn`: activations, losses, :class:`Network`, training (numpy only);
- :mod:`backprop_lab.calc`: the chain rule step by step, gradient checks, :class:`Value`,
  1-D descent, cost measurements, data sets, convolution, pooling and recurrence forward
  and backward, gradient clipping, shared weights' gradients step by step (numpy only);
- :mod:`backprop_lab.plotting`: every figure (matplotlib, never ipywidgets);
- :mod:`backprop_lab.explorers`: the interactive explorers (ipywidgets);
- :mod:`backprop_lab.textbook`: exercises and site detection for the chapters.

The names below are loaded on first use, so ``import backprop_lab`` stays quick and loads
neither matplotlib nor ipywidgets until a figure or an explorer is asked for.
"""

from __future__ import annotations

import importlib
import sys
from importlib import metadata as _metadata
from typing import Any

# name -> the module that defines it (loaded on first access, PEP 562).
_NAMES = {
    "ACTIVATIONS": "nn.activations",
    "Activation": "nn.activations",
    "get_activation": "nn.activations",
    "LOSSES": "nn.losses",
    "Loss": "nn.losses",
    "get_loss": "nn.losses",
    "Network": "nn.network",
    "ParameterRef": "nn.parameters",
    "parameter_names": "nn.parameters",
    "parse_parameter": "nn.parameters",
    "BackwardTrace": "nn.traces",
    "ForwardTrace": "nn.traces",
    "Gradients": "nn.traces",
    "Snapshot": "nn.history",
    "TrainingHistory": "nn.history",
    "train": "nn.training",
    "Value": "calc.autodiff",
    "ChainRule": "calc.chain_rule",
    "chain_rule": "calc.chain_rule",
    "GradientCheck": "calc.gradcheck",
    "check_gradients": "calc.gradcheck",
    "conv1d_run": "calc.convolution",
    "convolution_matrix": "calc.convolution",
    "conv1d": "calc.convolution",
    "conv1d_backward": "calc.convolution",
    "conv2d": "calc.convolution",
    "conv2d_backward": "calc.convolution",
    "max_pool1d": "calc.pooling",
    "max_pool1d_backward": "calc.pooling",
    "recurrent_unroll": "calc.recurrence",
    "rnn_forward": "calc.recurrence",
    "rnn_backward": "calc.recurrence",
    "RNNGradients": "calc.recurrence",
    "clip_gradients": "calc.clipping",
    "ClippedGradients": "calc.clipping",
    "SharedWeightGradient": "calc.shared_weights",
    "conv1d_chain_rule": "calc.shared_weights",
    "rnn_chain_rule": "calc.shared_weights",
    "bump_network": "calc.universal",
    "bump_contributions": "calc.universal",
    "CodeExercise": "textbook.exercises",
    "Exercise": "textbook.exercises",
    "Feedback": "textbook.exercises",
    "BackpropStepper": "explorers",
    "ForwardStepper": "explorers",
    "GradientDescentExplorer": "explorers",
    "GradientSizeExplorer": "explorers",
    "MiniBatchExplorer": "explorers",
    "MomentumExplorer": "explorers",
    "NeuronExplorer": "explorers",
    "OverfittingExplorer": "explorers",
    "StoppingExplorer": "explorers",
    "TrainingExplorer": "explorers",
    "ConvolutionKernelExplorer": "explorers",
    "GradientThroughTimeExplorer": "explorers",
}

# attribute -> the module it names (``bl.datasets`` is backprop_lab.calc.datasets).
_MODULES = {
    "checks": "checks",
    "nn": "nn",
    "calc": "calc",
    "plotting": "plotting",
    "explorers": "explorers",
    "textbook": "textbook",
    "activations": "nn.activations",
    "losses": "nn.losses",
    "autodiff": "calc.autodiff",
    "datasets": "calc.datasets",
    "descent": "calc.descent",
    "efficiency": "calc.efficiency",
    "gradcheck": "calc.gradcheck",
}

# The version is written once, in pyproject.toml; the installed metadata carries it here.
try:
    __version__ = _metadata.version("backprop_lab")
except _metadata.PackageNotFoundError:  # imported from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = sorted([*_NAMES, *_MODULES])


def _in_a_kernel() -> bool:
    return "ipykernel" in sys.modules


def __getattr__(name: str) -> Any:
    if _in_a_kernel() and "backprop_lab.textbook.progress" not in sys.modules:
        importlib.import_module(f"{__name__}.textbook.progress")  # the notebook's progress bar
    if name in _MODULES:
        value = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    elif name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_NAMES, *_MODULES])
