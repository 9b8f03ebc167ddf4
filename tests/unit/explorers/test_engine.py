"""The browser engine (backprop_lab/explorers/js/engine.js) against the package.

Every case of the table below runs in one Node process (engine_runner.mjs, cases as JSON
on stdin); each test compares one case's answer with what the package computes:

- forward passes, losses, gradients and runs of up to 50 updates: equal to 1e-12
  relative, with an absolute floor near zero (numpy's matrix products add in another
  order, and Math.tanh/exp/log may differ from numpy's in the last bit);
- long runs (1000 updates, divergence): the same update counts and 1e-6 (training
  amplifies the last bit);
- the chain-rule factors of ``bl.chain_rule``; the 1-D descent paths of ``bl.descent``;
- the portable generator, initial weights, batch orders and playground data of
  ``backprop_lab.nn.portable_random`` and ``backprop_lab.calc.playground_data``; the
  playground's input features (``backprop_lab.calc.features``);
- the module's inclusion rule for widgets (``backprop_lab.explorers.js_engine``).

Node 20 is a prerequisite: without ``node`` on PATH the tests skip (they fail under CI).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import backprop_lab as bl
from backprop_lab.calc.features import FEATURES, input_features
from backprop_lab.calc.playground_data import PLAYGROUND_NAMES, playground_data
from backprop_lab.explorers.js_engine import ENGINE_PATH, widget_esm
from backprop_lab.nn.activations import get_activation
from backprop_lab.nn.portable_random import (
    PortableRandom,
    batch_order,
    initial_parameters,
    portable_network,
)

RUNNER = Path(__file__).with_name("engine_runner.mjs")
NODE = shutil.which("node")

if NODE is None:
    if os.environ.get("CI"):
        raise RuntimeError("node (Node 20) must be on PATH for the engine tests")
    pytest.skip("node (Node 20) is not on PATH: the engine tests need it", allow_module_level=True)

RTOL = 1e-12


# ----------------------------------------------------------------------- helpers


def decode(value: Any) -> np.ndarray:
    """A JSON answer as a float array ("NaN", "Infinity" strings back to floats)."""
    return np.array(value, dtype=np.float64)


def assert_close(js: Any, py: Any, rtol: float = RTOL, what: str = "") -> None:
    """Equal to ``rtol`` relative, with an absolute floor of ``rtol`` times the array's
    largest magnitude (an entry that is a sum of larger terms cancelling to near zero, such
    as a small gradient beside large ones, is only known to that)."""
    js_array, py_array = decode(js), np.asarray(py, dtype=np.float64)
    assert js_array.shape == py_array.shape, what
    finite = py_array[np.isfinite(py_array)]
    scale = float(np.max(np.abs(finite))) if finite.size else 0.0
    np.testing.assert_allclose(
        js_array, py_array, rtol=rtol, atol=rtol * max(scale, 1e-300), err_msg=what
    )


def net_json(net: bl.Network) -> dict[str, Any]:
    return {
        "sizes": net.layer_sizes,
        "activation": net.activation,
        "outputActivation": net.output_activation,
        "loss": net.loss_name,
        "weights": [w.tolist() for w in net.weights],
        "biases": [b.tolist() for b in net.biases],
    }


CAMEL = {
    "learning_rate": "learningRate",
    "update_biases": "updateBiases",
    "batch_size": "batchSize",
    "batch_order": "batchOrder",
    "snapshot_every": "snapshotEvery",
}


def js_options(kwargs: dict[str, Any]) -> dict[str, Any]:
    options = {}
    for key, value in kwargs.items():
        if key == "batch_order":
            value = [np.asarray(order).tolist() for order in value]
        if key == "validation":
            value = [np.asarray(value[0]).tolist(), np.asarray(value[1]).tolist()]
        options[CAMEL.get(key, key)] = value
    return options


class Table:
    """Cases for Node and the checks of their answers."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.cases: list[dict[str, Any]] = []
        self.checks: list[Callable[[dict[str, Any]], None]] = []

    def add(self, name: str, case: dict[str, Any], check: Callable[[Any], None]) -> None:
        self.ids.append(name)
        self.cases.append(case)
        self.checks.append(check)


TABLE = Table()


def expect_result(check: Callable[[Any], None]) -> Callable[[dict[str, Any]], None]:
    def run(answer: dict[str, Any]) -> None:
        assert "error" not in answer, f"the engine raised: {answer.get('error')}"
        check(answer["result"])

    return run


# ------------------------------------------------------------- the network table

PAIRS = [
    (output, loss)
    for output in ("sigmoid", "tanh", "relu", "identity", "softmax")
    for loss in ("squared_error", "mse")
] + [("sigmoid", "binary_cross_entropy"), ("softmax", "cross_entropy")]
HIDDEN = ("sigmoid", "tanh", "relu", "identity")
WIDTHS = (3, 4, 2, 3)


def problem(seed: int, n_in: int, n_out: int, output: str, loss: str, n: int = 12):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, n_in))
    if loss == "cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif loss == "binary_cross_entropy" or output in ("sigmoid", "softmax"):
        Y = rng.uniform(0.0, 1.0, size=(n, n_out))
    elif output == "tanh":
        Y = rng.uniform(-0.9, 0.9, size=(n, n_out))
    else:
        Y = rng.normal(size=(n, n_out))
    return X, Y


def table_network(index: int, hidden: str, output: str, loss: str) -> bl.Network:
    depth = 1 + index % 4
    n_out = 3 if output == "softmax" else 1 + index % 2
    sizes = [2, *WIDTHS[:depth], n_out]
    if index % 2:  # the portable generator's weights, biases made non-zero
        net = portable_network(sizes, hidden, output, loss, seed=index)
    else:
        net = bl.Network(sizes, hidden, output, loss, seed=index)
    rng = np.random.default_rng(1000 + index)
    net.biases = [0.1 * rng.normal(size=b.shape) for b in net.biases]
    return net


def add_network_cases() -> None:
    index = 0
    for hidden in HIDDEN:
        for output, loss in PAIRS:
            net = table_network(index, hidden, output, loss)
            X, Y = problem(index, 2, net.layer_sizes[-1], output, loss)
            name = f"{hidden}-{output}-{loss}-{len(net.layer_sizes) - 2}hidden"
            case = {"net": net_json(net), "X": X.tolist(), "Y": Y.tolist()}

            def forward_check(result, net=net, X=X):
                assert_close(result, net.forward(X))

            def loss_check(result, net=net, X=X, Y=Y):
                assert_close(result, net.loss(X, Y))

            def gradients_check(result, net=net, X=X, Y=Y):
                grads = net.gradients(X, Y)
                for layer, (gw, gb) in enumerate(zip(grads.weights, grads.biases)):
                    mine = decode(result["weights"][layer]).ravel()
                    assert_close(mine, gw.ravel(), what=f"weights[{layer}]")
                    assert_close(result["biases"][layer], gb, what=f"biases[{layer}]")

            case["flat"] = index % 3 == 1
            TABLE.add(f"forward-{name}", {"op": "forward", **case}, expect_result(forward_check))
            TABLE.add(f"loss-{name}", {"op": "loss", **case}, expect_result(loss_check))
            TABLE.add(
                f"gradients-{name}", {"op": "gradients", **case}, expect_result(gradients_check)
            )
            kwargs: dict[str, Any] = {"learning_rate": 0.1, "iterations": 50}
            # every third net as Float64Arrays (flat, row by row), the rest nested arrays
            add_training_case(f"train50-{name}", net, X, Y, kwargs, flat=index % 3 == 0)
            index += 1


def compare_runs(result: dict[str, Any], net: bl.Network, history: Any, rtol: float) -> None:
    js = result["history"]
    assert js["iterationsRun"] == history.iterations_run
    assert js["diverged"] == history.diverged
    assert js["divergedAt"] == history.diverged_at
    assert js["convergedAt"] == history.converged_at
    assert js["stoppedEarly"] == history.stopped_early
    assert js["bestIteration"] == history.best_iteration
    assert js["updatesPerEpoch"] == history.updates_per_epoch
    assert js["batchSize"] == history.batch_size
    if history.diverged_at == 0:  # one non-finite loss: NaN or inf by the order of the sums
        assert not np.isfinite(decode(js["loss"])).any() and len(js["loss"]) == 1
    else:
        assert_close(js["loss"], history.loss, rtol, "loss")
        assert_close(js["finalLoss"], history.final_loss, rtol, "final loss")
    if history.validation_loss is not None:
        assert_close(js["validationLoss"], history.validation_loss, rtol, "validation loss")
    assert_close(js["divergenceThreshold"], history.divergence_threshold, rtol, "threshold")
    for layer, (w, b) in enumerate(zip(net.weights, net.biases)):
        # flat nets come back flat (row by row), nested ones nested
        assert_close(decode(result["weights"][layer]).ravel(), w.ravel(), rtol, f"W{layer + 1}")
        assert_close(result["biases"][layer], b, rtol, f"biases[{layer}]")
    if history.snapshots:
        assert [s["iteration"] for s in js["snapshots"]] == [s.iteration for s in history.snapshots]
        assert js["snapshotEvery"] == history.snapshot_every
        for mine, theirs in zip(js["snapshots"], history.snapshots):
            for layer, w in enumerate(theirs.weights):
                assert_close(mine["weights"][layer], w.ravel(), rtol, "snapshot weights")


def add_training_case(
    name: str,
    net: bl.Network,
    X: np.ndarray,
    Y: np.ndarray,
    kwargs: dict[str, Any],
    rtol: float = RTOL,
    options: dict[str, Any] | None = None,
    flat: bool = False,
) -> None:
    case = {
        "op": "train",
        "flat": flat,
        "net": net_json(net),
        "X": np.asarray(X).tolist(),
        "Y": np.asarray(Y).tolist(),
        "options": js_options(kwargs) if options is None else options,
    }

    start = net.copy()

    def check(result, net=start):
        history = net.train(X, Y, **kwargs)
        compare_runs(result, net, history, rtol)

    TABLE.add(name, case, expect_result(check))


def add_step_cases() -> None:
    """``trainSteps`` yields t = 0, 1, ... in order with the loss so far, its network at a
    step t is the package's after t updates, and its return value is ``train``'s history."""
    data_train, data_test = playground_data("two_moons", 60, noise=0.1, seed=4)
    X, Y, Xv, Yv = data_train.X / 5, data_train.Y, data_test.X / 5, data_test.Y
    classifier = portable_network([2, 4, 3, 1], "tanh", "sigmoid", "binary_cross_entropy", 3)
    runs = {
        "full-batch": dict(learning_rate=0.5, iterations=30),
        "mini-batch-momentum-validation": dict(
            learning_rate=0.3, iterations=40, batch_size=8, momentum=0.9, l2=1e-3,
            validation=(Xv, Yv), snapshot_every=7, batch_order=batch_order(len(X), 14, 2),
        ),
        "diverging": dict(learning_rate=2.0, iterations=30),  # diverges at update 8
        "early-stopping": dict(learning_rate=2.0, iterations=300, validation=(Xv, Yv), patience=3),
    }  # fmt: skip
    regression = portable_network([2, 4, 3, 1], "tanh", "identity", "squared_error", 3)
    for name, kwargs in runs.items():
        at = 5
        net = regression if name == "diverging" else classifier
        case = {
            "op": "trainSteps",
            "net": net_json(net),
            "X": X.tolist(),
            "Y": Y.tolist(),
            "options": js_options(kwargs),
            "at": at,
        }

        def check(answer, kwargs=kwargs, start=net, at=at, name=name):
            result = answer["result"]
            trained = start.copy()
            history = trained.train(X, Y, **kwargs)
            compare_runs(result, trained, history, RTOL)
            assert result["agree"], "a yielded loss buffer differs from the history"
            # a run that stops on its own (early stopping) yields no progress for its last t
            yielded = history.iterations_run + (0 if history.stopped_early else 1)
            assert result["ts"] == list(range(yielded))
            assert history.diverged == (name == "diverging")
            assert history.stopped_early == (name == "early-stopping")
            if history.iterations_run >= at and not history.stopped_early:
                partial = start.copy()
                partial.train(X, Y, **{**kwargs, "iterations": at, "snapshot_every": None})
                for layer, w in enumerate(partial.weights):
                    got = decode(result["at"]["weights"][layer]).ravel()
                    assert_close(got, w.ravel(), RTOL, f"W{layer + 1} after {at} steps")
                # parameters() as one flat array, back into a net: exactly network()
                rebuilt = result["at"]["fromParameters"]
                assert rebuilt["weights"] == result["at"]["weights"]
                assert rebuilt["biases"] == result["at"]["biases"]
                assert rebuilt["sizes"] == result["at"]["sizes"]

        TABLE.add(f"train-steps-{name}", case, check)


def add_option_cases() -> None:
    data_train, data_test = playground_data("two_moons", 60, noise=0.1, seed=4)
    X, Y, Xv, Yv = data_train.X / 5, data_train.Y, data_test.X / 5, data_test.Y
    three_train, _ = playground_data("three_spirals", 60, noise=0.05, seed=5)
    X3, Y3 = three_train.X / 5, three_train.Y
    n = len(X)

    def tanh_net(seed: int = 1, sizes=(2, 5, 4, 1)) -> bl.Network:
        return portable_network(list(sizes), "tanh", "sigmoid", "binary_cross_entropy", seed)

    orders = batch_order(n, 3, seed=9)
    runs: list[tuple[str, bl.Network, Any, Any, dict[str, Any]]] = [
        ("momentum", tanh_net(), X, Y, {"learning_rate": 0.5, "iterations": 50, "momentum": 0.9}),
        ("l2", tanh_net(), X, Y, {"learning_rate": 0.5, "iterations": 50, "l2": 0.01}),
        ("l1", tanh_net(), X, Y, {"learning_rate": 0.5, "iterations": 50, "l1": 0.003}),
        (
            "l1-l2-momentum",
            tanh_net(2),
            X,
            Y,
            {"learning_rate": 0.3, "iterations": 50, "l1": 0.002, "l2": 0.02, "momentum": 0.5},
        ),
        (
            "minibatch-batch-order",
            tanh_net(3),
            X,
            Y,
            {"learning_rate": 0.3, "iterations": 50, "batch_size": 7, "batch_order": orders},
        ),
        (
            "minibatch-momentum-l2-one-order",
            tanh_net(4),
            X,
            Y,
            {
                "learning_rate": 0.3,
                "iterations": 50,
                "batch_size": 8,
                "batch_order": orders[:1],
                "momentum": 0.8,
                "l2": 0.01,
            },
        ),
        (
            "three-classes-softmax-ce",
            portable_network([2, 6, 6, 3], "relu", "softmax", "cross_entropy", seed=7),
            X3,
            Y3,
            {"learning_rate": 0.2, "iterations": 50, "momentum": 0.5, "l2": 0.001},
        ),
        (
            "three-classes-minibatch",
            portable_network([2, 8, 3], "tanh", "softmax", "cross_entropy", seed=8),
            X3,
            Y3,
            {
                "learning_rate": 0.3,
                "iterations": 50,
                "batch_size": 10,
                "batch_order": batch_order(len(X3), 2, 3),
            },
        ),
        (
            "validation-snapshots",
            tanh_net(5),
            X,
            Y,
            {
                "learning_rate": 0.5,
                "iterations": 40,
                "validation": (Xv, Yv),
                "snapshot_every": 7,
            },
        ),
        (
            "no-bias-updates",
            tanh_net(6),
            X,
            Y,
            {"learning_rate": 0.5, "iterations": 30, "update_biases": False, "momentum": 0.3},
        ),
        (
            "tolerance-full-batch",
            tanh_net(7),
            X,
            Y,
            {"learning_rate": 0.5, "iterations": 50, "tolerance": 0.01},
        ),
        (
            "tolerance-minibatch",
            tanh_net(8),
            X,
            Y,
            {
                "learning_rate": 0.5,
                "iterations": 50,
                "tolerance": 0.5,
                "batch_size": 20,
                "batch_order": orders,
            },
        ),
        (
            "patience",
            portable_network([2, 8, 8, 1], "tanh", "sigmoid", "binary_cross_entropy", seed=3),
            X[:10],
            Y[:10],
            {"learning_rate": 2.0, "iterations": 50, "validation": (Xv, Yv), "patience": 3},
        ),
        (
            "batch-size-above-n-is-full-batch",
            tanh_net(9),
            X,
            Y,
            {"learning_rate": 0.5, "iterations": 20, "batch_size": 1000, "batch_order": orders},
        ),
        ("zero-iterations", tanh_net(10), X, Y, {"learning_rate": 0.5, "iterations": 0}),
    ]
    for name, net, Xs, Ys, kwargs in runs:
        add_training_case(f"train-{name}", net, Xs, Ys, kwargs)

    # the engine's own mini-batch order (no batchOrder) is Python's batch_order(n, e, seed)
    net = tanh_net(11)
    epochs = 50 // (n // 7) + 1
    add_training_case(
        "train-default-order-is-portable",
        net,
        X,
        Y,
        {
            "learning_rate": 0.3,
            "iterations": 50,
            "batch_size": 7,
            "batch_order": batch_order(n, epochs, seed=21),
        },
        options={"learningRate": 0.3, "iterations": 50, "batchSize": 7, "seed": 21},
    )

    # long runs: 1000 updates, and divergence
    long_runs = [
        ("2-8-8-1-tanh", tanh_net(12, (2, 8, 8, 1)), X, Y,
         {"learning_rate": 0.5, "iterations": 1000}),
        ("momentum-l2-minibatch", tanh_net(13), X, Y,
         {"learning_rate": 0.2, "iterations": 1000, "momentum": 0.9, "l2": 0.001,
          "batch_size": 10, "batch_order": batch_order(n, 7, 1)}),
        ("diverges", portable_network([2, 6, 1], "relu", "identity", "squared_error", 2),
         X * 5, Y * 10, {"learning_rate": 0.9, "iterations": 1000}),
        ("diverges-minibatch", portable_network([2, 6, 6, 1], "relu", "identity", "mse", 2),
         X * 5, Y * 10,
         {"learning_rate": 0.5, "iterations": 1000, "batch_size": 6,
          "batch_order": batch_order(n, 4, 2), "momentum": 0.9}),
        ("diverges-at-start", portable_network([2, 3, 1], "identity", "identity", "mse", 2),
         X * 1e154, Y, {"learning_rate": 0.1, "iterations": 10}),
    ]  # fmt: skip
    for name, net, Xs, Ys, kwargs in long_runs:
        if name == "diverges-at-start":
            net.weights = [w * 1e154 for w in net.weights]
        add_training_case(f"long-{name}", net, Xs, Ys, kwargs, rtol=1e-6)


def add_divergence_sanity() -> None:
    """The divergence cases above must diverge (else they test nothing)."""
    train, _ = playground_data("two_moons", 60, noise=0.1, seed=4)
    X, Y = train.X / 5, train.Y
    net = portable_network([2, 6, 1], "relu", "identity", "squared_error", 2)
    assert net.train(X * 5, Y * 10, learning_rate=0.9, iterations=1000).diverged


# --------------------------------------------------------------------- chain rule


def add_chain_rule_cases() -> None:
    nets = [
        (portable_network([2, 3, 2], "sigmoid", "sigmoid", "squared_error", 1), [0.05, 0.1],
         [0.01, 0.99]),
        (portable_network([2, 3, 4, 1], "tanh", "sigmoid", "binary_cross_entropy", 2),
         [0.5, -1.0], [1.0]),
        (portable_network([3, 4, 3], "relu", "softmax", "cross_entropy", 3), [1.0, -0.5, 2.0],
         [0.0, 1.0, 0.0]),
        (portable_network([2, 3, 3, 2], "identity", "identity", "mse", 4), [0.3, 0.7],
         [1.0, -1.0]),
        (portable_network([2, 2, 3], "tanh", "softmax", "squared_error", 5), [1.0, 2.0],
         [0.2, 0.3, 0.5]),
        (bl.Network.from_weights([[[40.0], [40.0]]], [[0.0]], "sigmoid", "sigmoid",
                                 "binary_cross_entropy"), [1.0, 1.0], [0.0]),
        (bl.Network.from_weights([[[40.0, 1.0], [40.0, 0.5]], [[30.0], [1.0]]], [[0.0, 0.0], [0.0]],
                                 "tanh", "sigmoid", "binary_cross_entropy"), [1.0, 1.0], [1.0]),
    ]  # fmt: skip
    for number, (net, x, y) in enumerate(nets):
        names = net.parameter_names()
        for param in [*names[:: max(1, len(names) // 12)], names[-1]]:

            def check(result, net=net, x=x, y=y, param=param):
                steps = bl.chain_rule(net, x, y, param)
                assert result["param"] == steps.param
                assert result["nPaths"] == steps.n_paths
                assert_close(result["loss"], steps.loss)
                assert_close(result["value"], steps.value)
                assert [f["text"] for f in result["factors"]] == [f.text for f in steps.factors]
                for mine, theirs in zip(result["factors"], steps.factors):
                    assert_close(mine["value"], theirs.value, what=theirs.text)
                    assert len(mine["terms"]) == len(theirs.terms)
                    for term, expected in zip(mine["terms"], theirs.terms):
                        assert term["neuron"] == expected.neuron
                        assert term["text"] == expected.text
                        assert_close(term["value"], expected.value, what=expected.text)
                        assert_close([f["value"] for f in term["factors"]],
                                     [f.value for f in expected.factors])  # fmt: skip

            TABLE.add(
                f"chain-rule-{number}-{param}",
                {"op": "chainRule", "net": net_json(net), "x": x, "y": y, "param": param},
                expect_result(check),
            )


# ------------------------------------------------------------------------ descent


def add_descent_cases() -> None:
    runs = [
        ("quadratic", 2.5, rate, 60)
        for rate in (0.01, 0.1, 0.3, 0.5, 0.6, 0.9, 1.0, 1.05, 1.5, 3.0)
    ] + [
        ("double_well", start, rate, 200)
        for start in (1.8, -0.2, 0.1)
        for rate in (0.001, 0.02, 0.1, 0.2, 0.3, 0.5)
    ]
    for fn, start, rate, steps in runs:

        def check(result, fn=fn, start=start, rate=rate, steps=steps):
            path = bl.descent.get_function(fn).descend(rate, steps, start)
            assert result["regime"] == path.regime
            assert result["divergedAt"] == path.diverged_at
            assert result["convergedAt"] == path.converged_at
            assert result["reversals"] == path.reversals
            assert_close(result["x"], path.x, what="x")
            assert_close(result["fx"], path.fx, what="f(x)")
            assert_close(result["dfx"], path.dfx, what="f'(x)")

        TABLE.add(
            f"descent-{fn}-{start}-{rate}",
            {"op": "descend1d", "fn": fn, "start": start, "learningRate": rate, "steps": steps},
            expect_result(check),
        )


# ------------------------------------------------------------------ one neuron


def add_neuron_cases() -> None:
    for activation in ("sigmoid", "tanh", "relu", "identity"):
        for w1, w2, b, x1, x2 in [(1.0, -1.0, 0.5, 1.0, 0.5), (-3.2, 4.7, -0.1, 2.9, -1.3)]:

            def check(result, activation=activation, v=(w1, w2, b, x1, x2)):
                z = v[0] * v[3] + v[1] * v[4] + v[2]
                a = float(get_activation(activation).function(np.array(z)))
                assert result["z"] == z
                assert_close(result["a"], a)

            TABLE.add(
                f"neuron-{activation}-{w1}",
                {"op": "neuron", "weights": [w1, w2], "bias": b, "inputs": [x1, x2],
                 "activation": activation},
                expect_result(check),
            )  # fmt: skip


# ---------------------------------------------------- generator, weights and data


def add_generator_cases() -> None:
    for seed in (0, 1, 42, 123456789, 2**32 - 1):
        for kind in ("uint32", "random", "normal"):

            def check(result, seed=seed, kind=kind):
                expected = getattr(PortableRandom(seed), kind)(500)
                if kind == "normal":  # Math.log/cos: the last bit may differ
                    assert_close(result, expected)
                else:
                    assert result == expected.tolist()

            TABLE.add(
                f"random-{kind}-{seed}",
                {"op": "random", "seed": seed, "kind": kind, "n": 500},
                expect_result(check),
            )

        def uniform_check(result, seed=seed):
            assert result == PortableRandom(seed).uniform(-2.5, 7.0, 100).tolist()

        TABLE.add(
            f"random-uniform-{seed}",
            {"op": "random", "seed": seed, "kind": "uniform", "n": 100, "low": -2.5, "high": 7.0},
            expect_result(uniform_check),
        )

        def permutation_check(result, seed=seed):
            assert result == PortableRandom(seed).permutation(97).tolist()

        TABLE.add(
            f"permutation-{seed}",
            {"op": "random", "seed": seed, "kind": "permutation", "n": 97},
            expect_result(permutation_check),
        )

        def order_check(result, seed=seed):
            assert result == [o.tolist() for o in batch_order(40, 5, seed)]

        TABLE.add(
            f"batch-order-{seed}",
            {"op": "batchOrder", "n": 40, "epochs": 5, "seed": seed},
            expect_result(order_check),
        )

    for sizes in ([2, 4, 1], [2, 8, 8, 1], [3, 16, 16, 16, 3], [1, 1]):
        for activation, init in (
            ("tanh", "auto"),
            ("sigmoid", "auto"),
            ("relu", "auto"),
            ("tanh", "he"),
            ("relu", "glorot"),
        ):
            for seed in (0, 7, 2**32 - 1):

                def init_check(result, sizes=sizes, activation=activation, init=init, seed=seed):
                    weights, biases = initial_parameters(sizes, activation, seed, init)
                    glorot = init == "glorot" or (init == "auto" and activation != "relu")
                    for mine, theirs in zip(result["weights"], weights):
                        if glorot:  # no transcendental function: equal to the last bit
                            assert mine == theirs.tolist()
                        else:
                            assert_close(mine, theirs)
                    assert result["biases"] == [b.tolist() for b in biases]

                TABLE.add(
                    f"init-{'-'.join(map(str, sizes))}-{activation}-{init}-{seed}",
                    {"op": "initialParameters", "sizes": sizes, "activation": activation,
                     "seed": seed, "init": init},
                    expect_result(init_check),
                )  # fmt: skip

    for name in PLAYGROUND_NAMES:
        settings = [(200, 0.0, 0.5, 0), (31, 0.2, 0.3, 7), (500, 0.5, 0.1, 99)]
        for n, noise, fraction, seed in settings:

            def data_check(result, name=name, n=n, noise=noise, fraction=fraction, seed=seed):
                train, test = playground_data(name, n, noise, fraction, seed)
                for mine, theirs in ((result["train"], train), (result["test"], test)):
                    assert_close(mine["X"], theirs.X, what="X")
                    if theirs.task == "classification":
                        assert decode(mine["Y"]).tolist() == theirs.Y.tolist()
                    else:
                        assert_close(mine["Y"], theirs.Y, what="Y")
                assert result["task"] == train.task
                assert result["nClasses"] == train.n_classes

            TABLE.add(
                f"playground-{name}-{n}-{noise}-{seed}",
                {"op": "playgroundData", "name": name,
                 "options": {"nSamples": n, "noise": noise, "testFraction": fraction,
                             "seed": seed}},
                expect_result(data_check),
            )  # fmt: skip


# ------------------------------------------------------------------ input features


def add_feature_cases() -> None:
    rng = np.random.default_rng(5)
    two = rng.uniform(-6, 6, size=(40, 2))
    one = rng.uniform(-6, 6, size=(25, 1))
    subsets = [list(FEATURES), ["x1", "x2"], ["sin(x2)", "x1*x2", "x1^2"], ["x2^2"]]
    for k, names in enumerate(subsets):

        def check(result, names=names):
            assert_close(result, input_features(two, names))

        TABLE.add(
            f"features-2d-{k}",
            {"op": "call", "fn": "inputFeatures", "args": [two.tolist(), names]},
            expect_result(check),
        )
    for k, names in enumerate([["x1"], ["sin(x1)", "x1^2", "x1"]]):

        def check_one(result, names=names):
            assert_close(result, input_features(one, names))

        TABLE.add(
            f"features-1d-{k}",
            {"op": "call", "fn": "inputFeatures", "args": [one.tolist(), names]},
            expect_result(check_one),
        )
    for k, (X, names, words) in enumerate(
        [
            (two, ["x3"], "features must be names from"),
            (one, ["x1", "x2^2"], "need x2"),
            (two, [], "at least one input feature"),
            (two, ["x1", "x1"], "must not repeat"),
            (two, "x1", "features must be a list"),
        ]
    ):

        def refused(answer, words=words):
            assert words in answer.get("error", ""), answer

        TABLE.add(
            f"features-error-{k}",
            {"op": "call", "fn": "inputFeatures", "args": [X.tolist(), names]},
            refused,
        )


# ------------------------------------------------------------------------- errors


def add_error_cases() -> None:
    net = portable_network([2, 3, 1], "tanh", "sigmoid", "binary_cross_entropy", 0)
    X, Y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[1.0], [1.0], [0.0]]
    bad = [
        ("batch-order-not-a-permutation", {"batchSize": 2, "batchOrder": [[0, 0, 1]]},
         "options.batchOrder[0]"),
        ("batch-order-without-batch-size", {"batchOrder": [[0, 1, 2]]}, "options.batchOrder"),
        ("negative-l2", {"l2": -1}, "options.l2"),
        ("momentum-one", {"momentum": 1}, "options.momentum"),
        ("zero-learning-rate", {"learningRate": 0}, "options.learningRate"),
        ("patience-without-validation", {"patience": 2}, "options.patience"),
    ]  # fmt: skip
    for name, options, expected in bad:

        def check(answer, expected=expected):
            assert "error" in answer and expected in answer["error"], answer

        TABLE.add(
            f"error-{name}",
            {"op": "train", "net": net_json(net), "X": X, "Y": Y, "options": options},
            check,
        )
    wrong = dict(net_json(net), loss="cross_entropy")

    def loss_check(answer):
        assert "net.loss" in answer["error"] and "softmax" in answer["error"]

    TABLE.add("error-loss-needs-softmax", {"op": "loss", "net": wrong, "X": X, "Y": Y}, loss_check)

    def param_check(answer):
        assert "param" in answer["error"] and "W3[0,0]" in answer["error"]

    TABLE.add(
        "error-chain-rule-param",
        {"op": "chainRule", "net": net_json(net), "x": X[0], "y": Y[0], "param": "W3[0,0]"},
        param_check,
    )

    def data_check(answer):
        assert "testFraction" in answer["error"]

    TABLE.add(
        "error-playground-split",
        {"op": "playgroundData", "name": "xor", "options": {"nSamples": 10, "testFraction": 0.01}},
        data_check,
    )

    def flat_check(answer):  # net 2-3-1 has 2*3 + 3*1 + 3 + 1 = 13 parameters
        assert "flat" in answer["error"] and "13 parameters" in answer["error"], answer

    TABLE.add(
        "error-with-parameters-count",
        {"op": "call", "fn": "withParameters", "args": [net_json(net), [0.0] * 12]},
        flat_check,
    )


# --------------------------------------------- shared weights (chapter 7): conv, RNN, clipping


def add_shared_weight_cases() -> None:
    """``conv1d``, ``conv1dBackward``, ``rnnForward``, ``rnnBackward`` and ``clipGradients``
    against ``bl.conv1d``, ``bl.conv1d_backward``, ``bl.rnn_forward``, ``bl.rnn_backward``
    and ``bl.clip_gradients``, on random and edge cases; bad inputs name the argument."""

    def call(fn: str, *args: Any) -> dict[str, Any]:
        return {"op": "call", "fn": fn, "args": list(args)}

    rng = np.random.default_rng(70)
    conv_shapes = [(5, 2), (5, 3), (6, 1), (4, 4), (9, 3), (1, 1), (12, 5)]
    for n, k in conv_shapes:
        x, w = rng.normal(size=n), rng.normal(size=k)
        g, b = rng.normal(size=n - k + 1), float(rng.normal())

        def conv_check(result, x=x, w=w, b=b):
            assert_close(result, bl.conv1d(x, w, b))

        def backward_check(result, x=x, w=w, g=g):
            grad_x, grad_kernel, grad_bias = bl.conv1d_backward(x, w, g)
            assert_close(result["gradX"], grad_x, what="gradX")
            assert_close(result["gradKernel"], grad_kernel, what="gradKernel")
            assert_close(result["gradBias"], grad_bias, what="gradBias")

        TABLE.add(
            f"conv1d-{n}-{k}", call("conv1d", x.tolist(), w.tolist(), b), expect_result(conv_check)
        )
        TABLE.add(
            f"conv1d-backward-{n}-{k}",
            call("conv1dBackward", x.tolist(), w.tolist(), g.tolist()),
            expect_result(backward_check),
        )

    # the chapter's example, exactly
    def chapter_check(result):
        assert result == {"gradX": [2, -1, -2, 5, -2], "gradKernel": [-1, 9], "gradBias": 2}

    example = [[1.0, 2.0, 0.0, -1.0, 3.0], [2.0, -1.0], [1.0, 0.0, -1.0, 2.0]]
    TABLE.add("conv1d-chapter-7", call("conv1dBackward", *example), expect_result(chapter_check))

    recurrences = [  # (T, n_in, n_hidden, with h0, scale of the weights)
        (3, 1, 1, False, 1.0), (1, 1, 1, True, 1.0), (5, 2, 3, True, 0.8), (8, 3, 2, False, 1.5),
        (20, 1, 1, False, 1.5), (50, 1, 1, False, 0.5), (4, 2, 4, True, 3.0),
    ]  # fmt: skip
    for T, n_in, n_hidden, with_h0, scale in recurrences:
        xs = rng.normal(size=(T, n_in))
        W_x = scale * rng.normal(size=(n_in, n_hidden))
        W_h = scale * rng.normal(size=(n_hidden, n_hidden))
        b = 0.3 * rng.normal(size=n_hidden)
        h0 = rng.normal(size=n_hidden) if with_h0 else None
        g = rng.normal(size=(T, n_hidden))
        args = [xs.tolist(), W_x.tolist(), W_h.tolist(), b.tolist()]
        h0_arg = None if h0 is None else h0.tolist()
        name = f"{T}-{n_in}-{n_hidden}-{scale}"

        def forward_check(result, args=(xs, W_x, W_h, b, h0)):
            assert_close(result, bl.rnn_forward(*args))

        def rnn_backward_check(result, args=(xs, W_x, W_h, b, g, h0)):
            grads = bl.rnn_backward(*args)
            for field, mine in (("W_x", "Wx"), ("W_h", "Wh"), ("b", "b"), ("h0", "h0")):
                assert_close(result[mine], getattr(grads, field), what=field)
            assert_close(result["states"], grads.states, what="states")
            assert_close(result["gradStates"], grads.grad_states, what="grad_states")
            assert_close(result["deltas"], grads.deltas, what="deltas")

        TABLE.add(
            f"rnn-forward-{name}", call("rnnForward", *args, h0_arg), expect_result(forward_check)
        )
        TABLE.add(
            f"rnn-backward-{name}",
            call("rnnBackward", *args, g.tolist(), h0_arg),
            expect_result(rnn_backward_check),
        )

    # one input and one state given as plain numbers, as the chapter writes them
    quiet, last = [0.0] * 30, [0.0] * 29 + [1.0]

    def scalar_check(result):
        grads = bl.rnn_backward(quiet, 1.0, 1.1, 0.0, last)
        assert_close(result["gradStates"], grads.grad_states)
        assert_close(result["b"], grads.b)

    TABLE.add(
        "rnn-backward-numbers",
        call("rnnBackward", quiet, 1.0, 1.1, 0.0, last),
        expect_result(scalar_check),
    )
    TABLE.add(
        "rnn-forward-numbers",
        call("rnnForward", [1.0, 0.0, 1.0], 0.8, 0.5, 0.0),
        expect_result(lambda r: assert_close(r, bl.rnn_forward([1.0, 0.0, 1.0], 0.8, 0.5, 0.0))),
    )

    clips = [
        ([[3.0], [4.0]], 1.0),
        ([[0.3, -0.4], [1.2]], 0.65),
        ([rng.normal(size=(2, 3)).tolist(), rng.normal(size=3).tolist(), 2.5], 100.0),
        ([rng.normal(size=(3, 3)).tolist(), rng.normal(size=4).tolist()], 0.01),
        ([[1e200, -1e200], [3e199]], 1.0),  # squares would overflow
        ([[0.0, 0.0], [0.0]], 1.0),
    ]
    for k, (arrays, max_norm) in enumerate(clips):

        def clip_check(result, arrays=arrays, max_norm=max_norm):
            clipped = bl.clip_gradients(arrays, max_norm)
            assert_close(result["norm"], clipped.norm, what="norm")
            assert_close(result["scale"], clipped.scale, what="scale")
            assert result["clipped"] == clipped.clipped and result["maxNorm"] == max_norm
            for mine, theirs in zip(result["gradients"], clipped, strict=True):
                assert_close(mine, theirs)

        TABLE.add(f"clip-{k}", call("clipGradients", arrays, max_norm), expect_result(clip_check))

    bad = [
        ("conv1d-kernel-too-long", call("conv1d", [1.0, 2.0], [1.0, 2.0, 3.0]), "kernel"),
        ("conv1d-empty-x", call("conv1d", [], [1.0]), "x must be a non-empty array"),
        ("conv1d-text-kernel", call("conv1d", [1.0, 2.0], "12"), "kernel"),
        ("conv1d-nan-bias", call("conv1d", [1.0, 2.0], [1.0], "NaN"), "bias"),
        ("conv1d-null-entry", call("conv1d", [1.0, None], [1.0]), "x[1]"),
        ("conv1d-backward-grad", call("conv1dBackward", [1.0, 2.0], [1.0], [1.0]), "gradOut"),
        ("rnn-empty-xs", call("rnnForward", [], 1.0, 1.0, 0.0), "xs"),
        ("rnn-wx-shape", call("rnnForward", [[1.0, 2.0]], [[1.0]], [[1.0]], 0.0), "Wx"),
        ("rnn-wh-shape", call("rnnForward", [1.0], [[1.0, 2.0]], [[1.0]], 0.0), "Wh"),
        ("rnn-b-length", call("rnnForward", [1.0], 1.0, 1.0, [0.0, 0.0]), "b must hold 1"),
        ("rnn-h0-length", call("rnnForward", [1.0], 1.0, 1.0, 0.0, [0.0, 1.0]), "h0"),
        ("rnn-grad-hs", call("rnnBackward", [1.0, 2.0], 1.0, 1.0, 0.0, [1.0]), "gradHs must"),
        ("clip-not-a-list", call("clipGradients", 3.0, 1.0), "gradients must be an array"),
        ("clip-empty", call("clipGradients", [], 1.0), "at least one"),
        ("clip-zero-norm", call("clipGradients", [[1.0]], 0.0), "maxNorm"),
        ("clip-text-entry", call("clipGradients", [[1.0, "a"]], 1.0), "gradients[0][1]"),
    ]  # fmt: skip
    for name, case, expected in bad:

        def error_check(answer, expected=expected):
            assert "error" in answer and expected in answer["error"], answer

        TABLE.add(f"error-{name}", case, error_check)


add_network_cases()
add_option_cases()
add_step_cases()
add_chain_rule_cases()
add_descent_cases()
add_neuron_cases()
add_generator_cases()
add_feature_cases()
add_error_cases()
add_shared_weight_cases()


# -------------------------------------------------------------------------- tests


def run_node(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [NODE, str(RUNNER), str(ENGINE_PATH)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


WIDGET = "export default { render() {} };\nconst seen = forward !== undefined;\n"
CLASH = "export default { render() {} };\nfunction train() {}\n"


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Every case's answer, from one Node process; the two inclusion cases last."""
    folder = tmp_path_factory.mktemp("esm")
    (folder / "package.json").write_text('{"type": "module"}')
    good, clash = folder / "widget.js", folder / "clash.js"
    good.write_text(widget_esm(WIDGET))
    clash.write_text(widget_esm(CLASH))
    extra = [{"op": "import", "path": str(good)}, {"op": "import", "path": str(clash)}]
    return run_node(TABLE.cases + extra)


@pytest.mark.parametrize("index", range(len(TABLE.cases)), ids=TABLE.ids)
def test_engine_matches_package(answers: list[dict[str, Any]], index: int) -> None:
    TABLE.checks[index](answers[index])


def test_the_table_covers_every_activation_and_loss_pair() -> None:
    names = [name for name in TABLE.ids if name.startswith("train50-")]
    assert len(names) == len(HIDDEN) * len(PAIRS) == 48
    depths = {name.rsplit("-", 1)[1] for name in names}
    assert depths == {"1hidden", "2hidden", "3hidden", "4hidden"}


def test_divergence_cases_diverge() -> None:
    add_divergence_sanity()


def test_widget_code_appended_to_the_engine_is_one_module(
    answers: list[dict[str, Any]],
) -> None:
    exports = answers[len(TABLE.cases)]["result"]
    assert "default" in exports and "train" in exports and "createRandom" in exports


def test_a_widget_redeclaring_an_engine_name_fails_to_load(
    answers: list[dict[str, Any]],
) -> None:
    answer = answers[len(TABLE.cases) + 1]
    assert answer.get("name") == "SyntaxError", answer
    assert "train" in answer["error"]
