"""Issue 11, "Clear errors, everywhere": one case per bad input, each checking that the
message names the argument and the value given (and, where there is room, what was
expected). Nothing here is allowed to reach numpy, json or the file system's own words.

The memory budget (``validation.MEMORY_LIMIT``, 1 GiB, or half the available memory) and
the overflow rule (forward, loss and gradients refuse to return inf for finite inputs) are
tested here too; ``test_careless_reader.py`` sweeps the same functions with junk. Every case
is a ValueError or a TypeError.
"""

import json
import tracemalloc
import warnings

import matplotlib
import numpy as np
import pytest

import backprop_lab as bl
from backprop_lab.calc import efficiency
from backprop_lab.checks import arguments as validation
from backprop_lab.plotting import animation, curves, diagram, surfaces

matplotlib.use("Agg")
import matplotlib.pyplot as plt

X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
Y = np.array([[1.0], [1.0], [0.0], [0.0]])
X1 = np.linspace(-1.0, 1.0, 5)[:, None]


def net(**kw):
    return bl.Network([2, 3, 1], seed=0, **kw)


def relu_net(dtype=np.float64):
    return bl.Network([2, 3, 1], activation="relu", output_activation="identity", dtype=dtype)


def history():
    return net().train(X, Y, iterations=4, snapshot_every=1)


def ax():
    return plt.figure().add_subplot()


def saved(tmp_path, text, binary=False):
    path = tmp_path / "net.json"
    (path.write_bytes if binary else path.write_text)(text)
    return path


def without(key):
    data = net().to_dict()
    del data[key]
    return json.dumps(data)


def edited(**changes):
    return json.dumps({**net().to_dict(), **changes})


# (id, call, error type, words the message must contain: the argument and the value given)
CASES = [
    # ---- saved networks: from_json, from_dict, save, load
    ("from_json without 'loss'", lambda t: bl.Network.from_json(without("loss")), ValueError,
     ["data", "'loss'", "missing"]),
    ("from_json without 'weights'", lambda t: bl.Network.from_json(without("weights")),
     ValueError, ["data", "'weights'", "missing"]),
    ("from_json without 'layer_sizes'", lambda t: bl.Network.from_json(without("layer_sizes")),
     ValueError, ["data", "'layer_sizes'", "missing"]),
    ("layer_sizes contradicting the weights",
     lambda t: bl.Network.from_json(edited(layer_sizes=[2, 4, 1])), ValueError,
     ["layer_sizes", "[2, 3, 1]", "[2, 4, 1]"]),
    ("layer_sizes in JSON that are not sizes",
     lambda t: bl.Network.from_json(edited(layer_sizes="2-3-1")), TypeError,
     ["layer_sizes", "'2-3-1'"]),
    ("an unknown activation in JSON", lambda t: bl.Network.from_json(edited(activation="elu")),
     ValueError, ["activation", "'elu'"]),
    ("a dtype in JSON that is not one", lambda t: bl.Network.from_json(edited(dtype="int8")),
     TypeError, ["dtype", "'int8'"]),
    ("weights in JSON as text", lambda t: bl.Network.from_json(edited(weights="none")),
     TypeError, ["weights", "'none'"]),
    ("from_json(None)", lambda t: bl.Network.from_json(None), TypeError, ["text", "None"]),
    ("from_json of a number", lambda t: bl.Network.from_json(3), TypeError, ["text", "3"]),
    ("from_json of JSON null", lambda t: bl.Network.from_json("null"), ValueError,
     ["data", "NoneType"]),
    ("from_json of truncated JSON", lambda t: bl.Network.from_json(net().to_json()[:30]),
     ValueError, ["text", "not JSON"]),
    ("from_dict of a list", lambda t: bl.Network.from_dict([1]), ValueError,
     ["data", "list"]),
    ("load(None)", lambda t: bl.Network.load(None), TypeError, ["path", "None"]),
    ("load(3)", lambda t: bl.Network.load(3), TypeError, ["path", "3"]),
    ("load('')", lambda t: bl.Network.load(""), ValueError, ["path", "''"]),
    ("load of a folder", lambda t: bl.Network.load(t), ValueError,
     ["path", "folder", "test_bad_input"]),
    ("load of a missing file", lambda t: bl.Network.load(t / "nope.json"), ValueError,
     ["path", "nope.json", "does not exist"]),
    ("load of a binary file", lambda t: bl.Network.load(saved(t, b"\x89PNG\xff\x00", True)),
     ValueError, ["path", "net.json", "not a text file"]),
    ("load of text that is not JSON", lambda t: bl.Network.load(saved(t, "hello")),
     ValueError, ["path", "net.json", "not JSON"]),
    ("load of JSON that is not a network", lambda t: bl.Network.load(saved(t, "[1, 2]")),
     ValueError, ["path", "net.json", "Network.to_dict"]),
    ("load of a network with a key missing",
     lambda t: bl.Network.load(saved(t, without("biases"))), ValueError,
     ["path", "'biases'", "missing"]),
    ("save(None)", lambda t: net().save(None), TypeError, ["path", "None"]),
    ("save([])", lambda t: net().save([]), TypeError, ["path", "[]"]),
    ("save('')", lambda t: net().save(""), ValueError, ["path", "''"]),
    ("save to a folder", lambda t: net().save(t), ValueError, ["path", "folder", "test_bad_input"]),
    ("save into a missing folder", lambda t: net().save(t / "no" / "net.json"), ValueError,
     ["path", "net.json", "does not exist"]),
    # ---- from_weights and the constructor agree
    ("from_weights with a zero-width layer", lambda t: bl.Network.from_weights(
        [np.zeros((2, 0)), np.zeros((0, 1))], [np.zeros(0), np.zeros(1)]), ValueError,
     ["weights[0]", "at least one", "(2, 0)"]),
    ("from_weights with no inputs", lambda t: bl.Network.from_weights(
        [np.zeros((0, 1))], [np.zeros(1)]), ValueError, ["weights[0]", "(0, 1)"]),
    ("from_weights with a softmax over one unit", lambda t: bl.Network.from_weights(
        [np.ones((2, 1))], [np.zeros(1)], output_activation="softmax"), ValueError,
     ["output_activation='softmax'", "1 output unit", "sigmoid"]),
    ("from_weights(None, ...)", lambda t: bl.Network.from_weights(None, []), TypeError,
     ["weights", "None"]),
    ("from_weights with text weights", lambda t: bl.Network.from_weights("w", ["b"]),
     TypeError, ["weights", "'w'"]),
    ("from_weights float32 beyond range", lambda t: bl.Network.from_weights(
        [[[1e300]]], [[0.0]], dtype=np.float32), ValueError, ["weights[0]", "1e+300", "float32"]),
    ("softmax over one unit", lambda t: bl.Network([2, 1], output_activation="softmax"),
     ValueError, ["output_activation='softmax'", "layer_sizes[-1] = 1", "sigmoid"]),
    ("softmax and cross-entropy over one unit", lambda t: bl.Network(
        [2, 3, 1], output_activation="softmax", loss="cross_entropy"), ValueError,
     ["output_activation='softmax'", "layer_sizes[-1] = 1"]),
    ("dtype None", lambda t: bl.Network([2, 1], dtype=None), TypeError, ["dtype", "None"]),
    ("astype(None)", lambda t: net().astype(None), TypeError, ["dtype", "None"]),
    ("layer sizes None", lambda t: bl.Network(None), TypeError, ["layer_sizes", "None"]),
    ("a negative layer size", lambda t: bl.Network([2, -3, 1]), ValueError,
     ["layer_sizes", "layer_sizes[1] is -3"]),
    ("a layer size True", lambda t: bl.Network([2, True]), ValueError,
     ["layer_sizes", "layer_sizes[1] is True"]),
    # ---- set_parameter
    ("set_parameter True", lambda t: net().set_parameter("W1[0,0]", True), TypeError,
     ["value", "number", "True"]),
    ("set_parameter text", lambda t: net().set_parameter("W1[0,0]", "0.5"), TypeError,
     ["value", "number", "'0.5'"]),
    ("set_parameter None", lambda t: net().set_parameter("b1[0]", None), TypeError,
     ["value", "None"]),
    ("set_parameter a list", lambda t: net().set_parameter("b1[0]", [0.5]), TypeError,
     ["value", "[0.5]"]),
    ("set_parameter inf", lambda t: net().set_parameter("b1[0]", float("inf")), ValueError,
     ["value", "finite", "inf"]),
    ("set_parameter beyond float32", lambda t: net(dtype=np.float32).set_parameter(
        "W1[0,0]", 1e39), ValueError, ["value", "float32", "1e+39"]),
    ("set_parameter of a name that is not a string", lambda t: net().set_parameter(0, 1.0),
     TypeError, ["param", "0"]),
    # ---- parameter_names and parse_parameter
    ("parameter_names([2, -1])", lambda t: bl.parameter_names([2, -1]), ValueError,
     ["layer_sizes", "-1"]),
    ("parameter_names([2])", lambda t: bl.parameter_names([2]), ValueError,
     ["layer_sizes", "[2]"]),
    ("parameter_names(None)", lambda t: bl.parameter_names(None), TypeError,
     ["layer_sizes", "None"]),
    ("parameter_names('2,1')", lambda t: bl.parameter_names("2,1"), TypeError,
     ["layer_sizes", "'2,1'"]),
    ("parameter_names([2, 0.5])", lambda t: bl.parameter_names([2, 0.5]), ValueError,
     ["layer_sizes", "0.5"]),
    ("parse_parameter with bad layer sizes", lambda t: bl.parse_parameter("W1[0,0]", [0, 1]),
     ValueError, ["layer_sizes", "layer_sizes[0] is 0"]),
    # ---- float32 range and overflow
    ("float32 forward beyond float32", lambda t: net(dtype=np.float32).forward([1e300, 1.0]),
     ValueError, ["X", "1e+300", "float32", "float64"]),
    ("float32 loss with targets beyond float32",
     lambda t: net(dtype=np.float32).loss(X, np.full((4, 1), 1e39)), ValueError,
     ["Y", "1e+39", "float32"]),
    ("float32 gradients beyond float32",
     lambda t: net(dtype=np.float32).gradients(np.full((4, 2), -1e40), Y), ValueError,
     ["X", "1e+40", "float32"]),
    ("relu network loss at 1e300", lambda t: relu_net().loss([[1e300, 1.0]], [[0.0]]),
     ValueError, ["loss", "not finite", "X", "1e+300", "relu"]),
    ("relu network gradients at 1e300", lambda t: relu_net().gradients([[1e300, 1.0]], [[0.0]]),
     ValueError, ["not finite", "X", "1e+300", "scale X"]),
    ("identity output at 1e300", lambda t: bl.Network.from_weights(
        [[[1e10]]], [[0.0]], output_activation="identity").forward([[-1.0], [1e300]]),
     ValueError, ["output", "X", "1e+300", "identity", "scale X"]),
    ("relu chain rule at 1e300", lambda t: bl.chain_rule(
        relu_net(), [1e300, 0.0], [0.0], "W1[0,0]"), ValueError, ["X", "1e+300"]),
    ("relu backward trace at 1e300", lambda t: relu_net().backward_trace(
        [1e300, 0.0], [0.0]), ValueError, ["X", "1e+300"]),
    ("float32 relu network overflowing in float32", lambda t: relu_net(np.float32).loss(
        [[1e30, 1e30]], [[0.0]]), ValueError, ["float32", "X", "1e+30"]),
    # ---- memory
    ("Network([10**5, 10**5])", lambda t: bl.Network([10**5, 10**5]), ValueError,
     ["layer_sizes=[100000, 100000]", "80 GB", "10,000,100,000 parameters"]),
    ("Network([2, 30000, 30000, 1])", lambda t: bl.Network([2, 30000, 30000, 1]), ValueError,
     ["layer_sizes=[2, 30000, 30000, 1]", "7.2 GB"]),
    ("float32 Network([2, 30000, 30000, 1])", lambda t: bl.Network(
        [2, 30000, 30000, 1], dtype=np.float32), ValueError, ["30000", "3.6 GB"]),
    ("Network([1, 10**12])", lambda t: bl.Network([1, 10**12]), ValueError,
     ["10**12".replace("10**12", "1000000000000"), "TB"]),
    ("a forward pass too big for memory", lambda t: bl.Network([2, 20000, 1]).forward(
        np.zeros((20000, 2))), ValueError, ["X", "(20000, 2)", "[2, 20000, 1]", "fewer samples"]),
    ("parameter_names of a huge network", lambda t: bl.parameter_names([10**5, 10**5]),
     ValueError, ["layer_sizes=[100000, 100000]", "names"]),
    # ---- plotting: resolution, digits, n_points, padding, iteration, a string for a network
    ("decision boundary resolution 0", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), resolution=0), ValueError, ["resolution", ">= 2", "0"]),
    ("decision boundary resolution 2.5", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), resolution=2.5), TypeError, ["resolution", "integer", "2.5"]),
    ("decision boundary resolution 10**6", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), resolution=10**6), ValueError, ["resolution", "1000", "1000000"]),
    ("decision boundary padding -5", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), padding=-5), ValueError, ["padding", ">= 0", "-5"]),
    ("decision boundary padding inf", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), padding=float("inf")), ValueError, ["padding", "finite", "inf"]),
    ("decision boundary of a string", lambda t: surfaces.plot_decision_boundary(
        "net", X, Y, ax=ax()), TypeError, ["net", "Network", "'net'"]),
    ("decision boundary labels of the wrong length", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y[:2], ax=ax()), ValueError, ["Y", "(4,", "(2, 1)"]),
    ("decision boundary data='yes'", lambda t: surfaces.plot_decision_boundary(
        net(), X, Y, ax=ax(), data="yes"), TypeError, ["data", "True or False", "'yes'"]),
    ("decision boundary X with NaN", lambda t: surfaces.plot_decision_boundary(
        net(), [[0.0, np.nan]], [1.0], ax=ax()), ValueError, ["X", "finite", "nan"]),
    ("class_probability of a string", lambda t: surfaces.class_probability("net", X),
     TypeError, ["net", "'net'"]),
    ("regression fit n_points 0", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, X1, ax=ax(), n_points=0), ValueError, ["n_points", "0"]),
    ("regression fit n_points 10**12", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, X1, ax=ax(), n_points=10**12), ValueError,
     ["n_points", "100000", "1000000000000"]),
    ("regression fit padding -5", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, X1, ax=ax(), padding=-5), ValueError, ["padding", "-5"]),
    ("regression fit Y with inf", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, np.full(5, np.inf), ax=ax()), ValueError,
     ["Y", "finite", "inf"]),
    ("regression fit Y of another length", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, X1[:3], ax=ax()), ValueError, ["Y", "(3, 1)", "(5, 1)"]),
    ("regression fit target_function an array", lambda t: surfaces.plot_regression_fit(
        bl.Network([1, 3, 1]), X1, X1, ax=ax(), target_function=np.zeros(3)), TypeError,
     ["target_function", "function", "array"]),
    ("regression fit of a string", lambda t: surfaces.plot_regression_fit("net", X1, X1),
     TypeError, ["net", "'net'"]),
    ("loss surface resolution 10**6", lambda t: surfaces.loss_surface(
        net(), X, Y, resolution=10**6), ValueError, ["resolution", "200", "1000000"]),
    ("loss surface resolution 2.5", lambda t: surfaces.loss_surface(
        net(), X, Y, resolution=2.5), TypeError, ["resolution", "2.5"]),
    ("loss surface history a string", lambda t: surfaces.loss_surface(
        net(), X, Y, history="run"), TypeError, ["history", "TrainingHistory", "'run'"]),
    ("loss surface of a string", lambda t: surfaces.loss_surface("net", X, Y), TypeError,
     ["net", "'net'"]),
    ("loss surface levels 10**12", lambda t: surfaces.plot_loss_surface(
        net(), X, Y, resolution=5, levels=10**12, ax=ax()), ValueError,
     ["levels", "200", "1000000000000"]),
    ("loss surface colorbar 'no'", lambda t: surfaces.plot_loss_surface(
        net(), X, Y, resolution=5, colorbar="no", ax=ax()), TypeError, ["colorbar", "'no'"]),
    ("draw_network digits -1", lambda t: diagram.draw_network(net(), ax=ax(), digits=-1),
     ValueError, ["digits", ">= 1", "-1"]),
    ("draw_network digits 2.5", lambda t: diagram.draw_network(net(), ax=ax(), digits=2.5),
     TypeError, ["digits", "integer", "2.5"]),
    ("draw_network fontsize -3", lambda t: diagram.draw_network(net(), ax=ax(), fontsize=-3),
     ValueError, ["fontsize", "-3"]),
    ("draw_network title 5", lambda t: diagram.draw_network(net(), ax=ax(), title=5),
     TypeError, ["title", "string", "5"]),
    ("draw_network of a string", lambda t: diagram.draw_network("net"), TypeError,
     ["net", "Network", "'net'"]),
    ("draw_network x as text", lambda t: diagram.draw_network(net(), "ab", ax=ax(),
                                                              activations=True),
     TypeError, ["x", "'ab'"]),
    ("draw_network x of the wrong length", lambda t: diagram.draw_network(
        net(), [1.0, 2.0, 3.0], ax=ax(), activations=True), ValueError, ["x", "(2,)", "(3,)"]),
    ("draw_network deltas with text indices", lambda t: diagram.draw_network(
        net(), [0.0, 1.0], [1.0], ax=ax(), deltas=[("a", 0)]), ValueError,
     ["deltas", "('a', 0)"]),
    ("draw_network loss 'yes'", lambda t: diagram.draw_network(
        net(), [0.0, 1.0], [1.0], ax=ax(), loss="yes"), TypeError, ["loss", "'yes'"]),
    ("plot_activation n_points 0", lambda t: curves.plot_activation(ax=ax(), n_points=0),
     ValueError, ["n_points", ">= 2", "0"]),
    ("plot_activation n_points 10**12", lambda t: curves.plot_activation(
        ax=ax(), n_points=10**12), ValueError, ["n_points", "100000", "1000000000000"]),
    ("plot_activation derivative 'yes'", lambda t: curves.plot_activation(
        ax=ax(), derivative="yes"), TypeError, ["derivative", "'yes'"]),
    ("plot_activation z_range text", lambda t: curves.plot_activation(
        ax=ax(), z_range=("a", "b")), TypeError, ["z_range", "'a'"]),
    ("plot_loss_curve of None", lambda t: curves.plot_loss_curve(None, ax=ax()), TypeError,
     ["history", "None"]),
    ("plot_loss_curve of a number", lambda t: curves.plot_loss_curve(3.0, ax=ax()),
     ValueError, ["history", "3.0"]),
    ("plot_loss_curve of nothing", lambda t: curves.plot_loss_curve([], ax=ax()), ValueError,
     ["history", "[]"]),
    ("plot_loss_curve mark -5", lambda t: curves.plot_loss_curve(history(), ax=ax(), mark=-5),
     ValueError, ["mark", ">= 0", "-5"]),
    ("plot_loss_curve mark 'end'", lambda t: curves.plot_loss_curve(
        history(), ax=ax(), mark="end"), TypeError, ["mark", "integer", "'end'"]),
    ("plot_loss_curve log 'yes'", lambda t: curves.plot_loss_curve(
        history(), ax=ax(), log="yes"), TypeError, ["log", "'yes'"]),
    ("plot_loss_curve color 'blurple'", lambda t: curves.plot_loss_curve(
        history(), ax=ax(), color="blurple"), ValueError, ["color", "'blurple'"]),
    ("plot_loss_curve label 5", lambda t: curves.plot_loss_curve(
        history(), ax=ax(), label=5), TypeError, ["label", "5"]),
    ("plot_learning_rates clip -1", lambda t: curves.plot_learning_rates(
        [history()], ax=ax(), clip=-1), ValueError, ["clip", "> 0", "-1"]),
    ("plot_learning_rates clip text", lambda t: curves.plot_learning_rates(
        [history()], ax=ax(), clip="3"), TypeError, ["clip", "'3'"]),
    ("plot_learning_rates of a run that is None", lambda t: curves.plot_learning_rates(
        {"a": None}, ax=ax()), TypeError, ["histories['a']", "None"]),
    ("plot_descent_path of None", lambda t: curves.plot_descent_path(np.square, None, ax=ax()),
     TypeError, ["path", "DescentPath", "None"]),
    ("plot_descent_path max_arrows -1", lambda t: curves.plot_descent_path(
        np.square, bl.descent.gradient_descent_1d("quadratic", learning_rate=0.1, steps=3)
        if False else type("P", (), {"x": np.array([1.0]), "fx": np.array([1.0])})(),
        ax=ax(), max_arrows=-1), ValueError, ["max_arrows", "-1"]),
    ("plot_descent_path domain backwards", lambda t: curves.plot_descent_path(
        np.square, type("P", (), {"x": np.array([1.0]), "fx": np.array([1.0])})(),
        ax=ax(), domain=(2, 1)), ValueError, ["domain", "(2, 1)"]),
    ("snapshot_network iteration -5", lambda t: animation.snapshot_network(
        net(), history(), -5), ValueError, ["iteration", ">= 0", "-5"]),
    ("snapshot_network iteration inf", lambda t: animation.snapshot_network(
        net(), history(), float("inf")), TypeError, ["iteration", "integer", "inf"]),
    ("snapshot_network of a string", lambda t: animation.snapshot_network(
        "net", history(), 1), TypeError, ["net", "'net'"]),
    ("snapshot_network history of another network", lambda t: animation.snapshot_network(
        bl.Network([2, 5, 1]), history(), 1), ValueError, ["history", "[2, 5, 1]", "(2, 3)"]),
    ("snapshot_network without snapshots", lambda t: animation.snapshot_network(
        net(), net().train(X, Y, iterations=1), 0), ValueError, ["history", "snapshot_every"]),
    ("plot_training_state iteration -5", lambda t: animation.plot_training_state(
        net(), X, Y, history(), -5, axes=[ax(), ax()]), ValueError, ["iteration", "-5"]),
    ("plot_training_state history None", lambda t: animation.plot_training_state(
        net(), X, Y, None), TypeError, ["history", "None"]),
    ("plot_training_state resolution 0", lambda t: animation.plot_training_state(
        net(), X, Y, history(), axes=[ax(), ax()], resolution=0), ValueError,
     ["resolution", "0"]),
    ("plot_training_state axes a string", lambda t: animation.plot_training_state(
        net(), X, Y, history(), axes="ab"), TypeError, ["axes", "'ab'"]),
    ("animate_training interval 0", lambda t: animation.animate_training(
        net(), X, Y, history(), interval=0), ValueError, ["interval", "> 0", "0"]),
    ("animate_training dpi 2.5", lambda t: animation.animate_training(
        net(), X, Y, history(), dpi=2.5), ValueError, ["dpi", ">= 10", "2.5"]),
    ("animate_training max_frames 10**9", lambda t: animation.animate_training(
        net(), X, Y, history(), max_frames=10**9), ValueError, ["max_frames", "500"]),
    ("animate_training figsize huge", lambda t: animation.animate_training(
        net(), X, Y, history(), figsize=(1e6, 1e6)), ValueError, ["figsize[0]", "1e+06"]),
    ("animate_training figsize a number", lambda t: animation.animate_training(
        net(), X, Y, history(), figsize=5), TypeError, ["figsize", "5"]),
    # ---- gradients, chain rule, efficiency, chapter 1 figures
    ("check_gradients of a string", lambda t: bl.check_gradients("net", X, Y), TypeError,
     ["net", "Network", "'net'"]),
    ("chain_rule of a string", lambda t: bl.chain_rule("net", [0, 1], [1], "W1[0,0]"),
     TypeError, ["net", "'net'"]),
    ("loop_gradients of a string", lambda t: efficiency.loop_gradients("net", X, Y), TypeError,
     ["net", "'net'"]),
    ("compare_gradient_timings repeats 10**12", lambda t: efficiency.compare_gradient_timings(
        net(), X, Y, repeats=10**12), ValueError, ["repeats", "1000", "1000000000000"]),
    ("timings_by_samples repeats 10**12", lambda t: efficiency.timings_by_samples(
        net(), X, Y, [1], repeats=10**12), ValueError, ["repeats", "1000000000000"]),
    ("measure_gradient_cost repeats 10**12", lambda t: bl.efficiency.measure_gradient_cost(
        net(), X, Y, repeats=10**12), ValueError, ["repeats", "1000000000000"]),
    ("time_forward_loop_vs_batch repeats 10**12",
        lambda t: bl.efficiency.time_forward_loop_vs_batch(net(), X, repeats=10**12),
        ValueError, ["repeats", "1000000000000"]),
    ("bump_network n_bumps 10**12", lambda t: bl.bump_network(np.sin, 10**12), ValueError,
     ["n_bumps", "1000", "1000000000000"]),
    ("plot_bumps show_bumps 'no'", lambda t: bl.plotting.plot_bumps(
        bl.bump_network(np.sin, 3), ax=ax(), show_bumps="no"), TypeError, ["show_bumps", "'no'"]),
    ("plot_bumps of a string", lambda t: bl.plotting.plot_bumps("net", ax=ax()), TypeError,
     ["net", "'net'"]),
    ("plot_gradient_cost measured without n_parameters", lambda t: bl.plotting.plot_gradient_cost(
        [10, 100], ax=ax(), measured={}), ValueError, ["measured", "'n_parameters'"]),
    ("plot_gradient_cost measured an array", lambda t: bl.plotting.plot_gradient_cost(
        [10, 100], ax=ax(), measured=np.zeros(3)), TypeError, ["measured", "array"]),
    ("plot_gradient_cost measured of mismatched lengths", lambda t: bl.plotting.plot_gradient_cost(
        [10, 100], ax=ax(), measured={"n_parameters": [1, 2], "backpropagation": [1]}),
     ValueError, ["measured['backpropagation']", "(1,)"]),
    ("plot_output_plane threshold text", lambda t: bl.plotting.plot_output_plane(
        net(), ax=ax(), threshold="half"), TypeError, ["threshold", "'half'"]),
    ("plot_output_plane extent of three numbers", lambda t: bl.plotting.plot_output_plane(
        net(), ax=ax(), extent=(0, 1, 0)), TypeError, ["extent", "(0, 1, 0)"]),
    ("plot_output_plane extent backwards", lambda t: bl.plotting.plot_output_plane(
        net(), ax=ax(), extent=(1, 0, 0, 1)), ValueError, ["extent[0:2]", "(1, 0)"]),
    ("finite differences central 'yes'", lambda t: bl.efficiency.finite_difference_gradients(
        net(), X, Y, central="yes"), TypeError, ["central", "'yes'"]),
    ("finite differences Y of the wrong shape", lambda t: bl.efficiency.finite_difference_gradients(
        net(), X, Y[:2]), ValueError, ["Y", "(4, 1)", "(2, 1)"]),
    ("draw_convolution highlight 99", lambda t: bl.plotting.draw_convolution(
        bl.conv1d_run([1.0, 2.0, 3.0], [1.0, 1.0]), 99, ax=ax()), ValueError,
     ["highlight", "99", "1"]),
    ("draw_convolution digits 0", lambda t: bl.plotting.draw_convolution(
        bl.conv1d_run([1.0, 2.0, 3.0], [1.0, 1.0]), ax=ax(), digits=0), ValueError,
     ["digits", "0"]),
    ("draw_recurrent digits -1", lambda t: bl.plotting.draw_recurrent(
        bl.recurrent_unroll([1.0, 2.0], [[0.5]], [[0.5]]), ax=ax(), digits=-1), ValueError,
     ["digits", "-1"]),
    ("draw_matrix_product digits 0", lambda t: bl.plotting.draw_matrix_product(
        [[1.0, 2.0]], [[1.0], [2.0]], [0.0], ax=ax(), digits=0), ValueError, ["digits", "0"]),
    ("draw_matrix_product names a string", lambda t: bl.plotting.draw_matrix_product(
        [[1.0, 2.0]], [[1.0], [2.0]], [0.0], ax=ax(), names="AWbZ"), TypeError,
     ["names", "'AWbZ'"]),
    ("plot_neuron_responses parameters None", lambda t: bl.plotting.plot_neuron_responses(
        None, ax=ax()), TypeError, ["parameters", "None"]),
    ("plot_neuron_responses weight as text", lambda t: bl.plotting.plot_neuron_responses(
        [("a", 0.0)], ax=ax()), TypeError, ["parameters[0][0]", "'a'"]),
    # ---- the first table (shapes, names, types, training options, files)
    # ---- wrong shapes
    ("X wrong width", lambda t: net().forward(np.zeros((4, 3))), ValueError,
     ["X", "(n_samples, 2)", "(4, 3)"]),
    ("X three-dimensional", lambda t: net().forward(np.zeros((4, 2, 1))), ValueError,
     ["X", "(4, 2, 1)"]),
    ("X with no samples", lambda t: net().loss(np.zeros((0, 2)), np.zeros((0, 1))), ValueError,
     ["X", "(0, 2)"]),
    ("one sample of the wrong length", lambda t: net().forward([1.0, 2.0, 3.0]), ValueError,
     ["X", "(2,)", "(3,)"]),
    ("Y wrong width", lambda t: net().loss(X, np.zeros((4, 2))), ValueError,
     ["Y", "(4, 1)", "(4, 2)"]),
    ("Y wrong length", lambda t: net().train(X, np.zeros((3, 1))), ValueError,
     ["Y", "(4, 1)", "(3, 1)"]),
    ("ragged X", lambda t: net().forward([[1.0, 2.0], [3.0]]), ValueError,
     ["X", "rectangular", "ragged"]),
    ("X of strings", lambda t: net().forward("ab"), TypeError, ["X", "numbers", "'ab'"]),
    ("X with None", lambda t: net().forward([[1.0, None]]), TypeError, ["X", "real numbers",
                                                                     "object"]),
    ("weights of the wrong shape", lambda t: bl.Network.from_weights(
        [np.zeros((2, 3)), np.zeros((2, 1))], [np.zeros(3), np.zeros(1)]), ValueError,
     ["weights[1]", "3 rows", "(2, 1)"]),
    ("biases of the wrong shape", lambda t: bl.Network.from_weights(
        [np.zeros((2, 3))], [np.zeros(2)]), ValueError, ["biases[0]", "(3,)", "(2,)"]),
    ("one bias list too few", lambda t: bl.Network.from_weights([np.zeros((2, 3))], []),
     ValueError, ["biases", "one entry per weight layer", "got 0"]),
    ("weights as one array", lambda t: bl.Network.from_weights(np.zeros((2, 2)), [np.zeros(2)]),
     TypeError, ["weights", "list", "shape (2, 2)"]),
    ("set_parameters for another architecture", lambda t: net().set_parameters(
        [np.zeros((2, 4)), np.zeros((4, 1))], [np.zeros(4), np.zeros(1)]), ValueError,
     ["weights", "[2, 3, 1]", "[2, 4, 1]"]),
    # ---- NaN or inf
    ("NaN in X", lambda t: net().forward([[1.0, np.nan]]), ValueError,
     ["X", "finite", "nan", "(0, 1)"]),
    ("inf in Y", lambda t: net().train(X, np.full((4, 1), np.inf)), ValueError,
     ["Y", "finite", "inf", "(0, 0)"]),
    ("-inf in a weight", lambda t: bl.Network.from_weights([[[-np.inf]]], [[0.0]]), ValueError,
     ["weights[0]", "finite", "-inf"]),
    ("NaN parameter value", lambda t: net().set_parameter("W1[0,0]", float("nan")), ValueError,
     ["value", "finite", "nan"]),
    ("NaN learning rate", lambda t: net().train(X, Y, learning_rate=float("nan")), ValueError,
     ["learning_rate", "> 0", "nan"]),
    # ---- unknown names
    ("unknown activation", lambda t: bl.Network([2, 1], activation="sigmod"), ValueError,
     ["activation", "'sigmoid'", "'sigmod'"]),
    ("softmax as a hidden activation", lambda t: bl.Network([2, 2, 1], activation="softmax"),
     ValueError, ["activation", "'tanh'", "'softmax'"]),
    ("unknown output activation", lambda t: bl.Network([2, 1], output_activation="relu6"),
     ValueError, ["output_activation", "'softmax'", "'relu6'"]),
    ("unknown loss", lambda t: bl.Network([2, 1], loss="hinge"), ValueError,
     ["loss", "'squared_error'", "'hinge'"]),
    ("loss that is not a string", lambda t: bl.Network([2, 1], loss=None), TypeError,
     ["loss", "string", "None"]),
    ("unknown init", lambda t: bl.Network([2, 1], init="xavier"), ValueError,
     ["init", "'glorot'", "'xavier'"]),
    # ---- invalid loss/output pairs
    ("binary cross-entropy with softmax", lambda t: bl.Network(
        [2, 2], output_activation="softmax", loss="binary_cross_entropy"), ValueError,
     ["binary_cross_entropy", "output_activation='sigmoid'", "'softmax'"]),
    ("cross-entropy with sigmoid", lambda t: bl.Network(
        [2, 2], output_activation="sigmoid", loss="cross_entropy"), ValueError,
     ["cross_entropy", "output_activation='softmax'", "'sigmoid'"]),
    ("binary cross-entropy targets outside [0, 1]", lambda t: bl.Network(
        [2, 1], loss="binary_cross_entropy").loss(X, np.full((4, 1), 2.0)), ValueError,
     ["Y", "[0, 1]", "2"]),
    ("negative cross-entropy targets", lambda t: bl.Network(
        [2, 2], output_activation="softmax", loss="cross_entropy").loss(X, -np.ones((4, 2))),
     ValueError, ["Y", "non-negative", "-1"]),
    # ---- learning rate
    ("zero learning rate", lambda t: net().train(X, Y, learning_rate=0), ValueError,
     ["learning_rate", "> 0", "0.0"]),
    ("negative learning rate", lambda t: net().train(X, Y, learning_rate=-0.5), ValueError,
     ["learning_rate", "> 0", "-0.5"]),
    ("learning rate as text", lambda t: net().train(X, Y, learning_rate="0.1"), TypeError,
     ["learning_rate", "number", "'0.1'"]),
    # ---- iterations
    ("negative iterations", lambda t: net().train(X, Y, iterations=-1), ValueError,
     ["iterations", ">= 0", "-1"]),
    ("fractional iterations", lambda t: net().train(X, Y, iterations=2.5), TypeError,
     ["iterations", "integer", "2.5"]),
    ("iterations as a bool", lambda t: net().train(X, Y, iterations=True), TypeError,
     ["iterations", "integer", "True"]),
    ("batch size zero", lambda t: net().train(X, Y, batch_size=0), ValueError,
     ["batch_size", ">= 1", "0"]),
    ("snapshot_every zero", lambda t: net().train(X, Y, snapshot_every=0), ValueError,
     ["snapshot_every", ">= 1", "0"]),
    ("update_biases as text", lambda t: net().train(X, Y, update_biases="no"), TypeError,
     ["update_biases", "True or False", "'no'"]),
    # ---- layer sizes
    ("one layer", lambda t: bl.Network([2]), ValueError, ["layer_sizes", "at least two", "[2]"]),
    ("no layers", lambda t: bl.Network([]), ValueError, ["layer_sizes", "at least two", "[]"]),
    ("a layer of zero neurons", lambda t: bl.Network([2, 0, 1]), ValueError,
     ["layer_sizes", "positive integers", "layer_sizes[1] is 0"]),
    ("a fractional layer size", lambda t: bl.Network([2, 2.5, 1]), ValueError,
     ["layer_sizes", "positive integers", "2.5"]),
    ("layer sizes as text", lambda t: bl.Network("2,2,1"), TypeError,
     ["layer_sizes", "list", "'2,2,1'"]),
    ("layer sizes as a number", lambda t: bl.Network(3), TypeError, ["layer_sizes", "list", "3"]),
    # ---- dtype
    ("integer dtype", lambda t: bl.Network([2, 1], dtype=np.int32), TypeError,
     ["dtype", "np.float64 or np.float32", "int32"]),
    ("half precision", lambda t: bl.Network([2, 1], dtype="float16"), TypeError,
     ["dtype", "np.float32", "'float16'"]),
    ("nonsense dtype", lambda t: bl.Network([2, 1], dtype="banana"), TypeError,
     ["dtype", "'banana'"]),
    ("astype to int", lambda t: net().astype("int8"), TypeError, ["dtype", "'int8'"]),
    # ---- seed
    ("negative seed", lambda t: bl.Network([2, 1], seed=-1), ValueError, ["seed", ">= 0", "-1"]),
    ("fractional seed", lambda t: bl.Network([2, 1], seed=1.5), TypeError,
     ["seed", "integer", "1.5"]),
    ("seed None", lambda t: bl.Network([2, 1], seed=None), TypeError, ["seed", "integer", "None"]),
    ("negative training seed", lambda t: net().train(X, Y, batch_size=2, seed=-2), ValueError,
     ["seed", ">= 0", "-2"]),
    # ---- parameter names
    ("a layer that does not exist", lambda t: net().parameter("W3[0,0]"), ValueError,
     ["'W3[0,0]'", "layer 3", "1 to 2"]),
    ("layer zero", lambda t: net().parameter("W0[0,0]"), ValueError, ["'W0[0,0]'", "1 to 2"]),
    ("a row that does not exist", lambda t: net().parameter("W1[5,0]"), ValueError,
     ["'W1[5,0]'", "(2, 3)", "0 to 1"]),
    ("a bias that does not exist", lambda t: net().set_parameter("b1[9]", 1.0), ValueError,
     ["'b1[9]'", "3 entries", "0 to 2"]),
    ("a malformed name", lambda t: net().parameter("w5"), ValueError,
     ["param", "W<layer>[i,j]", "'w5'"]),
    ("a bias written with two indices", lambda t: net().parameter("b1[0,0]"), ValueError,
     ["param", "b<layer>[j]", "'b1[0,0]'"]),
    ("a name that is not a string", lambda t: net().parameter(5), TypeError,
     ["param", "string", "5"]),
    ("a gradient that does not exist", lambda t: net().gradients(X, Y)["W1[7,7]"], ValueError,
     ["'W1[7,7]'", "(2, 3)"]),
    # ---- saved networks
    ("text that is not JSON", lambda t: bl.Network.from_json("{not json"), ValueError,
     ["text", "JSON", "Network.to_json"]),
    ("JSON that is not a network", lambda t: bl.Network.from_json("[1, 2]"), ValueError,
     ["data", "Network.to_dict", "list"]),
    ("history without snapshots", lambda t: net().train(X, Y, iterations=1).snapshot(0),
     ValueError, ["snapshots", "snapshot_every"]),
]  # fmt: skip


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("case", "call", "error", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_argument_and_value(case, call, error, words, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning (or any other) on the way
        with pytest.raises(error) as info:
            call(tmp_path)
    message = str(info.value)
    for word in words:
        assert word in message, f"{case}: {word!r} not in {message!r}"
    assert info.value.__cause__ is None or info.value.__suppress_context__
    assert "Traceback" not in message and "Errno" not in message


def test_errors_are_value_or_type_errors_only():
    assert all(error in (ValueError, TypeError) for _, _, error, _ in CASES)


def test_cases_are_distinct_and_many():
    names = [c[0] for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 150


# ------------------------------------------------------------------ the rules themselves


def test_memory_limit_is_checked_before_numpy_allocates():
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="would need 80 GB"):
            bl.Network([10**5, 10**5])
        with pytest.raises(ValueError, match="resolution"):
            surfaces.plot_decision_boundary(net(), X, Y, resolution=10**6)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10 * 2**20  # nothing near the gigabytes asked for was allocated


def test_memory_limit_follows_the_available_memory(monkeypatch):
    monkeypatch.setattr(validation, "available_memory", lambda: 200 * 2**20)
    with pytest.raises(ValueError, match="half of the 210 MB of memory available now"):
        bl.Network([2, 5000, 5000, 1])  # 200 MB of float64 parameters
    monkeypatch.setattr(validation, "available_memory", lambda: None)
    assert bl.Network([2, 5000, 5000, 1]).n_parameters == 25_025_001


def test_a_network_just_under_the_limit_is_built_lazily_checked():
    # 1 GiB is 134,217,728 float64 numbers: the check itself allocates nothing
    validation.check_memory("x", validation.MEMORY_LIMIT)
    with pytest.raises(ValueError, match="1 GiB"):
        validation.check_memory("x", validation.MEMORY_LIMIT + 1)


def test_overflow_is_refused_but_saturating_networks_answer():
    sigmoid = bl.Network([2, 3, 1], seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = sigmoid.forward([1e300, -1e300])
        loss = sigmoid.loss([[1e300, -1e300]], [[1.0]])
    assert np.all(np.isfinite(out)) and np.isfinite(loss)


def test_plots_of_a_diverged_network_still_draw():
    # parameters so large that the outputs overflow on the plot's grid: the picture
    # replaces what overflowed instead of raising
    huge = bl.Network.from_weights([[[1e300], [1e300]]], [[0.0]], output_activation="identity")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = surfaces.class_probability(huge, [[1e10, 1e10], [-1.0, 0.0]])
    assert np.all(np.isfinite(p))


def test_save_and_load_still_round_trip(tmp_path):
    original = net()
    back = bl.Network.load(original.save(tmp_path / "n.json"))
    assert back.layer_sizes == original.layer_sizes
    np.testing.assert_array_equal(back.weights[0], original.weights[0])


def test_a_network_whose_own_parameters_overflow_answers_inf():
    # moderate inputs, parameters of 1e200 (as after a diverged run): inf is the
    # divergence signal training records, so it is returned, without a warning
    huge = bl.Network.from_weights(
        [[[1e200]], [[1e200]]],
        [[0.0], [0.0]],
        activation="identity",
        output_activation="identity",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isinf(huge.forward([[1.0]])).all()
        assert huge.loss([[0.5]], [[0.0]]) == np.inf


def test_the_overflow_message_names_the_layer():
    two = bl.Network.from_weights(
        [[[1e100]], [[1e100]]],
        [[0.0], [0.0]],
        activation="identity",
        output_activation="identity",
    )
    with pytest.raises(
        ValueError,
        match=r"layer 2's net input z went beyond.*X holds values up "
        r"to 1e\+150",
    ):
        two.forward([[1e150]])
