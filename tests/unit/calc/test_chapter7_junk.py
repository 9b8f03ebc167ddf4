"""Chapter 7's public functions with junk in each argument (as tests/test_careless_reader.py
does for the rest of the package): only a ValueError or TypeError in the package's words, no
warning, and quickly."""

import warnings

import numpy as np
import pytest
from junk import JUNK as CARELESS
from junk import RAW

import backprop_lab as bl

JUNK = {**CARELESS, "huge array": np.full(3, 1e200)}

X5, K2, G4 = [1.0, 2.0, 0.0, -1.0, 3.0], [2.0, -1.0], [1.0, 0.0, -1.0, 2.0]
IMAGE, KERNEL2D, G2D = np.arange(16.0).reshape(4, 4), np.eye(2), np.ones((3, 3))
RNN = {"xs": [1.0, 0.0, 0.0], "W_x": 0.8, "W_h": 0.5, "b": 0.0}

FUNCTIONS = {
    "conv1d": (bl.conv1d, {"x": X5, "kernel": K2, "bias": 0.5}),
    "conv1d_backward": (bl.conv1d_backward, {"x": X5, "kernel": K2, "grad_out": G4}),
    "conv2d": (bl.conv2d, {"x": IMAGE, "kernel": KERNEL2D, "bias": 0.5}),
    "conv2d_backward": (bl.conv2d_backward, {"x": IMAGE, "kernel": KERNEL2D, "grad_out": G2D}),
    "max_pool1d": (bl.max_pool1d, {"x": X5, "size": 2, "stride": 1}),
    "max_pool1d_backward": (
        bl.max_pool1d_backward, {"x": X5, "size": 2, "grad_out": G4, "stride": 1}
    ),
    "rnn_forward": (bl.rnn_forward, dict(RNN, h0=0.1)),
    "rnn_backward": (bl.rnn_backward, dict(RNN, grad_hs=[0.0, 0.0, 1.0], h0=0.1)),
    "clip_gradients": (bl.clip_gradients, {"gradients": [[3.0], [4.0]], "max_norm": 1.0}),
    "conv1d_chain_rule": (bl.conv1d_chain_rule, {"x": X5, "kernel": K2, "grad_out": G4, "m": 1}),
    "rnn_chain_rule": (
        bl.rnn_chain_rule, dict(RNN, grad_hs=[0.0, 0.0, 1.0], param="W_h[0,0]", h0=0.1)
    ),
}  # fmt: skip

PAIRS = [(name, argument) for name, (_, good) in FUNCTIONS.items() for argument in good]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_good_arguments_work(name):
    function, good = FUNCTIONS[name]
    function(**good)


@pytest.mark.parametrize(("name", "argument"), PAIRS, ids=[f"{n}-{a}" for n, a in PAIRS])
def test_junk_gives_only_value_or_type_errors(name, argument):
    function, good = FUNCTIONS[name]
    problems = []
    for junk_name, junk in JUNK.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                function(**dict(good, **{argument: junk}))
        except (ValueError, TypeError) as error:
            message = str(error)
            if not message or any(word in message for word in RAW):
                problems.append(f"{junk_name}: raw message {message!r}")
        except Exception as error:
            problems.append(f"{junk_name}: {type(error).__name__}: {error}")
    assert not problems, f"{name}({argument}=...): " + "; ".join(problems)
