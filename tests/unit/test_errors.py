"""Every bad input named in DESIGN.md gives a ValueError or TypeError whose message names
the argument and what was given (and, where there is room, what was expected)."""

import numpy as np
import pytest

import backprop_lab as bl

X = np.zeros((4, 2))
Y = np.zeros((4, 1))


def net():
    return bl.Network([2, 3, 1], seed=0)


# (id, call, error type, words the message must contain)
CASES = [
    # ---- wrong shapes
    ("X wrong width", lambda: net().forward(np.zeros((4, 3))), ValueError,
     ["X", "(n_samples, 2)", "(4, 3)"]),
    ("X three-dimensional", lambda: net().forward(np.zeros((4, 2, 1))), ValueError,
     ["X", "(4, 2, 1)"]),
    ("X with no samples", lambda: net().loss(np.zeros((0, 2)), np.zeros((0, 1))), ValueError,
     ["X", "(0, 2)"]),
    ("one sample of the wrong length", lambda: net().forward([1.0, 2.0, 3.0]), ValueError,
     ["X", "(2,)", "(3,)"]),
    ("Y wrong width", lambda: net().loss(X, np.zeros((4, 2))), ValueError,
     ["Y", "(4, 1)", "(4, 2)"]),
    ("Y wrong length", lambda: net().train(X, np.zeros((3, 1))), ValueError,
     ["Y", "(4, 1)", "(3, 1)"]),
    ("ragged X", lambda: net().forward([[1.0, 2.0], [3.0]]), ValueError,
     ["X", "rectangular", "ragged"]),
    ("X of strings", lambda: net().forward("ab"), TypeError, ["X", "numbers", "'ab'"]),
    ("X with None", lambda: net().forward([[1.0, None]]), TypeError, ["X", "real numbers",
                                                                     "object"]),
    ("weights of the wrong shape", lambda: bl.Network.from_weights(
        [np.zeros((2, 3)), np.zeros((2, 1))], [np.zeros(3), np.zeros(1)]), ValueError,
     ["weights[1]", "3 rows", "(2, 1)"]),
    ("biases of the wrong shape", lambda: bl.Network.from_weights(
        [np.zeros((2, 3))], [np.zeros(2)]), ValueError, ["biases[0]", "(3,)", "(2,)"]),
    ("one bias list too few", lambda: bl.Network.from_weights([np.zeros((2, 3))], []),
     ValueError, ["biases", "one entry per weight layer", "got 0"]),
    ("weights as one array", lambda: bl.Network.from_weights(np.zeros((2, 2)), [np.zeros(2)]),
     TypeError, ["weights", "list", "shape (2, 2)"]),
    ("set_parameters for another architecture", lambda: net().set_parameters(
        [np.zeros((2, 4)), np.zeros((4, 1))], [np.zeros(4), np.zeros(1)]), ValueError,
     ["weights", "[2, 3, 1]", "[2, 4, 1]"]),
    # ---- NaN or inf
    ("NaN in X", lambda: net().forward([[1.0, np.nan]]), ValueError,
     ["X", "finite", "nan", "(0, 1)"]),
    ("inf in Y", lambda: net().train(X, np.full((4, 1), np.inf)), ValueError,
     ["Y", "finite", "inf", "(0, 0)"]),
    ("-inf in a weight", lambda: bl.Network.from_weights([[[-np.inf]]], [[0.0]]), ValueError,
     ["weights[0]", "finite", "-inf"]),
    ("NaN parameter value", lambda: net().set_parameter("W1[0,0]", float("nan")), ValueError,
     ["value", "finite", "nan"]),
    ("NaN learning rate", lambda: net().train(X, Y, learning_rate=float("nan")), ValueError,
     ["learning_rate", "> 0", "nan"]),
    # ---- unknown names
    ("unknown activation", lambda: bl.Network([2, 1], activation="sigmod"), ValueError,
     ["activation", "'sigmoid'", "'sigmod'"]),
    ("softmax as a hidden activation", lambda: bl.Network([2, 2, 1], activation="softmax"),
     ValueError, ["activation", "'tanh'", "'softmax'"]),
    ("unknown output activation", lambda: bl.Network([2, 1], output_activation="relu6"),
     ValueError, ["output_activation", "'softmax'", "'relu6'"]),
    ("unknown loss", lambda: bl.Network([2, 1], loss="hinge"), ValueError,
     ["loss", "'squared_error'", "'hinge'"]),
    ("loss that is not a string", lambda: bl.Network([2, 1], loss=None), TypeError,
     ["loss", "string", "None"]),
    ("unknown init", lambda: bl.Network([2, 1], init="xavier"), ValueError,
     ["init", "'glorot'", "'xavier'"]),
    # ---- invalid loss/output pairs
    ("binary cross-entropy with softmax", lambda: bl.Network(
        [2, 2], output_activation="softmax", loss="binary_cross_entropy"), ValueError,
     ["binary_cross_entropy", "output_activation='sigmoid'", "'softmax'"]),
    ("cross-entropy with sigmoid", lambda: bl.Network(
        [2, 2], output_activation="sigmoid", loss="cross_entropy"), ValueError,
     ["cross_entropy", "output_activation='softmax'", "'sigmoid'"]),
    ("binary cross-entropy targets outside [0, 1]", lambda: bl.Network(
        [2, 1], loss="binary_cross_entropy").loss(X, np.full((4, 1), 2.0)), ValueError,
     ["Y", "[0, 1]", "2"]),
    ("negative cross-entropy targets", lambda: bl.Network(
        [2, 2], output_activation="softmax", loss="cross_entropy").loss(X, -np.ones((4, 2))),
     ValueError, ["Y", "non-negative", "-1"]),
    # ---- learning rate
    ("zero learning rate", lambda: net().train(X, Y, learning_rate=0), ValueError,
     ["learning_rate", "> 0", "0.0"]),
    ("negative learning rate", lambda: net().train(X, Y, learning_rate=-0.5), ValueError,
     ["learning_rate", "> 0", "-0.5"]),
    ("learning rate as text", lambda: net().train(X, Y, learning_rate="0.1"), TypeError,
     ["learning_rate", "number", "'0.1'"]),
    # ---- iterations
    ("negative iterations", lambda: net().train(X, Y, iterations=-1), ValueError,
     ["iterations", ">= 0", "-1"]),
    ("fractional iterations", lambda: net().train(X, Y, iterations=2.5), TypeError,
     ["iterations", "integer", "2.5"]),
    ("iterations as a bool", lambda: net().train(X, Y, iterations=True), TypeError,
     ["iterations", "integer", "True"]),
    ("batch size zero", lambda: net().train(X, Y, batch_size=0), ValueError,
     ["batch_size", ">= 1", "0"]),
    ("snapshot_every zero", lambda: net().train(X, Y, snapshot_every=0), ValueError,
     ["snapshot_every", ">= 1", "0"]),
    ("update_biases as text", lambda: net().train(X, Y, update_biases="no"), TypeError,
     ["update_biases", "True or False", "'no'"]),
    # ---- layer sizes
    ("one layer", lambda: bl.Network([2]), ValueError, ["layer_sizes", "at least two", "[2]"]),
    ("no layers", lambda: bl.Network([]), ValueError, ["layer_sizes", "at least two", "[]"]),
    ("a layer of zero neurons", lambda: bl.Network([2, 0, 1]), ValueError,
     ["layer_sizes", "positive integers", "layer_sizes[1] is 0"]),
    ("a fractional layer size", lambda: bl.Network([2, 2.5, 1]), ValueError,
     ["layer_sizes", "positive integers", "2.5"]),
    ("layer sizes as text", lambda: bl.Network("2,2,1"), TypeError,
     ["layer_sizes", "list", "'2,2,1'"]),
    ("layer sizes as a number", lambda: bl.Network(3), TypeError, ["layer_sizes", "list", "3"]),
    # ---- dtype
    ("integer dtype", lambda: bl.Network([2, 1], dtype=np.int32), TypeError,
     ["dtype", "np.float64 or np.float32", "int32"]),
    ("half precision", lambda: bl.Network([2, 1], dtype="float16"), TypeError,
     ["dtype", "np.float32", "'float16'"]),
    ("nonsense dtype", lambda: bl.Network([2, 1], dtype="banana"), TypeError,
     ["dtype", "'banana'"]),
    ("astype to int", lambda: net().astype("int8"), TypeError, ["dtype", "'int8'"]),
    # ---- seed
    ("negative seed", lambda: bl.Network([2, 1], seed=-1), ValueError, ["seed", ">= 0", "-1"]),
    ("fractional seed", lambda: bl.Network([2, 1], seed=1.5), TypeError,
     ["seed", "integer", "1.5"]),
    ("seed None", lambda: bl.Network([2, 1], seed=None), TypeError, ["seed", "integer", "None"]),
    ("negative training seed", lambda: net().train(X, Y, batch_size=2, seed=-2), ValueError,
     ["seed", ">= 0", "-2"]),
    # ---- parameter names
    ("a layer that does not exist", lambda: net().parameter("W3[0,0]"), ValueError,
     ["'W3[0,0]'", "layer 3", "1 to 2"]),
    ("layer zero", lambda: net().parameter("W0[0,0]"), ValueError, ["'W0[0,0]'", "1 to 2"]),
    ("a row that does not exist", lambda: net().parameter("W1[5,0]"), ValueError,
     ["'W1[5,0]'", "(2, 3)", "0 to 1"]),
    ("a bias that does not exist", lambda: net().set_parameter("b1[9]", 1.0), ValueError,
     ["'b1[9]'", "3 entries", "0 to 2"]),
    ("a malformed name", lambda: net().parameter("w5"), ValueError,
     ["param", "W<layer>[i,j]", "'w5'"]),
    ("a bias written with two indices", lambda: net().parameter("b1[0,0]"), ValueError,
     ["param", "b<layer>[j]", "'b1[0,0]'"]),
    ("a name that is not a string", lambda: net().parameter(5), TypeError,
     ["param", "string", "5"]),
    ("a gradient that does not exist", lambda: net().gradients(X, Y)["W1[7,7]"], ValueError,
     ["'W1[7,7]'", "(2, 3)"]),
    # ---- saved networks
    ("text that is not JSON", lambda: bl.Network.from_json("{not json"), ValueError,
     ["text", "JSON", "Network.to_json"]),
    ("JSON that is not a network", lambda: bl.Network.from_json("[1, 2]"), ValueError,
     ["data", "Network.to_dict", "list"]),
    ("history without snapshots", lambda: net().train(X, Y, iterations=1).snapshot(0),
     ValueError, ["snapshots", "snapshot_every"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "call", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_in_the_message(case, call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{case}: {word!r} not in {message!r}"
    # one clear sentence from the package, not numpy's own complaint
    assert info.value.__cause__ is None or info.value.__suppress_context__
    assert "Traceback" not in message


def test_errors_are_value_or_type_errors_only():
    assert all(error in (ValueError, TypeError) for _, _, error, _ in CASES)
