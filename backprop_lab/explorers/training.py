"""The playground of chapter 5 (reused in chapters 4 and 6): train a network in the page.

:class:`TrainingExplorer` is a live explorer: its view (``js/playground.js``) draws the data
from the generator Python and the page share, builds the network from the same seeded
start and trains it with the browser engine, drawing as it goes. Python keeps the settings
and computes the same run with the package: ``explorer.network`` and ``explorer.history``
are trained by :meth:`Network.train` from the same portable start on the same points
(:func:`~backprop_lab.calc.playground_data.playground_data`). They are what the page shows
to rounding, except where training turns unstable (large learning rates): the two runs,
adding in different orders, then part after hundreds of updates and Python's stays the
reference (``docs/architecture.md``, measured by ``benchmarks/bench_drift.py``).
"""

from __future__ import annotations

import json
import math
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import ipywidgets as widgets
import numpy as np
import traitlets

from backprop_lab.calc.datasets import Dataset
from backprop_lab.calc.features import FEATURES, check_features, input_features
from backprop_lab.calc.playground_data import PLAYGROUND_NAMES, playground_data
from backprop_lab.checks.arguments import (
    check_choice,
    check_integer,
)
from backprop_lab.explorers.common import (
    check_slider_integer,
    check_slider_number,
    log_slider,
    plain_slider,
)
from backprop_lab.explorers.live import BrowserView, LiveExplorer
from backprop_lab.nn.activations import HIDDEN_ACTIVATIONS
from backprop_lab.nn.history import TrainingHistory
from backprop_lab.nn.network import Network
from backprop_lab.nn.portable_random import batch_order, portable_network
from backprop_lab.nn.serialization import network_to_dict, network_training_settings

__all__ = ["PlaygroundView", "TrainingExplorer", "parse_hidden_layers"]

MAX_LAYERS = 6
"""The most hidden layers (TensorFlow Playground's limit)."""
MAX_NEURONS = 8
"""The most neurons in one hidden layer (TensorFlow Playground's limit)."""
BATCH_SIZES: tuple[tuple[str, int], ...] = (
    ("full batch", 0),
    ("1", 1),
    ("2", 2),
    ("4", 4),
    ("8", 8),
    ("16", 16),
)
"""The batch-size menu (0 is the full batch: a menu's value cannot be None): every size fits
the smallest training set the split leaves (20)."""
REGULARIZATIONS: tuple[str, ...] = ("none", "L2", "L1")
"""The regularisation menu: the penalty added to every weight's gradient (not the biases')."""


def parse_hidden_layers(value: Any) -> tuple[int, ...]:
    """Hidden layer sizes from ``"8,8"``, ``"8"``, ``(8, 8)`` or ``8`` (chapter 5).

    An empty string or tuple means no hidden layer. At most :data:`MAX_LAYERS` layers,
    each of 1 to :data:`MAX_NEURONS` neurons (the playground's limits).
    """
    if isinstance(value, str):
        parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
        sizes = []
        for part in parts:
            if not re.fullmatch(r"[0-9]+", part):  # not isdigit(): "²" is a digit to Python
                raise ValueError(
                    "hidden_layers must be whole numbers separated by commas, e.g. '8,8'; "
                    f"got {value!r}"
                )
            sizes.append(int(part))
    elif isinstance(value, int | np.integer) and not isinstance(value, bool):
        sizes = [int(value)]
    elif isinstance(value, Sequence):
        sizes = [check_integer("hidden_layers", v, minimum=1) for v in value]
    else:
        raise TypeError(
            f"hidden_layers must be a string like '8,8' or a tuple like (8, 8); got {value!r}"
        )
    if len(sizes) > MAX_LAYERS or any(not 1 <= s <= MAX_NEURONS for s in sizes):
        raise ValueError(
            f"hidden_layers must hold at most {MAX_LAYERS} sizes, each from 1 to "
            f"{MAX_NEURONS}; got {tuple(sizes)}"
        )
    return tuple(sizes)


def output_of(name: str) -> tuple[int, str, str]:
    """Outputs, output activation and loss for a playground data set: a sigmoid with binary
    cross-entropy for two classes, a softmax of three with cross-entropy for three spirals,
    the identity with the squared error for regression."""
    if name == "regression_1d":
        return 1, "identity", "squared_error"
    if name == "three_spirals":
        return 3, "softmax", "cross_entropy"
    return 1, "sigmoid", "binary_cross_entropy"


class PlaygroundView(BrowserView):
    """The playground's picture (``js/playground.js``): the settings as traits."""

    _view_file = "playground.js"
    _css = (
        BrowserView._css
        + """
.bpl-playground-bar, .bpl-playground-layers, .bpl-playground-features {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 0.5rem;
  margin: 0.2rem 0; font-size: 0.85rem;
}
.bpl-playground-layer { display: inline-flex; align-items: center; gap: 0.25rem; }
.bpl-playground-button {
  font: inherit; color: inherit; background: transparent; border: 1px solid currentColor;
  border-radius: 4px; padding: 0.1rem 0.55rem; min-width: 2rem; min-height: 1.9rem;
  cursor: pointer;
}
.bpl-playground-button:disabled { opacity: 0.4; cursor: default; }
.bpl-playground-features label { white-space: nowrap; }
.bpl-playground-tip { font-size: 0.8rem; min-height: 1.2em; overflow-wrap: anywhere; }
"""
    )
    dataset = traitlets.Int(1).tag(sync=True)  # index into choices["dataset"]
    noise = traitlets.Float(0.0).tag(sync=True)
    test_fraction = traitlets.Float(0.5).tag(sync=True)
    seed = traitlets.Int(0).tag(sync=True)
    activation = traitlets.Int(1).tag(sync=True)
    learning_rate = traitlets.Float(0.3).tag(sync=True)
    batch_size = traitlets.Int(0).tag(sync=True)
    momentum = traitlets.Float(0.0).tag(sync=True)
    regularization = traitlets.Int(0).tag(sync=True)
    regularization_rate = traitlets.Float(1e-3).tag(sync=True)
    iterations = traitlets.Int(500).tag(sync=True)
    hidden_layers = traitlets.List(traitlets.Int(), default_value=[8]).tag(sync=True)
    features = traitlets.List(traitlets.Unicode(), default_value=["x1", "x2"]).tag(sync=True)
    max_iterations = traitlets.Int(1000).tag(sync=True)
    n_samples = traitlets.Int(200).tag(sync=True)
    start = traitlets.Unicode("").tag(sync=True)
    """An imported network's JSON: the start while it fits the settings ("" for none)."""


@dataclass(frozen=True)
class _Setting:
    """Everything that decides a run (the iteration shown aside)."""

    dataset: str
    noise: float
    test_fraction: float
    seed: int
    features: tuple[str, ...]
    hidden_layers: tuple[int, ...]
    activation: str
    learning_rate: float
    batch_size: int | None
    momentum: float
    l2: float
    l1: float
    max_iterations: int
    n_samples: int
    start: str = ""


class TrainingExplorer(LiveExplorer):
    """The playground: train a network on a point cloud and watch it learn (chapter 5).

    Computed and drawn in the browser, with every control live on the website. The page
    shows the decision regions (two classes: the sigmoid's output; three: the softmax's
    winning class; regression: the fitted curve) with the training and test points, the
    training and test loss curves, and the network with each weight drawn by its sign
    and size. Buttons in the picture add and remove hidden layers and neurons, choose the
    input features, play and pause, step (exactly one update) and reset (back to
    iteration 0, the same start).

    Parameters
    ----------
    dataset : str
        One of :data:`~backprop_lab.calc.playground_data.PLAYGROUND_NAMES`: ``"xor"``,
        ``"two_moons"``, ``"circles"``, ``"spirals"``, ``"three_spirals"``,
        ``"regression_1d"``.
    hidden_layers : tuple of int or str
        Hidden layer sizes, e.g. ``(8,)`` or ``"8,8"``: at most 6 layers of 1 to 8.
    activation : str
        Hidden activation: ``"sigmoid"``, ``"tanh"``, ``"relu"`` or ``"identity"``.
    learning_rate : float
        Slider from 0.001 to 10 (log scale).
    iterations : int
        The iteration shown, 0 to ``max_iterations``; default half of ``max_iterations``.
    seed : int
        Seed of the points, the initial weights and the mini-batch order (0 to 20).
    max_iterations : int
        How long each run trains (10 to 5000): the iterations slider's maximum.
    noise : float
        0 to 0.5.
    test_fraction : float
        Share of the points held out as test data, 0.1 to 0.9.
    batch_size : int or None
        None (full batch) or 1, 2, 4, 8 or 16.
    momentum : float
        0 to 0.95.
    regularization : str
        ``"none"``, ``"L2"`` or ``"L1"``.
    regularization_rate : float
        0.0001 to 1 (log scale): ``l2`` or ``l1`` of :meth:`Network.train`.
    features : sequence of str
        Input features from :data:`~backprop_lab.calc.features.FEATURES` (default
        ``("x1", "x2")``; ``regression_1d`` uses ``x1`` unless told).
    n_samples : int
        Points in all (training and test), 20 to 1000.

    Attributes
    ----------
    controls : dict
        The sliders and menus: ``"dataset"``, ``"noise"``, ``"test_fraction"``,
        ``"seed"``, ``"activation"``, ``"learning_rate"``, ``"batch_size"``,
        ``"momentum"``, ``"regularization"``, ``"regularization_rate"``,
        ``"iterations"``.
    view : PlaygroundView
    """

    RANGES: ClassVar[dict[str, tuple[float, float]]] = {
        "learning_rate": (1e-3, 10.0),
        "noise": (0.0, 0.5),
        "test_fraction": (0.1, 0.9),
        "seed": (0, 20),
        "momentum": (0.0, 0.95),
        "regularization_rate": (1e-4, 1.0),
        "max_iterations": (10, 5000),
        "n_samples": (20, 1000),
    }
    _cache_size = 8

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
        noise: float = 0.0,
        test_fraction: float = 0.5,
        batch_size: int | None = None,
        momentum: float = 0.0,
        regularization: str = "none",
        regularization_rate: float = 1e-3,
        features: Sequence[str] | None = None,
        n_samples: int = 200,
    ) -> None:
        super().__init__()
        r = self.RANGES
        check_choice("dataset", dataset, PLAYGROUND_NAMES)
        sizes = parse_hidden_layers(hidden_layers)
        check_choice("activation", activation, HIDDEN_ACTIVATIONS)
        learning_rate = check_slider_number("learning_rate", learning_rate, *r["learning_rate"])
        max_iterations = check_integer("max_iterations", max_iterations, minimum=10, maximum=5000)
        if iterations is None:
            iterations = max_iterations // 2
        iterations = check_slider_integer("iterations", iterations, 0, max_iterations)
        seed = check_slider_integer("seed", seed, *r["seed"])
        noise = check_slider_number("noise", noise, *r["noise"])
        test_fraction = check_slider_number("test_fraction", test_fraction, *r["test_fraction"])
        sizes_menu = [None, *(size for _, size in BATCH_SIZES[1:])]
        if batch_size not in sizes_menu or isinstance(batch_size, bool):
            raise ValueError(
                f"batch_size must be None (full batch) or one of 1, 2, 4, 8, 16; got {batch_size!r}"
            )
        momentum = check_slider_number("momentum", momentum, *r["momentum"])
        check_choice("regularization", regularization, REGULARIZATIONS)
        regularization_rate = check_slider_number(
            "regularization_rate", regularization_rate, *r["regularization_rate"]
        )
        n_samples = check_integer("n_samples", n_samples, minimum=20, maximum=1000)
        n_inputs = 1 if dataset == "regression_1d" else 2
        if features is None:
            features = FEATURES[:n_inputs]
        features = check_features(features, n_inputs)

        c = self.controls
        c["dataset"] = widgets.Dropdown(
            options=list(PLAYGROUND_NAMES), value=dataset, description="data set"
        )
        c["noise"] = plain_slider("noise", noise, *r["noise"], step=0.05)
        c["test_fraction"] = plain_slider(
            "test_fraction",
            test_fraction,
            *r["test_fraction"],
            step=0.1,
            description="test share",
            readout_format=".1f",
        )
        c["seed"] = widgets.IntSlider(value=seed, min=0, max=20, description="seed")
        c["activation"] = widgets.Dropdown(
            options=list(HIDDEN_ACTIVATIONS), value=activation, description="activation"
        )
        c["learning_rate"] = log_slider("learning rate", learning_rate, 1e-3, 10.0, step=0.05)
        c["batch_size"] = widgets.Dropdown(
            options=list(BATCH_SIZES), value=batch_size or 0, description="batch size"
        )
        c["momentum"] = plain_slider("momentum", momentum, *r["momentum"], step=0.05)
        c["regularization"] = widgets.Dropdown(
            options=list(REGULARIZATIONS), value=regularization, description="regularisation"
        )
        c["regularization_rate"] = log_slider(
            "reg. rate", regularization_rate, 1e-4, 1.0, step=0.25, readout_format=".1e"
        )
        c["iterations"] = widgets.IntSlider(
            value=iterations, min=0, max=max_iterations, step=1, description="iterations"
        )
        self.view = PlaygroundView(
            hidden_layers=list(sizes),
            features=list(features),
            max_iterations=max_iterations,
            n_samples=n_samples,
        )
        for name in c:
            self._link(name)
            if isinstance(c[name], widgets.Dropdown):  # the page starts from the same choice
                setattr(self.view, name, c[name].index)
        self._runs: OrderedDict[_Setting, tuple[Network, TrainingHistory]] = OrderedDict()
        self._networks: OrderedDict[tuple[_Setting, int], Network] = OrderedDict()
        self._assemble(
            [
                [c["dataset"], c["noise"], c["test_fraction"], c["seed"]],
                [c["activation"], c["learning_rate"], c["batch_size"], c["momentum"]],
                [c["regularization"], c["regularization_rate"], c["iterations"]],
            ]
        )

    # ........................................................... the page's settings

    @property
    def hidden_layers(self) -> tuple[int, ...]:
        """The hidden layer sizes now (the page's buttons change them)."""
        return parse_hidden_layers(tuple(self.view.hidden_layers))

    @hidden_layers.setter
    def hidden_layers(self, value: Any) -> None:
        self.view.hidden_layers = list(parse_hidden_layers(value))

    @property
    def features(self) -> tuple[str, ...]:
        """The input features now (the page's feature buttons change them)."""
        return check_features(tuple(self.view.features), self._n_inputs())

    @features.setter
    def features(self, value: Sequence[str]) -> None:
        self.view.features = list(check_features(value, self._n_inputs()))

    def _n_inputs(self) -> int:
        return 1 if self.controls["dataset"].value == "regression_1d" else 2

    def setting(self) -> _Setting:
        """The settings that decide the run, read from the controls and the view."""
        v = self.values()
        rate = float(v["regularization_rate"])
        return _Setting(
            dataset=v["dataset"],
            noise=float(v["noise"]),
            test_fraction=float(v["test_fraction"]),
            seed=int(v["seed"]),
            features=self._usable_features(),
            hidden_layers=self.hidden_layers,
            activation=v["activation"],
            learning_rate=float(v["learning_rate"]),
            batch_size=v["batch_size"] or None,
            momentum=float(v["momentum"]),
            l2=rate if v["regularization"] == "L2" else 0.0,
            l1=rate if v["regularization"] == "L1" else 0.0,
            max_iterations=int(self.view.max_iterations),
            n_samples=int(self.view.n_samples),
            start=self.view.start,
        )

    def _usable_features(self) -> tuple[str, ...]:
        """The chosen features the data set has (x2's features are left out for the one
        input of ``regression_1d``, as the page does; x1 if none is left)."""
        n_inputs = self._n_inputs()
        chosen = [n for n in self.view.features if n in FEATURES]
        usable = [n for n in chosen if n in FEATURES and (n_inputs == 2 or "x2" not in n)]
        return check_features(usable or ["x1"], n_inputs)

    # ............................................................ the package's run

    def data(self) -> tuple[Dataset, Dataset]:
        """The training and test sets the page draws (raw inputs)."""
        s = self.setting()
        return playground_data(s.dataset, s.n_samples, s.noise, s.test_fraction, s.seed)

    def _inputs(self, s: _Setting) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        train, test = playground_data(s.dataset, s.n_samples, s.noise, s.test_fraction, s.seed)
        return (
            input_features(train.X, s.features),
            train.Y,
            input_features(test.X, s.features),
            test.Y,
        )

    def _start(self, s: _Setting) -> Network:
        """The imported network while it fits the settings, else the portable start of
        ``seed`` (the page's rule)."""
        outputs, output_activation, loss = output_of(s.dataset)
        sizes = [len(s.features), *s.hidden_layers, outputs]
        if s.start:
            data = json.loads(s.start)
            imported = Network.from_dict(data)
            features = network_training_settings(data)["input_features"]
            if (
                imported.layer_sizes == sizes
                and (imported.activation, imported.output_activation)
                == (s.activation, output_activation)
                and imported.loss_name == loss
                and (features is None or features == s.features)
            ):
                return imported
        return portable_network(sizes, s.activation, output_activation, loss, seed=s.seed)

    def to_json(self) -> str:
        """The network shown, as the JSON :meth:`Network.from_json` reads, with its input
        features and regularisation (the page's export button writes the same numbers)."""
        s = self.setting()
        rates = {"l2": s.l2, "l1": s.l1}
        return json.dumps(
            network_to_dict(self.network, input_features=s.features, regularization=rates)
        )

    def load_json(self, text: str) -> None:
        """Start from a network exported by the playground (or any network whose inputs
        the data set has): its input features, hidden layers and activation become the
        settings, and its parameters the start, until a setting no longer fits it (the
        page's import button does the same).

        Raises
        ------
        TypeError, ValueError
            If ``text`` is not a network's JSON, or the network does not fit the data set
            (its outputs, output activation and loss; its inputs).
        """
        imported = Network.from_json(text)
        data = json.loads(text)
        features = network_training_settings(data)["input_features"]
        dataset = self.controls["dataset"].value
        outputs, output_activation, loss = output_of(dataset)
        if features is None:
            features = FEATURES[: imported.layer_sizes[0]]
        features = check_features(features, self._n_inputs())
        fits = (imported.layer_sizes[-1], imported.output_activation, imported.loss_name) == (
            outputs,
            output_activation,
            loss,
        )
        hidden = parse_hidden_layers(tuple(imported.layer_sizes[1:-1]))
        if not fits or imported.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"text must be a network for {dataset!r}: {outputs} output(s), "
                f"{output_activation} output and {loss} loss, a hidden activation of "
                f"{', '.join(HIDDEN_ACTIVATIONS)}; got {imported.layer_sizes[-1]} output(s), "
                f"{imported.output_activation} output, {imported.loss_name} loss and "
                f"{imported.activation} hidden"
            )
        self.view.features = list(features)
        self.view.hidden_layers = list(hidden)
        self.controls["activation"].value = imported.activation
        self.view.activation = self.controls["activation"].index
        self.view.start = text

    def _train(self, s: _Setting, iterations: int) -> tuple[Network, TrainingHistory]:
        X, Y, X_test, Y_test = self._inputs(s)
        net = self._start(s)
        order = None
        if s.batch_size is not None:
            per_epoch = len(X) // s.batch_size
            order = batch_order(len(X), max(1, math.ceil(s.max_iterations / per_epoch)), s.seed)
        history = net.train(
            X,
            Y,
            learning_rate=s.learning_rate,
            iterations=iterations,
            batch_size=s.batch_size,
            batch_order=order,
            momentum=s.momentum,
            l2=s.l2,
            l1=s.l1,
            validation=(X_test, Y_test),
            progress=False,
        )
        return net, history

    def _run(self, s: _Setting) -> tuple[Network, TrainingHistory]:
        if s not in self._runs:
            self._runs[s] = self._train(s, s.max_iterations)
            while len(self._runs) > self._cache_size:
                self._runs.popitem(last=False)
        self._runs.move_to_end(s)
        return self._runs[s]

    @property
    def initial_network(self) -> Network:
        """The network before training: the portable start of ``seed`` (as the page's)."""
        return self._start(self.setting())

    @property
    def history(self) -> TrainingHistory:
        """The whole run, ``max_iterations`` updates (or until it diverged), with the test
        loss as validation loss: the run the page trains."""
        return self._run(self.setting())[1]

    @property
    def shown(self) -> int:
        """The iteration the picture shows: the slider's, or the last one a diverged run
        kept."""
        return min(int(self.controls["iterations"].value), self.history.iterations_run)

    @property
    def network(self) -> Network:
        """The network at the iteration shown (a copy: training it changes nothing here)."""
        s, t = self.setting(), self.shown
        if t == self.history.iterations_run:
            return self._run(s)[0].copy()
        key = (s, t)
        if key not in self._networks:
            self._networks[key] = self._train(s, t)[0]
            while len(self._networks) > 4 * self._cache_size:
                self._networks.popitem(last=False)
        return self._networks[key].copy()

    def reset(self) -> None:
        """Back to iteration 0, the same start (the page's reset button)."""
        self.controls["iterations"].value = 0

    # ................................................................. the words

    @property
    def status(self) -> str:
        """The line under the picture: the iteration shown, its losses (and accuracies),
        then what the whole run did. The page writes the same words."""
        s = self.setting()
        X, Y, X_test, Y_test = self._inputs(s)
        start, (final, history) = self._start(s), self._run(s)
        net, t = self.network, self.shown
        numbers = {
            "t": t,
            "train": net.loss(X, Y),
            "test": net.loss(X_test, Y_test),
            "start": start.loss(X, Y),
            "end": final.loss(X, Y),
            "endTest": final.loss(X_test, Y_test),
            "run": history.iterations_run,
            "diverged": history.message if history.diverged else None,
        }
        if s.dataset != "regression_1d":
            numbers["accuracy"] = net.accuracy(X, Y)
            numbers["testAccuracy"] = net.accuracy(X_test, Y_test)
        return playground_status(numbers)


def playground_status(n: dict[str, Any]) -> str:
    """The status line from its numbers (the page's ``playgroundStatus``, word for word).

    ``n`` holds ``t`` (the iteration shown), ``train`` and ``test`` (the losses there,
    on all the training and test points), ``accuracy`` and ``testAccuracy`` for
    classification, ``start``, ``end`` and ``endTest`` (the training loss at the start, the
    training and test losses at the end of the run), ``run`` (updates made) and
    ``diverged`` (the run's message, or None).
    """
    text = f"Iteration {n['t']}: training loss {n['train']:.4g}, test loss {n['test']:.4g}"
    if n.get("accuracy") is not None:
        text += f"; accuracy {n['accuracy']:.1%} (training), {n['testAccuracy']:.1%} (test)"
    text += "."
    if n["diverged"]:
        return f"{text} {n['diverged']} Try a smaller learning rate."
    if n["end"] > 1.05 * n["start"]:
        return (
            f"{text} The training loss rose from {n['start']:.4g} to {n['end']:.4g}: "
            "the learning rate is too large."
        )
    return (
        f"{text} After {n['run']} iterations the training loss is {n['end']:.4g} "
        f"and the test loss {n['endTest']:.4g}."
    )
