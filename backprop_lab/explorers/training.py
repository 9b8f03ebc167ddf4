"""The training explorer of chapter 5: train a network on non-linear data, watch it learn.

:class:`TrainingExplorer` trains once per setting (data set, hidden layers, activation,
learning rate, seed), to the iterations slider's maximum, keeping snapshots; the iterations
slider then only shows another snapshot (:class:`backprop_lab.plotting.animation.TrainingView`).
"""

from __future__ import annotations

import itertools
import re
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from backprop_lab.calc import datasets
from backprop_lab.checks.arguments import check_choice, check_integer, check_positive_number
from backprop_lab.explorers.base import Explorer, StaticAxis, check_slider_value, values_with
from backprop_lab.explorers.common import log_slider
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS
from backprop_lab.nn.network import Network
from backprop_lab.plotting.animation import TrainingView

__all__ = ["TrainingExplorer", "parse_hidden_layers"]


def parse_hidden_layers(value: Any) -> tuple[int, ...]:
    """Hidden layer sizes from ``"16,16"``, ``"8"``, ``(16, 16)`` or ``8`` (chapter 5).

    An empty string means no hidden layer. Each size must be 1 to 128, at most 5 layers.
    """
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        sizes = []
        for part in parts:
            if not re.fullmatch(r"[0-9]+", part):  # not isdigit(): "²" is a digit to Python
                raise ValueError(
                    "hidden_layers must be whole numbers separated by commas, e.g. '16,16'; "
                    f"got {value!r}"
                )
            sizes.append(int(part))
    elif isinstance(value, int | np.integer) and not isinstance(value, bool):
        sizes = [int(value)]
    elif isinstance(value, Sequence):
        sizes = [check_integer("hidden_layers", v, minimum=1) for v in value]
    else:
        raise TypeError(
            f"hidden_layers must be a string like '16,16' or a tuple like (16, 16); got {value!r}"
        )
    if len(sizes) > 5 or any(not 1 <= s <= 128 for s in sizes):
        raise ValueError(
            f"hidden_layers must hold at most 5 sizes, each from 1 to 128; got {tuple(sizes)}"
        )
    return tuple(sizes)


def _layers_text(sizes: tuple[int, ...]) -> str:
    return ",".join(str(s) for s in sizes)


class TrainingExplorer(Explorer):
    """Train a network on non-linear data and watch it learn (chapter 5).

    Left, the decision boundary (or the fitted curve for ``regression_1d``) at the chosen
    iteration; right, the loss curve. Each setting trains once, to the iterations slider's
    maximum, keeping snapshots; moving the iterations slider only shows another snapshot.

    Parameters
    ----------
    dataset : str
        ``"two_moons"``, ``"circles"``, ``"spirals"``, ``"three_spirals"``, ``"xor"`` or
        ``"regression_1d"``.
    hidden_layers : tuple of int or str
        Hidden layer sizes, e.g. ``(8,)`` or ``"16,16"``.
    activation : str
        Hidden activation: ``"tanh"``, ``"relu"``, ``"sigmoid"`` or ``"identity"``.
    learning_rate : float
        Slider from 0.001 to 10 (log scale).
    iterations : int
        The iteration shown (slider from 0 to ``max_iterations``); default half of
        ``max_iterations``.
    seed : int
        Seed of the initial weights (0 to 20).
    max_iterations : int
        How far each setting trains (the iterations slider's maximum).

    Attributes
    ----------
    controls : dict
        ``"dataset"``, ``"hidden_layers"``, ``"activation"``, ``"learning_rate"``,
        ``"iterations"``, ``"seed"``, ``"reset"`` (a Button).
    data : Dataset
    initial_network : Network
        The network before training (from ``seed``).
    history : TrainingHistory
        The run for the current setting, with snapshots.
    network : Network
        The network at the iteration shown.

    Notes
    -----
    Two-class classification uses a sigmoid output with binary cross-entropy,
    ``three_spirals`` a softmax output of three units with cross-entropy (three coloured
    regions), regression an identity output with the squared error. The reset button
    starts the run again from the same initial weights and shows iteration 0.
    """

    figsize = (8.6, 3.4)
    dpi = 72
    _cache_size = 12

    def __init__(
        self,
        dataset: str = "two_moons",
        hidden_layers: Any = (8,),
        activation: str = "tanh",
        learning_rate: float = 0.3,
        iterations: int | None = None,
        seed: int = 0,
        *,
        max_iterations: int = 1000,
    ) -> None:
        super().__init__()
        check_choice("dataset", dataset, datasets.NAMES)
        sizes = parse_hidden_layers(hidden_layers)
        check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        learning_rate = check_positive_number("learning_rate", learning_rate)
        max_iterations = check_integer("max_iterations", max_iterations, minimum=10)
        if iterations is None:
            iterations = max_iterations // 2
        iterations = check_integer("iterations", iterations, minimum=0)
        seed = check_integer("seed", seed, minimum=0)
        check_slider_value("learning_rate", learning_rate, 1e-3, 10.0)
        check_slider_value("iterations", iterations, 0, max_iterations)
        self.snapshot_every = max(1, max_iterations // 100)
        max_iterations = self.snapshot_every * int(np.ceil(max_iterations / self.snapshot_every))
        self.max_iterations = max_iterations
        self.data = None
        self._check_cost(sizes, dataset)
        c = self.controls
        c["dataset"] = widgets.Dropdown(
            options=list(datasets.NAMES), value=dataset, description="data set"
        )
        c["hidden_layers"] = widgets.Text(
            value=_layers_text(sizes),
            description="hidden layers",
            placeholder="e.g. 16,16",
            continuous_update=False,
        )
        c["activation"] = widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="activation"
        )
        c["learning_rate"] = log_slider(
            "learning rate", learning_rate, 0.001, 10.0, step=0.05, continuous_update=False
        )
        c["iterations"] = widgets.IntSlider(
            value=iterations,
            min=0,
            max=max_iterations,
            step=self.snapshot_every,
            description="iterations",
        )
        c["seed"] = widgets.IntSlider(
            value=seed,
            min=0,
            max=max(20, seed),
            description="seed",
            continuous_update=False,
        )
        c["reset"] = widgets.Button(description="reset", icon="refresh", tooltip="train again")
        c["reset"].on_click(lambda _: self.reset())
        self._runs: OrderedDict[tuple, tuple[Network, Any]] = OrderedDict()
        self._view_key: tuple | None = None
        self.view: TrainingView | None = None
        self.data = self.history = self.initial_network = self.network = None
        self.model_ax, self.loss_ax = self.figure.subplots(
            1, 2, gridspec_kw={"width_ratios": [1, 1.3]}
        )
        self.figure.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.88, wspace=0.25)
        self._assemble(
            [
                [c["dataset"], c["hidden_layers"], c["activation"]],
                [c["learning_rate"], c["iterations"]],
                [c["seed"], c["reset"]],
            ]
        )

    # ..................................................................... website

    # too small, good, oscillating and diverging (log-spaced, half a decade apart)
    STATIC_LEARNING_RATES = tuple(10.0 ** (-3 + 0.5 * k) for k in range(9))
    STATIC_ITERATION_POSITIONS = 11

    def static_axes(self) -> list[StaticAxis]:
        """On the website: nine or ten learning rates, and eleven iterations positions."""
        c = self.controls
        count = self.STATIC_ITERATION_POSITIONS - 1
        every = self.snapshot_every * max(
            1, round(self.max_iterations / self.snapshot_every / count)
        )
        iterations = values_with(c["iterations"].value, range(0, self.max_iterations + 1, every))
        return [
            StaticAxis(
                "learning_rate",
                values_with(c["learning_rate"].value, self.STATIC_LEARNING_RATES, digits=6),
                lambda values: [f"{v:.2g}" for v in values],
            ),
            StaticAxis("iterations", [int(v) for v in iterations]),
        ]

    # ..................................................................... training

    def _setting(self) -> tuple:
        c = self.controls
        return (
            c["dataset"].value,
            parse_hidden_layers(c["hidden_layers"].value),
            c["activation"].value,
            float(c["learning_rate"].value),
            int(c["seed"].value),
        )

    def training_seconds(self, hidden_layers: Any, dataset: str | None = None) -> float:
        """About how long one setting takes to train here (a multiply-add count, not a clock).

        A full-batch step costs about 6 floating-point operations per weight and sample
        (2 forward, 4 backward); :attr:`FLOPS` is a conservative rate for small networks on
        a shared 2-core machine (``benchmarks/bench_widgets.py`` measures real ones).
        """
        data = self._dataset(dataset or self.controls["dataset"].value)
        sizes = [data.n_inputs, *parse_hidden_layers(hidden_layers), data.Y.shape[1]]
        weights = sum(a * b for a, b in itertools.pairwise(sizes))
        return 6.0 * weights * len(data.X) * self.max_iterations / self.FLOPS

    FLOPS = 5e9
    MAX_SECONDS = 10.0
    """Settings estimated to train longer than this are refused (the picture stays)."""

    def _check_cost(self, hidden_layers: Any, dataset: str | None = None) -> float:
        seconds = self.training_seconds(hidden_layers, dataset)
        if seconds > self.MAX_SECONDS:
            raise ValueError(
                f"hidden_layers {parse_hidden_layers(hidden_layers)} would take about "
                f"{seconds:.0f} s to train for {self.max_iterations} iterations, every time a "
                f"slider moves; choose fewer or smaller layers (at most about "
                f"{self.MAX_SECONDS:.0f} s)"
            )
        return seconds

    def _run(self, setting: tuple) -> tuple[Network, Any]:
        """The initial network and the training history of a setting (trained once)."""
        if setting in self._runs:
            self._runs.move_to_end(setting)
            return self._runs[setting]
        name, hidden, activation, learning_rate, seed = setting
        self._check_cost(hidden, name)
        data = self._dataset(name)
        net = Network(
            [data.n_inputs, *hidden, data.Y.shape[1]],
            activation=activation,
            output_activation=self._output(data)[0],
            loss=self._output(data)[1],
            seed=seed,
        )
        history = net.copy().train(
            data.X,
            data.Y,
            learning_rate=learning_rate,
            iterations=self.max_iterations,
            snapshot_every=self.snapshot_every,
            progress=False,  # the explorer's own status line says what happened
        )
        self._runs[setting] = (net, history)
        while len(self._runs) > self._cache_size:
            self._runs.popitem(last=False)
        return net, history

    @staticmethod
    def _output(data: Any) -> tuple[str, str]:
        """The output activation and loss for a data set: softmax with cross-entropy for
        more than two classes, a sigmoid with binary cross-entropy for two, the identity
        with the squared error for regression."""
        if data.task != "classification":
            return "identity", "squared_error"
        if data.Y.shape[1] > 1:
            return "softmax", "cross_entropy"
        return "sigmoid", "binary_cross_entropy"

    def _dataset(self, name: str) -> Any:
        if self.data is None or self.data.name != name:
            return datasets.load(name)
        return self.data

    def reset(self) -> None:
        """Train the current setting again from its initial weights and show iteration 0."""
        try:
            self._runs.pop(self._setting(), None)
        except (TypeError, ValueError):
            pass
        with self.hold():
            self.controls["iterations"].value = 0

    # ..................................................................... drawing

    def _render(self) -> tuple[str, str]:
        try:
            setting = self._setting()
            self._check_cost(setting[1], setting[0])
        except (TypeError, ValueError) as error:
            return f"{error}. The picture still shows the last valid setting.", "error"
        net, history = self._run(setting)
        data = self._dataset(setting[0])
        view_key = (data.name, len(net.layer_sizes))
        if self.view is None or self._view_key is None or self._view_key[0] != data.name:
            for ax in (self.model_ax, self.loss_ax):
                ax.clear()
            self.view = TrainingView(
                (self.model_ax, self.loss_ax),
                net,
                data.X,
                data.Y,
                history,
                target_function=data.target_function,
                resolution=50,
            )
        else:
            self.view.set_history(history, net)
        self._view_key = view_key
        self.data, self.initial_network, self.history = data, net, history
        self.view.show(int(self.controls["iterations"].value))
        self.network = self.view.model
        return self._message()

    def _message(self) -> tuple[str, str]:
        history, shown = self.history, self.view.iteration
        loss = float(history.loss[min(shown, len(history.loss) - 1)])
        parts = [f"Iteration {shown}: loss {loss:.4g}" if np.isfinite(loss) else ""]
        if self.data.task == "classification":
            parts[0] += f", accuracy {self.network.accuracy(self.data.X, self.data.Y):.1%}"
        parts[0] += "."
        level = "ok"
        if history.diverged:
            level = "warning"
            parts.append(f"{history.message} Try a smaller learning rate.")
        elif history.final_loss > 1.05 * history.initial_loss:
            level = "warning"
            parts.append(
                f"The loss rose from {history.initial_loss:.4g} to {history.final_loss:.4g}: "
                "the learning rate is too large."
            )
        else:
            parts.append(
                f"After {history.iterations_run} iterations the loss is {history.final_loss:.4g}."
            )
        return " ".join(p for p in parts if p), level
