"""A network's JSON carries the playground's input features and regularisation (chapter 5)."""

from __future__ import annotations

import json

import pytest

import backprop_lab as bl
from backprop_lab.nn.serialization import network_to_dict, network_training_settings


def test_features_and_penalties_round_trip_beside_the_network():
    net = bl.Network([3, 2, 1], seed=0)
    data = network_to_dict(
        net, input_features=["x1", "x2", "x1^2"], regularization={"l2": 0.01, "l1": 0.0}
    )
    text = json.dumps(data)
    again = bl.Network.from_json(text)
    assert again.layer_sizes == [3, 2, 1]
    assert (again.weights[0] == net.weights[0]).all()
    settings = network_training_settings(json.loads(text))
    assert settings == {"input_features": ("x1", "x2", "x1^2"), "l2": 0.01, "l1": 0.0}


def test_a_plain_networks_json_says_nothing_of_them():
    data = bl.Network([2, 1], seed=0).to_dict()
    assert "input_features" not in data and "regularization" not in data
    assert network_training_settings(data) == {"input_features": None, "l2": 0.0, "l1": 0.0}


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"input_features": ["x1"]}, "must name each of the network's 2 inputs"),
        ({"input_features": ["x1", "x1"]}, "must name each of the network's 2 inputs"),
        ({"input_features": "x1x2"}, "must name each"),
        ({"regularization": {"l2": 0.1}}, "keys 'l2' and 'l1'"),
        ({"regularization": {"l2": -1, "l1": 0}}, r"\['l2'\] must be a number >= 0"),
        ({"regularization": {"l2": 0, "l1": "big"}}, r"\['l1'\] must be a number >= 0"),
    ],
)
def test_damaged_settings_are_refused_naming_the_key(extra, words):
    data = {**bl.Network([2, 1], seed=0).to_dict(), **extra}
    with pytest.raises(ValueError, match=words):
        bl.Network.from_dict(data)
    with pytest.raises(ValueError, match=words):
        network_training_settings(data)
